"""``studyvpc import``: Markdown notes -> one YAML content file per note, again and again.

Every Markdown note under the sources is read (`studyvpc.content.markdown`) and written as
``<note id>.yaml`` in the target folder (`notes_yaml`), under a header recording the digest
of what was written. Running it again rewrites the files it wrote when the notes changed, and
leaves alone (and names) any file edited by hand since, or not written by the import at all,
unless ``force``. Links may lead to the notes already in the target folder.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from studyvpc.content.loader import load_library
from studyvpc.content.model import Location
from studyvpc.content.results import MARKDOWN_SUFFIXES, ContentError, discover
from studyvpc.interop.notes_yaml import edited_since_written, note_yaml, with_header
from studyvpc.interop.target import TargetError, write_atomically

WARNING_KINDS = (
    ("has no explanation", "options without an explanation"),
    ("resolves to no note", "links to notes not in the library"),
    ("garbled text", "lines of garbled text repaired"),
    ("not asked", "questions kept as text, not asked"),
    ("frontmatter", "frontmatter problems"),
    ("UTF-8", "files not saved as UTF-8"),
)


def warning_kind(message: str) -> str:
    return next((kind for needle, kind in WARNING_KINDS if needle in message), "other warnings")


@dataclass
class ImportReport:
    notes: int = 0
    questions: int = 0
    new: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    """Files edited by hand since they were written (or never written by the import)."""
    warnings: list[ContentError] = field(default_factory=list)
    errors: list[ContentError] = field(default_factory=list)

    def warnings_by_kind(self) -> list[tuple[str, int]]:
        return Counter(warning_kind(w.message) for w in self.warnings).most_common()


def import_notes(sources: list[Path], target: Path, *, force: bool = False) -> ImportReport:
    report = ImportReport()
    files, errors = discover(sources)
    report.errors += [e for e in errors if "no content file" not in e.message]
    notes_files = [f for f in files if f.suffix.lower() in MARKDOWN_SUFFIXES]
    if not notes_files:
        where = ", ".join(str(s) for s in sources)
        report.errors.append(ContentError(Location(where), "no Markdown notes (*.md) here"))
        return report
    if target.exists() and not target.is_dir():
        report.errors.append(ContentError(Location(str(target)), "not a folder"))
        return report
    existing = None
    if target.is_dir() and any(target.glob("*.y*ml")):
        existing = load_library([target]).library  # links may lead to notes already there
    result = load_library(notes_files, link_context=existing)
    report.warnings = [e for e in result.errors if e.severity != "error"]
    report.errors += [e for e in result.errors if e.severity == "error"]
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        report.errors.append(ContentError(Location(str(target)), f"cannot create: {e.strerror or e}"))
        return report
    for note in result.library.notes:
        path = target / f"{note.id}.yaml"
        # The header names the source by its file name: the same wherever the import runs.
        text = with_header(note_yaml(note), Path(note.location.path).name)
        try:
            old = path.read_text(encoding="utf-8") if path.exists() else None
        except (OSError, UnicodeDecodeError):
            old = ""  # unreadable as ours: treated as a file edited by hand
        if old == text:
            report.unchanged.append(path)
        elif old is not None and not force and edited_since_written(old):
            report.kept.append(path)
        else:
            try:
                with write_atomically(path, encoding="utf-8", newline="\n") as f:
                    f.write(text)
            except TargetError as e:
                report.errors.append(ContentError(Location(str(path)), str(e)))
                continue
            (report.new if old is None else report.updated).append(path)
        report.notes += 1
        report.questions += len(note.questions)
    return report


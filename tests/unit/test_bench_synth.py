"""The benchmark's library generator makes what it promises: the question count asked for,
unique ids, links that resolve but for the intended share of dangling ones, and nothing else
the loader or the strict linter would complain about. Not timed (benchmarks/run.py is)."""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from studyvpc.content.lint import lint
from studyvpc.content.loader import load_library

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import synth  # noqa: E402

_DANGLING = re.compile(r"(link|see_also entry) \[\[missing-[^\]]+\]\] resolves to no note")


def _planted(folder: Path) -> int:
    """How many link targets the generator made dangling (each names a ``missing-`` note)."""
    return sum(f.read_text(encoding="utf-8").count(synth.MISSING) for f in folder.iterdir())


def test_realistic_library_has_the_questions_asked_and_only_the_planted_warnings(tmp_path):
    folder = synth.realistic_library(tmp_path / "lib", 150, dangling=0.1)
    result = load_library([folder])
    library = result.library
    assert len(library.questions) == 150
    assert len({q.id for q in library.questions}) == 150
    assert len({n.id for n in library.notes}) == len(library.notes) == len(list(folder.iterdir()))
    assert all(e.severity == "warning" and _DANGLING.search(e.message) for e in result.errors), \
        [e.message for e in result.errors if not _DANGLING.search(e.message)][:3]
    planted = _planted(folder)
    assert planted > 0 and len(result.errors) == planted
    assert lint(library) == []  # `validate --strict` would pass but for the planted links


def test_links_of_a_copy_lead_to_the_same_copy(tmp_path):
    library = load_library([synth.realistic_library(tmp_path / "lib", 130, dangling=0)]).library
    note = library.note("aws-privatelink-x0001")
    assert [library.resolve(t).id for t in note.see_also] == [t for t in note.see_also]
    assert all(t.endswith("-x0001") for t in note.see_also)
    assert "AWS PrivateLink" in note.title and note.title.endswith(" · 1")


def test_a_library_smaller_than_the_deck_still_resolves_every_link(tmp_path):
    result = load_library([synth.realistic_library(tmp_path / "lib", 7, dangling=0)])
    assert result.errors == [] and len(result.library.questions) == 7


def test_the_same_seed_writes_the_same_bytes(tmp_path):
    a = synth.realistic_library(tmp_path / "a", 70, seed=3)
    b = synth.realistic_library(tmp_path / "b", 70, seed=3)
    c = synth.realistic_library(tmp_path / "c", 70, seed=4, dangling=0.5)
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir())
    assert all((a / n).read_bytes() == (b / n).read_bytes() for n in names)
    assert any((a / n).read_bytes() != (c / n).read_bytes() for n in names)


def test_markdown_variant(tmp_path):
    folder = synth.realistic_markdown_library(tmp_path / "md", 20, dangling=0.2)
    result = load_library([folder])
    assert len(result.library.questions) == len(result.library.notes) == 20
    other = [e.message for e in result.errors
             if not _DANGLING.search(e.message) and "has no explanation" not in e.message]
    assert other == [] and any(_DANGLING.search(e.message) for e in result.errors)


def test_cached_library_is_written_once(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    first = synth.cached_library(61, dangling=0)
    marker = next(first.iterdir())
    marker.write_text("changed", encoding="utf-8")
    again = synth.cached_library(61, dangling=0)
    assert again == first and marker.read_text(encoding="utf-8") == "changed"
    assert synth.cached_library(62, dangling=0) != first

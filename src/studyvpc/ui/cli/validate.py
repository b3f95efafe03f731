"""``studyvpc validate [PATH…]``: check content, print a summary or the located errors.

Links in single files checked on their own resolve against a library: the notes beside them
(default) or ``--content DIR``; which one is always said, since the same file can pass in one
folder and not in another. Tags are counted as the home screen counts them: every distinct
tag of a note or a question, and per top-level tag the notes and questions under it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studyvpc.content.textutil import plural, visible_line
from studyvpc.ui.cli.main import add_common


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check content files and summarise them",
                       description="Check content files (default: the configured content) and "
                                   "print a summary, or every problem as path:line:col: message. "
                                   "Files given on their own have their links checked against "
                                   "the notes beside them, or against --content DIR. "
                                   "Exit status 1 when there are errors.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to check")
    p.add_argument("--strict", action="store_true",
                   help="also run the exam-writing linter; warnings (links to notes not in "
                        "the library, options without a why, the linter's) count as failures")
    p.add_argument("--json", action="store_true",
                   help="print the summary and every problem as JSON (for scripts and editors)")
    add_common(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from studyvpc import locations
    from studyvpc.content.loader import load_library

    paths = args.paths or locations.content_dirs(args.content)
    context, against = _link_context(args)
    result = load_library(paths, link_context=context)
    problems = list(result.errors)
    if args.strict and result.ok:
        from studyvpc.content.lint import lint

        problems += lint(result.library)
    n_err = sum(p.severity == "error" for p in problems)
    n_warn = len(problems) - n_err
    failed = bool(n_err or (n_warn and args.strict))
    if args.json:
        return _print_json(result, problems, against, failed)
    if against is not None:
        print(f"studyvpc: links checked against {against}", file=sys.stderr)
    out = sys.stdout
    for problem in problems:
        print(problem, file=out)
    lib = result.library
    out.flush()  # the summary goes to stderr; keep it after the problems
    if failed:
        files = len({p.location.path for p in problems})
        parts = [plural(n_err, "error")] if n_err else []
        if n_warn:
            parts.append(plural(n_warn, "warning"))
        print(f"{' and '.join(parts)} in {plural(files, 'file')}", file=sys.stderr)
        return 1
    questions = lib.questions
    multi = sum(q.is_multi for q in questions)
    warned = f", {plural(n_warn, 'warning')} (--strict fails on them)" if n_warn else ""
    tops = _top_level(lib)
    print(f"ok: {plural(len(result.files), 'file')}, {plural(len(lib.notes), 'note')}, "
          f"{plural(len(questions), 'question')} ({multi} multi-answer), "
          f"{plural(len(lib.all_tags), 'tag')} ({len(tops)} top-level){warned}")
    if tops:
        print("top-level tags: " + ", ".join(
            f"{visible_line(t)} {plural(n, 'note')} · {plural(q, 'question')}"
            for t, (n, q) in tops.items()))
    return 0


def _top_level(lib) -> dict[str, tuple[int, int]]:
    """Each top-level tag: (notes, questions) carrying it or a tag below it, as on home."""
    return {t: lib.tag_counts(t) for t in sorted({t.split("/")[0] for t in lib.all_tags})}


def _link_context(args: argparse.Namespace):
    """(the library that links of single files may also resolve to, its description), or
    (None, None) when whole folders or the configured content are checked."""
    from studyvpc import locations
    from studyvpc.content.loader import load_library

    files = [Path(p) for p in args.paths if Path(p).is_file()]
    if not files:
        return None, None
    if args.content:
        dirs = locations.content_dirs(args.content)
        library = load_library(dirs).library
        where = ", ".join(visible_line(str(d)) for d in dirs)
        return library, f"the library in {where} ({plural(library.note_count, 'note')}, --content)"
    folders = sorted({f.parent for f in files})
    library = load_library(folders).library
    where = ", ".join(visible_line(str(d)) for d in folders)
    return library, (f"the notes beside the file in {where} "
                     f"({plural(library.note_count, 'note')}); --content DIR checks against "
                     "another library")


def _print_json(result, problems, against: str | None, failed: bool) -> int:
    import json

    lib = result.library
    data = {
        "ok": not failed,
        "files": len(result.files),
        "notes": len(lib.notes),
        "questions": len(lib.questions),
        "multi_answer": sum(q.is_multi for q in lib.questions),
        "tags": len(lib.all_tags),
        "top_level_tags": {t: {"notes": n, "questions": q}
                           for t, (n, q) in _top_level(lib).items()},
        "links_checked_against": against,
        "problems": [{"path": p.location.path, "line": p.location.line,
                      "column": p.location.column, "severity": p.severity,
                      "message": p.message} for p in problems],
    }
    # ASCII only: file names and messages quote content, whose control characters must not
    # reach a terminal; \u escapes keep every character exactly for the reader of the JSON.
    print(json.dumps(data, indent=2, ensure_ascii=True))
    return 1 if failed else 0

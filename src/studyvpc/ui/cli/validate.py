"""``studyvpc validate [PATH…]``: check content, print a summary or the located errors."""

from __future__ import annotations

import argparse
import sys
from collections import Counter

from studyvpc.content.textutil import visible_line
from studyvpc.ui.cli.main import add_common


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check content files and summarise them",
                       description="Check content files (default: the configured content) and "
                                   "print a summary, or every problem as path:line:col: message. "
                                   "Exit status 1 when there are errors.")
    p.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to check")
    p.add_argument("--strict", action="store_true",
                   help="also run the exam-writing linter; warnings (links to notes not in "
                        "the library, options without a why, the linter's) count as failures")
    add_common(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from studyvpc import locations
    from studyvpc.content.loader import load_library

    paths = args.paths or locations.content_dirs(args.content)
    result = load_library(paths, link_context=_sibling_notes(args.paths))
    problems = list(result.errors)
    if args.strict and result.ok:
        from studyvpc.content.lint import lint

        problems += lint(result.library)
    out = sys.stdout
    for problem in problems:
        print(problem, file=out)
    n_err = sum(p.severity == "error" for p in problems)
    n_warn = len(problems) - n_err
    lib = result.library
    out.flush()  # the summary goes to stderr; keep it after the problems
    if n_err or (n_warn and args.strict):
        files = len({p.location.path for p in problems})
        parts = [f"{n_err} error{'s' * (n_err != 1)}"] if n_err else []
        if n_warn:
            parts.append(f"{n_warn} warning{'s' * (n_warn != 1)}")
        print(f"{' and '.join(parts)} in {files} file{'s' * (files != 1)}", file=sys.stderr)
        return 1
    questions = lib.questions
    multi = sum(q.is_multi for q in questions)
    warned = f", {n_warn} warning{'s' * (n_warn != 1)} (--strict fails on them)" if n_warn else ""
    print(f"ok: {len(result.files)} files, {len(lib.notes)} notes, {len(questions)} questions "
          f"({multi} multi-answer), {len(lib.tags)} tags{warned}")
    by_top = Counter(t.split("/")[0] for n in lib.notes for t in n.tags)
    if by_top:
        print("tags: " + ", ".join(f"{visible_line(t)} ({c})" for t, c in sorted(by_top.items())))
    return 0


def _sibling_notes(paths: list[str]):
    """When single files are checked, their links may point at the notes beside them."""
    from pathlib import Path

    from studyvpc.content.loader import load_library

    folders = sorted({Path(p).parent for p in paths if Path(p).is_file()})
    if not folders:
        return None
    return load_library(folders).library

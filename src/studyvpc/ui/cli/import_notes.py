"""``studyvpc import SRC… --to DIR``: Markdown notes in, one YAML file per note out.

The notes can also be studied as they are (``--content ~/vault``); importing gives YAML files
to edit and to keep beside the bundled deck. See docs/markdown-notes.md.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "import", help="turn Markdown notes (an Obsidian vault) into YAML content files",
        description="Read Markdown notes of the learners' template (files or folders, "
                    "recursively) and write one YAML content file per note into DIR. Running "
                    "it again updates the files it wrote; a file edited by hand since is left "
                    "alone unless --force. Prints notes, questions and warnings by kind.")
    p.add_argument("sources", nargs="+", metavar="SRC", help="Markdown files or folders")
    p.add_argument("--to", required=True, metavar="DIR", type=Path,
                   help="folder for the YAML files (created if missing)")
    p.add_argument("--force", action="store_true",
                   help="also overwrite files edited by hand since they were imported")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="list every warning, located in the Markdown notes")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from studyvpc.content.textutil import visible
    from studyvpc.interop.notes_import import import_notes, warning_kind

    report = import_notes([Path(s) for s in args.sources], args.to, force=args.force)
    for e in report.errors:
        print(f"studyvpc import: {visible(str(e))}", file=sys.stderr)
    if not report.notes and report.errors:
        return 1
    out = sys.stdout
    n, q = report.notes, report.questions
    print(f"{n} note{'s' * (n != 1)}, {q} question{'s' * (q != 1)} -> {visible(str(args.to))}",
          file=out)
    done = [(len(report.new), "new"), (len(report.updated), "updated"),
            (len(report.unchanged), "unchanged")]
    print("  files: " + ", ".join(f"{k} {word}" for k, word in done), file=out)
    if report.kept:
        names = ", ".join(visible(p.name) for p in report.kept)
        print(f"  kept {len(report.kept)}, edited by hand since imported (--force overwrites "
              f"them): {names}", file=out)
    if report.warnings:
        w = len(report.warnings)
        print(f"{w} warning{'s' * (w != 1)}:", file=out)
        for kind, count in report.warnings_by_kind():
            print(f"  {count} {kind}", file=out)
        if args.verbose:
            for e in report.warnings:
                print(f"    {visible(str(e))}  [{warning_kind(e.message)}]", file=out)
        else:
            print("  (-v lists each one, located in your notes)", file=out)
    return 1 if report.errors else 0

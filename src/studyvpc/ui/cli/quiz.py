"""``studyvpc quiz``: a practice session, in the TUI or line by line (``--plain``)."""

from __future__ import annotations

import argparse

from studyvpc.ui.cli.main import add_common, positive_int


def add_scope_options(p: argparse.ArgumentParser) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument("--tag", help="only questions with this tag (or a tag below it)")
    g.add_argument("--note", help="only the questions of this note (id or alias)")
    p.add_argument("--limit", type=positive_int, metavar="N", help="at most N questions")
    p.add_argument("--seed", type=int, help="random seed: the same seed gives the same session")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("quiz", help="practise questions with immediate feedback",
                       description="Practise questions: every option's explanation is shown "
                                   "after each answer.")
    add_scope_options(p)
    p.add_argument("--plain", action="store_true",
                   help="line by line on stdin/stdout, without the full-screen app "
                        "(screen readers, scripts, dumb terminals)")
    add_common(p)
    p.set_defaults(handler=run)


def scope_from_args(args: argparse.Namespace):
    from studyvpc.study.quiz import Scope

    if getattr(args, "tag", None):
        return Scope("tag", args.tag)
    if getattr(args, "note", None):
        return Scope("note", args.note)
    return Scope()


def run(args: argparse.Namespace) -> int:
    if not args.plain:
        from studyvpc.ui.cli.app import run_app

        return run_app(args, start="quiz")
    import sys

    from studyvpc.ui.cli.common import usable_content
    from studyvpc.ui.cli.review import open_progress, run_plain_recorded

    result = usable_content(args)
    if result is None:
        return 1
    # Every answer is stored (mode practice) before its feedback is printed.
    progress = open_progress(args, result.library)
    try:
        return run_plain_recorded(progress, result.library, scope_from_args(args),
                                  mode="practice", seed=args.seed, limit=args.limit,
                                  stdin=sys.stdin, stdout=sys.stdout)
    finally:
        progress.close()

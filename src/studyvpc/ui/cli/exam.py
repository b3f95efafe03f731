"""``studyvpc exam``: open the app directly in the mock-exam setup (or a saved exam's resume)."""

from __future__ import annotations

import argparse

from studyvpc.ui.cli.main import add_common

MIN_MINUTES = 0.1
"""Six seconds: useless for studying, handy to watch an exam submit itself."""
MAX_MINUTES = 24 * 60


def _positive_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {raw!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _minutes(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {raw!r}") from None
    if not MIN_MINUTES <= value <= MAX_MINUTES:
        raise argparse.ArgumentTypeError(f"must be between {MIN_MINUTES:g} and {MAX_MINUTES} "
                                         "(a day)")
    return value


def _percent(raw: str) -> float:
    try:
        value = float(raw.rstrip("%"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {raw!r}") from None
    if not 1 <= value <= 100:  # as the setup form; 0.72 would be a pass mark of 0.72%
        raise argparse.ArgumentTypeError("must be a percentage between 1 and 100 (72 for 72%)")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "exam", help="take a timed mock exam (no feedback until you submit)",
        description="A timed mock exam: questions drawn at random, free navigation, flags for "
                    "review, no feedback until you submit, a pass mark, a score per domain and a "
                    "review of every option. Opens the exam setup with these values filled in; "
                    "an unfinished exam is offered back first. Progress is saved as you go.")
    p.add_argument("--count", type=_positive_int, metavar="N",
                   help="number of questions (default: all of the pool, at most 65)")
    p.add_argument("--minutes", type=_minutes, metavar="M",
                   help="time limit in minutes (default: 2 minutes per question)")
    p.add_argument("--tag", action="append", metavar="TAG",
                   help="draw from questions with this tag or a tag below it (repeatable)")
    p.add_argument("--note", action="append", metavar="NOTE",
                   help="draw from the questions of this note, by id or alias (repeatable)")
    p.add_argument("--pass-mark", type=_percent, default=72.0, metavar="PERCENT",
                   help="score needed to pass, in percent (default 72, as AWS associate exams)")
    p.add_argument("--seed", type=int,
                   help="random seed: the same seed draws the same questions in the same order")
    add_common(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from studyvpc.ui.cli.app import run_app

    return run_app(args, start="exam")

"""``studyvpc review``: the questions due for review (FSRS), in the TUI or line by line.

Also home to the plain-mode side of progress (`open_progress`, `run_plain_recorded`), which
``studyvpc quiz --plain`` uses too: every answer is stored (`studyvpc.progress.service.Recorder`)
before its feedback is printed, a right answer can be rated at the "next" prompt, and a
database that cannot be used is reported on stderr while the quiz still runs (progress then
not saved).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from studyvpc.ui.cli.main import add_common, positive_int

if TYPE_CHECKING:  # pragma: no cover
    from studyvpc.content.library import Library
    from studyvpc.progress.service import Progress

def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("review", help="review the questions that are due (spaced repetition)",
                       description="Answer the questions your review schedule (FSRS) says are "
                                   "due now, most overdue first. A right answer is rated Good "
                                   "unless you rate it Hard or Easy.")
    p.add_argument("--limit", type=positive_int, metavar="N", help="at most N questions")
    p.add_argument("--seed", type=int, help="random seed for the order of the options")
    p.add_argument("--plain", action="store_true",
                   help="line by line on stdin/stdout, without the full-screen app "
                        "(screen readers, scripts, dumb terminals)")
    add_common(p)
    p.set_defaults(handler=run)


def open_progress(args: argparse.Namespace, library: Library, err: TextIO | None = None) -> Progress:
    """The progress store of ``--data-dir``; on failure an in-memory one and a message on ``err``."""
    from studyvpc import locations
    from studyvpc.progress.service import Progress

    progress = Progress.open(library, locations.data_dir(getattr(args, "data_dir", None)))
    if progress.error is not None:
        print(f"studyvpc: {progress.error}", file=err or sys.stderr)
    return progress


def run_plain_recorded(progress: Progress, library: Library, scope, *, mode: str,
                       seed: int | None, limit: int | None, stdin: TextIO, stdout: TextIO,
                       session=None, title: str = "Practice") -> int:
    """`run_plain_quiz` with every answer recorded in ``progress`` (mode ``mode``)."""
    from studyvpc.progress.service import Recorder, Said
    from studyvpc.ui.cli.plain import run_plain_quiz

    recorder = Recorder(progress, mode, scope.describe(), rating_keys=False)

    def line(said: Said) -> str | None:
        return f"{said.title}: {said.problem}" if said.problem is not None else said.text or None

    try:
        return run_plain_quiz(library, scope, seed=seed, limit=limit, stdin=stdin, stdout=stdout,
                              session=session, on_answer=lambda result: line(recorder.record(result)),
                              on_rate=(lambda result, rating: line(recorder.rate(rating)))
                              if recorder.reschedules else None,
                              title=title)
    finally:
        said = recorder.finish()
        if said.problem is not None:
            print(f"studyvpc: {said.problem}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    if not args.plain:
        from studyvpc.ui.cli.app import run_app

        return run_app(args, start="review")
    from studyvpc.ui.cli.common import usable_content
    from studyvpc.progress.service import REVIEW_SCOPE, plan_review
    from studyvpc.study.quiz import PracticeSession, Scope, select_questions

    result = usable_content(args)
    if result is None:
        return 1
    library = result.library
    progress = open_progress(args, library)
    try:
        plan = plan_review(progress, args.limit)
        if plan.problem is not None:
            print(plan.problem, file=sys.stderr)
            return 1
        if not plan.ids:
            from studyvpc.progress.wording import when

            print("Nothing is due for review now."
                  + (f" The next review is {when(plan.next_due, progress.now())}."
                     if plan.next_due else
                     " Answer questions with `studyvpc quiz` to build your review schedule."))
            return 0
        due = plan.ids
        scope = Scope("ids", value=REVIEW_SCOPE, ids=tuple(due))
        session = PracticeSession(select_questions(library, scope), seed=args.seed)
        return run_plain_recorded(progress, library, scope, mode="review", seed=args.seed,
                                  limit=args.limit, stdin=sys.stdin, stdout=sys.stdout,
                                  session=session, title="Review")
    finally:
        progress.close()

"""``studyvpc review``: the questions due for review (FSRS), in the TUI or line by line.

Also home to the plain-mode side of progress (`PlainRecorder`, `open_progress`), which
``studyvpc quiz --plain`` uses too: every answer is stored before its feedback is printed, a
right answer can be rated at the "next" prompt, and a database that cannot be used is reported
on stderr while the quiz still runs (progress then not saved).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from studyvpc.ui.cli.main import add_common

if TYPE_CHECKING:  # pragma: no cover
    from studyvpc.content.library import Library
    from studyvpc.study.quiz import AnswerResult
    from studyvpc.progress.service import Progress

REVIEW_SCOPE = "your due reviews"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("review", help="review the questions that are due (spaced repetition)",
                       description="Answer the questions your review schedule (FSRS) says are "
                                   "due now, most overdue first. A right answer is rated Good "
                                   "unless you rate it Hard or Easy.")
    p.add_argument("--limit", type=int, metavar="N", help="at most N questions")
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


class PlainRecorder:
    """The hooks `studyvpc.ui.cli.plain.run_plain_quiz` calls: record each answer, rate right ones."""

    def __init__(self, progress: Progress, mode: str, scope: str = "") -> None:
        self.progress = progress
        self.recording = progress.begin(mode, scope)

    def on_answer(self, result: AnswerResult) -> str | None:
        from studyvpc.progress.store import ProgressError

        try:
            self.recording.record(result)
        except ProgressError as exc:
            return f"This answer was not saved: {exc}"
        if self.recording.mode == "drill":
            return "Drill: your review schedule is not changed."
        return None

    def on_rate(self, result: AnswerResult, rating: str) -> str | None:
        from studyvpc.progress.service import rated_message
        from studyvpc.progress.store import ProgressError

        if not self.recording.can_rate:
            return None
        try:
            due = self.recording.rate(rating)
        except (ProgressError, ValueError) as exc:
            return f"The rating was not saved: {exc}"
        return rated_message(rating, due, self.progress.now(), keys=False)

    def finish(self) -> None:
        from studyvpc.progress.store import ProgressError

        try:
            self.recording.finish()
        except ProgressError as exc:
            print(f"studyvpc: {exc}", file=sys.stderr)


def run_plain_recorded(progress: Progress, library: Library, scope, *, mode: str,
                       seed: int | None, limit: int | None, stdin: TextIO, stdout: TextIO,
                       session=None, title: str = "Practice") -> int:
    """`run_plain_quiz` with every answer recorded in ``progress`` (mode ``mode``)."""
    from studyvpc.ui.cli.plain import run_plain_quiz

    recorder = PlainRecorder(progress, mode, scope.describe())
    try:
        return run_plain_quiz(library, scope, seed=seed, limit=limit, stdin=stdin, stdout=stdout,
                              session=session, on_answer=recorder.on_answer,
                              on_rate=recorder.on_rate if recorder.recording.reschedules else None,
                              title=title)
    finally:
        recorder.finish()


def run(args: argparse.Namespace) -> int:
    if not args.plain:
        from studyvpc.ui.cli.app import run_app

        return run_app(args, start="review")
    from studyvpc.ui.cli.common import load_content, report_errors
    from studyvpc.study.quiz import PracticeSession, Scope, select_questions

    result = load_content(args)
    if not result.ok:
        report_errors(result)
        return 1
    library = result.library
    progress = open_progress(args, library)
    try:
        if progress.error is not None:
            # The schedule lives in the database that cannot be used (said above): "nothing
            # due, practise to build a schedule" would be wrong for a learner who has one.
            print("Your review schedule cannot be read, so there is nothing to review now.",
                  file=sys.stderr)
            return 1
        due = progress.due_ids()
        if not due:
            nxt = progress.due_summary().next_due
            from studyvpc.progress.service import when

            print("Nothing is due for review now."
                  + (f" The next review is {when(nxt, progress.now())}." if nxt else
                     " Answer questions with `studyvpc quiz` to build your review schedule."))
            return 0
        if args.limit is not None and args.limit > 0:
            due = due[: args.limit]  # the most overdue ones
        scope = Scope("ids", value=REVIEW_SCOPE, ids=tuple(due))
        session = PracticeSession(select_questions(library, scope), seed=args.seed)
        return run_plain_recorded(progress, library, scope, mode="review", seed=args.seed,
                                  limit=args.limit, stdin=sys.stdin, stdout=sys.stdout,
                                  session=session, title="Review")
    finally:
        progress.close()

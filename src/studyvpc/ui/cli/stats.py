"""``studyvpc stats``: accuracy, streak, time, what is due and the weakest questions.

Statistics come from `studyvpc.progress.store.stats.compute_stats` (the same dataclass the TUI's
stats screen shows), so ``stats`` and ``stats --json`` cannot disagree with the app. Rich is
imported inside the handler so that ``studyvpc --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from studyvpc.ui.cli.main import add_common

if TYPE_CHECKING:  # pragma: no cover
    from studyvpc.progress.store.stats import Stats


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="show accuracy, streak, due reviews and weakest questions",
                       description="Statistics of your answers: accuracy per tag, answers per day, "
                                   "study streak, time spent, weakest questions, what is due.")
    p.add_argument("--json", action="store_true", help="print the statistics as JSON (for scripts)")
    p.add_argument("--days", type=int, default=14, metavar="N",
                   help="how many recent days to chart (default 14)")
    add_common(p)
    p.set_defaults(handler=run_stats)


PIPE_WIDTH = 10_000
"""Columns given to Rich when stdout is not a terminal: wide enough that nothing wraps."""


def _when(moment: datetime | None, now: datetime) -> str:
    from studyvpc.progress.wording import when

    return "—" if moment is None else when(moment, now)


# --------------------------------------------------------------------------- stats


def run_stats(args: argparse.Namespace) -> int:
    import json

    from studyvpc.ui.cli.common import fail, load_content, open_store
    from studyvpc.progress.scheduler import ReviewScheduler
    from studyvpc.progress.store import ProgressError, QuestionIndex
    from studyvpc.progress.store.history import session_results
    from studyvpc.progress.store.stats import compute_stats
    from studyvpc.progress.store.schema import utc_now

    result = load_content(args)
    if not result.ok:
        n = len(result.errors)
        print(f"studyvpc: {n} problem{'s' * (n != 1)} in the content (see `studyvpc validate`); "
              "statistics use the questions that loaded", file=sys.stderr)
    library = result.library
    store = open_store(args, read_only=True)
    if store is None:
        return 1
    now = utc_now()
    try:
        with store:
            stats = compute_stats(store, QuestionIndex.from_library(library), now=now,
                                  scheduler=ReviewScheduler(store))
            exams = session_results(store, modes=("exam",), finished_only=True, limit=None)
    except ProgressError as e:
        return fail(e)
    if args.json:
        data = stats.to_dict()
        data["finished_exams"] = [exam_dict(e) for e in exams]
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print_stats(stats, library, now=now, days=max(1, args.days), exams=exams[:10])
    return 0


def exam_dict(e) -> dict:
    """A finished mock exam for ``stats --json`` (a `SessionResult` of mode exam)."""
    from studyvpc.progress.store.schema import iso_utc

    return {
        "session_id": e.id, "scope": e.scope, "started": iso_utc(e.started),
        "finished": iso_utc(e.finished) if e.finished else None, "questions": e.answered,
        "right": e.right, "score": e.accuracy, "pass_mark": e.pass_mark, "passed": e.passed,
        "time_limit_s": e.time_limit_s, "time_used_s": e.time_used_s,
        "auto_submitted": e.auto_submitted,
    }


def print_stats(stats: Stats, library, *, now: datetime, days: int = 14, console=None,
                exams: list | None = None) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from studyvpc.content.textutil import one_line, visible
    from studyvpc.progress.store.stats import RETENTION_DAYS
    from studyvpc.progress.wording import cards_line, prediction_line, retention_line
    from studyvpc.progress.wording import percent as _pct
    from studyvpc.progress.wording import spent

    # Into a pipe or a file, lines are as long as they need to be: Rich would otherwise wrap
    # at 80 columns and split ids in the middle ("nat-gateway-vs-endp / oint-cost-q2").
    console = console or Console(file=sys.stdout,
                                 width=None if sys.stdout.isatty() else PIPE_WIDTH)

    summary = Table(title="Progress", box=box.SIMPLE, show_header=False, title_justify="left")
    summary.add_column("what", style="bold")
    summary.add_column("value")
    summary.add_row("Answers", f"{stats.total_attempts} ({stats.correct_attempts} right, "
                               f"{_pct(stats.accuracy)})")
    if stats.skipped:
        summary.add_row("Skipped", f"{stats.skipped} exam question{'s' * (stats.skipped != 1)} "
                                   "left unanswered (0 in their exam; not answers)")
    summary.add_row("Questions answered", f"{stats.questions_answered} of {stats.questions_total}")
    summary.add_row("Time in sessions", spent(stats.time_spent_ms))
    summary.add_row("Sessions", str(stats.sessions))
    summary.add_row("Study days", f"{stats.study_days} (streak {stats.streak_days}, "
                                  f"longest {stats.longest_streak})")
    summary.add_row("Cards", cards_line(stats))
    summary.add_row("Due for review now", str(stats.due_now))
    summary.add_row("Next review", _when(stats.next_due, now))
    summary.add_row(f"Retention ({RETENTION_DAYS} days)", retention_line(stats))
    summary.add_row("Predicted recall", prediction_line(stats))
    if stats.orphan_attempts:
        summary.add_row("Orphan answers", f"{stats.orphan_attempts} (for "
                                          f"{len(stats.orphan_question_ids)} questions no longer "
                                          "in the content; kept)")
    console.print(summary)

    if stats.total_attempts == 0:
        console.print("No answers yet: start with `studyvpc quiz`.")
        return

    tags = Table(title="Accuracy by tag", box=box.SIMPLE_HEAD, title_justify="left")
    tags.add_column("Tag")
    tags.add_column("Answered", justify="right")
    tags.add_column("Answers", justify="right")
    tags.add_column("Accuracy", justify="right")
    for t in sorted(stats.per_tag, key=lambda t: (t.attempts == 0, t.accuracy, t.tag)):
        tags.add_row(Text(visible(t.tag)), f"{t.answered}/{t.questions}", str(t.attempts),
                     _pct(t.accuracy if t.attempts else None))
    console.print(tags)

    today = stats.today or now.astimezone().date()
    recent = [today - timedelta(days=k) for k in range(days - 1, -1, -1)]
    peak = max([stats.answers_per_day.get(d, 0) for d in recent] + [1])
    per_day = Table(title=f"Answers per day (last {days})", box=box.SIMPLE_HEAD, title_justify="left")
    per_day.add_column("Day")
    per_day.add_column("Answers", justify="right")
    per_day.add_column("")
    for d in recent:
        n = stats.answers_per_day.get(d, 0)
        per_day.add_row(f"{d:%a %Y-%m-%d}", str(n), "█" * round(30 * n / peak))
    console.print(per_day)

    if stats.weakest:
        weak = Table(title="Weakest questions", box=box.SIMPLE_HEAD, title_justify="left")
        # "fold", never "…": two ids that differ only at the end must stay told apart, and
        # Rich may wrap Korean titles a cell too long (an ellipsis would eat the last word).
        weak.add_column("Question", overflow="fold")
        weak.add_column("Note", overflow="fold")
        weak.add_column("Accuracy", justify="right")
        weak.add_column("Answers", justify="right")
        weak.add_column("Predicted recall", justify="right")
        for q in stats.weakest:
            note = library.get_note(q.note_id) if q.note_id else None
            shown = f"{one_line(note.title)} ({note.id})" if note else (q.note_id or "—")
            weak.add_row(Text(q.question_id), Text(shown),
                         _pct(q.accuracy), str(q.attempts), _pct(q.retrievability))
        console.print(weak)
    else:
        console.print("Weakest questions: none; every question answered so far was right "
                      "every time.")

    if exams:
        from studyvpc.ui.tables import exam_table

        console.print(exam_table(exams, now, title="Finished exams", box=box.SIMPLE_HEAD,
                                 title_justify="left"))

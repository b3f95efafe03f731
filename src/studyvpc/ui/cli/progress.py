"""``studyvpc stats`` and ``studyvpc progress export|import|reset``: progress from the terminal.

Why it is built this way: the handlers are thin. Statistics come from
`studyvpc.progress.store.stats.compute_stats` (the same dataclass the TUI's stats screen shows), so
``stats`` and ``stats --json`` cannot disagree with the app. Every problem with the database is a
`ProgressError` whose message is printed as-is on stderr with exit status 1; nothing here ever
recreates or overwrites a database it could not open. ``reset`` asks on stdin (``--yes`` for
scripts) and always keeps a backup, whose path it prints. Heavy imports (rich, the loader, fsrs)
happen inside the handlers so ``studyvpc --help`` stays fast.
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

    pp = sub.add_parser("progress", help="export, import or reset your progress",
                        description="Own your data: export progress to JSON, merge an export back "
                                    "in (never duplicating an answer), or reset it (a backup is "
                                    "kept).")
    add_common(pp)
    actions = pp.add_subparsers(dest="progress_action", metavar="ACTION")
    e = actions.add_parser("export", help="write all progress to a JSON file",
                           description="Write all progress to a new JSON file. An existing file "
                                       "is replaced only with --force; the progress database, its "
                                       "backups, folders, devices and links never are.")
    e.add_argument("file", metavar="FILE")
    e.add_argument("--force", action="store_true", help="replace FILE if it exists")
    add_common(e)
    e.set_defaults(handler=run_export)
    i = actions.add_parser("import", help="merge a JSON export into your progress")
    i.add_argument("file", metavar="FILE")
    add_common(i)
    i.set_defaults(handler=run_import)
    r = actions.add_parser("reset", help="delete all progress (a backup copy is kept)")
    r.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add_common(r)
    r.set_defaults(handler=run_reset)

    def no_action(args: argparse.Namespace) -> int:
        pp.print_help(sys.stderr)
        return 2

    pp.set_defaults(handler=no_action)


# --------------------------------------------------------------------------- helpers


def _fail(error: Exception) -> int:
    print(f"studyvpc: {error}", file=sys.stderr)
    return 1


def _when(moment: datetime | None, now: datetime) -> str:
    from studyvpc.progress.wording import when

    return "—" if moment is None else when(moment, now)


# --------------------------------------------------------------------------- stats


def run_stats(args: argparse.Namespace) -> int:
    import json

    from studyvpc.ui.cli.common import load_content, open_store
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
        return _fail(e)
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
    from studyvpc.progress.wording import percent as _pct
    from studyvpc.progress.wording import spent

    console = console or Console(file=sys.stdout)

    summary = Table(title="Progress", box=box.SIMPLE, show_header=False, title_justify="left")
    summary.add_column("what", style="bold")
    summary.add_column("value")
    summary.add_row("Answers", f"{stats.total_attempts} ({stats.correct_attempts} right, "
                               f"{_pct(stats.accuracy)})")
    summary.add_row("Questions answered", f"{stats.questions_answered} of {stats.questions_total}")
    summary.add_row("Time spent", spent(stats.time_spent_ms))
    summary.add_row("Sessions", str(stats.sessions))
    summary.add_row("Study days", f"{stats.study_days} (streak {stats.streak_days}, "
                                  f"longest {stats.longest_streak})")
    summary.add_row("Due for review now", str(stats.due_now))
    summary.add_row("Next review", _when(stats.next_due, now))
    summary.add_row("Mean retrievability", _pct(stats.mean_retrievability))
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
        weak.add_column("Recall now", justify="right")
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


# --------------------------------------------------------------------------- export / import / reset


def run_export(args: argparse.Namespace) -> int:
    from studyvpc.interop.progress_json import export_json
    from studyvpc.progress.store import ProgressError
    from studyvpc.ui.cli.common import open_store

    store = open_store(args, read_only=True)
    if store is None:
        return 1
    try:
        with store:
            data_path = export_json(store, args.file, force=args.force)
            n = store.attempt_count()
    except (ProgressError, OSError) as e:
        return _fail(e)
    print(f"Exported {n} answer{'s' * (n != 1)} to {data_path}")
    return 0


def run_import(args: argparse.Namespace) -> int:
    from studyvpc.interop.progress_json import import_json
    from studyvpc.progress.scheduler import ReviewScheduler
    from studyvpc.progress.store import ProgressError
    from studyvpc.ui.cli.common import open_store

    store = open_store(args)
    if store is None:
        return 1
    try:
        with store:
            r = import_json(ReviewScheduler(store), args.file)
    except ProgressError as e:
        return _fail(e)
    print(f"Imported {r.attempts_added} new answer{'s' * (r.attempts_added != 1)} "
          f"({r.attempts_skipped} already present), {r.sessions_added} sessions, "
          f"{r.review_logs_added} reviews; {r.cards_added + r.cards_updated} cards updated")
    return 0


def run_reset(args: argparse.Namespace) -> int:
    from studyvpc.progress.store import ProgressError
    from studyvpc.ui.cli.common import open_store

    store = open_store(args)
    if store is None:
        return 1
    with store:
        if not args.yes:
            n = store.attempt_count()
            print(f"This deletes all progress in {store.path} ({n} answer{'s' * (n != 1)}); "
                  "a backup copy is kept. Type 'yes' to continue: ", end="", flush=True)
            reply = sys.stdin.readline().strip().lower()
            if reply not in ("y", "yes"):
                print("Nothing was changed.")
                return 1
        try:
            backup = store.reset()
        except ProgressError as e:
            return _fail(e)
    print(f"Progress reset. Backup saved to {backup}")
    return 0

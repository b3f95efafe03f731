"""``studyvpc progress export|import|reset|restore``: the learner's own data.

Why it is built this way: the handlers are thin. Every problem with the database is a
`ProgressError` whose message is printed as-is on stderr with exit status 1; nothing here ever
overwrites a database it could not open. ``reset`` and ``restore`` ask on stdin (``--yes`` for
scripts), accept exactly the ``yes`` they ask for, and always keep a backup of what they
replace, whose path they print. ``-`` names standard output (export) or standard input
(import). Heavy imports happen inside the handlers so ``studyvpc --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys

from studyvpc.ui.cli.main import add_common


def register(sub: argparse._SubParsersAction) -> None:
    pp = sub.add_parser("progress", help="export, import, reset or restore your progress",
                        description="Own your data: export progress to JSON, merge an export back "
                                    "in (never duplicating an answer), reset it or restore a "
                                    "backup (a backup of what is replaced is always kept).")
    add_common(pp)
    actions = pp.add_subparsers(dest="progress_action", metavar="ACTION")
    e = actions.add_parser("export", help="write all progress to a JSON file (- for stdout)",
                           description="Write all progress to a new JSON file, or to standard "
                                       "output with -. An existing file is replaced only with "
                                       "--force; the progress database, its backups, folders, "
                                       "devices and links never are.")
    e.add_argument("file", metavar="FILE", help="the file to write; - writes to standard output")
    e.add_argument("--force", action="store_true", help="replace FILE if it exists")
    add_common(e)
    e.set_defaults(handler=run_export)
    i = actions.add_parser("import", help="merge a JSON export into your progress (- for stdin)")
    i.add_argument("file", metavar="FILE", help="the export to read; - reads standard input")
    add_common(i)
    i.set_defaults(handler=run_import)
    r = actions.add_parser("reset", help="delete all progress (a backup copy is kept)",
                           description="Delete all progress; a backup copy is kept. On a damaged "
                                       "database, offers to set it aside (renamed, kept) and "
                                       "start afresh.")
    r.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add_common(r)
    r.set_defaults(handler=run_reset)
    s = actions.add_parser("restore", help="put a backup back (lists the backups without one)",
                           description="Replace your progress with a backup's "
                                       "(progress-backup-*.sqlite3, as reset and restore keep). "
                                       "Without BACKUP, lists the backups. What is replaced is "
                                       "backed up first.")
    s.add_argument("backup", nargs="?", metavar="BACKUP",
                   help="a backup file, or its name in the data directory")
    s.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add_common(s)
    s.set_defaults(handler=run_restore)

    def no_action(args: argparse.Namespace) -> int:
        pp.print_help(sys.stderr)
        return 2

    pp.set_defaults(handler=no_action)


def confirmed(question: str) -> bool:
    from studyvpc.ui.cli.common import confirmed as ask  # not at import: --help stays fast

    return ask(question)


def _answers(n: int) -> str:
    return f"{n} answer{'s' * (n != 1)}"


# --------------------------------------------------------------------------- export / import


def run_export(args: argparse.Namespace) -> int:
    from studyvpc.interop.progress_json import export_json, export_to_stream
    from studyvpc.progress.store import ProgressError
    from studyvpc.ui.cli.common import fail, open_store

    store = open_store(args, read_only=True)
    if store is None:
        return 1
    try:
        with store:
            # The records written, as `import` of the file counts them (an exam question left
            # unanswered is a record too), not the store's count of answers.
            written: dict[str, int] = {}
            if args.file == "-":
                written = export_to_stream(store, sys.stdout)
                where = "standard output"
            else:
                where = str(export_json(store, args.file, force=args.force, written=written))
            n = written["attempts"]
    except (ProgressError, OSError) as e:
        return fail(e)
    # On stderr when the export itself went to stdout: a pipe gets JSON only.
    print(f"Exported {_answers(n)} to {where}", file=sys.stderr if args.file == "-" else sys.stdout)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from studyvpc.interop.progress_json import import_json, import_stream
    from studyvpc.progress.scheduler import ReviewScheduler
    from studyvpc.progress.store import ProgressError
    from studyvpc.ui.cli.common import fail, open_store

    store = open_store(args)
    if store is None:
        return 1
    try:
        with store:
            scheduler = ReviewScheduler(store)
            r = (import_stream(scheduler, sys.stdin.buffer, "standard input")
                 if args.file == "-" else import_json(scheduler, args.file))
    except ProgressError as e:
        return fail(e)
    print(f"Imported {r.attempts_added} new answer{'s' * (r.attempts_added != 1)} "
          f"({r.attempts_skipped} already present), {r.sessions_added} sessions, "
          f"{r.review_logs_added} reviews; {r.cards_added} cards added, "
          f"{r.cards_updated} updated")
    return 0


# --------------------------------------------------------------------------- reset / restore


def _set_aside_damaged(args: argparse.Namespace, error: Exception) -> bool:
    """The database cannot be opened because it is damaged: offer to rename it (kept) so that
    a fresh one can start. True if it was set aside."""
    from studyvpc import locations
    from studyvpc.progress.store import ProgressError
    from studyvpc.progress.store.restore import set_aside

    print(f"studyvpc: {error}", file=sys.stderr)
    if not args.yes and not confirmed("Set the damaged file aside (renamed and kept beside it) and "
                                 "start with empty progress?"):
        print("Nothing was changed.")
        return False
    try:
        kept = set_aside(locations.data_dir(args.data_dir))
    except ProgressError as e:
        print(f"studyvpc: {e}", file=sys.stderr)
        return False
    print(f"The damaged database was kept as {kept}.")
    return True


def _open_for_change(args: argparse.Namespace):
    """(the store to reset or restore into, whether a damaged one was set aside for it): a
    damaged database is offered to be set aside first. The store is None if there is none to
    use (said on stderr)."""
    from studyvpc import locations
    from studyvpc.progress.store import CorruptDatabase, ProgressError, ProgressStore

    data_dir = locations.data_dir(args.data_dir)
    try:
        return ProgressStore.open(data_dir), False
    except CorruptDatabase as e:
        if not _set_aside_damaged(args, e):
            return None, False
    except ProgressError as e:
        print(f"studyvpc: {e}", file=sys.stderr)
        return None, False
    try:
        return ProgressStore.open(data_dir), True
    except ProgressError as e:
        print(f"studyvpc: {e}", file=sys.stderr)
        return None, True


def run_reset(args: argparse.Namespace) -> int:
    from studyvpc.progress.store import ProgressError
    from studyvpc.ui.cli.common import fail

    store, set_aside = _open_for_change(args)
    if store is None:
        return 1
    if set_aside:
        store.close()
        print("Progress starts afresh.")
        return 0
    with store:
        if not args.yes and not confirmed(f"This deletes all progress in {store.path} "
                                     f"({_answers(store.attempt_count())}); a backup copy is "
                                     "kept."):
            print("Nothing was changed.")
            return 1
        try:
            backup = store.reset()
        except ProgressError as e:
            return fail(e)
    print(f"Progress reset. Backup saved to {backup}")
    print(f"To undo: studyvpc progress restore {backup.name}")
    return 0


def _list_backups(data_dir) -> int:
    from studyvpc.content.textutil import visible_line
    from studyvpc.progress.store.restore import list_backups

    backups = list_backups(data_dir)
    if not backups:
        print(f"No backups in {visible_line(str(data_dir))}. `studyvpc progress reset` and "
              "`restore` keep one of what they replace.")
        return 0
    print(f"Backups in {visible_line(str(data_dir))} (newest first):")
    for b in backups:
        answers = "not readable" if b.answers is None else _answers(b.answers)
        print(f"  {visible_line(b.path.name)}  {b.modified.astimezone():%Y-%m-%d %H:%M}  "
              f"{answers}")
    print("Restore one with: studyvpc progress restore NAME")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    import tempfile
    from pathlib import Path

    from studyvpc import locations
    from studyvpc.content.textutil import visible_line
    from studyvpc.progress.store import ProgressError
    from studyvpc.progress.store.restore import read_backup
    from studyvpc.ui.cli.common import fail

    data_dir = locations.data_dir(args.data_dir)
    if not args.backup:
        return _list_backups(data_dir)
    source = Path(args.backup).expanduser()
    if not source.exists() and (data_dir / source.name).exists() and source.name == args.backup:
        source = data_dir / source.name  # a bare name, as the listing shows them
    # Checked before asking, and before any damaged database is set aside.
    with tempfile.TemporaryDirectory(prefix="studyvpc-restore-") as tmp:
        try:
            read_backup(source, Path(tmp) / "probe.sqlite3")
        except ProgressError as e:
            return fail(e)
    store, _ = _open_for_change(args)
    if store is None:
        return 1
    with store:
        shown = visible_line(str(source))
        if not args.yes and not confirmed(f"This replaces all progress in {store.path} "
                                     f"({_answers(store.attempt_count())}) with {shown}; a "
                                     "backup of the current progress is kept first."):
            print("Nothing was changed.")
            return 1
        try:
            kept = store.restore(source)
            n = store.attempt_count()
        except ProgressError as e:
            return fail(e)
    print(f"Restored {_answers(n)} from {shown}. The progress it replaced was backed up to "
          f"{kept}")
    return 0

"""``studyvpc export anki|csv``: the questions, for Anki and for spreadsheets.

Not ``studyvpc progress export``, which writes your *answers and schedule* as JSON for studyvpc
to import again. This command exports the *questions*: an Anki package (one note per question,
every option's why on the back, optionally each card's FSRS schedule) or a CSV file.

Everything that can be checked is checked before anything is written (the target, the
filters, the content), each problem is one line on stderr with exit status 1, and the file is
written whole or not at all (`studyvpc.interop.target`). Heavy imports (genanki, the loader,
the store) happen inside the handlers so ``studyvpc --help`` stays fast.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from studyvpc.ui.cli.main import add_common

if TYPE_CHECKING:  # pragma: no cover
    from studyvpc.content.library import Library
    from studyvpc.content.model import Question
    from studyvpc.interop.anki_schedule import ProgressForAnki

DECK_DEFAULT_SHOWN = "studyvpc"
"""`studyvpc.interop.anki.DEFAULT_DECK`, for --help without importing genanki."""


def _filters(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tag", action="append", default=[], metavar="TAG",
                   help="only questions with this tag or a tag below it (repeatable; "
                        "filters add up)")
    p.add_argument("--note", action="append", default=[], metavar="NOTE",
                   help="only the questions of this note, by id or alias (repeatable)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="export the questions to Anki or CSV (your answers: `progress export`)",
        description="Export the questions (not your answers: that is `studyvpc progress "
                    "export`) as an Anki package or a CSV file.")
    add_common(p)
    formats = p.add_subparsers(dest="export_format", metavar="FORMAT")
    a = formats.add_parser(
        "anki", help="an Anki package (.apkg): one note per question",
        description="Write an Anki package: one note per question, the options on the front; "
                    "on the back each option marked correct or not with its why, the "
                    "explanation, the references and the source note. Importing a newer "
                    "export updates the notes instead of adding copies.")
    a.add_argument("file", metavar="FILE.apkg")
    a.add_argument("--deck", metavar="NAME",
                   help=f"the deck's name (default {DECK_DEFAULT_SHOWN}; 'A::B' for a subdeck)")
    a.add_argument("--subdecks", action="store_true",
                   help="one subdeck per source note, named by its title")
    a.add_argument("--with-progress", action="store_true",
                   help="carry each answered question's FSRS schedule (due, interval, "
                        "stability, difficulty, reviews, lapses) so Anki continues it")
    _filters(a)
    add_common(a)
    a.set_defaults(handler=run_anki)
    c = formats.add_parser(
        "csv", help="a CSV file (UTF-8, header row): one row per question",
        description="Write one row per question with the same fields as the Anki note, as "
                    "written in the notes (Markdown), RFC 4180 CSV in UTF-8 with a header row.")
    c.add_argument("file", metavar="FILE", help="where to write; - for standard output")
    _filters(c)
    add_common(c)
    c.set_defaults(handler=run_csv)

    def no_format(args: argparse.Namespace) -> int:
        p.print_help(sys.stderr)
        return 2

    p.set_defaults(handler=no_format)


def _shown(text: object) -> str:
    """For one line of output: a path, a deck or a message naming what the learner typed."""
    from studyvpc.content.textutil import visible_line

    return visible_line(str(text))


def _fail(message: object) -> int:
    print(f"studyvpc: {_shown(message)}", file=sys.stderr)
    return 1


def _selected(args: argparse.Namespace) -> tuple[Library, list[Question]] | str:
    """The library and the questions the filters select, or the problem to report."""
    from studyvpc.interop.selection import SelectionError, select_questions
    from studyvpc.ui.cli.common import usable_content

    result = usable_content(args)
    if result is None:
        return "nothing was exported"
    try:
        return result.library, select_questions(result.library, args.tag, args.note)
    except SelectionError as e:
        return str(e)


def _deck_name(raw: str | None) -> str | None:
    from studyvpc.interop.anki import DEFAULT_DECK

    if raw is None:
        return DEFAULT_DECK
    levels = [" ".join(level.split()) for level in raw.split("::")]
    return "::".join(levels) if all(levels) else None


def run_anki(args: argparse.Namespace) -> int:
    from studyvpc.interop.anki import export_anki
    from studyvpc.interop.target import TargetError, check_target

    if args.file == "-":
        return _fail("an Anki package is a binary file; give a file name ending in .apkg")
    deck = _deck_name(args.deck)
    if deck is None:
        return _fail(f"deck name {args.deck!r} has an empty level; give a name such as "
                     "'AWS' or 'AWS::VPC'")
    try:
        path = check_target(args.file, force=args.force, example="studyvpc.apkg")
    except TargetError as e:
        return _fail(e)
    selected = _selected(args)
    if isinstance(selected, str):
        return _fail(selected)
    library, questions = selected
    progress = None
    if args.with_progress:
        progress = _read_progress(args, [q.id for q in questions])
        if progress is None:
            return 1
    try:
        done = export_anki(questions, library, path, deck=deck, subdecks=args.subdecks,
                           progress=progress.cards if progress else None)
    except TargetError as e:
        return _fail(e)
    for qid in done.skipped:
        print(f"studyvpc: {qid} left out: it has options beyond F, and the Anki note type has "
              "fields for A to F", file=sys.stderr)
    decks = (f"deck {_shown(done.decks[0])}" if len(done.decks) == 1
             else f"{len(done.decks)} decks")
    carried = (f"; {done.with_progress} carry their review schedule" if args.with_progress
               else "")
    print(f"Exported {done.notes} question{'s' * (done.notes != 1)} to {_shown(path)} ({decks}"
          f"{carried}). In Anki: File > Import."
          + (" Keep 'Import any learning progress' ticked, and turn FSRS on in the deck "
             "options." if args.with_progress else ""))
    if path.suffix.lower() != ".apkg":
        print(f"studyvpc: note: {_shown(path.name)} does not end in .apkg; Anki may not offer to "
              "import it until it does", file=sys.stderr)
    return 0


def _read_progress(args: argparse.Namespace, question_ids: list[str]) -> ProgressForAnki | None:
    """The FSRS state of the exported questions, or None after saying why it cannot be read.

    Only reads: no database is created where there is none, and a full or read-only disk is
    read as it is (`open_store` with ``read_only``).
    """
    from studyvpc import locations
    from studyvpc.interop.anki_schedule import ProgressForAnki, progress_for_anki
    from studyvpc.progress.store import DB_NAME, ProgressError
    from studyvpc.ui.cli.common import open_store

    data = locations.data_dir(args.data_dir)
    if not (data / DB_NAME).exists():
        print(f"studyvpc: no progress recorded in {_shown(data)} yet; every card is "
              "exported as new", file=sys.stderr)
        return ProgressForAnki({})
    store = open_store(args, read_only=True)  # says why on stderr when it cannot
    if store is None:
        _fail("nothing was exported (leave out --with-progress to export the questions alone)")
        return None
    try:
        with store:
            progress = progress_for_anki(store, question_ids)
    except ProgressError as e:
        _fail(f"{e}; nothing was exported (leave out --with-progress to export the questions "
              "alone)")
        return None
    for qid in progress.unreadable:
        print(f"studyvpc: the review schedule of {qid} could not be read; it is exported as "
              "a new card", file=sys.stderr)
    return progress


def run_csv(args: argparse.Namespace) -> int:
    from studyvpc.interop.csv_export import write_csv
    from studyvpc.interop.target import TargetError, check_target, write_atomically

    to_stdout = args.file == "-"
    path = None
    if not to_stdout:
        try:
            path = check_target(args.file, force=args.force, example="studyvpc.csv")
        except TargetError as e:
            return _fail(e)
    selected = _selected(args)
    if isinstance(selected, str):
        return _fail(selected)
    library, questions = selected
    if path is None:
        terminal = sys.stdout.isatty()
        _write_stdout(lambda out: write_csv(questions, library, out, for_terminal=terminal))
        return 0
    try:
        with write_atomically(path, "w", encoding="utf-8", newline="") as out:
            n = write_csv(questions, library, out)
    except TargetError as e:
        return _fail(e)
    print(f"Exported {n} question{'s' * (n != 1)} to {_shown(path)}")
    return 0


def _write_stdout(write) -> None:
    """UTF-8 on standard output whatever the locale, the CSV's CRLFs untranslated."""
    import io

    sys.stdout.flush()
    raw = getattr(sys.stdout, "buffer", None)
    if raw is None:  # a replaced stdout without bytes underneath: write text as it takes it
        write(sys.stdout)
        return
    out = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
    try:
        write(out)
        out.flush()
    finally:
        out.detach()

"""``studyvpc export anki``: questions as an Anki package (.apkg) written with genanki.

Why it is built this way:

- **genanki (MIT) writes the package**; the ``anki`` package (AGPL) is used only by the tests,
  which import every export into a real collection. The note type and field values are
  `studyvpc.interop.anki_model`'s; carrying FSRS progress is `studyvpc.interop.anki_schedule`'s.
- **Re-import updates.** Each note's GUID is ``genanki.guid_for(question id)``; the note type's
  and every deck's id derive from their names. Importing a newer export over an older one
  updates the same notes (Anki compares modification times), and never adds copies.
- **Decks**: one per export (``--deck``, default `DEFAULT_DECK`), or with ``subdecks`` one
  below it per source note, named by the note's title.
- **Cards with progress** are written by `_ScheduledCard`, genanki's card with its scheduling
  columns filled in; every other card is new, in the order of the content.
- **The file appears whole or not at all**: the package is built in a temporary folder and
  moved over the target only when complete (`studyvpc.interop.target.write_atomically`);
  genanki's own ``write_to_file`` is not used because it leaves its temporary database behind.
"""

from __future__ import annotations

import itertools
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import genanki

from studyvpc.content.library import Library
from studyvpc.content.model import Question
from studyvpc.interop.anki_model import anki_tag, model, note_fields, stable_id, too_many_options
from studyvpc.interop.anki_schedule import CardProgress
from studyvpc.interop.target import write_atomically

DEFAULT_DECK = "studyvpc"


@dataclass(frozen=True, slots=True)
class AnkiExport:
    """What an export wrote."""

    path: Path
    notes: int
    decks: tuple[str, ...]
    with_progress: int = 0
    skipped: tuple[str, ...] = field(default=())
    """Question ids left out: options beyond the note type's letters."""


def deck_name(base: str, note_title: str | None) -> str:
    """The deck of a question: ``base``, or ``base::title`` with subdecks (a ``::`` inside the
    title, which Anki would read as one more level, becomes ``:``)."""
    if note_title is None:
        return base
    title = " ".join(note_title.replace("::", ":").split()) or "untitled"
    return f"{base}::{title}"


def build_package(questions: Sequence[Question], library: Library, *, deck: str = DEFAULT_DECK,
                  subdecks: bool = False, progress: dict[str, CardProgress] | None = None,
                  now: datetime | None = None) -> tuple[genanki.Package, AnkiExport]:
    """The package for ``questions`` (in this order) and a summary (its path not yet set)."""
    now = now or datetime.now(timezone.utc)
    progress = progress or {}
    note_type = model()
    decks: dict[str, genanki.Deck] = {}
    skipped, carried, position = [], 0, 0
    for question in questions:
        if too_many_options(question):
            skipped.append(question.id)
            continue
        source = library.note_of(question)
        name = deck_name(deck, source.title if subdecks and source else None)
        if name not in decks:
            decks[name] = genanki.Deck(stable_id(f"deck:{name}"), name)
        position += 1
        schedule = progress.get(question.id)
        carried += schedule is not None
        decks[name].add_note(_Note(
            model=note_type, fields=note_fields(question, source),
            tags=list(dict.fromkeys(anki_tag(t) for t in question.tags if anki_tag(t))),
            guid=genanki.guid_for(question.id), due=position, progress=schedule, now=now))
    summary = AnkiExport(Path(), position, tuple(decks), carried, tuple(skipped))
    return genanki.Package(list(decks.values())), summary


def export_anki(questions: Sequence[Question], library: Library, path: Path | str, *,
                deck: str = DEFAULT_DECK, subdecks: bool = False,
                progress: dict[str, CardProgress] | None = None, now: datetime | None = None,
                timestamp: float | None = None) -> AnkiExport:
    """Write ``questions`` to the package ``path`` (replacing it); `OSError` if it cannot.

    ``timestamp``: the notes' modification time (default: now); Anki updates a note on import
    only when the incoming one is newer.
    """
    package, summary = build_package(questions, library, deck=deck, subdecks=subdecks,
                                     progress=progress, now=now)
    stamp = time.time() if timestamp is None else timestamp
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="studyvpc-anki-") as tmp:
        db = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(db)
        try:
            package.write_to_db(conn.cursor(), stamp, itertools.count(int(stamp * 1000)))
            conn.commit()
        finally:
            conn.close()
        with write_atomically(path, "wb") as out:
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
                zf.write(db, "collection.anki2")
                zf.writestr("media", "{}")
    return AnkiExport(path, summary.notes, summary.decks, summary.with_progress, summary.skipped)


class _Note(genanki.Note):
    """A note whose one card carries its progress (or is new)."""

    def __init__(self, *, progress: CardProgress | None, now: datetime, **kwargs) -> None:
        super().__init__(**kwargs)
        self._progress = progress
        self._now = now

    @property
    def cards(self) -> list[genanki.Card]:  # the note type has one template
        return [_ScheduledCard(0, self._progress, self._now)]


class _ScheduledCard(genanki.Card):
    def __init__(self, ord: int, progress: CardProgress | None, now: datetime) -> None:
        super().__init__(ord)
        self._progress = progress
        self._now = now

    def write_to_db(self, cursor, timestamp: float, deck_id, note_id, id_gen, due=0):
        if self._progress is None:
            return super().write_to_db(cursor, timestamp, deck_id, note_id, id_gen, due)
        (created,) = cursor.execute("SELECT crt FROM col").fetchone()
        c = self._progress.columns(now=self._now, created=int(created))
        cursor.execute(
            "INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (next(id_gen), note_id, deck_id, self.ord, int(timestamp), -1, c["type"], c["queue"],
             c["due"], c["ivl"], c["factor"], c["reps"], c["lapses"], c["left"], 0, 0, 0,
             c["data"]))

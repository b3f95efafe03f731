"""The progress store: every answer, session and FSRS card state, in one SQLite file.

`ProgressStore` is assembled from one class per concern, each in its own module with the
reasons it is built the way it is:

- `studyvpc.progress.store.connection`: opening without ever damaging a file, WAL and
  ``synchronous=FULL``, ``BEGIN IMMEDIATE`` writes, SQLite errors as `ProgressError`;
- `studyvpc.progress.store.schema`: the tables, their migrations and how timestamps are stored;
- `studyvpc.progress.store.records`: the rows as frozen dataclasses and the scheduler's callbacks;
- `studyvpc.progress.store.attempts`: sessions and answers (one committed transaction per answer);
- `studyvpc.progress.store.cards`: FSRS cards, review logs and what is due (no ``fsrs`` import);
- `studyvpc.progress.store.transfer`: every row for an export, merging an import, backup and reset
  (the JSON file format is `studyvpc.interop.progress_json`'s);
- `studyvpc.progress.store.restore`: a backup put back in one transaction, a damaged file set aside.

Why mixins over one shared connection rather than functions taking a connection: callers (the
scheduler, statistics, the CLI, tests) use one object with methods (``store.record_attempt(…)``,
``store.cards()``); with free functions `ProgressStore` would have to repeat every signature
just to forward it. Each part subclasses `StoreConnection`, uses only its transaction helpers, and
calls another part only through module-level functions that take the open transaction's
connection (`studyvpc.progress.store.cards.read_card`, `apply_review`), so the parts do not depend on
each other's methods.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from studyvpc.progress.store.attempts import AttemptStore
from studyvpc.progress.store.cards import CardStore
from studyvpc.progress.store.errors import ProgressError
from studyvpc.progress.store.restore import RestoreStore


class ProgressStore(AttemptStore, CardStore, RestoreStore):
    """Progress in SQLite. Open with `open` (a data directory) or `in_memory` (nothing saved)."""


def open_or_memory(data_dir: Path | str, *, notice: Callable[[str], None] | None = None
                   ) -> tuple[ProgressStore, ProgressError | None]:
    """For the app: the real store, or an in-memory one plus the error to show the learner.
    ``notice``: as for `ProgressStore.open`.

    Any `ProgressError` (unwritable directory, damaged or newer database) falls back to memory;
    the damaged or newer file is not touched.
    """
    try:
        return ProgressStore.open(data_dir, notice=notice), None
    except ProgressError as e:
        return ProgressStore.in_memory(), e

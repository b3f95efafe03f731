"""Opening the progress database safely, and the transactions every other part of the store uses.

Why it is built this way:

- **Opening never damages anything.** Before any write (journal mode, migration) the store reads
  the schema version and, unless the file is exactly as a clean close left it and was checked
  within the day (`studyvpc.progress.store.seal` says why that is enough), runs
  ``PRAGMA quick_check``, which reads every page. A file that is not a database, is
  inconsistent, or comes from a newer schema raises a `ProgressError` and is left byte-for-byte
  untouched; it is never recreated silently. Any damage SQLite reports later breaks the seal,
  so the next open checks again.
- **WAL + ``synchronous=FULL``.** WAL lets a reader (stats screen, a second terminal) run while
  another process writes, and a killed writer leaves the main file consistent; the next opener
  replays or discards the WAL tail. With WAL, ``synchronous=NORMAL`` already survives process
  crashes, but a commit can still be lost on power failure or an OS crash because the WAL is not
  fsynced at every commit. Answers arrive a few seconds apart, so one fsync per answer costs
  nothing noticeable and buys durability against power loss too: we use FULL.
- **``BEGIN IMMEDIATE`` for every write** (`StoreConnection._write`) takes the write lock up
  front, so concurrent writers queue on the busy timeout (5 s) instead of failing with "database
  is locked" when a deferred read transaction tries to upgrade.
- **SQLite errors become `ProgressError`s here** (`translate`), at the one place they can arise,
  so callers catch one exception family whose messages can be shown as they are.
- The connection is shared by threads behind a lock (Textual workers may call in from threads).

`StoreConnection` is the base class of `ProgressStore`; the other parts of the store are mixins
that use only its ``_write``, ``fetchall`` and ``snapshot``.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from datetime import datetime
from typing import Any, Self
from urllib.parse import quote

from studyvpc.progress.store import schema, seal
from studyvpc.progress.store.errors import (
    CorruptDatabase,
    NewerSchemaVersion,
    ProgressError,
    StoreUnavailable,
)

DB_NAME = "progress.sqlite3"
BUSY_TIMEOUT_S = 5.0

_CORRUPT_MARKERS = ("not a database", "malformed", "corrupt")
NOTICE_BYTES = 64 * 1024**2
"""A database this large takes seconds to check page by page or to upgrade: `open` says so
first (``notice``), so the learner does not take the wait for a hang."""
CHECKING = "Checking your progress database (once a day)…"
UPGRADING = "Upgrading your progress database (one time)…"
LOW_SPACE_BYTES = 256 * 1024
"""Free space below this on the data directory's disk counts as a full disk."""


def disk_problem(error: sqlite3.Error | OSError, folder: Path | None) -> str | None:
    """Why the disk, not the database, failed (full, read-only, I/O), in words; None if the
    error is not about the disk. A full disk often shows up as a bare "disk I/O error"."""
    lowered = str(error).lower()
    if "full" in lowered or (folder is not None and _free_bytes(folder) < LOW_SPACE_BYTES
                             and ("i/o" in lowered or "unable to open" in lowered)):
        return "the disk is full; free some space (your progress file is intact)"
    if "readonly" in lowered or "read-only" in lowered:
        return "the disk is read-only"
    if "i/o" in lowered:
        return ("the disk could not be read or written (disk I/O error); your progress file "
                "was not changed")
    return None


def _free_bytes(folder: Path) -> int:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return LOW_SPACE_BYTES  # unknown: do not guess "full"


def translate(error: sqlite3.Error, where: Path | None) -> ProgressError:
    """The `ProgressError` to raise for an SQLite error on the database at ``where``: damage
    only when SQLite says the file is damaged, never for a full or read-only disk."""
    text = str(error)
    lowered = text.lower()
    disk = disk_problem(error, where.parent if where else None)
    if disk is not None:
        return StoreUnavailable(where.parent if where else ":memory:", disk)
    if isinstance(error, sqlite3.DatabaseError) and any(m in lowered for m in _CORRUPT_MARKERS):
        return CorruptDatabase(where or ":memory:", text)
    if "locked" in lowered or "busy" in lowered:
        return ProgressError(
            f"The progress database {where} stayed busy for {BUSY_TIMEOUT_S:g} s (another "
            f"studyvpc is writing to it); this change was not saved ({text})."
        )
    return StoreUnavailable(where.parent if where else ":memory:", text)


class StoreConnection:
    """The SQLite connection of a store: opening, closing, transactions and checks."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self._conn = conn
        self.path = path
        self._lock = threading.RLock()
        self._has_json: bool | None = None
        """Whether SQLite has its JSON functions (`card_memory`); found out when first asked."""
        self._checked: datetime | None = None
        """When the file was last checked page by page; None: not to be sealed on close
        (in memory, read-only, or damage seen)."""

    # -- opening

    @classmethod
    def open(cls, data_dir: Path | str, *,
             notice: Callable[[str], None] | None = None) -> Self:
        """Open (creating if needed) ``progress.sqlite3`` in ``data_dir`` and migrate it.
        ``notice`` is told (`CHECKING`, `UPGRADING`) before a step that takes seconds on a
        large database (`NOTICE_BYTES`).

        Raises `StoreUnavailable` (directory cannot be created or written), `CorruptDatabase`
        and `NewerSchemaVersion` (file left untouched).
        """
        data_dir = Path(data_dir)
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreUnavailable(data_dir, e.strerror or str(e)) from e
        if not data_dir.is_dir():
            raise StoreUnavailable(data_dir, "it is not a directory")
        if not os.access(data_dir, os.W_OK | os.X_OK):
            raise StoreUnavailable(data_dir, "the directory is not writable")
        path = data_dir / DB_NAME
        if path.exists():
            if not path.is_file():
                raise StoreUnavailable(data_dir, f"{path.name} is not a regular file")
            if not os.access(path, os.R_OK | os.W_OK):
                raise StoreUnavailable(data_dir, f"{path.name} is not readable and writable")
        # Before connecting: reading a WAL database creates its -wal file.
        checked = seal.last_check_if_sealed(path)
        large = notice is not None and path.is_file() and path.stat().st_size >= NOTICE_BYTES
        try:
            conn = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as e:
            raise StoreUnavailable(data_dir, str(e)) from e
        try:
            if large and checked is None:
                notice(CHECKING)
            if cls._check_before_writing(conn, path, whole=checked is None):
                checked = schema.utc_now()
            cls._configure(conn, path)
            if large and 0 < schema.read_version(conn) < schema.current_version():
                notice(UPGRADING)
            schema.migrate(conn)
        except ProgressError as e:
            conn.close()
            if isinstance(e, CorruptDatabase):
                seal.break_seal(path)
            raise
        except sqlite3.Error as e:
            conn.close()
            raise translate(e, path) from e
        store = cls(conn, path)
        store._checked = checked
        return store

    @classmethod
    def open_readonly(cls, data_dir: Path | str) -> Self:
        """Open an existing database for reading only (statistics, export), when the disk is
        full or read-only; never writes, creates or migrates anything."""
        data_dir = Path(data_dir)
        path = data_dir / DB_NAME
        if not path.is_file():
            raise StoreUnavailable(data_dir, f"there is no {DB_NAME} to read")
        uri = f"file:{quote(str(path.resolve()))}?mode=ro"
        last: sqlite3.Error | None = None
        # On a read-only or full disk SQLite may not create the WAL index beside the file:
        # then read it as immutable (nobody can be writing to it on such a disk anyway).
        for suffix in ("", "&immutable=1"):
            try:
                conn = sqlite3.connect(uri + suffix, uri=True, isolation_level=None,
                                       check_same_thread=False)
            except sqlite3.Error as e:
                last = e
                continue
            try:
                version = schema.read_version(conn)
            except sqlite3.Error as e:
                conn.close()
                last = e
                continue
            if version != schema.current_version():
                conn.close()
                raise StoreUnavailable(data_dir, f"{DB_NAME} is version {version}; this "
                                       f"studyvpc reads version {schema.current_version()}")
            return cls(conn, path)
        assert last is not None
        raise translate(last, path) from last

    @classmethod
    def in_memory(cls) -> Self:
        """A working store that keeps nothing after the process ends (run "without saving")."""
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        schema.migrate(conn)
        return cls(conn, None)

    @staticmethod
    def _check_before_writing(conn: sqlite3.Connection, path: Path, *, whole: bool = True) -> bool:
        """Read-only checks: a bad file raises here, before anything could be written to it.
        ``whole``: read every page (``PRAGMA quick_check``); returns whether it did."""
        try:
            version = schema.read_version(conn)
        except sqlite3.DatabaseError as e:
            if "locked" in str(e).lower():
                raise
            raise translate(e, path) from e
        if version > schema.current_version():
            raise NewerSchemaVersion(path, version, schema.current_version())
        if not whole:
            return False
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as e:
            if "locked" in str(e).lower():
                raise
            raise translate(e, path) from e
        problems = [r[0] for r in rows if r[0] != "ok"]
        if problems:
            detail = problems[0] if len(problems) == 1 else f"{problems[0]} (+{len(problems) - 1} more)"
            raise CorruptDatabase(path, f"integrity check failed: {detail}")
        return True

    @staticmethod
    def _configure(conn: sqlite3.Connection, path: Path) -> None:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        # Persistent in the file; a no-op after the first open. Some file systems (network
        # shares) cannot do WAL; SQLite then keeps the rollback journal, which is still safe.
        # Switching a new file to WAL needs it to itself, and SQLite answers "database is
        # locked" at once (the busy timeout does not apply) while a second process is opening
        # the same new file, e.g. two terminals started together on first use: retry, within
        # the same time the busy timeout gives any other write.
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL").fetchone()
                break
            except sqlite3.OperationalError as e:
                if "locked" not in str(e).lower() or time.monotonic() >= deadline:
                    raise
                time.sleep(0.005)
        conn.execute("PRAGMA synchronous = FULL")

    @property
    def persistent(self) -> bool:
        return self.path is not None

    def close(self) -> None:
        with self._lock:
            self._conn.close()
            if self.path is not None and self._checked is not None:
                seal.write_seal(self.path, self._checked)
                self._checked = None

    def _failed(self, error: sqlite3.Error) -> ProgressError:
        """`translate`, and a damaged file is never sealed: the next open checks it."""
        problem = translate(error, self.path)
        if isinstance(problem, CorruptDatabase) and self.path is not None:
            self._checked = None
            seal.break_seal(self.path)
        return problem

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ProgressStore({str(self.path) if self.path else ':memory:'})"

    # -- low level

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` … ``COMMIT``; the commit has happened when the block exits."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise self._failed(e) from e
            try:
                yield self._conn
            except BaseException as exc:
                try:
                    self._conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                if isinstance(exc, sqlite3.Error):
                    raise self._failed(exc) from exc
                raise
            try:
                self._conn.execute("COMMIT")
            except sqlite3.Error as e:
                try:
                    self._conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                raise self._failed(e) from e

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Read helper for this package (statistics, drills)."""
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as e:
                raise self._failed(e) from e

    def _fetch_ordered(self, select: str, question_id: str | None, order: str) -> list[tuple]:
        """``select`` (no WHERE), only ``question_id``'s rows if given, ``ORDER BY order``."""
        params: tuple = ()
        if question_id is not None:
            select += " WHERE question_id = ?"
            params = (question_id,)
        return self.fetchall(f"{select} ORDER BY {order}", params)

    @contextmanager
    def snapshot(self) -> Iterator[Callable[[str, Sequence[Any]], list[tuple]]]:
        """Several reads that see one consistent state (a read transaction)."""
        with self._lock:
            try:
                self._conn.execute("BEGIN")
                try:
                    yield lambda sql, params=(): self._conn.execute(sql, params).fetchall()
                finally:
                    self._conn.execute("COMMIT")
            except sqlite3.Error as e:
                raise self._failed(e) from e

    def _json_functions(self) -> bool:
        if self._has_json is None:
            with self._lock:
                try:
                    self._conn.execute("SELECT json_valid('{}'), json_type('{}'),"
                                       " json_extract('{}', '$.a')").fetchall()
                    self._has_json = True
                except sqlite3.Error:
                    self._has_json = False
        return self._has_json

    # -- checks

    def integrity_check(self) -> str:
        """``PRAGMA integrity_check``: "ok" or the first problem found."""
        rows = self.fetchall("PRAGMA integrity_check")
        return "ok" if [r[0] for r in rows] == ["ok"] else str(rows[0][0])

    @property
    def schema_version(self) -> int:
        return int(self.fetchall("PRAGMA user_version")[0][0])

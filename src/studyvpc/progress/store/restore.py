"""Putting a backup back (``studyvpc progress restore``) and setting a damaged database aside.

Why it is built this way:

- **Rows are replaced in one transaction; the file is never replaced.** Another studyvpc (the
  app in a second terminal) may have the database open. Copying a backup over the file, or
  renaming another file into its place, would pull the file out from under that process: its
  open connection would keep writing to the old inode (answers lost without a word) or, with
  WAL, mix its ``-wal`` and ``-shm`` files with a database they do not belong to, which is how
  SQLite files get damaged. Deleting every row and inserting the backup's in one ``BEGIN
  IMMEDIATE`` transaction is what `TransferStore.reset` already does for the same reason:
  other processes wait on the lock for a moment, then see the restored progress, and a crash
  midway leaves the progress as it was (SQLite rolls the transaction back).
- **The backup is read through SQLite's online backup API** into a private copy first, never
  copied byte by byte: the copy is consistent even if the backup is a WAL database with its
  own ``-wal`` file, and a half-written or damaged backup fails its ``quick_check`` before
  anything is changed. The copy (not the learner's backup file) is then migrated to the
  current schema, so a backup made by an older studyvpc restores too.
- **What is replaced is kept**: a backup of the current progress is written before the rows
  change (`TransferStore.backup`), and its path is returned.
- **A damaged database is renamed, never deleted** (`set_aside`), together with its ``-wal``
  and ``-shm`` files: a fresh database beside a stale WAL could replay it.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from studyvpc.progress.store import schema, seal
from studyvpc.progress.store.connection import DB_NAME
from studyvpc.progress.store.errors import ProgressError, StoreUnavailable
from studyvpc.progress.store.records import (
    ATTEMPT_COLUMNS,
    CARD_COLUMNS,
    EXAM_COLUMNS,
    LOG_COLUMNS,
    SESSION_COLUMNS,
)
from studyvpc.progress.store.schema import utc_now
from studyvpc.progress.store.transfer import TransferStore

BACKUP_GLOB = "progress-backup-*.sqlite3"
TABLES = (("sessions", SESSION_COLUMNS), ("attempts", ATTEMPT_COLUMNS),
          ("cards", CARD_COLUMNS), ("review_logs", LOG_COLUMNS), ("exams", EXAM_COLUMNS))
"""Every table of progress with its columns; deleted in reverse order, filled in this order."""


@dataclass(frozen=True, slots=True)
class BackupInfo:
    path: Path
    size: int
    modified: datetime
    answers: int | None
    """Answers in it, or None if it cannot be read as a studyvpc database."""


def list_backups(data_dir: Path | str) -> list[BackupInfo]:
    """The backups beside the progress database, newest first."""
    found = []
    for path in Path(data_dir).glob(BACKUP_GLOB):
        try:
            st = path.stat()
        except OSError:
            continue
        if not path.is_file():
            continue
        found.append(BackupInfo(path, st.st_size,
                                datetime.fromtimestamp(st.st_mtime, timezone.utc),
                                _count_answers(path)))
    return sorted(found, key=lambda b: (b.modified, b.path.name), reverse=True)


def _count_answers(path: Path) -> int | None:
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return int(conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0])
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _stamp(now: datetime | None) -> str:
    return (now or utc_now()).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def set_aside(data_dir: Path | str, *, now: datetime | None = None) -> Path:
    """Rename the progress database (and its -wal/-shm files) to
    ``progress-damaged-<UTC time>.sqlite3``, so that a fresh one can be started; returns the
    new name. Nothing is deleted."""
    folder = Path(data_dir)
    db = folder / DB_NAME
    target = folder / f"progress-damaged-{_stamp(now)}.sqlite3"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"progress-damaged-{_stamp(now)}-{n}.sqlite3"
    seal.break_seal(db)
    try:
        os.rename(db, target)
        for suffix in ("-wal", "-shm", "-journal"):
            side = folder / (DB_NAME + suffix)
            if side.exists():
                os.rename(side, folder / (target.name + suffix))
    except OSError as e:
        raise StoreUnavailable(folder, f"cannot rename {db.name}: {e.strerror or e}") from e
    return target


def read_backup(source: Path, into: Path) -> None:
    """Copy the database ``source`` into the new file ``into`` with SQLite's backup API, check
    it and migrate the copy to the current schema. ``ProgressError`` (the learner's file
    untouched) if it is not a studyvpc database this version can read."""
    def refuse(why: str) -> ProgressError:
        return ProgressError(f"{source} cannot be restored: {why}. Nothing was changed.")

    if not source.is_file():
        raise refuse("there is no such file" if not source.exists() else "it is not a file")
    try:
        src = sqlite3.connect(f"file:{quote(str(source.resolve()))}?mode=ro", uri=True)
    except sqlite3.Error as e:
        raise refuse(str(e)) from e
    try:
        dest = sqlite3.connect(into, isolation_level=None)
        try:
            src.backup(dest)
            version = schema.read_version(dest)
            problems = [r[0] for r in dest.execute("PRAGMA quick_check").fetchall()]
            if problems != ["ok"]:
                raise refuse(f"it is damaged ({problems[0]})")
            if version > schema.current_version():
                raise refuse(f"it was written by a newer studyvpc (schema version {version})")
            tables = {r[0] for r in dest.execute("SELECT name FROM sqlite_master")}
            if version < 1 or not {"sessions", "attempts", "cards"} <= tables:
                raise refuse("it is not a studyvpc progress database")
            schema.migrate(dest)
        finally:
            dest.close()
    except sqlite3.Error as e:
        raise refuse(f"it is not a readable SQLite database ({e})") from e
    finally:
        src.close()


class RestoreStore(TransferStore):
    """The restore part of `ProgressStore`."""

    def restore(self, source: Path | str, *, now: datetime | None = None) -> Path:
        """Replace all progress with that of the backup ``source`` (see the module docstring).
        Returns the path of the backup of what was replaced."""
        if self.path is None:
            raise StoreUnavailable(":memory:", "this session keeps progress in memory only")
        source = Path(source)
        copy = self.path.with_name(f".restore-{uuid.uuid4().hex[:12]}.sqlite3")
        try:
            read_backup(source, copy)
            kept = self.backup(now=now)
            with self._lock:
                try:
                    self._conn.execute("ATTACH DATABASE ? AS restored", (str(copy),))
                except sqlite3.Error as e:
                    raise StoreUnavailable(self.path.parent, f"cannot read the copy: {e}") from e
                try:
                    with self._write() as c:
                        for table, _ in reversed(TABLES):
                            c.execute(f"DELETE FROM main.{table}")
                        for table, columns in TABLES:
                            c.execute(f"INSERT INTO main.{table} ({columns})"
                                      f" SELECT {columns} FROM restored.{table}")
                finally:
                    self._conn.execute("DETACH DATABASE restored")
        finally:
            for leftover in [copy, *(copy.with_name(copy.name + s) for s in ("-journal", "-wal", "-shm"))]:
                if leftover.exists():
                    leftover.unlink()
        return kept

"""When opening the progress database must check every page first, and when it need not.

``PRAGMA quick_check`` reads every page of the database: a second or more for two years of
answers, on every start. It is there to refuse a damaged file before anything is written to
it. A file can only have been damaged since it was last found whole if something happened to
it: a process was killed or the power failed while it was being written, another program wrote
to it (a sync tool, a copy, a bad disk driver), or the disk decayed.

So the store keeps a *seal* beside the database (``progress.sqlite3.checked``), written when a
store that saw no damage closes cleanly: the identity of the database file and of its WAL as
that close left them (device, inode, size, modification time in ns) and when the file was last
checked page by page. Opening checks every page unless the seal matches the files exactly and
that check was less than `CHECK_EVERY` ago. Therefore:

- after a kill, a crash or a power cut, the files differ from the seal (the WAL exists or has
  grown, the file was checkpointed), or there is no seal: checked before any write;
- a file changed by anything but a studyvpc that then closed cleanly: checked (its size or
  modification time moved, or it is another file: a copy, a restore from elsewhere);
- a file that changed without its modification time moving (the disk decaying under it):
  checked at the first start of each day, and SQLite itself refuses to write through a page it
  finds damaged;
- another studyvpc still running (two terminals): its writes move the WAL, so a seal written by
  the one that closed first no longer matches if the other is killed.

A seal that cannot be read, or written (a full or read-only disk), just means the next open
checks: the seal can only skip a check, never cause a write.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

from studyvpc.progress.store.schema import iso_utc, parse_utc, utc_now

CHECK_EVERY = timedelta(days=1)
"""Even a sealed file is checked page by page this often."""
SEAL_SUFFIX = ".checked"


def seal_path(db: Path) -> Path:
    return db.with_name(db.name + SEAL_SUFFIX)


def _identity(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def files_now(db: Path) -> dict[str, list[int] | None]:
    """The identity of the database and of its WAL, as they are now."""
    return {"db": _identity(db), "wal": _identity(db.with_name(db.name + "-wal"))}


def last_check_if_sealed(db: Path, now: datetime | None = None) -> datetime | None:
    """When the database was last checked page by page, if its seal matches the files as they
    are now and that check is recent enough to trust; None: check it before writing."""
    now = now or utc_now()
    try:
        seal = json.loads(seal_path(db).read_text(encoding="utf-8"))
        checked = parse_utc(seal["checked"])
        files = seal["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if files != files_now(db) or files["db"] is None:
        return None
    if not now - CHECK_EVERY < checked <= now + timedelta(minutes=5):  # a clock set back too
        return None
    return checked


def write_seal(db: Path, checked: datetime) -> None:
    """Seal the database as it is now (call after its connection is closed); ``checked``: when
    it was last checked page by page. Failing to write it only means the next open checks."""
    target = seal_path(db)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps({"checked": iso_utc(checked), "files": files_now(db)}),
                       encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        try:
            tmp.unlink()
        except OSError:
            pass


def break_seal(db: Path) -> None:
    """Remove the seal (damage was seen): the next open checks every page."""
    try:
        seal_path(db).unlink()
    except OSError:
        pass

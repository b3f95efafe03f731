"""Progress as a JSON file the learner owns: ``studyvpc progress export`` and ``import``.

The format is ``{"format": "studyvpc-progress", "version": 1, "sessions": [...],
"attempts": [...], "cards": [...], "review_logs": [...], "exams": [...]}``, one record per
line. Each record is checked and normalized (timestamps to the stored UTC form) by
`studyvpc.interop.progress_rows`.

Why it is built this way:

- **Streamed both ways.** Two years of answers are millions of records; held whole as Python
  objects they take gigabytes. An export reads the store in batches
  (`TransferStore.export_reader`) and writes each batch as it comes; an import reads the file
  a chunk at a time (`studyvpc.interop.json_stream`), checks the records as they come (a run
  of lines at a time, `studyvpc.interop.progress_batches`) and merges the rows in batches
  (`TransferStore.merging`). Memory stays the same whatever the file's size.
- **Nothing changes unless all of it is good.** The merge is one transaction: a malformed
  record, even the last, raises `ImportFormatError` saying where, and the transaction is rolled
  back. Cards reviewed on both sides are then rebuilt from the merged review logs
  (`ReviewScheduler.replay`).
- **Bounded input.** At most `MAX_IMPORT_BYTES` are read (``/dev/zero`` or an endless pipe
  is refused), no single value may exceed `MAX_VALUE_CHARS`, and standard input is copied to
  a temporary file first, so the database is not locked while a slow pipe trickles in.
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from studyvpc.interop.json_stream import (
    ELEMENTS,
    MEMBER,
    START,
    Oversized,
    StreamError,
    object_members,
)
from studyvpc.interop.progress_batches import check_run
from studyvpc.interop.progress_rows import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    ROWS,
    check_header,
    RECORD_SEPARATOR,
    check_record,
    export_lines,
    export_record,
)
from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.store import schema
from studyvpc.progress.store.errors import ImportFormatError, ProgressError
from studyvpc.progress.store.schema import iso_utc, utc_now
from studyvpc.progress.store.store import ProgressStore
from studyvpc.progress.store.transfer import ImportResult, ProgressRows

MAX_IMPORT_BYTES = 4 * 1024**3
"""The largest export ``import`` reads (4 GiB: several million answers with their reviews);
a larger stream, or one that never ends (``/dev/zero``), is refused."""
MAX_VALUE_CHARS = 1024**2
"""The largest single record (or other value) of an export: nothing studyvpc writes is near."""
IMPORT_BATCH = 2_000
"""Checked rows handed to the merge at a time."""
_TABLES = frozenset(ROWS)


# --------------------------------------------------------------------------- export


def export_dict(store: ProgressStore, *, now: datetime | None = None) -> dict[str, Any]:
    """Everything in ``store``, as the export's JSON object, whole (for small stores; files
    are written by `write_export`, a batch at a time)."""
    rows = store.export_rows()
    return {**_header(now), **{table: [export_record(table, r) for r in getattr(rows, table)]
                               for table in ROWS}}


def _header(now: datetime | None) -> dict[str, Any]:
    return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION,
            "exported_at": iso_utc(now or utc_now()),
            "schema_version": schema.current_version()}


def write_export(store: ProgressStore, write: Callable[[bytes], Any], *,
                 now: datetime | None = None) -> dict[str, int]:
    """Write everything in ``store`` as an export (UTF-8), through ``write``, a batch of rows
    at a time (all read in one snapshot); each batch's records are encoded at once
    (`export_lines`). Returns the records written, per table: what ``import`` of the file
    will count."""
    written = dict.fromkeys(ROWS, 0)
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    head = "{\n" + "".join(f" {dumps(k)}: {dumps(v)},\n" for k, v in _header(now).items())
    write(head.encode())
    with store.export_reader() as batches:
        for n, table in enumerate(ROWS):
            write(f" {dumps(table)}: [".encode())
            sep = b"\n  "
            for batch in batches(table):
                write(sep + export_lines(table, batch))
                written[table] += len(batch)
                sep = RECORD_SEPARATOR.encode()
            write((b"\n ]" if sep != b"\n  " else b"]") + (b",\n" if n < len(ROWS) - 1 else b"\n"))
    write(b"}\n")
    return written


def export_json(store: ProgressStore, path: Path | str, *, now: datetime | None = None,
                force: bool = False, written: dict[str, int] | None = None) -> Path:
    """Write everything to ``path`` (atomically: a temporary file, then a rename); the records
    written per table are put in ``written`` when it is given.

    Never written over: the progress database, its backups and its journal files, anything
    that is not a regular file (a folder, a device, a link), and, without ``force``, an
    existing file.
    """
    path = Path(path)
    check_export_target(path, store, force=force)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as f:
            counts = write_export(store, f.write, now=now)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        if written is not None:
            written.update(counts)
    except OSError as e:  # said about the file asked for, not the temporary one
        raise ProgressError(f"Cannot write the export to {path}: "
                            f"{e.strerror or e}") from e
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def export_to_stream(store: ProgressStore, stream: TextIO, *,
                     now: datetime | None = None) -> dict[str, int]:
    """Write everything to an open text stream (``progress export -``: standard output), through
    its byte stream: the export is UTF-8 whatever the stream's encoding. Returns the records
    written, per table."""
    stream.flush()
    written = write_export(store, stream.buffer.write, now=now)
    stream.buffer.flush()
    return written


def check_export_target(path: Path, store: ProgressStore, *, force: bool = False) -> None:
    """Raise `ProgressError` if writing an export to ``path`` could destroy something."""
    if path.is_dir():  # the temporary file would go beside the folder, not in it
        raise ProgressError(f"Cannot write the export to {path}: it is a folder; give a "
                            f"file name, such as {path / 'studyvpc-progress.json'}")
    if path.is_symlink():
        raise ProgressError(f"Cannot write the export to {path}: it is a symbolic link; give "
                            "the path of a new file")
    if not path.exists():
        return
    if not path.is_file():
        raise ProgressError(f"Cannot write the export to {path}: it is not a regular file "
                            "(a device or a pipe); give the path of a new file")
    if store.path is not None and _is_progress_file(path, store.path):
        raise ProgressError(f"Cannot write the export to {path}: that is your progress "
                            "database (or its backup); give the path of a new file")
    if not force:
        raise ProgressError(f"{path} already exists; give another name, or add --force to "
                            "replace it")


def _is_progress_file(path: Path, db: Path) -> bool:
    """The database itself, its -wal/-shm/-journal files, or a backup beside it."""
    try:
        if path.samefile(db):
            return True
        same_folder = path.resolve().parent == db.resolve().parent
    except OSError:
        return False
    return same_folder and path.name.startswith(("progress.sqlite3", "progress-backup-"))


# --------------------------------------------------------------------------- import


def import_json(scheduler: ReviewScheduler, path: Path | str) -> ImportResult:
    """Merge an export into this store in one transaction. Attempts, sessions and review logs
    are matched by id, so importing the same file twice adds nothing the second time.

    Only a regular file of at most `MAX_IMPORT_BYTES` is read; a malformed one raises
    `ImportFormatError` saying where, and changes nothing."""
    path = Path(path)
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # /dev/zero never ends; a pipe blocks
            raise ImportFormatError(f"{path} is not a regular file (a device, a folder or a "
                                    "pipe); give the path of an export")
        with open(path, "rb") as f:
            return _import(scheduler, f, str(path))
    except OSError as e:
        raise ImportFormatError(f"Cannot read {path}: {e.strerror or e}") from e


def import_stream(scheduler: ReviewScheduler, stream: BinaryIO,
                  source: str = "standard input") -> ImportResult:
    """`import_json` from an open binary stream (``progress import -``), read with the same
    `MAX_IMPORT_BYTES` bound: a stream that never ends is refused, not read into memory.
    It is copied to a temporary file first, so the database is locked only while the copy
    is merged, not while the stream arrives."""
    try:
        with tempfile.TemporaryFile() as spool:
            copied = 0
            while chunk := stream.read(1024**2):
                copied += len(chunk)
                if copied > MAX_IMPORT_BYTES:
                    raise ImportFormatError(_too_large(source))
                spool.write(chunk)
            spool.seek(0)
            return _import(scheduler, spool, source)
    except OSError as e:
        raise ImportFormatError(f"Cannot read {source}: {e.strerror or e}") from e


def _too_large(source: str) -> str:
    return (f"{source} is larger than {MAX_IMPORT_BYTES // 2**20} MiB, the most an import "
            "reads; it is not a studyvpc progress export")


def _import(scheduler: ReviewScheduler, stream: BinaryIO, source: str) -> ImportResult:
    """Check and merge the export read from ``stream`` (see the module docstring)."""
    header: dict[str, Any] = {}
    checked = False
    try:
        with scheduler.store.merging() as merge:
            table, batch, i = "", [], 0
            for name, kind, value in object_members(
                    stream, _TABLES, max_bytes=MAX_IMPORT_BYTES, max_value=MAX_VALUE_CHARS):
                if kind == MEMBER:
                    if name in _TABLES:
                        raise ImportFormatError(f"{source}: \"{name}\" must be a list")
                    if name in ("format", "version"):
                        header[name] = value
                    elif name == "":  # the file is JSON, but not an object
                        check_header({}, source)
                    continue
                if kind == START:  # a table begins
                    if batch:
                        merge.add(table, batch)
                    table, batch, i = name, [], 0
                    if not checked and "format" in header:  # refuse a newer file at once
                        check_header(header, source)
                        checked = True
                    continue
                if kind == ELEMENTS:  # a run of records, checked at once
                    rows = check_run(table, i, value, source)
                    batch.extend(rows)
                    i += len(rows)
                else:
                    batch.append(check_record(table, i, value, source))
                    i += 1
                if len(batch) >= IMPORT_BATCH:
                    merge.add(table, batch)
                    batch = []
            if batch:
                merge.add(table, batch)
            check_header(header, source)
    except Oversized as e:
        if e.where is None:
            raise ImportFormatError(_too_large(source)) from None
        raise ImportFormatError(f"{source}:{e.where}: {e.what}; not a studyvpc progress "
                                "export") from None
    except StreamError as e:
        sep = " " if e.where and e.where.startswith("byte") else ""
        raise ImportFormatError(f"{source}:{sep}{e.where}: {e.what}; not a studyvpc progress "
                                "export") from None
    result = merge.result()
    for question_id in sorted(result.needs_replay):
        scheduler.replay(question_id)
    return result


def import_dict(scheduler: ReviewScheduler, data: Any, *, source: str = "the import") -> ImportResult:
    """Merge an export's JSON object, already decoded, into the scheduler's store, then
    rebuild every card that was reviewed on both sides."""
    result = scheduler.store.merge(read_export(data, source=source))
    for question_id in sorted(result.needs_replay):
        scheduler.replay(question_id)
    return result


def read_export(data: Any, *, source: str = "the import") -> ProgressRows:
    """The rows of an export's JSON object, every record checked; `ImportFormatError` if not."""
    check_header(data if isinstance(data, dict) else {}, source)
    rows = {}
    for table in ROWS:
        records = data.get(table, [])
        if not isinstance(records, list):
            raise ImportFormatError(f"{source}: \"{table}\" must be a list")
        rows[table] = [check_record(table, i, r, source) for i, r in enumerate(records)]
    return ProgressRows(**rows)

"""Progress as a JSON file the learner owns: ``studyvpc progress export`` and ``import``.

The format is ``{"format": "studyvpc-progress", "version": 1, "sessions": [...],
"attempts": [...], "cards": [...], "review_logs": [...], "exams": [...]}``. Every record of a
file is checked and normalized (timestamps to the stored UTC form) before anything is written,
so a malformed file raises `ImportFormatError` and changes nothing; the rows then go to the
store in one transaction (`TransferStore.merge`), and cards reviewed on both sides are rebuilt
from the merged review logs (`ReviewScheduler.replay`).
"""

from __future__ import annotations

import json
import math
import os
import stat
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.store import schema
from studyvpc.progress.store.errors import ImportFormatError, ProgressError
from studyvpc.progress.store.records import check_mode
from studyvpc.progress.store.schema import iso_utc, local_day, parse_utc, utc_now
from studyvpc.progress.store.store import ProgressStore
from studyvpc.progress.store.transfer import ImportResult, ProgressRows

EXPORT_FORMAT = "studyvpc-progress"
EXPORT_VERSION = 1
MAX_IMPORT_BYTES = 512 * 1024 * 1024
"""The largest export ``import`` reads (512 MiB, about 1.5 million answers); a larger file,
or one that never ends (``/dev/zero``), is refused before it fills the memory."""
MAX_INT = 2**53
"""Counts and durations above this are not ours (JSON numbers beyond it lose precision, and
SQLite's integers end at 2**63)."""


def export_dict(store: ProgressStore, *, now: datetime | None = None) -> dict[str, Any]:
    """Everything in ``store``, as the export's JSON object."""
    rows = store.export_rows()
    sessions, attempts, cards = rows.sessions, rows.attempts, rows.cards
    logs, exams = rows.review_logs, rows.exams
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": iso_utc(now or utc_now()),
        "schema_version": schema.current_version(),
        "sessions": [
            {"id": r[0], "mode": r[1], "scope": r[2], "started": r[3], "finished": r[4]}
            for r in sessions
        ],
        "attempts": [
            {
                "uuid": r[0], "question_id": r[1], "content_hash": r[2],
                "chosen": json.loads(r[3]), "correct": bool(r[4]), "time_ms": r[5],
                "mode": r[6], "session_id": r[7], "answered_at": r[8], "day": r[9],
                "skipped": bool(r[10]),
            }
            for r in attempts
        ],
        "cards": [
            {"question_id": r[0], "card": json.loads(r[1]), "due": r[2], "last_review": r[3],
             "reviews": r[4]}
            for r in cards
        ],
        "review_logs": [
            {
                "uuid": r[0], "question_id": r[1], "attempt_uuid": r[2], "rating": r[3],
                "reviewed_at": r[4], "duration_ms": r[5],
                "card_before": json.loads(r[6]) if r[6] else None,
                "card_after": json.loads(r[7]),
            }
            for r in logs
        ],
        "exams": [
            {"session_id": r[0], "pass_mark": r[1], "time_limit_s": r[2],
             "time_used_s": r[3], "auto_submitted": bool(r[4])}
            for r in exams
        ],
    }



def export_json(store: ProgressStore, path: Path | str, *, now: datetime | None = None,
                force: bool = False) -> Path:
    """Write everything to ``path`` (atomically: a temporary file, then a rename).

    Never written over: the progress database, its backups and its journal files, anything
    that is not a regular file (a folder, a device, a link), and, without ``force``, an
    existing file.
    """
    path = Path(path)
    check_export_target(path, store, force=force)
    data = export_dict(store, now=now)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:  # said about the file asked for, not the temporary one
        raise ProgressError(f"Cannot write the export to {path}: "
                            f"{e.strerror or e}") from e
    finally:
        if tmp.exists():
            tmp.unlink()
    return path


def export_to_stream(store: ProgressStore, stream: TextIO, *, now: datetime | None = None) -> None:
    """Write everything to an open text stream (``progress export -``: standard output)."""
    json.dump(export_dict(store, now=now), stream, ensure_ascii=False, indent=1)
    stream.write("\n")
    stream.flush()


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
            raw = _read_bounded(f, str(path))
    except OSError as e:
        raise ImportFormatError(f"Cannot read {path}: {e.strerror or e}") from e
    return import_dict(scheduler, parse_export(raw, str(path)), source=str(path))


def import_stream(scheduler: ReviewScheduler, stream: BinaryIO,
                  source: str = "standard input") -> ImportResult:
    """`import_json` from an open binary stream (``progress import -``), read with the same
    `MAX_IMPORT_BYTES` bound: a stream that never ends is refused, not read into memory."""
    try:
        raw = _read_bounded(stream, source)
    except OSError as e:
        raise ImportFormatError(f"Cannot read {source}: {e.strerror or e}") from e
    return import_dict(scheduler, parse_export(raw, source), source=source)


def _read_bounded(stream: BinaryIO, source: str) -> bytes:
    """At most `MAX_IMPORT_BYTES` of ``stream``; `ImportFormatError` if there is more."""
    raw = stream.read(MAX_IMPORT_BYTES + 1)
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportFormatError(f"{source} is larger than {MAX_IMPORT_BYTES // 2**20} MiB, the "
                                "most an import reads; it is not a studyvpc progress export")
    return raw


def parse_export(raw: bytes, source: str) -> Any:
    """The JSON value of an export's bytes; `ImportFormatError` located at line:column if not."""
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise ImportFormatError(f"{source}: byte {e.start}: not UTF-8 text; not a studyvpc "
                                "progress export") from None
    except json.JSONDecodeError as e:
        raise ImportFormatError(f"{source}:{e.lineno}:{e.colno}: not JSON ({e.msg}); not a "
                                "studyvpc progress export") from None
    except RecursionError:
        raise ImportFormatError(f"{source}: nested too deeply to be a studyvpc progress "
                                "export") from None


def import_dict(scheduler: ReviewScheduler, data: Any, *, source: str = "the import") -> ImportResult:
    """Merge an export's JSON object into the scheduler's store, then rebuild every card that
    was reviewed on both sides."""
    result = scheduler.store.merge(read_export(data, source=source))
    for question_id in sorted(result.needs_replay):
        scheduler.replay(question_id)
    return result


def read_export(data: Any, *, source: str = "the import") -> ProgressRows:
    """The rows of an export's JSON object, every record checked; `ImportFormatError` if not."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ImportFormatError(
            f"{source} is not a studyvpc progress export (no \"format\": \"{EXPORT_FORMAT}\")"
        )
    version = data.get("version")
    if not isinstance(version, int) or version < 1:
        raise ImportFormatError(f"{source} has no valid format version")
    if version > EXPORT_VERSION:
        raise ImportFormatError(
            f"{source} was written by a newer studyvpc (export version {version}; this version "
            f"reads up to {EXPORT_VERSION}). Upgrade studyvpc to import it."
        )
    sessions = _rows(data, "sessions", _session_row, source)
    attempts = _rows(data, "attempts", _attempt_row, source)
    logs = _rows(data, "review_logs", _log_row, source)
    cards = _rows(data, "cards", _card_row, source)
    exams = _rows(data, "exams", _exam_row, source)
    return ProgressRows(sessions=sessions, attempts=attempts, cards=cards, review_logs=logs,
                        exams=exams)


# --------------------------------------------------------------------------- import validation
# Each record of an export becomes the row tuple to insert (columns as in `records`), or raises
# KeyError, TypeError or ValueError, which `import_dict` reports as a malformed record.


def _rows(data: dict, key: str, row, source: str) -> list[tuple]:
    """Every record of ``data[key]`` as a row; the first malformed one is reported by its
    place (``cards[3]``) and what is wrong, shortened."""
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ImportFormatError(f"{source}: \"{key}\" must be a list")
    out = []
    for i, record in enumerate(value):
        try:
            if not isinstance(record, dict):
                raise ValueError(f"must be an object, not {_short(record)}")
            out.append(row(record))
        except KeyError as e:
            raise ImportFormatError(f"{source}: {key}[{i}] is malformed: missing {_short(e.args[0])}") from None
        except (TypeError, ValueError, OverflowError) as e:
            raise ImportFormatError(f"{source}: {key}[{i}] is malformed: {_clip(str(e))}") from None
    return out


def _short(value: Any, limit: int = 60) -> str:
    """A value for a message: its repr (control characters escaped), at most ``limit`` long."""
    return _clip(repr(value), limit)


def _clip(text: str, limit: int = 200) -> str:
    """Message text with control characters escaped, at most ``limit`` long."""
    if not text.isprintable():
        text = text.encode("unicode_escape").decode("ascii")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _count(value: Any, name: str) -> int:
    """A non-negative whole number no larger than `MAX_INT`."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_INT:
        raise ValueError(f"{name} must be a whole number from 0 to {MAX_INT}, not "
                         f"{_short(value)}")
    return value


def _number(value: Any, name: str) -> float:
    """A finite number (JSON's 1e999 reads as infinity)."""
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not math.isfinite(value) or abs(value) > MAX_INT):
        raise ValueError(f"{name} must be a finite number, not {_short(value)}")
    return float(value)


def _text(value: Any, name: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, not {_short(value)}")
    return value


def _stamp(value: Any, name: str, *, optional: bool = False) -> str | None:
    text = _text(value, name, optional=optional)
    return None if text is None else iso_utc(parse_utc(text))


def _session_row(s: dict) -> tuple:
    mode = _text(s["mode"], "session mode")
    check_mode(mode)
    return (_text(s["id"], "session id"), mode, str(s.get("scope") or ""),
            _stamp(s["started"], "started"), _stamp(s.get("finished"), "finished", optional=True))


def _attempt_row(a: dict) -> tuple:
    mode = _text(a["mode"], "attempt mode")
    check_mode(mode)
    chosen = a["chosen"]
    if not isinstance(chosen, list) or not all(isinstance(k, str) for k in chosen):
        raise ValueError(f"chosen must be a list of option keys, not {_short(chosen)}")
    if not isinstance(a["correct"], bool):
        raise ValueError(f"correct must be true or false, not {_short(a['correct'])}")
    time_ms = _count(a["time_ms"], "time_ms")
    answered_at = _stamp(a["answered_at"], "answered_at")
    day = a.get("day") or local_day(parse_utc(answered_at)).isoformat()
    date.fromisoformat(_text(day, "day"))
    # Exports before skipped questions were kept apart say nothing: an exam question with
    # nothing chosen can only have been left unanswered (as the database migration reads it).
    skipped = a.get("skipped", mode == "exam" and not chosen)
    if not isinstance(skipped, bool):
        raise ValueError(f"skipped must be true or false, not {_short(skipped)}")
    if skipped and a["correct"]:
        raise ValueError("a skipped question cannot be correct")
    return (
        _text(a["uuid"], "attempt uuid"), _text(a["question_id"], "question_id"),
        str(a.get("content_hash") or ""), json.dumps(chosen), int(a["correct"]), time_ms,
        mode, _text(a.get("session_id"), "session_id", optional=True), answered_at, day,
        int(skipped),
    )


def _card_json(value: Any, name: str) -> str:
    if not isinstance(value, dict) or "due" not in value:
        raise ValueError(f"{name} must be an FSRS card object, not {_short(value)}")
    return json.dumps(value)


def _log_row(r: dict) -> tuple:
    rating = r["rating"]
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 4:
        raise ValueError(f"rating must be 1-4, not {_short(rating)}")
    duration = r.get("duration_ms")
    if duration is not None:
        duration = _count(duration, "duration_ms")
    before = r.get("card_before")
    return (
        _text(r["uuid"], "review log uuid"), _text(r["question_id"], "question_id"),
        _text(r.get("attempt_uuid"), "attempt_uuid", optional=True), rating,
        _stamp(r["reviewed_at"], "reviewed_at"), duration,
        _card_json(before, "card_before") if before is not None else None,
        _card_json(r["card_after"], "card_after"),
    )


def _card_row(r: dict) -> tuple:
    reviews = _count(r.get("reviews", 0), "reviews")
    return (
        _text(r["question_id"], "question_id"), _card_json(r["card"], "card"),
        _stamp(r["due"], "due"), _stamp(r.get("last_review"), "last_review", optional=True),
        reviews,
    )


def _exam_row(r: dict) -> tuple:
    mark = _number(r["pass_mark"], "pass_mark")
    if not 0 < mark <= 1:
        raise ValueError(f"pass_mark must be above 0 and at most 1, not {_short(mark)}")
    limit = _count(r["time_limit_s"], "time_limit_s")
    if limit <= 0:
        raise ValueError("time_limit_s must be positive")
    used = _number(r["time_used_s"], "time_used_s")
    if used < 0:
        raise ValueError(f"time_used_s must not be negative, not {_short(used)}")
    auto = r.get("auto_submitted", False)
    if not isinstance(auto, bool):
        raise ValueError(f"auto_submitted must be true or false, not {_short(auto)}")
    return (_text(r["session_id"], "exam session_id"), mark, limit, used, int(auto))

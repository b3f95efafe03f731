"""The records of a progress export: each checked and normalized into the row the store
inserts on import, and each row written back as a record on export.

The file's framing (JSON, streaming, its size) is `studyvpc.interop.progress_json`'s; this
module sees one record at a time, so an import of any size checks every record the same way.
A record becomes the row tuple to insert (columns as in `studyvpc.progress.store.records`), or
raises `ImportFormatError` naming its place (``attempts[3]``) and what is wrong, shortened,
with control characters escaped.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import msgspec
from msgspec import Raw

from studyvpc.progress.store.errors import ImportFormatError
from studyvpc.progress.store.records import check_mode
from studyvpc.progress.store.schema import iso_utc, local_day, parse_utc

EXPORT_FORMAT = "studyvpc-progress"
EXPORT_VERSION = 1
MAX_INT = 2**53
"""Counts and durations above this are not ours (JSON numbers beyond it lose precision, and
SQLite's integers end at 2**63)."""


def check_header(data: dict, source: str) -> None:
    """`ImportFormatError` unless ``data`` (the members of the file that are not tables) says
    it is a studyvpc progress export this version reads."""
    if data.get("format") != EXPORT_FORMAT:
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


def check_record(table: str, i: int, record: Any, source: str) -> tuple:
    """The row of ``table``'s ``i``-th record; `ImportFormatError` if it is malformed."""
    try:
        if not isinstance(record, dict):
            raise ValueError(f"must be an object, not {_short(record)}")
        return ROWS[table](record)
    except KeyError as e:
        raise ImportFormatError(
            f"{source}: {table}[{i}] is malformed: missing {_short(e.args[0])}") from None
    except (TypeError, ValueError, OverflowError) as e:
        raise ImportFormatError(f"{source}: {table}[{i}] is malformed: {_clip(str(e))}") from None


def export_record(table: str, r: tuple) -> dict[str, Any]:
    """The export's record of a row of ``table`` (columns as in `records`)."""
    if table == "sessions":
        return {"id": r[0], "mode": r[1], "scope": r[2], "started": r[3], "finished": r[4]}
    if table == "attempts":
        return {"uuid": r[0], "question_id": r[1], "content_hash": r[2],
                "chosen": json.loads(r[3]), "correct": bool(r[4]), "time_ms": r[5],
                "mode": r[6], "session_id": r[7], "answered_at": r[8], "day": r[9],
                "skipped": bool(r[10])}
    if table == "cards":
        return {"question_id": r[0], "card": json.loads(r[1]), "due": r[2],
                "last_review": r[3], "reviews": r[4]}
    if table == "review_logs":
        return {"uuid": r[0], "question_id": r[1], "attempt_uuid": r[2], "rating": r[3],
                "reviewed_at": r[4], "duration_ms": r[5],
                "card_before": json.loads(r[6]) if r[6] else None,
                "card_after": json.loads(r[7])}
    return {"session_id": r[0], "pass_mark": r[1], "time_limit_s": r[2],
            "time_used_s": r[3], "auto_submitted": bool(r[4])}


class _SessionOut(msgspec.Struct):
    id: Any
    mode: Any
    scope: Any
    started: Any
    finished: Any


class _AttemptOut(msgspec.Struct):
    uuid: Any
    question_id: Any
    content_hash: Any
    chosen: Raw
    correct: bool
    time_ms: Any
    mode: Any
    session_id: Any
    answered_at: Any
    day: Any
    skipped: bool


class _CardOut(msgspec.Struct):
    question_id: Any
    card: Raw
    due: Any
    last_review: Any
    reviews: Any


class _LogOut(msgspec.Struct):
    uuid: Any
    question_id: Any
    attempt_uuid: Any
    rating: Any
    reviewed_at: Any
    duration_ms: Any
    card_before: Raw | None
    card_after: Raw


_dumps = json.JSONEncoder(ensure_ascii=False).encode


def _raw(stored: str) -> Raw:
    """A stored JSON column, to be copied into the export as it is. The store writes it with
    ``json.dumps`` (non-ASCII as ``\\u`` escapes), the export as UTF-8: text with an escape is
    decoded and encoded again, so the bytes are the same either way."""
    return Raw(stored if "\\u" not in stored else _dumps(json.loads(stored)))


_OUT: dict[str, Callable[[tuple], msgspec.Struct]] = {
    "sessions": lambda r: _SessionOut(*r),
    "attempts": lambda r: _AttemptOut(r[0], r[1], r[2], _raw(r[3]), bool(r[4]), r[5], r[6],
                                      r[7], r[8], r[9], bool(r[10])),
    "cards": lambda r: _CardOut(r[0], _raw(r[1]), r[2], r[3], r[4]),
    "review_logs": lambda r: _LogOut(r[0], r[1], r[2], r[3], r[4], r[5],
                                     _raw(r[6]) if r[6] else None, _raw(r[7])),
}
"""Each table's rows as structs msgspec writes as the records `export_record` makes, the stored
JSON columns (``chosen``, the cards) copied (`_raw`) instead of decoded and encoded again. Not
exams: a handful of rows, whose floats msgspec would spell differently (``1e16``)."""
_encode = msgspec.json.Encoder().encode
RECORD_SEPARATOR = ",\n  "
"""Between two records of a table in an export: one record a line."""


def export_lines(table: str, rows: Sequence[tuple]) -> bytes:
    """The records of ``rows`` (of ``table``) as the export writes them, UTF-8, one a line,
    separated by `RECORD_SEPARATOR`: byte for byte ``json.dumps(export_record(table, r),
    ensure_ascii=False)``, but encoded by msgspec. Its layout pass (``format``) parses what
    was encoded, so a stored JSON column that is not strict JSON (``NaN``) is caught there and
    the batch is written the slow way, as before."""
    make = _OUT.get(table)
    if make is not None:
        try:
            return RECORD_SEPARATOR.encode().join(
                [msgspec.json.format(_encode(make(r)), indent=0) for r in rows])
        except (msgspec.DecodeError, TypeError):
            pass
    return RECORD_SEPARATOR.join([_dumps(export_record(table, r)) for r in rows]).encode()


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


ROWS: dict[str, Callable[[dict], tuple]] = {
    "sessions": _session_row, "attempts": _attempt_row, "cards": _card_row,
    "review_logs": _log_row, "exams": _exam_row,
}
"""Every table of an export with the check of its records, in the file's order."""

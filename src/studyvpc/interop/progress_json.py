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
import os
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.store import schema
from studyvpc.progress.store.errors import ImportFormatError, ProgressError
from studyvpc.progress.store.records import check_mode
from studyvpc.progress.store.schema import iso_utc, local_day, parse_utc, utc_now
from studyvpc.progress.store.store import ProgressStore
from studyvpc.progress.store.transfer import ImportResult, ProgressRows

EXPORT_FORMAT = "studyvpc-progress"
EXPORT_VERSION = 1


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



def export_json(store: ProgressStore, path: Path | str, *, now: datetime | None = None) -> Path:
    """Write everything to ``path`` (atomically: a temporary file, then a rename)."""
    path = Path(path)
    if path.is_dir():  # the temporary file would go beside the folder, not in it
        raise ProgressError(f"Cannot write the export to {path}: it is a folder; give a "
                            f"file name, such as {path / 'studyvpc-progress.json'}")
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


def import_json(scheduler: ReviewScheduler, path: Path | str) -> ImportResult:
    """Merge an export into this store in one transaction. Attempts, sessions and review logs
    are matched by id, so importing the same file twice adds nothing the second time."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as e:
        raise ImportFormatError(f"Cannot read {path}: {e.strerror or e}") from e
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise ImportFormatError(f"{path} is not a studyvpc progress export (not JSON: {e})") from e
    return import_dict(scheduler, data, source=str(path))


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
    try:
        sessions = [_session_row(s) for s in _list(data, "sessions")]
        attempts = [_attempt_row(a) for a in _list(data, "attempts")]
        logs = [_log_row(r) for r in _list(data, "review_logs")]
        cards = [_card_row(r) for r in _list(data, "cards")]
        exams = [_exam_row(r) for r in _list(data, "exams")]
    except (KeyError, TypeError, ValueError) as e:
        raise ImportFormatError(f"{source} has a malformed record: {e!r}") from e
    return ProgressRows(sessions=sessions, attempts=attempts, cards=cards, review_logs=logs,
                        exams=exams)


# --------------------------------------------------------------------------- import validation
# Each record of an export becomes the row tuple to insert (columns as in `records`), or raises
# KeyError, TypeError or ValueError, which `import_dict` reports as a malformed record.


def _list(data: dict, key: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ImportFormatError(f"\"{key}\" must be a list")
    return value


def _text(value: Any, name: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, not {value!r}")
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
        raise ValueError(f"chosen must be a list of option keys, not {chosen!r}")
    if not isinstance(a["correct"], bool):
        raise ValueError(f"correct must be true or false, not {a['correct']!r}")
    time_ms = a["time_ms"]
    if not isinstance(time_ms, int) or time_ms < 0:
        raise ValueError(f"time_ms must be a non-negative integer, not {time_ms!r}")
    answered_at = _stamp(a["answered_at"], "answered_at")
    day = a.get("day") or local_day(parse_utc(answered_at)).isoformat()
    date.fromisoformat(day)
    return (
        _text(a["uuid"], "attempt uuid"), _text(a["question_id"], "question_id"),
        str(a.get("content_hash") or ""), json.dumps(sorted(chosen)), int(a["correct"]), time_ms,
        mode, _text(a.get("session_id"), "session_id", optional=True), answered_at, day,
    )


def _card_json(value: Any, name: str) -> str:
    if not isinstance(value, dict) or "due" not in value:
        raise ValueError(f"{name} must be an FSRS card object, not {value!r}")
    return json.dumps(value)


def _log_row(r: dict) -> tuple:
    rating = r["rating"]
    if not isinstance(rating, int) or not 1 <= rating <= 4:
        raise ValueError(f"rating must be 1-4, not {rating!r}")
    duration = r.get("duration_ms")
    if duration is not None and not isinstance(duration, int):
        raise ValueError(f"duration_ms must be an integer, not {duration!r}")
    before = r.get("card_before")
    return (
        _text(r["uuid"], "review log uuid"), _text(r["question_id"], "question_id"),
        _text(r.get("attempt_uuid"), "attempt_uuid", optional=True), rating,
        _stamp(r["reviewed_at"], "reviewed_at"), duration,
        _card_json(before, "card_before") if before is not None else None,
        _card_json(r["card_after"], "card_after"),
    )


def _card_row(r: dict) -> tuple:
    reviews = r.get("reviews", 0)
    if not isinstance(reviews, int) or reviews < 0:
        raise ValueError(f"reviews must be a non-negative integer, not {reviews!r}")
    return (
        _text(r["question_id"], "question_id"), _card_json(r["card"], "card"),
        _stamp(r["due"], "due"), _stamp(r.get("last_review"), "last_review", optional=True),
        reviews,
    )


def _exam_row(r: dict) -> tuple:
    mark = r["pass_mark"]
    if isinstance(mark, bool) or not isinstance(mark, (int, float)) or not 0 < mark <= 1:
        raise ValueError(f"pass_mark must be a number above 0 and at most 1, not {mark!r}")
    limit = r["time_limit_s"]
    if isinstance(limit, bool) or not isinstance(limit, int) or limit <= 0:
        raise ValueError(f"time_limit_s must be a positive integer, not {limit!r}")
    used = r["time_used_s"]
    if isinstance(used, bool) or not isinstance(used, (int, float)) or used < 0:
        raise ValueError(f"time_used_s must be a non-negative number, not {used!r}")
    auto = r.get("auto_submitted", False)
    if not isinstance(auto, bool):
        raise ValueError(f"auto_submitted must be true or false, not {auto!r}")
    return (_text(r["session_id"], "exam session_id"), float(mark), limit, float(used), int(auto))

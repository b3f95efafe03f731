"""Own your data: export to JSON, import (merge) an export, back up, and reset the progress.

Why it is built this way:

- **Imports merge, never duplicate.** Attempts, sessions and review logs carry stable ids (UUIDs)
  and are inserted with ``INSERT OR IGNORE``, so importing the same file twice adds nothing the
  second time. A card reviewed on both sides keeps the newer state and is reported in
  `ImportResult.needs_replay`; the scheduler rebuilds it from the merged logs (this module does
  not import ``fsrs``).
- **Validate everything, then write in one transaction.** Every record of the file is checked
  and normalized (timestamps to the stored `iso_utc` form) before the first write, so a malformed
  file raises `ImportFormatError` and changes nothing.
- **Nothing is lost by accident.** An export is written to a temporary file, fsynced and renamed;
  a backup uses SQLite's online backup (consistent while others write); `reset` writes a backup
  first and deletes rows, not the file, so other open studyvpc processes keep working.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from studyvpc.progress.store import schema
from studyvpc.progress.store.cards import read_card
from studyvpc.progress.store.connection import StoreConnection
from studyvpc.progress.store.errors import ImportFormatError, ProgressError, StoreUnavailable
from studyvpc.progress.store.records import (
    ATTEMPT_COLUMNS,
    CARD_COLUMNS,
    EXAM_COLUMNS,
    LOG_COLUMNS,
    SESSION_COLUMNS,
    check_mode,
)
from studyvpc.progress.store.schema import iso_utc, local_day, parse_utc, utc_now

EXPORT_FORMAT = "studyvpc-progress"
EXPORT_VERSION = 1


@dataclass(frozen=True, slots=True)
class ImportResult:
    attempts_added: int
    attempts_skipped: int
    sessions_added: int
    review_logs_added: int
    cards_added: int
    cards_updated: int
    needs_replay: frozenset[str]
    """Questions reviewed both here and in the imported file: their card must be rebuilt from the
    merged review logs (`ReviewScheduler.import_json` does it)."""
    exams_added: int = 0
    """Mock exam outcomes (pass mark, time) added; exports before they were kept have none."""


class TransferStore(StoreConnection):
    """The export, import, backup and reset part of `ProgressStore`."""

    def export_dict(self, *, now: datetime | None = None) -> dict[str, Any]:
        with self._snapshot() as q:
            sessions = q(f"SELECT {SESSION_COLUMNS} FROM sessions ORDER BY started, id", ())
            attempts = q(f"SELECT {ATTEMPT_COLUMNS} FROM attempts ORDER BY answered_at, rowid", ())
            cards = q(f"SELECT {CARD_COLUMNS} FROM cards ORDER BY question_id", ())
            logs = q(f"SELECT {LOG_COLUMNS} FROM review_logs ORDER BY reviewed_at, rowid", ())
            exams = q(f"SELECT {EXAM_COLUMNS} FROM exams ORDER BY session_id", ())
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

    def export_json(self, path: Path | str, *, now: datetime | None = None) -> Path:
        """Write everything to ``path`` (atomically: a temporary file, then a rename)."""
        path = Path(path)
        if path.is_dir():  # the temporary file would go beside the folder, not in it
            raise ProgressError(f"Cannot write the export to {path}: it is a folder; give a "
                                f"file name, such as {path / 'studyvpc-progress.json'}")
        data = self.export_dict(now=now)
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

    def import_json(self, path: Path | str) -> ImportResult:
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
        return self.import_dict(data, source=str(path))

    def import_dict(self, data: Any, *, source: str = "the import") -> ImportResult:
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

        with self._write() as c:
            sessions_added = 0
            for s in sessions:
                cur = c.execute(
                    f"INSERT OR IGNORE INTO sessions ({SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?)", s)
                sessions_added += cur.rowcount
                if s[4] is not None:
                    c.execute("UPDATE sessions SET finished = ? WHERE id = ? AND finished IS NULL",
                              (s[4], s[0]))
            added = 0
            for a in attempts:
                added += c.execute(
                    f"INSERT OR IGNORE INTO attempts ({ATTEMPT_COLUMNS})"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", a).rowcount
            had_logs = {r[0] for r in c.execute("SELECT DISTINCT question_id FROM review_logs")}
            logs_added = 0
            touched: set[str] = set()
            for r in logs:
                n = c.execute(
                    f"INSERT OR IGNORE INTO review_logs ({LOG_COLUMNS})"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", r).rowcount
                logs_added += n
                if n:
                    touched.add(r[1])
            cards_added = cards_updated = 0
            for qid, card, due, last_review, reviews in cards:
                local = read_card(c, qid)
                if local is None:
                    c.execute(f"INSERT INTO cards ({CARD_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
                              (qid, card, due, last_review, reviews))
                    cards_added += 1
                elif last_review is not None and (
                    local.last_review is None or parse_utc(last_review) > local.last_review
                ):
                    c.execute("UPDATE cards SET card = ?, due = ?, last_review = ?, reviews = ?"
                              " WHERE question_id = ?", (card, due, last_review, reviews, qid))
                    cards_updated += 1
            for qid in touched:  # keep the review count consistent with the merged logs
                c.execute("UPDATE cards SET reviews = (SELECT COUNT(*) FROM review_logs"
                          " WHERE question_id = ?) WHERE question_id = ?", (qid, qid))
            exams_added = 0
            for e in exams:
                exams_added += c.execute(
                    f"INSERT OR IGNORE INTO exams ({EXAM_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
                    e).rowcount
        return ImportResult(
            attempts_added=added,
            attempts_skipped=len(attempts) - added,
            sessions_added=sessions_added,
            review_logs_added=logs_added,
            cards_added=cards_added,
            cards_updated=cards_updated,
            needs_replay=frozenset(touched & had_logs),
            exams_added=exams_added,
        )

    def backup(self, *, now: datetime | None = None) -> Path:
        """Copy the database (SQLite online backup: consistent even while others write) to
        ``progress-backup-<UTC time>.sqlite3`` next to it, and return that path."""
        if self.path is None:
            raise StoreUnavailable(":memory:", "this session keeps progress in memory only")
        stamp = (now or utc_now()).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"progress-backup-{stamp}.sqlite3")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"progress-backup-{stamp}-{n}.sqlite3")
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            dest = sqlite3.connect(tmp)
            try:
                with self._lock:
                    self._conn.backup(dest)
            finally:
                dest.close()
            os.replace(tmp, target)
        except (OSError, sqlite3.Error) as e:
            raise StoreUnavailable(self.path.parent, f"cannot write a backup: {e}") from e
        finally:
            if tmp.exists():
                tmp.unlink()
        return target

    def reset(self, *, now: datetime | None = None) -> Path:
        """Write a backup copy, then delete all progress. Returns the backup's path.

        The rows are deleted (not the file) so that other open studyvpc processes keep working.
        """
        backup = self.backup(now=now)
        with self._write() as c:
            for table in ("exams", "review_logs", "cards", "attempts", "sessions"):
                c.execute(f"DELETE FROM {table}")
        return backup


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

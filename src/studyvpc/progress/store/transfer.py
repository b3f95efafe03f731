"""The store's side of moving progress in and out: every row at once (for an export), a
merge of validated rows in one transaction (for an import), backups and reset.

The file format (JSON, its validation, its versions) is `studyvpc.interop.progress_json`'s;
this module sees only rows, in the column order of `records`.

- **Imports merge, never duplicate.** Attempts, sessions and review logs carry stable ids
  (UUIDs) and are inserted with ``INSERT OR IGNORE``, so merging the same rows twice adds
  nothing the second time. A card reviewed on both sides keeps the newer state and is
  reported in `ImportResult.needs_replay`; the scheduler rebuilds it from the merged logs.
- **One transaction.** A merge commits whole or not at all.
- **Nothing is lost by accident.** A backup uses SQLite's online backup (consistent while
  others write); `reset` writes a backup first and deletes rows, not the file, so other open
  studyvpc processes keep working.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from studyvpc.progress.store.cards import read_card
from studyvpc.progress.store.connection import StoreConnection
from studyvpc.progress.store.errors import StoreUnavailable
from studyvpc.progress.store.records import (
    ATTEMPT_COLUMNS,
    CARD_COLUMNS,
    EXAM_COLUMNS,
    LOG_COLUMNS,
    SESSION_COLUMNS,
)
from studyvpc.progress.store.schema import parse_utc, utc_now


@dataclass(frozen=True, slots=True)
class ProgressRows:
    """Every kind of progress row, as tuples in the column order of `records`."""

    sessions: list[tuple]
    attempts: list[tuple]
    cards: list[tuple]
    review_logs: list[tuple]
    exams: list[tuple]


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
    """The export, merge, backup and reset part of `ProgressStore`."""

    def export_rows(self) -> ProgressRows:
        """Every row, read in one snapshot (consistent while others write)."""
        with self.snapshot() as q:
            return ProgressRows(
                sessions=q(f"SELECT {SESSION_COLUMNS} FROM sessions ORDER BY started, id", ()),
                attempts=q(f"SELECT {ATTEMPT_COLUMNS} FROM attempts ORDER BY answered_at, rowid", ()),
                cards=q(f"SELECT {CARD_COLUMNS} FROM cards ORDER BY question_id", ()),
                review_logs=q(f"SELECT {LOG_COLUMNS} FROM review_logs ORDER BY reviewed_at, rowid", ()),
                exams=q(f"SELECT {EXAM_COLUMNS} FROM exams ORDER BY session_id", ()),
            )

    def merge(self, rows: ProgressRows) -> ImportResult:
        """Merge validated rows into this store in one transaction (see the module docstring)."""
        sessions, attempts, logs = rows.sessions, rows.attempts, rows.review_logs
        cards, exams = rows.cards, rows.exams
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
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", a).rowcount
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

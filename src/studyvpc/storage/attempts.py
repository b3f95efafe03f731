"""Sessions and attempts: every answer the learner gives, and the session it was given in.

Why it is built this way:

- **One transaction per answer, committed before `record_attempt` returns.** The UI shows
  feedback only after the call returns, so "feedback was shown" implies "the answer is on disk".
  Nothing is buffered until the end of a quiz; a crash or kill loses at most the answer being
  given at that instant, never one the learner has seen graded.
- **The card moves in that same transaction.** The scheduler passes its FSRS step as a callback
  (`ReviewFn`); it runs with the stored card inside the answer's ``BEGIN IMMEDIATE``, so the
  attempt, the new card and its review log are committed together or not at all, and two
  processes answering the same question serialize.
- **Stable ids, kept history.** Attempts are keyed by question id (plus the content hash seen at
  the time), never by position; attempts whose question disappeared from the content stay in the
  table and are reported as orphans by the statistics. Each attempt has a UUID so that importing
  the same export twice never duplicates it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import datetime

from studyvpc.storage.cards import apply_review, read_card
from studyvpc.storage.connection import StoreConnection
from studyvpc.storage.records import (
    ATTEMPT_COLUMNS,
    SESSION_COLUMNS,
    AttemptRecord,
    ReviewFn,
    SessionRecord,
    attempt_record,
    check_mode,
    session_record,
)
from studyvpc.storage.schema import as_utc, iso_utc, local_day, utc_now


class AttemptStore(StoreConnection):
    """The sessions and attempts part of `ProgressStore`."""

    # -- sessions

    def start_session(self, mode: str, scope: str = "", *, at: datetime | None = None) -> str:
        check_mode(mode)
        session_id = uuid.uuid4().hex
        with self._write() as c:
            c.execute(
                "INSERT INTO sessions (id, mode, scope, started) VALUES (?, ?, ?, ?)",
                (session_id, mode, scope, iso_utc(at or utc_now())),
            )
        return session_id

    def finish_session(self, session_id: str, *, at: datetime | None = None) -> None:
        with self._write() as c:
            c.execute(
                "UPDATE sessions SET finished = ? WHERE id = ? AND finished IS NULL",
                (iso_utc(at or utc_now()), session_id),
            )

    def sessions(self) -> list[SessionRecord]:
        rows = self._fetchall(f"SELECT {SESSION_COLUMNS} FROM sessions ORDER BY started")
        return [session_record(r) for r in rows]

    # -- attempts

    def record_attempt(
        self,
        question_id: str,
        content_hash: str,
        chosen: Iterable[str],
        correct: bool,
        *,
        time_ms: int,
        mode: str,
        session_id: str | None = None,
        at: datetime | None = None,
        review: ReviewFn | None = None,
    ) -> AttemptRecord:
        """Store one answer in its own transaction; returns only after it is committed.

        ``review``, if given, runs inside the same transaction with the question's stored card
        and returns the new card state (the scheduler passes it); the attempt and the card
        change are then committed together or not at all.
        """
        check_mode(mode)
        if not question_id:
            raise ValueError("question_id must not be empty")
        moment = as_utc(at)
        record = AttemptRecord(
            uuid=uuid.uuid4().hex,
            question_id=question_id,
            content_hash=content_hash,
            chosen=tuple(sorted(chosen)),
            correct=bool(correct),
            time_ms=max(0, int(time_ms)),
            mode=mode,
            session_id=session_id,
            answered_at=moment,
            day=local_day(moment),
        )
        with self._write() as c:
            c.execute(
                f"INSERT INTO attempts ({ATTEMPT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.uuid, question_id, content_hash, json.dumps(list(record.chosen)),
                    int(record.correct), record.time_ms, mode, session_id, iso_utc(moment),
                    record.day.isoformat(),
                ),
            )
            if review is not None:
                update = review(read_card(c, question_id))
                if update is not None:
                    apply_review(c, question_id, record.uuid, moment, record.time_ms, update)
        return record

    def attempts(self, question_id: str | None = None) -> list[AttemptRecord]:
        return [attempt_record(r) for r in self._fetch_ordered(
            f"SELECT {ATTEMPT_COLUMNS} FROM attempts", question_id, "answered_at, rowid")]

    def attempt_count(self) -> int:
        return int(self._fetchall("SELECT COUNT(*) FROM attempts")[0][0])

    def has_attempt(self, attempt_uuid: str) -> bool:
        return bool(self._fetchall("SELECT 1 FROM attempts WHERE uuid = ?", (attempt_uuid,)))

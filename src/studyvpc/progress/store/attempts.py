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
- **A whole session at once, for mock exams.** An exam has no answer to store before the
  learner submits it (no feedback until then), and then it must be stored completely or not at
  all: `record_session` writes the session, every answer with its review and the exam's
  outcome in one transaction, under the session id the caller chose (the exam's own id), and
  writes nothing if that session is already stored. A kill between storing an exam and
  removing its save file therefore never counts it twice, nor half of it.
- **Stable ids, kept history.** Attempts are keyed by question id (plus the content hash seen at
  the time), never by position; attempts whose question disappeared from the content stay in the
  table and are reported as orphans by the statistics. Each attempt has a UUID so that importing
  the same export twice never duplicates it.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from studyvpc.progress.store.cards import apply_review, read_card
from studyvpc.progress.store.connection import StoreConnection
from studyvpc.progress.store.records import (
    ATTEMPT_COLUMNS,
    EXAM_COLUMNS,
    SESSION_COLUMNS,
    AttemptRecord,
    ExamOutcome,
    PendingAnswer,
    ReviewFn,
    SessionRecord,
    attempt_record,
    check_mode,
    exam_outcome,
    session_record,
)
from studyvpc.progress.store.schema import as_utc, iso_utc, local_day, utc_now


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
        rows = self.fetchall(f"SELECT {SESSION_COLUMNS} FROM sessions ORDER BY started")
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
        record = _new_record(question_id, content_hash, chosen, correct, time_ms, mode,
                             session_id, as_utc(at))
        with self._write() as c:
            _insert(c, record, review)
        return record

    def record_session(
        self,
        mode: str,
        scope: str,
        answers: Sequence[PendingAnswer],
        *,
        session_id: str,
        started: datetime,
        finished: datetime,
        exam: ExamOutcome | None = None,
    ) -> list[AttemptRecord] | None:
        """Store a finished session whole, in one transaction: the session ``session_id``, every
        answer (given at ``finished``) with its review, and ``exam`` if given.

        Returns the attempts stored, or None (nothing written) if a session ``session_id`` is
        already stored: recording the same session twice adds nothing.
        """
        check_mode(mode)
        if not session_id:
            raise ValueError("session_id must not be empty")
        moment = as_utc(finished)
        begun = as_utc(started)
        records = [_new_record(a.question_id, a.content_hash, a.chosen, a.correct, a.time_ms,
                               mode, session_id, moment, skipped=a.skipped) for a in answers]
        with self._write() as c:
            if c.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone():
                return None
            c.execute(
                "INSERT INTO sessions (id, mode, scope, started, finished) VALUES (?, ?, ?, ?, ?)",
                (session_id, mode, scope, iso_utc(min(begun, moment)), iso_utc(moment)),
            )
            for record, answer in zip(records, answers, strict=True):
                _insert(c, record, None if answer.skipped else answer.review)
            if exam is not None:
                c.execute(
                    f"INSERT INTO exams ({EXAM_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
                    (session_id, float(exam.pass_mark), int(exam.time_limit_s),
                     max(0.0, float(exam.time_used_s)), int(exam.auto_submitted)),
                )
        return records

    def exam(self, session_id: str) -> ExamOutcome | None:
        """How the exam of session ``session_id`` was set and ended (None: not an exam)."""
        rows = self.fetchall(f"SELECT {EXAM_COLUMNS} FROM exams WHERE session_id = ?",
                              (session_id,))
        return exam_outcome(rows[0][1:]) if rows else None

    def attempts(self, question_id: str | None = None) -> list[AttemptRecord]:
        return [attempt_record(r) for r in self._fetch_ordered(
            f"SELECT {ATTEMPT_COLUMNS} FROM attempts", question_id, "answered_at, rowid")]

    def attempt_count(self) -> int:
        """Answers stored (exam questions left unanswered are not answers)."""
        return int(self.fetchall("SELECT COALESCE(SUM(answers), 0) FROM question_totals")[0][0])


def _new_record(question_id: str, content_hash: str, chosen: Iterable[str], correct: bool,
                time_ms: int, mode: str, session_id: str | None, moment: datetime, *,
                skipped: bool = False) -> AttemptRecord:
    """An answer as it is stored: a new UUID, the keys in the order given, time never
    negative; a skipped question is never right."""
    if not question_id:
        raise ValueError("question_id must not be empty")
    return AttemptRecord(
        uuid=uuid.uuid4().hex, question_id=question_id, content_hash=content_hash,
        chosen=tuple(chosen), correct=bool(correct) and not skipped,
        time_ms=max(0, int(time_ms)), mode=mode, session_id=session_id, answered_at=moment,
        day=local_day(moment), skipped=skipped,
    )


def _insert(c: sqlite3.Connection, record: AttemptRecord, review: ReviewFn | None) -> None:
    """Insert ``record`` on ``c`` (an open write transaction) and apply its review, if any."""
    c.execute(
        f"INSERT INTO attempts ({ATTEMPT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            record.uuid, record.question_id, record.content_hash, json.dumps(list(record.chosen)),
            int(record.correct), record.time_ms, record.mode, record.session_id,
            iso_utc(record.answered_at), record.day.isoformat(), int(record.skipped),
        ),
    )
    if review is not None:
        update = review(read_card(c, record.question_id))
        if update is not None:
            apply_review(c, record.question_id, record.uuid, record.answered_at, record.time_ms,
                         update)

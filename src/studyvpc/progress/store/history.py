"""Past sessions with their scores: "last results" on the home screen, finished exams in stats.

Plain SQL over the totals kept per session as answers are written (``session_totals``, most
recent first through its index: the last session is one row, not a pass over every attempt),
like the other read helpers of this package (`stats`, `drills`); no content model, no FSRS. A
session with no answer has no score and is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from studyvpc.progress.store.store import ProgressStore
from studyvpc.progress.store.schema import parse_utc


@dataclass(frozen=True, slots=True)
class SessionResult:
    id: str
    mode: str
    scope: str
    started: datetime
    finished: datetime | None
    answered: int
    """Questions of the session: for a mock exam, every question, the `skipped` ones too
    (each scores 0, so the score is right / answered as the exam gave it)."""
    right: int
    last_answer: datetime
    time_ms: int
    """The answers' times added up (for an exam, `time_used_s` is the exam's own clock)."""
    pass_mark: float | None = None
    """For a mock exam: the share of right answers it needed (None: not an exam, or one
    recorded before exams kept it)."""
    time_limit_s: int | None = None
    time_used_s: float | None = None
    auto_submitted: bool = False
    skipped: int = 0
    """Exam questions left unanswered (counted in `answered`, never right)."""

    @property
    def accuracy(self) -> float:
        return self.right / self.answered if self.answered else 0.0

    @property
    def passed(self) -> bool | None:
        """Passed against its own mark (None when there is no mark)."""
        return None if self.pass_mark is None else self.accuracy >= self.pass_mark


def session_results(
    store: ProgressStore, *, modes: tuple[str, ...] | None = None, finished_only: bool = False,
    limit: int | None = 10,
) -> list[SessionResult]:
    """Sessions with at least one answer, the most recently answered first."""
    where = []
    params: list = []
    if modes:
        where.append(f"s.mode IN ({', '.join('?' * len(modes))})")
        params.extend(modes)
    if finished_only:
        where.append("s.finished IS NOT NULL")
    sql = (
        "SELECT s.id, s.mode, s.scope, s.started, s.finished, t.attempts, t.correct,"
        " t.last_answer, t.time_ms,"
        " e.pass_mark, e.time_limit_s, e.time_used_s, e.auto_submitted, t.skipped"
        " FROM session_totals t JOIN sessions s ON s.id = t.session_id"
        " LEFT JOIN exams e ON e.session_id = s.id"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY t.last_answer DESC, t.session_id"
    )
    if limit is not None:
        sql += " LIMIT ?"
        params.append(max(0, int(limit)))
    rows = store.fetchall(sql, params)
    return [
        SessionResult(
            id=r[0], mode=r[1], scope=r[2], started=parse_utc(r[3]),
            finished=parse_utc(r[4]) if r[4] else None, answered=int(r[5]), right=int(r[6]),
            last_answer=parse_utc(r[7]), time_ms=int(r[8]),
            pass_mark=float(r[9]) if r[9] is not None else None,
            time_limit_s=int(r[10]) if r[10] is not None else None,
            time_used_s=float(r[11]) if r[11] is not None else None,
            auto_submitted=bool(r[12]), skipped=int(r[13]),
        )
        for r in rows
    ]


def last_session_result(store: ProgressStore) -> SessionResult | None:
    results = session_results(store, limit=1)
    return results[0] if results else None

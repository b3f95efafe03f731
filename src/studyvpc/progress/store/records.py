"""The rows of the progress database as frozen dataclasses, and the callbacks that change cards.

Why it is built this way:

- **Plain records, one place.** Every part of the store (attempts, cards, import) and every caller
  (scheduler, statistics, CLI) reads the same immutable values, converted from rows here and
  nowhere else: the column lists and the row → record functions sit next to the dataclasses, so a
  column added to a table is added to one ``SELECT`` list and one constructor.
- **Cards stay opaque.** A card is the JSON ``fsrs.Card.to_json`` wrote; the store never parses
  it. What a review does to a card comes back from the scheduler as a `CardUpdate` through the
  callback types below, which is how the FSRS step runs inside the store's write transaction
  without the store importing ``fsrs``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from studyvpc.progress.store.schema import parse_utc

MODES = ("practice", "review", "drill", "exam")

ATTEMPT_COLUMNS = (
    "uuid, question_id, content_hash, chosen, correct, time_ms, mode, session_id, answered_at, day,"
    " skipped"
)
SESSION_COLUMNS = "id, mode, scope, started, finished"
CARD_COLUMNS = "question_id, card, due, last_review, reviews"
LOG_COLUMNS = (
    "uuid, question_id, attempt_uuid, rating, reviewed_at, duration_ms, card_before, card_after"
)
EXAM_COLUMNS = "session_id, pass_mark, time_limit_s, time_used_s, auto_submitted"
"""The columns of each table, in the order of the records' fields (and of the exports)."""


def check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    uuid: str
    question_id: str
    content_hash: str
    chosen: tuple[str, ...]
    correct: bool
    time_ms: int
    mode: str
    session_id: str | None
    answered_at: datetime
    day: date
    skipped: bool = False
    """An exam question left unanswered: scored 0 in its exam, but not an answer (statistics,
    drills and the schedule leave it out)."""


@dataclass(frozen=True, slots=True)
class SessionRecord:
    id: str
    mode: str
    scope: str
    started: datetime
    finished: datetime | None


@dataclass(frozen=True, slots=True)
class CardRecord:
    question_id: str
    card: str
    """JSON written by ``fsrs.Card.to_json``."""
    due: datetime
    last_review: datetime | None
    reviews: int


@dataclass(frozen=True, slots=True)
class ReviewLogRecord:
    uuid: str
    question_id: str
    attempt_uuid: str | None
    rating: int
    """1 Again, 2 Hard, 3 Good, 4 Easy (``fsrs.Rating`` values)."""
    reviewed_at: datetime
    duration_ms: int | None
    card_before: str | None
    card_after: str


@dataclass(frozen=True, slots=True)
class CardUpdate:
    """What a review did to a card; computed by the scheduler inside the store's transaction."""

    card: str
    due: datetime
    last_review: datetime
    rating: int
    card_before: str | None


ReviewFn = Callable[[CardRecord | None], CardUpdate | None]
"""Given the card as stored (None if never reviewed), return the update to store, or None."""


@dataclass(frozen=True, slots=True)
class ExamOutcome:
    """How a finished mock exam was set and how it ended (its answers are its attempts)."""

    pass_mark: float
    """The share of right answers needed to pass, 0-1 (0.72: 72%)."""
    time_limit_s: int
    time_used_s: float
    auto_submitted: bool = False
    """True when the clock ended the exam."""


@dataclass(frozen=True, slots=True)
class PendingAnswer:
    """One answer of a session recorded as a whole (`AttemptStore.record_session`)."""

    question_id: str
    content_hash: str
    chosen: tuple[str, ...]
    correct: bool
    time_ms: int
    review: ReviewFn | None = None
    """Run inside the session's transaction with the stored card, as `record_attempt` does."""
    skipped: bool = False
    """Left unanswered (an exam question): stored as skipped, with no review."""

ReviseFn = Callable[[ReviewLogRecord], CardUpdate]

RebuildFn = Callable[[list[ReviewLogRecord]], tuple[CardUpdate, list[tuple[str, str]]]]
"""Given a card's logs, oldest first: the final card and (card before, card after) per log."""


def attempt_record(r: tuple) -> AttemptRecord:
    return AttemptRecord(
        r[0], r[1], r[2], tuple(json.loads(r[3])), bool(r[4]), r[5], r[6], r[7], parse_utc(r[8]),
        date.fromisoformat(r[9]), bool(r[10]),
    )


def session_record(r: tuple) -> SessionRecord:
    return SessionRecord(r[0], r[1], r[2], parse_utc(r[3]), parse_utc(r[4]) if r[4] else None)


def card_record(r: tuple) -> CardRecord:
    return CardRecord(r[0], r[1], parse_utc(r[2]), parse_utc(r[3]) if r[3] else None, int(r[4]))


def log_record(r: tuple) -> ReviewLogRecord:
    return ReviewLogRecord(r[0], r[1], r[2], int(r[3]), parse_utc(r[4]), r[5], r[6], r[7])


def exam_outcome(r: tuple) -> ExamOutcome:
    """From the columns of `EXAM_COLUMNS` after the session id."""
    return ExamOutcome(float(r[0]), int(r[1]), float(r[2]), bool(r[3]))

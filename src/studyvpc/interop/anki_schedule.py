"""Carrying a question's FSRS schedule over to Anki (``studyvpc export anki --with-progress``).

Why it is built this way:

- **Read through the store's public methods only**: `ProgressStore.cards` (the FSRS card JSON,
  its due time and how many reviews it had) and `ProgressStore.review_logs` (for lapses, which
  the card does not count). Nothing is written.
- **Same memory, same clock.** Anki (23.10 and later) keeps an FSRS memory state per card:
  stability and difficulty on the same scales as the ``fsrs`` package, the desired retention
  and the decay of the parameters that scheduled it, and the time of the last review. Those
  go into the card's ``data`` column; the card's type, queue, interval and due day say where
  it is in the schedule, so Anki continues it instead of starting the card over.
- **Days, as Anki counts them**: a review card is due on a day number counted from the
  exported collection's creation. The importer shifts those days to the target collection's
  calendar, so a card due in 3 days is due in 3 days after the import. Learning steps within
  today keep their exact time (Anki keeps those in seconds).
- A card whose JSON cannot be read is left out (exported as a new card) and named, never
  guessed at.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from studyvpc.progress.scheduler import AGAIN, ReviewScheduler
from studyvpc.progress.store.store import ProgressStore

LEARNING, REVIEW, RELEARNING = 1, 2, 3
"""``fsrs.State`` values as stored in the card JSON."""
ANKI_LEARN, ANKI_REVIEW, ANKI_RELEARN, ANKI_DAY_LEARN = 1, 2, 3, 3
"""Anki's card types (learn 1, review 2, relearn 3) and the day-learning queue (3)."""
DEFAULT_EASE = 2500
"""Anki's starting ease (250%); FSRS does not use it, but Anki expects one on review cards."""
DAY_S = 86400


@dataclass(frozen=True, slots=True)
class CardProgress:
    """One question's FSRS card as Anki needs it."""

    state: int
    """`LEARNING`, `REVIEW` or `RELEARNING`."""
    due: datetime
    last_review: datetime | None
    stability: float
    difficulty: float
    reps: int
    lapses: int
    remaining_steps: int
    """Learning or relearning steps left (0 for a review card)."""
    desired_retention: float
    decay: float

    def columns(self, *, now: datetime, created: int) -> dict[str, int | str]:
        """Anki's card columns (type, queue, due, ivl, factor, reps, lapses, left, data) for a
        collection created at ``created`` (Unix seconds) and exported at ``now``."""
        today = int(now.timestamp() - created) // DAY_S
        days_until = (self.due.astimezone().date() - now.astimezone().date()).days
        ivl = 0
        if self.last_review is not None:
            ivl = max(1, round((self.due - self.last_review).total_seconds() / DAY_S))
        if self.state == REVIEW:
            card_type, queue, due = ANKI_REVIEW, ANKI_REVIEW, today + days_until
        else:
            card_type = ANKI_LEARN if self.state == LEARNING else ANKI_RELEARN
            if days_until >= 1:  # a step that ends on a later day: Anki counts it in days
                queue, due = ANKI_DAY_LEARN, today + days_until
            else:
                queue, due = ANKI_LEARN, int(self.due.timestamp())
            ivl = ivl if self.state == RELEARNING else 0
        data = {"s": round(self.stability, 4), "d": round(self.difficulty, 4),
                "dr": self.desired_retention, "decay": self.decay}
        if self.last_review is not None:
            data["lrt"] = int(self.last_review.timestamp())
        return {"type": card_type, "queue": queue, "due": due, "ivl": ivl,
                "factor": DEFAULT_EASE, "reps": self.reps, "lapses": self.lapses,
                "left": self.remaining_steps, "data": json.dumps(data, separators=(",", ":"))}


@dataclass(frozen=True, slots=True)
class ProgressForAnki:
    cards: dict[str, CardProgress]
    """By question id: the questions answered (outside drills) that are in the export."""
    unreadable: tuple[str, ...] = ()
    """Question ids whose stored card could not be read (exported as new cards)."""


def progress_for_anki(store: ProgressStore, question_ids: Iterable[str]) -> ProgressForAnki:
    """The FSRS state of the given questions that have one."""
    wanted = set(question_ids)
    fsrs = ReviewScheduler(store).fsrs  # the steps and parameters the cards were scheduled with
    steps = {LEARNING: len(fsrs.learning_steps), RELEARNING: len(fsrs.relearning_steps)}
    decay = float(fsrs.parameters[20])
    lapses: Counter[str] = Counter()
    for log in store.review_logs():
        if log.question_id in wanted and log.rating == AGAIN and _state(log.card_before) == REVIEW:
            lapses[log.question_id] += 1
    cards: dict[str, CardProgress] = {}
    unreadable: list[str] = []
    for record in store.cards():
        if record.question_id not in wanted:
            continue
        try:
            card = json.loads(record.card)
            state = int(card["state"])
            if state not in (LEARNING, REVIEW, RELEARNING):
                raise ValueError(state)
            step = card.get("step")
            remaining = 0 if state == REVIEW else max(1, steps[state] - int(step or 0))
            cards[record.question_id] = CardProgress(
                state=state, due=record.due, last_review=record.last_review,
                stability=float(card["stability"]), difficulty=float(card["difficulty"]),
                reps=record.reviews, lapses=lapses[record.question_id],
                remaining_steps=remaining, desired_retention=float(fsrs.desired_retention),
                decay=decay)
        except (ValueError, TypeError, KeyError):
            unreadable.append(record.question_id)
    return ProgressForAnki(cards, tuple(unreadable))


def _state(card_json: str | None) -> int | None:
    if not card_json:
        return None
    try:
        return int(json.loads(card_json).get("state"))
    except (ValueError, TypeError, AttributeError):
        return None

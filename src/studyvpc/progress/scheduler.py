"""Spaced repetition: every question is an FSRS card, rescheduled as the learner answers.

Why it is built this way:

- **The ``fsrs`` package does the maths**; this module only maps answers to ratings and keeps
  cards and review logs in the `ProgressStore`. A wrong answer is always ``Again``; a right one
  is ``Good`` unless the learner picks ``Hard`` or ``Easy``. Because the answer must be saved the
  moment it is given (before the learner has had a chance to rate it), `answer` stores the
  review with the default rating and `rate` revises that same review afterwards, recomputing
  the card from the state saved just before it (``card_before`` in the log).
- **One transaction per answer**: the attempt, the new card and its review log are committed
  together; the FSRS step runs inside the store's write transaction (as a callback) so two
  processes answering the same question cannot overwrite each other's card.
- **Replayable**: every review log keeps its rating, time and duration, so a card can be rebuilt
  from its logs (`replay`), which is how imports that bring reviews from another machine are
  merged. With fuzzing on (the FSRS default, spreading reviews over neighbouring days) a replay
  may land on a slightly different due date; stability and difficulty are reproduced exactly.
- **Drills leave the schedule alone**: attempts in ``drill`` mode are stored but no card moves.
- **Clock injected**: every method takes ``now`` (UTC) so tests never sleep or depend on today.
- **Lazy ``fsrs`` import**: the package is imported on first use, not when this module or the
  store is imported; the home screen's due count (`due_count`, `next_due`) is plain SQL and never
  needs it.

Card ids: FSRS wants an integer per card; we derive a stable one from the question id so the
same question has the same card id in every database and export.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from studyvpc.progress.store.records import AttemptRecord, CardRecord, CardUpdate, ExamOutcome, PendingAnswer, ReviewFn, ReviewLogRecord
from studyvpc.progress.store.store import ProgressStore
from studyvpc.progress.store.schema import as_utc
from studyvpc.study.kinds import kind_of

if TYPE_CHECKING:  # pragma: no cover
    import fsrs

    from studyvpc.content.model import Question

AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATING_NAMES = {"again": AGAIN, "hard": HARD, "good": GOOD, "easy": EASY}
RESCHEDULING_MODES = frozenset({"practice", "review", "exam"})
"""Modes whose answers move cards. ``drill`` only records attempts."""


def card_id_for(question_id: str) -> int:
    """A stable 48-bit FSRS card id for a question id."""
    return int(hashlib.sha256(question_id.encode("utf-8")).hexdigest()[:12], 16)


def rating_value(rating: int | str | Any) -> int:
    """1-4 from an int, an ``fsrs.Rating`` or a name ("again", "hard", "good", "easy")."""
    if isinstance(rating, str):
        try:
            return RATING_NAMES[rating.strip().lower()]
        except KeyError:
            raise ValueError(f"rating must be one of {', '.join(RATING_NAMES)}, not {rating!r}") from None
    value = int(rating)
    if not AGAIN <= value <= EASY:
        raise ValueError(f"rating must be 1-4, not {value}")
    return value


def _rating_for(correct: bool, rating: int | str | Any | None) -> int:
    """The rating an answer is stored with: Good (or the one given) if right, Again if wrong."""
    if correct:
        value = GOOD if rating is None else rating_value(rating)
        if value == AGAIN:
            raise ValueError("a right answer is rated hard, good or easy, not again")
        return value
    if rating is not None and rating_value(rating) != AGAIN:
        raise ValueError("a wrong answer is always rated again")
    return AGAIN


def _utc(now: datetime | None) -> datetime:
    """``now`` (the current time if None) in UTC; the store's own check, with this API's wording."""
    return as_utc(now, naive="now must be timezone-aware (UTC)")


class _Memory:
    """The part of an ``fsrs.Card`` that ``Scheduler.get_card_retrievability`` reads."""

    __slots__ = ("stability", "last_review")

    def __init__(self, stability: float | None, last_review: datetime | None) -> None:
        self.stability = stability
        self.last_review = last_review


class RatingSuperseded(ValueError):
    """The answer to re-rate is no longer the question's latest review.

    Two windows (or processes) on one database can answer the same question; a rating then
    must not rewrite the later review's schedule.
    """


@dataclass(frozen=True, slots=True)
class AnswerOutcome:
    attempt: AttemptRecord
    rescheduled: bool
    rating: int | None
    """The rating stored (None when the mode does not reschedule)."""
    due: datetime | None
    """When the question is due next (None when not rescheduled)."""


class ReviewScheduler:
    """FSRS scheduling on top of a `ProgressStore`."""

    def __init__(
        self,
        store: ProgressStore,
        *,
        desired_retention: float = 0.9,
        enable_fuzzing: bool = True,
        parameters: Iterable[float] | None = None,
    ) -> None:
        self.store = store
        self._options: dict[str, Any] = {
            "desired_retention": desired_retention,
            "enable_fuzzing": enable_fuzzing,
        }
        if parameters is not None:
            self._options["parameters"] = tuple(parameters)
        self._fsrs: fsrs.Scheduler | None = None

    # -- fsrs, imported on first use

    @property
    def fsrs(self) -> fsrs.Scheduler:
        if self._fsrs is None:
            import fsrs

            self._fsrs = fsrs.Scheduler(**self._options)
        return self._fsrs

    def _new_card(self, question_id: str, now: datetime) -> fsrs.Card:
        import fsrs

        return fsrs.Card(card_id=card_id_for(question_id), due=now)

    @staticmethod
    def _load(card_json: str) -> fsrs.Card:
        import fsrs

        return fsrs.Card.from_json(card_json)

    def _review(self, card: fsrs.Card, rating: int, at: datetime, duration_ms: int | None) -> fsrs.Card:
        import fsrs

        new_card, _log = self.fsrs.review_card(
            card, fsrs.Rating(rating), review_datetime=at, review_duration=duration_ms
        )
        return new_card

    # -- answering

    def answer(
        self,
        question_id: str,
        content_hash: str,
        chosen: Iterable[str],
        correct: bool,
        *,
        time_ms: int,
        mode: str,
        session_id: str | None = None,
        now: datetime | None = None,
        rating: int | str | None = None,
    ) -> AnswerOutcome:
        """Record an answer (committed when this returns) and, outside drills, reschedule it.

        ``chosen`` are the question's own option keys (not letters as shuffled on screen),
        stored in the order given. ``rating`` defaults to Good for a right answer; a wrong answer is always Again.
        """
        moment = _utc(now)
        value = _rating_for(correct, rating)
        reschedule = mode in RESCHEDULING_MODES
        result: dict[str, CardUpdate] = {}
        attempt = self.store.record_attempt(
            question_id, content_hash, chosen, correct, time_ms=time_ms, mode=mode,
            session_id=session_id, at=moment,
            review=self._reviewer(question_id, value, moment, time_ms, result)
            if reschedule else None,
        )
        update = result.get("update")
        return AnswerOutcome(attempt, reschedule, value if reschedule else None,
                             update.due if update else None)

    def _reviewer(self, question_id: str, value: int, moment: datetime, time_ms: int,
                  result: dict[str, CardUpdate]) -> ReviewFn:
        """The FSRS step the store runs inside its transaction; it leaves its update in
        ``result["update"]``."""

        def review(stored: CardRecord | None) -> CardUpdate:
            before = self._load(stored.card) if stored else self._new_card(question_id, moment)
            after = self._review(before, value, moment, max(0, int(time_ms)))
            update = CardUpdate(
                card=after.to_json(), due=after.due, last_review=moment, rating=value,
                card_before=before.to_json(),
            )
            result["update"] = update
            return update

        return review

    def record_session(
        self,
        mode: str,
        scope: str,
        answers: Iterable[tuple[Question, Iterable[str], int]],
        *,
        session_id: str,
        started: datetime,
        finished: datetime,
        exam: ExamOutcome | None = None,
    ) -> list[AnswerOutcome] | None:
        """Record a finished session whole (a mock exam at its submission), in one transaction.

        ``answers`` are (question, chosen original keys, time in ms); each is graded and stored
        by its question's kind, rated Good when right and Again when wrong, and, outside
        drills, moves its card. A question with nothing chosen was left unanswered: it is
        stored as skipped (its exam scores it 0) and moves no card, since no recall was tried. Returns None, writing nothing, if the session
        ``session_id`` is already stored (see `ProgressStore.record_session`).
        """
        moment = _utc(finished)
        reschedule = mode in RESCHEDULING_MODES
        pending: list[PendingAnswer] = []
        results: list[dict[str, CardUpdate]] = []
        values: list[int] = []
        for question, chosen, time_ms in answers:
            kind = kind_of(question)
            keys = kind.stored(chosen)
            skipped = not keys
            correct = not skipped and kind.grade(question, keys).correct
            value = _rating_for(correct, None)
            result: dict[str, CardUpdate] = {}
            pending.append(PendingAnswer(
                question.id, question.content_hash, keys, correct, time_ms,
                self._reviewer(question.id, value, moment, time_ms, result)
                if reschedule and not skipped else None, skipped=skipped))
            results.append(result)
            values.append(value)
        attempts = self.store.record_session(mode, scope, pending, session_id=session_id,
                                             started=_utc(started), finished=moment, exam=exam)
        if attempts is None:
            return None
        return [
            AnswerOutcome(attempt, reschedule and not attempt.skipped,
                          value if reschedule and not attempt.skipped else None,
                          result["update"].due if "update" in result else None)
            for attempt, value, result in zip(attempts, values, results, strict=True)
        ]

    def answer_question(
        self,
        question: Question,
        chosen: Iterable[str],
        *,
        time_ms: int,
        mode: str,
        session_id: str | None = None,
        now: datetime | None = None,
        rating: int | str | None = None,
    ) -> AnswerOutcome:
        """`answer` for a content `Question`: its kind grades and stores ``chosen`` (original
        keys, in the order given)."""
        kind = kind_of(question)
        keys = kind.stored(chosen)
        return self.answer(
            question.id, question.content_hash, keys, kind.grade(question, keys).correct,
            time_ms=time_ms, mode=mode, session_id=session_id, now=now, rating=rating,
        )

    def rate(self, question_id: str, rating: int | str, *, attempt_uuid: str | None = None) -> datetime:
        """Change the rating of a right answer just given to Hard, Good or Easy.

        Revises the question's latest review (recomputed from the card as it was before it) and
        returns the new due time. With ``attempt_uuid`` it refuses if that attempt is not the
        latest review (for example a drill attempt, which has no review).
        """
        value = rating_value(rating)
        if value == AGAIN:
            raise ValueError("only a right answer can be re-rated, and only to hard, good or easy")

        def revise(log: ReviewLogRecord) -> CardUpdate:
            if attempt_uuid is not None and log.attempt_uuid != attempt_uuid:
                raise RatingSuperseded(
                    f"{question_id} was answered again since (in another window or process); "
                    "the schedule of that later answer stands")
            if log.rating == AGAIN:
                raise ValueError("a wrong answer stays rated again")
            before = (self._load(log.card_before) if log.card_before
                      else self._new_card(question_id, log.reviewed_at))
            after = self._review(before, value, log.reviewed_at, log.duration_ms)
            return CardUpdate(card=after.to_json(), due=after.due, last_review=log.reviewed_at,
                              rating=value, card_before=log.card_before)

        update = self.store.revise_last_review(question_id, revise)
        if update is None:
            raise ValueError(f"{question_id} has never been reviewed")
        return update.due

    # -- what to study

    def due_question_ids(self, now: datetime, known_ids: Iterable[str] | None = None,
                         limit: int | None = None) -> list[str]:
        """Questions due at ``now`` (most overdue first), restricted to ``known_ids`` if given."""
        return self.store.due_question_ids(_utc(now), known_ids, limit)

    def due_count(self, now: datetime, known_ids: Iterable[str] | None = None) -> int:
        return self.store.due_count(_utc(now), known_ids)

    def next_due(self, now: datetime, known_ids: Iterable[str] | None = None) -> datetime | None:
        return self.store.next_due(_utc(now), known_ids)

    def card(self, question_id: str) -> fsrs.Card | None:
        stored = self.store.card(question_id)
        return self._load(stored.card) if stored else None

    def retrievability(self, question_id: str, now: datetime) -> float | None:
        """Predicted probability of recalling the answer at ``now``; None if never reviewed."""
        stored = self.store.card(question_id)
        if stored is None:
            return None
        return float(self.fsrs.get_card_retrievability(self._load(stored.card), _utc(now)))

    def retrievabilities(self, now: datetime, known_ids: Iterable[str] | None = None) -> dict[str, float]:
        """`retrievability` of every reviewed question (of ``known_ids`` if given), by id.

        FSRS's retrievability depends on a card's stability and last review only, which the
        store reads out of the card JSON in SQL (`ProgressStore.card_memory`): no ``Card`` is
        rebuilt per question (the stats rows of benchmarks/run.py). The formula stays fsrs's own, fed
        what ``Card.from_dict`` would give it for those two fields.
        """
        moment = _utc(now)
        known = set(known_ids) if known_ids is not None else None
        of = self.fsrs.get_card_retrievability
        parse = datetime.fromisoformat
        out: dict[str, float] = {}
        for qid, stability, last_review, card_json in self.store.card_memory():
            if known is not None and qid not in known:
                continue
            if card_json is not None:  # not readable in SQL: load it whole, as always
                card: Any = self._load(card_json)
            else:
                card = _Memory(float(stability) if stability else None,
                               parse(last_review) if last_review else None)
            out[qid] = float(of(card, moment))
        return out

    # -- replay and merge

    def replay(self, question_id: str) -> CardRecord | None:
        """Rebuild a card from its review logs and store it (and each log's before/after)."""

        def rebuild(logs: list[ReviewLogRecord]) -> tuple[CardUpdate, list[tuple[str, str]]]:
            card = self._new_card(question_id, logs[0].reviewed_at)
            states: list[tuple[str, str]] = []
            for log in logs:
                before = card
                card = self._review(before, log.rating, log.reviewed_at, log.duration_ms)
                states.append((before.to_json(), card.to_json()))
            final = CardUpdate(card=card.to_json(), due=card.due, last_review=logs[-1].reviewed_at,
                               rating=logs[-1].rating, card_before=states[-1][0])
            return final, states

        return self.store.rebuild_card(question_id, rebuild)

"""Statistics over the whole history, as one plain dataclass for the stats screen and CLI.

Why it is built this way:

- **Read totals, not attempts.** The totals per question, per day and per session are kept
  as each answer is written (schema version 4: triggers, in the answer's own transaction), so
  statistics read one row per question, day or session, however many years of answers there
  are; retention reads the reviews of its first day and totals per day after it (version 5). Tags
  and note ids come from a `QuestionIndex` built from the loaded content, so per-tag accuracy
  follows the content as it is now, and attempts for ids no longer in it are counted as orphans
  instead of failing.
- **Days are the learner's local dates**, stored with each attempt (see the schema), so the
  streak is about the days the learner actually lived.
- **No FSRS import unless asked**: retrievability is included only when a scheduler is passed.
- All queries run in one read transaction, so the numbers agree with each other even while
  another process is recording answers.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from studyvpc.progress.store.content_index import QuestionIndex
from studyvpc.progress.store.schema import iso_utc
from studyvpc.progress.store.store import ProgressStore
from studyvpc.progress.store.schema import REVIEW_STATE, local_day, parse_utc, utc_now

if TYPE_CHECKING:  # pragma: no cover
    from studyvpc.progress.scheduler import ReviewScheduler


class _Accuracy:
    """`accuracy` for the records below, which count ``attempts`` and the ``correct`` ones."""

    __slots__ = ()
    attempts: int
    correct: int

    @property
    def accuracy(self) -> float:
        return self.correct / self.attempts if self.attempts else 0.0


@dataclass(frozen=True, slots=True)
class TagAccuracy(_Accuracy):
    tag: str
    attempts: int
    correct: int
    questions: int
    """How many questions carry the tag in the content."""
    answered: int
    """How many of those have been answered at least once."""


@dataclass(frozen=True, slots=True)
class QuestionAccuracy(_Accuracy):
    question_id: str
    note_id: str | None
    attempts: int
    correct: int
    retrievability: float | None = None


@dataclass(frozen=True, slots=True)
class Stats:
    total_attempts: int
    correct_attempts: int
    time_spent_ms: int
    """Time in sessions, as their results showed it: each session from its start to its end
    (its last answer if it was never finished), a mock exam by its own clock, and the
    answering time of answers given outside any session."""
    questions_total: int
    """Questions in the content."""
    questions_answered: int
    """Questions in the content answered at least once."""
    sessions: int
    per_tag: list[TagAccuracy]
    answers_per_day: dict[date, int]
    study_days: int
    streak_days: int
    """Consecutive study days ending today, or yesterday if today has no answer yet."""
    longest_streak: int
    weakest: list[QuestionAccuracy]
    """The questions in the content with the lowest accuracy, among those missed at least once."""
    retrievability: dict[str, float]
    """FSRS's *predicted* recall now, per question in the content whose card is in review
    (empty without a scheduler). Cards still being learned are left out: right after a
    wrong answer FSRS predicts near-certain recall for the next minutes, which is no help."""
    due_now: int
    next_due: datetime | None
    orphan_attempts: int
    """Attempts whose question id is no longer in the content (kept, not shown elsewhere)."""
    orphan_question_ids: list[str] = field(default_factory=list)
    today: date | None = None
    skipped: int = 0
    """Mock-exam questions left unanswered: scored 0 in their exam, not counted as answers."""
    new_cards: int = 0
    """Questions in the content never answered outside drills (no FSRS card yet)."""
    learning_cards: int = 0
    """Questions whose card is being learned or relearned (short steps, minutes apart)."""
    review_cards: int = 0
    """Questions whose card is in review (intervals of days)."""
    retention_reviews: int = 0
    """Reviews in the last `RETENTION_DAYS` days of cards that were in review."""
    retention_recalled: int = 0
    """How many of those were answered right."""

    @property
    def retention(self) -> float | None:
        """Share of recent reviews of cards in review that were recalled (None: none)."""
        return (self.retention_recalled / self.retention_reviews if self.retention_reviews
                else None)

    @property
    def accuracy(self) -> float | None:
        return self.correct_attempts / self.total_attempts if self.total_attempts else None

    @property
    def mean_retrievability(self) -> float | None:
        values = list(self.retrievability.values())
        return sum(values) / len(values) if values else None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (``studyvpc stats --json``)."""
        return {
            "total_attempts": self.total_attempts,
            "correct_attempts": self.correct_attempts,
            "accuracy": self.accuracy,
            "time_spent_ms": self.time_spent_ms,
            "questions_total": self.questions_total,
            "questions_answered": self.questions_answered,
            "sessions": self.sessions,
            "per_tag": [
                {"tag": t.tag, "attempts": t.attempts, "correct": t.correct,
                 # null, not 0.0, for a tag never answered: no answer is not a wrong answer
                 "accuracy": t.accuracy if t.attempts else None, "questions": t.questions,
                 "answered": t.answered}
                for t in self.per_tag
            ],
            "answers_per_day": {d.isoformat(): n for d, n in sorted(self.answers_per_day.items())},
            "study_days": self.study_days,
            "streak_days": self.streak_days,
            "longest_streak": self.longest_streak,
            "weakest": [
                {"question_id": q.question_id, "note_id": q.note_id, "attempts": q.attempts,
                 "correct": q.correct, "accuracy": q.accuracy, "retrievability": q.retrievability}
                for q in self.weakest
            ],
            "retrievability": dict(sorted(self.retrievability.items())),
            "mean_retrievability": self.mean_retrievability,
            "due_now": self.due_now,
            "next_due": iso_utc(self.next_due) if self.next_due else None,
            "orphan_attempts": self.orphan_attempts,
            "orphan_question_ids": self.orphan_question_ids,
            "today": self.today.isoformat() if self.today else None,
            "skipped": self.skipped,
            "cards": {"new": self.new_cards, "learning": self.learning_cards,
                      "review": self.review_cards},
            "retention_days": RETENTION_DAYS,
            "retention_reviews": self.retention_reviews,
            "retention_recalled": self.retention_recalled,
            "retention": self.retention,
        }


def streaks(days: set[date], today: date) -> tuple[int, int]:
    """(current streak ending today or yesterday, longest streak) over a set of study days."""
    current = 0
    start = today if today in days else today - timedelta(days=1)
    while start in days:
        current += 1
        start -= timedelta(days=1)
    longest = run = 0
    previous: date | None = None
    for d in sorted(days):
        run = run + 1 if previous is not None and d - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = d
    return current, longest


RETENTION_DAYS = 30
"""Retention is measured over this many recent days."""

_SESSION_TIMES = (
    "SELECT s.started, COALESCE(s.finished, t.last_answer), e.time_used_s"
    " FROM sessions s JOIN session_totals t ON t.session_id = s.id"
    " LEFT JOIN exams e ON e.session_id = s.id"
)
"""Each session with an attempt: its start, its end (or last answer), an exam's own time."""


def session_time_ms(rows: list[tuple]) -> int:
    """The time of `_SESSION_TIMES`'s sessions, added up (never negative)."""
    total = 0.0
    for started, ended, exam_s in rows:
        if exam_s is not None:
            total += float(exam_s) * 1000
        else:
            total += max(0.0, (parse_utc(ended) - parse_utc(started)).total_seconds() * 1000)
    return int(round(total))


_PER_QUESTION = (
    "SELECT question_id, answers, correct, time_ms FROM question_totals WHERE answers > 0"
)
"""Answers (exam questions left unanswered are not), right ones and their time per question;
an id with only skipped rows is left out."""


def _counts(rows: list[tuple]) -> dict[str, tuple[int, int, int]]:
    return {r[0]: (int(r[1]), int(r[2]), int(r[3])) for r in rows}


def per_question_counts(store: ProgressStore) -> dict[str, tuple[int, int, int]]:
    """question id → (answers, right, time in ms), for every id ever answered (exam questions
    left unanswered are not answers)."""
    return _counts(store.fetchall(_PER_QUESTION))


def tag_accuracy(counts: dict[str, tuple[int, int, int]], index: QuestionIndex) -> list[TagAccuracy]:
    # Questions share a few tag sets (a note's tags, plus their own): total per set first,
    # then spread each set's totals over its tags: work per tag set, not per question.
    by_set: dict[tuple[str, ...], list[int]] = {}
    get = counts.get
    for qid, tags in index.tags.items():
        totals = by_set.get(tags)
        if totals is None:
            totals = by_set[tags] = [0, 0, 0, 0]
        n, ok, _ = get(qid, (0, 0, 0))
        totals[0] += n
        totals[1] += ok
        totals[2] += 1
        totals[3] += 1 if n else 0
    acc: dict[str, list[int]] = {}
    for tags, totals in by_set.items():
        for tag in tags:
            a = acc.setdefault(tag, [0, 0, 0, 0])
            for i in range(4):
                a[i] += totals[i]
    return [TagAccuracy(tag, a[0], a[1], a[2], a[3]) for tag, a in sorted(acc.items())]


def compute_stats(
    store: ProgressStore,
    index: QuestionIndex | None = None,
    *,
    now: datetime | None = None,
    today: date | None = None,
    scheduler: ReviewScheduler | None = None,
    weakest_limit: int = 10,
) -> Stats:
    """Everything the stats screen shows. ``index`` maps question ids to tags and notes (from the
    loaded content); without it every attempt counts as an orphan. ``today`` defaults to the
    local date at ``now``."""
    index = index or QuestionIndex()
    now = now or utc_now()
    today = today or local_day(now)
    with store.snapshot() as q:
        counts = _counts(q(_PER_QUESTION, ()))
        skipped = int(q("SELECT COALESCE(SUM(skipped), 0) FROM question_totals", ())[0][0])
        per_day = {date.fromisoformat(d): int(n) for d, n in
                   q("SELECT day, answers FROM day_totals WHERE answers > 0", ())}
        session_ms = session_time_ms(q(_SESSION_TIMES, ()))
        # Answers outside any session (skipped ones are always in an exam's session).
        loose_ms = int(q("SELECT COALESCE(SUM(time_ms), 0) FROM session_totals"
                         " WHERE session_id = ''", ())[0][0])
        states = store.card_states()
        reviewed, recalled = store.review_outcomes(now - timedelta(days=RETENTION_DAYS),
                                                   REVIEW_STATE)
        sessions = int(q("SELECT COUNT(*) FROM sessions", ())[0][0])
        due_rows = q("SELECT question_id, due FROM cards ORDER BY due", ())
    total = sum(c[0] for c in counts.values())
    correct = sum(c[1] for c in counts.values())
    known = index.tags  # question id -> tags: membership tests on the mapping itself
    orphans = sorted(qid for qid in counts if qid not in known)
    orphan_attempts = sum(counts[qid][0] for qid in orphans)

    now_text = iso_utc(now)
    due_now = 0
    next_due: datetime | None = None
    for qid, due in due_rows:
        if qid not in known:
            continue
        if due <= now_text:
            due_now += 1
        elif next_due is None:
            next_due = parse_utc(due)

    in_content = [(qid, state) for qid, state in states.items() if qid in known]
    in_review = [qid for qid, state in in_content if state == REVIEW_STATE]
    retrievability = (scheduler.retrievabilities(now, in_review) if scheduler is not None
                      else {})
    answered = [(qid, c) for qid, c in counts.items() if qid in known]
    # Only questions missed at least once are "weak": one always answered right is not, even
    # when it is the least strong of a good history.
    missed = [(qid, c) for qid, c in answered if c[1] < c[0]]
    # The weakest few: what sorted(...)[:weakest_limit] gives, without sorting them all.
    def weakness(item: tuple[str, tuple[int, int, int]]) -> tuple[float, int, str]:
        return item[1][1] / item[1][0], -item[1][0], item[0]

    lowest = (heapq.nsmallest(weakest_limit, missed, key=weakness) if weakest_limit >= 0
              else sorted(missed, key=weakness)[:weakest_limit])
    weakest = [
        QuestionAccuracy(qid, index.notes.get(qid) or None, c[0], c[1], retrievability.get(qid))
        for qid, c in lowest
    ]
    current, longest = streaks(set(per_day), today)
    return Stats(
        total_attempts=total,
        correct_attempts=correct,
        time_spent_ms=session_ms + loose_ms,
        questions_total=len(index),
        questions_answered=len(answered),
        sessions=sessions,
        per_tag=tag_accuracy(counts, index),
        answers_per_day=per_day,
        study_days=len(per_day),
        streak_days=current,
        longest_streak=longest,
        weakest=weakest,
        retrievability=retrievability,
        due_now=due_now,
        next_due=next_due,
        orphan_attempts=orphan_attempts,
        orphan_question_ids=orphans,
        today=today,
        skipped=skipped,
        new_cards=len(index) - len(in_content),
        learning_cards=len(in_content) - len(in_review),
        review_cards=len(in_review),
        retention_reviews=reviewed,
        retention_recalled=recalled,
    )

"""Progress for a front end: the store, the scheduler, the content index and a clock in one place.

Shared by the TUI (``StudyApp.progress``) and plain mode (``studyvpc quiz --plain``,
``studyvpc review --plain``); no Textual import.

Why it is built this way:

- **Opened once when the front end starts.** If the data directory or the database cannot be
  used, `Progress.open` falls back to an in-memory store and keeps the error (`Progress.error`),
  so the app still runs and can say that progress is not saved.
- **Answers are stored the moment they are given.** Front ends call `Recording.record` with the
  `AnswerResult` *before* showing the feedback; `ReviewScheduler.answer_question` returns only
  after the commit, so anything the learner has seen graded is on disk. The FSRS rating
  defaults to Good; `Recording.rate` revises it to Hard/Good/Easy afterwards.
- **Sessions start with their first answer** (stamped with the time the quiz opened), so a quiz
  left without answering leaves no empty session behind.
- **The clock is injectable** (`Progress.clock`): tests and snapshots freeze "now" instead of
  sleeping or depending on today's date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from studyvpc.progress.scheduler import RESCHEDULING_MODES, AnswerOutcome, ReviewScheduler
from studyvpc.progress.store import ProgressError, ProgressStore, QuestionIndex, open_or_memory
from studyvpc.progress.store.history import SessionResult, last_session_result, session_results
from studyvpc.progress.store.schema import utc_now
from studyvpc.progress.wording import RATINGS, rated_message

if TYPE_CHECKING:  # pragma: no cover
    # Statistics and drills are imported when first used: the app's start does not need them.
    from studyvpc.progress.store.stats import Stats, TagAccuracy
    from studyvpc.study.exam import ExamResult, MockExam
    from studyvpc.content.library import Library
    from studyvpc.study.quiz import AnswerResult

REVIEW_SCOPE = "your due reviews"
"""How a review session's scope is named (in its results and in the progress store)."""
MISSED_SESSIONS = 3
"""The "missed questions" drill looks at this many recent sessions."""


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True, slots=True)
class DueSummary:
    now: int
    """Due at this moment."""
    later_today: int
    """Not due yet, but due before the end of the learner's day."""
    next_due: datetime | None
    """When the next card not yet due becomes due."""


class Progress:
    """The progress store with its scheduler, the content index and the clock, for the app."""

    def __init__(self, store: ProgressStore, library: Library, *, error: ProgressError | None = None,
                 clock: Callable[[], datetime] | None = None,
                 scheduler: ReviewScheduler | None = None) -> None:
        self.store = store
        """Where answers go (in memory when `error` is set)."""
        self.error = error
        """Why the real database could not be used (progress is then not saved), or None."""
        self.library = library
        self.index = QuestionIndex.from_library(library)
        """Question id → tags and note, for statistics, drills and orphan detection."""
        self.scheduler = scheduler or ReviewScheduler(store)
        self.clock: Callable[[], datetime] = clock or utc_now
        """The current time (UTC, aware); replaced by tests to freeze "now"."""

    @classmethod
    def open(cls, library: Library, data_dir: Path | str, *,
             clock: Callable[[], datetime] | None = None,
             notice: Callable[[str], None] | None = None) -> Progress:
        store, error = open_or_memory(data_dir, notice=notice)
        return cls(store, library, error=error, clock=clock)

    @property
    def saved(self) -> bool:
        """Whether answers outlive this run (False: the in-memory fallback)."""
        return self.store.persistent and self.error is None

    def now(self) -> datetime:
        return self.clock()

    def close(self) -> None:
        self.store.close()

    # -- sessions

    def begin(self, mode: str, scope: str = "", *, opened: datetime | None = None) -> Recording:
        """A recording for one quiz session (the session row is written with its first
        answer); ``opened``: when the quiz opened (default now)."""
        return Recording(self, mode, scope, opened=opened)

    # -- what is due

    def due_ids(self) -> list[str]:
        """Questions in the content due now, most overdue first."""
        return self.scheduler.due_question_ids(self.now(), self.index.ids)

    def due_summary(self) -> DueSummary:
        now = self.now()
        ids = self.index.ids
        due_now = self.scheduler.due_count(now, ids)
        # Tomorrow's local midnight with *its* UTC offset: on the night clocks change, today's
        # offset plus 24 h would be an hour off.
        end_of_day = datetime.combine(now.astimezone().date() + timedelta(days=1),
                                      time()).astimezone()
        by_tonight = self.scheduler.due_count(end_of_day, ids)
        return DueSummary(due_now, max(0, by_tonight - due_now), self.scheduler.next_due(now, ids))

    # -- history and statistics

    def last_result(self) -> SessionResult | None:
        return last_session_result(self.store)

    def finished_exams(self, limit: int = 10) -> list[SessionResult]:
        return session_results(self.store, modes=("exam",), finished_only=True, limit=limit)

    def stats(self, *, weakest_limit: int = 10) -> Stats:
        from studyvpc.progress.store.stats import compute_stats

        return compute_stats(self.store, self.index, now=self.now(), scheduler=self.scheduler,
                             weakest_limit=weakest_limit)

    def record_exam(self, exam: MockExam, result: ExamResult, *,
                    at: datetime | None = None) -> str | None:
        """Store a submitted mock exam as one finished ``exam`` session (id: the exam's own
        id), one attempt per question, in FSRS too, with its pass mark and time: all in one
        transaction. A question left unanswered scores 0 in the exam, as AWS grades, but is
        stored as skipped: not an answer in the statistics, no recall for the schedule, not
        "missed" for the drills.

        ``at`` is when it was submitted (default now). Returns the session id, or None if this
        exam is already stored (recording it again, say after a kill before its save file was
        removed, adds nothing). Raises `ProgressError` if it cannot be saved.
        """
        from studyvpc.progress.store.records import ExamOutcome

        now = at or self.now()
        started = now - timedelta(seconds=result.time_used_s)
        per_item_ms = int(result.time_used_s * 1000 / max(1, result.total))
        answers = [(item.question, item.shown.original_keys(item.answer), per_item_ms)
                   for item in result.items]
        outcome = ExamOutcome(result.pass_mark, result.time_limit_s, result.time_used_s,
                              result.auto_submitted)
        stored = self.scheduler.record_session("exam", exam.scope, answers,
                                               session_id=exam.exam_id, started=started,
                                               finished=now, exam=outcome)
        return exam.exam_id if stored is not None else None

    # -- drills (answers recorded with mode "drill": the schedule is left alone)

    def missed_ids(self, last_sessions: int = MISSED_SESSIONS) -> list[str]:
        from studyvpc.progress.store.drills import missed_question_ids

        return missed_question_ids(self.store, last_sessions=last_sessions,
                                   known_ids=self.index.ids)

    def weakest_tags(self, limit: int = 3) -> list[TagAccuracy]:
        from studyvpc.progress.store.drills import weakest_tags

        return weakest_tags(self.store, self.index, limit=limit)

    def weak_tag_ids(self, tags: Iterable[str]) -> list[str]:
        from studyvpc.progress.store.drills import weak_tag_question_ids

        return weak_tag_question_ids(self.store, self.index, tags=list(tags))


class Recording:
    """One quiz session's answers going into the store, each at the moment it is given."""

    def __init__(self, progress: Progress, mode: str, scope: str = "", *,
                 opened: datetime | None = None) -> None:
        self.progress = progress
        self.mode = mode
        self.scope = scope
        self.opened = opened or progress.now()
        """When the quiz opened: the session's start time."""
        self.session_id: str | None = None
        self.last: AnswerOutcome | None = None
        """The outcome of the latest answer."""
        self.rating: str | None = None
        """The rating in force for the latest answer ("good" unless re-rated)."""
        self.due: datetime | None = None
        """When the latest answer's question is due next (None in drills)."""

    @property
    def reschedules(self) -> bool:
        return self.mode in RESCHEDULING_MODES

    def record(self, result: AnswerResult) -> AnswerOutcome:
        """Store ``result`` now (committed on return). Raises `ProgressError` if it cannot."""
        if self.session_id is None:
            self.session_id = self.progress.store.start_session(self.mode, self.scope,
                                                                at=self.opened)
        shown = result.shown
        outcome = self.progress.scheduler.answer_question(
            shown.question, shown.original_keys(result.chosen), time_ms=result.elapsed_ms,
            mode=self.mode, session_id=self.session_id, now=self.progress.now(),
        )
        self.last = outcome
        self.rating = "good" if outcome.rescheduled and outcome.attempt.correct else None
        self.due = outcome.due
        return outcome

    @property
    def can_rate(self) -> bool:
        """A right answer that moved its card: Hard/Good/Easy may revise it."""
        return self.last is not None and self.last.rescheduled and self.last.attempt.correct

    def rate(self, rating: str) -> datetime:
        """Revise the latest answer's rating; returns the new due time."""
        if not self.can_rate or self.last is None:
            raise ValueError("only a right answer that was scheduled can be rated")
        rating = rating.lower()
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {', '.join(RATINGS)}")
        due = self.progress.scheduler.rate(self.last.attempt.question_id, rating,
                                           attempt_uuid=self.last.attempt.uuid)
        self.rating = rating
        self.due = due
        return due

    def finish(self) -> None:
        if self.session_id is not None:
            self.progress.store.finish_session(self.session_id, at=self.progress.now())


@dataclass(frozen=True, slots=True)
class Said:
    """What a front end shows after recording: a sentence for the learner (may be empty) and,
    if saving failed, why (`problem`) under a title."""

    text: str = ""
    problem: str | None = None
    title: str = ""


class Recorder:
    """A quiz session's answers going to the store, for either front end.

    A failed save never stops a quiz: every call returns a `Said` (what to tell the learner,
    and what went wrong) instead of raising. ``rating_keys``: whether the sentence after a
    right answer names the keys that change its rating (the TUI; plain mode asks instead).
    """

    def __init__(self, progress: Progress, mode: str = "practice", scope: str = "", *,
                 rating_keys: bool = True) -> None:
        self.progress = progress
        self.mode = mode
        self.scope = scope
        self.rating_keys = rating_keys
        self.recording: Recording | None = None

    @property
    def reschedules(self) -> bool:
        return self.mode in RESCHEDULING_MODES

    def record(self, result: AnswerResult) -> Said:
        """Store the answer (before its feedback is shown)."""
        if self.recording is None:
            # The first question was shown when the quiz opened: the session started its
            # answering time ago, so that the session lasts as long as its results say.
            self.recording = self.progress.begin(
                self.mode, self.scope,
                opened=self.progress.now() - timedelta(milliseconds=result.elapsed_ms))
        try:
            self.recording.record(result)
        except ProgressError as exc:
            return Said(problem=str(exc), title="This answer was not saved")
        if self.recording.can_rate and self.rating_keys:
            return Said(rated_message("good", self.recording.due, self.progress.now()))
        if self.mode == "drill":
            return Said("Drill: your review schedule is not changed.")
        return Said()

    @property
    def can_rate(self) -> bool:
        return self.recording is not None and self.recording.can_rate

    def rate(self, rating: str) -> Said:
        """Revise the latest right answer's rating (nothing if there is none to revise)."""
        if self.recording is None or not self.recording.can_rate:
            return Said()
        try:
            due = self.recording.rate(rating)
        except (ProgressError, ValueError) as exc:
            return Said(problem=str(exc), title="The rating was not saved")
        return Said(rated_message(rating, due, self.progress.now(), keys=self.rating_keys))

    def finish(self) -> Said:
        if self.recording is not None:
            try:
                self.recording.finish()
            except ProgressError as exc:
                return Said(problem=str(exc), title="Progress")
        return Said()


@dataclass(frozen=True, slots=True)
class ReviewPlan:
    """What "review due" has to ask, for either front end."""

    ids: tuple[str, ...] = ()
    """The questions due now, most overdue first (at most the limit asked for)."""
    next_due: datetime | None = None
    """When nothing is due: when the next question is (None: nothing scheduled yet)."""
    problem: str | None = None
    """The schedule cannot be read (why); ``ids`` is then empty."""


def plan_review(progress: Progress, limit: int | None = None) -> ReviewPlan:
    """The due questions (the ``limit`` most overdue), or when the next ones are due."""
    try:
        ids = progress.due_ids()
        if progress.error is not None and not ids:
            # The schedule is in the database that cannot be used: "nothing due, practise
            # first" would be wrong advice for a learner who has one.
            return ReviewPlan(problem=f"Your review schedule cannot be read: {progress.error}")
        if not ids:
            return ReviewPlan(next_due=progress.due_summary().next_due)
    except ProgressError as exc:
        return ReviewPlan(problem=str(exc))
    if limit is not None and limit > 0:
        ids = ids[:limit]
    return ReviewPlan(ids=tuple(ids))

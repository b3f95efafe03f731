"""A timed mock exam: free navigation, flags, no feedback until the end, pass mark, review.

The exam is a plain object driven by the TUI and the tests alike. Time is measured with an
injected clock; the state (questions, option order, answers, flags, time used) round-trips
through a JSON-able dict so an exam survives a crash, a kill or a quit and resumes with the
time it had left.
"""

from __future__ import annotations

import math
import random
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from studyvpc.content.library import Library
from studyvpc.content.model import Question
from studyvpc.study.kinds import AnswerState
from studyvpc.study.quiz import LETTERS, ShownOption, ShownQuestion, TagScore

STATE_FORMAT = "studyvpc-exam"
STATE_VERSION = 1
DEFAULT_PASS_MARK = 0.72
"""AWS associate exams need 720 of 1000."""
SECONDS_PER_QUESTION = 120
"""Default time budget: AWS associate exams give 130 minutes for 65 questions."""


class ExamStateError(ValueError):
    """A saved exam cannot be resumed (unknown format, questions gone from the content)."""


@dataclass
class ExamItem:
    shown: ShownQuestion
    answer: tuple[str, ...] = ()
    """The letters chosen, in the order chosen."""
    flagged: bool = False

    @property
    def question(self) -> Question:
        return self.shown.question

    @property
    def answered(self) -> bool:
        """Anything chosen (partly answered counts)."""
        return bool(self.answer)

    @property
    def state(self) -> AnswerState:
        return self.shown.kind.state(self.question, self.answer)

    @property
    def correct(self) -> bool:
        return self.shown.grade(self.answer).correct


@dataclass(frozen=True, slots=True)
class ExamTally:
    """How far an exam is: questions answered, partly answered ("Choose 2", one chosen),
    not answered, flagged."""

    answered: int
    partly: int
    unanswered: int
    flagged: int


@dataclass(frozen=True)
class ExamSettings:
    count: int
    time_limit_s: int
    pass_mark: float = DEFAULT_PASS_MARK
    seed: int | None = None

    @staticmethod
    def defaults_for(available: int) -> "ExamSettings":
        count = min(available, 65) if available else 0
        return ExamSettings(count=count, time_limit_s=max(60, count * SECONDS_PER_QUESTION))


def draw_questions(pool: Sequence[Question], count: int, seed: int | None) -> list[Question]:
    rng = random.Random(seed)
    # Positions: only the questions drawn are read from a library of stored notes (the
    # shuffle depends on the length alone, so the draw is the one shuffling the pool gives).
    chosen = list(range(len(pool)))
    rng.shuffle(chosen)
    return [pool[i] for i in chosen[:count]]


REVIEW_FILTERS = ("all", "incorrect", "flagged", "unanswered")


@dataclass
class ExamResult:
    items: list[ExamItem]
    right: int
    total: int
    pass_mark: float
    time_used_s: float
    time_limit_s: int
    auto_submitted: bool
    by_tag: dict[str, TagScore]

    @property
    def score(self) -> float:
        return self.right / self.total if self.total else 0.0

    @property
    def passed(self) -> bool:
        return self.score >= self.pass_mark

    def review(self, which: str = "all") -> list[tuple[int, ExamItem]]:
        """(1-based number, item) filtered by all / incorrect / flagged / unanswered."""
        keep: dict[str, Callable[[ExamItem], bool]] = {
            "all": lambda it: True,
            "incorrect": lambda it: not it.correct,
            "flagged": lambda it: it.flagged,
            "unanswered": lambda it: not it.answered,
        }
        if which not in keep:
            raise ValueError(f"unknown review filter {which!r}; one of {', '.join(REVIEW_FILTERS)}")
        return [(i + 1, it) for i, it in enumerate(self.items) if keep[which](it)]


@dataclass
class MockExam:
    items: list[ExamItem]
    time_limit_s: int
    pass_mark: float = DEFAULT_PASS_MARK
    clock: Callable[[], float] = time.monotonic
    used_before_s: float = 0.0
    """Time used in earlier runs of this exam (before a resume)."""
    exam_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    scope: str = "all questions"
    index: int = 0
    result: ExamResult | None = None

    def __post_init__(self) -> None:
        self._resumed_at: float | None = self.clock()
        """When the clock last started; None while it is stopped."""

    # ------------------------------------------------------------ construction
    @classmethod
    def start(cls, questions: Sequence[Question], settings: ExamSettings, *,
              clock: Callable[[], float] = time.monotonic, scope: str = "all questions") -> "MockExam":
        rng = random.Random(settings.seed)
        picked = draw_questions(questions, settings.count, settings.seed)
        items = []
        for n, q in enumerate(picked, 1):
            opts = list(q.options)
            rng.shuffle(opts)
            shown = ShownQuestion(q, tuple(ShownOption(LETTERS[i], o) for i, o in enumerate(opts)),
                                  n, len(picked))
            items.append(ExamItem(shown))
        return cls(items, settings.time_limit_s, settings.pass_mark, clock=clock, scope=scope)

    # ------------------------------------------------------------ time
    @property
    def time_used_s(self) -> float:
        if self._resumed_at is None:
            return self.used_before_s
        return self.used_before_s + (self.clock() - self._resumed_at)

    @property
    def clock_running(self) -> bool:
        return self._resumed_at is not None

    def stop_clock(self) -> None:
        """Stop counting time (the learner is leaving): the time left stays as it is now, and
        a save made later, on leaving, keeps exactly it."""
        if self._resumed_at is not None:
            self.used_before_s = self.time_used_s
            self._resumed_at = None

    def start_clock(self) -> None:
        """Count time again from now (the learner stayed)."""
        if self._resumed_at is None:
            self._resumed_at = self.clock()

    @property
    def remaining_s(self) -> float:
        if self.result is not None:
            return max(0.0, self.time_limit_s - self.result.time_used_s)
        return max(0.0, self.time_limit_s - self.time_used_s)

    def check_time(self) -> bool:
        """Submit by itself when the time is up; True if the exam is (now) over."""
        if self.result is None and self.remaining_s <= 0:
            self.submit(auto=True)
        return self.result is not None

    # ------------------------------------------------------------ navigation
    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def current(self) -> ExamItem:
        return self.items[self.index]

    def goto(self, index: int) -> ExamItem:
        if not 0 <= index < len(self.items):
            raise IndexError(f"question {index + 1} is not in this exam")
        self.index = index
        return self.current

    def next(self) -> ExamItem:
        return self.goto(min(self.index + 1, len(self.items) - 1))

    def previous(self) -> ExamItem:
        return self.goto(max(self.index - 1, 0))

    # ------------------------------------------------------------ answering
    def _open(self) -> None:
        if self.check_time():
            raise ExamOver("the exam is over")

    def select(self, letter: str, index: int | None = None) -> tuple[str, ...]:
        """Pick an option as the question's kind has it: a single answer is replaced, a
        multi-answer option toggled (up to `choose` options; `SelectionFull` beyond)."""
        self._open()
        item = self.items[self.index if index is None else index]
        if letter not in item.shown.letters:
            raise ValueError(f"{letter!r} is not an option here")
        return self.answer(item.shown.kind.pick(item.question, item.answer, letter), index)

    def answer(self, letters: Iterable[str], index: int | None = None) -> tuple[str, ...]:
        """Set a question's answer (the letters in the order chosen) as a whole."""
        self._open()
        item = self.items[self.index if index is None else index]
        answer = item.shown.kind.admit(item.question, letters)
        unknown = set(answer) - set(item.shown.letters)
        if unknown:
            raise ValueError(f"{', '.join(sorted(unknown))} is not an option here")
        item.answer = answer
        return answer

    def clear(self, index: int | None = None) -> None:
        self._open()
        self.items[self.index if index is None else index].answer = ()

    def toggle_flag(self, index: int | None = None) -> bool:
        self._open()
        item = self.items[self.index if index is None else index]
        item.flagged = not item.flagged
        return item.flagged

    def unanswered(self) -> list[int]:
        return [i for i, it in enumerate(self.items) if not it.answered]

    def flagged(self) -> list[int]:
        return [i for i, it in enumerate(self.items) if it.flagged]

    def partly(self) -> list[int]:
        """Questions partly answered (fewer options chosen than "Choose 2" asks)."""
        return [i for i, it in enumerate(self.items) if it.state is AnswerState.PARTLY]

    def tally(self) -> ExamTally:
        states = [it.state for it in self.items]
        return ExamTally(states.count(AnswerState.ANSWERED), states.count(AnswerState.PARTLY),
                         states.count(AnswerState.UNANSWERED), sum(it.flagged for it in self.items))

    def submit(self, auto: bool = False) -> ExamResult:
        if self.result is not None:
            return self.result
        used = min(self.time_used_s, float(self.time_limit_s))
        by_tag: dict[str, TagScore] = {}
        for it in self.items:
            for tag in it.question.tags:
                s = by_tag.setdefault(tag, TagScore())
                s.total += 1
                s.right += it.correct
        self.result = ExamResult(
            items=self.items, right=sum(it.correct for it in self.items), total=len(self.items),
            pass_mark=self.pass_mark, time_used_s=used, time_limit_s=self.time_limit_s,
            auto_submitted=auto, by_tag=dict(sorted(by_tag.items())))
        return self.result

    # ------------------------------------------------------------ persistence
    def to_state(self) -> dict:
        """A JSON-able snapshot. Answers are stored by the content's option keys."""
        return {
            "format": STATE_FORMAT,
            "version": STATE_VERSION,
            "exam_id": self.exam_id,
            "scope": self.scope,
            "time_limit_s": self.time_limit_s,
            "pass_mark": self.pass_mark,
            "time_used_s": round(self.time_used_s, 3),
            "index": self.index,
            "submitted": self.result is not None,
            "auto_submitted": self.result is not None and self.result.auto_submitted,
            "items": [
                {
                    "question": it.question.id,
                    "order": [o.option.key for o in it.shown.options],
                    "answer": list(it.shown.original_keys(it.answer)),
                    "flagged": it.flagged,
                }
                for it in self.items
            ],
        }

    @classmethod
    def from_state(cls, state: dict, library: Library, *,
                   clock: Callable[[], float] = time.monotonic) -> "MockExam":
        if not isinstance(state, dict) or state.get("format") != STATE_FORMAT:
            raise ExamStateError("not a saved studyvpc exam")
        if state.get("version") != STATE_VERSION:
            raise ExamStateError(f"saved exam has version {state.get('version')!r}; "
                                 f"this studyvpc reads version {STATE_VERSION}")
        try:
            raw_items = state["items"]
            items = []
            for n, raw in enumerate(raw_items, 1):
                q = library.get_question(raw["question"])
                if q is None:
                    raise ExamStateError(f"question {raw['question']!r} is no longer in the content")
                by_key = {o.key: o for o in q.options}
                if sorted(raw["order"]) != sorted(by_key):
                    raise ExamStateError(f"the options of {q.id!r} changed since the exam was saved")
                shown = ShownQuestion(q, tuple(ShownOption(LETTERS[i], by_key[k])
                                               for i, k in enumerate(raw["order"])), n, len(raw_items))
                letter_of = {o.option.key: o.letter for o in shown.options}
                # As the kind admits an answer: each option once, no more than asked for.
                answer = shown.kind.admit(q, (letter_of[k] for k in raw["answer"]
                                              if k in letter_of))
                items.append(ExamItem(shown, answer, bool(raw["flagged"])))
            limit, mark = _finite(state["time_limit_s"]), _finite(state["pass_mark"])
            used, index = _finite(state["time_used_s"]), _finite(state.get("index", 0))
            if limit <= 0 or not 0 < mark <= 1 or used < 0:
                raise ValueError("its time limit, pass mark or time used is out of range")
            exam = cls(items, int(limit), mark, clock=clock, used_before_s=used,
                       exam_id=str(state["exam_id"]), scope=str(state.get("scope", "")),
                       index=int(min(index, len(items))))
        except ExamStateError:
            raise
        except (KeyError, TypeError, ValueError, OverflowError, IndexError, AttributeError) as exc:
            # A damaged file says so, once; it never stops the app (the keeper sets it aside).
            raise ExamStateError(f"saved exam is damaged ({type(exc).__name__}: "
                                 f"{str(exc)[:80]})") from None
        if not items:
            raise ExamStateError("saved exam has no questions")
        exam.index = min(max(exam.index, 0), len(items) - 1)
        if state.get("submitted"):
            exam.submit(auto=bool(state.get("auto_submitted", False)))
        return exam


def _finite(value: object) -> float:
    """A number from a saved exam: finite (JSON's 1e999 reads as infinity), not a bool."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{str(value)[:20]!r} is not a finite number")
    return float(value)


class ExamOver(RuntimeError):
    """An action that needs a running exam came after submission or the end of time."""


def questions_for(library: Library, tags: Iterable[str] = (),
                  notes: Iterable[str] = ()) -> Sequence[Question]:
    """The pool to draw from: questions with any of the tags or from any of the notes (all if none)."""
    tags, notes = list(tags), list(notes)
    if not tags and not notes:
        return library.questions
    pool: dict[str, Question] = {}
    for t in tags:
        pool.update((q.id, q) for q in library.questions_tagged(t))
    for n in notes:
        note = library.resolve(n)
        if note:
            pool.update((q.id, q) for q in note.questions)
    return list(pool.values())

"""A practice session: choose questions, shuffle options (letters re-assigned), answer, score.

The same object drives the TUI, the plain line-by-line mode and the tests; presenters only
show what it returns. Time comes from an injectable clock so tests need no sleeping.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from studyvpc.content.library import Library
from studyvpc.content.model import Option, Question, Reference
from studyvpc.study.kinds import Grade, OptionVerdict, QuestionKind, given, kind_of

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True, slots=True)
class Scope:
    """Which questions a session draws from."""

    kind: str = "all"  # "all" | "tag" | "note" | "ids"
    value: str = ""
    ids: tuple[str, ...] = ()

    def describe(self) -> str:
        n = len(self.ids)
        return {"all": "all questions", "tag": f"tag {self.value}", "note": f"note {self.value}",
                "ids": self.value or f"{n} selected question{'s' * (n != 1)}"}[self.kind]


def select_questions(library: Library, scope: Scope) -> Sequence[Question]:
    """The questions of ``scope``; from a library of stored notes, a sequence that decodes a
    question when it is asked for (a session asks only for those it shows)."""
    if scope.kind == "all":
        return library.questions
    if scope.kind == "tag":
        return library.questions_tagged(scope.value)
    if scope.kind == "note":
        note = library.resolve(scope.value)
        return list(note.questions) if note else []
    if scope.kind == "ids":
        return [q for i in scope.ids if (q := library.get_question(i)) is not None]
    raise ValueError(f"unknown scope {scope.kind!r}")


def no_questions(library: Library, scope: Scope) -> str:
    """Why ``scope`` has no questions, with the closest tag or note as a suggestion (as
    ``studyvpc validate`` suggests for a link): "No questions in tag securty/iam (did you
    mean security/iam?)."."""
    from studyvpc.content.suggest import NameIndex
    from studyvpc.content.textutil import visible_line

    hint = None
    if scope.kind == "tag":
        if scope.value not in library.all_tags:
            hint = NameIndex(library.all_tags).suggest(scope.value)
    elif scope.kind == "note" and library.resolve(scope.value) is None:
        hint = library.suggest(scope.value)
    what = visible_line(scope.describe())
    if hint is None:
        return f"No questions in {what}."
    return f"No questions in {what} (did you mean {visible_line(hint)}?)."


@dataclass(frozen=True, slots=True)
class ShownOption:
    letter: str
    """The letter shown for this attempt (after shuffling)."""
    option: Option


@dataclass(frozen=True, slots=True)
class ShownQuestion:
    question: Question
    options: tuple[ShownOption, ...]
    number: int
    """1-based position in the session."""
    total: int

    @property
    def kind(self) -> QuestionKind:
        return kind_of(self.question)

    @property
    def letters(self) -> tuple[str, ...]:
        return tuple(o.letter for o in self.options)

    @property
    def correct_letters(self) -> frozenset[str]:
        return frozenset(o.letter for o in self.options if o.option.correct)

    def by_letter(self, letter: str) -> ShownOption:
        for o in self.options:
            if o.letter == letter:
                return o
        raise KeyError(letter)

    def original_keys(self, letters: Iterable[str]) -> tuple[str, ...]:
        """The content-file keys of the given shown letters, in the order given (how attempts
        are stored)."""
        return tuple(self.by_letter(letter).option.key for letter in letters)

    def grade(self, letters: Iterable[str]) -> Grade:
        """The kind's grade of the shown letters (verdicts by the content's keys)."""
        return self.kind.grade(self.question, self.original_keys(letters))

    def relabel(self, text: str) -> str:
        """``text`` with its ``(B)``-style references to options in the letters shown here."""
        return relabel_options(text, {o.option.key: o.letter for o in self.options})


_OPTION_REF_RE = re.compile(r"\(([A-Z])\)")


def relabel_options(text: str, letters: dict[str, str]) -> str:
    """Rewrite ``(B)``, a reference to option B as the content file has it, to ``(D)`` when
    option B is shown as D: options are shuffled, and an explanation saying "KMS (B)" next to
    a KMS option shown as D misleads. Only a lone capital in parentheses that is one of the
    question's option keys is rewritten; nothing changes when the letters are the keys.
    """
    if "(" not in text or all(k == v for k, v in letters.items()):
        return text
    return _OPTION_REF_RE.sub(lambda m: f"({letters.get(m.group(1), m.group(1))})", text)


@dataclass(frozen=True, slots=True)
class OptionFeedback:
    letter: str
    option: Option
    verdict: OptionVerdict
    why: str = ""
    """The option's explanation, its references to other options in the shown letters."""

    @property
    def chosen(self) -> bool:
        return self.verdict.chosen

    @property
    def correct(self) -> bool:
        return self.verdict.correct

    @property
    def mark(self) -> str:
        return self.verdict.mark


@dataclass(frozen=True, slots=True)
class AnswerResult:
    shown: ShownQuestion
    chosen: tuple[str, ...]
    """The letters chosen, in the order given."""
    correct: bool
    elapsed_ms: int
    feedback: tuple[OptionFeedback, ...]

    @property
    def question(self) -> Question:
        return self.shown.question

    @property
    def explanation(self) -> str:
        """The general explanation, its references to options in the shown letters."""
        return self.shown.relabel(self.shown.question.explanation)

    @property
    def references(self) -> tuple[Reference, ...]:
        return self.shown.question.references


class AnswerError(ValueError):
    """The selection cannot be graded (wrong count, unknown letter, already answered)."""


def shuffle_options(question: Question, rng: random.Random, number: int = 1,
                    total: int = 1) -> ShownQuestion:
    opts = list(question.options)
    rng.shuffle(opts)
    shown = tuple(ShownOption(LETTERS[i], o) for i, o in enumerate(opts))
    return ShownQuestion(question, shown, number, total)


def parse_choice(raw: str, shown: ShownQuestion) -> tuple[str, ...]:
    """Letters or 1-based numbers, separated by spaces/commas or run together ("AC", "1 3"):
    the letters in the order typed."""
    tokens = raw.replace(",", " ").split()
    if len(tokens) == 1 and tokens[0].isalpha():
        tokens = list(tokens[0])
    letters: list[str] = []
    for tok in tokens:
        tok = tok.strip().upper()
        if tok.isdigit() and 1 <= int(tok) <= len(shown.options):
            letters.append(LETTERS[int(tok) - 1])
        elif tok in shown.letters:
            letters.append(tok)
        else:
            raise AnswerError(f"{tok!r} is not one of {', '.join(shown.letters)}")
    return given(letters)


@dataclass
class TagScore:
    right: int = 0
    total: int = 0

    @property
    def percent(self) -> float:
        return 100.0 * self.right / self.total if self.total else 0.0


@dataclass
class SessionSummary:
    right: int
    answered: int
    total: int
    elapsed_s: float
    by_tag: dict[str, TagScore]
    missed: list[Question]

    @property
    def percent(self) -> float:
        return 100.0 * self.right / self.answered if self.answered else 0.0


@dataclass
class PracticeSession:
    """Questions in a shuffled order, each with shuffled options, answered one at a time."""

    questions: Sequence[Question]
    seed: int | None = None
    clock: Callable[[], float] = time.monotonic
    shuffle: bool = True
    limit: int | None = None
    """Ask at most this many of the (shuffled) questions."""
    results: list[AnswerResult] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        # Positions, not the questions: only those shown are read. (The shuffle depends on
        # the length alone, so the order is the one shuffling the questions gives.)
        order = list(range(len(self.questions)))
        if self.shuffle:
            self._rng.shuffle(order)
        if self.limit is not None and self.limit > 0:
            order = order[: self.limit]
        self._order = order
        self._index = 0
        self._started = self.clock()
        self._shown: ShownQuestion | None = None
        self._shown_at = self._started
        self._answered_current = False
        self._finished_at: float | None = None
        self._present()

    def _present(self) -> None:
        if self._index < len(self._order):
            q = self.questions[self._order[self._index]]
            self._shown = (shuffle_options(q, self._rng, self._index + 1, len(self._order))
                           if self.shuffle else
                           ShownQuestion(q, tuple(ShownOption(o.key, o) for o in q.options),
                                         self._index + 1, len(self._order)))
            self._shown_at = self.clock()
            self._answered_current = False
        else:
            self._shown = None
            if self._finished_at is None:
                self._finished_at = self.clock()

    @property
    def total(self) -> int:
        return len(self._order)

    @property
    def current(self) -> ShownQuestion | None:
        return self._shown

    @property
    def finished(self) -> bool:
        return self._shown is None

    @property
    def answered_current(self) -> bool:
        return self._answered_current

    def answer(self, letters: Iterable[str]) -> AnswerResult:
        shown = self._shown
        if shown is None:
            raise AnswerError("the session is over")
        if self._answered_current:
            raise AnswerError("this question is already answered")
        chosen = given(letters)
        unknown = set(chosen) - set(shown.letters)
        if unknown:
            raise AnswerError(f"{', '.join(sorted(unknown))} is not an option here")
        problem = shown.kind.problem(shown.question, chosen)
        if problem is not None:
            raise AnswerError(problem)
        grade = shown.grade(chosen)
        elapsed = int(round((self.clock() - self._shown_at) * 1000))
        feedback = tuple(OptionFeedback(o.letter, o.option, grade.verdicts[o.option.key],
                                        shown.relabel(o.option.why)) for o in shown.options)
        result = AnswerResult(shown, chosen, grade.correct, elapsed, feedback)
        self.results.append(result)
        self._answered_current = True
        return result

    def next(self) -> ShownQuestion | None:
        """Move on (skipping the current question if it was not answered)."""
        if self._shown is not None:
            self._index += 1
            self._present()
        return self._shown

    def stop(self) -> None:
        """End early; the summary covers what was answered."""
        self._index = len(self._order)
        self._present()

    def summary(self) -> SessionSummary:
        by_tag: dict[str, TagScore] = {}
        for r in self.results:
            for tag in r.question.tags:
                s = by_tag.setdefault(tag, TagScore())
                s.total += 1
                s.right += r.correct
        end = self._finished_at if self._finished_at is not None else self.clock()
        return SessionSummary(
            right=sum(r.correct for r in self.results), answered=len(self.results),
            total=self.total, elapsed_s=end - self._started, by_tag=dict(sorted(by_tag.items())),
            missed=[r.question for r in self.results if not r.correct])


def format_duration(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"

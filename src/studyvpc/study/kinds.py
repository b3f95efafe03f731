"""Question kinds: how a kind of question is asked, answered, graded, stored and explained.

Everything that depends on what kind a question is goes through its kind (`kind_of`): the
quiz and the exam grade with it, the scheduler grades and stores with it, the exam counts
partly answered questions with it, and both front ends turn key presses into a selection
with `OptionInput`, which applies the kind's rule. A new kind of question is one class here
and one entry in `KINDS`.

A selection is a tuple of option identifiers (the letters shown, or the content's keys) in
the order the learner gave them; it is stored in that order (`QuestionKind.stored`), so a
kind whose answer is an order can exist. The two kinds today grade it as a set.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import ClassVar

from studyvpc.content.model import Question


class AnswerState(Enum):
    UNANSWERED = "unanswered"
    PARTLY = "partly"
    """Something chosen, but not a whole answer yet ("Choose 2", one chosen)."""
    ANSWERED = "answered"


class SelectionFull(ValueError):
    """A pick that would choose more options than the question asks for."""

    def __init__(self, need: int) -> None:
        super().__init__(f"Choose {need}: {need} are chosen already. Press one of them again "
                         "to deselect it first.")
        self.need = need


@dataclass(frozen=True, slots=True)
class OptionVerdict:
    """One option after grading: was it chosen, is it (part of) the right answer."""

    chosen: bool
    correct: bool

    @property
    def mark(self) -> str:
        """A symbol, so the result is not told by colour alone."""
        if self.correct:
            return "✔"  # right answer (whether chosen or missed)
        return "✘" if self.chosen else " "


@dataclass(frozen=True, slots=True)
class Grade:
    correct: bool
    verdicts: Mapping[str, OptionVerdict]
    """By the content's option key."""


def given(selection: Iterable[str]) -> tuple[str, ...]:
    """The selection in the order given, each option once."""
    return tuple(dict.fromkeys(selection))


class QuestionKind:
    """What every kind answers; the subclasses below fill it in."""

    name: ClassVar[str]
    toggles: ClassVar[bool]
    """True: a press adds or removes an option and the answer is submitted apart. False: a
    press replaces the selection, so one press is a whole answer."""
    boxes: ClassVar[tuple[str, str]]
    """How an option is drawn not chosen and chosen."""

    def claims(self, question: Question) -> bool:
        raise NotImplementedError

    # -- asking
    def need(self, question: Question) -> int:
        return question.choose

    def prompt(self, question: Question) -> str:
        return f"Choose {self.need(question)}."

    def box(self, chosen: bool) -> str:
        return self.boxes[chosen]

    # -- input
    def pick(self, question: Question, selection: tuple[str, ...], option: str) -> tuple[str, ...]:
        """The selection after the learner picks ``option``."""
        raise NotImplementedError

    def admit(self, question: Question, selection: Iterable[str]) -> tuple[str, ...]:
        """``selection`` as it may stand while the learner is choosing: each option once, no
        more than the question asks for (`SelectionFull`)."""
        chosen = given(selection)
        need = self.need(question)
        if len(chosen) > need:
            raise SelectionFull(need)
        return chosen

    def state(self, question: Question, selection: Iterable[str]) -> AnswerState:
        n = len(given(selection))
        if n == 0:
            return AnswerState.UNANSWERED
        return AnswerState.PARTLY if n < self.need(question) else AnswerState.ANSWERED

    def problem(self, question: Question, selection: Iterable[str]) -> str | None:
        """Why ``selection`` cannot be graded (None if it can)."""
        need, n = self.need(question), len(given(selection))
        if n != need:
            return f"choose {need} option{'s' * (need != 1)} (you chose {n})"
        return None

    # -- grading, storing, explaining
    def grade(self, question: Question, keys: Iterable[str]) -> Grade:
        raise NotImplementedError

    def stored(self, keys: Iterable[str]) -> tuple[str, ...]:
        """How an answer is stored: the keys as given, in the order given."""
        return given(keys)

    def spell(self, letters: Iterable[str]) -> str:
        """An answer as the learner reads it ("A, C")."""
        return ", ".join(sorted(given(letters)))


class _SetAnswer(QuestionKind):
    """Right when the chosen options are exactly the correct ones, in any order."""

    def grade(self, question: Question, keys: Iterable[str]) -> Grade:
        chosen = frozenset(keys)
        verdicts = {o.key: OptionVerdict(o.key in chosen, o.correct) for o in question.options}
        return Grade(chosen == question.correct_keys, verdicts)


class SingleAnswer(_SetAnswer):
    name = "single"
    toggles = False
    boxes = ("( )", "(•)")

    def claims(self, question: Question) -> bool:
        return question.choose <= 1

    def pick(self, question: Question, selection: tuple[str, ...], option: str) -> tuple[str, ...]:
        return (option,)


class MultipleAnswer(_SetAnswer):
    name = "multiple"
    toggles = True
    boxes = ("[ ]", "[x]")

    def claims(self, question: Question) -> bool:
        return question.choose > 1

    def pick(self, question: Question, selection: tuple[str, ...], option: str) -> tuple[str, ...]:
        if option in selection:
            return tuple(s for s in selection if s != option)
        need = self.need(question)
        if len(selection) >= need:
            raise SelectionFull(need)
        return (*selection, option)


KINDS: tuple[QuestionKind, ...] = (
    SingleAnswer(),
    MultipleAnswer(),
)
"""Asked in order; the first kind that claims a question is its kind."""


def kind_of(question: Question) -> QuestionKind:
    for kind in KINDS:
        if kind.claims(question):
            return kind
    raise ValueError(f"no kind of question claims {question.id!r}")


@dataclass
class OptionInput:
    """A question's options before the answer, as keys and clicks change them: a cursor and
    the selection (the letters chosen, in order), changed by the kind's rule. The quiz and the
    exam both drive one; the quiz hands the selection to its session on submit, the exam hands
    it to the exam at every change."""

    question: Question
    letters: tuple[str, ...]
    """The letters shown, in the order shown."""
    selection: tuple[str, ...] = ()
    cursor: int = 0

    def __post_init__(self) -> None:
        self.kind = kind_of(self.question)
        self.selection = given(self.selection)

    def index_for(self, key: str) -> int | None:
        """The option a key names: its letter (either case), or its number 1-9."""
        if len(key) != 1:
            return None
        if key.isdigit():
            index = int(key) - 1
            return index if 0 <= index < len(self.letters) else None
        letter = key.upper()
        return self.letters.index(letter) if letter in self.letters else None

    def move(self, delta: int) -> None:
        if self.letters:
            self.cursor = (self.cursor + delta) % len(self.letters)

    def pick(self, index: int) -> tuple[str, ...]:
        """Pick the option at ``index`` (the cursor moves there): the new selection. Raises
        `SelectionFull`, leaving the selection as it was."""
        self.cursor = index
        self.selection = self.kind.pick(self.question, self.selection, self.letters[index])
        return self.selection

    def chosen(self, letter: str) -> bool:
        return letter in self.selection

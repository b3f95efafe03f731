"""Question kinds: grading, partly answered, what a press does, and answers stored as given.

The last tests register a kind of their own (an answer that must be given in order) and check
that the quiz, the exam, the scheduler and the exam's counts all follow it: any of them still
grading by set comparison, or counting "partly" by ``len(answer) < question.choose``, fails.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import ClassVar

import pytest

from studyvpc.content.library import Library
from studyvpc.content.model import Note, Option, Question
from studyvpc.interop.progress_json import export_json, import_json
from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.store import ProgressStore
from studyvpc.study import kinds
from studyvpc.study.exam import ExamSettings, ExamStateError, MockExam
from studyvpc.study.kinds import (
    AnswerState, Grade, MultipleAnswer, OptionInput, OptionVerdict, SelectionFull,
    SingleAnswer, kind_of,
)
from studyvpc.study.quiz import PracticeSession

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=timezone.utc)


def question(qid: str = "q", correct: str = "A", choose: int = 1, keys: str = "ABCD") -> Question:
    opts = tuple(Option(k, f"{qid} option {k}", k in correct, f"why {k}") for k in keys)
    return Question(qid, f"stem {qid}", opts, choose=choose, note_id="n")


SINGLE = question("single", "B")
MULTI = question("multi", "AC", choose=2, keys="ABCDE")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sched(tmp_path):
    store = ProgressStore.open(tmp_path)
    yield ReviewScheduler(store, enable_fuzzing=False)
    store.close()


# --------------------------------------------------------------------------- the registry

def test_each_question_has_one_kind_by_how_many_it_asks_for():
    assert isinstance(kind_of(SINGLE), SingleAnswer)
    assert isinstance(kind_of(MULTI), MultipleAnswer)
    assert kind_of(SINGLE).prompt(SINGLE) == "Choose 1."
    assert kind_of(MULTI).prompt(MULTI) == "Choose 2."
    assert (kind_of(SINGLE).box(False), kind_of(SINGLE).box(True)) == ("( )", "(•)")
    assert (kind_of(MULTI).box(False), kind_of(MULTI).box(True)) == ("[ ]", "[x]")


# --------------------------------------------------------------------------- grading

def test_single_answer_grading_and_verdicts():
    kind = kind_of(SINGLE)
    right, wrong = kind.grade(SINGLE, ["B"]), kind.grade(SINGLE, ["C"])
    assert right.correct and not wrong.correct
    assert right.verdicts["B"] == OptionVerdict(chosen=True, correct=True)
    assert [wrong.verdicts[k].mark for k in "ABCD"] == [" ", "✔", "✘", " "]


@pytest.mark.parametrize("keys, correct", [
    (["A", "C"], True), (["C", "A"], True), (["A"], False), (["A", "B"], False),
    (["A", "C", "D"], False), ([], False),
])
def test_multiple_answer_is_graded_as_a_set_whatever_the_order(keys, correct):
    assert kind_of(MULTI).grade(MULTI, keys).correct is correct


def test_problem_says_how_many_are_needed():
    assert kind_of(MULTI).problem(MULTI, ["A"]) == "choose 2 options (you chose 1)"
    assert kind_of(MULTI).problem(MULTI, ["A", "A"]) == "choose 2 options (you chose 1)"
    assert kind_of(MULTI).problem(MULTI, ["A", "C"]) is None
    assert kind_of(SINGLE).problem(SINGLE, ["A", "B"]) == "choose 1 option (you chose 2)"


def test_spelled_answers_read_in_letter_order():
    assert kind_of(MULTI).spell(("C", "A")) == "A, C"
    assert kind_of(MULTI).spell(()) == ""


# --------------------------------------------------------------------------- partly answered

def test_partly_answered_is_fewer_than_asked_for():
    multi, single = kind_of(MULTI), kind_of(SINGLE)
    assert multi.state(MULTI, ()) is AnswerState.UNANSWERED
    assert multi.state(MULTI, ("D",)) is AnswerState.PARTLY
    assert multi.state(MULTI, ("D", "A")) is AnswerState.ANSWERED
    assert single.state(SINGLE, ("D",)) is AnswerState.ANSWERED


# --------------------------------------------------------------------------- input

def test_a_press_on_a_single_answer_question_replaces_the_selection():
    inp = OptionInput(SINGLE, ("A", "B", "C", "D"))
    assert inp.pick(2) == ("C",)
    assert inp.pick(0) == ("A",) and inp.cursor == 0
    assert inp.pick(0) == ("A",), "pressing the chosen one again keeps it"


def test_a_press_on_a_multiple_answer_question_toggles_up_to_the_number_asked():
    inp = OptionInput(MULTI, ("A", "B", "C", "D", "E"))
    assert inp.pick(3) == ("D",)
    assert inp.pick(1) == ("D", "B"), "kept in the order chosen"
    with pytest.raises(SelectionFull, match="Choose 2: 2 are chosen already"):
        inp.pick(4)
    assert inp.selection == ("D", "B") and inp.cursor == 4, "refused, but the cursor moved"
    assert inp.pick(3) == ("B",), "a second press takes it back"
    assert inp.pick(0) == ("B", "A")
    assert inp.kind.state(MULTI, inp.selection) is AnswerState.ANSWERED


def test_keys_name_options_by_letter_or_number_and_the_cursor_wraps():
    inp = OptionInput(MULTI, ("A", "B", "C", "D", "E"))
    assert [inp.index_for(k) for k in ("a", "E", "3", "6", "0", "z", "ab")] == [
        0, 4, 2, None, None, None, None]
    inp.move(-1)
    assert inp.cursor == 4
    inp.move(1)
    assert inp.cursor == 0


def test_the_exam_takes_its_picks_through_the_kind():
    exam = MockExam.start([MULTI], ExamSettings(1, 600, 0.72, 1), clock=Clock())
    item = exam.items[0]
    letters = item.shown.letters
    exam.select(letters[2])
    exam.select(letters[0])
    assert item.answer == (letters[2], letters[0])
    with pytest.raises(SelectionFull):
        exam.select(letters[1])
    with pytest.raises(SelectionFull):
        exam.answer(letters[:3])
    assert item.answer == (letters[2], letters[0])


# --------------------------------------------------------------------------- storage

def test_answers_are_stored_in_the_order_given(sched):
    out = sched.answer_question(MULTI, ["C", "A"], time_ms=1000, mode="practice", now=T0)
    assert out.attempt.correct and out.attempt.chosen == ("C", "A")
    assert sched.store.attempts()[0].chosen == ("C", "A")
    outs = sched.record_session("exam", "all", [(MULTI, ("C", "A"), 500), (SINGLE, (), 500)],
                                session_id="s1", started=T0, finished=T0)
    assert [(o.attempt.chosen, o.attempt.correct) for o in outs] == [(("C", "A"), True),
                                                                    ((), False)]


def test_export_and_import_keep_the_order_and_old_sorted_rows_still_grade(tmp_path, sched):
    sched.answer_question(MULTI, ["C", "A"], time_ms=1000, mode="practice", now=T0)
    exported = export_json(sched.store, tmp_path / "progress.json", now=T0)
    other = ProgressStore.open(tmp_path / "other")
    try:
        import_json(ReviewScheduler(other), exported)
        assert [a.chosen for a in other.attempts()] == [("C", "A")]
    finally:
        other.close()
    # A row stored sorted, as before answers kept their order, grades the same.
    assert kind_of(MULTI).grade(MULTI, ("A", "C")).correct


def test_a_saved_exam_keeps_the_order_of_its_answers():
    exam = MockExam.start([MULTI], ExamSettings(1, 600, 0.72, 1), clock=Clock())
    letters = exam.items[0].shown.letters
    exam.select(letters[4])
    exam.select(letters[1])
    state = exam.to_state()
    keys = exam.items[0].shown.original_keys((letters[4], letters[1]))
    assert state["items"][0]["answer"] == list(keys)
    library = Library((Note("n", "Note", questions=(MULTI,)),))
    assert MockExam.from_state(state, library).items[0].answer == (letters[4], letters[1])
    state["items"][0]["answer"] = [keys[0], keys[0], keys[1]]
    assert MockExam.from_state(state, library).items[0].answer == (letters[4], letters[1])
    state["items"][0]["answer"] = ["A", "B", "C"]
    with pytest.raises(ExamStateError, match="damaged"):
        MockExam.from_state(state, library)


# --------------------------------------------------------------------------- a kind of our own

class InOrder(MultipleAnswer):
    """Test kind: choose every correct option, in the order the content lists them."""

    name: ClassVar[str] = "in-order"

    def claims(self, question: Question) -> bool:
        return question.id.startswith("order")

    def need(self, question: Question) -> int:
        return len(question.correct_keys)

    def grade(self, question: Question, keys) -> Grade:
        keys = tuple(keys)
        wanted = tuple(o.key for o in question.options if o.correct)
        verdicts = {o.key: OptionVerdict(o.key in keys, o.correct) for o in question.options}
        return Grade(keys == wanted, verdicts)


ORDER = question("order-1", "AC", choose=1)
"""``choose`` says 1; the kind says how many (2), and the order."""


@pytest.fixture
def in_order(monkeypatch):
    monkeypatch.setattr(kinds, "KINDS", (InOrder(), *kinds.KINDS))


def test_the_quiz_grades_through_the_kind(in_order):
    backwards = PracticeSession([ORDER], shuffle=False)
    with pytest.raises(ValueError, match=r"choose 2 options \(you chose 1\)"):
        backwards.answer(["A"])
    assert not backwards.answer(["C", "A"]).correct
    assert PracticeSession([ORDER], shuffle=False).answer(["A", "C"]).correct


def test_the_scheduler_grades_through_the_kind(in_order, sched):
    out = sched.answer_question(ORDER, ["C", "A"], time_ms=1000, mode="practice", now=T0)
    assert not out.attempt.correct and out.attempt.chosen == ("C", "A")
    outs = sched.record_session("exam", "all", [(ORDER, ("A", "C"), 1), (ORDER, ("C", "A"), 1)],
                                session_id="s1", started=T0, finished=T0)
    assert [o.attempt.correct for o in outs] == [True, False]


def test_the_exam_grades_and_counts_partly_through_the_kind(in_order):
    from studyvpc.ui.tui.screens.exam import describe_saved
    from studyvpc.ui.tui.widgets.exam_navigator import cell_state
    from studyvpc.ui.tui.widgets.exam_status import progress_text

    exam = MockExam.start([ORDER, question("order-2", "AC", choose=1)],
                          ExamSettings(2, 600, 0.72, None), clock=Clock())
    first, second = exam.items
    key_letter = {o.option.key: o.letter for o in first.shown.options}
    exam.select(key_letter["C"], 0)
    assert first.state is AnswerState.PARTLY, "one of the two the kind asks for"
    assert exam.partly() == [0] and cell_state(first).partial
    assert "◐ 1 partly" in progress_text(exam).plain
    assert "0 answered (1 partly)" in describe_saved(exam).plain
    exam.select(key_letter["A"], 0)
    assert first.state is AnswerState.ANSWERED and not first.correct, "given out of order"
    other = {o.option.key: o.letter for o in second.shown.options}
    exam.answer([other["A"], other["C"]], 1)
    assert second.correct
    assert exam.submit().right == 1

"""A practice session with a fixed seed and an injected clock (no sleeping, no randomness)."""

from __future__ import annotations

import random
import re

import pytest

from studyvpc.content.model import Option, Question
from studyvpc.study.quiz import (
    AnswerError, PracticeSession, ShownQuestion, format_duration, parse_choice, shuffle_options,
)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def single(qid: str, correct: str = "A", tags=("service/s3",)) -> Question:
    return Question(id=qid, stem=f"Stem of {qid}", tags=tuple(tags), options=tuple(
        Option(k, f"{qid} option {k}", k == correct, f"why {qid} {k}") for k in "ABCD"))


def multi(qid: str, correct: str = "AC", tags=("service/vpc",)) -> Question:
    return Question(id=qid, stem=f"Stem of {qid}", tags=tuple(tags), choose=len(correct),
                    options=tuple(Option(k, f"{qid} option {k}", k in correct, f"why {qid} {k}")
                                  for k in "ABCDE"))


QUESTIONS = [single("q1", "A"), single("q2", "B", tags=("service/s3", "security")),
             multi("q3", "AC"), single("q4", "D", tags=("security",))]


def session(seed: int = 7, clock: Clock | None = None, **kw) -> PracticeSession:
    return PracticeSession(QUESTIONS, seed=seed, clock=clock or Clock(), **kw)


def shown_letter_of(shown: ShownQuestion, key: str) -> str:
    return next(o.letter for o in shown.options if o.option.key == key)


def play(s: PracticeSession) -> list[tuple[str, ShownQuestion]]:
    """Walk the session without answering: the question ids and what was shown."""
    out = []
    while not s.finished:
        out.append((s.current.question.id, s.current))
        s.next()
    return out


# --------------------------------------------------------------------------- shuffling

def test_shuffling_reassigns_letters_and_why_follows_its_option():
    q = single("q1", "A")
    moved = 0
    for seed in range(20):
        shown = shuffle_options(q, random.Random(seed))
        assert shown.letters == ("A", "B", "C", "D")  # letters are always A.. in shown order
        assert sorted(o.option.key for o in shown.options) == ["A", "B", "C", "D"]
        for o in shown.options:
            key = o.option.key
            # text, correctness and why travel together with the option
            assert o.option.text == f"q1 option {key}"
            assert o.option.why == f"why q1 {key}"
            assert o.option.correct == (key == "A")
            moved += o.letter != key
        assert shown.correct_letters == {shown_letter_of(shown, "A")}
        assert shown.original_keys(shown.correct_letters) == ("A",)
    assert moved > 0  # letters really are re-assigned


def test_the_same_seed_gives_the_same_order_and_letters():
    def trace(seed):
        return [(qid, tuple(o.option.key for o in shown.options)) for qid, shown in play(session(seed))]

    assert trace(7) == trace(7)
    assert sorted(qid for qid, _ in trace(7)) == ["q1", "q2", "q3", "q4"]
    assert len({tuple(trace(seed)) for seed in range(10)}) > 1  # and seeds do differ


def test_without_shuffle_the_order_and_keys_are_the_files():
    walked = play(session(shuffle=False))
    assert [qid for qid, _ in walked] == ["q1", "q2", "q3", "q4"]
    for _, shown in walked:
        assert all(o.letter == o.option.key for o in shown.options)


def test_limit_asks_only_that_many():
    s = session(limit=2)
    assert s.total == 2 and len(play(s)) == 2


# --------------------------------------------------------------------------- answering

def test_single_answer_right_and_wrong():
    s = session(shuffle=False)
    right = s.answer({"A"})
    assert right.correct and right.chosen == ("A",)
    assert [(f.letter, f.chosen, f.correct, f.mark) for f in right.feedback] == [
        ("A", True, True, "✔"), ("B", False, False, " "), ("C", False, False, " "),
        ("D", False, False, " ")]
    s.next()
    wrong = s.answer({"A"})  # q2's answer is B
    assert not wrong.correct
    assert [f.mark for f in wrong.feedback] == ["✘", "✔", " ", " "]


def test_shuffled_answer_is_graded_by_option_not_letter():
    s = session(seed=3)
    shown = s.current
    keys = tuple(sorted(shown.question.correct_keys, reverse=True))
    result = s.answer([shown_letter_of(shown, k) for k in keys])
    assert result.correct
    assert shown.original_keys(result.chosen) == keys, "stored in the order given"
    # and a wrong option is wrong whatever letter it is shown under
    wrong = next(o for o in shown.options if not o.option.correct)
    assert wrong.letter not in shown.correct_letters


def test_multi_answer_choose_two():
    s = session(shuffle=False)
    s.next(), s.next()
    shown = s.current
    assert shown.question.id == "q3" and shown.question.is_multi
    assert s.answer({"A", "C"}).correct


def test_multi_answer_half_right_is_wrong():
    s = session(shuffle=False)
    s.next(), s.next()
    result = s.answer({"A", "B"})
    assert not result.correct
    assert {f.letter: f.mark for f in result.feedback} == {"A": "✔", "B": "✘", "C": "✔", "D": " ", "E": " "}


@pytest.mark.parametrize("letters, message", [
    ({"A"}, "choose 2 options (you chose 1)"),
    ({"A", "B", "C"}, "choose 2 options (you chose 3)"),
    (set(), "choose 2 options (you chose 0)"),
    ({"A", "Z"}, "Z is not an option here"),
])
def test_answer_errors_on_a_multi_answer_question(letters, message):
    s = session(shuffle=False)
    s.next(), s.next()
    with pytest.raises(AnswerError, match=re.escape(message)):
        s.answer(letters)
    assert not s.answered_current and s.results == []  # nothing recorded; answer again
    assert s.answer({"A", "C"}).correct


def test_answer_errors_on_a_single_answer_question():
    s = session(shuffle=False)
    with pytest.raises(AnswerError, match=r"choose 1 option \(you chose 2\)"):
        s.answer({"A", "B"})
    with pytest.raises(AnswerError, match="E is not an option here"):
        s.answer({"E"})
    s.answer({"B"})
    with pytest.raises(AnswerError, match="already answered"):
        s.answer({"A"})
    assert len(s.results) == 1


def test_answering_after_the_end():
    s = session()
    s.stop()
    assert s.finished and s.current is None
    with pytest.raises(AnswerError, match="over"):
        s.answer({"A"})


# --------------------------------------------------------------------------- summary and time

def test_summary_score_tags_missed_and_time():
    clock = Clock(1000.0)
    s = session(clock=clock, shuffle=False)
    clock.advance(4.0)
    r1 = s.answer({"A"})  # q1 right
    assert r1.elapsed_ms == 4000
    s.next()
    clock.advance(2.5)
    r2 = s.answer({"C"})  # q2 wrong
    assert r2.elapsed_ms == 2500
    s.next()
    clock.advance(10.0)
    s.answer({"A", "C"})  # q3 right
    s.next()
    clock.advance(1.0)  # q4 skipped
    s.next()
    assert s.finished
    clock.advance(100.0)  # after the end: does not count

    summary = s.summary()
    assert (summary.right, summary.answered, summary.total) == (2, 3, 4)
    assert summary.percent == pytest.approx(200 / 3)
    assert summary.elapsed_s == pytest.approx(17.5)
    assert [q.id for q in summary.missed] == ["q2"]
    assert {t: (v.right, v.total) for t, v in summary.by_tag.items()} == {
        "security": (0, 1), "service/s3": (1, 2), "service/vpc": (1, 1)}
    assert list(summary.by_tag) == sorted(summary.by_tag)
    assert summary.by_tag["service/s3"].percent == 50.0
    assert format_duration(summary.elapsed_s) == "0:18"


def test_summary_before_the_end_uses_the_clock_now():
    clock = Clock(0.0)
    s = session(clock=clock)
    clock.advance(65)
    assert s.summary().elapsed_s == 65
    assert s.summary().answered == 0 and s.summary().percent == 0.0
    assert format_duration(3725) == "1:02:05"


# --------------------------------------------------------------------------- parse_choice

@pytest.fixture
def shown4() -> ShownQuestion:
    return session(shuffle=False).current


@pytest.mark.parametrize("raw, letters", [
    ("a", ("A",)), ("B", ("B",)), (" d ", ("D",)),
    ("2", ("B",)), ("4", ("D",)), ("1 3", ("A", "C")),
    ("A,C", ("A", "C")), ("a, c", ("A", "C")), ("ac", ("A", "C")), ("CA", ("C", "A")),
    ("1,b", ("A", "B")), ("aa", ("A",)), ("3 a c", ("C", "A")), ("", ()),
])
def test_parse_choice(shown4, raw, letters):
    assert parse_choice(raw, shown4) == letters


@pytest.mark.parametrize("raw", ["e", "5", "0", "ax", "A,E", "?", "1.5"])
def test_parse_choice_rejects_what_is_not_an_option(shown4, raw):
    with pytest.raises(AnswerError, match="is not one of A, B, C, D"):
        parse_choice(raw, shown4)


def test_references_to_options_follow_the_shuffle():
    # "(B)" in an explanation names option B of the file; shown under another letter, the
    # reference must name that letter, or the learner is sent to the wrong option.
    q = Question(id="refs", stem="Stem", explanation="KMS (B) and layers (C) miss it; (Z) (AB) stay.",
                 options=(Option("A", "endpoint", True, "Unlike (B), it covers the path."),
                          Option("B", "kms", False, "b"), Option("C", "layers", False, "c")))
    for seed in range(12):
        s = PracticeSession([q], seed=seed)
        shown = s.current
        kms, layers = shown_letter_of(shown, "B"), shown_letter_of(shown, "C")
        result = s.answer({shown_letter_of(shown, "A")})
        assert result.explanation == f"KMS ({kms}) and layers ({layers}) miss it; (Z) (AB) stay."
        why = next(fb.why for fb in result.feedback if fb.option.key == "A")
        assert why == f"Unlike ({kms}), it covers the path."
    unshuffled = PracticeSession([q], shuffle=False)
    result = unshuffled.answer({"A"})
    assert result.explanation == q.explanation
    assert [fb.why for fb in result.feedback] == [o.why for o in q.options]


def test_scope_of_selected_questions_counts_in_words():
    from studyvpc.study.quiz import Scope

    assert Scope("ids", ids=("q1",)).describe() == "1 selected question"
    assert Scope("ids", ids=("q1", "q2")).describe() == "2 selected questions"
    assert Scope("ids", value="missed questions", ids=("q1",)).describe() == "missed questions"

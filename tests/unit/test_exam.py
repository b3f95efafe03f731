"""The mock exam as a domain object: timing with an injected clock, scoring, review, resume."""

import json
import os
import random
import signal
import subprocess
import sys
import textwrap

import pytest

from studyvpc.study.exam import (
    ExamOver, ExamSettings, ExamStateError, MockExam, questions_for,
)
from studyvpc.content.library import Library
from studyvpc.content.model import Note, Option, Question
from studyvpc.progress.exam_file import ExamFile


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def q(qid: str, correct: str = "A", tags=("t/x",), choose: int = 1) -> Question:
    keys = "ABCDE" if choose > 1 else "ABCD"
    opts = tuple(Option(k, f"{qid} option {k}", k in correct, f"why {k}") for k in keys)
    return Question(qid, f"stem {qid}", opts, tags=tuple(tags), choose=choose, note_id="n")


def library(*questions: Question) -> Library:
    return Library((Note("n", "Note", questions=tuple(questions)),))


def letter_of(item, key: str) -> str:
    return next(o.letter for o in item.shown.options if o.option.key == key)


@pytest.fixture
def clock():
    return Clock()


def start(questions, clock, limit=600, seed=3):
    return MockExam.start(questions, ExamSettings(len(questions), limit, 0.72, seed), clock=clock)


def test_timing_with_injected_clock_and_auto_submit(clock):
    exam = start([q("a"), q("b")], clock, limit=100)
    clock.now += 40
    assert exam.remaining_s == pytest.approx(60)
    assert not exam.check_time()
    exam.select(letter_of(exam.current, "A"))
    clock.now += 61
    assert exam.check_time(), "the exam submits itself at zero time"
    assert exam.result.auto_submitted
    assert exam.result.time_used_s == 100, "time used is capped at the limit"
    assert exam.result.right == 1 and exam.result.total == 2, "unanswered counts as wrong"
    with pytest.raises(ExamOver):
        exam.select("A")


def test_multi_answer_scoring_needs_exactly_the_right_set(clock):
    exam = start([q("m", correct="BD", choose=2)], clock)
    item = exam.current
    exam.select(letter_of(item, "B"))
    assert not item.correct, "half of a choose-two answer is wrong"
    exam.select(letter_of(item, "A"))
    with pytest.raises(ValueError):
        exam.select(letter_of(item, "C"))  # a third selection is refused
    exam.select(letter_of(item, "A"))  # toggle off
    exam.select(letter_of(item, "D"))
    assert item.correct
    assert exam.submit().right == 1


def test_per_tag_scores_pass_mark_and_review_filters(clock):
    qs = [q("a", tags=("domain/one",)), q("b", tags=("domain/one",)), q("c", tags=("domain/two",)),
          q("d", tags=("domain/two",))]
    exam = start(qs, clock)
    by_id = {it.question.id: i for i, it in enumerate(exam.items)}
    exam.select(letter_of(exam.items[by_id["a"]], "A"), by_id["a"])  # right
    exam.select(letter_of(exam.items[by_id["b"]], "B"), by_id["b"])  # wrong
    exam.select(letter_of(exam.items[by_id["c"]], "A"), by_id["c"])  # right
    exam.toggle_flag(by_id["c"])
    # d unanswered
    assert exam.unanswered() == [by_id["d"]] and exam.flagged() == [by_id["c"]]
    r = exam.submit()
    assert (r.right, r.total) == (2, 4) and not r.passed
    assert (r.by_tag["domain/one"].right, r.by_tag["domain/one"].total) == (1, 2)
    assert (r.by_tag["domain/two"].right, r.by_tag["domain/two"].total) == (1, 2)
    ids = lambda which: sorted(it.question.id for _, it in r.review(which))  # noqa: E731
    assert ids("all") == ["a", "b", "c", "d"]
    assert ids("incorrect") == ["b", "d"]
    assert ids("flagged") == ["c"]
    assert ids("unanswered") == ["d"]


def test_pass_mark_boundary(clock):
    qs = [q(f"q{i}") for i in range(25)]
    exam = start(qs, clock)
    for i, item in enumerate(exam.items[:18]):  # 18/25 = 72%
        exam.select(letter_of(item, "A"), i)
    assert exam.submit().passed


def test_change_of_answer_keeps_the_last(clock):
    exam = start([q("a")], clock)
    exam.select(letter_of(exam.current, "B"))
    exam.select(letter_of(exam.current, "A"))
    assert exam.submit().right == 1


def test_resume_from_saved_state_keeps_answers_flags_order_and_time(clock, tmp_path):
    qs = [q("a"), q("b"), q("c", correct="CE", choose=2)]
    exam = start(qs, clock, limit=300)
    exam.select(exam.items[0].shown.letters[2], 0)
    exam.toggle_flag(1)
    multi = exam.items[2]
    exam.select(letter_of(multi, "C"), 2)
    exam.goto(1)
    clock.now += 120
    saved = ExamFile(tmp_path)
    saved.save(exam.to_state())

    later = Clock()  # a new process: its monotonic clock has nothing to do with the old one
    back = MockExam.from_state(saved.load(), library(*qs), clock=later)
    assert back.index == 1
    assert back.remaining_s == pytest.approx(180)
    for old, new in zip(exam.items, back.items):
        assert new.question.id == old.question.id
        assert new.shown.letters == old.shown.letters
        assert [o.option.key for o in new.shown.options] == [o.option.key for o in old.shown.options]
        assert new.answer == old.answer and new.flagged == old.flagged
    later.now += 180
    assert back.check_time()


def test_a_submitted_state_comes_back_submitted_with_its_score_time_and_how_it_ended(clock):
    qs = [q("a"), q("b")]
    exam = start(qs, clock, limit=100)
    exam.select(letter_of(exam.current, "A"))
    clock.now += 150
    assert exam.check_time()  # the clock ended it
    state = json.loads(json.dumps(exam.to_state()))
    back = MockExam.from_state(state, library(*qs), clock=Clock())
    assert back.result is not None and back.result.auto_submitted
    assert (back.result.right, back.result.total, back.result.time_used_s) == (1, 2, 100)


def test_resume_refuses_changed_or_missing_content(clock):
    exam = start([q("a"), q("b")], clock)
    state = exam.to_state()
    with pytest.raises(ExamStateError, match="no longer in the content"):
        MockExam.from_state(state, library(q("a")))
    with pytest.raises(ExamStateError):
        MockExam.from_state({"format": "other"}, library(q("a")))
    broken = json.loads(json.dumps(state))
    del broken["items"][0]["order"]
    with pytest.raises(ExamStateError, match="damaged"):
        MockExam.from_state(broken, library(q("a"), q("b")))


def test_questions_for_tags_and_notes():
    lib = Library((Note("n1", "one", questions=(q("a", tags=("svc/s3",)),)),
                   Note("n2", "two", questions=(q("b", tags=("svc/lambda",)),))))
    assert {x.id for x in questions_for(lib)} == {"a", "b"}
    assert {x.id for x in questions_for(lib, tags=["svc/s3"])} == {"a"}
    assert {x.id for x in questions_for(lib, notes=["n2"])} == {"b"}


def test_damaged_exam_file_is_reported_and_set_aside(tmp_path):
    f = ExamFile(tmp_path)
    f.path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="damaged"):
        f.load()
    moved = f.set_aside()
    assert moved.exists() and moved.read_text(encoding="utf-8") == "{not json"
    assert f.load() is None


HOLDER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from studyvpc.progress.exam_file import ExamFile
    assert ExamFile(Path(sys.argv[1])).lock()
    print("locked", flush=True)
    sys.stdin.readline()  # hold the lock until told (or killed)
""")


@pytest.mark.skipif(os.name != "posix", reason="flock")
def test_an_exam_being_taken_in_another_process_is_locked_until_that_process_ends(tmp_path):
    here = ExamFile(tmp_path)
    assert not here.in_use_elsewhere(), "no lock file yet: nobody is taking an exam"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert here.in_use_elsewhere()
        assert not here.lock(), "a second exam cannot take over the save file"
    finally:
        os.kill(holder.pid, signal.SIGKILL)  # even a kill releases it
        holder.wait()
    assert not here.in_use_elsewhere()
    assert here.lock()
    assert not here.in_use_elsewhere(), "this process's own lock is not someone else's"
    here.release()


CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from studyvpc.study.exam import ExamSettings, MockExam
    from studyvpc.content.library import Library
    from studyvpc.content.model import Note, Option, Question
    from studyvpc.progress.exam_file import ExamFile

    qs = [Question(f"q{i}", "stem", tuple(Option(k, k, k == "A", "w") for k in "ABCD"), note_id="n")
          for i in range(40)]
    saver = ExamFile(Path(sys.argv[1]))
    exam = MockExam.start(qs, ExamSettings(40, 3600, 0.72, 1))
    for i in range(40):
        exam.select(exam.items[i].shown.letters[i % 4], i)
        if i % 3 == 0:
            exam.toggle_flag(i)
        exam.goto(i)
        saver.save(exam.to_state())
        print(i, flush=True)  # the learner has seen this answer take effect
        time.sleep(0.002)
""")


def test_kill_mid_exam_then_resume_intact(tmp_path):
    rng = random.Random(7)
    qs = [Question(f"q{i}", "stem", tuple(Option(k, k, k == "A", "w") for k in "ABCD"), note_id="n")
          for i in range(40)]
    lib = library(*qs)
    for attempt in range(5):
        d = tmp_path / f"run{attempt}"
        proc = subprocess.Popen([sys.executable, "-c", CHILD, str(d)], stdout=subprocess.PIPE, text=True)
        target = rng.randint(3, 30)
        last = -1
        for line in proc.stdout:
            last = int(line)
            if last >= target:
                break
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        state = ExamFile(d).load()
        exam = MockExam.from_state(state, lib)
        assert exam.index >= last, "every answer shown before the kill was saved"
        for i in range(last + 1):
            item = exam.items[i]
            assert item.answer == (item.shown.letters[i % 4],)
            assert item.flagged == (i % 3 == 0)
        assert exam.remaining_s > 3500

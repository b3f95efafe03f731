"""What the mock exam looks like: SVG snapshots at 80×24 and 120×40.

Deterministic: fixture content (tests/fixtures/content/exam), a fixed seed, and a clock that
moves only when the test moves it, so the time left and the time used never change between
runs (the one-second interval only redraws the same value). Keys are worked out from the exam
on screen (options are shuffled), not hard-coded.
Update with `pytest tests/tui/test_snapshots_exam.py --snapshot-update`, then look at them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input

from studyvpc.study.exam import ExamSettings, MockExam
from studyvpc.content.loader import load_library
from studyvpc.progress.exam_file import ExamFile
from studyvpc.ui.tui.app import make_app
from studyvpc.ui.tui.screens.exam import start_exam

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "content" / "exam"
SEED = 11
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def build(tmp_path: Path, clock: Clock | None = None):
    result = load_library([FIXTURES])
    assert result.ok, result.errors
    app = make_app(result, seed=SEED, data_dir=tmp_path, exam_clock=clock or Clock())
    return app


def right(item) -> list[str]:
    return [letter.lower() for letter in sorted(item.shown.correct_letters)]


def wrong(item) -> list[str]:
    bad = [o.letter for o in item.shown.options if not o.option.correct]
    return [letter.lower() for letter in sorted(item.shown.correct_letters)[: item.question.choose - 1]
            + bad[:1]]


def taking(clock: Clock, *, submit: bool = False, confirm: bool = True, then: tuple = ()):
    """Start a 3-question, 6-minute exam; answer 1 right, 2 wrong and flagged, leave 3.

    Two and a half minutes pass. The exam ends on question 2 (or submitted, with `submit`).
    """

    async def run_before(pilot) -> None:
        app = pilot.app
        start_exam(app, ExamSettings(3, 360, 0.72, SEED), clock=clock)
        await pilot.pause()
        exam = app.screen.exam
        await pilot.press(*right(exam.items[0]))
        clock.now += 150
        await pilot.press("n", *wrong(exam.items[1]), "f")
        if submit:
            await pilot.press("s")
            await pilot.pause()
            if confirm:
                await pilot.press("y")
        await pilot.pause()
        if then:
            await pilot.press(*then)
            await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_exam_question(snap_compare, tmp_path, size):
    """Question 2 of 3, flagged and answered; 3:30 left. Wide: the navigator beside it."""
    clock = Clock()
    assert snap_compare(build(tmp_path, clock), terminal_size=size, run_before=taking(clock))


def test_exam_navigator_opened_at_80x24(snap_compare, tmp_path):
    """g opens the navigator on a narrow terminal: 1 answered, [2] answered+flagged, 3 open."""
    clock = Clock()
    assert snap_compare(build(tmp_path, clock), terminal_size=(80, 24),
                        run_before=taking(clock, then=("g",)))


def test_exam_multi_answer_partly_answered(snap_compare, tmp_path):
    """A "Choose 2" question with one option chosen: [x] and ◐ in the navigator."""
    clock = Clock()

    async def run_before(pilot) -> None:
        app = pilot.app
        start_exam(app, ExamSettings(3, 360, 0.72, SEED), clock=clock)
        await pilot.pause()
        screen = app.screen
        index = next(i for i, it in enumerate(screen.exam.items) if it.question.is_multi)
        screen.goto(index)
        await pilot.press(right(screen.exam.items[index])[0], "down")
        await pilot.pause()

    assert snap_compare(build(tmp_path, clock), terminal_size=(120, 40), run_before=run_before)


def test_exam_submit_confirmation(snap_compare, tmp_path):
    """s with an unanswered and a flagged question asks first, listing them."""
    clock = Clock()
    assert snap_compare(build(tmp_path, clock), terminal_size=(80, 24),
                        run_before=taking(clock, submit=True, confirm=False))


@pytest.mark.parametrize("size", SIZES)
def test_exam_results(snap_compare, tmp_path, size):
    """FAIL 1/3, time used 2:30 of 6:00, score per domain, the review tabs and the first item."""
    clock = Clock()
    assert snap_compare(build(tmp_path, clock), terminal_size=size,
                        run_before=taking(clock, submit=True))


@pytest.mark.parametrize("size", SIZES)
def test_exam_review_incorrect(snap_compare, tmp_path, size):
    """i: only the incorrect questions (2 wrong and flagged, 3 unanswered), every option's why."""
    clock = Clock()
    assert snap_compare(build(tmp_path, clock), terminal_size=size,
                        run_before=taking(clock, submit=True, then=("i",)))


def test_exam_resume_offer(snap_compare, tmp_path):
    """Starting the app with an unfinished exam saved: resume, discard or later, time left."""
    clock = Clock()
    result = load_library([FIXTURES])
    exam = MockExam.start(result.library.questions, ExamSettings(3, 360, 0.72, SEED),
                          clock=clock)
    exam.select(exam.items[0].shown.letters[0], 0)
    exam.toggle_flag(2)
    clock.now += 95
    ExamFile(tmp_path).save(exam.to_state())
    assert snap_compare(build(tmp_path, Clock()), terminal_size=(80, 24))


def test_exam_setup(snap_compare, tmp_path):
    """The setup form with the defaults that fit the fixture library (3 questions, 6 minutes)."""

    async def run_before(pilot) -> None:
        start_exam(pilot.app)
        await pilot.pause()
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    assert snap_compare(build(tmp_path), terminal_size=(80, 24), run_before=run_before)

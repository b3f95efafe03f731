"""The leave dialog's promise ("saved with 9:59 left") is the time the exam resumes with.

The dialog used to quote the time left when it opened while the clock kept running behind
it; Leave then saved the later time (9:55 after four seconds of reading). The clock now stops
when the learner asks to leave: Leave keeps the time quoted, Stay starts the clock again.
Time comes from a clock the test moves by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

from support.screen import screen_text

from studyvpc.content.loader import load_library
from studyvpc.progress.exam_file import ExamFile
from studyvpc.study.exam import ExamSettings
from studyvpc.ui.tui.app import make_app
from studyvpc.ui.tui.screens.exam import start_exam
from studyvpc.ui.tui.screens.exam_modals import ConfirmScreen, ResumeExamScreen
from studyvpc.ui.tui.screens.exam_screen import ExamScreen

ROOT = Path(__file__).resolve().parents[2]
EXAM = ROOT / "tests" / "fixtures" / "content" / "exam"


class Clock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def build(data: Path, clock: Clock):
    return make_app(load_library([EXAM]), seed=3, data_dir=data, exam_clock=clock)


def promised(app) -> str:
    found = re.search(r"saved with (\d+:\d\d) left", " ".join(screen_text(app).split()))
    assert found, screen_text(app)
    return found.group(1)


async def test_leaving_keeps_the_time_the_dialog_promised(tmp_path):
    clock = Clock()
    app = build(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        start_exam(app, ExamSettings(3, 600, seed=3), data_dir=tmp_path, clock=clock)
        await pilot.pause()
        exam_screen = app.screen
        clock.now += 1
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert promised(app) == "9:59"
        clock.now += 4  # reading the question; the interval goes on ticking behind it
        exam_screen.tick()
        await pilot.press("y")
        await pilot.pause()
        assert ExamFile(tmp_path).load()["time_used_s"] == 1
    clock = Clock(5.0)  # the next start, in a new process
    app = build(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeExamScreen)
        assert "9:59 left" in " ".join(screen_text(app).split())
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen) and app.screen.exam.remaining_s == 599


async def test_staying_starts_the_clock_again_where_it_stopped(tmp_path):
    clock = Clock()
    app = build(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        start_exam(app, ExamSettings(3, 600, seed=3), data_dir=tmp_path, clock=clock)
        await pilot.pause()
        exam = app.screen.exam
        clock.now += 10
        await pilot.press("q")
        await pilot.pause()
        assert promised(app) == "9:50"
        clock.now += 30
        assert exam.remaining_s == 590  # stopped while the question is open
        await pilot.press("n")  # Stay
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        clock.now += 5
        assert exam.remaining_s == 585  # running again, from where it stopped

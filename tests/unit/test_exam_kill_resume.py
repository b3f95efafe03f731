"""Kill the real app with SIGKILL in the middle of a mock exam, then resume it in a new app.

The child process runs the full TUI headless (`App.run(headless=True, auto_pilot=…)`), takes
an exam with the keyboard — an answer on every question, a flag on every third, Next — and
reports each step on a pipe once the key has been handled. The parent kills it at a random
step (no chance to save on the way out), starts a new app on the same data directory, accepts
the resume offer, and checks that every reported answer and flag is there, the exam reopens
where it was, and the time left is what was saved (the clock stops while the app is gone).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from studyvpc.content.loader import load_library
from studyvpc.progress.exam_file import ExamFile
from studyvpc.ui.tui.app import make_app
from studyvpc.ui.tui.screens.exam_modals import ResumeExamScreen
from studyvpc.ui.tui.screens.exam_screen import ExamScreen

pytestmark = pytest.mark.slow  # processes killed mid-write


QUESTIONS = 24
LIMIT_S = 3600

CHILD = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from studyvpc.study.exam import ExamSettings
    from studyvpc.content.loader import load_library
    from studyvpc.ui.tui.app import make_app
    from studyvpc.ui.tui.screens.exam import start_exam

    data_dir, content, fd = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    app = make_app(load_library([content]), seed=5, data_dir=data_dir)

    async def drive(pilot):
        start_exam(app, ExamSettings({questions}, {limit}, 0.72, 5))
        await pilot.pause()
        exam = app.screen.exam
        async def step(i, kind, key):
            await pilot.press(key)
            await pilot.pause()
            os.write(fd, f"{{i}} {{kind}}\\n".encode())  # the learner has seen it take effect

        for i, item in enumerate(exam.items):
            await step(i, "answer", item.shown.letters[i % 4].lower())
            if i % 3 == 0:
                await step(i, "flag", "f")
            await step(i, "next", "n")
        while True:
            await pilot.pause(0.1)

    app.run(headless=True, size=(80, 24), auto_pilot=drive)
""").format(questions=QUESTIONS, limit=LIMIT_S)


def write_content(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["id: kill-note", "title: Kill test", "questions:"]
    for n in range(QUESTIONS):
        lines += [f"  - id: kill-q{n}", f"    stem: Question number {n}?", "    options:"]
        for key in "ABCD":
            lines += [f"      - key: {key}", f"        text: option {key} of {n}",
                      f"        correct: {'true' if key == 'A' else 'false'}",
                      f"        why: because {key}"]
    (folder / "kill-note.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


class Clock:
    def __init__(self) -> None:
        self.now = 50.0

    def __call__(self) -> float:
        return self.now


def run_and_kill(data_dir: Path, content: Path, target: int) -> tuple[list[tuple[int, str]], float]:
    """Run the child until it has reported `target` steps, SIGKILL it; (steps seen, seconds)."""
    read_end, write_end = os.pipe()
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(data_dir), str(content),
                             str(write_end)], pass_fds=(write_end,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(write_end)
    seen: list[tuple[int, str]] = []
    with os.fdopen(read_end, "r") as steps:
        try:
            for line in steps:
                number, kind = line.split()
                seen.append((int(number), kind))
                if len(seen) >= target:
                    break
        finally:
            os.kill(proc.pid, signal.SIGKILL)
            _, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, err.decode(errors="replace")[-2000:]
    return seen, time.monotonic() - started


@pytest.mark.parametrize("attempt", range(3))
async def test_sigkill_mid_exam_then_resume_with_answers_flags_and_time(tmp_path, attempt):
    content = write_content(tmp_path / "content")
    data_dir = tmp_path / "data"
    target = random.Random(attempt).randint(3, 2 * QUESTIONS)  # stop after any kind of step
    seen, wall_s = run_and_kill(data_dir, content, target)
    assert len(seen) == target, "the child reported its steps"
    answered = {i for i, kind in seen if kind == "answer"}
    flagged = {i for i, kind in seen if kind == "flag"}
    moved_to = max([i + 1 for i, kind in seen if kind == "next"], default=0)

    saved = ExamFile(data_dir).load()
    assert saved is not None and not saved["submitted"]
    used = saved["time_used_s"]
    assert 0 <= used <= wall_s, "time used counts only the exam's own time"

    result = load_library([content])
    clock = Clock()
    app = make_app(result, seed=5, data_dir=data_dir, exam_clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeExamScreen), "the new app offers the exam back"
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        exam = screen.exam
        assert exam.total == QUESTIONS
        assert exam.index >= min(moved_to, QUESTIONS - 1), "reopens where it was"
        for i in answered:
            item = exam.items[i]
            assert item.answer == (item.shown.letters[i % 4],), f"answer {i} survived"
        for i in flagged:
            assert exam.items[i].flagged, f"flag {i} survived"
        for i, item in enumerate(exam.items):
            if item.answered:
                assert item.answer == (item.shown.letters[i % 4],), "nothing invented"
            assert not item.flagged or i % 3 == 0, "nothing invented"
        for item in exam.items[exam.index + 1:]:
            assert not item.answered and not item.flagged, "nothing beyond where it was"
        assert exam.remaining_s == pytest.approx(LIMIT_S - used)
        clock.now += 10
        assert exam.remaining_s == pytest.approx(LIMIT_S - used - 10), "and the clock runs again"

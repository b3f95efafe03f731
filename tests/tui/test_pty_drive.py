"""benchmarks/pty_drive.py drives the real app in a pseudo-terminal (not timed: the benchmark
uses the figures; this checks that they are taken from the right screens, and that nothing is
left running)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHELL = ROOT / "tests" / "fixtures" / "content" / "shell"
sys.path.insert(0, str(ROOT / "benchmarks"))

pytest.importorskip("pyte")
from pty_drive import (  # noqa: E402
    PtyApp, PtyTimeout, answered, drive_quiz, pty_available, studyvpc_argv,
)

pytestmark = pytest.mark.skipif(not pty_available(), reason="no pseudo-terminals here")


def private_env(tmp_path: Path) -> dict[str, str]:
    return dict(os.environ, STUDYVPC_DATA_DIR=str(tmp_path / "data"),
                STUDYVPC_CACHE_DIR=str(tmp_path / "cache"))


def test_home_on_the_bundled_deck_then_a_key_opens_its_screen(tmp_path):
    with PtyApp(studyvpc_argv(), private_env(tmp_path), size=(100, 30)) as app:
        app.wait_for("Due for review", timeout=60)
        assert app.screen.columns == 100 and len(app.lines) == 30
        assert "practise questions" in app.text
        assert "What do you want to practise?" not in app.text
        timing = app.key_latency("p", until="What do you want to practise?")
        assert "Due for review" not in app.text
        assert timing.first is not None and timing.shown is not None
        assert timing.settled is not None
        assert 0 < timing.first <= timing.shown <= timing.settled
        assert timing.bytes > 0
        with pytest.raises(PtyTimeout):
            app.key_latency("x", until="never on this screen", timeout=0.3)
        pid = app.pid
    assert pid is not None and app.pid is None
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie, no orphan


def test_a_quiz_is_driven_key_by_key_and_each_answer_timed_to_its_feedback(tmp_path):
    argv = studyvpc_argv("quiz", "--content", str(SHELL), "--seed", "1", "--limit", "2")
    with PtyApp(argv, private_env(tmp_path), size=(80, 24)) as app:
        timings = drive_quiz(app)
        assert answered(app.lines) and "Question 2/2" in app.text
        assert "Score 0/2" in app.text or "Score 1/2" in app.text or "Score 2/2" in app.text
    assert len(timings["answer"]) == 2 and len(timings["next"]) == 1
    for timing in timings["answer"] + timings["next"]:
        assert timing.first is not None and timing.shown is not None
        assert timing.first <= timing.shown


def test_a_program_that_ends_early_is_a_timeout_not_a_hang():
    with PtyApp([sys.executable, "-c", "print('bye')"], size=(40, 5)) as app:
        app.wait_for("bye", timeout=30)
        with pytest.raises(PtyTimeout, match="ended"):
            app.wait_for("never", timeout=30)

"""How the benchmark waits on a program in a pseudo-terminal (benchmarks/pty_drive.py,
benchmarks/ptyrows.py): it waits for what it must (a screen complete), and no longer (never
for output that only a later key would cause). Not timed: what is on the screen is checked."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

pytest.importorskip("pyte")
import pty_drive  # noqa: E402
import ptyrows  # noqa: E402
from pty_drive import PtyApp, pty_available, studyvpc_argv  # noqa: E402

pytestmark = pytest.mark.skipif(not pty_available(), reason="no pseudo-terminals here")

_HELLO_THEN_LATER = ("import sys, time\n"
                     "sys.stdout.write('Hello'); sys.stdout.flush()\n"
                     "time.sleep(8)\n"
                     "sys.stdout.write(' Later'); sys.stdout.flush()\n"
                     "time.sleep(60)\n")


def test_wait_for_returns_when_the_program_is_quiet_not_at_its_next_output():
    # A program that has drawn its screen writes nothing more until something happens: the
    # wait ends after `quiet` seconds of that silence, not when (if ever) it writes again.
    with PtyApp([sys.executable, "-c", _HELLO_THEN_LATER], size=(40, 5)) as app:
        app.wait_for("Hello", timeout=60, quiet=0.2)
        assert "Hello" in app.text and "Later" not in app.text


def test_a_screen_settled_after_settle_s_is_the_screen_a_longer_wait_shows(tmp_path):
    # SETTLE_S of silence ends a key's output: a filter key in the browser has drawn all it
    # will draw by then (no timer of the app draws later than that).
    env = dict(os.environ, STUDYVPC_DATA_DIR=str(tmp_path / "data"),
               STUDYVPC_CACHE_DIR=str(tmp_path / "cache"))
    with PtyApp(studyvpc_argv(), env, size=ptyrows.SIZE) as app:
        app.wait_for(ptyrows.APP_HOME, timeout=60, quiet=ptyrows.SETTLE_S)
        assert ptyrows.timed(pty_drive, app, "b", 3, timeout=60) is not None
        app.key_latency("/", quiet=ptyrows.SETTLE_S)
        for key in "lam":
            assert ptyrows.timed(pty_drive, app, key, 2) is not None  # as run.py times it
            settled = app.lines
            time.sleep(4 * ptyrows.SETTLE_S)  # an input's cursor may blink: not its text
            assert app.lines == settled, key


_HELLO_THEN_WORK = ("import sys, time\n"
                    "sys.stdout.write('Hello'); sys.stdout.flush()\n"
                    "end = time.process_time() + 1.0\n"
                    "while time.process_time() < end: pass\n"  # a second of work, silent
                    "sys.stdout.write(' Done'); sys.stdout.flush()\n"
                    "time.sleep(60)\n")


def test_a_program_working_silently_has_not_settled():
    # Silence alone is not the end of a key's output: on a busy machine a program still
    # drawing may write nothing for longer than the quiet time while it waits for a CPU.
    with PtyApp([sys.executable, "-c", _HELLO_THEN_WORK], size=(40, 5)) as app:
        app.wait_for("Hello", timeout=60, quiet=0.1)
        assert "Done" in app.text

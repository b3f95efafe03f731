"""How the benchmark waits on a program in a pseudo-terminal (benchmarks/pty_drive.py,
benchmarks/ptyrows.py): it waits for what it must (a screen complete), and no longer (never
for output that only a later key would cause). Not timed: what is on the screen is checked."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

pytest.importorskip("pyte")
from pty_drive import PtyApp, pty_available  # noqa: E402

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


"""benchmarks/browse_timing.py drives the real browser: every key's result is seen on screen,
and the rows it counts are the tree's."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from shell_support import SHELL_FIXTURES, load

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from browse_timing import time_browser  # noqa: E402


async def test_the_browser_timing_sees_each_key_and_counts_rows():
    result = load(SHELL_FIXTURES)
    # time_browser runs its own event loop: in a thread, beside pytest's.
    times = await asyncio.to_thread(time_browser, result, "gate", 1)
    assert len(times["key"]) == 4 and all(t > 0 for t in times["key"])
    assert len(times["open"]) == len(times["note"]) == len(times["clear"]) == 1
    assert times["open_rows"] == [1 + 2 + 2]  # the list, two notes, two top-level tags
    # Each key: the matches, and (few of them) every tag they are under, opened.
    assert len(times["key_rows"]) == 4 and all(r >= 2 for r in times["key_rows"])

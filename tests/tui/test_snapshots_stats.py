"""What the statistics screen and the home screen's progress look like: SVG snapshots.

Deterministic: fixture content (tests/fixtures/content/progress), a history seeded without FSRS
fuzzing, "now" frozen through ``app.progress.clock`` and local time forced to UTC, so dates,
due times and retrievability never change between runs.
Update with `pytest tests/tui/test_snapshots_stats.py --snapshot-update`, then look at them.
"""

from __future__ import annotations

import pytest

from progress_support import build, seed_history, utc_local_time  # noqa: F401  (autouse)

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_stats_screen(snap_compare, tmp_path, size):
    data = tmp_path / "data"
    seed_history(data)
    assert snap_compare(build(data), terminal_size=size, press=["s"])


@pytest.mark.parametrize("size", SIZES)
def test_stats_screen_scrolled_to_the_weakest_questions(snap_compare, tmp_path, size):
    data = tmp_path / "data"
    seed_history(data)
    assert snap_compare(build(data), terminal_size=size, press=["s", "w"])


def test_home_shows_due_and_last_results(snap_compare, tmp_path):
    data = tmp_path / "data"
    seed_history(data)
    assert snap_compare(build(data), terminal_size=(120, 40))

"""What opening the statistics screen costs: each table rendered once, the weakest table
filled once, the keys at the bottom built once, no style sheet parsed again.

Textual lays a new screen out more than once (when it is shown, when its first layout
resizes it, when its scrollbar appears): work done per layout is done two or three times.
Work is counted here (Rich table renders, fills of the weakest table, builds of the key
bars), not timed; the time is benchmarks/run.py's "stats screen" rows.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rich.table import Table
from textual.css.stylesheet import Stylesheet
from textual.widgets import DataTable, Static

from progress_support import build, seed_history, utc_local_time  # noqa: F401  (autouse)
from studyvpc.ui.tui.screens.stats import StatsScreen
from studyvpc.ui.tui.widgets.keybar import KeyBar


def counting(monkeypatch, owner: type, name: str, seen) -> None:
    """Calls of ``owner.name`` go on as before, each told first to ``seen(self, *args)``."""
    method = getattr(owner, name)

    def counted(self, *args, **kwargs):
        seen(self, *args, **kwargs)
        return method(self, *args, **kwargs)

    monkeypatch.setattr(owner, name, counted)


@pytest.fixture
def renders(monkeypatch) -> Counter:
    """How many times each Rich table was rendered (by the table's id)."""
    counts: Counter = Counter()
    counting(monkeypatch, Table, "__rich_console__",
             lambda table, *_: counts.update([id(table)]))
    return counts


@pytest.fixture
def fills(monkeypatch) -> list:
    """The weakest table's clears (each fill starts with one)."""
    cleared: list = []
    counting(monkeypatch, DataTable, "clear",
             lambda table, columns=False: table.id == "stats-weakest" and cleared.append(columns))
    return cleared


@pytest.fixture
def reparses(monkeypatch) -> list:
    """Each time the app's whole style sheet is parsed again."""
    done: list = []
    counting(monkeypatch, Stylesheet, "reparse", lambda sheet: done.append(1))
    return done


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_opening_the_stats_screen_does_its_work_once(tmp_path, renders, fills, reparses,
                                                           size):
    data = tmp_path / "data"
    seed_history(data)
    app = build(data)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        home = app.screen
        renders.clear()
        reparses.clear()
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        # Its own styles are added to the app's: nothing else is parsed or restyled again.
        assert reparses == []
        # The summary, the exams and the tags (home's own tables are not counted).
        tables = {id(w.content) for w in screen.query(Static) if isinstance(w.content, Table)}
        assert len(tables) == 3
        assert {t: renders[t] for t in tables} == {t: 1 for t in tables}  # whatever the layouts
        assert len(fills) == 1, fills
        # The keys at the bottom: built once for the new screen (it says its bindings
        # changed several times while it opens), and home's left as they are.
        await pilot.pause()
        assert screen.query_one(KeyBar).rebuilds == 1
        assert home.query_one(KeyBar).rebuilds == 1
        # A resize to another width fills the weakest table again, and renders each table
        # once more at most.
        renders.clear()
        await pilot.resize_terminal(size[0] - 10, size[1])
        await pilot.pause()
        assert len(fills) == 2, fills
        assert all(renders[t] <= 1 for t in tables), renders

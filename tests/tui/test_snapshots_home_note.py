"""What people see: SVG snapshots of home, the browser and the note view.

Drawn from the deterministic fixture notes in tests/fixtures/content/shell with a fixed seed;
nothing on these screens shows a clock. Update with ``--snapshot-update`` and look at the
report before committing.
"""

from __future__ import annotations

import pytest
from shell_support import SHELL_FIXTURES, load, note_opened

from studyvpc.ui.tui.app import make_app
from studyvpc.ui.tui.widgets.flow import FlowDiagram

SIZES = [(80, 24), (120, 40)]


def app():
    return make_app(load(SHELL_FIXTURES), seed=1)


async def open_note(pilot) -> None:
    await note_opened(pilot, "shell-gateway")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home(snap_compare, size):
    assert snap_compare(app(), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_note_view(snap_compare, size):
    assert snap_compare(app(), terminal_size=size, run_before=open_note)


def test_note_view_flow_and_tradeoffs_80x24(snap_compare):
    async def scrolled(pilot) -> None:
        await open_note(pilot)
        view = pilot.app.screen.query_one("#note-view")
        view.scroll_to_widget(pilot.app.screen.query_one(FlowDiagram), animate=False, top=True)
        await pilot.pause()

    assert snap_compare(app(), terminal_size=(80, 24), run_before=scrolled)


def test_browser_80x24(snap_compare):
    assert snap_compare(app(), terminal_size=(80, 24), press=["b", "down", "down"])

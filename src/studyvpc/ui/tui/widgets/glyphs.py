"""The glyphs that show state besides colour (`studyvpc.ui.tui.widgets.marks` says why), with
no widget imported: the home screen's tree needs the cursor mark, not the marked tables and
lists."""

from __future__ import annotations

CURSOR = "❯"
"""In front of the highlighted row (the row Enter acts on)."""
RADIO_ON = "●"
CHECKED = "✔"
BLANK = " "
GUTTER = 2
"""Cells in front of a list's rows: the cursor and a space."""


def cursor_gutter(highlighted: bool) -> str:
    return f"{CURSOR} " if highlighted else " " * GUTTER

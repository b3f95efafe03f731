"""Helpers for the shell's TUI tests (home, browser, note view, hostile content)."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region
from textual.widget import Widget

from studyvpc.content.loader import load_library
from studyvpc.content.results import LoadResult
from support.shared import HOSTILE_STRINGS

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
"""The real, bundled deck (the seed note links to the other notes in it)."""
SHELL_FIXTURES = ROOT / "tests" / "fixtures" / "content" / "shell"
"""Two small deterministic notes that link to each other."""
HOSTILE = HOSTILE_STRINGS
"""The shared hostile strings (a list of {name, text}), for the hostile-content tests."""


def load(*paths: Path) -> LoadResult:
    return load_library([str(p) for p in paths])


def widget_text(widget: Widget) -> str:
    """What ``widget`` draws (its whole height, even the part scrolled out of view).

    A container's text is its children's, one after the other.
    """
    if widget.children:
        return "\n".join(widget_text(child) for child in widget.children if child.display)
    width, height = widget.outer_size
    strips = widget.render_lines(Region(0, 0, width, height))
    return "\n".join(strip.text.rstrip() for strip in strips)


def screen_name(app) -> str:
    return type(app.screen).__name__


def table_cells(text: str) -> list[list[str]]:
    """A drawn Rich table (rounded box) as rows of cells, each cell's wrapped lines re-joined.

    Rows are separated by the ``├…┤`` rules; a cell's text is its lines joined by one space,
    so a Korean item wrapped at a space reads as it was written.
    """
    rows: list[list[list[str]]] = []
    current: list[list[str]] | None = None
    for raw in text.splitlines():
        s = raw.strip()
        if not s:
            continue
        if s[0] in "╭├╰":
            if current:
                rows.append(current)
            current = None
            continue
        if s[0] == "│":
            cells = [c.strip() for c in s.strip("│").split("│")]
            if current is None:
                current = [[] for _ in cells]
            for i, c in enumerate(cells):
                if c:
                    current[i].append(c)
    if current:
        rows.append(current)
    return [[" ".join(cell) for cell in row] for row in rows]


def note_laid_out(screen) -> bool:
    """Whether the note view on ``screen`` has all its parts mounted and laid out (the parts
    below a long note's first screen are made after its first frame)."""
    from studyvpc.ui.tui.widgets.note_view import NoteView

    views = screen.query(NoteView)
    return bool(views) and views.first().complete and all(
        w.size.width for w in views.first().children)


async def note_opened(pilot, target: str) -> None:
    """Open the note ``target`` and wait until all of it is there (`note_laid_out`)."""
    from support.screen import once_drawn

    pilot.app.open_note(target)
    await once_drawn(pilot, lambda: note_laid_out(pilot.app.screen))

"""A screen as text: what a learner sees, colours and styles dropped.

`svg_lines` reads an SVG screenshot (an `App.export_screenshot()` or a snapshot file under
tests/tui/__snapshots__) back into the terminal's lines, so a test can ask what a screen says
without its colours: a state told by colour alone does not show here.
"""

from __future__ import annotations

import html
import re

from rich.cells import cell_len

_TEXT = re.compile(r'<text class="[^"]*" x="([\d.]+)" y="[\d.]+" textLength="[\d.]+" '
                   r'clip-path="url\(#[\w-]+-line-(\d+)\)">([^<]*)</text>')
CELL_PX = 12.2
"""The width of one terminal cell in Rich's SVG export."""


def svg_lines(svg: str) -> list[str]:
    """The lines of text an SVG screenshot shows, each right-stripped."""
    rows: dict[int, list[tuple[int, str]]] = {}
    for x, line, text in _TEXT.findall(svg):
        rows.setdefault(int(line), []).append((round(float(x) / CELL_PX),
                                               html.unescape(text).replace("\xa0", " ")))
    lines = []
    for n in range(max(rows, default=-1) + 1):
        out = ""
        for column, text in sorted(rows.get(n, [])):
            width = cell_len(out)
            if column > width:
                out += " " * (column - width)
            out += text
        lines.append(out.rstrip())
    return lines


def screen_lines(app) -> list[str]:
    """The lines of the app's screen as drawn now (a running app, under Pilot)."""
    return svg_lines(app.export_screenshot())


def screen_text(app) -> str:
    return "\n".join(screen_lines(app))


async def once_drawn(pilot, read, expected=None, *, tries: int = 20):
    """``read()`` once the app has drawn what it was asked to: its value when it equals
    ``expected`` (passes it, if a function; is truthy, if None), else its value after ``tries``
    pauses. One pause is not always enough on a busy machine: a focus change, a new screen or
    a footer rebuilt after new bindings can land a refresh or two later."""
    if expected is None:
        done = bool
    elif callable(expected):
        done = expected
    else:
        def done(value) -> bool:
            return value == expected
    value = None
    for _ in range(tries):
        await pilot.pause()
        value = read()
        if done(value):
            break
    return value

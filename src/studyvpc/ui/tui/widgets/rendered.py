"""A Static whose content is rendered once per width, however many layouts ask for it.

Textual asks a ``Static`` holding a Rich renderable for its width and height at every layout
in which its size changed, and forgets the answers whenever the widget is refreshed (which a
widget's first sizing does): each answer renders the renderable again, and painting it
renders it once more. For a table of dozens of rows that is tens of milliseconds a time, and
a screen that opens is laid out two or three times. `RenderedStatic` keeps the lines it
rendered for a width (and a look: a theme or focus change renders again) and answers the
height and the paint from them.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual
from textual.widgets import Static


class RenderedStatic(Static):
    """A `Static` that renders its content once per width and look (see the module)."""

    KEEP = 4
    """Widths remembered at a time (a terminal being resized renders each new width once)."""

    renders = 0
    """How many times any RenderedStatic rendered its content (tests count the work)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._rendered_for: Visual | None = None
        self._lines: dict[tuple[int, Style], list[Strip]] = {}
        self._widths: dict[int, int] = {}

    def _current(self) -> Visual:
        """The visual on show; what was kept for another one is dropped."""
        visual = self.visual
        if visual is not self._rendered_for:
            self._rendered_for = visual
            self._lines.clear()
            self._widths.clear()
        return visual

    def rendered_lines(self, width: int) -> list[Strip]:
        """The content's lines at ``width`` cells (rendered now if not kept)."""
        visual = self._current()
        style = self.visual_style
        key = (width, style)
        lines = self._lines.get(key)
        if lines is None:
            if len(self._lines) >= self.KEEP:
                self._lines.clear()
            lines = self._lines[key] = Visual.to_strips(self, visual, width, None, style)
            RenderedStatic.renders += 1
        return lines

    def get_content_width(self, container: Size, viewport: Size) -> int:
        self._current()
        width = self._widths.get(container.width)
        if width is None:
            if len(self._widths) >= self.KEEP:
                self._widths.clear()
            width = self._widths[container.width] = super().get_content_width(container,
                                                                              viewport)
        return width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.rendered_lines(width)) if width > 0 else 0

    def render_line(self, y: int) -> Strip:
        if self.text_selection is not None:  # drawn with the selection, as Static does
            return super().render_line(y)
        width = self.size.width
        lines = self.rendered_lines(width) if width > 0 else []
        return lines[y] if y < len(lines) else Strip.blank(width,
                                                           self.visual_style.rich_style)

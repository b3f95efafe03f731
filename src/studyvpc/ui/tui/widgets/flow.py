"""An architecture flow drawn as boxes joined by downward arrows, labels beside the arrows.

```
┌──────────────────────────────┐
│       외부 데이터 소스       │
└──────────────────────────────┘
               │
               ▼
┌──────────────────────────────┐
│ Lambda Function (VPC 내부)   │
└──────────────────────────────┘
               │  실시간 ML 처리
               ▼
```

Everything is measured in terminal cells (``rich.cells.cell_len``), so Korean (two cells a
character) lines up; boxes are as wide as the widest step but never wider than the space
given, and long step names or labels wrap inside it.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from studyvpc.content.model import Flow
from studyvpc.content.textutil import one_line

_MIN_LABEL = 12
"""Below this many cells beside the arrow, the arrow moves left to give its label room."""


def _wrap(console: Console, text: str, width: int) -> list[Text]:
    """``text`` wrapped to ``width`` cells (long words folded), one Text per line."""
    width = max(width, 1)
    if not text:
        return [Text("")]
    lines = Text(text).wrap(console, width, overflow="fold")
    out = []
    for ln in lines:
        ln.rstrip()
        if ln.cell_len > width:  # a wide character in a 1-cell space
            ln.truncate(width)
        out.append(ln)
    return out or [Text("")]


class FlowRenderable:
    """A Rich renderable drawing ``flow`` to whatever width it is given."""

    def __init__(self, flow: Flow, box_style: Style | str = "", name_style: Style | str = "",
                 arrow_style: Style | str = "", label_style: Style | str = "") -> None:
        self.flow = flow
        self.box_style = box_style
        self.name_style = name_style
        self.arrow_style = arrow_style
        self.label_style = label_style
        self.names = [one_line(s.name) for s in flow.steps]
        self.labels = [one_line(s.arrow) for s in flow.steps]

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((cell_len(n) for n in self.names), default=0) + 4
        label = max((cell_len(lb) for lb in self.labels), default=0)
        return Measurement(min(8, options.max_width),
                           min(max(widest, widest // 2 + 3 + label), options.max_width))

    def lines(self, console: Console, width: int) -> list[Text]:
        """The drawing as lines of at most ``width`` cells."""
        width = max(width, 5)
        inner = max(min(max((cell_len(n) for n in self.names), default=1), width - 4), 1)
        box_w = inner + 4
        arrow_col = box_w // 2
        if width - arrow_col - 3 < _MIN_LABEL and any(self.labels):
            arrow_col = min(arrow_col, max(width - 3 - _MIN_LABEL, 1))
        out: list[Text] = []
        for i, name in enumerate(self.names):
            if i > 0:
                out.extend(self._arrow(console, self.labels[i], arrow_col, width))
            out.extend(self._box(console, name, inner))
        return out

    def _box(self, console: Console, name: str, inner: int) -> list[Text]:
        top = Text("┌" + "─" * (inner + 2) + "┐", style=self.box_style)
        bottom = Text("└" + "─" * (inner + 2) + "┘", style=self.box_style)
        rows = [top]
        for ln in _wrap(console, name, inner):
            pad = inner - ln.cell_len
            left = pad // 2
            row = Text("│ ", style=self.box_style)
            row.append(" " * left)
            ln.stylize(self.name_style)
            row.append_text(ln)
            row.append(" " * (pad - left))
            row.append(" │", style=self.box_style)
            rows.append(row)
        rows.append(bottom)
        return rows

    def _arrow(self, console: Console, label: str, col: int, width: int) -> list[Text]:
        rows = []
        room = width - col - 3
        for ln in (_wrap(console, label, room) if label else [Text("")]):
            row = Text(" " * col)
            row.append("│", style=self.arrow_style)
            if ln.plain:
                row.append("  ")
                ln.stylize(self.label_style)
                row.append_text(ln)
            rows.append(row)
        rows.append(Text(" " * col + "▼", style=self.arrow_style))
        return rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for ln in self.lines(console, options.max_width):
            ln.no_wrap = True
            ln.overflow = "crop"
            ln.end = "\n"
            yield ln


class FlowDiagram(Widget):
    """Shows a `Flow` as a diagram; styles come from the theme via component classes."""

    COMPONENT_CLASSES = {"flow--box", "flow--name", "flow--arrow", "flow--label"}

    DEFAULT_CSS = """
    FlowDiagram {
        height: auto;
        width: 1fr;
    }
    FlowDiagram > .flow--box { color: $primary; }
    FlowDiagram > .flow--name { text-style: bold; }
    FlowDiagram > .flow--arrow { color: $accent; text-style: bold; }
    FlowDiagram > .flow--label { color: $text-accent; text-style: italic; }
    """

    def __init__(self, flow: Flow, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.flow = flow

    def render(self) -> FlowRenderable:
        style = self.get_component_rich_style
        return FlowRenderable(self.flow, box_style=style("flow--box"),
                              name_style=style("flow--name"), arrow_style=style("flow--arrow"),
                              label_style=style("flow--label"))

"""Trade-offs as a table: the options side by side as columns, a row of pros and a row of cons.

Every pro carries ``+`` and every con ``−`` (not told by colour alone), with a hanging indent
so a wrapped Korean line stays under its item. When the options would get too narrow to read
(many options in a narrow terminal), each option becomes its own small table, one under the
other.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.widget import Widget

from studyvpc.content.model import TradeOff
from studyvpc.ui.tui.widgets.content import line, plain

MIN_COLUMN = 22
"""Narrowest readable option column (cells) for the side-by-side layout."""


class TradeOffRenderable:
    def __init__(self, tradeoffs: Sequence[TradeOff], pro_style: Style | str = "",
                 con_style: Style | str = "", head_style: Style | str = "bold",
                 label_style: Style | str = "dim") -> None:
        self.tradeoffs = tuple(tradeoffs)
        self.pro_style = pro_style
        self.con_style = con_style
        self.head_style = head_style
        self.label_style = label_style

    def _items(self, items: Sequence[str], mark: str, style: Style | str) -> Table:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(width=1, no_wrap=True)
        grid.add_column(ratio=1, overflow="fold")
        for item in items:
            grid.add_row(Text(mark, style=style), plain(item))
        if not items:
            grid.add_row(Text(" "), Text("—", style="dim"))
        return grid

    def side_by_side(self, with_labels: bool) -> Table:
        table = Table(box=box.ROUNDED, show_lines=True, expand=True, pad_edge=True,
                      header_style=self.head_style)
        if with_labels:
            table.add_column("", no_wrap=True, style=self.label_style, width=4)
        for t in self.tradeoffs:
            table.add_column(line(t.option, self.head_style), ratio=1, overflow="fold")
        pros = [self._items(t.pros, "+", self.pro_style) for t in self.tradeoffs]
        cons = [self._items(t.cons, "−", self.con_style) for t in self.tradeoffs]
        if with_labels:
            table.add_row(Text("Pros"), *pros)
            table.add_row(Text("Cons"), *cons)
        else:
            table.add_row(*pros)
            table.add_row(*cons)
        return table

    def stacked(self) -> Group:
        tables = []
        for t in self.tradeoffs:
            table = Table(box=box.ROUNDED, show_lines=True, expand=True,
                          header_style=self.head_style)
            table.add_column(line(t.option, self.head_style), overflow="fold")
            table.add_row(self._items(t.pros, "+", self.pro_style))
            table.add_row(self._items(t.cons, "−", self.con_style))
            tables.append(table)
        return Group(*tables)

    def layout(self, width: int):
        n = len(self.tradeoffs)
        if n == 0:
            return Text("")
        # Borders and padding take 3 cells per column, plus 1; the label column costs 7.
        if (width - 1 - 3 * n - 7) // n >= MIN_COLUMN:
            return self.side_by_side(with_labels=True)
        if n == 1 or (width - 1 - 3 * n) // n >= MIN_COLUMN:
            return self.side_by_side(with_labels=False)
        return self.stacked()

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.layout(options.max_width)


class TradeOffTable(Widget):
    """Shows a note's trade-offs; colours come from the theme via component classes."""

    COMPONENT_CLASSES = {"tradeoffs--pro", "tradeoffs--con", "tradeoffs--head",
                         "tradeoffs--label"}

    DEFAULT_CSS = """
    TradeOffTable {
        height: auto;
        width: 1fr;
    }
    TradeOffTable > .tradeoffs--pro { color: $text-success; text-style: bold; }
    TradeOffTable > .tradeoffs--con { color: $text-error; text-style: bold; }
    TradeOffTable > .tradeoffs--head { text-style: bold; }
    TradeOffTable > .tradeoffs--label { color: $text-muted; }
    """

    def __init__(self, tradeoffs: Sequence[TradeOff], *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.tradeoffs = tuple(tradeoffs)

    def render(self) -> TradeOffRenderable:
        style = self.get_component_rich_style
        return TradeOffRenderable(self.tradeoffs, pro_style=style("tradeoffs--pro"),
                                  con_style=style("tradeoffs--con"),
                                  head_style=style("tradeoffs--head"),
                                  label_style=style("tradeoffs--label"))

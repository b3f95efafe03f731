"""``?``: a modal listing the keys of the screen it was opened from."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


@dataclass
class KeyRow:
    keys: list[str]
    description: str
    tooltip: str = ""


@dataclass
class KeyGroup:
    title: str
    rows: list[KeyRow]


def key_groups(screen: Screen) -> list[KeyGroup]:
    """The active bindings of ``screen``, grouped by where they come from.

    Bindings sharing a description (``1``…``9`` "Follow link", ``escape``/``q`` "Back") are
    merged into one row. Bindings of the focused widget are listed only when they are shown
    in the footer: an Input's dozens of cursor keys would drown the rest.
    """
    app = screen.app
    groups = {"screen": KeyGroup("This screen", []), "widget": KeyGroup("Focused widget", []),
              "app": KeyGroup("Everywhere", [])}
    seen: dict[tuple[str, str], KeyRow] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.description:
            continue
        node = active.node
        where = "screen" if node is screen else "app" if node is app else "widget"
        if where == "widget" and not binding.show:
            continue
        key = app.get_key_display(binding)
        row = seen.get((where, binding.description))
        if row is None:
            row = KeyRow([key], binding.description, binding.tooltip or "")
            seen[(where, binding.description)] = row
            groups[where].rows.append(row)
        elif key not in row.keys:
            row.keys.append(key)
    return [g for g in (groups["screen"], groups["widget"], groups["app"]) if g.rows]


class HelpScreen(ModalScreen[None]):
    """The keys, in a box over the screen they belong to."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("q", "close", "Close", show=False),
        Binding("question_mark", "close", "Close", show=False),
    ]

    def __init__(self, title: str, groups: list[KeyGroup]) -> None:
        super().__init__()
        self.help_title = title
        self.groups = groups

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, style="bold")
        table.add_column(ratio=1)
        for i, group in enumerate(self.groups):
            if i:
                table.add_row("", "")
            table.add_row(Text(group.title, style="bold underline"), "")
            for row in group.rows:
                desc = Text(row.description)
                if row.tooltip:
                    desc.append(f" — {row.tooltip}", style="dim")
                table.add_row(Text(" ".join(row.keys)), desc)
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "Esc closes"
            yield Static(Text(self.help_title, style="bold"), id="help-title")
            yield Static(table, id="help-keys")

    def action_close(self) -> None:
        self.dismiss()

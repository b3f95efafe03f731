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

_BASE_SCREEN_ACTIONS = frozenset(b.action for b in Screen.BINDINGS if isinstance(b, Binding))
"""What every Textual screen binds (Tab, Shift+Tab, copy): keys of the app as a whole, not of
the screen the learner asked about."""


@dataclass
class KeyRow:
    keys: list[str]
    description: str
    tooltip: str = ""


def _key_runs(keys: list[str]) -> str:
    """``["1", "2", "3", "a", "b", "c", "d", "4"]`` -> ``"a–d 1–4"``: single letters and digits
    in order (letters first), three or more in a row shown as a range; other keys as given."""
    if not keys or not all(len(k) == 1 and k.isalnum() for k in keys):
        return " ".join(keys)
    ordered = sorted(set(keys), key=lambda k: (k.isdigit(), k))
    out: list[str] = []
    run = [ordered[0]]
    for k in ordered[1:]:
        if ord(k) == ord(run[-1]) + 1 and k.isdigit() == run[-1].isdigit():
            run.append(k)
            continue
        out.append(f"{run[0]}–{run[-1]}" if len(run) >= 3 else " ".join(run))
        run = [k]
    out.append(f"{run[0]}–{run[-1]}" if len(run) >= 3 else " ".join(run))
    return " ".join(out)


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
        if where == "screen" and binding.action in _BASE_SCREEN_ACTIONS:
            where = "app"
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
                table.add_row(Text(_key_runs(row.keys)), desc)
        with VerticalScroll(id="help-box") as box:
            box.border_title = "Keys"
            box.border_subtitle = "Esc closes"
            yield Static(Text(self.help_title, style="bold"), id="help-title")
            yield Static(table, id="help-keys")

    def action_close(self) -> None:
        self.dismiss()

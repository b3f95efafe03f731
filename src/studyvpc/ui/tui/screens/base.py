"""What the app's full screens share: Escape and q go back one screen (`BackScreen`); Page
Up/Down and Home/End scroll a question and its feedback (`ScrollsView`)."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget


class BackScreen(Screen[None]):
    """A screen pushed on top of another; Escape or q returns to it."""

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Return to the previous screen"),
        Binding("q", "back", "Back", show=False),
    ]

    def action_back(self) -> None:
        self.dismiss()


class ScrollsView:
    """Page Up/Down (``page``) and Home/End (``edge``) scroll the screen's ``view``: the quiz
    and the mock exam bind them the same way."""

    view: Widget

    def action_page(self, delta: int) -> None:
        if delta < 0:
            self.view.scroll_page_up(animate=False)
        else:
            self.view.scroll_page_down(animate=False)

    def action_edge(self, direction: int) -> None:
        if direction < 0:
            self.view.scroll_home(animate=False)
        else:
            self.view.scroll_end(animate=False)

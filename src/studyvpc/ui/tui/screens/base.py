"""What every full screen of the app shares: Escape and q go back one screen."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen


class BackScreen(Screen[None]):
    """A screen pushed on top of another; Escape or q returns to it."""

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Return to the previous screen"),
        Binding("q", "back", "Back", show=False),
    ]

    def action_back(self) -> None:
        self.dismiss()

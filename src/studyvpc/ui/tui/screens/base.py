"""What the app's full screens share: Escape and q go back one screen (`BackScreen`); Page
Up/Down and Home/End scroll a question and its feedback (`ScrollsView`); a layout for the
terminal's width from the first frame (`Breakpoints`)."""

from __future__ import annotations

from textual import events
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


class Breakpoints:
    """Mixed in before `Screen` by a screen that has ``HORIZONTAL_BREAKPOINTS``: its class for
    the terminal's width (``-wide``, ``-narrow``) is set when it mounts, so that its first
    frame is laid out for that width. Textual sets it on the screen's first resize, which
    comes after the first frame: such a screen was laid out and drawn, then restyled, laid
    out and drawn again (the browser's preview pane appeared a frame or two after the
    browser, narrowing the list under the learner's eyes)."""

    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None

    def _on_mount(self, event: events.Mount) -> None:
        breakpoints = sorted(self.HORIZONTAL_BREAKPOINTS or (), reverse=True)
        width = self.app.size.width
        wanted = next((name for at, name in breakpoints if width >= at), None)
        self.update_classes({name: name == wanted for _, name in breakpoints})

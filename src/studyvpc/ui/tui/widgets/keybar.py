"""The key bar at the bottom of a screen: Textual's footer, rebuilt only when its keys change.

Textual's `Footer` throws its keys away and builds them again whenever the screen asks for
its bindings to be refreshed: on every focus change, on the screen being pushed or resumed,
and after each action. Each rebuild mounts a widget per key and restyles every one of them
(their ``compact`` is bound to the footer's), and lays out and draws the footer again: a
second frame after opening a note, for the same keys. `KeyBar` remembers what it shows and
leaves itself alone when the refreshed bindings would show the same.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


def shown_keys(screen: Screen) -> tuple:
    """What a footer on ``screen`` shows now: each shown key's binding, whether it is enabled
    (drawn dimmed when not) and its tooltip, in order."""
    palette = screen.app.COMMAND_PALETTE_BINDING
    return tuple((key, binding, enabled, tooltip)
                 for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
                 if binding.show or key == palette)


class KeyBar(Footer):
    """A `Footer` that rebuilds its keys only when they differ from the ones it shows."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._shown: tuple | None = None
        """The keys of the last rebuild (None before the first)."""
        self._ready = False
        """Whether the screen has said its bindings are ready (until then: no keys)."""
        self.rebuilds = 0
        """Times the keys were built (what a refresh of the bindings costs)."""

    def bindings_changed(self, screen: Screen) -> None:
        if self._shown is not None and screen is self.screen and self.is_attached \
                and shown_keys(screen) == self._shown:
            return
        self._ready = True
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        if self._ready:
            self._shown = shown_keys(self.screen)
            self.rebuilds += 1
        yield from super().compose()

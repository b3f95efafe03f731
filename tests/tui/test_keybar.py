"""The key bar is not rebuilt for the same keys (counted by the keys' identity, not timed)."""

from __future__ import annotations

from support.screen import once_drawn
from textual.app import App, ComposeResult
from textual.binding import Binding

from studyvpc.ui.tui.widgets.keybar import KeyBar


class Toggled(App):
    BINDINGS = [Binding("x", "x", "Ex"), Binding("y", "y", "Why")]

    def __init__(self) -> None:
        super().__init__()
        self.allowed = True

    def compose(self) -> ComposeResult:
        yield KeyBar()

    def check_action(self, action: str, parameters) -> bool | None:
        return True if action != "y" or self.allowed else None  # None: shown dimmed


async def test_the_key_bar_is_rebuilt_only_when_its_keys_change():
    app = Toggled()
    async with app.run_test(size=(80, 10)) as pilot:
        def keys():
            return {k.key: k for k in app.screen.query("FooterKey")}

        first = await once_drawn(pilot, keys, lambda k: {"x", "y"} <= set(k))
        for _ in range(3):  # a focus change, a screen resumed, an action done: same keys
            app.screen.refresh_bindings()
            await pilot.pause()
        assert all(keys()[k] is first[k] for k in first)
        app.allowed = False
        app.screen.refresh_bindings()
        now = await once_drawn(pilot, keys, lambda k: k and k["y"] is not first["y"])
        assert now["y"].has_class("-disabled") and not now["x"].has_class("-disabled")

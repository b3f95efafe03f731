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
        now = await once_drawn(pilot, keys, lambda k: k and k["y"].has_class("-disabled"))
        assert now["y"].has_class("-disabled") and not now["x"].has_class("-disabled")
        # Changed in place: the same widgets, dimmed or not, and no rebuild.
        assert all(now[k] is first[k] for k in first)
        assert app.query_one(KeyBar).rebuilds == 1


class Coming(App):
    """Keys that come and go between others, and one whose words change."""

    BINDINGS = [Binding("a", "a", "Answer"), Binding("n", "n", "Next"),
                Binding("r", "r", "Rate"), Binding("q", "q", "Stop")]

    def __init__(self) -> None:
        super().__init__()
        self.answered = False

    def compose(self) -> ComposeResult:
        yield KeyBar()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "a":
            return not self.answered
        if action in ("n", "r"):
            return self.answered
        return True


async def test_keys_that_come_and_go_are_shown_in_order_with_the_widgets_there_are():
    app = Coming()
    async with app.run_test(size=(80, 10)) as pilot:
        bar = app.query_one(KeyBar)

        def shown() -> list[str]:
            keys = [k for k in bar.query("FooterKey") if k.display and k.region.width
                    and not k.has_class("-command-palette")]
            return [k.key for k in sorted(keys, key=lambda k: k.region.x)]

        assert await once_drawn(pilot, shown, ["a", "q"]) == ["a", "q"]
        stop = next(k for k in bar.query("FooterKey") if k.key == "q")
        for answered, keys in [(True, ["n", "r", "q"]), (False, ["a", "q"]),
                               (True, ["n", "r", "q"])]:
            app.answered = answered
            app.screen.refresh_bindings()
            assert await once_drawn(pilot, shown, keys) == keys
            assert next(k for k in bar.query("FooterKey") if k.key == "q") is stop
        # Built once; the keys of Next and Rate mounted once, then shown and hidden.
        assert bar.rebuilds == 1 and bar.updates == 3
        assert len(bar.query("FooterKey")) == 5  # a, n, r, q and the palette's

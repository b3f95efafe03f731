"""The app started from a cache hit: home is drawn from the library's summary, and the notes
are decoded right after (tests/unit/test_cache.py checks the cache side)."""

from __future__ import annotations

import asyncio

from shell_support import SHELL_FIXTURES, widget_text
from textual.widgets import Tree

from studyvpc.content.cache import load_library_cached
from studyvpc.ui.tui.app import make_app
from studyvpc.ui.tui.screens.home import HomeScreen
from studyvpc.ui.tui.widgets.content import content_markdown_class


def home_view(app) -> tuple:
    screen = app.screen
    assert isinstance(screen, HomeScreen)
    tree = screen.query_one("#home-tags", Tree)

    def labels(node):
        return [(n.label.plain, labels(n)) for n in node.children]

    return widget_text(screen.query_one("#home-summary")), labels(tree.root)


def deferred_app(tmp_path):
    """The app over a library served from a cache written just before (a warm start)."""
    load_library_cached([SHELL_FIXTURES], tmp_path / "cache")
    deferred = load_library_cached([SHELL_FIXTURES], tmp_path / "cache", deferred=True)
    return make_app(deferred, seed=1)


def markdown_classes_made(monkeypatch) -> list:
    """One item for each time the work after the start makes the Markdown renderer."""
    import studyvpc.ui.tui.app as app_module

    made: list = []
    monkeypatch.setattr(app_module, "content_markdown_class",
                        lambda: made.append(1) or content_markdown_class(), raising=False)
    return made


async def test_home_from_a_deferred_library_is_the_same_and_the_notes_follow(tmp_path):
    eager = load_library_cached([SHELL_FIXTURES], tmp_path / "cache")
    deferred = load_library_cached([SHELL_FIXTURES], tmp_path / "cache", deferred=True)
    assert deferred.from_cache and not deferred.library.loaded
    views = []
    for result in (eager, deferred):
        app = make_app(result, seed=1)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            views.append(home_view(app))
            if result is deferred:
                for _ in range(100):  # decoded once home is up, without being asked
                    if app.library.loaded:
                        break
                    await asyncio.sleep(0.05)
                assert app.library.loaded
                assert app.library.notes == eager.library.notes
                await pilot.press("b")  # and the rest of the app works from them
                await pilot.pause()
                assert type(app.screen).__name__ == "BrowserScreen"
    assert views[0] == views[1]
    assert "2 notes · 2 questions" in views[1][0]


async def test_a_deferred_library_used_before_its_time_decodes_on_the_spot(tmp_path):
    app = deferred_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_note("shell-gateway")  # needs the notes now
        await pilot.pause()
        assert type(app.screen).__name__ == "NoteScreen"
        assert app.library.loaded


async def test_what_the_browser_needs_is_made_while_home_is_read(tmp_path, monkeypatch):
    """Left on home a moment, the app makes the browser's index and the Markdown renderer (and
    reads the notes); `b` then builds no index of its own."""
    from studyvpc.content import browse

    built: list[object] = []
    real_init = browse.BrowseIndex.__init__

    def counting_init(self, notes):
        built.append(self)
        real_init(self, notes)

    monkeypatch.setattr(browse.BrowseIndex, "__init__", counting_init)
    made = markdown_classes_made(monkeypatch)
    app = deferred_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(100):
            if built and made:
                break
            await asyncio.sleep(0.05)
        assert app.library.loaded and len(built) == 1 and made == [1]
        await pilot.press("b")
        await pilot.pause()
        assert type(app.screen).__name__ == "BrowserScreen"
        assert len(built) == 1  # the one made before the key


async def test_a_screen_opened_before_the_work_after_the_start_is_not_kept_waiting(
        tmp_path, monkeypatch):
    """`b` pressed as soon as home is drawn: the browser makes its own index, and the work
    after the start, when its time comes, does nothing while the browser is shown."""
    import studyvpc.ui.tui.app as app_module

    monkeypatch.setattr(app_module, "PREPARE_AFTER_S", 0.2)
    made = markdown_classes_made(monkeypatch)
    app = deferred_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.browse()
        for _ in range(10):
            await pilot.pause(0.05)
        assert type(app.screen).__name__ == "BrowserScreen"
        assert made == []  # the browser's preview asks for Markdown itself, not through it


async def test_the_work_after_the_start_is_dropped_when_it_comes_as_the_app_closes(tmp_path):
    """Its timer can fire while the app closes, its screens already gone."""
    deferred = load_library_cached([SHELL_FIXTURES], tmp_path / "cache", deferred=True)
    app = make_app(deferred, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert not app.screen_stack
    app._prepare()  # no screen to ask: nothing done, nothing raised
    assert not app.library.loaded

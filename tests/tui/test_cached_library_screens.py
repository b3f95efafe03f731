"""Every screen over a library served from the parsed-content cache, as the app runs it.

Such a library keeps note heads (id, title, aliases, tags, question count) and decodes a
note's body only when asked; most tests load the content files directly, where heads are
whole notes, so a screen reaching for a body field on a head only fails here."""

from __future__ import annotations

from pathlib import Path

from support.screen import once_drawn, screen_text
from textual.widgets import Input

from studyvpc.content.cache import load_library_cached
from studyvpc.ui.tui.app import make_app

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "content"


def cached(tmp_path: Path):
    cache = tmp_path / "cache"
    load_library_cached([BUNDLED], cache, deferred=True)  # writes the cache
    result = load_library_cached([BUNDLED], cache, deferred=True)
    assert result.from_cache and result.ok
    result.library.load()
    return result


async def test_every_screen_opens_over_a_library_served_from_the_cache(tmp_path):
    app = make_app(cached(tmp_path), seed=1, data_dir=tmp_path / "data")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for key, screen, text in (("p", "QuizSetupScreen", "All questions"),
                                  ("e", "ExamSetupScreen", "Start exam"),
                                  ("s", "StatsScreen", "")):
            await pilot.press(key)
            name = await once_drawn(pilot, lambda: type(app.screen).__name__, screen)
            assert name == screen
            assert text in screen_text(app), (screen, screen_text(app))
            await pilot.press("escape")
            await once_drawn(pilot, lambda: type(app.screen).__name__, "HomeScreen")
        await pilot.press("b", "slash")
        app.screen.query_one("#filter", Input).value = "PrivateLink"
        await pilot.pause()
        await pilot.press("enter")
        assert await once_drawn(pilot, lambda: type(app.screen).__name__, "NoteScreen") \
            == "NoteScreen"
        assert "PrivateLink" in screen_text(app)
        # A practice session over every question, answered: bodies decoded as they are shown.
        await pilot.press("escape", "escape", "escape")
        await once_drawn(pilot, lambda: type(app.screen).__name__, "HomeScreen")
        await pilot.press("p", "enter")
        assert await once_drawn(pilot, lambda: type(app.screen).__name__, "QuizScreen") \
            == "QuizScreen"
        await pilot.press("a")
        assert await once_drawn(pilot, lambda: "✔" in screen_text(app) or "✘" in screen_text(app))

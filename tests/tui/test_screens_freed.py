"""Screens the learner opens and leaves are freed: after many rounds of the browser, the
statistics, a note and a quiz, the process holds no more widgets than after the first round
(objects counted, not timed). Textual 8 kept each screen's header and the rendered lines of the
last 1,024 widgets (`studyvpc.ui.tui.textual_fixes`): a session grew by ~5,000 objects a
screen opened, and every full garbage collection scanned them."""

from __future__ import annotations

import gc

from textual._styles_cache import StylesCache
from textual.widget import Widget
from textual.widgets import Header

from progress_support import build, seed_history, utc_local_time  # noqa: F401  (autouse)


def alive() -> dict[str, int]:
    gc.collect()
    objects = gc.get_objects()
    return {"widgets": sum(isinstance(o, Widget) for o in objects),
            "headers": sum(isinstance(o, Header) for o in objects),
            "styles caches": sum(isinstance(o, StylesCache) for o in objects)}


async def test_screens_left_are_not_kept(tmp_path):
    data = tmp_path / "data"
    seed_history(data)
    app = build(data)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()

        async def round_trip() -> None:
            for keys in (["b"], ["s"], ["b", "enter"], ["p", "enter"]):
                for key in keys:
                    await pilot.press(key)
                    await pilot.pause()
                while len(app.screen_stack) > 1:
                    await pilot.press("escape")
                    await pilot.pause()

        await round_trip()  # the first time: caches of Textual's, modules, what lasts
        first = alive()
        await round_trip()
        await round_trip()
        assert alive() == first

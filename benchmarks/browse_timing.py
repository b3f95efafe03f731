"""Time the note browser inside the app (App.run_test): opening it, each key typed into its
filter, Enter on the marked match, Esc clearing the filter. For benchmarks/run.py and by hand:

    python benchmarks/browse_timing.py CONTENT_DIR CACHE_DIR ["query"] [reps]

Each time runs from the key (posted as the terminal driver posts it) to the first screen
refresh after the screen shows its result. ``rows`` counts the tree rows the browser built:
the work behind the times, steadier than the times on a busy machine.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path


def time_browser(result, query: str = "lambda vpc", reps: int = 3,
                 size: tuple[int, int] = (120, 40)) -> dict[str, list[float]]:
    """Milliseconds for ``open``, ``key`` (each key of ``query``, every rep), ``note``
    (Enter in the filter until the note is drawn) and ``clear`` (Esc); ``rows``: rows built
    by the open and by each key."""
    from textual import events

    from studyvpc.ui.tui.app import make_app
    from studyvpc.ui.tui.widgets.note_tree import NoteTree

    app = make_app(result, seed=1, data_dir=tempfile.mkdtemp())
    out: dict[str, list[float]] = {"open": [], "key": [], "note": [], "clear": [],
                                   "open_rows": [], "key_rows": []}

    async def drawn() -> None:
        done = asyncio.Event()
        app.screen.call_after_refresh(done.set)
        await done.wait()

    async def until(condition) -> None:
        start = time.perf_counter()
        while not condition():
            await asyncio.sleep(0.0005)
            if time.perf_counter() - start > 60:
                raise TimeoutError("the screen did not change")

    def screen_is(name: str) -> bool:
        return type(app.screen).__name__ == name

    def counted() -> str:
        return str(app.screen.query_one("#browser-count").content)

    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            if screen_is("ErrorsScreen"):  # warnings about the content: not timed
                await pilot.press("escape")
                await pilot.pause()
            home = app.screen
            for _ in range(reps):
                await pilot.pause()
                t0 = time.perf_counter()
                app.browse()
                await until(lambda: screen_is("BrowserScreen")
                            and app.screen.query(NoteTree)
                            and app.screen.query_one(NoteTree).cursor_node is not None)
                await drawn()
                out["open"].append(time.perf_counter() - t0)
                tree = app.screen.query_one(NoteTree)
                out["open_rows"].append(tree.rows_added)
                await pilot.press("slash")
                typed = ""
                for ch in query:
                    await pilot.pause()
                    typed += ch
                    shown = f"match {typed.strip()}"
                    rows = tree.rows_added
                    t0 = time.perf_counter()
                    app.post_message(events.Key("space" if ch == " " else ch, ch))
                    if typed.strip() == typed:  # a trailing space changes nothing shown
                        await until(lambda: shown in counted())
                    await drawn()
                    out["key"].append(time.perf_counter() - t0)
                    out["key_rows"].append(tree.rows_added - rows)
                await pilot.pause()
                t0 = time.perf_counter()
                app.post_message(events.Key("enter", "\r"))
                await until(lambda: screen_is("NoteScreen"))
                await drawn()
                out["note"].append(time.perf_counter() - t0)
                await pilot.press("escape")
                await pilot.pause()
                t0 = time.perf_counter()
                app.post_message(events.Key("escape", None))
                await until(lambda: "match" not in counted())
                await drawn()
                out["clear"].append(time.perf_counter() - t0)
                await pilot.press("escape")
                await pilot.pause()
                assert app.screen is home, app.screen

    asyncio.run(main())
    return {k: [v * 1000 if not k.endswith("rows") else v for v in vs] for k, vs in out.items()}


def main(argv: list[str]) -> int:
    from studyvpc.content.cache import load_library_cached

    content, cache = argv[0], Path(argv[1])
    query = argv[2] if len(argv) > 2 else "lambda vpc"
    reps = int(argv[3]) if len(argv) > 3 else 3
    load_library_cached([content], cache)  # written once, then served as the app serves it
    result = load_library_cached([content], cache, deferred=True)
    times = time_browser(result, query, reps)
    print(json.dumps({k: round(statistics.median(v), 1) for k, v in times.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

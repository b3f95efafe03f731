"""The benchmark's pieces that run in a process of their own (``python workers.py NAME ARGS``;
the last line printed is JSON), and which progress histories may be reused.

- ``libyaml FOLDER``: the baseline of ``validate``: every content file under FOLDER read and
  parsed with libyaml's C safe loader (``yaml.load(data, Loader=yaml.CSafeLoader)``), the
  parser the app uses, and nothing else. Timed from outside as a whole process.
- ``sql DB RUNS``: the baseline of the stats screen: the aggregate queries over all attempts
  that statistics are made of (per question, per day, skipped answers per day), run by
  ``sqlite3`` directly on the progress database; milliseconds per run, in-process.
- ``latency CONTENT CACHE``: answer → feedback and next → question inside the app
  (``App.run_test``): key event posted as the terminal driver does → a callback queued with
  ``call_after_refresh`` right after the screen updated has run (the frame was rendered).
- ``rss ARGV...``: run ARGV (``-m module ...`` or a script) in this process and print its peak
  RSS (``VmHWM``; the commands measured start no process of their own).
"""

from __future__ import annotations

import json
import os
import resource
import runpy
import sqlite3
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from procstat import status_kib  # noqa: E402

STATS_SQL = (
    "SELECT question_id, COUNT(*), SUM(correct), SUM(time_ms) FROM attempts GROUP BY question_id",
    "SELECT day, COUNT(*) FROM attempts GROUP BY day",
    "SELECT question_id, day, COUNT(*), SUM(time_ms) FROM attempts WHERE skipped = 1"
    " GROUP BY question_id, day",
)


def libyaml(folder: str) -> dict:
    import yaml

    n = 0
    for f in sorted(Path(folder).rglob("*.yaml")):
        yaml.load(f.read_bytes(), Loader=yaml.CSafeLoader)  # noqa: S506 - the C *safe* loader
        n += 1
    return {"files": n}


def sql(db: str, runs: str) -> dict:
    out = []
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    for _ in range(int(runs) + 1):
        t0 = time.perf_counter()
        for query in STATS_SQL:
            conn.execute(query).fetchall()
        out.append((time.perf_counter() - t0) * 1000)
    conn.close()
    return {"ms": out[1:]}  # the first run reads the file into the page cache


def latency(content: str, cache: str, limit: str = "30") -> dict:
    import asyncio

    from textual import events

    from studyvpc.content.cache import load_library_cached
    from studyvpc.study.quiz import Scope
    from studyvpc.ui.tui.app import make_app
    from studyvpc.ui.tui.screens.quiz import QuizScreen

    result = load_library_cached([content], Path(cache))
    app = make_app(result, seed=1)
    out: dict[str, list[float]] = {"answer": [], "next": []}

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = QuizScreen(result.library, Scope(), seed=1, limit=int(limit))
            await app.push_screen(screen)
            await pilot.pause()
            loop = asyncio.get_running_loop()

            async def timed(key: str, char: str | None, changed) -> float:
                await pilot.pause()
                t0 = time.perf_counter()
                app.post_message(events.Key(key, char))  # as the terminal driver does
                while not changed():
                    await asyncio.sleep(0.0005)
                done = loop.create_future()
                screen.call_after_refresh(lambda: done.set_result(time.perf_counter()))
                return (await asyncio.wait_for(done, 10) - t0) * 1000

            while True:
                shown = screen.session.current
                letters = sorted(shown.correct_letters)
                if shown.question.is_multi:
                    for letter in letters[:-1]:  # toggled untimed; the last key is timed
                        app.post_message(events.Key(letter.lower(), letter.lower()))
                        await pilot.pause()
                    key = letters[-1].lower()
                    app.post_message(events.Key(key, key))
                    await pilot.pause()
                    out["answer"].append(await timed("enter", "\r",
                                                     lambda: screen.view.result is not None))
                else:
                    key = letters[0].lower()
                    out["answer"].append(await timed(key, key,
                                                     lambda: screen.view.result is not None))
                if shown.number >= shown.total:
                    break
                out["next"].append(await timed(
                    "n", "n", lambda: screen.session.current is not shown))
            await pilot.pause()

    asyncio.run(main())
    return out


def rss(*argv: str) -> dict:
    sys.argv = list(argv)
    code = 0
    try:
        if argv[0] == "-m":
            sys.argv = list(argv[1:])
            runpy.run_module(argv[1], run_name="__main__", alter_sys=True)
        else:
            runpy.run_path(argv[0], run_name="__main__")
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over an exec, so a process spawned by a
    # big parent would report the parent's size as its own peak.
    peak = status_kib("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    sys.stdout.flush()
    return {"peak_kib": peak, "code": code}


# --------------------------------------------------------------------------- histories

def history_maker() -> str:
    """Which history generator and schema a cached history was made by: a hash of
    benchmarks/history.py and the store's schema version (reused only if both are the same)."""
    import hashlib

    from studyvpc.progress.store.schema import MIGRATIONS

    source = (HERE / "history.py").read_bytes()
    return f"{hashlib.sha256(source).hexdigest()[:8]}-v{len(MIGRATIONS)}"


WORKERS = {"libyaml": libyaml, "sql": sql, "latency": latency, "rss": rss}

if __name__ == "__main__":
    result = WORKERS[sys.argv[1]](*sys.argv[2:])
    print("\nWORKER " + json.dumps(result), flush=True)
    os._exit(0)

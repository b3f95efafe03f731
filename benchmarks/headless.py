"""Run a Textual program headless and time, from outside its code, its start and one key.

    BENCH_T0=<time.time() before the spawn> python benchmarks/headless.py KEY [--ready] \
        [--decode [--hold]] -m studyvpc --content DIR   # or: ... KEY benchmarks/minimal_app.py

The program runs unchanged (``python -m studyvpc`` exactly as a learner starts it, or any
script); only Textual's public ``App.run`` is wrapped, so that it runs headless at 120×40 with
an autopilot that:

1. waits for the first frame (a callback queued with ``call_after_refresh`` on the first
   screen runs only after that screen was composed, laid out and painted);
2. with ``--ready``, first leaves the app alone until it has done what it does by itself
   after its first frame (its library's notes read, if it has a library that defers them;
   at most ``READY_S`` seconds) and has processed what is pending, then ``REST_S`` more, so
   the key finds an app at rest (``ready_s``: how long that took; ``notes_read``: whether
   the notes were read by then);
3. posts KEY to the app, as the terminal driver does (``-`` for none), and waits until the
   screen on top is another one and that screen's first frame was painted: the key was
   handled and its result drawn;
4. with ``--decode``, decodes every note of ``app.library`` if the app has one (a library
   served from the parsed-content cache decodes a note only when it is asked for), as a
   learner reading every note would, keeping only what the app keeps, collects garbage and
   measures (``rss_kib``); with ``--hold`` too, then decodes them all again and holds every
   one while measuring (``held_rss_kib``), which no screen of the app does;
5. writes one line ``BENCH {json}`` to stderr and exits the app.

The JSON holds ``frame`` and ``key`` (seconds since BENCH_T0, i.e. since the process was
spawned), ``key_ms`` (key posted → its screen drawn, in the app's own clock), and ``rss_kib``
/ ``hwm_kib``: the process's resident set (whole process: interpreter, every imported module,
the app and its screens, the library) and its peak, from /proc/self/status, taken after step
4. Linux only for the memory figures (0 elsewhere).
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import runpy
import sys
import time

from procstat import status_kib

READY_S = 30.0
"""The longest ``--ready`` waits for the app to read its notes."""
REST_S = 0.1
"""How long ``--ready`` then leaves the app alone (a few frames: whatever reading the notes
queued is drawn)."""


def main() -> None:
    from textual import events
    from textual.app import App

    key, rest = sys.argv[1], sys.argv[2:]
    ready = rest[:1] == ["--ready"]
    rest = rest[1:] if ready else rest
    decode = rest[:1] == ["--decode"]
    rest = rest[1:] if decode else rest
    hold = decode and rest[:1] == ["--hold"]
    rest = rest[1:] if hold else rest
    t0 = float(os.environ.get("BENCH_T0") or time.time())
    report: dict = {}

    async def autopilot(pilot) -> None:
        app = pilot.app
        loop = asyncio.get_running_loop()

        async def painted(screen) -> float:
            done = loop.create_future()
            screen.call_after_refresh(lambda: done.done() or done.set_result(time.time()))
            return await done

        first = app.screen
        report["frame"] = await painted(first) - t0
        report["screen"] = type(first).__name__
        if ready:
            began = time.time()
            library = getattr(app, "library", None)
            while (library is not None and not library.loaded
                   and time.time() - began < READY_S):
                await asyncio.sleep(0.01)
            await pilot.pause()
            await asyncio.sleep(REST_S)
            await pilot.pause()
            report.update(ready_s=time.time() - began,
                          notes_read=library is None or library.loaded)
        if key != "-":
            char = key if len(key) == 1 else None
            posted = time.time()
            app.post_message(events.Key(key, char))
            while app.screen is first:
                await asyncio.sleep(0.0005)
            at = await painted(app.screen)
            report.update(key=at - t0, key_ms=(at - posted) * 1000,
                          key_screen=type(app.screen).__name__)
        library = getattr(app, "library", None) if decode else None
        if library is not None:
            report["notes"] = sum(1 for _ in library.notes)  # each decoded, none kept here
        gc.collect()
        report.update(rss_kib=status_kib("VmRSS"), hwm_kib=status_kib("VmHWM"))
        if library is not None and hold:
            held = list(library.notes)  # every note decoded, and kept
            gc.collect()
            report["held_rss_kib"] = status_kib("VmRSS")
            del held
        app.exit(0)

    run = App.run

    def run_headless(self, *args, **kwargs):
        kwargs.update(headless=True, size=(120, 40), auto_pilot=autopilot)
        return run(self, *args, **kwargs)

    App.run = run_headless
    sys.argv = rest
    try:
        if rest[0] == "-m":
            sys.argv = rest[1:]
            runpy.run_module(rest[1], run_name="__main__", alter_sys=True)
        else:
            runpy.run_path(rest[0], run_name="__main__")
    except SystemExit:
        pass
    print("BENCH " + json.dumps(report), file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()

"""Start the full-screen app."""

from __future__ import annotations

import argparse
import os
import sys
from functools import partial

ENV_FIRST_FRAME = "STUDYVPC_EXIT_AFTER_FIRST_FRAME"
"""Benchmarks only: run headless and exit as soon as the first screen has been drawn."""


def run_app(args: argparse.Namespace, start: str = "home") -> int:
    import gc

    from studyvpc import locations
    from studyvpc.ui.cli.common import load_content
    from studyvpc.ui.context import StartRequest
    from studyvpc.ui.tui.app import make_app

    result = load_content(args)
    # Everything so far (the app's modules, the library's summary) lives as long as the
    # process: out of the collector's reach, no collection while the app runs rescans it.
    gc.freeze()

    said: list[str] = []  # a slow opening of the progress database, said on the terminal
    app = make_app(result, seed=args.seed, request=StartRequest.from_args(args, start),
                   data_dir=locations.data_dir(args.data_dir),
                   notice=partial(_say, said) if sys.stderr.isatty() else None)
    if said:  # erased before the app takes the screen
        sys.stderr.write("\r" + " " * max(map(len, said)) + "\r")
        sys.stderr.flush()
    if os.environ.get(ENV_FIRST_FRAME):
        shown: list[str] = []
        app.run(headless=True, auto_pilot=partial(_exit_after_first_frame, shown=shown))
        # Which screen the frame showed, printed plainly: an exit message would go through
        # Rich's console, which a real start never pays for.
        print("".join(shown), file=sys.stderr)
    else:
        app.run()
    return int(app.return_code or 0)


def _say(said: list[str], text: str) -> None:
    sys.stderr.write("\r" + text.ljust(max(map(len, said), default=0)))
    sys.stderr.flush()
    said.append(text)


async def _exit_after_first_frame(pilot, shown: list[str]) -> None:
    """Exit once the screen on top has been composed, laid out and painted.

    The autopilot starts when the app is ready (its default screen mounted); a callback
    queued with ``call_after_refresh`` on that screen runs only after the screen's next
    compositor refresh, i.e. after the first frame was rendered.
    """
    app = pilot.app
    screen = app.screen

    def done() -> None:
        shown.append(type(screen).__name__)
        app.exit(0)

    screen.call_after_refresh(done)

"""Start the full-screen app."""

from __future__ import annotations

import argparse
import os
import sys

ENV_FIRST_FRAME = "STUDYVPC_EXIT_AFTER_FIRST_FRAME"
"""Benchmarks only: run headless and exit as soon as the first screen has been drawn."""


def run_app(args: argparse.Namespace, start: str = "home") -> int:
    from importlib import import_module

    from studyvpc.ui.cli.common import load_content

    # The app's imports (Textual: most of a start) run while the content is parsed in a
    # second process when the parsed-content cache is cold.
    result = load_content(args, meanwhile=lambda: import_module("studyvpc.ui.tui.app"))
    from studyvpc.ui.tui.app import make_app

    app = make_app(result, seed=getattr(args, "seed", None), start=start, args=args)
    if os.environ.get(ENV_FIRST_FRAME):
        app.run(headless=True, auto_pilot=_exit_after_first_frame)
        # Which screen the frame showed, printed plainly: an exit message would go through
        # Rich's console (markup, emoji table: ~4 ms that a real start never pays).
        print(getattr(app, "first_frame_screen", ""), file=sys.stderr)
    else:
        app.run()
    return int(app.return_code or 0)


async def _exit_after_first_frame(pilot) -> None:
    """Exit once the screen on top has been composed, laid out and painted.

    The autopilot starts when the app is ready (its default screen mounted); a callback
    queued with ``call_after_refresh`` on that screen runs only after the screen's next
    compositor refresh, i.e. after the first frame was rendered.
    """
    app = pilot.app
    screen = app.screen

    def done() -> None:
        app.first_frame_screen = type(screen).__name__
        app.exit(0)

    screen.call_after_refresh(done)

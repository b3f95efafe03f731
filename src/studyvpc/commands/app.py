"""Start the full-screen app."""

from __future__ import annotations

import argparse


def run_app(args: argparse.Namespace, start: str = "home") -> int:
    from studyvpc.commands.common import load_content
    from studyvpc.tui.app import make_app

    result = load_content(args)
    app = make_app(result, seed=getattr(args, "seed", None), start=start, args=args)
    app.run()
    return int(app.return_code or 0)

"""Command-line entry point: argument parsing only.

Every command lives in ``studyvpc.commands.<name>`` with a ``register(subparsers)`` function
and calls into the domain, storage and TUI layers. Heavy imports (textual, yaml, fsrs) happen
inside the handlers, so ``studyvpc --help`` and the TUI's start stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from studyvpc import __version__

# Each module registers its subcommands; order is the order shown in --help.
COMMAND_MODULES = (
    "studyvpc.ui.cli.validate",
    "studyvpc.ui.cli.quiz",
    "studyvpc.ui.cli.exam",
    "studyvpc.ui.cli.review",
    "studyvpc.ui.cli.stats",
    "studyvpc.ui.cli.progress",
    "studyvpc.ui.cli.export",
    "studyvpc.ui.cli.import_notes",
    "studyvpc.ui.cli.paths",
    "studyvpc.ui.cli.shell",
)


def positive_int(text: str) -> int:
    """An argparse type: a whole number of at least 1 (``--limit 0`` is refused, not "all")."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value} (leave it out for "
                                         "every question)")
    return value


def add_common(parser: argparse.ArgumentParser) -> None:
    """Options every command accepts (also after the subcommand name)."""
    parser.add_argument("--content", metavar="DIR", action="append", default=argparse.SUPPRESS,
                        help="content folder or file (repeatable); replaces the bundled deck "
                             "and $STUDYVPC_CONTENT")
    parser.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help="where progress is kept (default: the user data directory, "
                             "or $STUDYVPC_DATA_DIR)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="studyvpc",
        description="Study notes, practice quizzes and mock exams for cloud certifications. "
                    "Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"studyvpc {__version__}")
    add_common(parser)
    parser.add_argument("--seed", type=int, default=argparse.SUPPRESS,
                        help="random seed for question order (reproducible sessions)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    for name, default in (("content", None), ("data_dir", None), ("seed", None)):
        if not hasattr(args, name):
            setattr(args, name, default)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            from studyvpc.ui.cli.app import run_app

            return run_app(args)
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `studyvpc validate | head`
        return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())

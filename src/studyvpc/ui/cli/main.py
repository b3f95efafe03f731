"""Command-line entry point: argument parsing only.

Every command lives in ``studyvpc.ui.cli.<module>`` with a ``register(subparsers)`` function
and calls into the domain, storage and TUI layers. Heavy imports (textual, yaml, fsrs) happen
inside the handlers, so ``studyvpc --help`` and the TUI's start stay fast. A run registers
only the command it names (`commands_named`): the bare app's start imports no command's module
and builds no subcommand's parser; ``--help``, an unknown word or anything unusual gets them all.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from studyvpc import __version__

# Each module registers its subcommands (the names listed with it); order is the order
# shown in --help.
COMMANDS = (
    ("studyvpc.ui.cli.validate", ("validate",)),
    ("studyvpc.ui.cli.quiz", ("quiz",)),
    ("studyvpc.ui.cli.exam", ("exam",)),
    ("studyvpc.ui.cli.review", ("review",)),
    ("studyvpc.ui.cli.stats", ("stats",)),
    ("studyvpc.ui.cli.progress", ("progress",)),
    ("studyvpc.ui.cli.export", ("export",)),
    ("studyvpc.ui.cli.import_notes", ("import",)),
    ("studyvpc.ui.cli.paths", ("paths", "config")),
    ("studyvpc.ui.cli.shell", ("completion", "man")),
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


def build_parser(commands: frozenset[str] | None = None) -> argparse.ArgumentParser:
    """The parser of ``commands`` (names), or of every command when None."""
    parser = argparse.ArgumentParser(
        prog="studyvpc",
        description="Study notes, practice quizzes and mock exams for cloud certifications. "
                    "Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"studyvpc {__version__}")
    add_top_level(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module, names in COMMANDS:
        if commands is None or not commands.isdisjoint(names):
            importlib.import_module(module).register(sub)
    return parser


def add_top_level(parser: argparse.ArgumentParser) -> None:
    """The options before the command's name."""
    add_common(parser)
    parser.add_argument("--seed", type=int, default=argparse.SUPPRESS,
                        help="random seed for question order (reproducible sessions)")


class _Unusual(Exception):
    """The command line is not a plain one: leave it to the whole parser."""


class _FirstWord(argparse.ArgumentParser):
    def error(self, message: str):  # type: ignore[override]
        raise _Unusual(message)

    def exit(self, status: int = 0, message: str | None = None):  # type: ignore[override]
        raise _Unusual(message)


def commands_named(argv: Sequence[str]) -> frozenset[str] | None:
    """The command ``argv`` runs, as the set of parsers it needs: ``{"quiz"}``, none for the
    bare app, or None (every command) for ``--help``, ``--version``, an unknown command or
    anything the top-level options do not take, so that help and errors list every command.

    The top-level options are read by argparse itself (abbreviations, ``--opt=value``), so
    the word found is the one the whole parser would take as the command."""
    if "--" in argv:  # argparse reads "--" before the command in ways of its own
        return None
    first = _FirstWord(add_help=False)
    add_top_level(first)
    first.add_argument("command", nargs="?")
    first.add_argument("rest", nargs=argparse.REMAINDER)
    try:
        found, unknown = first.parse_known_args(list(argv))
    except _Unusual:
        return None
    if unknown:
        return None
    if found.command is None:
        return frozenset()
    return frozenset({found.command}) if any(found.command in names for _, names in COMMANDS) \
        else None


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(commands_named(argv))
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

"""Helpers shared by command handlers: loading the configured content, printing errors,
opening the progress store."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from studyvpc.content.results import LoadResult

if TYPE_CHECKING:  # pragma: no cover
    from studyvpc.progress.store import ProgressStore

_warned_slow_yaml = False


def load_content(args: argparse.Namespace) -> LoadResult:
    """The configured content, from the parsed-content cache when nothing changed.

    The app, the plain quiz and ``stats`` start through here; ``studyvpc validate`` does not:
    it always reads and checks every file. On a cache hit the notes are pending: the summary
    the home screen shows is read now, the notes when first needed (the app: once its first
    frame is drawn).
    """
    from studyvpc import locations
    from studyvpc.content.cache import load_library_cached

    line = None
    if sys.stderr.isatty():  # a cold start would otherwise leave the terminal blank
        from studyvpc.ui.cli.reading import ReadingLine

        line = ReadingLine(sys.stderr)
    try:
        result = load_library_cached(locations.content_dirs(getattr(args, "content", None)),
                                     locations.cache_dir(), deferred=True, progress=line)
    finally:
        if line is not None:
            line.close()
    if not result.from_cache:
        warn_if_slow_yaml()
    return result


def warn_if_slow_yaml(file=None) -> None:
    """Say once (stderr) that YAML is parsed by the pure-Python parser, 10-20x slower.

    Call when YAML was parsed.
    """
    global _warned_slow_yaml
    from studyvpc.content.results import parser_flavour  # without importing yaml

    if _warned_slow_yaml or parser_flavour() != "pure":
        return
    _warned_slow_yaml = True
    print("studyvpc: warning: PyYAML has no libyaml here, so content is parsed by the "
          "pure-Python parser (10-20x slower on large libraries; the app's cache hides it "
          "after the first start). Install libyaml (e.g. libyaml-dev) and reinstall PyYAML: "
          "pip install --force-reinstall --no-cache-dir pyyaml", file=file or sys.stderr)


def report_errors(result: LoadResult, file=None) -> None:
    out = file or sys.stderr
    for err in result.errors:
        print(err, file=out)
    n = len(result.errors)
    print(f"{n} problem{'s' * (n != 1)} in the content; fix them or check with "
          "`studyvpc validate`", file=out)


SHOWN_WARNINGS = 5
"""Warnings printed one by one before a session in plain mode; the rest are counted."""


def report_warnings(result: LoadResult, file=None) -> None:
    """Content that loaded with warnings only: show the first few (stderr) and go on."""
    warnings = [e for e in result.errors if e.severity != "error"]
    if not warnings:
        return
    out = file or sys.stderr
    for w in warnings[:SHOWN_WARNINGS]:
        print(w, file=out)
    n, more = len(warnings), len(warnings) - SHOWN_WARNINGS
    print(f"{n} warning{'s' * (n != 1)} in the content"
          + (f" ({more} more not shown)" if more > 0 else "")
          + "; the notes are usable. `studyvpc validate` lists them all", file=out)


def usable_content(args: argparse.Namespace) -> LoadResult | None:
    """The content for a command that goes on with warnings: errors are reported (stderr)
    and give None; warnings are shown briefly and the result is returned."""
    result = load_content(args)
    if not result.ok:
        report_errors(result)
        return None
    report_warnings(result)
    return result


def open_store(args: argparse.Namespace, *, read_only: bool = False) -> ProgressStore | None:
    """The progress store of ``--data-dir``; None (and why, on stderr) if it cannot be used.

    ``read_only`` commands (stats, export) still work on a full or read-only disk: the
    database is then opened for reading only, and stderr says so.
    """
    from studyvpc import locations
    from studyvpc.progress.store import ProgressError, ProgressStore, StoreUnavailable

    data_dir = locations.data_dir(args.data_dir)
    try:
        return ProgressStore.open(data_dir, notice=_say)
    except StoreUnavailable as e:
        if read_only:
            try:
                store = ProgressStore.open_readonly(data_dir)
            except ProgressError:
                pass
            else:
                print(f"studyvpc: {e.reason}; reading your progress without changing it",
                      file=sys.stderr)
                return store
        print(f"studyvpc: {e}", file=sys.stderr)
        return None
    except ProgressError as e:
        print(f"studyvpc: {e}", file=sys.stderr)
        return None


def _say(text: str) -> None:
    """A slow step of opening the progress database, said before it starts (on stderr)."""
    print(f"studyvpc: {text}", file=sys.stderr, flush=True)


def fail(error: Exception) -> int:
    """Print ``error`` on stderr as studyvpc's; exit status 1."""
    print(f"studyvpc: {error}", file=sys.stderr)
    return 1


def confirmed(question: str) -> bool:
    """Ask on stdout, read one line of stdin: only ``yes`` (spaces around it ignored) says
    yes, not ``y``: what the question asks for is what is accepted."""
    print(f"{question} Type 'yes' to continue: ", end="", flush=True)
    return sys.stdin.readline().strip() == "yes"

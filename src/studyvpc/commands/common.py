"""Helpers shared by command handlers: loading the configured content, printing errors."""

from __future__ import annotations

import argparse
import sys

from studyvpc.domain.loader import LoadResult


def load_content(args: argparse.Namespace) -> LoadResult:
    from studyvpc import locations
    from studyvpc.domain.loader import load_library

    return load_library(locations.content_dirs(getattr(args, "content", None)))


def report_errors(result: LoadResult, file=None) -> None:
    out = file or sys.stderr
    for err in result.errors:
        print(err, file=out)
    n = len(result.errors)
    print(f"{n} problem{'s' * (n != 1)} in the content; fix them or check with "
          "`studyvpc validate`", file=out)

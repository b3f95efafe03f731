"""Build the parsed-content cache in a second process, while the app starts in the first.

On a cache miss the app's start has two long jobs that need nothing from each other: parsing
and checking the content (YAML, ~15 ms for the bundled deck, ~0.9 s for 10,000 questions) and
importing Textual (~150 ms). One process does them one after the other; with this module the
content is parsed by ``python -m studyvpc.content.cache_build`` while the app imports, and the
app then reads the cache that process wrote (`studyvpc.content.cache.load_library_cached`,
``meanwhile``). A build that fails or cannot start only costs the time it took: the app then
parses the content itself, as it would have anyway.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from studyvpc.content.cache import write_cache

BUILD_TIMEOUT_S = 120.0
"""How long the app waits for a cache build before loading the content itself."""


def start_build(target: Path, key: str, paths: list) -> subprocess.Popen | None:
    """Start a process that loads ``paths`` and writes their cache to ``target`` (see
    `_build_main`); None if it cannot be started."""
    try:
        return subprocess.Popen(
            [sys.executable, "-m", "studyvpc.content.cache_build", str(target), key,
             *map(os.fspath, paths)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return None


def finish_build(build: subprocess.Popen) -> bool:
    """Wait for a cache build; True if it wrote the cache."""
    try:
        return build.wait(timeout=BUILD_TIMEOUT_S) == 0
    except subprocess.TimeoutExpired:
        build.kill()
        build.wait()
        return False


def _build_main(argv: list[str]) -> int:
    """``python -m studyvpc.content.cache_build TARGET KEY PATH...``: load the content at the
    paths and write it to the cache file TARGET under KEY. Exit status 0 if it was written.

    KEY is the parent's: had a file changed since, the next start computes another key and
    rebuilds, so a library is never served for content other than the one it was read from.
    """
    target, key, *paths = argv
    from studyvpc.content.loader import load_library

    return 0 if write_cache(Path(target), key, load_library(paths)) else 1


if __name__ == "__main__":
    sys.exit(_build_main(sys.argv[1:]))

"""The "one note edited" start of benchmarks/run.py: a learner edits one note (in Obsidian, an
editor) and opens studyvpc again. The library's cache is there but its key no longer matches;
the start reads only the edited file again (content/filereuse.py).

A copy of the library is made (the generated libraries are shared and never edited), its
cache written by one start, then before each measured start one note's title is changed, so
every start is a miss over a cache that holds every other file.
"""

from __future__ import annotations

import shutil
from pathlib import Path


def edit_one(folder: Path, n: int) -> None:
    """Change the title of the note in the middle of ``folder`` (its bytes differ for each
    ``n``)."""
    files = sorted(folder.rglob("*.yaml"))
    path = files[len(files) // 2]
    lines = path.read_text(encoding="utf-8").split("\n")
    for i, line in enumerate(lines):
        if line.startswith("title:"):
            lines[i] = line.split(" (edited", 1)[0] + f" (edited {n})"
            break
    path.write_text("\n".join(lines), encoding="utf-8")


def starts(bench, lib: Path, runs: int, minimal: list[str]) -> tuple[list[float], list[float]]:
    """Spawn → first key handled (ms) of ``runs`` starts after one note was edited, and of
    the minimal app interleaved with them."""
    if runs <= 0:
        return [], []
    copy = bench.tmp / f"edited-{lib.name}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(lib, copy)
    env = bench.app_env(bench.tmp / f"cache-edited-{lib.name}")
    bench.headless("-", bench.studyvpc(copy), env)  # writes the cache of the whole library
    mine, base = [], []
    for i in range(runs):
        base.append(bench.headless("b", minimal)["key"] * 1000)
        edit_one(copy, i)
        mine.append(bench.headless("b", bench.studyvpc(copy), env)["key"] * 1000)
    shutil.rmtree(copy, ignore_errors=True)
    return mine, base

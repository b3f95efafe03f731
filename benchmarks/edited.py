"""The "one note edited" start of benchmarks/run.py: a learner edits one note (in Obsidian, an
editor) and opens studyvpc again. The library's cache is there but its key no longer matches;
the start reads only the edited file again (content/filereuse.py).

It runs over the benchmark's own copy of the library (the generated libraries are shared and
never edited), whose cache its cold starts wrote; before each measured start one note's
title is changed, so every start is a miss over a cache that holds every other file.
"""

from __future__ import annotations

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
    the minimal app interleaved with them. ``lib`` is this run's own copy of a library
    (`Bench.working_copy`), its cache written already (by its first cold start); it is left
    edited, with the cache the last of these starts wrote, for the groups after."""
    if runs <= 0:
        return [], []
    env = bench.app_env(bench.cache(lib))
    mine, base = [], []
    for i in range(runs):
        base.append(bench.headless("b", minimal)["key"] * 1000)
        edit_one(lib, i)
        mine.append(bench.headless("b", bench.studyvpc(lib), env)["key"] * 1000)
    return mine, base

"""The benchmark's processes and what it prepares once per run (benchmarks/run.py measures).

- `Bench.run` / `headless` / `worker`: one whole process each, timed from outside.
- `Bench.cache`: a size's parsed-content cache, written once per benchmark run (by a cold
  start that was measured anyway, if there was one: `adopt_cache`) and shared by every group.
- `Bench.history`: a progress history, made once and kept beside the generated libraries.
- `Bench.repeat`: a figure's runs, fewer when a single run is long (`LONG_S`).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import report
import synth

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
HEADLESS = HERE / "headless.py"
WORKERS = HERE / "workers.py"

LONG_S = 5.0
"""A figure whose first run costs at least this many CPU seconds is measured once: its noise
(tenths of a second) is small next to it, and a second run would cost as much again. CPU
time, not wall-clock: on a busy machine a short run takes long, and its noise is large."""
ONE_RUN = f"one run (≥ {LONG_S:g} s of CPU a run)"


def median(values):
    return statistics.median(values) if values else None


class Bench:
    def __init__(self, tmp: Path, runs: int, verbose: bool, quick: bool = False) -> None:
        self.tmp = tmp
        self.quick = quick
        self.runs = runs
        self.verbose = verbose
        self.rows = report.Rows(self.log)
        self.env = {**os.environ, "STUDYVPC_DATA_DIR": str(tmp / "data"),
                    "STUDYVPC_CACHE_DIR": str(tmp / "cache-unused")}
        # PYTHONDONTWRITEBYTECODE: with it, every process measured would compile studyvpc's
        # source again (an installed package is compiled once, when installed), while the
        # minimal app's Textual comes compiled; the warm-up runs write the bytecode caches.
        for name in ("STUDYVPC_CONTENT", "STUDYVPC_EXIT_AFTER_FIRST_FRAME",
                     "PYTHONDONTWRITEBYTECODE"):
            self.env.pop(name, None)
        self.memory: dict[int, float] = {}
        self.caches: dict[Path, Path] = {}
        """Content folder → its parsed-content cache folder, written in this run."""
        self.copies: dict[Path, Path] = {}
        """Generated library → this run's copy of it (`working_copy`)."""

    def log(self, message: str) -> None:
        if self.verbose:
            print(message, file=sys.stderr, flush=True)

    # -- processes
    def run(self, cmd: list[str], env: dict | None = None, ok=(0,)) -> tuple[float, str, str]:
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, env=env or self.env, capture_output=True, text=True,
                              timeout=900)
        elapsed = time.perf_counter() - t0
        if proc.returncode not in ok:
            raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
        return elapsed, proc.stdout, proc.stderr

    def headless(self, key: str, target: list[str], env: dict | None = None,
                 decode: bool = False, ready: bool = False, hold: bool = False) -> dict:
        env = {**(env or self.env), "BENCH_T0": repr(time.time())}
        cmd = [sys.executable, str(HEADLESS), key, *(["--ready"] if ready else []),
               *(["--decode"] if decode else []), *(["--hold"] if decode and hold else []),
               *target]
        _, _, err = self.run(cmd, env)
        lines = [ln for ln in err.splitlines() if ln.startswith("BENCH ")]
        if not lines:
            raise RuntimeError(f"no BENCH line from {' '.join(cmd)}:\n{err[-3000:]}")
        return json.loads(lines[-1][6:])

    def worker(self, *args: str) -> dict:
        _, out, _ = self.run([sys.executable, str(WORKERS), *args])
        return json.loads(out.strip().splitlines()[-1][7:])

    def app_env(self, cache: Path, data: Path | None = None) -> dict:
        return {**self.env, "STUDYVPC_CACHE_DIR": str(cache),
                "STUDYVPC_DATA_DIR": str(data or self.tmp / "data")}

    def studyvpc(self, content: Path, *args: str) -> list[str]:
        return ["-m", "studyvpc", "--content", str(content), *args]

    # -- what is prepared once
    def cache(self, lib: Path) -> Path:
        """The parsed-content cache of ``lib``, written by the app the first time a group
        asks for it in this run (a start that is not measured), then shared by every group."""
        if lib not in self.caches:
            folder = self.tmp / f"cache-{lib.name}"
            self.headless("-", self.studyvpc(lib), self.app_env(folder))
            self.caches[lib] = folder
        return self.caches[lib]

    def content(self, size: int) -> Path:
        """The library of ``size`` questions every group measures: this run's own copy if
        one was made (`working_copy`), else the generated one."""
        lib = synth.cached_library(size)
        return self.copies.get(lib, lib)

    def working_copy(self, lib: Path) -> Path:
        """A copy of ``lib`` for this run alone, which may be edited (the generated libraries
        are shared, never edited); `content` gives it to every group from now on."""
        copy = self.tmp / f"work-{lib.name}"
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(lib, copy)
        self.copies[lib] = copy
        return copy

    def adopt_cache(self, lib: Path, folder: Path) -> bool:
        """Keep the cache a measured cold start of ``lib`` wrote in ``folder`` as ``lib``'s
        cache, if it has none yet (True); else the caller may remove ``folder``."""
        if lib in self.caches:
            return False
        self.caches[lib] = folder
        return True

    def history(self, lib: Path, attempts: int) -> Path:
        """A progress database of ``attempts`` answers over ``lib``'s questions, made once and
        kept beside the generated libraries."""
        from history import make_history
        from workers import history_maker

        from studyvpc.content.cache import load_library_cached

        made_by = history_maker()
        folder = (Path(tempfile.gettempdir()) / "studyvpc-synth"
                  / f"history-{lib.name}-{attempts}-{made_by}")
        if (folder.parent / f"{folder.name}.done").exists():
            return folder
        t0 = time.perf_counter()
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        ids = [q.id for q in load_library_cached([lib], self.tmp / "cache-history").library.questions]
        make_history(folder, ids, attempts)
        (folder.parent / f"{folder.name}.done").touch()
        self.log(f"  history of {attempts:,} attempts written in {time.perf_counter() - t0:.0f} s")
        return folder

    # -- runs
    @staticmethod
    def cpu_seconds() -> float:
        """CPU time of this process and of every child it has waited for (user + system)."""
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system

    @classmethod
    def repeat(cls, measure: Callable[[], float], runs: int,
               between: Callable[[], None] | None = None) -> tuple[list[float], str]:
        """``runs`` results of ``measure``, or one if that first run cost `LONG_S` or more
        CPU seconds (`cpu_seconds` around ``measure``: its processes'); ``between`` runs
        before each (a baseline's run, interleaved). Returns the results and what to say
        about them in the row's note (``""`` when every run asked for was made)."""
        out: list[float] = []
        for _ in range(runs):
            if between is not None:
                between()
            cpu = cls.cpu_seconds()
            out.append(measure())
            if cls.cpu_seconds() - cpu >= LONG_S and runs > 1:
                return out, ONE_RUN
        return out, ""

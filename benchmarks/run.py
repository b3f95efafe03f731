"""studyvpc at a learner's scale (issue 14): every figure next to its target and a baseline.

    python benchmarks/run.py               # 1k/10k/50k questions, 10k/100k/1M attempts
    python benchmarks/run.py --quick       # 1k/10k questions, 10k/100k attempts, fewer runs
    python benchmarks/run.py --json        # the same rows as JSON
    python benchmarks/run.py --only usable --only browser   # some groups (repeatable)

Each row: the median of its runs, the baseline measured in the same run (its runs interleaved
with the row's, so a busy moment of the machine hits both), their ratio, the target, and
whether it is met. The runs: `Bench.runs` (3) at the target size, 10,000 questions, where the
verdicts are; one at 1k and 50k, whose rows show how the cost grows (the rows with a target at
every size keep their runs: validate, answer → feedback in a pseudo-terminal); and one for a
figure whose single run costs 5 s of CPU or more, whose row says so (`bench.LONG_S`). Libraries
are `synth.realistic_library` (the bundled deck's notes multiplied, 5% of links dangling),
progress histories `history.make_history`; both are generated once and kept under the temporary
folder, before any group (the header gives that time apart from the measured time, and each
group's wall-clock and CPU seconds). Each size's parsed-content cache is written once per run,
by its first measured cold start where there is one (over this run's own copy of the library,
which the "one note edited" starts edit), and read by every group. The user's own data and
cache folders are never touched. The groups, and how each is measured:

- usable: a whole ``python -m studyvpc`` process (headless, `headless.py`), from spawn until
  the first key (``b``, the browser: it needs the notes) is handled and its screen drawn,
  pressed as soon as the first frame is there. Warm: the parsed-content cache is there; cold:
  an empty cache folder. Baseline: `minimal_app.py`, the same key, the same way.
- memory: the resident set of that process after the key, once every note has been decoded
  (``app.library.notes`` read through, garbage collected; the app keeps what it keeps, as
  for a learner who opened every note): the whole process (interpreter, Textual, the app's
  modules and screens, the library). The note gives the same process with every note
  decoded and held at once (the first run of each size), which no screen does. The
  library's share is the difference from the same process with the bundled deck (61
  questions); per question is that share divided by the questions added.
- validate: a whole ``studyvpc validate`` process (no cache: it parses every file), against
  a process parsing the same files with libyaml's C safe loader and nothing else; 1k and 10k
  questions (--quick: 1k).
- browser: in a real pseudo-terminal (`pty_drive.py`), warm: ``b`` opens the browser, ``/``
  (untimed) and each key of a filter, Enter opening the match; key written → the key's result
  on the emulated screen (more lines changed than the echo of the key alone); when the output
  then settled (silent for longer than any debounce) is in the note. Baseline: the same keys
  on `minimal_app.py` in a pseudo-terminal of its own, key by key interleaved.
- home / stats: 10,000 questions and a progress history of 10k/100k/1M attempts: spawn →
  home's first frame, and ``s`` → the statistics screen drawn (in the app's clock; pressed
  once the notes are read and the app is at rest, so it is the screen's own cost). Baseline
  of the stats: `workers.STATS_SQL` run by sqlite3 directly. Targets compare with 10k attempts.
- transfer: ``studyvpc progress export`` and ``import`` of the largest history, peak RSS of
  the process (VmHWM).
- answer: answer → feedback inside the app (`workers.latency`) and in a pseudo-terminal
  (``studyvpc quiz``, `pty_drive.drive_quiz`: key written → the verdict on the emulated
  screen), against the minimal app's ``1`` in a pseudo-terminal.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bench  # noqa: E402
import edited  # noqa: E402
import pty_drive  # noqa: E402
import report  # noqa: E402
import synth  # noqa: E402
from bench import LONG_S, WORKERS, median  # noqa: E402

GROUPS = ("usable", "validate", "browser", "home", "transfer", "answer")
FULL = {"sizes": (1_000, 10_000, 50_000), "attempts": (10_000, 100_000, 1_000_000), "runs": 3}
QUICK = {"sizes": (1_000, 10_000), "attempts": (10_000, 100_000), "runs": 1}
"""--quick leaves out what costs most and says least: starts of the app below the target size,
the "one note edited" starts (no target of their own), validate above 1k questions (its
ratio to libyaml hardly depends on the size), and the pseudo-terminal rows below the target
size."""
TARGET_SIZE = 10_000
MINIMAL = HERE / "minimal_app.py"


class Bench(bench.Bench):
    def runs_at(self, size: int) -> int:
        """Runs of a figure at ``size`` questions: `runs` at the target size, where the
        verdicts are; one at the other sizes, whose figures show how the cost grows and have
        no target of their own (those that have one do not ask)."""
        return self.runs if size == TARGET_SIZE else 1

    # -- usable app and memory
    def usable(self, sizes) -> None:
        self.log("usable app: spawn → first key handled (warm, cold), memory after decoding")
        minimal = [str(MINIMAL)]
        bundled = ROOT / "content"
        cache_b = self.cache(bundled)  # also this run's first start: OS page cache, bytecode
        # The same process whatever the size: measured once, before the sizes.
        base_rss = [self.headless("-", self.studyvpc(bundled), self.app_env(cache_b),
                                  decode=True)["rss_kib"] / 1024 for _ in range(self.runs)]
        for size in sizes:
            base_cold: list[float] = []
            runs = self.runs_at(size)
            cold_runs = 0 if self.quick and size < TARGET_SIZE else runs
            # With cold starts, this run's own copy: the "one note edited" starts edit it,
            # over the cache its first cold start wrote; every later group reads that.
            lib = (self.working_copy(synth.cached_library(size)) if cold_runs
                   else self.content(size))

            def cold_start(lib=lib, n=iter(range(cold_runs))) -> float:
                fresh = self.tmp / f"cache-cold-{lib.name}-{next(n)}"
                ms = self.headless("b", self.studyvpc(lib), self.app_env(fresh))["key"] * 1000
                if not self.adopt_cache(lib, fresh):  # the first one is the size's cache
                    shutil.rmtree(fresh, ignore_errors=True)
                return ms

            cold, cold_note = self.repeat(
                cold_start, cold_runs,
                lambda: base_cold.append(self.headless("b", minimal)["key"] * 1000))
            cache = self.cache(lib)
            warm, base, frames, rss, hwm, held = [], [], [], [], [], []
            for i in range(runs):
                base.append(self.headless("b", minimal)["key"] * 1000)
                r = self.headless("b", self.studyvpc(lib), self.app_env(cache), decode=True,
                                  hold=i == 0)  # every note held: a note, once a size
                warm.append(r["key"] * 1000)
                frames.append(r["frame"] * 1000)
                rss.append(r["rss_kib"] / 1024)
                hwm.append(r["hwm_kib"] / 1024)
                held += [r["held_rss_kib"] / 1024] if "held_rss_kib" in r else []
            at_target = size == TARGET_SIZE
            self.rows.add("usable app (spawn → first key handled)", f"warm, {size:,} questions",
                          warm, "ms", base, "minimal Textual app",
                          ("≤ 1.5× baseline", lambda v, b: v <= 1.5 * b) if at_target else None,
                          note=f"first frame {median(frames):.0f} ms")
            if cold:
                self.rows.add("usable app (spawn → first key handled)",
                              f"cold, {size:,} questions", cold, "ms", base_cold,
                              "minimal Textual app",
                              ("≤ 1500 ms", lambda v, b: v <= 1500) if at_target else None,
                              note=cold_note)
            one, base_one = edited.starts(self, lib, 0 if self.quick else cold_runs, minimal)
            if one:
                self.rows.add("usable app (spawn → first key handled)",
                              f"one note edited, {size:,} questions", one, "ms", base_one,
                              "minimal Textual app", note="the cache of every other note there")
            self.memory[size] = median(rss)
            self.rows.add("memory after decoding (RSS of the whole app process)",
                          f"{size:,} questions", rss, "MiB", base_rss, "bundled deck (61 q.)",
                          ("library's share ≤ 60 MiB", lambda v, b: v - b <= 60)
                          if at_target else None,
                          note=f"peak {median(hwm):.0f} MiB; every note held {median(held):.0f} MiB")
        base = median(base_rss)
        for size in sizes:
            share = self.memory[size] - base
            per_q = share * 1024 / (size - 61)
            self.rows.add("memory after decoding (RSS of the whole app process)",
                          f"library's share per question, {size:,}", [per_q], "KiB", [4.0],
                          "target 4 KiB", ("≤ 4 KiB", lambda v, b: v <= 4),
                          note=f"share {share:.0f} MiB")
        for prefix in ("warm", "cold"):
            self.growth("usable app (spawn → first key handled)", prefix, sizes)

    def growth(self, group: str, prefix: str, sizes) -> None:
        """Whether the largest size costs at most linearly more than the target size."""
        if sizes[-1] <= TARGET_SIZE:
            return
        big = self.rows.find(group, f"{prefix}, {sizes[-1]:,} questions")
        mid = self.rows.find(group, f"{prefix}, {TARGET_SIZE:,} questions")
        if big and mid and big["value"] and mid["value"]:
            limit = sizes[-1] / TARGET_SIZE
            self.rows.add(group, f"{prefix}: {sizes[-1]:,} vs {TARGET_SIZE:,}", [big["value"]],
                          big["unit"], [mid["value"]], f"{TARGET_SIZE:,} questions",
                          (f"≤ {limit:g}× (linear)", lambda v, b: v <= limit * b))

    # -- validate
    def validate(self, sizes) -> None:
        self.log("validate (cold) vs libyaml's C safe loader on the same files")
        # Not above the target size: libyaml alone takes a minute over 50k questions' files,
        # and the ratio hardly depends on the size (1k and 10k show whether it does).
        for size in sizes[:1] if self.quick else [s for s in sizes if s <= TARGET_SIZE]:
            lib = synth.cached_library(size)
            base: list[float] = []
            mine, note = self.repeat(
                lambda lib=lib: self.run([sys.executable, "-m", "studyvpc", "validate",
                                          str(lib)])[0] * 1000, self.runs,
                lambda lib=lib: base.append(
                    self.run([sys.executable, str(WORKERS), "libyaml", str(lib)])[0] * 1000))
            self.rows.add("validate, cold (whole process)", f"{size:,} questions", mine, "ms",
                          base, "libyaml CSafeLoader, same files",
                          ("≤ 1.5× baseline", lambda v, b: v <= 1.5 * b), note=note)

    # -- browser, through a pseudo-terminal
    def browser(self, sizes) -> None:
        import ptyrows

        self.log("browser in a pseudo-terminal")
        for size in [TARGET_SIZE] if self.quick else sizes:
            lib = self.content(size)
            cache = self.cache(lib)
            # Above the target size one round: a filter there takes seconds a key.
            ptyrows.browser(self, pty_drive, lib, self.app_env(cache), size,
                            size == TARGET_SIZE, self.runs_at(size))
        for name in ptyrows.BROWSER_ROWS:
            self.growth(ptyrows.BROWSER, name, sizes)

    # -- home and stats over a history
    def home(self, attempts_sizes) -> None:
        self.log("home's first frame and the stats screen over progress histories")
        lib = self.content(TARGET_SIZE)
        cache = self.cache(lib)
        dbs = {n: self.history(synth.cached_library(TARGET_SIZE), n) for n in attempts_sizes}
        frames = {n: [] for n in dbs}
        stats = {n: [] for n in dbs}
        for data in dbs.values():  # each file opened once first (and sealed if it was not)
            self.headless("-", self.studyvpc(lib), self.app_env(cache, data))
        for _ in range(self.runs):
            for n, data in dbs.items():
                r = self.headless("s", self.studyvpc(lib), self.app_env(cache, data), ready=True)
                frames[n].append(r["frame"] * 1000)
                stats[n].append(r["key_ms"])
        sql = {n: self.worker("sql", str(data / "progress.sqlite3"), "5")["ms"]
               for n, data in dbs.items()}
        first = attempts_sizes[0]
        for n in dbs:
            target = ("≤ 1.2× 10k attempts", lambda v, b: v <= 1.2 * b) if n != first else None
            self.rows.add("home and stats (10,000 questions)", f"home first frame, {n:,} attempts",
                          frames[n], "ms", frames[first], f"{first:,} attempts", target)
        for n in dbs:
            ratio = median(stats[n]) / median(stats[first])
            ok = ratio <= 1.2 if n != first else None
            self.rows.add("home and stats (10,000 questions)", f"stats screen, {n:,} attempts",
                          stats[n], "ms", sql[n], "sqlite3, the same aggregates",
                          ("≤ 1.2× its 10k-attempts time", lambda v, b, ok=ok: ok)
                          if n != first else None,
                          note=f"{ratio:.2f}× its time at {first:,}")

    # -- export / import
    def transfer(self, attempts: int) -> None:
        self.log(f"progress export / import of {attempts:,} attempts: peak memory")
        lib = synth.cached_library(TARGET_SIZE)
        data = self.history(lib, attempts)
        floor = self.worker("rss", "-m", "studyvpc", "paths")["peak_kib"] / 1024
        out = self.tmp / "export.json"
        t0 = time.perf_counter()
        exp = self.worker("rss", "-m", "studyvpc", "--data-dir", str(data), "progress", "export",
                          str(out), "--force")
        t_exp = time.perf_counter() - t0
        fresh = self.tmp / "import-data"
        t0 = time.perf_counter()
        imp = self.worker("rss", "-m", "studyvpc", "--data-dir", str(fresh), "progress", "import",
                          str(out))
        t_imp = time.perf_counter() - t0
        for name, res, secs in (("export", exp, t_exp), ("import", imp, t_imp)):
            if res["code"]:
                raise RuntimeError(f"progress {name} failed ({res['code']})")
            self.rows.add("progress transfer (peak RSS of the process)",
                          f"{name}, {attempts:,} attempts", [res["peak_kib"] / 1024], "MiB",
                          [floor], "studyvpc paths", ("≤ 100 MiB", lambda v, b: v <= 100),
                          note=f"{secs:.1f} s, {out.stat().st_size / 2**20:.0f} MiB file")
        out.unlink()
        shutil.rmtree(fresh, ignore_errors=True)

    # -- answer → feedback
    def answer(self, sizes) -> None:
        import ptyrows

        self.log("answer → feedback, in the app and in a pseudo-terminal")
        lib = self.content(TARGET_SIZE)
        cache = self.cache(lib)
        # 20 questions, --quick 12: the row has no target of its own (the pseudo-terminal's
        # rows have), and every answer and every next question is a sample
        res = self.worker("latency", str(lib), str(cache), "12" if self.quick else "20")
        self.rows.add("answer → feedback", f"inside the app, {TARGET_SIZE:,} questions",
                      res["answer"], "ms", [1000 / 60], "one frame at 60 fps", None,
                      note=f"next question {median(res['next']):.0f} ms")
        for size in [TARGET_SIZE] if self.quick else sizes:
            lib = self.content(size)
            ptyrows.answer(self, pty_drive, lib, self.app_env(self.cache(lib)), size)
        self.growth(ptyrows.ANSWER, "in a pseudo-terminal", sizes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="1k/10k questions, 10k/100k attempts, one run each (about a minute)")
    parser.add_argument("--runs", type=int, help="runs per figure (default 3; --quick 1)")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.add_argument("--only", action="append", choices=GROUPS, metavar="GROUP",
                        help=f"only this group (repeatable): {', '.join(GROUPS)}")
    args = parser.parse_args(argv)
    plan = dict(QUICK if args.quick else FULL)
    if args.runs:
        plan["runs"] = max(1, args.runs)
    only = set(args.only or GROUPS)

    from studyvpc import __version__

    started = time.perf_counter()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="studyvpc-bench-") as tmp_name:
        bench = Bench(Path(tmp_name), plan["runs"], verbose=not args.quiet, quick=args.quick)
        t0 = time.perf_counter()
        prepare(bench, plan, only)
        prepared = time.perf_counter() - t0
        # --quick starts the app at the target size only (1k has no target of its own there)
        steps = {"usable": lambda: bench.usable((TARGET_SIZE,) if args.quick else plan["sizes"]),
                 "validate": lambda: bench.validate(plan["sizes"]),
                 "browser": lambda: bench.browser(plan["sizes"]),
                 "home": lambda: bench.home(plan["attempts"]),
                 "transfer": lambda: bench.transfer(plan["attempts"][-1]),
                 "answer": lambda: bench.answer(plan["sizes"])}
        group_s, group_cpu_s = {}, {}
        for group in GROUPS:
            if group in only:
                t0, cpu0 = time.perf_counter(), bench.cpu_seconds()
                steps[group]()
                group_s[group] = round(time.perf_counter() - t0, 1)
                group_cpu_s[group] = round(bench.cpu_seconds() - cpu0, 1)
                bench.log(f"  ({group}: {group_s[group]:.0f} s, {group_cpu_s[group]:.0f} s CPU)")
    elapsed = time.perf_counter() - started
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    meta = {"version": __version__, "commit": commit, "python": sys.version.split()[0],
            "cpus": os.cpu_count(), "runs": plan["runs"], "quick": args.quick,
            "seconds": round(elapsed, 1), "prepared_s": round(prepared, 1),
            "measured_s": round(elapsed - prepared, 1), "long_s": LONG_S,
            "group_s": group_s, "group_cpu_s": group_cpu_s,
            "load_average": [round(x, 1) for x in os.getloadavg()],
            "load_average_start": [round(x, 1) for x in load_before]}
    if args.json:
        print(json.dumps({"meta": meta, "rows": bench.rows.rows}, indent=2, ensure_ascii=False))
    else:
        print(report.header(meta))
        print(report.table(bench.rows.rows))
    return 0


def prepare(bench: Bench, plan: dict, only: set[str]) -> None:
    """What is generated once and kept between runs (under the temporary folder): the
    libraries, and the progress histories the selected groups read. Timed apart."""
    for size in plan["sizes"]:
        synth.cached_library(size)
    attempts = [*(plan["attempts"] if "home" in only else ()),
                *(plan["attempts"][-1:] if "transfer" in only else ())]
    if attempts:
        lib = synth.cached_library(TARGET_SIZE)
        for n in sorted(set(attempts)):
            bench.history(lib, n)


if __name__ == "__main__":
    raise SystemExit(main())

"""studyvpc benchmarks: startup, content load, answer latency, durable answers, stats, memory.

    python benchmarks/run.py            # the table
    python benchmarks/run.py --json     # the same figures as JSON (compare between commits)
    python benchmarks/run.py --runs 3   # fewer repetitions (default 5)
    python benchmarks/run.py --only links   # some groups only (repeatable)

Every figure is the median of several runs and is shown next to its baseline, measured in the
same run on the same machine, and the ratio between them, so figures stay comparable on a
busy or a different machine. What each row measures, and how:

- startup: wall time of a whole ``python -m studyvpc`` process, from spawn to exit, with
  ``STUDYVPC_EXIT_AFTER_FIRST_FRAME=1`` (headless; the app exits from a callback queued with
  ``call_after_refresh`` on the home screen, i.e. right after its first frame was rendered).
  Cold: no parsed-content cache; warm: the cache is there. Baseline: a process running a
  minimal Textual app with one ``Static`` that exits the same way.
- content load: ``load_library_cached`` in a fresh interpreter (one per size): cold parses and
  checks every YAML file and writes the cache; warm is a cache hit. Baseline: plain
  ``yaml.load(text, Loader=yaml.SafeLoader)`` (the pure-Python loader) of the same files.
- answer / next question: inside the app (``App.run_test``), the time from posting the key
  event to the app (as the terminal driver does) until a callback queued with
  ``call_after_refresh`` right after the screen updated has run, i.e. until the frame showing
  the feedback (or the next question) was rendered. Not ``pilot.press``, which adds its own
  waits. Baseline: one frame at 60 fps (16.7 ms), the target.
- durable answer: ``ProgressStore.record_attempt`` on a file store (one committed SQLite
  transaction, synchronous=FULL) per answer. Baseline: 2 ms, the target.
- stats: ``compute_stats`` (with the FSRS scheduler's retrievabilities) over 100,000 attempts
  on 10,000 questions. Baseline: 100 ms, the target.
- peak RSS: ``ru_maxrss`` of the app process up to its first frame with 10,000 questions,
  cold and warm (plus that of any process it ran, so a start that did work beside itself
  would be counted). Baseline: the minimal Textual app's peak RSS.
- Markdown notes: 400 notes of the learners' Obsidian template (``synth.make_markdown_library``,
  ~5 KB each, like the seed note). Load, cold: wall time of a process that reads them into an
  empty parsed-content cache (``load_library_cached``; interpreter start and imports
  included); import: wall time of ``studyvpc import`` writing them into an empty folder.
  Baseline: the target.
- content checks: wall time of a ``studyvpc validate`` process over 1,001 small notes holding
  8,000 ``[[links]]``, every one naming a different note that does not exist (each gets a
  warning and a "did you mean" lookup). Baseline: the same notes with every link resolved.

Synthetic libraries (``benchmarks/synth.py``) have ten questions per note and a third of their
text in Korean. Everything is written to a temporary folder and removed afterwards; the
user's cache and data folders are never touched.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
if str(ROOT / "src") not in sys.path:
    sys.path.append(str(ROOT / "src"))

SIZES = (100, 1_000, 10_000)
GROUPS = ("startup", "load", "latency", "storage", "memory", "links", "markdown")
FRAME_MS = 1000 / 60

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static


class Minimal(App):
    def compose(self):
        yield Static("Hello")

    def on_mount(self):
        self.screen.call_after_refresh(self.exit)


Minimal().run(headless=True)
"""

MARKDOWN_LOAD = """
import sys
from pathlib import Path
from studyvpc.content.cache import load_library_cached
result = load_library_cached([sys.argv[1]], Path(sys.argv[2]))
print(result.library.note_count, result.from_cache)
"""

RSS_WRAPPER = """
import resource, runpy, sys
sys.argv = sys.argv[1:]
try:
    if sys.argv[0] == "-m":
        sys.argv = sys.argv[1:]
        runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
    else:
        runpy.run_path(sys.argv[0], run_name="__main__")
except SystemExit:
    pass
# The app's own peak plus the peak of any process it ran: an upper bound of what the start had
# in memory at once.
print("RSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
      + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
"""


# --------------------------------------------------------------------------- helpers

def median(values: list[float]) -> float:
    return statistics.median(values)


def run_process(cmd: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return elapsed, proc


def worker(name: str, *args: str, env: dict[str, str]) -> dict:
    """Run ``run.py --worker name args`` in a fresh interpreter; its last stdout line is JSON."""
    _, proc = run_process([sys.executable, str(Path(__file__).resolve()), "--worker", name, *args],
                          env)
    return json.loads(proc.stdout.strip().splitlines()[-1])


class Bench:
    def __init__(self, runs: int, tmp: Path, verbose: bool) -> None:
        self.runs = runs
        self.tmp = tmp
        self.verbose = verbose
        self.rows: list[dict] = []
        self.env = {**os.environ, "STUDYVPC_DATA_DIR": str(tmp / "data"),
                    "STUDYVPC_CACHE_DIR": str(tmp / "cache-unused"), "PYTHONDONTWRITEBYTECODE": ""}
        self.env.pop("STUDYVPC_CONTENT", None)
        self.env.pop("STUDYVPC_EXIT_AFTER_FIRST_FRAME", None)
        self.minimal = tmp / "minimal_app.py"
        self.minimal.write_text(MINIMAL_APP, encoding="utf-8")
        self.rss_wrapper = tmp / "rss.py"
        self.rss_wrapper.write_text(RSS_WRAPPER, encoding="utf-8")

    def log(self, message: str) -> None:
        if self.verbose:
            print(message, file=sys.stderr, flush=True)

    def add(self, group: str, name: str, value: float, unit: str, baseline: float,
            baseline_name: str, target: str, ok: bool | None, samples: list[float] | None = None,
            ) -> None:
        row = {"group": group, "name": name, "value": round(value, 3), "unit": unit,
               "baseline": round(baseline, 3), "baseline_name": baseline_name,
               "ratio": round(value / baseline, 3) if baseline else None,
               "speedup": round(baseline / value, 1) if value else None,
               "target": target, "met": ok, "samples": [round(s, 3) for s in samples or []]}
        self.rows.append(row)
        self.log(f"  {group} / {name}: {value:.1f} {unit} (baseline {baseline:.1f}, "
                 f"ratio {row['ratio']})")

    # -- startup
    def app_env(self, cache: Path) -> dict[str, str]:
        return {**self.env, "STUDYVPC_CACHE_DIR": str(cache),
                "STUDYVPC_EXIT_AFTER_FIRST_FRAME": "1"}

    def startup_ms(self, content: Path, cache: Path, cold: bool, runs: int) -> list[float]:
        env = self.app_env(cache)
        cmd = [sys.executable, "-m", "studyvpc", "--content", str(content)]
        if not cold:
            run_process(cmd, env)  # prime the cache
        out = []
        for _ in range(runs):
            if cold:
                shutil.rmtree(cache, ignore_errors=True)
            elapsed, proc = run_process(cmd, env)
            if "HomeScreen" not in proc.stdout + proc.stderr:
                raise RuntimeError(f"the app did not show the home screen:\n{proc.stderr[-2000:]}")
            out.append(elapsed * 1000)
        return out

    def minimal_ms(self, runs: int) -> list[float]:
        return [run_process([sys.executable, str(self.minimal)], self.env)[0] * 1000
                for _ in range(runs)]

    def startup(self, bundled: Path, big: Path) -> None:
        self.log("startup")
        runs = self.runs + 2
        # Warm both the OS page cache and Python's bytecode caches before timing anything.
        self.minimal_ms(1)
        self.startup_ms(bundled, self.tmp / "cache-bundled", cold=True, runs=1)
        cases = [
            ("bundled content, cold cache", bundled, True, 1.3),
            ("bundled content, warm cache", bundled, False, 1.3),
            ("10,000 questions, cold cache", big, True, None),
            ("10,000 questions, warm cache", big, False, 1.5),
        ]
        for name, content, cold, limit in cases:
            # Baseline and case interleaved, so a busy moment hits both alike.
            base, mine = [], []
            n = runs if content == bundled or not cold else max(3, self.runs - 2)
            for _ in range(n):
                base += self.minimal_ms(1)
                mine += self.startup_ms(content, self.tmp / f"cache-{abs(hash(name))}", cold, 1)
            value, baseline = median(mine), median(base)
            target = f"≤ {limit}× minimal app" if limit else "(no target; see cold load)"
            self.add("startup (process start → first frame)", name, value, "ms", baseline,
                     "minimal Textual app", target,
                     value <= limit * baseline if limit else None, mine)

    # -- content load
    def content_load(self, libraries: dict[int, Path]) -> None:
        self.log("content load")
        for size, folder in libraries.items():
            runs = self.runs if size < 10_000 else max(3, self.runs - 2)
            res = worker("load", str(folder), str(self.tmp / f"cache-load-{size}"), str(runs),
                         env=self.env)
            base = median(res["baseline"])
            cold, warm = median(res["cold"]), median(res["warm"])
            self.add("content load", f"{size:,} questions, cold", cold, "ms", base,
                     "yaml.safe_load, pure-Python SafeLoader",
                     "≥ 10× faster" + (", ≤ 1.5 s" if size == 10_000 else ""),
                     base / cold >= 10 and (size != 10_000 or cold <= 1500), res["cold"])
            self.add("content load", f"{size:,} questions, warm", warm, "ms", base,
                     "yaml.safe_load, pure-Python SafeLoader", "≥ 100× faster",
                     base / warm >= 100, res["warm"])

    # -- in-app latency
    def latency(self, bundled: Path) -> None:
        self.log("answer latency")
        res = worker("latency", str(bundled), str(self.tmp / "cache-latency"), env=self.env)
        for key, name in (("answer", "answer → feedback shown"),
                          ("next", "next question → question shown")):
            value = median(res[key])
            self.add("latency (in the app, bundled content)", name, value, "ms", FRAME_MS,
                     "one frame at 60 fps", "≤ 17 ms median", value <= 17, res[key])

    # -- storage
    def storage(self, big: Path) -> None:
        self.log("durable answer")
        res = worker("record", str(self.tmp / "data-record"), env=self.env)
        value = median(res["record"])
        self.add("progress store", "record one answer durably", value, "ms", 2.0,
                 "target 2 ms", "≤ 2 ms median", value <= 2, res["record"])
        self.log("stats")
        res = worker("stats", str(big), str(self.tmp / "cache-stats"),
                     str(self.tmp / "data-stats"), str(self.runs), env=self.env)
        value = median(res["stats"])
        self.add("progress store", f"statistics over {res['attempts']:,} attempts", value, "ms",
                 100.0, "target 100 ms", "≤ 100 ms", value <= 100, res["stats"])

    # -- memory
    def memory(self, big: Path) -> None:
        self.log("peak RSS")
        base_kb = self.rss([str(self.minimal)], self.env)
        cache = self.tmp / "cache-rss"
        shutil.rmtree(cache, ignore_errors=True)
        env = self.app_env(cache)
        cmd = ["-m", "studyvpc", "--content", str(big)]
        cold_kb = self.rss(cmd, env)
        warm_kb = self.rss(cmd, env)
        for name, kb in (("10,000 questions, cold cache", cold_kb),
                         ("10,000 questions, warm cache", warm_kb)):
            mb = kb / 1024
            self.add("peak memory (RSS)", name, mb, "MB", base_kb / 1024, "minimal Textual app",
                     "≤ 150 MB", mb <= 150)

    # -- links that lead nowhere
    def dangling_links(self) -> None:
        from synth import make_link_library

        self.log("dangling links")
        resolved = make_link_library(self.tmp / "links-resolved", dangling=False)
        dangling = make_link_library(self.tmp / "links-dangling", dangling=True)

        def validate(folder: Path) -> tuple[float, str]:
            elapsed, proc = run_process([sys.executable, "-m", "studyvpc", "validate",
                                         str(folder)], self.env)
            return elapsed * 1000, proc.stdout

        _, out = validate(dangling)  # also warms the OS and bytecode caches
        n = out.count("resolves to no note")
        if n != 8_000:
            raise RuntimeError(f"expected 8,000 dangling links, validate reported {n}")
        base, mine = [], []
        for _ in range(self.runs):  # interleaved, so a busy moment hits both alike
            base.append(validate(resolved)[0])
            mine.append(validate(dangling)[0])
        value, baseline = median(mine), median(base)
        self.add("content checks (studyvpc validate)", "1,001 notes, 8,000 links dangling", value,
                 "ms", baseline, "same notes, links resolved", "≤ 2× baseline",
                 value <= 2 * baseline, mine)

    # -- Markdown notes
    def markdown(self) -> None:
        from synth import make_markdown_library

        self.log("markdown notes")
        vault = make_markdown_library(self.tmp / "vault-400", 400)
        cache = self.tmp / "cache-markdown"
        load = [sys.executable, "-c", MARKDOWN_LOAD, str(vault), str(cache)]
        run_process(load, self.env)  # warms the OS and bytecode caches
        times = []
        for _ in range(self.runs):
            shutil.rmtree(cache, ignore_errors=True)
            elapsed, proc = run_process(load, self.env)
            if proc.stdout.split() != ["400", "False"]:
                raise RuntimeError(f"unexpected load: {proc.stdout!r}")
            times.append(elapsed * 1000)
        value = median(times)
        self.add("Markdown notes (400 of the template)", "load, cold (process)", value, "ms",
                 3000.0, "target 3 s", "≤ 3 s", value <= 3000, times)
        deck = self.tmp / "imported"
        times = []
        for _ in range(self.runs):
            shutil.rmtree(deck, ignore_errors=True)
            elapsed, proc = run_process([sys.executable, "-m", "studyvpc", "import", str(vault),
                                         "--to", str(deck)], self.env)
            if "400 new" not in proc.stdout:
                raise RuntimeError(f"unexpected import: {proc.stdout!r}")
            times.append(elapsed * 1000)
        value = median(times)
        self.add("Markdown notes (400 of the template)", "studyvpc import (process)", value, "ms",
                 5000.0, "target 5 s", "≤ 5 s", value <= 5000, times)

    def rss(self, cmd: list[str], env: dict[str, str]) -> int:
        _, proc = run_process([sys.executable, str(self.rss_wrapper), *cmd], env)
        line = [ln for ln in proc.stderr.splitlines() if ln.startswith("RSS_KB")][-1]
        return int(line.split()[1])


# --------------------------------------------------------------------------- workers

def worker_load(folder: str, cache: str, runs: str) -> dict:
    import gc

    import yaml

    from studyvpc.content.cache import load_library_cached
    from studyvpc.content.results import discover

    files, _ = discover([folder])
    texts = [f.read_text(encoding="utf-8") for f in files]
    cache_dir = Path(cache)
    out: dict[str, list[float]] = {"cold": [], "warm": [], "baseline": []}
    n = int(runs)
    for _ in range(n):
        shutil.rmtree(cache_dir, ignore_errors=True)
        gc.collect()
        t0 = time.perf_counter()
        result = load_library_cached([folder], cache_dir)
        out["cold"].append((time.perf_counter() - t0) * 1000)
        assert not result.from_cache and result.ok, result.errors[:3]
        del result
    for _ in range(n):
        gc.collect()
        t0 = time.perf_counter()
        result = load_library_cached([folder], cache_dir)
        out["warm"].append((time.perf_counter() - t0) * 1000)
        assert result.from_cache
        del result
    for _ in range(max(2, n - 2) if len(files) >= 1000 else n):
        gc.collect()
        t0 = time.perf_counter()
        for text in texts:
            yaml.load(text, Loader=yaml.SafeLoader)  # noqa: S506 - the pure-Python safe loader
        out["baseline"].append((time.perf_counter() - t0) * 1000)
    return out


def worker_latency(content: str, cache: str) -> dict:
    import asyncio

    from textual import events

    from studyvpc.content.cache import load_library_cached
    from studyvpc.study.quiz import Scope
    from studyvpc.ui.tui.app import make_app
    from studyvpc.ui.tui.screens.quiz import QuizScreen

    result = load_library_cached([content], Path(cache))
    app = make_app(result, seed=1)
    answer_ms: list[float] = []
    next_ms: list[float] = []

    async def main() -> None:
        async with app.run_test(size=(120, 40)) as pilot:
            total = len(result.library.questions)
            screen = QuizScreen(result.library, Scope(), seed=1, limit=min(total, 40))
            await app.push_screen(screen)
            await pilot.pause()
            view = screen.view
            done = asyncio.Event()
            stamp: list[float] = []

            def after_refresh() -> None:
                stamp.append(time.perf_counter())
                done.set()

            def wrap(method):
                def wrapped(*args, **kwargs):
                    value = method(*args, **kwargs)
                    # Runs once the screen has been laid out and painted with this update.
                    screen.call_after_refresh(after_refresh)
                    return value
                return wrapped

            view.show_result = wrap(view.show_result)
            view.show_question = wrap(view.show_question)

            async def timed_key(key: str, character: str | None) -> float:
                await pilot.pause()
                done.clear()
                stamp.clear()
                t0 = time.perf_counter()
                app.post_message(events.Key(key, character))  # as the terminal driver does
                await asyncio.wait_for(done.wait(), 10)
                return (stamp[0] - t0) * 1000

            while True:
                shown = screen.session.current
                letters = sorted(shown.correct_letters)
                if shown.question.is_multi:
                    for letter in letters:  # toggle (untimed), then time the submitting Enter
                        app.post_message(events.Key(letter.lower(), letter.lower()))
                        await pilot.pause()
                    answer_ms.append(await timed_key("enter", "\r"))
                else:
                    answer_ms.append(await timed_key(letters[0].lower(), letters[0].lower()))
                assert screen.view.result is not None, "the answer was not shown"
                if shown.number >= shown.total:
                    break  # the next key would open the results screen
                next_ms.append(await timed_key("n", "n"))
                assert screen.view.result is None and screen.session.current is not shown
            await pilot.pause()

    asyncio.run(main())
    # The first of each is the first paint of new widgets (Markdown parser warm-up): keep it;
    # the median is what the target is about.
    return {"answer": answer_ms, "next": next_ms}


def worker_record(data: str) -> dict:
    from studyvpc.progress.store import ProgressStore

    out = []
    with ProgressStore.open(Path(data)) as store:
        session = store.start_session("practice")
        for i in range(5):  # warm-up: the first writes create the WAL
            store.record_attempt(f"warm-{i}", "h", ["A"], True, time_ms=1000, mode="practice",
                                 session_id=session)
        for i in range(200):
            t0 = time.perf_counter()
            store.record_attempt(f"q-{i % 50}", "hash", ["A"], i % 3 != 0, time_ms=1000 + i,
                                 mode="practice", session_id=session)
            out.append((time.perf_counter() - t0) * 1000)
    return {"record": out}


def worker_stats(content: str, cache: str, data: str, runs: str) -> dict:
    import random
    from datetime import datetime, timedelta, timezone

    from studyvpc.content.cache import load_library_cached
    from studyvpc.progress.scheduler import ReviewScheduler, card_id_for
    from studyvpc.progress.store import ProgressStore, QuestionIndex
    from studyvpc.progress.store.stats import compute_stats
    from studyvpc.interop.progress_json import EXPORT_FORMAT, EXPORT_VERSION, import_dict

    library = load_library_cached([content], Path(cache)).library
    questions = list(library.questions)
    rng = random.Random(3)
    now = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
    sessions = [{"id": f"s{i}", "mode": "practice", "scope": "",
                 "started": (now - timedelta(days=i)).isoformat(), "finished": None}
                for i in range(365)]
    attempts = []
    for i in range(100_000):
        q = rng.choice(questions)
        day = rng.randrange(365)
        at = now - timedelta(days=day, seconds=rng.randrange(86_400))
        attempts.append({"uuid": f"a{i:06d}", "question_id": q.id, "content_hash": "h",
                         "chosen": ["A"], "correct": rng.random() < 0.7,
                         "time_ms": rng.randrange(2_000, 60_000), "mode": "practice",
                         "session_id": f"s{day}", "answered_at": at.isoformat()})
    cards = []
    for q in questions[: len(questions) // 2]:  # half the questions have a schedule
        due = now + timedelta(days=rng.randrange(-30, 60))
        last = due - timedelta(days=rng.randrange(1, 20))
        card = {"card_id": card_id_for(q.id), "state": 2, "step": None,
                "stability": rng.uniform(1, 40), "difficulty": rng.uniform(1, 9),
                "due": due.isoformat(), "last_review": last.isoformat()}
        cards.append({"question_id": q.id, "card": card, "due": due.isoformat(),
                      "last_review": last.isoformat(), "reviews": rng.randrange(1, 10)})
    store = ProgressStore.open(Path(data))
    with store:
        import_dict(ReviewScheduler(store), {"format": EXPORT_FORMAT, "version": EXPORT_VERSION, "sessions": sessions,
                           "attempts": attempts, "cards": cards, "review_logs": []})
        index = QuestionIndex.from_library(library)
        out = []
        for _ in range(int(runs) + 1):
            t0 = time.perf_counter()
            stats = compute_stats(store, index, now=now, scheduler=ReviewScheduler(store))
            out.append((time.perf_counter() - t0) * 1000)
        assert stats.total_attempts == 100_000, stats.total_attempts
        count = store.attempt_count()
    return {"stats": out[1:], "attempts": count}  # the first run imports fsrs: not counted


WORKERS = {"load": worker_load, "latency": worker_latency, "record": worker_record,
           "stats": worker_stats}


# --------------------------------------------------------------------------- output

def table(rows: list[dict]) -> str:
    lines = []
    group = None
    head = f"{'':40} {'median':>10} {'baseline':>10} {'ratio':>8}  {'target':<28} met"
    lines.append(head)
    lines.append("-" * len(head))
    for r in rows:
        if r["group"] != group:
            group = r["group"]
            lines.append(group)
        met = {True: "yes", False: "NO", None: "-"}[r["met"]]
        if r["group"] == "content load":
            met += f" ({r['speedup']:g}x faster)"
        ratio = f"{r['ratio']:.3g}×" if r["ratio"] is not None else "-"
        unit = r["unit"]
        lines.append(f"  {r['name']:38} {r['value']:>7.1f} {unit:<2} {r['baseline']:>7.1f} {unit:<2}"
                     f" {ratio:>8}  {r['target']:<28} {met}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--runs", type=int, default=5, help="repetitions per figure (default 5)")
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    parser.add_argument("--only", action="append", choices=GROUPS, metavar="GROUP",
                        help=f"run only this group (repeatable): {', '.join(GROUPS)}")
    parser.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        name, *rest = args.worker
        print(json.dumps(WORKERS[name](*rest)))
        return 0

    from synth import make_library

    from studyvpc import __version__, locations

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="studyvpc-bench-") as tmp_name:
        tmp = Path(tmp_name)
        bench = Bench(max(1, args.runs), tmp, verbose=not args.quiet)
        only = set(args.only or GROUPS)
        bundled = locations.bundled_content_dir()
        if only & {"startup", "load", "storage", "memory"}:
            bench.log("generating synthetic libraries")
            libraries = {n: make_library(tmp / f"lib-{n}", n) for n in SIZES}
        if "startup" in only:
            bench.startup(bundled, libraries[10_000])
        if "load" in only:
            bench.content_load(libraries)
        if "latency" in only:
            bench.latency(bundled)
        if "storage" in only:
            bench.storage(libraries[10_000])
        if "memory" in only:
            bench.memory(libraries[10_000])
        if "links" in only:
            bench.dangling_links()
        if "markdown" in only:
            bench.markdown()
        rows = bench.rows
    elapsed = time.perf_counter() - started
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip()
    meta = {"version": __version__, "commit": commit, "python": sys.version.split()[0],
            "cpus": os.cpu_count(), "runs": args.runs, "seconds": round(elapsed, 1)}
    if args.json:
        print(json.dumps({"meta": meta, "results": rows}, indent=2, ensure_ascii=False))
    else:
        print(f"studyvpc {__version__} ({commit}), Python {meta['python']}, {meta['cpus']} CPUs, "
              f"median of {args.runs}+ runs, {elapsed:.0f} s")
        print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

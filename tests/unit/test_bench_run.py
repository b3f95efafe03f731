"""The benchmark's machinery at a tiny size, so it cannot rot unnoticed: the headless driver
times a real start and a key, the baselines' workers run against the real schema and files,
and the table says met / NOT MET / not measured. Nothing here is timed against a target."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import report  # noqa: E402
import synth  # noqa: E402
import workers  # noqa: E402
from history import make_history  # noqa: E402

from studyvpc.progress.store import DB_NAME  # noqa: E402


def _headless(key: str, *target: str, decode: bool = False, ready: bool = False) -> dict:
    env = {**os.environ, "BENCH_T0": repr(time.time())}
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "headless.py"), key,
                           *(["--ready"] if ready else []), *(["--decode"] if decode else []),
                           *target],
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("BENCH ")][-1]
    return json.loads(line[6:])


def test_headless_driver_times_the_first_key_of_the_real_app(tmp_path):
    lib = synth.realistic_library(tmp_path / "lib", 61)
    got = _headless("b", "-m", "studyvpc", "--content", str(lib), decode=True)
    assert got["screen"] == "HomeScreen" and got["key_screen"] == "BrowserScreen"
    assert 0 < got["frame"] < got["key"] and got["key_ms"] > 0
    assert got["notes"] == 13 and got["rss_kib"] > 0 and got["hwm_kib"] >= got["rss_kib"]


def test_ready_waits_until_the_app_has_read_its_notes(tmp_path):
    # Served from the parsed-content cache, the app reads its notes shortly after it starts;
    # a key timed "at rest" must come after that, whatever the time it took.
    lib = synth.realistic_library(tmp_path / "lib", 61)
    app = ("-m", "studyvpc", "--content", str(lib))
    _headless("-", *app)  # writes the cache
    got = _headless("s", *app, ready=True)
    assert got["notes_read"] is True, got
    assert got["key_screen"] == "StatsScreen"
    assert 0 < got["ready_s"] < got["key"] - got["frame"]


def test_the_minimal_app_answers_the_same_key():
    got = _headless("b", str(ROOT / "benchmarks" / "minimal_app.py"))
    assert got["key_screen"] == "Browser" and "notes" not in got


def test_baseline_workers_read_the_same_files_and_the_real_schema(tmp_path):
    lib = synth.realistic_library(tmp_path / "lib", 30)
    assert workers.libyaml(str(lib)) == {"files": len(list(lib.iterdir()))}
    (tmp_path / "data").mkdir()
    make_history(tmp_path / "data", [f"q{i}" for i in range(20)], 500, days=30)
    assert len(workers.sql(str(tmp_path / "data" / DB_NAME), "2")["ms"]) == 2


def test_rows_say_whether_each_target_is_met():
    rows = report.Rows(lambda _: None)
    rows.add("g", "fast", [10, 12, 11], "ms", [10], "base", ("≤ 1.5× baseline",
                                                               lambda v, b: v <= 1.5 * b))
    rows.add("g", "slow", [40], "ms", [10], "base", ("≤ 1.5× baseline", lambda v, b: v <= 1.5 * b))
    rows.missing("h", "through a terminal", "≤ 33 ms", "needs the driver")
    assert [r["met"] for r in rows.rows] == [True, False, None]
    assert rows.find("g", "fast")["value"] == 11 and rows.find("g", "slow")["ratio"] == 4
    text = report.table(rows.rows)
    assert "NOT MET" in text and " met " in text and "not measured yet" in text
    assert rows.rows[2]["value"] is None  # never a number for what was not measured


def test_peak_memory_of_a_command_is_its_own_not_its_parents():
    ballast = bytearray(300 * 2**20)  # a big parent: its peak must not be charged to the child
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "workers.py"), "rss", "-m",
                           "studyvpc", "--version"], capture_output=True, text=True, timeout=60)
    del ballast
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout.strip().splitlines()[-1][7:])
    assert got["code"] == 0 and 0 < got["peak_kib"] < 150 * 1024

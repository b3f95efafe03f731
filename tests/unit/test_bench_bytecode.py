"""The benchmark's processes may write bytecode caches: a process that compiled studyvpc's
source at every start would be timed against a minimal app whose Textual comes compiled, and
a learner's installed package is compiled once, when installed."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import run  # noqa: E402


def test_processes_measured_may_write_bytecode(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    bench = run.Bench(tmp_path, runs=1, verbose=False)
    assert "PYTHONDONTWRITEBYTECODE" not in bench.env
    assert bench.env["STUDYVPC_DATA_DIR"] == str(tmp_path / "data")  # the rest is kept

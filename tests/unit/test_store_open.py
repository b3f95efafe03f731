"""Opening the progress store reads what it needs, not the whole history (not timed).

Every page is checked (``PRAGMA quick_check``) only when the file may have been damaged since
it was last found whole: no seal from a clean close, files changed since, or a day gone by.
"""

from __future__ import annotations

import json
import re
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from studyvpc.progress.store import CorruptDatabase, ProgressStore, QuestionIndex
from studyvpc.progress.store import seal as seal_module

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from history import make_history  # noqa: E402

END = datetime(2026, 6, 1, 18, tzinfo=timezone.utc)
IDS = [f"q-{i:03d}" for i in range(150)]


def bytes_read() -> int:
    """Bytes this process has read through read()/pread() so far (SQLite reads pages so)."""
    with open("/proc/self/io", encoding="ascii") as f:
        return int(next(line for line in f if line.startswith("rchar:")).split()[1])


class Statements:
    """Every statement SQLite runs on connections opened while installed."""

    def __init__(self, monkeypatch) -> None:
        self.sql: list[str] = []
        real = sqlite3.connect

        def connect(*args, **kwargs):
            conn = real(*args, **kwargs)
            conn.set_trace_callback(self.sql.append)
            return conn

        monkeypatch.setattr(sqlite3, "connect", connect)

    def checks(self) -> list[str]:
        return [s for s in self.sql if "quick_check" in s or "integrity_check" in s]


@pytest.fixture(scope="module")
def histories(tmp_path_factory):
    small = tmp_path_factory.mktemp("small")
    large = tmp_path_factory.mktemp("large")
    make_history(small, IDS, 2_000, days=200, end=END)
    make_history(large, IDS, 20_000, days=200, end=END)
    return small, large


def open_cost(data_dir: Path) -> int:
    before = bytes_read()
    store = ProgressStore.open(data_dir)
    cost = bytes_read() - before
    store.close()
    return cost


@pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="needs Linux's /proc/self/io")
def test_opening_a_sealed_store_reads_the_same_whatever_the_history(histories):
    small, large = histories
    assert (large / "progress.sqlite3").stat().st_size > 5 * (small / "progress.sqlite3").stat().st_size
    # Twice each: the second is what every later start costs (the first may migrate).
    small_cost = min(open_cost(small), open_cost(small))
    large_cost = min(open_cost(large), open_cost(large))
    assert large_cost <= small_cost * 1.2 + 64 * 1024, (small_cost, large_cost)
    assert large_cost < (large / "progress.sqlite3").stat().st_size / 10


def test_a_sealed_store_opens_without_checking_every_page(histories, monkeypatch):
    _small, large = histories
    ProgressStore.open(large).close()
    trace = Statements(monkeypatch)
    with ProgressStore.open(large):
        pass
    assert trace.sql, "the trace sees the store's statements"
    assert trace.checks() == []


def test_a_store_never_closed_cleanly_is_checked(tmp_path, monkeypatch):
    """A process killed while it had the file open leaves no matching seal."""
    make_history(tmp_path, IDS, 300, days=20, end=END)
    script = ("import os, sys\nfrom studyvpc.progress.store import ProgressStore\n"
              "s = ProgressStore.open(sys.argv[1])\n"
              "s.record_attempt('q-001', 'h', ['A'], True, time_ms=5, mode='practice')\n"
              "os._exit(0)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, env=env)
    trace = Statements(monkeypatch)
    with ProgressStore.open(tmp_path) as store:
        assert store.attempt_count() > 0
    assert len(trace.checks()) == 1
    trace.sql.clear()
    with ProgressStore.open(tmp_path):  # closed cleanly since
        pass
    assert trace.checks() == []


def test_a_sealed_store_is_checked_again_after_a_day(tmp_path, monkeypatch):
    make_history(tmp_path, IDS, 300, days=20, end=END)
    seal_file = seal_module.seal_path(tmp_path / "progress.sqlite3")
    data = json.loads(seal_file.read_text())
    data["checked"] = (datetime.now(timezone.utc) - timedelta(days=1, minutes=1)).isoformat()
    seal_file.write_text(json.dumps(data))
    trace = Statements(monkeypatch)
    ProgressStore.open(tmp_path).close()
    assert len(trace.checks()) == 1
    trace.sql.clear()
    ProgressStore.open(tmp_path).close()  # the check just made is recorded in the new seal
    assert trace.checks() == []


def test_a_file_changed_behind_the_stores_back_is_checked_and_refused(tmp_path):
    make_history(tmp_path, IDS, 3_000, days=60, end=END)
    path = tmp_path / "progress.sqlite3"
    assert seal_module.seal_path(path).exists()
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(3 * page, len(data), 2 * page):
        data[start:start + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(CorruptDatabase):
        ProgressStore.open(tmp_path)
    assert path.read_bytes() == before
    assert not seal_module.seal_path(path).exists(), "damage seen: nothing vouches for the file"


def test_a_seal_that_cannot_be_read_means_a_check(tmp_path, monkeypatch):
    make_history(tmp_path, IDS, 300, days=20, end=END)
    seal_module.seal_path(tmp_path / "progress.sqlite3").write_text("{not json")
    trace = Statements(monkeypatch)
    ProgressStore.open(tmp_path).close()
    assert len(trace.checks()) == 1


class Steps:
    """SQLite virtual-machine steps (in hundreds) on connections opened while installed."""

    def __init__(self, monkeypatch) -> None:
        self.count = 0
        real = sqlite3.connect

        def tick() -> int:
            self.count += 1
            return 0

        def connect(*args, **kwargs):
            conn = real(*args, **kwargs)
            conn.set_progress_handler(tick, 100)
            return conn

        monkeypatch.setattr(sqlite3, "connect", connect)


def read_costs(data_dir: Path, monkeypatch) -> tuple[int, int]:
    """(steps for what home shows, steps for the statistics) on the store of ``data_dir``."""
    from studyvpc.progress.store.history import last_session_result
    from studyvpc.progress.store.stats import compute_stats

    steps = Steps(monkeypatch)
    index = QuestionIndex({q: ("tag",) for q in IDS}, {q: "note" for q in IDS})
    with ProgressStore.open(data_dir) as store:
        steps.count = 0
        assert last_session_result(store) is not None
        store.due_count(END), store.next_due(END)
        home = steps.count
        steps.count = 0
        compute_stats(store, index, now=END)
        return home, steps.count


def test_home_and_statistics_read_totals_not_every_attempt(histories, monkeypatch):
    small, large = histories
    home_small, stats_small = read_costs(small, monkeypatch)
    home_large, stats_large = read_costs(large, monkeypatch)
    assert home_large <= home_small * 1.2 + 20, (home_small, home_large)
    assert stats_large <= stats_small * 1.2 + 20, (stats_small, stats_large)
    trace = Statements(monkeypatch)
    read_costs(large, monkeypatch)
    assert trace.sql and not [s for s in trace.sql if re.search(r"\b(FROM|JOIN) attempts\b", s)]

"""What benchmarks/run.py spends its time on: each size's parsed-content cache written once per
run (by a cold start it measures anyway, where there is one) and shared by every group, long
figures measured once, and the time each group took in the report. The processes are replaced
by a recorder here: the plan is checked, not the app (test_bench_run.py runs the real ones)."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench  # noqa: E402
import report  # noqa: E402
import run  # noqa: E402


class Recorded(run.Bench):
    """A Bench whose app processes are recorded instead of run."""

    def __init__(self, tmp: Path, quick: bool = False) -> None:
        super().__init__(tmp, runs=3, verbose=False, quick=quick)
        self.calls: list[tuple[str, str, str, bool]] = []  # key, what ran, cache, decode

    def headless(self, key, target, env=None, decode=False, ready=False, hold=False) -> dict:
        cache = (env or self.env)["STUDYVPC_CACHE_DIR"]
        if target[0] == "-m":  # the app writes its cache on a miss
            Path(cache).mkdir(parents=True, exist_ok=True)
        what = Path(target[target.index("--content") + 1]).name if "--content" in target \
            else "minimal"
        self.calls.append((key, what, cache, decode))
        return {"frame": 0.2, "key": 0.3, "key_ms": 40.0, "rss_kib": 60_000, "hwm_kib": 70_000,
                "held_rss_kib": 80_000}


@pytest.fixture
def libraries(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "synth"))
    monkeypatch.setattr(run, "TARGET_SIZE", 70)
    return tmp_path


def _writes(rec: Recorded, name: str) -> list[tuple]:
    """The unmeasured starts that only wrote ``name``'s cache."""
    return [c for c in rec.calls if c[0] == "-" and c[1] == name]


def _bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_cold_starts_write_the_cache_every_later_start_reads(libraries):
    shared = {size: run.synth.cached_library(size) for size in (65, 70)}
    before = {size: _bytes(lib) for size, lib in shared.items()}
    rec = Recorded(libraries / "run")
    rec.usable((65, 70))
    for size, lib in shared.items():
        work = rec.content(size)  # this run's copy: what every group measures from now on
        assert work != lib and _bytes(lib) == before[size]  # the shared one is never edited
        assert _bytes(work) != before[size]  # the "one note edited" starts edited the copy
        ran = [c for c in rec.calls if c[1] == work.name]
        assert not [c for c in rec.calls if c[1] == lib.name]
        firsts = [c[2] for c in ran if c[0] == "b" and not c[3]]  # cold, then edited starts
        runs = 3 if size == 70 else 1  # 70: the target size here
        cold = firsts[:runs]
        assert len(set(cold)) == runs  # each cold start: an empty cache folder
        assert {c[2] for c in ran} == set(cold)  # every other start: the first one's cache
        assert [c[2] for c in ran if c[2] != cold[0]] == cold[1:]
        assert _writes(rec, work.name) == []  # no start only to write a cache
        assert Path(cold[0]).is_dir() and all(not Path(c).exists() for c in cold[1:])
        assert len(firsts) == 2 * runs  # as many "one note edited" starts
        warm = [c for c in ran if c[0] == "b" and c[3]]
        assert len(warm) == runs
    n = len(rec.calls)
    cache = rec.cache(rec.content(70))  # another group asks for it: no start
    assert len(rec.calls) == n and cache == Path(cold[0])


def test_a_cache_no_cold_start_wrote_is_written_once_for_every_group(libraries):
    rec = Recorded(libraries / "run", quick=True)  # --quick: no cold start below the target
    rec.usable((65,))
    lib = run.synth.cached_library(65)
    assert len(_writes(rec, lib.name)) == 1
    for _ in range(3):
        rec.cache(lib)
    assert len(_writes(rec, lib.name)) == 1


def test_a_figure_costing_many_cpu_seconds_is_measured_once_and_says_so(monkeypatch):
    clock = [0.0]  # CPU seconds of the processes run so far
    monkeypatch.setattr(bench.Bench, "cpu_seconds", staticmethod(lambda: clock[0]))

    def costing(cpu: float, value: float):
        def measure() -> float:
            clock[0] += cpu
            return value
        return measure

    base: list[int] = []
    slow, note = bench.Bench.repeat(costing(bench.LONG_S, 9.0), 3, lambda: base.append(1))
    assert slow == [9.0] and base == [1] and note == bench.ONE_RUN
    fast, note = bench.Bench.repeat(costing(bench.LONG_S / 2, 1.0), 3, lambda: base.append(1))
    assert fast == [1.0] * 3 and base == [1] * 4 and note == ""


def test_a_long_wait_is_not_a_long_figure(monkeypatch):
    # On a busy machine a cheap run takes long: it is still measured as often as asked.
    monkeypatch.setattr(bench, "LONG_S", 0.2)
    runs, note = bench.Bench.repeat(lambda: time.sleep(0.3) or 1.0, 3)
    assert runs == [1.0] * 3 and note == ""


def test_the_header_gives_each_groups_time_and_the_preparation_apart():
    meta = {"version": "1", "commit": "abc", "python": "3.11", "cpus": 2, "runs": 3,
            "quick": False, "seconds": 130.0, "prepared_s": 30.0, "measured_s": 100.0,
            "long_s": 5.0, "group_s": {"usable": 60.0, "answer": 40.0},
            "group_cpu_s": {"usable": 50.0, "answer": 20.0},
            "load_average": [1.0, 1.0, 1.0], "load_average_start": [0.5, 0.5, 0.5]}
    text = report.header(meta)
    assert "measured in 100 s" in text and "usable 60 s (50 s CPU)" in text
    assert "answer 40 s (20 s CPU)" in text and "30 s preparing" in text


def test_the_terminal_quiz_answers_a_dozen_questions_per_size_not_more():
    import ptyrows

    assert ptyrows.answers(3) == 12 and ptyrows.answers(1) == 6


def test_quick_makes_no_one_note_edited_start(libraries):
    # --quick: the cold start at the target size is measured, the edited starts (no target of
    # their own) are not; the run's copy of the library is left as it was copied.
    lib = run.synth.cached_library(70)
    before = _bytes(lib)
    rec = Recorded(libraries / "run", quick=True)
    rec.usable((70,))
    work = rec.content(70)
    assert work != lib and _bytes(work) == before
    assert not [row for row in rec.rows.rows if "one note edited" in str(row)]

"""Export and import stream: memory stays the same whatever the history's size (not timed).

The export reads the store in batches and writes them as they come; the import reads the file
a chunk at a time and merges the rows in batches inside one transaction. Peaks are measured
with tracemalloc (Python's allocations: every record and row built on the way).
"""

from __future__ import annotations

import json
import sys
import tracemalloc
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.json_members import members_read

from studyvpc.interop import json_stream
from studyvpc.interop.progress_json import export_dict, export_json, import_json
from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.store import ImportFormatError, ProgressStore, QuestionIndex
from studyvpc.progress.store import transfer
from studyvpc.progress.store.stats import compute_stats

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from history import make_history  # noqa: E402

END = datetime(2026, 6, 1, 18, tzinfo=timezone.utc)
IDS = [f"q-{i:03d}" for i in range(150)]


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """(data dir, export file) for a small and a ten times larger history."""
    out = []
    for n in (2_000, 20_000):
        data = tmp_path_factory.mktemp(f"history{n}")
        make_history(data, IDS, n, days=200, end=END)
        with ProgressStore.open(data) as store:
            path = export_json(store, data.parent / f"export{n}.json", now=END)
        out.append((data, path))
    return out


def peak(action) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_an_export_reads_the_store_in_batches(exports):
    data, _ = exports[1]
    with ProgressStore.open(data) as store:
        with store.export_reader() as batches:
            sizes = [len(b) for b in batches("attempts")]
    assert sum(sizes) == 20_000
    assert max(sizes) == transfer.EXPORT_BATCH and len(sizes) == -(-20_000 // transfer.EXPORT_BATCH)


def test_export_memory_does_not_grow_with_the_history(exports, tmp_path, default_collector):
    peaks = []
    for data, _ in exports:
        with ProgressStore.open(data) as store:
            target = tmp_path / f"{data.name}.json"
            peaks.append(peak(lambda: export_json(store, target, now=END)))
    small, large = peaks
    assert large <= small * 1.5 + 256 * 1024, (small, large)


def test_import_memory_does_not_grow_with_the_file(exports, tmp_path, default_collector):
    peaks = []
    for n, (_, path) in enumerate(exports):
        with ProgressStore.open(tmp_path / f"into{n}") as store:
            peaks.append(peak(lambda: import_json(ReviewScheduler(store), path)))
    small, large = peaks
    assert exports[1][1].stat().st_size > 5 * exports[0][1].stat().st_size
    assert large <= small * 1.5 + 256 * 1024, (small, large)


def test_an_export_round_trips_whole(exports, tmp_path, monkeypatch):
    data, path = exports[0]
    monkeypatch.setattr(json_stream, "CHUNK", 997)  # values cut by chunk ends, everywhere
    with ProgressStore.open(data) as source, ProgressStore.open(tmp_path) as copy:
        result = import_json(ReviewScheduler(copy), path)
        assert result.attempts_added == 2_000 and result.attempts_skipped == 0
        assert json.loads(path.read_text(encoding="utf-8")) == export_dict(source, now=END)
        assert export_dict(copy, now=END) == export_dict(source, now=END)
        index = QuestionIndex({q: ("t",) for q in IDS}, {q: "n" for q in IDS})
        assert compute_stats(copy, index, now=END) == compute_stats(source, index, now=END)
        again = import_json(ReviewScheduler(copy), path)
        assert again.attempts_added == 0 and again.attempts_skipped == 2_000


def test_a_bad_last_record_leaves_nothing_changed(exports, tmp_path):
    _, path = exports[0]
    data = json.loads(path.read_text(encoding="utf-8"))
    data["exams"].append({"session_id": "x", "pass_mark": 7, "time_limit_s": 1, "time_used_s": 1})
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, indent=1), encoding="utf-8")
    with ProgressStore.open(tmp_path / "d") as store:
        with pytest.raises(ImportFormatError, match=r"exams\[\d+\] is malformed: pass_mark"):
            import_json(ReviewScheduler(store), bad)
        assert store.attempt_count() == 0 and store.sessions() == [] and store.cards() == []


def test_a_newer_export_is_refused_before_its_records_are_read(tmp_path):
    bad = tmp_path / "newer.json"
    bad.write_text('{"format": "studyvpc-progress", "version": 99, "attempts": [1]}')
    with ProgressStore.open(tmp_path / "d") as store:
        with pytest.raises(ImportFormatError, match="newer studyvpc"):
            import_json(ReviewScheduler(store), bad)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=4),
    max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "b", "c", "é", "d\n"]), json_values, max_size=5),
       st.integers(1, 40), st.sampled_from([None, 1, 3]))
def test_members_read_a_chunk_at_a_time_are_what_json_reads(doc, chunk, indent):
    """Any object, cut into any chunks: the members (streamed arrays element by element)
    are what ``json.loads`` gives."""
    text = json.dumps(doc, indent=indent, ensure_ascii=False)
    got = members_read(text, chunk, frozenset({"a", "b"}))
    assert got == json.loads(text)

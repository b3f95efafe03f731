"""An import reads an export's records a run of lines at a time, each run decoded and checked
at once, and finds exactly what reading and checking one record at a time finds: the same rows,
the same refusals, located the same way (not timed)."""

from __future__ import annotations

import copy
import json
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from support.json_members import members_read

from studyvpc.interop import json_stream, progress_batches, progress_json
from studyvpc.interop.progress_batches import check_run
from studyvpc.interop.progress_json import export_dict, export_json, import_json
from studyvpc.interop.progress_rows import ROWS, check_record
from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.store import ImportFormatError, ProgressStore

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from history import make_history  # noqa: E402

END = datetime(2026, 6, 1, 18, tzinfo=timezone.utc)
SOURCE = "export.json"


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    data = tmp_path_factory.mktemp("history")
    make_history(data, [f"q-{i:03d}" for i in range(80)], 6_000, days=120, end=END)
    with ProgressStore.open(data) as store:
        path = export_json(store, data.parent / "export.json", now=END)
        whole = export_dict(store, now=END)
    return path, whole


def members(path: Path) -> list[tuple[str, str, object]]:
    with open(path, "rb") as f:
        return list(json_stream.object_members(f, frozenset(ROWS), max_bytes=2**32,
                                               max_value=2**20))


def test_an_exports_records_come_in_runs(export):
    path, whole = export
    got = members(path)
    singles = [m for m in got if m[1] == json_stream.ELEMENT]
    runs = [m for m in got if m[1] == json_stream.ELEMENTS]
    assert len(singles) <= 2 * len(ROWS), "one record a line is read a run at a time"
    assert sum(len(json.loads(text)) for _, _, text in runs) > 0.99 * sum(
        len(whole[t]) for t in ROWS)


def test_a_normal_import_checks_no_attempt_or_review_one_by_one(export, tmp_path, monkeypatch):
    path, _ = export
    seen: list[str] = []

    def counting(table, i, record, source):
        seen.append(table)
        return check_record(table, i, record, source)

    monkeypatch.setattr(progress_json, "check_record", counting)
    monkeypatch.setattr(progress_batches, "check_record", counting)
    with ProgressStore.open(tmp_path / "d") as store:
        result = import_json(ReviewScheduler(store), path)
    assert result.attempts_added == 6_000
    assert seen.count("attempts") + seen.count("review_logs") <= 4


def test_runs_import_what_records_one_by_one_import(export, tmp_path, monkeypatch):
    path, whole = export
    with ProgressStore.open(tmp_path / "runs") as fast:
        import_json(ReviewScheduler(fast), path)
        got = export_dict(fast, now=END)
    monkeypatch.setattr(json_stream._Text, "run", lambda self, max_value: None)
    with ProgressStore.open(tmp_path / "singles") as slow:
        import_json(ReviewScheduler(slow), path)
        expected = export_dict(slow, now=END)
    assert got == expected == whole


def broken(path: Path, tmp_path: Path, old: str, new: str, nth: int) -> tuple[Path, int, int]:
    """The export with the ``nth`` ``old`` replaced by ``new``; its line and column (from 1)."""
    text = path.read_text(encoding="utf-8")
    at = -1
    for _ in range(nth):
        at = text.index(old, at + 1)
    bad = tmp_path / "bad.json"
    bad.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    line = text.count("\n", 0, at) + 1
    return bad, line, at - text.rfind("\n", 0, at)


def test_bad_json_inside_a_run_is_located_by_line_and_column(export, tmp_path):
    path, _ = export
    bad, line, column = broken(path, tmp_path, '"time_ms": ', '"time_ms": +', 3_000)
    with ProgressStore.open(tmp_path / "d") as store:
        with pytest.raises(ImportFormatError) as caught:
            import_json(ReviewScheduler(store), bad)
        assert store.attempt_count() == 0
    message = str(caught.value)
    assert message.startswith(f"{bad}:{line}:") and "not JSON" in message
    assert int(message.split(":")[2]) == column + len('"time_ms": ')


def test_a_bad_record_inside_a_run_is_named(export, tmp_path):
    path, _ = export
    bad, _, _ = broken(path, tmp_path, '"rating": 3', '"rating": 7', 2_500)
    with ProgressStore.open(tmp_path / "d") as store:
        with pytest.raises(ImportFormatError,
                           match=r"review_logs\[\d+\] is malformed: rating must be 1-4, not 7"):
            import_json(ReviewScheduler(store), bad)
        assert store.attempt_count() == 0


ATTEMPT = {"uuid": "u1", "question_id": "q1", "content_hash": "h", "chosen": ["A", "C"],
           "correct": True, "time_ms": 1200, "mode": "practice", "session_id": "s1",
           "answered_at": "2025-03-01T09:15:00.000000+00:00", "day": "2025-03-01",
           "skipped": False}
LOG = {"uuid": "r1", "question_id": "q1", "attempt_uuid": "u1", "rating": 3,
       "reviewed_at": "2025-03-01T09:15:00.000000+00:00", "duration_ms": 1200,
       "card_before": {"card_id": 7, "state": 2, "stability": 3.5, "due": "2025-03-01"},
       "card_after": {"card_id": 7, "state": 2, "stability": 9.25, "due": "2025-03-09"}}
ODD = [None, True, False, 0, -1, 7, 2**53, 2**53 + 1, 2**64, 1.5, 1e16, "", "x", "é",
       "2025-03-01", "2025-03-01T09:15:00+02:00", "2025-02-30T09:15:00.000000+00:00",
       "2025-03-01 09:15:00.000000+00:00", "20250301", "exam", "drill", [], ["A"], [1],
       {}, {"due": None}, {"due": "x", "é": "\u2028"}, {"due": 1, "due ": [1e-7]}]


def outcome(fn):
    try:
        return fn()
    except ImportFormatError as e:
        return str(e)


JSON_COLUMNS = {"attempts": (3,), "review_logs": (6, 7)}


def normalized(table, rows):
    """Rows with their JSON columns decoded: the cards' JSON is msgspec's spelling on one
    path and ``json``'s on the other."""
    return [tuple(json.loads(v) if n in JSON_COLUMNS[table] and v is not None else v
                  for n, v in enumerate(row)) for row in rows]


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(["attempts", "review_logs"]), st.data())
def test_a_run_is_checked_as_its_records_are_one_by_one(table, data):
    base = ATTEMPT if table == "attempts" else LOG
    records = []
    for n in range(data.draw(st.integers(1, 3))):
        record = copy.deepcopy(base)
        record["uuid"] = f"u{n}"
        for key in data.draw(st.lists(st.sampled_from(sorted(base)), max_size=2)):
            if data.draw(st.booleans()):
                record.pop(key, None)
            else:
                record[key] = data.draw(st.sampled_from(ODD))
        records.append(record)
    text = json.dumps(records)
    run = outcome(lambda: normalized(table, check_run(table, 5, text, SOURCE)))
    one_by_one = outcome(lambda: normalized(table,
        [check_record(table, 5 + n, r, SOURCE) for n, r in enumerate(records)]))
    assert run == one_by_one


def layout(doc: dict, style: str) -> str:
    if style == "lines":  # as an export writes it: one element a line
        return "{\n" + ",\n".join(
            f" {json.dumps(k)}: " + ("[\n  " + ",\n  ".join(json.dumps(e) for e in v) + "\n ]"
                                     if isinstance(v, list) and v else json.dumps(v))
            for k, v in doc.items()) + "\n}\n"
    return json.dumps(doc, indent=None if style == "flat" else int(style), ensure_ascii=False)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_infinity=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=4),
    max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["a", "b", "c"]), st.lists(json_values, max_size=6)),
       st.integers(1, 60), st.sampled_from(["lines", "flat", "1", "2"]))
def test_runs_read_in_any_chunks_are_what_json_reads(doc, chunk, style):
    text = layout(doc, style)
    got = members_read(text, chunk, frozenset({"a", "b"}))
    assert json.dumps(got, sort_keys=True) == json.dumps(json.loads(text), sort_keys=True)

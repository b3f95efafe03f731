"""An export encodes each batch of rows at once (msgspec), copying the stored JSON columns as
they are, and writes exactly the bytes the record-by-record encoder wrote: a file exported now
reads as one exported before, and as the previous version expects (not timed)."""

from __future__ import annotations

import json
import sqlite3
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from studyvpc.interop import progress_rows
from studyvpc.interop.progress_json import export_dict, export_json
from studyvpc.interop.progress_rows import RECORD_SEPARATOR, ROWS, export_lines, export_record
from studyvpc.progress.store import DB_NAME, ProgressStore

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from history import make_history  # noqa: E402

END = datetime(2026, 6, 1, 18, tzinfo=timezone.utc)
HOSTILE = json.loads((ROOT / "tests/fixtures/shared/fixtures/hostile-strings.json")
                     .read_text(encoding="utf-8"))


def strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    return [s for item in items for s in strings(item)]


def reference(table: str, rows) -> bytes:
    """How each batch was written before: every record decoded, then encoded by ``json``."""
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    return RECORD_SEPARATOR.join(dumps(export_record(table, r)) for r in rows).encode()


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    data = tmp_path_factory.mktemp("history")
    make_history(data, [f"q-{i:03d}" for i in range(60)], 3_000, days=90, end=END)
    conn = sqlite3.connect(data / DB_NAME, isolation_level=None)
    texts = [s for s in strings(HOSTILE) if s] + ["\u2028\u2029", "\x7f", "é\U0001F600"]
    for n, text in enumerate(texts):  # every kind of text a record can carry
        conn.execute("UPDATE attempts SET question_id = ?, content_hash = ?, chosen = ?"
                     " WHERE rowid = ?", (text, text, json.dumps([text, "B"]), n + 1))
        conn.execute("UPDATE sessions SET scope = ? WHERE rowid = ?", (text, n + 1))
    conn.close()
    return data


def test_each_batch_is_byte_for_byte_what_the_record_encoder_wrote(history):
    with ProgressStore.open(history) as store:
        with store.export_reader() as batches:
            for table in ROWS:
                for batch in batches(table):
                    assert export_lines(table, batch) == reference(table, batch), table


def test_an_export_decodes_no_stored_json(tmp_path, monkeypatch):
    """The cards and chosen options are copied as stored: decoding and encoding them again, a
    few million times, was most of an export's time."""
    def refuse(*args, **kwargs):
        raise AssertionError("stored JSON decoded")

    make_history(tmp_path / "d", ["q1", "q2", "q3"], 500, days=30, end=END)
    with ProgressStore.open(tmp_path / "d") as store:
        expected = export_dict(store, now=END)
        monkeypatch.setattr(progress_rows.json, "loads", refuse)
        path = export_json(store, tmp_path / "out.json", now=END)
    monkeypatch.undo()
    assert json.loads(path.read_text(encoding="utf-8")) == expected


def test_stored_json_that_is_not_strict_is_written_as_before(tmp_path):
    """``NaN`` in a stored card is not JSON to msgspec; that batch is written by ``json``."""
    with ProgressStore.open(tmp_path / "d") as store:
        store.record_attempt("q1", "h", ["A"], True, time_ms=1000, mode="practice")
    conn = sqlite3.connect(tmp_path / "d" / DB_NAME, isolation_level=None)
    conn.execute("INSERT INTO cards (question_id, card, due, last_review, reviews)"
                 " VALUES ('q1', '{\"due\": \"x\", \"stability\": NaN}',"
                 " '2026-01-01T00:00:00.000000+00:00', NULL, 0)")
    conn.close()
    with ProgressStore.open(tmp_path / "d") as store:
        rows = store.export_rows()
    assert export_lines("cards", rows.cards) == reference("cards", rows.cards)
    assert b"NaN" in export_lines("cards", rows.cards)

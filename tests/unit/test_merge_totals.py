"""A merge (an import) adds its rows' totals once, grouped, with the per-row insert triggers
dropped inside its transaction: the totals still equal a recomputation, and no other connection
ever sees the database without its triggers."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from studyvpc.interop.progress_json import export_json, import_json
from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.store import ProgressStore, schema, transfer
from studyvpc.progress.store.schema import iso_utc
from studyvpc.progress.store.transfer import INSERT_TRIGGERS, MERGE_CACHE_KIB

T0 = datetime(2026, 3, 1, 8, tzinfo=timezone.utc)
TRIGGERS = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"


def study(store: ProgressStore, qids: list[str], start: int) -> None:
    scheduler = ReviewScheduler(store, enable_fuzzing=False)
    for n in range(24):
        scheduler.answer(qids[n % len(qids)], "h", ["A"], n % 4 != 0, time_ms=1000 + n,
                         mode="review" if n % 3 else "practice",
                         now=T0 + timedelta(days=start + n // 3, minutes=n))


def totals_agree(store: ProgressStore) -> None:
    for table, select in schema.RECOMPUTE_TOTALS:
        assert sorted(store.fetchall(f"SELECT * FROM {table}")) == sorted(store.fetchall(select))
    kept = store.fetchall("SELECT * FROM review_days WHERE reviews != 0 OR recalled != 0")
    assert sorted(kept) == sorted(store.fetchall(schema.RECOMPUTE_REVIEW_DAYS))


def test_an_import_into_a_store_with_its_own_history_keeps_every_total(tmp_path):
    with ProgressStore.open(tmp_path / "a") as a:
        study(a, ["q1", "q2", "q3"], 0)
        export = export_json(a, tmp_path / "a.json")
    with ProgressStore.open(tmp_path / "b") as b:
        study(b, ["q2", "q3", "q4"], 5)
        triggers = b.fetchall(TRIGGERS)
        assert {name for name, _ in triggers} >= set(INSERT_TRIGGERS)
        result = import_json(ReviewScheduler(b), export)
        assert result.attempts_added == 24 and result.needs_replay == {"q2", "q3"}
        totals_agree(b)
        assert b.fetchall(TRIGGERS) == triggers  # the same triggers, back as they were
        assert import_json(ReviewScheduler(b), export).attempts_added == 0
        totals_agree(b)
        study(b, ["q1", "q5"], 20)  # the triggers count the answers after it again
        totals_agree(b)
        counts = b.fetchall("SELECT question_id, reviews FROM cards ORDER BY question_id")
        assert counts == b.fetchall("SELECT question_id, COUNT(*) FROM review_logs"
                                    " GROUP BY question_id ORDER BY question_id")


def test_other_connections_never_see_the_store_without_its_triggers(tmp_path):
    with ProgressStore.open(tmp_path) as store:
        study(store, ["q1", "q2"], 0)
        triggers = store.fetchall(TRIGGERS)
        before = store.fetchall("SELECT * FROM question_totals ORDER BY question_id")
        other = sqlite3.connect(store.path, isolation_level=None)
        row = ("new", "q1", "h", '["A"]', 1, 5, "practice", None, iso_utc(T0), "2026-03-01", 0)
        with pytest.raises(RuntimeError):
            with store.merging() as merge:
                merge.add("attempts", [row])
                # Dropped inside the merge's transaction, but not for anyone else.
                assert other.execute(TRIGGERS).fetchall() == triggers
                assert other.execute("SELECT COUNT(*) FROM attempts WHERE uuid = 'new'"
                                     ).fetchall() == [(0,)]
                raise RuntimeError("a bad record")
        assert store.fetchall(TRIGGERS) == triggers == other.execute(TRIGGERS).fetchall()
        assert store.fetchall("SELECT * FROM question_totals ORDER BY question_id") == before
        with store.merging() as merge:
            merge.add("attempts", [row])
        assert other.execute(TRIGGERS).fetchall() == triggers
        other.close()
        totals_agree(store)


def test_a_merge_gives_the_connection_its_own_cache_size_back(tmp_path):
    with ProgressStore.open(tmp_path) as store:
        before = store.fetchall("PRAGMA cache_size")
        with store.merging() as merge:
            assert store.fetchall("PRAGMA cache_size") == [(-MERGE_CACHE_KIB,)] != before
            merge.add("sessions", [("s", "practice", "", iso_utc(T0), None)])
        assert store.fetchall("PRAGMA cache_size") == before


INDEXES = "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"


def test_a_bulk_merge_builds_the_question_indexes_again_instead_of_filling_them(
        tmp_path, monkeypatch):
    """Past `BULK_ROWS` (and the rows already there) the merge drops the indexes of attempts
    and review logs but their ids', inside its transaction, and builds them again at the end:
    the same indexes, the same totals, and nobody else ever sees them gone."""
    with ProgressStore.open(tmp_path / "a") as a:
        study(a, ["q1", "q2", "q3"], 0)
        export = export_json(a, tmp_path / "a.json")
    monkeypatch.setattr(transfer, "BULK_ROWS", 10)
    with ProgressStore.open(tmp_path / "b") as b:
        indexes = b.fetchall(INDEXES)
        other = sqlite3.connect(b.path, isolation_level=None)
        with ProgressStore.open(tmp_path / "a") as a:
            rows = a.export_rows()
        with b.merging() as merge:
            merge.add("attempts", rows.attempts[:5])
            assert b.fetchall(INDEXES) == indexes  # not yet bulk
            merge.add("attempts", rows.attempts[5:])
            inside = {name for name, _ in b.fetchall(INDEXES)}
            assert "attempts_question" not in inside and "review_logs_question" not in inside
            assert any(name.startswith("sqlite_autoindex_attempts") for name in inside)
            assert other.execute(INDEXES).fetchall() == indexes
            merge.add("review_logs", rows.review_logs)
        assert b.fetchall(INDEXES) == indexes == other.execute(INDEXES).fetchall()
        other.close()
        totals_agree(b)
        assert b.fetchall("PRAGMA integrity_check") == [("ok",)]
        assert import_json(ReviewScheduler(b), export).attempts_added == 0


def test_a_small_merge_into_a_larger_store_keeps_its_indexes(tmp_path, monkeypatch):
    monkeypatch.setattr(transfer, "BULK_ROWS", 10)
    with ProgressStore.open(tmp_path / "a") as a:
        study(a, ["q1", "q2", "q3"], 0)
        rows = a.export_rows()
    with ProgressStore.open(tmp_path / "b") as b:
        study(b, ["q2", "q3", "q4"], 5)
        study(b, ["q5", "q6"], 9)
        indexes = b.fetchall(INDEXES)
        with b.merging() as merge:
            merge.add("attempts", rows.attempts[:20])  # fewer than the 48 there
            assert b.fetchall(INDEXES) == indexes


def test_the_totals_of_a_merge_read_its_new_rows_in_table_order(tmp_path):
    """Through an index by question, SQLite would look up each new row at a scattered place in
    the table; the new rows are a rowid range, read in order."""
    with ProgressStore.open(tmp_path) as store:
        study(store, ["q1", "q2"], 0)
        for statements in transfer.TOTALS_OF_NEW.values():
            for statement in statements:
                select = statement[statement.index("SELECT"):statement.index(" ON CONFLICT")]
                plan = [r[3] for r in store.fetchall(f"EXPLAIN QUERY PLAN {select}",
                                                     {"after": 0})]
                assert any("INTEGER PRIMARY KEY (rowid>?)" in p for p in plan), plan


def test_an_import_into_an_empty_store_counts_each_cards_reviews_from_the_logs(tmp_path):
    import json

    with ProgressStore.open(tmp_path / "a") as a:
        study(a, ["q1", "q2", "q3"], 0)
        export = export_json(a, tmp_path / "a.json")
    doc = json.loads(export.read_text(encoding="utf-8"))
    for card in doc["cards"]:
        card["reviews"] = 99  # a count the file's logs do not bear out
    export.write_text(json.dumps(doc), encoding="utf-8")
    with ProgressStore.open(tmp_path / "b") as b:
        result = import_json(ReviewScheduler(b), export)
        assert result.needs_replay == frozenset()  # nothing reviewed here before
        counts = b.fetchall("SELECT question_id, reviews FROM cards ORDER BY question_id")
        assert counts == b.fetchall("SELECT question_id, COUNT(*) FROM review_logs"
                                    " GROUP BY question_id ORDER BY question_id")
        assert len(counts) == 3 and all(n < 99 for _, n in counts)
        totals_agree(b)

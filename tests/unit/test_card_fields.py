"""The card JSON's fields kept as columns (schema v6) always equal what the JSON says, and the
statistics read them instead of the JSON: the same figures, no card's JSON parsed.

Random histories write cards every way the store does (answers, new ratings, rebuilt cards,
merged imports, restores, hand-edited rows with odd JSON); after each, the columns are compared
with SQLite's reading of the JSON and with Python's, and the statistics with those computed
by reading the JSON (the columns' triggers dropped).
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.store import ProgressStore, QuestionIndex, schema
from studyvpc.progress.store.schema import iso_utc
from studyvpc.progress.store.stats import compute_stats
from studyvpc.progress.store.transfer import ProgressRows

T0 = datetime(2026, 3, 1, 8, tzinfo=timezone.utc)
QIDS = ["q0", "q1", "q2", "q3", "gone"]
INDEX = QuestionIndex({q: ("t", q) for q in QIDS[:-1]}, {q: "n" for q in QIDS[:-1]})
FIELDS = "state, readable, stability, reviewed"
DAMAGED = (ValueError, KeyError, TypeError, AttributeError)
"""What fsrs raises on a card JSON it cannot load."""

# Card JSON as a hand edit, an old version or a damaged file may leave it.
odd_cards = st.sampled_from([
    "{not json", "[]", '"text"', "{}", '{"state": 2}', '{"state": 2.0, "stability": 3.5,'
    ' "last_review": "2026-03-01T08:00:00+00:00"}', '{"state": "2"}', '{"state": true}',
    '{"state": 2, "stability": null, "last_review": null}',
    '{"state": 2, "stability": 1.5}', '{"state": 3, "stability": 0, "last_review":'
    ' "2026-03-02T08:00:00+00:00"}',
])
answer_op = st.tuples(st.just("answer"), st.sampled_from(QIDS), st.booleans(),
                      st.integers(0, 60 * 24 * 20), st.sampled_from([None, "hard", "easy"]))
edit_op = st.tuples(st.just("edit"), st.sampled_from(QIDS), odd_cards)
merge_op = st.tuples(st.just("merge"), st.sampled_from(QIDS + ["new"]), odd_cards,
                     st.integers(0, 60 * 24 * 20))
replay_op = st.tuples(st.just("replay"), st.sampled_from(QIDS))
ops = st.lists(st.one_of(answer_op, answer_op, answer_op, edit_op, merge_op, replay_op),
               max_size=15)


def apply(store: ProgressStore, sched: ReviewScheduler, op: tuple) -> None:
    kind = op[0]
    if kind == "answer":
        _, qid, right, minutes, rating = op
        try:
            out = sched.answer(qid, "h", ["A"], right, time_ms=1000, mode="practice",
                               now=T0 + timedelta(minutes=minutes))
            if rating and right:
                sched.rate(qid, rating, attempt_uuid=out.attempt.uuid)
        except DAMAGED:  # fsrs cannot load the card left by an edit: nothing is written
            pass
    elif kind == "edit":
        store.fetchall("UPDATE cards SET card = ? WHERE question_id = ?", (op[2], op[1]))
    elif kind == "merge":
        _, qid, card, minutes = op
        at = iso_utc(T0 + timedelta(minutes=minutes))
        store.merge(ProgressRows(sessions=[], attempts=[], cards=[(qid, card, at, at, 1)],
                                 review_logs=[], exams=[]))
    elif kind == "replay" and store.review_logs(op[1]):
        sched.replay(op[1])


def json_fields(card: str) -> tuple:
    """What the columns should hold for ``card``, read by Python's JSON parser."""
    try:
        data = json.loads(card)
    except ValueError:
        return (None, 0, None, None)
    if not isinstance(data, dict):
        return (None, 0, None, None)
    readable = int("stability" in data and "last_review" in data)
    state = data.get("state")
    return (int(state) if isinstance(state, bool) else state, readable,
            data.get("stability") if readable else None,
            data.get("last_review") if readable else None)


def fields_agree(store: ProgressStore) -> None:
    kept = store.fetchall(f"SELECT question_id, {FIELDS} FROM cards ORDER BY question_id")
    assert kept == store.fetchall(f"SELECT question_id, {schema.CARD_FIELDS} FROM cards"
                                  " ORDER BY question_id")
    cards = store.fetchall("SELECT question_id, card FROM cards ORDER BY question_id")
    assert [(qid, *json_fields(card)) for qid, card in cards] == kept


def stats_from_json(store: ProgressStore, sched: ReviewScheduler, now: datetime):
    """The statistics as computed when the fields were read out of the JSON (no columns)."""
    store.fetchall("DROP TRIGGER cards_fields_update")
    try:
        return compute_stats(store, INDEX, now=now, scheduler=sched)
    finally:
        store.fetchall(schema.CARD_FIELDS_SQL[-1])


def outcome(store: ProgressStore, sched: ReviewScheduler, now: datetime):
    try:
        return compute_stats(store, INDEX, now=now, scheduler=sched)
    except DAMAGED as exc:  # a damaged card fails as fsrs fails
        return type(exc)


def outcome_from_json(store: ProgressStore, sched: ReviewScheduler, now: datetime):
    try:
        return stats_from_json(store, sched, now)
    except DAMAGED as exc:
        return type(exc)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops, st.integers(0, 60 * 24 * 40))
def test_card_fields_equal_the_json_after_any_history(history, minutes):
    store = ProgressStore.in_memory()
    sched = ReviewScheduler(store, enable_fuzzing=False)
    for op in history:
        apply(store, sched, op)
        fields_agree(store)
    now = T0 + timedelta(minutes=minutes)
    assert outcome(store, sched, now) == outcome_from_json(store, sched, now)


def test_restore_and_reset_keep_the_fields(tmp_path):
    store = ProgressStore.open(tmp_path)
    sched = ReviewScheduler(store, enable_fuzzing=False)
    for n in range(12):
        apply(store, sched, ("answer", QIDS[n % 5], n % 3 != 0, 300 * n, None))
    apply(store, sched, ("edit", "q1", '{"state": 2}'))
    fields_agree(store)
    backup = store.backup()
    store.reset()
    store.restore(backup)
    fields_agree(store)
    assert store.fetchall("SELECT COUNT(*) FROM cards WHERE state IS NOT NULL") == [(5,)]
    store.close()


def make_v5(path) -> list[tuple]:
    """A version-5 database with cards (well-formed and not); returns its cards' rows."""
    store = ProgressStore.in_memory()
    sched = ReviewScheduler(store, enable_fuzzing=False)
    for n in range(20):
        apply(store, sched, ("answer", QIDS[n % 4], n % 3 != 0, 500 * n, "easy"))
    cards = store.fetchall("SELECT question_id, card, due, last_review, reviews FROM cards")
    cards += [("odd", "{not json", iso_utc(T0), None, 1), ("old", '{"state": 2}', iso_utc(T0),
                                                            None, 1)]
    store.close()
    conn = sqlite3.connect(path, isolation_level=None)
    for step in schema.MIGRATIONS[:5]:
        step(conn)
    conn.execute("PRAGMA user_version = 5")
    conn.executemany("INSERT INTO cards (question_id, card, due, last_review, reviews)"
                     " VALUES (?, ?, ?, ?, ?)", cards)
    conn.close()
    return cards


def test_a_v5_database_gets_the_fields_once_when_opened(tmp_path):
    cards = make_v5(tmp_path / "progress.sqlite3")
    with ProgressStore.open(tmp_path) as store:
        assert store.schema_version == schema.current_version() == 6
        fields_agree(store)
        assert len(store.fetchall("SELECT * FROM cards WHERE readable")) == len(cards) - 2
        sched = ReviewScheduler(store, enable_fuzzing=False)
        apply(store, sched, ("answer", "q9", True, 10_000, None))
        fields_agree(store)
        store.fetchall("DELETE FROM cards WHERE question_id = 'odd'")  # fsrs cannot load it
        now = T0 + timedelta(days=20)
        assert compute_stats(store, INDEX, now=now, scheduler=sched) == stats_from_json(
            store, sched, now)
    with ProgressStore.open(tmp_path) as store:  # not migrated twice
        fields_agree(store)


class Reads:
    """The columns every statement reads (SQLite's authorizer, when it prepares them), on
    connections opened while installed."""

    def __init__(self, monkeypatch) -> None:
        self.columns: set[tuple[str, str]] = set()
        real = sqlite3.connect

        def read(action, table, column, _db, _trigger):
            if action == sqlite3.SQLITE_READ:
                self.columns.add((table, column))
            return sqlite3.SQLITE_OK

        def connect(*args, **kwargs):
            conn = real(*args, **kwargs)
            conn.set_authorizer(read)
            return conn

        monkeypatch.setattr(sqlite3, "connect", connect)


def test_statistics_read_no_card_json(tmp_path, monkeypatch):
    """Statistics over healthy cards read their kept fields, never the cards' JSON: the cost
    of the stats screen does not include parsing every card."""
    with ProgressStore.open(tmp_path) as store:
        sched = ReviewScheduler(store, enable_fuzzing=False)
        for n in range(40):
            apply(store, sched, ("answer", QIDS[n % 5], n % 4 != 0, 700 * n, None))
    reads = Reads(monkeypatch)
    with ProgressStore.open(tmp_path) as store:
        reads.columns.clear()
        stats = compute_stats(store, INDEX, now=T0 + timedelta(days=30),
                              scheduler=ReviewScheduler(store))
        assert stats.review_cards and stats.retrievability  # it did read the cards' state
        assert ("cards", "state") in reads.columns
        assert ("cards", "card") not in reads.columns


@pytest.mark.parametrize("card", ["{not json", '{"state": 2}'])
def test_a_card_the_fields_cannot_give_is_read_whole(tmp_path, card):
    with ProgressStore.open(tmp_path) as store:
        sched = ReviewScheduler(store, enable_fuzzing=False)
        apply(store, sched, ("answer", "q1", True, 0, None))
        apply(store, sched, ("answer", "q2", True, 0, None))
        apply(store, sched, ("edit", "q2", card))
        memory = store.card_memory()
        assert [row[0] for row in memory] == ["q1", "q2"]
        assert memory[0][3] is None and memory[0][1] is not None
        assert memory[1] == ("q2", None, None, card)

"""The totals kept as answers are written (schema v4) always equal what the attempts say.

Random histories (answers, whole exams with skipped questions, merged imports, rows deleted
and changed) are written through the store; after each, the totals tables are compared with
the grouped queries over every attempt, and the statistics with a plain-Python recomputation
from the attempt records themselves.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.store import ProgressStore, QuestionIndex, schema
from studyvpc.progress.store.history import session_results
from studyvpc.progress.store.records import ExamOutcome, PendingAnswer
from studyvpc.progress.store.schema import iso_utc
from studyvpc.progress.store.stats import compute_stats, per_question_counts
from studyvpc.progress.store.transfer import ProgressRows

T0 = datetime(2026, 3, 1, 8, tzinfo=timezone.utc)
QIDS = ["q0", "q1", "q2", "q3", "gone"]
INDEX = QuestionIndex({q: ("t",) for q in QIDS[:-1]}, {q: "n" for q in QIDS[:-1]})

moments = st.builds(lambda d, m: T0 + timedelta(days=d, minutes=m),
                    st.integers(0, 12), st.integers(0, 24 * 60 - 1))
answer_op = st.tuples(st.just("answer"), st.sampled_from(QIDS), st.booleans(),
                      st.integers(0, 90_000), st.sampled_from(["practice", "review", "drill"]),
                      st.sampled_from(["none", "new", "last"]), moments)
exam_op = st.tuples(st.just("exam"),
                    st.lists(st.tuples(st.sampled_from(QIDS), st.booleans(), st.booleans()),
                             min_size=1, max_size=5),
                    moments, st.booleans())
merge_op = st.tuples(st.just("merge"),
                     st.lists(st.tuples(st.sampled_from(QIDS), st.booleans(), st.integers(0, 5),
                                        moments, st.booleans()), max_size=4),
                     st.lists(st.tuples(st.sampled_from(QIDS), st.integers(1, 4),
                                        st.integers(0, 5), moments,
                                        st.sampled_from([None, 1, 2, 3, "not json"])),
                              max_size=4))
delete_op = st.tuples(st.just("delete"), st.integers(0, 1_000))
update_op = st.tuples(st.just("update"), st.integers(0, 1_000), st.booleans(), moments)
ops = st.lists(st.one_of(answer_op, answer_op, exam_op, merge_op, delete_op, update_op),
               max_size=25)


def apply(store: ProgressStore, op: tuple, state: dict) -> None:
    kind = op[0]
    if kind == "answer":
        _, qid, right, ms, mode, where, at = op
        if where == "new" or (where == "last" and state.get("session") is None):
            state["session"] = store.start_session(mode, "scope", at=at - timedelta(minutes=5))
        sid = None if where == "none" else state["session"]
        store.record_attempt(qid, "h", ["A"], right, time_ms=ms, mode=mode, session_id=sid,
                             at=at)
    elif kind == "exam":
        _, answers, at, finished = op
        state["exams"] = state.get("exams", 0) + 1
        store.record_session("exam", "all", [
            PendingAnswer(q, "h", () if skipped else ("A",), right, 1_000, skipped=skipped)
            for q, right, skipped in answers], session_id=f"exam-{state['exams']}",
            started=at - timedelta(minutes=30), finished=at,
            exam=ExamOutcome(0.72, 3600, 1234.5, False) if finished else None)
    elif kind == "merge":
        rows = [(f"m{n}", q, "h", '["A"]', int(right), n * 1000, "practice",
                 "imported" if in_session else None, iso_utc(at), at.date().isoformat(), 0)
                for q, right, n, at, in_session in op[1]]
        sessions = [("imported", "practice", "", iso_utc(T0), None)] if rows else []
        logs = [(f"ml{n}", q, None, rating, iso_utc(at), 900,
                 None if state is None else
                 (state if isinstance(state, str) else json.dumps({"state": state})),
                 '{"state": 2}') for q, rating, n, at, state in op[2]]
        store.merge(ProgressRows(sessions=sessions, attempts=rows, cards=[], review_logs=logs,
                                 exams=[]))
    elif kind == "delete":
        uuids = [r[0] for r in store.fetchall("SELECT uuid FROM attempts ORDER BY rowid")]
        if uuids:
            store.fetchall("DELETE FROM attempts WHERE uuid = ?", (uuids[op[1] % len(uuids)],))
    elif kind == "update":
        uuids = [r[0] for r in store.fetchall("SELECT uuid FROM attempts ORDER BY rowid")]
        if uuids:
            _, n, right, at = op
            store.fetchall("UPDATE attempts SET correct = ?, answered_at = ?, day = ?,"
                           " time_ms = time_ms + 7 WHERE uuid = ? AND skipped = 0",
                           (int(right), iso_utc(at), at.date().isoformat(),
                            uuids[n % len(uuids)]))


def totals_agree(store: ProgressStore) -> None:
    for table, select in schema.RECOMPUTE_TOTALS:
        kept = sorted(store.fetchall(f"SELECT * FROM {table}"))
        assert kept == sorted(store.fetchall(select)), table
    kept = store.fetchall("SELECT * FROM review_days WHERE reviews != 0 OR recalled != 0")
    assert sorted(kept) == sorted(store.fetchall(schema.RECOMPUTE_REVIEW_DAYS))


def expected(store: ProgressStore) -> dict:
    """The statistics, recomputed in Python from the attempt records."""
    attempts = store.attempts()
    answers = [a for a in attempts if not a.skipped]
    per_question: dict[str, list[int]] = {}
    for a in answers:
        c = per_question.setdefault(a.question_id, [0, 0, 0])
        c[0] += 1
        c[1] += a.correct
        c[2] += a.time_ms
    by_session: dict[str, list] = {}
    for a in attempts:
        if a.session_id is not None:
            by_session.setdefault(a.session_id, []).append(a)
    time_ms = float(sum(a.time_ms for a in attempts if a.session_id is None))
    results = []
    for s in store.sessions():
        mine = by_session.get(s.id)
        if not mine:
            continue
        last = max(a.answered_at for a in mine)
        exam = store.exam(s.id)
        time_ms += (exam.time_used_s * 1000 if exam else
                    max(0.0, ((s.finished or last) - s.started).total_seconds() * 1000))
        results.append((s.id, len(mine), sum(a.correct for a in mine), last,
                        sum(a.time_ms for a in mine), sum(a.skipped for a in mine)))
    results.sort(key=lambda r: r[0])
    results.sort(key=lambda r: r[3], reverse=True)
    return {
        "total": len(answers), "correct": sum(a.correct for a in attempts),
        "skipped": len(attempts) - len(answers),
        "per_day": dict(Counter(a.day for a in answers)),
        "per_question": {q: tuple(c) for q, c in per_question.items()},
        "time_ms": int(round(time_ms)), "results": results,
        "orphans": sum(c[0] for q, c in per_question.items() if q not in INDEX),
    }


def check(store: ProgressStore) -> None:
    totals_agree(store)
    want = expected(store)
    stats = compute_stats(store, INDEX, now=T0 + timedelta(days=14))
    assert stats.total_attempts == want["total"] == store.attempt_count()
    assert stats.correct_attempts == want["correct"]
    assert stats.skipped == want["skipped"]
    assert stats.answers_per_day == want["per_day"]
    assert per_question_counts(store) == want["per_question"]
    assert stats.time_spent_ms == want["time_ms"]
    assert stats.orphan_attempts == want["orphans"]
    assert stats.sessions == len(store.sessions())
    got = [(r.id, r.answered, r.right, r.last_answer, r.time_ms, r.skipped)
           for r in session_results(store, limit=None)]
    assert got == want["results"]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_totals_equal_the_attempts_after_any_history(history):
    store = ProgressStore.in_memory()
    state: dict = {}
    for op in history:
        apply(store, op, state)
    check(store)


def test_reset_and_restore_keep_the_totals_right(tmp_path):
    store = ProgressStore.open(tmp_path)
    state: dict = {}
    for n in range(30):
        apply(store, ("answer", QIDS[n % 5], n % 3 != 0, 1000 + n, "practice",
                      "new" if n % 7 == 0 else "last", T0 + timedelta(hours=5 * n)), state)
    apply(store, ("exam", [("q1", True, False), ("q2", False, True)], T0, True), state)
    check(store)
    backup = store.backup()
    store.reset()
    check(store)
    assert store.fetchall("SELECT COUNT(*) FROM session_totals") == [(0,)]
    store.restore(backup)
    check(store)
    assert store.attempt_count() == 31
    store.close()


def make_v3(path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    for step in schema.MIGRATIONS[:3]:
        step(conn)
    conn.execute("PRAGMA user_version = 3")
    conn.executemany(
        "INSERT INTO sessions (id, mode, scope, started, finished) VALUES (?, ?, '', ?, ?)",
        [("s1", "practice", "2026-01-01T08:00:00.000000+00:00", None),
         ("x1", "exam", "2026-01-02T08:00:00.000000+00:00", "2026-01-02T09:00:00.000000+00:00")])
    rows = [(f"a{n}", f"q{n % 4}", "h", '["A"]' if n % 5 else "[]", int(n % 3 == 0) if n % 5 else 0,
             100 * n, "exam" if n % 5 == 0 else "practice",
             None if n % 11 == 0 else ("x1" if n % 5 == 0 else "s1"),
             f"2026-01-0{1 + n % 4}T08:{n:02d}:00.000000+00:00", f"2026-01-0{1 + n % 4}",
             int(n % 5 == 0))
            for n in range(40)]
    conn.executemany("INSERT INTO attempts (uuid, question_id, content_hash, chosen, correct,"
                     " time_ms, mode, session_id, answered_at, day, skipped)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.close()


def test_a_v3_database_gets_its_totals_once_when_opened(tmp_path):
    make_v3(tmp_path / "progress.sqlite3")
    with ProgressStore.open(tmp_path) as store:
        assert store.schema_version == schema.current_version()
        assert store.fetchall("SELECT COUNT(*) FROM question_totals") == [(4,)]
        check(store)
        store.record_attempt("q9", "h", ["A"], True, time_ms=5, mode="practice", at=T0)
        check(store)
    with ProgressStore.open(tmp_path) as store:  # not migrated twice
        check(store)
        assert store.attempt_count() == 40 - 8 + 1


review_ops = st.lists(st.tuples(st.sampled_from(QIDS[:3]), st.booleans(),
                                st.integers(0, 60 * 24 * 40), st.sampled_from([None, "easy", "hard"]),
                                st.booleans()), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(review_ops, st.integers(0, 40 * 24 * 60))
def test_retention_from_day_totals_equals_the_reviews_themselves(history, since_minutes):
    store = ProgressStore.in_memory()
    scheduler = ReviewScheduler(store, enable_fuzzing=False)
    for qid, right, minutes, rating, delete in sorted(history, key=lambda o: o[2]):
        out = scheduler.answer(qid, "h", ["A"], right, time_ms=1000, mode="review",
                               now=T0 + timedelta(minutes=minutes))
        if rating and right:
            scheduler.rate(qid, rating, attempt_uuid=out.attempt.uuid)
        if delete:
            store.fetchall("DELETE FROM review_logs WHERE rowid = (SELECT MIN(rowid)"
                           " FROM review_logs WHERE question_id = ?)", (qid,))
    since = T0 + timedelta(minutes=since_minutes)
    recent = [log for log in store.review_logs() if log.reviewed_at >= since
              and json.loads(log.card_before or "{}").get("state") == schema.REVIEW_STATE]
    assert store.review_outcomes(since, schema.REVIEW_STATE) == (
        len(recent), sum(log.rating > 1 for log in recent))
    kept = store.fetchall("SELECT * FROM review_days WHERE reviews != 0 OR recalled != 0")
    assert sorted(kept) == sorted(store.fetchall(schema.RECOMPUTE_REVIEW_DAYS))

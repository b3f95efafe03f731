"""FSRS scheduling over the progress store, with an injected clock."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import fsrs
import pytest

from studyvpc.content.model import Option, Question
from studyvpc.progress.scheduler import (
    AGAIN, EASY, GOOD, HARD, RatingSuperseded, ReviewScheduler, card_id_for,
)
from studyvpc.progress.store import ProgressStore
from studyvpc.interop.progress_json import export_json, import_json

T0 = datetime(2025, 3, 10, 9, 0, tzinfo=timezone.utc)
SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture
def store(tmp_path):
    s = ProgressStore.open(tmp_path)
    yield s
    s.close()


@pytest.fixture
def sched(store):
    return ReviewScheduler(store, enable_fuzzing=False)


def ans(sched, qid, correct, at, **kw):
    return sched.answer(qid, "h", ["A"] if correct else ["B"], correct, time_ms=3000,
                        mode=kw.pop("mode", "practice"), now=at, **kw)


def test_right_answer_is_good_and_schedules_a_card(sched, store):
    out = ans(sched, "q1", True, T0)
    assert out.rescheduled and out.rating == GOOD
    card = sched.card("q1")
    assert card.card_id == card_id_for("q1")
    assert card.due == out.due > T0
    [log] = store.review_logs("q1")
    assert (log.rating, log.attempt_uuid, log.duration_ms) == (GOOD, out.attempt.uuid, 3000)
    # exactly what fsrs computes for a new card rated Good at T0
    expected, _ = fsrs.Scheduler(enable_fuzzing=False).review_card(
        fsrs.Card(card_id=card_id_for("q1"), due=T0), fsrs.Rating.Good, review_datetime=T0,
        review_duration=3000)
    assert card.to_dict() == expected.to_dict()


def test_wrong_answer_is_again(sched):
    wrong = ans(sched, "q1", False, T0)
    assert wrong.rating == AGAIN
    assert wrong.due - T0 <= timedelta(minutes=1)
    with pytest.raises(ValueError, match="always rated again"):
        ans(sched, "q2", False, T0, rating="good")
    with pytest.raises(ValueError, match="not again"):
        ans(sched, "q2", True, T0, rating="again")


def test_easy_and_hard_move_the_due_date(store):
    dues = {}
    for rating in ("hard", "good", "easy"):
        s = ReviewScheduler(store, enable_fuzzing=False)
        # three right answers a day apart get the card into review state
        for day in range(3):
            out = ans(s, f"q-{rating}", True, T0 + timedelta(days=day * 3), rating=rating)
        dues[rating] = out.due
    assert dues["hard"] < dues["good"] < dues["easy"]


def test_rate_revises_the_answer_just_given(sched, store):
    first = ans(sched, "q1", True, T0)
    second = ans(sched, "q1", True, T0 + timedelta(days=2))
    good_due = second.due
    easy_due = sched.rate("q1", "easy", attempt_uuid=second.attempt.uuid)
    assert easy_due > good_due
    logs = store.review_logs("q1")
    assert [log.rating for log in logs] == [GOOD, EASY]
    assert len(logs) == 2 and store.card("q1").reviews == 2
    hard_due = sched.rate("q1", HARD)  # changing one's mind again works from the same base
    assert hard_due < good_due
    assert store.card("q1").due == hard_due
    # the stored card is what a direct review with Hard would give
    expected = sched.fsrs.review_card(fsrs.Card.from_json(logs[-1].card_before), fsrs.Rating.Hard,
                                      review_datetime=T0 + timedelta(days=2),
                                      review_duration=3000)[0]
    assert sched.card("q1").to_dict() == expected.to_dict()
    with pytest.raises(RatingSuperseded, match="answered again since"):
        sched.rate("q1", "good", attempt_uuid=first.attempt.uuid)


def test_rate_refuses_wrong_answers_and_drills(sched):
    wrong = ans(sched, "q1", False, T0)
    with pytest.raises(ValueError, match="stays rated again"):
        sched.rate("q1", "easy", attempt_uuid=wrong.attempt.uuid)
    drill = ans(sched, "q1", True, T0 + timedelta(minutes=5), mode="drill")
    with pytest.raises(ValueError):
        sched.rate("q1", "easy", attempt_uuid=drill.attempt.uuid)
    with pytest.raises(ValueError, match="never been reviewed"):
        sched.rate("never", "good")


def test_drill_answers_are_recorded_but_do_not_reschedule(sched, store):
    ans(sched, "q1", True, T0)
    card_before = store.card("q1")
    out = ans(sched, "q1", False, T0 + timedelta(hours=1), mode="drill")
    assert not out.rescheduled and out.rating is None and out.due is None
    assert store.card("q1") == card_before
    assert len(store.review_logs("q1")) == 1
    assert store.attempt_count() == 2
    ans(sched, "q2", False, T0, mode="drill")
    assert store.card("q2") is None


def test_due_queries_with_injected_clock(sched):
    ans(sched, "right", True, T0)
    ans(sched, "wrong", False, T0)
    ans(sched, "gone", False, T0)
    later = T0 + timedelta(minutes=2)
    assert sched.due_question_ids(later) == ["gone", "wrong"]  # same due time: by id
    assert sched.due_question_ids(later, limit=1) == ["gone"]
    assert sched.due_question_ids(later, known_ids={"right", "wrong"}) == ["wrong"]
    assert sched.due_count(later) == 2
    assert sched.due_count(later, known_ids=["right", "wrong"]) == 1
    assert sched.due_count(T0 - timedelta(seconds=1)) == 0
    nxt = sched.next_due(later, known_ids={"right", "wrong"})
    assert nxt == sched.card("right").due and nxt > later
    assert sched.next_due(T0 + timedelta(days=3650)) is None


def test_retrievability(sched):
    assert sched.retrievability("unseen", T0) is None
    ans(sched, "q1", True, T0)
    soon = sched.retrievability("q1", T0 + timedelta(days=1))
    late = sched.retrievability("q1", T0 + timedelta(days=30))
    assert 0 < late < soon <= 1
    assert sched.retrievabilities(T0 + timedelta(days=1), known_ids={"q1"}) == {"q1": soon}


def test_retrievabilities_equal_fsrs_on_whole_cards(sched, store):
    """The bulk path (stability and last review read in SQL) gives fsrs's own figures."""
    for i in range(30):
        at = T0 + timedelta(days=i % 7, hours=i)
        for j in range(1 + i % 4):
            ans(sched, f"q{i:02d}", (i + j) % 3 != 0, at + timedelta(days=j * (1 + i % 5)))
    for days in (0, 0.5, 1, 3, 29.99, 30, 365):
        now = T0 + timedelta(days=days)
        expected = {c.question_id: float(sched.fsrs.get_card_retrievability(
            fsrs.Card.from_json(c.card), now)) for c in store.cards()}
        assert sched.retrievabilities(now) == expected
        assert list(sched.retrievabilities(now)) == sorted(expected)
    some = {"q03", "q17", "nowhere"}
    assert set(sched.retrievabilities(T0, known_ids=some)) == {"q03", "q17"}


def test_retrievabilities_of_odd_cards_follow_fsrs(sched, store):
    """Cards SQLite cannot read (or that lack a field) are loaded whole, as before."""
    ans(sched, "ok", True, T0)
    ans(sched, "never", True, T0)
    with store._write() as c:
        card = json.loads(store.card("never").card)
        card["stability"], card["last_review"] = None, None  # as a new card has
        c.execute("UPDATE cards SET card = ? WHERE question_id = 'never'", (json.dumps(card),))
    later = T0 + timedelta(days=2)
    assert sched.retrievabilities(later) == {
        "never": 0.0, "ok": sched.retrievability("ok", later)}
    with store._write() as c:
        del card["stability"]
        c.execute("UPDATE cards SET card = ? WHERE question_id = 'never'", (json.dumps(card),))
    with pytest.raises(KeyError):  # what fsrs.Card.from_json raises, as before
        sched.retrievabilities(later)
    with store._write() as c:
        c.execute("UPDATE cards SET card = '{not json' WHERE question_id = 'never'")
    with pytest.raises(ValueError):
        sched.retrievabilities(later)


def test_answer_question_grades_by_original_keys(sched):
    q = Question("multi", "Pick two", (Option("A", "a", True, ""), Option("B", "b", False, ""),
                                       Option("C", "c", True, "")), choose=2, note_id="n1")
    assert sched.answer_question(q, ["C", "A"], time_ms=10, mode="practice", now=T0).attempt.correct
    out = sched.answer_question(q, ["A", "B"], time_ms=10, mode="practice", now=T0)
    assert not out.attempt.correct and out.rating == AGAIN
    assert out.attempt.content_hash == q.content_hash


def test_replay_rebuilds_the_same_card(sched, store):
    moments = [T0 + timedelta(days=d) for d in (0, 1, 4, 4.01, 12)]
    for i, at in enumerate(moments):
        ans(sched, "q1", i != 3, at)
    stored = store.card("q1")
    logs_before = [(log.card_before, log.card_after) for log in store.review_logs("q1")]
    store._conn.execute("UPDATE cards SET card = '{}', due = '1999-01-01T00:00:00.000000+00:00'")
    replayed = sched.replay("q1")
    assert json.loads(replayed.card) == json.loads(stored.card)
    assert (replayed.due, replayed.last_review, replayed.reviews) == (
        stored.due, stored.last_review, stored.reviews)
    assert [(json.loads(b), json.loads(a)) for b, a in logs_before] == [
        (json.loads(log.card_before), json.loads(log.card_after)) for log in store.review_logs("q1")]
    # fsrs' own replay agrees
    fs_logs = [fsrs.ReviewLog(card_id_for("q1"), fsrs.Rating(log.rating), log.reviewed_at, None)
               for log in store.review_logs("q1")]
    again = sched.fsrs.reschedule_card(fsrs.Card(card_id=card_id_for("q1"), due=T0), fs_logs)
    assert again.stability == pytest.approx(sched.card("q1").stability)


def test_import_with_reviews_on_both_sides_replays_the_merged_history(tmp_path):
    with ProgressStore.open(tmp_path / "a") as a:
        sa = ReviewScheduler(a, enable_fuzzing=False)
        ans(sa, "shared", True, T0)
        ans(sa, "shared", True, T0 + timedelta(days=5))
        export = export_json(a, tmp_path / "a.json")
    with ProgressStore.open(tmp_path / "b") as b:
        sb = ReviewScheduler(b, enable_fuzzing=False)
        ans(sb, "shared", False, T0 + timedelta(days=2))
        result = import_json(sb, export)
        assert result.needs_replay == {"shared"}
        logs = b.review_logs("shared")
        assert [log.rating for log in logs] == [GOOD, AGAIN, GOOD]
        card = b.card("shared")
        assert card.reviews == 3 and card.last_review == T0 + timedelta(days=5)
        # same as answering the three in order on one machine
        with ProgressStore.in_memory() as c:
            sc = ReviewScheduler(c, enable_fuzzing=False)
            ans(sc, "shared", True, T0)
            ans(sc, "shared", False, T0 + timedelta(days=2))
            ans(sc, "shared", True, T0 + timedelta(days=5))
            assert json.loads(c.card("shared").card) == json.loads(card.card)
        assert import_json(sb, export).attempts_added == 0
        assert len(b.review_logs("shared")) == 3


def test_importing_storage_and_scheduler_does_not_import_fsrs_or_textual():
    code = ("import sys, studyvpc.progress.store, studyvpc.progress.store.stats, studyvpc.progress.store.drills, "
            "studyvpc.progress.scheduler; "
            "bad = [m for m in ('fsrs', 'textual') if m in sys.modules]; "
            "print(bad); sys.exit(1 if bad else 0)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PYTHONPATH": str(SRC), "PATH": ""}, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr

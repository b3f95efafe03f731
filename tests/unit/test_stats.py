"""Statistics and drill selection on a seeded history (days in the machine's local time)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.store import ProgressStore, QuestionIndex
from studyvpc.progress.store.drills import missed_question_ids, weak_tag_question_ids, weakest_tags
from studyvpc.progress.store.stats import compute_stats, streaks

D = date(2025, 3, 20)
INDEX = QuestionIndex(
    tags={"q1": ("a", "a/x"), "q2": ("a",), "q3": ("b",), "q4": ("b",)},
    notes={"q1": "n1", "q2": "n1", "q3": "n2", "q4": "n2"},
)
# (day offset, question, right?)
HISTORY = [
    (-10, "q1", False),
    (-3, "q1", True), (-3, "q2", False),
    (-1, "q1", True), (-1, "q3", False), (-1, "q3", False),
    (0, "q2", True), (0, "q3", True), (0, "gone", False),
]


def local_noon(day: date, minutes: int = 0) -> datetime:
    return (datetime.combine(day, time(12)) + timedelta(minutes=minutes)).astimezone()


@pytest.fixture
def seeded(tmp_path):
    store = ProgressStore.open(tmp_path)
    sched = ReviewScheduler(store, enable_fuzzing=False)
    for i, (offset, qid, right) in enumerate(HISTORY):
        sched.answer(qid, "h", ["A"], right, time_ms=1000 * (i + 1), mode="practice",
                     now=local_noon(D + timedelta(days=offset), i).astimezone(timezone.utc))
    store.start_session("practice")
    yield store, sched
    store.close()


def test_stats_on_seeded_history(seeded):
    store, sched = seeded
    now = local_noon(D, 60)
    s = compute_stats(store, INDEX, now=now, scheduler=sched)
    assert (s.total_attempts, s.correct_attempts) == (9, 4)
    assert s.accuracy == pytest.approx(4 / 9)
    assert s.time_spent_ms == sum(1000 * i for i in range(1, 10))
    assert (s.questions_total, s.questions_answered, s.sessions) == (4, 3, 1)
    assert s.answers_per_day == {D - timedelta(days=10): 1, D - timedelta(days=3): 2,
                                 D - timedelta(days=1): 3, D: 3}
    assert (s.study_days, s.streak_days, s.longest_streak) == (4, 2, 2)
    tags = {t.tag: (t.attempts, t.correct, t.questions, t.answered) for t in s.per_tag}
    assert tags == {"a": (5, 3, 2, 2), "a/x": (3, 2, 1, 1), "b": (3, 1, 2, 1)}
    assert [(q.question_id, q.note_id, q.attempts, q.correct) for q in s.weakest] == [
        ("q3", "n2", 3, 1), ("q2", "n1", 2, 1), ("q1", "n1", 3, 2)]
    assert (s.orphan_attempts, s.orphan_question_ids) == (1, ["gone"])
    # A prediction only for cards in review: q1 (right twice, days apart); q2 and q3 were
    # just missed and are being relearned, q4 was never answered.
    states = store.card_states()
    assert {q for q, st in states.items() if st == 2} == {"q1"} == set(s.retrievability)
    assert all(0 < r <= 1 for r in s.retrievability.values())
    assert s.weakest[0].question_id == "q3" and s.weakest[0].retrievability is None
    assert (s.new_cards, s.learning_cards, s.review_cards) == (1, 2, 1)
    assert s.due_now == sched.due_count(now, INDEX.ids)
    assert s.next_due == sched.next_due(now, INDEX.ids)


def test_stats_json_ready_and_without_scheduler(seeded):
    store, _ = seeded
    s = compute_stats(store, INDEX, now=local_noon(D, 60))
    d = s.to_dict()
    assert d["answers_per_day"][D.isoformat()] == 3
    assert d["retrievability"] == {} and d["mean_retrievability"] is None
    assert d["weakest"][0]["question_id"] == "q3"


def test_streak_counts_from_yesterday_until_a_gap():
    days = {D, D - timedelta(days=1), D - timedelta(days=3), D - timedelta(days=4),
            D - timedelta(days=5)}
    assert streaks(days, D) == (2, 3)
    assert streaks(days, D + timedelta(days=1)) == (2, 3)  # today not studied yet
    assert streaks(days, D + timedelta(days=2)) == (0, 3)
    assert streaks(set(), D) == (0, 0)


def test_stats_of_an_empty_store_and_unknown_content():
    with ProgressStore.in_memory() as store:
        s = compute_stats(store, INDEX)
        assert s.total_attempts == 0 and s.accuracy is None and s.weakest == []
        store.record_attempt("x", "h", ["A"], True, time_ms=5, mode="exam")
        s = compute_stats(store)  # no content at all: everything is an orphan, nothing crashes
        assert (s.orphan_attempts, s.questions_answered, s.streak_days) == (1, 0, 1)


T_STATS = datetime(2025, 3, 10, 9, 0, tzinfo=timezone.utc)


def test_weakest_are_questions_missed_at_least_once_and_unanswered_tags_have_no_accuracy():
    index = QuestionIndex(tags={"q1": ("a",), "q2": ("a",), "q3": ("b",)},
                          notes={"q1": "n", "q2": "n", "q3": "n"})
    with ProgressStore.in_memory() as store:
        for qid, right in [("q1", True), ("q1", True), ("q2", True), ("q2", False)]:
            store.record_attempt(qid, "h", ["A"], right, time_ms=5, mode="practice", at=T_STATS)
        s = compute_stats(store, index, now=T_STATS)
        # q1 was always right: not "weak", however few questions there are
        assert [q.question_id for q in s.weakest] == ["q2"]
        d = s.to_dict()
        assert [w["question_id"] for w in d["weakest"]] == ["q2"]
        # tag b was never answered: its accuracy is unknown (null), not 0%
        assert {t["tag"]: t["accuracy"] for t in d["per_tag"]} == {"a": 0.75, "b": None}


# --------------------------------------------------------------------------- drills


T0 = datetime(2025, 3, 10, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def sessions_history():
    store = ProgressStore.in_memory()
    plan = [
        [("q1", False), ("q2", False), ("q5", True), ("q6", False)],
        [("q1", True), ("q3", False)],
        [("q2", True), ("q4", False), ("q4", True)],
    ]
    for day, answers in enumerate(plan):
        at = T0 + timedelta(days=day)
        sid = store.start_session("practice", at=at)
        for i, (qid, right) in enumerate(answers):
            store.record_attempt(qid, "h", ["A"], right, time_ms=10, mode="practice",
                                 session_id=sid, at=at + timedelta(minutes=i))
    yield store
    store.close()


def test_missed_questions_in_last_sessions_or_never_right(sessions_history):
    store = sessions_history
    assert missed_question_ids(store, last_sessions=2) == ["q3", "q6", "q4"]
    assert missed_question_ids(store, last_sessions=3) == ["q3", "q6", "q1", "q2", "q4"]
    assert missed_question_ids(store, last_sessions=0) == ["q3", "q6"]
    assert missed_question_ids(store, last_sessions=3, known_ids={"q1", "q4"}) == ["q1", "q4"]
    assert missed_question_ids(store, last_sessions=3, limit=2) == ["q3", "q6"]


def test_weakest_tags_and_their_questions(sessions_history):
    store = sessions_history
    index = QuestionIndex(tags={"q1": ("iam",), "q2": ("iam", "s3"), "q3": ("vpc",),
                                "q4": ("vpc",), "q5": ("s3",), "q6": ("kms",), "q7": ("vpc",)})
    tags = weakest_tags(store, index, limit=2)
    assert [(t.tag, t.attempts, t.correct) for t in tags] == [("kms", 1, 0), ("vpc", 3, 1)]
    assert weak_tag_question_ids(store, index, limit_tags=2) == ["q3", "q6", "q4", "q7"]
    assert weak_tag_question_ids(store, index, tags=["s3"]) == ["q2", "q5"]

"""benchmarks/history.py writes a progress database the store opens and agrees with.

Not timed (benchmarks/run.py measures speed); this checks that the bulk history is a valid,
self-consistent database, so figures measured on it are figures about real data.
"""

from __future__ import annotations

import sys
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.store import ProgressStore, QuestionIndex
from studyvpc.progress.store.stats import compute_stats

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from history import make_history  # noqa: E402

END = datetime(2026, 6, 1, 18, tzinfo=timezone.utc)
IDS = [f"q-{i:03d}" for i in range(80)]


@pytest.fixture(scope="module")
def history(tmp_path_factory):
    data = tmp_path_factory.mktemp("history")
    make_history(data, IDS, 3_000, days=90, seed=11, end=END)
    return data


def test_the_store_opens_it_and_counts_what_was_inserted(history):
    with ProgressStore.open(history) as store:
        assert store.integrity_check() == "ok"
        attempts = store.attempts()
        assert len(attempts) == 3_000
        skipped = sum(a.skipped for a in attempts)
        assert 0 < skipped < 3_000 * 0.03, "a few exam questions left unanswered"
        assert all(a.mode == "exam" for a in attempts if a.skipped)
        index = QuestionIndex({q: ("tag",) for q in IDS}, {q: "note" for q in IDS})
        stats = compute_stats(store, index, now=END, scheduler=ReviewScheduler(store))
        assert stats.total_attempts == 3_000 - skipped
        assert stats.skipped == skipped
        assert stats.correct_attempts == sum(a.correct for a in attempts)
        per_day = Counter(a.day for a in attempts if not a.skipped)
        assert stats.answers_per_day == dict(per_day)
        assert 60 <= stats.study_days <= 90
        assert min(per_day) >= (END - timedelta(days=91)).date()
        assert max(a.answered_at for a in attempts) < END + timedelta(days=1)
        assert stats.sessions == len(store.sessions()) == len({a.session_id for a in attempts})
        assert stats.questions_answered == len({a.question_id for a in attempts if not a.skipped})
        assert stats.orphan_attempts == 0
        exams = store.fetchall("SELECT COUNT(*) FROM exams")[0][0]
        assert exams == len({a.session_id for a in attempts if a.mode == "exam"}) >= 1


def test_cards_and_review_logs_follow_the_answers(history):
    with ProgressStore.open(history) as store:
        attempts = {a.uuid: a for a in store.attempts()}
        logs = store.review_logs()
        reviewed = [a for a in attempts.values() if a.mode != "drill" and not a.skipped]
        assert len(logs) == len(reviewed), "one review per answer outside drills"
        for log in logs:
            a = attempts[log.attempt_uuid]
            assert log.question_id == a.question_id and log.reviewed_at == a.answered_at
            assert log.rating == (3 if a.correct else 1)
        by_question: dict[str, list] = {}
        for log in logs:
            by_question.setdefault(log.question_id, []).append(log)
        cards = store.cards()
        assert {c.question_id for c in cards} == set(by_question)
        for card in cards:
            mine = by_question[card.question_id]
            assert card.reviews == len(mine)
            assert card.last_review == mine[-1].reviewed_at
            assert card.card == mine[-1].card_after
            for earlier, later in zip(mine, mine[1:]):
                assert later.card_before == earlier.card_after
        # The scheduler reads the cards as FSRS cards.
        scheduler = ReviewScheduler(store)
        assert scheduler.card(cards[0].question_id) is not None
        assert scheduler.retrievabilities(END)


def test_the_same_seed_gives_the_same_history(tmp_path, history):
    make_history(tmp_path, IDS, 3_000, days=90, seed=11, end=END)
    with ProgressStore.open(tmp_path) as again, ProgressStore.open(history) as first:
        assert again.attempts() == first.attempts()
    with pytest.raises(ValueError, match="exists already"):
        make_history(tmp_path, IDS, 10, end=END)

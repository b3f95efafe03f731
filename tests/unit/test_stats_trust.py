"""Numbers a learner can trust (issue 13, items 5b and 10): FSRS's prediction only for cards in
review and said to be one, retention over the last 30 days, and time spent as the sessions'
results showed it."""

from __future__ import annotations

from datetime import timedelta

import fsrs
import pytest
from support.progress import FIXTURES, NOW, utc_local_time  # noqa: F401  (autouse)

from studyvpc.content.loader import load_library
from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.service import Progress, Recorder
from studyvpc.progress.store import ProgressStore, QuestionIndex
from studyvpc.progress.store.stats import REVIEW_STATE, compute_stats
from studyvpc.progress.wording import prediction_line, retention_line
from studyvpc.study.quiz import PracticeSession, Scope, select_questions


def test_review_state_is_fsrs_own():
    assert REVIEW_STATE == fsrs.State.Review


def test_prediction_only_for_cards_in_review_and_retention_over_30_days(tmp_path):
    index = QuestionIndex(tags={"learned": (), "fresh": (), "never": ()},
                          notes={"learned": "n", "fresh": "n", "never": "n"})
    with ProgressStore.open(tmp_path) as store:
        sched = ReviewScheduler(store, enable_fuzzing=False)

        def say(qid, right, day):
            sched.answer(qid, "h", ["A"], right, time_ms=1000, mode="practice",
                         now=NOW - timedelta(days=day))

        # "learned" reaches review, then is reviewed: long ago (outside the 30 days), then
        # twice right and once wrong within them.
        for right, day in ((True, 90), (True, 89), (True, 80), (True, 20), (False, 10),
                           (True, 9), (True, 5), (True, 2)):
            say("learned", right, day)
        say("fresh", False, 0)  # just missed: FSRS would predict near 100% for minutes
        stats = compute_stats(store, index, now=NOW, scheduler=sched)
        states = store.card_states()
        assert states["learned"] == REVIEW_STATE and states["fresh"] != REVIEW_STATE
        assert set(stats.retrievability) == {"learned"}
        assert sched.retrievability("fresh", NOW) > 0.9  # what the old stats averaged in
        assert (stats.new_cards, stats.learning_cards, stats.review_cards) == (1, 1, 1)
        # In the last 30 days, reviews of "learned" while it was in review: day 20 (right),
        # day 10 (wrong: it went back to relearning), day 5 and day 2 (right again).
        logs = [log for log in store.review_logs("learned")
                if log.reviewed_at >= NOW - timedelta(days=30)]
        in_review = [log for log in logs if '"state": 2' in (log.card_before or "")]
        assert (stats.retention_reviews, stats.retention_recalled) == (
            len(in_review), sum(log.rating > 1 for log in in_review))
        assert stats.retention_reviews >= 3 and stats.retention_recalled < stats.retention_reviews
    assert "FSRS estimate" in prediction_line(stats) and "1 card in review" in prediction_line(stats)
    assert retention_line(stats).endswith(f"of {stats.retention_reviews} reviews recalled")


def test_no_prediction_is_said_plainly(tmp_path):
    with ProgressStore.open(tmp_path) as store:
        stats = compute_stats(store, QuestionIndex(), now=NOW)
    assert prediction_line(stats) == "none yet (only for cards in review)"
    assert retention_line(stats) == "no reviews of cards in review yet"


class Clock:
    """Seconds since the quiz opened, for the quiz and (as NOW + seconds) for progress."""

    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


@pytest.mark.parametrize("reading_s", [0, 25])
def test_time_spent_is_the_sessions_time_the_results_showed(tmp_path, reading_s):
    """Stats said "Time spent 17 s" after sessions whose results said 0:33 and 0:05: they
    added up the answers' thinking times, the results the whole session."""
    clock = Clock()
    library = load_library([FIXTURES]).library
    progress = Progress.open(library, tmp_path / "data",
                             clock=lambda: NOW + timedelta(seconds=clock.t))
    try:
        durations = []
        for ids in (["pe-gateway", "pn-hourly"], ["pe-policy"]):
            start = clock.t
            session = PracticeSession(select_questions(library, Scope("ids", ids=tuple(ids))),
                                      seed=1, clock=clock)
            recorder = Recorder(progress, "practice", "some")
            while not session.finished:
                clock.t += 7  # thinking
                recorder.record(session.answer(session.current.correct_letters))
                clock.t += reading_s  # reading the feedback
                session.next()
            recorder.finish()  # as the results screen opens
            durations.append(session.summary().elapsed_s)
            assert session.summary().elapsed_s == clock.t - start  # what the results show
            clock.t += 100  # between sessions: not study time
        stats = progress.stats()
    finally:
        progress.close()
    assert stats.time_spent_ms == pytest.approx(sum(durations) * 1000, abs=2)

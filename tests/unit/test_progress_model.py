"""`studyvpc.progress.service`: the store+scheduler+clock model the TUI and plain mode share."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support.progress import FIXTURES, NOW, utc_local_time  # noqa: F401  (autouse)

from studyvpc.content.loader import load_library
from studyvpc.study.quiz import PracticeSession, Scope, select_questions
from studyvpc.progress.service import Progress
from studyvpc.progress.wording import rated_message, spent, until, when
from studyvpc.progress.store.history import session_results


@pytest.fixture
def progress(tmp_path):
    library = load_library([FIXTURES]).library
    clock = {"now": NOW}
    p = Progress.open(library, tmp_path / "data", clock=lambda: clock["now"])
    p.test_clock = clock  # type: ignore[attr-defined]
    yield p
    p.close()


def session(progress, ids, seed=1) -> PracticeSession:
    return PracticeSession(select_questions(progress.library, Scope("ids", ids=tuple(ids))),
                           seed=seed, clock=lambda: 0.0)


def answer(s: PracticeSession, right: bool):
    shown = s.current
    letters = shown.correct_letters if right else {
        next(iter(set(shown.letters) - shown.correct_letters))}
    return s.answer(letters)


def test_a_session_row_appears_with_the_first_answer_only(progress):
    rec = progress.begin("practice", "all questions")
    assert progress.store.sessions() == []
    s = session(progress, ["pe-gateway", "pn-hourly"])
    out = rec.record(answer(s, True))
    assert out.attempt.correct and out.rescheduled and rec.can_rate and rec.rating == "good"
    s.next()
    rec.record(answer(s, False))
    assert not rec.can_rate
    rec.finish()
    [row] = progress.store.sessions()
    assert (row.mode, row.scope, row.started, row.finished) == ("practice", "all questions", NOW, NOW)
    [result] = session_results(progress.store)
    assert (result.answered, result.right) == (2, 1)
    assert progress.last_result() == result


def test_rating_revises_the_latest_answer(progress):
    rec = progress.begin("review")
    s = session(progress, ["pe-gateway"])
    rec.record(answer(s, True))
    good = rec.due
    easy = rec.rate("easy")
    assert easy > good and rec.rating == "easy"
    assert [log.rating for log in progress.store.review_logs()] == [4]
    with pytest.raises(ValueError):
        rec.rate("again")


def test_drill_answers_do_not_move_cards(progress):
    rec = progress.begin("practice")
    s = session(progress, ["pe-gateway"])
    rec.record(answer(s, False))
    before = progress.store.cards()
    drill = progress.begin("drill", "missed questions")
    s2 = session(progress, ["pe-gateway"])
    out = drill.record(answer(s2, True))
    assert not out.rescheduled and not drill.can_rate
    assert progress.store.cards() == before
    assert progress.missed_ids() == ["pe-gateway"]  # wrong in one of the last 3 sessions


def test_due_summary_counts_now_later_today_and_the_next(progress):
    rec = progress.begin("practice")
    s = session(progress, ["pe-gateway", "pn-hourly"])
    rec.record(answer(s, False))  # Again: due in a minute
    s.next()
    rec.record(answer(s, True))  # Good on a new card: due in ten minutes
    summary = progress.due_summary()
    assert (summary.now, summary.later_today) == (0, 2)
    assert summary.next_due is not None and summary.next_due > NOW
    progress.test_clock["now"] = NOW + timedelta(hours=1)
    assert progress.due_summary().now == 2
    assert set(progress.due_ids()) == {"pe-gateway", "pn-hourly"}


def test_later_today_ends_at_local_midnight_on_the_night_clocks_change(progress, monkeypatch):
    import time as systime
    from datetime import datetime, timezone

    monkeypatch.setenv("TZ", "Europe/Berlin")
    systime.tzset()
    try:
        # 30 March 2025, 01:00 CET (+1); at 02:00 clocks jump to 03:00 CEST (+2), so this day
        # ends at 22:00 UTC, not at 23:00 UTC as "today's offset + 24 h" would say.
        now = datetime(2025, 3, 30, 0, 0, tzinfo=timezone.utc)
        progress.test_clock["now"] = now
        rec = progress.begin("practice")
        rec.record(answer(session(progress, ["pe-gateway"]), False))
        due = datetime(2025, 3, 30, 22, 30, tzinfo=timezone.utc)  # 00:30 local, tomorrow
        with progress.store._write() as c:
            c.execute("UPDATE cards SET due = ?", (due.isoformat(timespec="microseconds"),))
        assert progress.due_summary().later_today == 0
    finally:
        monkeypatch.setenv("TZ", "UTC")
        systime.tzset()


def test_unusable_directory_falls_back_to_memory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    p = Progress.open(load_library([FIXTURES]).library, blocker)
    assert p.error is not None and not p.saved
    assert "Progress will not be saved" in str(p.error)


def test_wording():
    assert until(NOW - timedelta(seconds=5), NOW) == "now"
    assert until(NOW + timedelta(seconds=30), NOW) == "in under a minute"
    assert until(NOW + timedelta(minutes=10), NOW) == "in 10 min"
    assert until(NOW + timedelta(hours=5), NOW) == "in 5 h"
    assert until(NOW + timedelta(days=1), NOW) == "in 1 day"
    assert until(NOW + timedelta(days=18), NOW) == "in 18 days"
    assert when(NOW + timedelta(hours=2), NOW) == "17:00 (in 2 h)"
    assert when(NOW + timedelta(hours=20), NOW) == "tomorrow 11:00 (in 20 h)"
    assert when(NOW + timedelta(days=18), NOW) == "Mon 07 Apr (in 18 days)"
    assert spent(44_000) == "44 s" and spent(725_000) == "12 min 05 s"
    assert spent(7_620_000) == "2 h 07 min"
    assert rated_message("hard", NOW + timedelta(days=2), NOW) == (
        "Rated Hard: next review in 2 days (1 hard · 2 good · 3 easy to change).")


def test_a_submitted_exam_is_one_finished_exam_session(progress):
    from studyvpc.study.exam import ExamSettings, MockExam

    questions = list(progress.library.questions)
    exam = MockExam.start(questions, ExamSettings(count=3, time_limit_s=600, seed=2),
                          clock=lambda: 0.0, scope="all questions")
    first, second = exam.items[0], exam.items[1]
    exam.select(next(iter(first.shown.correct_letters)), 0)
    wrong = next(letter for letter in second.shown.letters
                 if letter not in second.shown.correct_letters)
    exam.select(wrong, 1)  # the third is left unanswered
    result = exam.submit()
    sid = progress.record_exam(exam, result)
    assert sid is not None
    assert progress.record_exam(exam, result) is None  # posted twice: recorded once
    [finished] = progress.finished_exams()
    assert (finished.mode, finished.scope, finished.answered, finished.right) == (
        "exam", "all questions", 3, 1)
    attempts = progress.store.attempts()
    assert [a.mode for a in attempts] == ["exam"] * 3
    assert attempts[2].chosen == () and not attempts[2].correct and attempts[2].skipped
    assert finished.skipped == 1
    assert len(progress.store.cards()) == 2  # the unanswered one was no recall: no card

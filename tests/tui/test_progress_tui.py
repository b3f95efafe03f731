"""Progress in the TUI, driven with Pilot: answers are stored as they are given, survive a
restart, drive the due count, review mode, drills and the statistics screen.

Every app here opens its progress database in a temporary data directory (``args.data_dir``);
"now" is frozen through ``app.progress.clock`` so due times and the stats never depend on today.
"""

from __future__ import annotations

from datetime import timedelta

from progress_support import (  # noqa: F401  (utc_local_time: an autouse fixture)
    NOW, build, data, db_rows, home_progress_text, seed, seed_history, text_of, utc_local_time,
)
from support.notify import record_notifications
from textual.widgets import DataTable, OptionList, Static

from studyvpc.progress.service import Progress
from studyvpc.ui.tui.screens.home import HomeScreen
from studyvpc.ui.tui.screens.note import NoteScreen
from studyvpc.ui.tui.screens.quiz import QuizScreen
from studyvpc.ui.tui.screens.quiz_setup import QuizSetupScreen
from studyvpc.ui.tui.screens.quiz_results import ResultsScreen
from studyvpc.ui.tui.screens.stats import StatsScreen, day_chart, meter


async def answer(pilot, screen: QuizScreen, right: bool) -> None:
    shown = screen.session.current
    correct = sorted(shown.correct_letters)
    wrong = [letter for letter in shown.letters if letter not in shown.correct_letters]
    await pilot.press(*(c.lower() for c in (correct if right else wrong[:1])))
    await pilot.pause()


async def start_all_questions(pilot) -> QuizScreen:
    await pilot.press("p")
    await pilot.pause()
    setup = pilot.app.screen
    assert isinstance(setup, QuizSetupScreen)
    scopes = setup.query_one("#setup-scope", OptionList)
    scopes.highlighted = next(i for i in range(scopes.option_count)
                              if scopes.get_option_at_index(i).id == "all")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, QuizScreen)
    return pilot.app.screen


# --------------------------------------------------------------------------- recording


async def test_each_answer_is_stored_when_given_and_survives_a_restart(data):
    app = build(data)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.progress, Progress) and app.progress.saved
        quiz = await start_all_questions(pilot)
        first = quiz.session.current.question.id
        await answer(pilot, quiz, right=True)
        # On disk before the learner moves on: a second connection sees it.
        assert db_rows(data, "SELECT question_id, correct, mode FROM attempts") == [
            (first, 1, "practice")]
        await pilot.press("n")
        second = quiz.session.current.question.id
        await answer(pilot, quiz, right=False)
        assert db_rows(data, "SELECT COUNT(*) FROM attempts") == [(2,)]
        await pilot.press("q")  # stop: results
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        sessions = db_rows(data, "SELECT mode, scope, finished IS NOT NULL FROM sessions")
        assert sessions == [("practice", "all questions", 1)]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "1/2 (50%)" in home_progress_text(app)

    # A new app on the same data directory, two days later: both cards are due.
    later = build(data, now=NOW + timedelta(days=2))
    async with later.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert later.progress.due_summary().now == 2
        assert "2 now" in home_progress_text(later)
        assert "1/2 (50%)" in home_progress_text(later)
        await pilot.press("s")
        await pilot.pause()
        stats = later.screen
        assert isinstance(stats, StatsScreen)
        summary = text_of(stats.query_one("#stats-summary", Static))
        assert "2 · 1 right (50%)" in summary
        assert "2 of 5 answered" in summary
        assert "2 now" in summary
        weakest = stats.query_one("#stats-weakest", DataTable)
        assert weakest.row_count == 1
        assert stats._note_ids == [later.library.get_question(second).note_id]


async def test_right_answers_can_be_rated_hard_good_easy(data):
    app = build(data)
    async with app.run_test(size=(100, 30)) as pilot:
        quiz = await start_all_questions(pilot)
        await answer(pilot, quiz, right=True)
        assert "Rated Good: next review" in str(quiz.view.prompt.content)
        assert db_rows(data, "SELECT rating FROM review_logs") == [(3,)]
        await pilot.press("3")
        await pilot.pause()
        assert db_rows(data, "SELECT rating FROM review_logs") == [(4,)]
        assert "Rated Easy" in str(quiz.view.prompt.content)
        await pilot.press("h")
        await pilot.pause()
        assert db_rows(data, "SELECT rating FROM review_logs") == [(2,)]
        assert "Rated Hard" in str(quiz.view.prompt.content)
        # A wrong answer stays Again: the rating keys do nothing.
        await pilot.press("n")
        await answer(pilot, quiz, right=False)
        assert not quiz.recorder.can_rate
        await pilot.press("3")
        await pilot.pause()
        assert [r for (r,) in db_rows(data, "SELECT rating FROM review_logs ORDER BY rowid")] == [2, 1]


async def test_an_unusable_data_dir_says_progress_is_not_saved_and_the_app_runs(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    app = build(blocker)
    seen = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.progress.error is not None and not app.progress.saved
        assert any("Progress will not be saved" in m for m in seen)
        assert "Not saved" in home_progress_text(app)
        quiz = await start_all_questions(pilot)
        await answer(pilot, quiz, right=True)  # recorded in memory; the quiz goes on
        assert app.progress.store.attempt_count() == 1
    assert blocker.read_text(encoding="utf-8") == "not a directory"


async def test_a_damaged_database_is_not_called_an_empty_schedule(data):
    data.mkdir()
    damaged = data / "progress.sqlite3"
    damaged.write_bytes(b"garbage, not SQLite " * 500)
    before = damaged.read_bytes()
    app = build(data)
    seen = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        panel = home_progress_text(app)
        assert "cannot be read" in panel and "practise (p) to build" not in panel
        seen.clear()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("review schedule cannot be read" in m for m in seen), seen
        assert not any("Practise (p) first" in m for m in seen)
    assert damaged.read_bytes() == before


# --------------------------------------------------------------------------- review and drills


async def test_review_due_runs_the_due_cards_in_review_mode(data):
    seed(data, [("pe-gateway", False, NOW - timedelta(days=10)),
                ("pn-hourly", True, NOW - timedelta(days=10, minutes=-1)),
                ("pe-policy", True, NOW - timedelta(minutes=5))])
    app = build(data)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "2 now" in home_progress_text(app)
        await pilot.press("r")
        await pilot.pause()
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        assert quiz.session.total == 2
        assert {q.id for q in quiz.session.questions} == {"pe-gateway", "pn-hourly"}
        await answer(pilot, quiz, right=True)
        await pilot.press("n")
        await answer(pilot, quiz, right=True)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert db_rows(data, "SELECT question_id, mode FROM attempts WHERE mode = 'review'"
                             " ORDER BY question_id") == [("pe-gateway", "review"),
                                                           ("pn-hourly", "review")]
        assert db_rows(data, "SELECT mode, finished IS NOT NULL FROM sessions"
                             " WHERE mode = 'review'") == [("review", 1)]
        assert app.progress.due_summary().now == 0
        assert "nothing now" in home_progress_text(app)


async def test_review_with_nothing_due_says_so(data):
    app = build(data)
    seen = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("Nothing is due" in m for m in seen)


async def test_drills_record_attempts_but_leave_the_schedule_alone(data):
    seed(data, [("pe-gateway", False, NOW - timedelta(days=1)),
                ("pe-interface", True, NOW - timedelta(days=1, minutes=-1)),
                ("pn-hourly", False, NOW - timedelta(days=1, minutes=-2))])
    before = db_rows(data, "SELECT question_id, card, due FROM cards ORDER BY question_id")
    app = build(data)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        setup = app.screen
        scopes = setup.query_one("#setup-scope", OptionList)
        ids = [scopes.get_option_at_index(i).id for i in range(scopes.option_count)]
        assert not scopes.get_option("wrong").disabled and not scopes.get_option("weak").disabled
        assert "3 due now" in str(scopes.get_option("due").prompt)  # learning steps: minutes
        scopes.highlighted = ids.index("wrong")
        await pilot.press("enter")
        await pilot.pause()
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        assert {q.id for q in quiz.session.questions} == {"pe-gateway", "pn-hourly"}
        await answer(pilot, quiz, right=True)
        assert "schedule is not changed" in str(quiz.view.prompt.content)
        assert not quiz.recorder.can_rate
        await pilot.press("n")
        await answer(pilot, quiz, right=True)
    assert db_rows(data, "SELECT COUNT(*) FROM attempts WHERE mode = 'drill'") == [(2,)]
    assert db_rows(data, "SELECT question_id, card, due FROM cards ORDER BY question_id") == before


# --------------------------------------------------------------------------- statistics


async def test_stats_screen_on_a_seeded_history(data):
    seed_history(data)
    app = build(data)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        stats = app.screen
        assert isinstance(stats, StatsScreen)
        summary = text_of(stats.query_one("#stats-summary", Static))
        assert "11 · 6 right (55%)" in summary
        assert "5 of 5 answered" in summary
        assert "4 · streak 3 days (longest 3)" in summary
        assert "1 answer to 1 question no longer in the content" in summary
        tags = text_of(stats.query_one("#stats-tags", Static))
        assert "network/endpoint" in tags and "cost" in tags
        exams = text_of(stats.query_one("#stats-exams", Static))
        assert "1/2" in exams and "network/endpoint, cost" in exams
        assert "✘ fail 72%" in exams and "2:12 of 4:00" in exams
        # the short lists first, the long per-tag table (dozens of rows in a real deck) last
        tops = [stats.query_one(f"#stats-{part}").region.y for part in ("weakest", "exams", "tags")]
        assert tops == sorted(tops), tops
        table = stats.query_one("#stats-weakest", DataTable)
        # pn-az 0/2, pe-gateway 1/3, pn-hourly 1/2 ... (never-wrong questions are left out)
        assert table.row_count == 3
        # The first column holds the cursor mark (❯ on the highlighted row, the first).
        first_row = [str(c) for c in table.get_row_at(0)]
        assert first_row[0] == "❯" and first_row[3] == "0%" and first_row[4] == "0/2"
        # Content is text, never markup: the fixture note's title shows its brackets.
        assert str(table.get_row_at(1)[2]).startswith("Endpoints 정리 [bold]not")
        # Enter opens the note of the highlighted weak question (pn-az: the NAT note).
        await pilot.press("w")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        assert app.screen.note.id == "progress-nat"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)


async def test_stats_are_computed_once_per_showing(data, monkeypatch):
    """Opening the statistics computes them once (not again when the screen first shows);
    coming back to them from a note computes them again (answers may have been given)."""
    seed_history(data)
    app = build(data)
    computed: list[int] = []
    real = Progress.stats

    def counted(self, **kwargs):
        computed.append(1)
        return real(self, **kwargs)

    monkeypatch.setattr(Progress, "stats", counted)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert len(computed) == 1
        await pilot.press("w", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert len(computed) == 2


async def test_stats_screen_with_no_answers(data):
    app = build(data)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        stats = app.screen
        assert isinstance(stats, StatsScreen)
        assert "none yet" in text_of(stats.query_one("#stats-summary", Static))
        assert not stats.query_one("#stats-weakest", DataTable).display
        assert not stats.query_one("#stats-exams", Static).display
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


def test_day_chart_draws_a_bar_per_day_and_nothing_on_idle_days():
    today = NOW.date()
    chart = day_chart({today: 8, today - timedelta(days=2): 2}, today, days=4, height=2)
    lines = chart.plain.splitlines()
    assert lines[0].startswith("8 ┤")
    # columns: 3 days ago (0), 2 days ago (2), yesterday (0), today (8)
    top, bottom = lines[0][3:], lines[1][3:]
    assert top == "      █ "
    assert bottom == "  ▄   █ "
    assert lines[2] == "0 └" + "─" * 8
    assert lines[3].split() == ["17", "Mar", "today"]


def test_meter_fills_in_eighths():
    assert meter(1.0, 4).plain == "████"
    assert meter(0.0, 4).plain == "░░░░"
    assert meter(0.5, 3).plain == "█▌░"


async def test_a_submitted_exam_is_recorded_and_listed_in_the_stats(data):
    from studyvpc.study.exam import ExamSettings, MockExam
    from studyvpc.progress.exams import Submitted
    from studyvpc.ui.tui.screens.exam import keeper_for
    from studyvpc.ui.tui.screens.exam_screen import ExamScreen

    app = build(data)
    async with app.run_test(size=(120, 40)) as pilot:
        exam = MockExam.start(list(app.library.questions), ExamSettings(count=2, time_limit_s=600,
                                                                        seed=3),
                              clock=lambda: 0.0, scope="all questions")
        first = exam.items[0]
        exam.select(sorted(first.shown.correct_letters)[0], 0)
        result = exam.submit()
        app.post_message(ExamScreen.Submitted(Submitted(exam, result, None, NOW),
                                              keeper_for(app)))
        await pilot.pause()
        assert db_rows(data, "SELECT mode, scope, finished IS NOT NULL FROM sessions") == [
            ("exam", "all questions", 1)]
        assert db_rows(data, "SELECT COUNT(*), SUM(correct) FROM attempts WHERE mode = 'exam'") == [
            (2, 1)]
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert "1/2 (50%) ✘ fail 72% · Exam:" in home_progress_text(app)
        await pilot.press("s")
        await pilot.pause()
        exams = text_of(app.screen.query_one("#stats-exams", Static))
        assert "1/2" in exams and "50%" in exams and "all questions" in exams
        # judged against its own mark, with the time it took of the time it had
        assert "✘ fail 72%" in exams and "of 10:00" in exams


async def test_a_submitted_exam_survives_a_failed_save_and_a_kill_and_is_recorded_once(data):
    """The exam is submitted, but the database says "locked" (or the app is killed before it
    records the exam): the save file keeps the submitted exam, the next start records it, and
    a save file that outlived its recording never counts the exam twice."""
    from studyvpc.study.exam import ExamSettings
    from studyvpc.progress.store import ProgressError
    from studyvpc.progress.exam_file import ExamFile
    from studyvpc.ui.tui.screens.exam import start_exam
    from studyvpc.ui.tui.screens.exam_modals import ResumeExamScreen
    from studyvpc.ui.tui.screens.exam_results import ExamResultsScreen

    app = build(data)
    seen = record_notifications(app)

    def locked(*args, **kwargs):
        raise ProgressError("The progress database stayed busy for 5 s")

    app.progress.record_exam = locked
    async with app.run_test(size=(100, 30)) as pilot:
        start_exam(app, ExamSettings(count=2, time_limit_s=600, seed=3), data_dir=data,
                   clock=lambda: 0.0)
        await pilot.pause()
        exam = app.screen.exam
        await pilot.press(sorted(exam.items[0].shown.correct_letters)[0].lower())
        await pilot.press("s", "y")  # the second question unanswered: confirm
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        assert any("The finished exam is kept in" in m for m in seen), seen
    files = ExamFile(data)
    assert files.load() is None, "no longer in progress: never offered back for resuming"
    [kept] = files.finished()
    state = files.load(kept)
    assert state["submitted"] and state["submitted_at"] and state["exam_id"] == exam.exam_id
    assert db_rows(data, "SELECT COUNT(*) FROM sessions WHERE mode = 'exam'") == [(0,)]

    app = build(data)  # the next start records it, without offering to resume it
    seen = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, ResumeExamScreen)
        assert any("was added to your statistics" in m and "1/2, failed" in m for m in seen), seen
    assert db_rows(data, "SELECT s.id, COUNT(a.uuid), SUM(a.correct), e.pass_mark, "
                         "e.time_limit_s FROM sessions s JOIN attempts a ON a.session_id = s.id"
                         " JOIN exams e ON e.session_id = s.id GROUP BY s.id") == [
        (exam.exam_id, 2, 1, 0.72, 600)]
    assert files.finished() == [] and files.load() is None

    files.save_finished(state)  # a kill after recording, before the file was removed
    app = build(data)
    seen = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not any("was added" in m for m in seen)
    assert db_rows(data, "SELECT COUNT(*) FROM attempts WHERE mode = 'exam'") == [(2,)]
    assert files.finished() == []


async def test_an_exam_finished_while_the_database_is_unusable_waits_for_it(data):
    """Damaged database: the exam is scored and shown, kept in its own file (a new exam does
    not overwrite it), and stored once the learner has moved the damaged file aside."""
    from studyvpc.study.exam import ExamSettings
    from studyvpc.progress.exam_file import ExamFile
    from studyvpc.ui.tui.screens.exam import start_exam
    from studyvpc.ui.tui.screens.exam_screen import ExamScreen

    data.mkdir()
    damaged = data / "progress.sqlite3"
    damaged.write_bytes(b"not SQLite " * 500)
    app = build(data)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not app.progress.saved
        start_exam(app, ExamSettings(count=1, time_limit_s=600, seed=3), data_dir=data,
                   clock=lambda: 0.0)
        await pilot.pause()
        first = app.screen.exam
        await pilot.press(sorted(first.items[0].shown.correct_letters)[0].lower(), "s")
        await pilot.pause()
        await pilot.press("q")  # leave the results
        await pilot.pause()
        start_exam(app, ExamSettings(count=2, time_limit_s=600, seed=4), data_dir=data,
                   clock=lambda: 0.0)  # a new exam, saved as it goes
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen) and app.screen.exam is not first
        await pilot.press("1")
        await pilot.pause()
    files = ExamFile(data)
    [kept] = files.finished()
    assert files.load(kept)["exam_id"] == first.exam_id, "the finished exam is still kept"
    assert files.load()["exam_id"] != first.exam_id

    damaged.rename(data / "damaged.sqlite3")  # what the warning tells the learner to do
    app = build(data)
    seen = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert any("(1/1, passed) was added to your statistics" in m for m in seen), seen
    assert db_rows(data, "SELECT id FROM sessions WHERE mode = 'exam'") == [(first.exam_id,)]
    assert files.finished() == []


async def test_home_left_open_counts_cards_as_they_fall_due(data, monkeypatch):
    seed(data, [("pe-gateway", False, NOW)])  # Again: due again in a few minutes
    monkeypatch.setattr(HomeScreen, "PROGRESS_REFRESH_S", 0.05)
    now = [NOW]
    app = build(data, now=None)
    app.progress.clock = lambda: now[0]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        before = home_progress_text(app)
        assert "1 now" not in before, before
        now[0] = NOW + timedelta(days=1)  # the learner comes back to the open screen
        await pilot.pause(0.3)
        assert "1 now" in home_progress_text(app), (before, home_progress_text(app))

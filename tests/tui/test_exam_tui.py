"""The mock exam in the TUI, driven with Pilot: setup, taking it, submitting, review, resume.

Fixture content: tests/fixtures/content/exam (three questions: a single-answer one, a
"choose 2" one and a Korean one, in two domains). Options are shuffled by the seed, so the keys
to press are worked out from the exam object on screen, never hard-coded. Time comes from a
`Clock` the test moves by hand; nothing here waits for real time to pass except the one test
that checks the interval is wired (it polls, with a generous limit, and asserts no duration).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
import studyvpc.ui.tui.app
from textual.geometry import Region
from textual.widget import Widget

from studyvpc.ui.cli.main import build_parser
from studyvpc.study.exam import ExamItem, ExamSettings, MockExam
from studyvpc.content.library import Library
from studyvpc.content.loader import load_library
from studyvpc.content.results import LoadResult
from studyvpc.content.model import Note, Option, Question
from studyvpc.progress.exam_file import ExamFile
from studyvpc.ui.tui.app import StudyApp, make_app
from studyvpc.ui.tui.screens.exam import keeper_for, maybe_offer_resume, start_exam
from studyvpc.ui.tui.screens.exam_modals import ConfirmScreen, ResumeExamScreen
from studyvpc.ui.tui.screens.exam_results import ExamResultsScreen
from studyvpc.ui.tui.screens.exam_screen import ExamScreen
from studyvpc.ui.context import AppContext, ExamRequest, StartRequest
from studyvpc.ui.tui.screens.exam_setup import ExamSetupScreen
from studyvpc.ui.tui.widgets.exam_navigator import NavCell
from studyvpc.ui.tui.widgets.exam_review import ExamReviewItem
from studyvpc.ui.tui.widgets.options import OptionRow
from support.notify import record_notifications
from support.shared import HOSTILE_STRINGS as HOSTILE

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "content" / "exam"
SEED = 11


class Clock:
    """A monotonic clock that moves only when the test says so."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class RecordingApp(StudyApp):
    """The real app, plus a handler for the hook the progress store will use."""

    CSS_PATH = str(Path(studyvpc.ui.tui.app.__file__).with_name("app.tcss"))  # not beside this file

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.submitted: list[ExamScreen.Submitted] = []

    def on_exam_screen_submitted(self, message: ExamScreen.Submitted) -> None:
        self.submitted.append(message)


def fixture_result():
    result = load_library([FIXTURES])
    assert result.ok, result.errors
    return result


def build(data_dir: Path, clock: Clock | None = None, *, start: str = "home",
          args: argparse.Namespace | None = None) -> StudyApp:
    request = StartRequest.from_args(args, start) if args is not None else None
    return make_app(fixture_result(), seed=SEED, start=start, request=request,
                    data_dir=data_dir, exam_clock=clock)


def text_of(widget: Widget) -> str:
    """What a widget draws, its whole height (children one after the other)."""
    if widget.children:
        return "\n".join(text_of(c) for c in widget.children if c.display)
    width, height = widget.outer_size
    return "\n".join(s.text.rstrip() for s in widget.render_lines(Region(0, 0, width, height)))


def label(cell: NavCell) -> str:
    """A navigator cell's text (drawn or not: the navigator is hidden on narrow terminals)."""
    return str(cell.content).strip()


def flat(text: str) -> str:
    return " ".join(text.split())


def dialog_text(screen) -> str:
    """The body of an exam dialog (confirm, resume offer), on one line."""
    return flat(text_of(screen.query_one(".exam-dialog-body")))


def right_keys(item: ExamItem) -> list[str]:
    return [letter.lower() for letter in sorted(item.shown.correct_letters)]


def wrong_keys(item: ExamItem) -> list[str]:
    """A full but wrong answer: for "choose 2", one right option and one wrong one."""
    wrong = [o.letter for o in item.shown.options if not o.option.correct]
    right = sorted(item.shown.correct_letters)
    return [letter.lower() for letter in right[: item.question.choose - 1] + wrong[:1]]


def change_to_right_keys(item: ExamItem) -> list[str]:
    """From `wrong_keys` to the right answer: re-press to deselect (multi), then choose."""
    if item.question.is_multi:
        wrong = [k for k in wrong_keys(item) if k not in right_keys(item)]
        return wrong + [k for k in right_keys(item) if k not in wrong_keys(item)]
    return right_keys(item)


async def open_exam(app: StudyApp, pilot, data_dir: Path, clock: Clock) -> ExamScreen:
    start_exam(app, ExamRequest(), data_dir=data_dir, clock=clock)
    await pilot.pause()
    assert isinstance(app.screen, ExamSetupScreen)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ExamScreen)
    return app.screen


# --------------------------------------------------------------------------- the whole exam


@pytest.mark.slow
async def test_three_question_exam_with_a_flag_a_change_and_an_unanswered_question(tmp_path):
    clock = Clock()
    app = RecordingApp(AppContext.open(fixture_result(), tmp_path, seed=SEED))
    saved = ExamFile(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_exam(app, pilot, tmp_path, clock)
        exam = screen.exam
        assert exam.total == 3 and exam.time_limit_s == 6 * 60 and exam.pass_mark == 0.72
        first, second, third = exam.items
        status = text_of(screen.query_one("#exam-status"))
        assert "Q 1/3" in status and "Answered 0/3" in status and "Time left 6:00" in status

        # Question 1: a wrong answer, then changed to the right one.
        await pilot.press(*wrong_keys(first))
        assert first.answered and not first.correct
        assert saved.load()["items"][0]["answer"], "an answer is saved at once"
        await pilot.press(*change_to_right_keys(first))
        assert first.correct, "the answer can be changed until submitting"
        # No feedback before the end: nothing on screen says right or wrong.
        shown = flat(text_of(screen.view))
        assert "correct" not in shown.lower() and "✔" not in shown and "✘" not in shown

        # Question 2: answered wrong and flagged for review.
        clock.now += 40
        await pilot.press("n", *wrong_keys(second), "f")
        assert exam.index == 1 and second.flagged and second.answered
        assert "⚑ flagged for review" in text_of(screen.view.heading)
        state = saved.load()
        assert state["items"][1]["flagged"] and state["index"] == 1
        assert state["time_used_s"] == pytest.approx(40)

        # Question 3 is left unanswered; back and forth with → and ←.
        await pilot.press("right")
        assert exam.index == 2
        await pilot.press("left", "p")
        assert exam.index == 0
        await pilot.press("n", "n")
        nav = " ".join(label(c) for c in screen.navigator.cells)
        assert nav == "1● 2●⚑ [3○ ]", nav

        # Submitting asks first, saying how many are unanswered and flagged.
        clock.now += 35
        await pilot.press("s")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ConfirmScreen)
        body = dialog_text(modal)
        assert "1 question unanswered (3)" in body and "count as wrong" in body
        assert "1 question flagged for review (2)" in body
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and exam.result is None, "n keeps working"
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()

        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        result = exam.result
        assert (result.right, result.total) == (1, 3) and not result.passed
        assert not result.auto_submitted and result.time_used_s == pytest.approx(75)
        assert saved.load() is None, "a submitted exam is no longer offered for resuming"
        assert [m.submitted.result for m in app.submitted] == [result], "the progress-store hook fired"
        await pilot.pause()
        exams = app.progress.finished_exams()
        assert [(e.mode, e.right, e.answered) for e in exams] == [("exam", 1, 3)], exams

        verdict = flat(text_of(results.query_one("#exam-result-verdict")))
        assert "✘ FAIL" in verdict and "Score 1/3 (33%)" in verdict and "pass mark 72%" in verdict
        timing = flat(text_of(results.query_one("#exam-result-time")))
        assert "Time used 1:15 of 6:00" in timing and "1 unanswered" in timing
        tags = text_of(results.query_one("#exam-result-tags"))
        by_tag = {line.split()[0]: line.split()[1] for line in tags.splitlines()[2:] if line.strip()}
        expected = {t: f"{s.right}/{s.total}" for t, s in result.by_tag.items()}
        assert by_tag == expected and by_tag["exam/fixture"] == "1/3"

        # Each review filter shows exactly its questions.
        assert results.shown_numbers() == [1, 2, 3]
        for key, numbers in (("i", [2, 3]), ("f", [2]), ("u", [3]), ("a", [1, 2, 3])):
            await pilot.press(key)
            await pilot.pause()
            assert results.shown_numbers() == numbers, key
        tabs = text_of(results.query_one("#exam-review-tabs"))
        assert all(t in tabs for t in ("All (3)", "Incorrect (2)", "Flagged (1)",
                                       "Unanswered (1)"))

        # Each question: the learner's answer, the right one, every option's why, explanation.
        items = {it.number: it for it in results.query(ExamReviewItem)}
        for number, item in zip((1, 2, 3), exam.items):
            drawn = flat(text_of(items[number]))
            mine = ", ".join(sorted(item.answer)) or "none"
            right = ", ".join(sorted(item.shown.correct_letters))
            assert f"Your answer: {mine}" in drawn and f"Correct answer: {right}" in drawn
            for opt in item.question.options:
                assert flat(opt.why) in drawn, opt.why
            assert flat(item.question.explanation).replace("**", "") in drawn
        assert "✔ Correct" in flat(text_of(items[1]))
        assert "✘ Incorrect" in flat(text_of(items[2])) and "⚑ flagged" in flat(text_of(items[2]))
        assert "○ Unanswered" in flat(text_of(items[3]))
        # The chosen wrong option is marked ✘ and the right ones ✔ (symbols, not colour alone).
        second_text = text_of(items[2])
        for opt in second.shown.options:
            line = next(ln for ln in second_text.splitlines()
                        if f" {opt.letter} {opt.option.text[:20]}" in ln)
            mark = "✔" if opt.option.correct else ("✘" if opt.letter in second.answer else "")
            assert (mark in line) if mark else ("✔" not in line and "✘" not in line), line

        await pilot.press("q")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"


async def test_a_full_choose_two_answer_refuses_a_third_option(tmp_path):
    clock = Clock()
    app = build(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exam(app, pilot, tmp_path, clock)
        exam = screen.exam
        index = next(i for i, it in enumerate(exam.items) if it.question.is_multi)
        screen.goto(index)
        await pilot.pause()
        item = exam.items[index]
        assert "Choose 2." in text_of(screen.view.prompt)
        await pilot.press(*right_keys(item))
        extra = next(o.letter for o in item.shown.options if o.letter not in item.answer)
        await pilot.press(extra.lower())
        assert set(item.answer) == item.shown.correct_letters, "a third choice is refused"
        assert "deselect" in flat(text_of(screen.view.prompt))
        await pilot.press(right_keys(item)[0])
        assert len(item.answer) == 1
        assert "◐" in label(screen.navigator.cells[index]), "partly answered"
        await pilot.press("x")
        assert not item.answered, "x clears the answer"


async def test_clicking_options_picks_them_in_the_order_clicked(tmp_path):
    """The exam's rows are the quiz's `OptionRow`, and a click picks as a key does."""
    clock = Clock()
    app = build(tmp_path, clock)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_exam(app, pilot, tmp_path, clock)
        exam = screen.exam
        index = next(i for i, it in enumerate(exam.items) if it.question.is_multi)
        screen.goto(index)
        await pilot.pause()
        item = exam.items[index]
        rows = screen.view.options.rows
        assert all(isinstance(row, OptionRow) for row in rows)
        await pilot.click(rows[2])
        await pilot.click(rows[0])
        await pilot.pause()
        assert item.answer == (item.shown.letters[2], item.shown.letters[0])
        assert "[x]" in text_of(rows[2]) and "[ ]" in text_of(rows[1])
        saved = exam.to_state()["items"][index]["answer"]
        assert saved == list(item.shown.original_keys(item.answer)), "saved in that order"
        await pilot.click(rows[2])
        await pilot.pause()
        assert item.answer == (item.shown.letters[0],), "a second click takes it back"


async def test_navigator_opens_on_g_at_80_columns_and_jumps(tmp_path):
    clock = Clock()
    app = build(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exam(app, pilot, tmp_path, clock)
        side = screen.query_one("#exam-side")
        assert not side.display, "hidden on a narrow terminal until asked for"
        await pilot.press("g")
        await pilot.pause()
        assert side.display and screen.navigator.has_focus
        await pilot.press("right", "right", "enter")
        await pilot.pause()
        assert screen.exam.index == 2 and not side.display and screen.focused is None
        assert ExamFile(tmp_path).load()["index"] == 2, "moving is saved too"
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("left", "escape")
        await pilot.pause()
        assert screen.exam.index == 2, "Escape closes the navigator without moving"
        assert isinstance(app.screen, ExamScreen)


@pytest.mark.slow
async def test_typing_a_number_in_the_navigator_moves_there_and_answers_nothing(tmp_path):
    questions = tuple(Question(f"n-q{i}", f"Question {i}?",
                               tuple(Option(k, f"option {k}", k == "A", "why") for k in "ABCD"),
                               note_id="n") for i in range(25))
    clock = Clock()
    app = build(tmp_path, clock)
    app.context.load_result = LoadResult(Library((Note("n", "Many", questions=questions),)))
    async with app.run_test(size=(80, 24)) as pilot:
        start_exam(app, ExamSettings(25, 3000, seed=1), data_dir=tmp_path, clock=clock)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        await pilot.press("g", "1", "2", "enter")
        await pilot.pause()
        assert screen.exam.index == 11
        assert not any(it.answered for it in screen.exam.items), \
            "digits typed in the grid never choose an option of the question behind it"
        await pilot.press("g", "3", "0", "enter")  # no question 30: the 0 starts over (none)
        await pilot.pause()
        assert screen.exam.index == 2
        await pilot.press("g", "end", "enter")
        await pilot.pause()
        assert screen.exam.index == 24
        await pilot.press("g", "home", "enter")
        await pilot.pause()
        assert screen.exam.index == 0
        assert not any(it.answered for it in screen.exam.items)
        await pilot.press("2")  # with the grid closed, a digit chooses an option again
        assert screen.exam.items[0].answered


async def test_navigator_is_always_shown_when_wide_and_a_click_jumps(tmp_path):
    clock = Clock()
    app = build(tmp_path, clock)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_exam(app, pilot, tmp_path, clock)
        assert screen.query_one("#exam-side").display
        cell = screen.navigator.cells[1]
        await pilot.click(cell)
        await pilot.pause()
        assert screen.exam.index == 1
        assert label(cell) == "[2○ ]" and "[2○ ]" in text_of(cell)


# --------------------------------------------------------------------------- time


async def test_the_exam_submits_itself_at_zero_even_over_the_confirmation(tmp_path):
    clock = Clock()
    app = build(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        start_exam(app, ExamSettings(3, 60, 0.72, SEED), data_dir=tmp_path, clock=clock)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        await pilot.press(*right_keys(screen.exam.current))
        clock.now += 58
        screen.tick()
        await pilot.pause()
        status = screen.query_one("#exam-status")
        assert "Time left 0:02 — hurry" in text_of(status) and status.has_class("-critical")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        clock.now += 3
        screen.tick()
        await pilot.pause()
        results = app.screen
        assert isinstance(results, ExamResultsScreen)
        assert results.result.auto_submitted and results.result.time_used_s == 60
        assert (results.result.right, results.result.total) == (1, 3), \
            "unanswered questions count as wrong"
        assert "Time ran out" in text_of(results.query_one("#exam-result-time"))
        assert ExamFile(tmp_path).load() is None
        assert [type(s).__name__ for s in app.screen_stack] == ["HomeScreen", "ExamResultsScreen"]


async def test_a_key_after_the_time_is_up_submits_instead_of_answering(tmp_path):
    clock = Clock()
    app = build(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        start_exam(app, ExamSettings(3, 60, 0.72, SEED), data_dir=tmp_path, clock=clock)
        await pilot.pause()
        screen = app.screen
        clock.now += 61  # before the interval notices
        await pilot.press(right_keys(screen.exam.current)[0])
        await pilot.pause()
        assert isinstance(app.screen, ExamResultsScreen)
        assert screen.exam.result.right == 0 and screen.exam.result.auto_submitted


async def test_the_interval_drives_the_countdown(tmp_path):
    clock = Clock()
    app = build(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        exam = MockExam.start(app.library.questions, ExamSettings(3, 60, seed=SEED), clock=clock)
        screen = ExamScreen(exam, keeper_for(app, tmp_path), tick_s=0.02)
        await app.push_screen(screen)
        await pilot.pause()
        assert "Time left 1:00" in text_of(screen.query_one("#exam-status"))
        clock.now += 61
        for _ in range(500):  # polls; the interval fires every 20 ms
            if isinstance(app.screen, ExamResultsScreen):
                break
            await pilot.pause(0.02)
        assert isinstance(app.screen, ExamResultsScreen)
        await pilot.pause()  # let the results finish mounting before the app closes
        assert app.screen.result.auto_submitted


async def test_time_is_saved_every_few_seconds(tmp_path):
    clock = Clock()
    app = build(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        start_exam(app, ExamSettings(3, 600, seed=SEED), data_dir=tmp_path, clock=clock)
        await pilot.pause()
        screen = app.screen
        clock.now += 3
        screen.tick()
        assert ExamFile(tmp_path).load()["time_used_s"] == 0, "not every second"
        clock.now += 3
        screen.tick()
        assert ExamFile(tmp_path).load()["time_used_s"] == pytest.approx(6)


# --------------------------------------------------------------------------- never lose an exam


def saved_exam(data_dir: Path, clock: Clock) -> MockExam:
    """An exam in progress on disk: first answered, second flagged, 100 s of 360 used."""
    library = fixture_result().library
    exam = MockExam.start(library.questions, ExamSettings(3, 360, 0.72, SEED), clock=clock,
                          scope="all questions")
    exam.select(exam.items[0].shown.letters[1], 0)
    exam.toggle_flag(1)
    exam.goto(1)
    clock.now += 100
    ExamFile(data_dir).save(exam.to_state())
    return exam


async def test_resume_offer_at_start_restores_answers_flags_and_time(tmp_path):
    before = saved_exam(tmp_path, Clock())
    clock = Clock(5.0)  # a new process: its clock has nothing to do with the old one
    app = build(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        offer = app.screen
        assert isinstance(offer, ResumeExamScreen)
        text = dialog_text(offer)
        assert "3 questions from all questions, 1 answered, 1 flagged, 4:20 left" in text
        clock.now += 30  # thinking about it does not cost exam time
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        exam = screen.exam
        assert exam.remaining_s == pytest.approx(260) and exam.index == 1
        for old, new in zip(before.items, exam.items):
            assert new.question.id == old.question.id and new.shown.letters == old.shown.letters
            assert [o.option.key for o in new.shown.options] == \
                   [o.option.key for o in old.shown.options]
            assert (new.answer, new.flagged) == (old.answer, old.flagged)
        assert "Time left 4:20" in text_of(screen.query_one("#exam-status"))
        assert "⚑ flagged for review" in text_of(screen.view.heading)
        nav = " ".join(label(c) for c in screen.navigator.cells)
        assert nav == "1● [2○⚑] 3○", nav


def test_the_resume_offer_counts_a_half_answered_choose_two_as_the_exam_does():
    from studyvpc.ui.tui.screens.exam import describe_saved

    library = fixture_result().library
    exam = MockExam.start(library.questions, ExamSettings(3, 360, 0.72, SEED), clock=Clock())
    multi = next(i for i, it in enumerate(exam.items) if it.question.choose == 2)
    single = next(i for i, it in enumerate(exam.items) if it.question.choose == 1)
    exam.select(exam.items[multi].shown.letters[0], multi)  # one of the two
    exam.select(exam.items[single].shown.letters[0], single)
    text = flat(describe_saved(exam).plain)
    assert "1 answered (1 partly), 0 flagged" in text


async def test_leaving_saves_and_the_exam_is_offered_again_from_the_home_key(tmp_path):
    clock = Clock()
    app = build(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exam(app, pilot, tmp_path, clock)
        await pilot.press(*right_keys(screen.exam.current), "f")
        clock.now += 20
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "5:40 left" in dialog_text(app.screen)
        await pilot.press("y")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        state = ExamFile(tmp_path).load()
        assert state["time_used_s"] == pytest.approx(20) and state["items"][0]["flagged"]
        clock.now += 500  # away from the exam: the clock is stopped
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ResumeExamScreen)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen)
        assert app.screen.exam.remaining_s == pytest.approx(340)


async def test_leaving_an_exam_that_cannot_be_saved_says_it_will_be_lost(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the data directory should be", encoding="utf-8")
    clock = Clock()
    app = build(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exam(app, pilot, blocker, clock)
        await pilot.press(*right_keys(screen.exam.current))
        assert screen.taking.error is not None
        await pilot.press("q")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        body = dialog_text(confirm)
        assert "cannot be saved" in body and "answers are lost" in body
        assert "saved with" not in body, "no promise of a save that did not happen"
        await pilot.press("enter")  # the safe answer has the focus: stay
        await pilot.pause()
        assert app.screen is screen


async def test_quitting_the_app_mid_exam_keeps_the_last_change(tmp_path):
    clock = Clock()
    app = build(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_exam(app, pilot, tmp_path, clock)
        clock.now += 3  # less than the autosave period
        screen.tick()
        await app.action_quit()
    assert ExamFile(tmp_path).load()["time_used_s"] == pytest.approx(3)


async def test_discard_asks_first_then_deletes_and_opens_the_setup(tmp_path):
    saved_exam(tmp_path, Clock())
    clock = Clock()
    app = build(tmp_path, clock, start="exam")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeExamScreen)
        await pilot.press("d")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmScreen)
        assert confirm.focused.id == "confirm-no", "Enter keeps the exam"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ResumeExamScreen), "not discarded: asked again"
        assert ExamFile(tmp_path).load() is not None
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert ExamFile(tmp_path).load() is None
        assert isinstance(app.screen, ExamSetupScreen)


async def test_an_exam_running_in_another_window_is_neither_offered_nor_overwritten(tmp_path):
    import subprocess
    import sys

    saved_exam(tmp_path, Clock())
    before = ExamFile(tmp_path).path.read_bytes()
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys; from studyvpc.progress.exam_file import ExamFile; "
         "assert ExamFile(sys.argv[1]).lock(); print('locked', flush=True); "
         "sys.stdin.readline()", str(tmp_path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        app = build(tmp_path, Clock(), start="exam")
        seen = record_notifications(app)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert not isinstance(app.screen, (ResumeExamScreen, ExamSetupScreen, ExamScreen))
            assert any("another studyvpc window" in m for m in seen), seen
        assert ExamFile(tmp_path).path.read_bytes() == before
    finally:
        holder.kill()
        holder.wait()


async def test_later_keeps_the_saved_exam(tmp_path):
    saved_exam(tmp_path, Clock())
    app = build(tmp_path, Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        assert ExamFile(tmp_path).load() is not None


@pytest.mark.parametrize("damage", ["not json", "questions gone"])
async def test_an_unusable_saved_exam_is_moved_aside_and_reported(tmp_path, damage):
    exam_file = ExamFile(tmp_path)
    if damage == "not json":
        exam_file.path.write_text("{half a sta", encoding="utf-8")
    else:
        saved_exam(tmp_path, Clock())
        state = exam_file.load()
        state["items"][0]["question"] = "a-question-removed-from-the-content"
        exam_file.save(state)
    app = build(tmp_path, Clock())
    notes: list[str] = []
    app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:  # the start-up offer finds it
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        assert maybe_offer_resume(app) is False
    assert exam_file.load() is None
    kept = list(tmp_path.glob("exam-in-progress.damaged*.json"))
    assert len(kept) == 1, "kept, never deleted"
    assert any("cannot be resumed" in n and str(kept[0]) in n for n in notes), notes


# --------------------------------------------------------------------------- setup


async def test_setup_defaults_fit_the_library_and_validate(tmp_path):
    clock = Clock()
    app = build(tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        start_exam(app, data_dir=tmp_path, clock=clock)
        await pilot.pause()
        setup = app.screen
        assert isinstance(setup, ExamSetupScreen)
        values = {i.id: i.value for i in setup.query("Input")}
        assert values == {"exam-count": "3", "exam-minutes": "6", "exam-pass": "72"}
        assert "of 3" in text_of(setup.query_one("#exam-count-max"))
        # Ticking a tag narrows the pool and the defaults follow it.
        pool = setup.query_one("#exam-setup-pool")
        pool.select("tag:domain/networking")
        await pilot.pause()
        assert setup.query_one("#exam-count").value == "2"
        assert setup.query_one("#exam-minutes").value == "4"
        assert "Pool: 2 questions from tag domain/networking" in \
               text_of(setup.query_one("#exam-setup-summary"))
        # The time follows the number of questions; an impossible number is refused.
        setup.query_one("#exam-count").value = "5"
        await pilot.pause()
        assert setup.query_one("#exam-minutes").value == "10"
        setup.action_start()
        await pilot.pause()
        assert isinstance(app.screen, ExamSetupScreen)
        assert "Questions: between 1 and 2" in text_of(setup.query_one("#exam-setup-error"))
        setup.query_one("#exam-minutes").value = "7.5"  # typed: it no longer follows
        setup.query_one("#exam-count").value = "1"
        setup.query_one("#exam-pass").value = "50"
        await pilot.pause()
        pool.deselect("tag:domain/networking")
        await pilot.pause()
        assert setup.query_one("#exam-count").value == "1", "typed: it no longer follows"
        pool.select("tag:domain/networking")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        exam = app.screen.exam
        assert exam.total == 1 and exam.pass_mark == 0.5 and exam.time_limit_s == 450
        assert all("domain/networking" in it.question.tags for it in exam.items)
        assert exam.scope == "tag domain/networking"


async def test_studyvpc_exam_opens_the_setup_filled_from_the_command_line(tmp_path):
    args = build_parser().parse_args(
        ["exam", "--count", "1", "--minutes", "2.5", "--tag", "domain/security",
         "--note", "exam-fixture", "--pass-mark", "80", "--seed", "4"])
    assert args.handler.__module__ == "studyvpc.ui.cli.exam"
    request = StartRequest.from_args(args, "exam").exam
    assert request == ExamRequest(count=1, minutes=2.5, tags=("domain/security",),
                                  notes=("exam-fixture",), pass_mark=80.0, seed=4)
    app = build(tmp_path, Clock(), start="exam", args=args)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        setup = app.screen
        assert isinstance(setup, ExamSetupScreen)
        values = {i.id: i.value for i in setup.query("Input")}
        assert values == {"exam-count": "1", "exam-minutes": "2.5", "exam-pass": "80"}
        assert setup.chosen() == (["domain/security"], ["exam-fixture"])
        assert setup.seed == 4
        await pilot.press("enter")
        await pilot.pause()
        exam = app.screen.exam
        assert exam.total == 1 and exam.time_limit_s == 150 and exam.pass_mark == 0.8


async def test_an_unknown_note_on_the_command_line_is_said_not_ignored(tmp_path):
    args = build_parser().parse_args(["exam", "--note", "no-such-note"])
    app = build(tmp_path, Clock(), start="exam", args=args)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        setup = app.screen
        assert isinstance(setup, ExamSetupScreen)
        error = flat(text_of(setup.query_one("#exam-setup-error")))
        assert "No note 'no-such-note' in the library" in error


def test_exam_command_line_checks_its_numbers(capsys):
    parser = build_parser()
    assert parser.parse_args(["exam"]).pass_mark == 72.0
    for bad in (["--count", "0"], ["--minutes", "-1"], ["--pass-mark", "120"],
                ["--pass-mark", "0.72"]):  # a share, not a percentage: 0.72%
        with pytest.raises(SystemExit):
            parser.parse_args(["exam", *bad])
    assert "must be" in capsys.readouterr().err
    assert StartRequest.from_args(argparse.Namespace()).exam == ExamRequest()


# --------------------------------------------------------------------------- content is data


async def test_hostile_content_shows_literally_in_the_exam_and_the_review(tmp_path):
    hostile = {h["name"]: h["text"] for h in json.loads(HOSTILE.read_text(encoding="utf-8"))}
    texts = list(hostile.values())
    options = tuple(Option(k, f"{texts[i]} ({k})", k == "A", f"why {texts[-1 - i]}")
                    for i, k in enumerate("ABCDEFGHIJ"))
    q = Question("hostile-q", "Stem " + hostile["rich markup tag"] + " "
                 + hostile["ANSI colour escape"], options[:8] + options[9:],
                 explanation=hostile["OSC 52 clipboard write"] + hostile["textual action markup"],
                 tags=("t/[bold]x[/]",), note_id="hostile")
    library = Library((Note("hostile", "Hostile", questions=(q,)),))
    clock = Clock()
    app = build(tmp_path, clock)
    app.context.load_result = LoadResult(library)
    async with app.run_test(size=(100, 30)) as pilot:
        start_exam(app, ExamSettings(1, 60, seed=1), data_dir=tmp_path, clock=clock)
        await pilot.pause()
        screen = app.screen
        drawn = text_of(screen.view)
        assert "[bold red]not bold[/bold red]" in drawn and "[@click=app.quit]quit[/]" in drawn
        assert "␛[31mred␛[0m" in drawn and "␛]52;c;aGVsbG8=␇" in drawn
        assert not any(c in drawn for c in "\x1b\x07\x08\r\x00")
        await pilot.press("1", "s")
        await pilot.pause()
        review = text_of(app.screen.query_one(ExamReviewItem))
        assert "[bold red]not bold[/bold red]" in review and "t/[bold]x[/]" in review
        assert "why before␀after" in review and "aGVsbG8=␇" in review
        assert not any(c in review for c in "\x1b\x07\x08\r\x00")
        assert app.is_running, "nothing ran as an action"


async def test_a_count_without_minutes_gets_two_minutes_a_question(tmp_path):
    app = build(tmp_path, Clock(), start="exam",
                args=build_parser().parse_args(["exam", "--count", "2"]))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        values = {i.id: i.value for i in app.screen.query("Input")}
        assert values == {"exam-count": "2", "exam-minutes": "4", "exam-pass": "72"}


KOREAN_WHY = ("Flow Logs는 트래픽 정보를 기록할 뿐 차단하지 않는다. 게다가 지금은 그 트래픽이 "
              "허용되고 있어 ACCEPT로 기록된다.")


def test_the_review_keeps_every_word_of_a_korean_why_at_any_width():
    """Rich wraps some lines of wide characters one cell too long; in a table column that
    crops with "…" the last word of such a line was lost (seen at 80 columns: "지금은 그"
    became "지금은 …")."""
    from rich.console import Console

    from studyvpc.ui.tui.widgets.exam_review import review_renderable

    options = (Option("A", "Block it with a network ACL", True, "NACL은 deny를 지원한다."),
               Option("B", "Enable VPC Flow Logs", False, KOREAN_WHY))
    q = Question("ko-q", "Which one blocks the traffic?", options, tags=("t",), note_id="n")
    exam = MockExam.start([q], ExamSettings(1, 60, seed=1))
    exam.submit()
    squeezed = "".join(KOREAN_WHY.split())
    for width in range(40, 121):
        console = Console(width=width, color_system=None, legacy_windows=False)
        with console.capture() as captured:
            console.print(review_renderable(1, exam.items[0]))
        drawn = captured.get()
        assert "…" not in drawn, width
        assert squeezed in "".join(drawn.split()), width


def test_the_review_shows_html_literally_links_by_label_and_options_by_their_shown_letters():
    """Whys and explanations are Markdown from content: raw HTML must show as text (Rich's own
    Markdown drops it), ``[[links]]`` as their labels, and "(B)" must name option B by the
    letter it was shown under in this exam."""
    from rich.console import Console

    from studyvpc.ui.tui.widgets.exam_review import review_renderable

    options = (Option("A", "Use a gateway endpoint", True, "<b>route table</b>에 경로가 생긴다."),
               Option("B", "Use a NAT gateway", False, "(A)와 달리 요금이 든다."),
               Option("C", "Use an internet gateway", False, "퍼블릭 경로다."),
               Option("D", "Use VPC peering", False, "S3에는 해당 없다."))
    q = Question("html-q", "Which keeps S3 traffic private? <script>alert(1)</script>", options,
                 explanation="Not (B) but (A); see [[vpc-flow|the flow note]].",
                 tags=("t",), note_id="n")
    for seed in range(50):  # an exam whose shuffle moved A and B off their own letters
        exam = MockExam.start([q], ExamSettings(1, 60, seed=seed))
        shown = {o.option.key: o.letter for o in exam.items[0].shown.options}
        if shown["A"] != "A" and shown["B"] != "B":
            break
    exam.submit()
    console = Console(width=100, color_system=None, legacy_windows=False)
    with console.capture() as captured:
        console.print(review_renderable(1, exam.items[0]))
    drawn = captured.get()
    assert "<script>alert(1)</script>" in drawn and "<b>route table</b>" in drawn
    assert f"Not ({shown['B']}) but ({shown['A']}); see the flow note." in drawn
    assert "[[" not in drawn
    assert f"({shown['A']})와 달리" in drawn

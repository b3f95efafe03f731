"""Keys a new user reaches for: `?` and F1 for help on every screen, the command palette
with every screen's actions (once each), Enter in the notes filter, Home/End, a footer that
fits at 80 columns, and no offer of a retry when nothing was missed."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.screen import once_drawn, screen_text
from textual.command import CommandList
from textual.widgets import Input

from studyvpc.content.loader import load_library
from studyvpc.study.exam import ExamSettings
from studyvpc.study.quiz import Scope
from studyvpc.ui.tui.app import make_app
from studyvpc.ui.tui.screens.browser import BrowserScreen
from studyvpc.ui.tui.screens.exam import start_exam
from studyvpc.ui.tui.screens.exam_results import ExamResultsScreen
from studyvpc.ui.tui.screens.exam_screen import ExamScreen
from studyvpc.ui.tui.screens.exam_setup import ExamSetupScreen
from studyvpc.ui.tui.screens.help import HelpScreen
from studyvpc.ui.tui.screens.home import HomeScreen
from studyvpc.ui.tui.screens.note import NoteScreen
from studyvpc.ui.tui.screens.quiz import QuizScreen
from studyvpc.ui.tui.screens.quiz_results import ResultsScreen
from studyvpc.ui.tui.screens.quiz_setup import QuizSetupScreen
from studyvpc.ui.tui.screens.stats import StatsScreen

ROOT = Path(__file__).resolve().parents[2]
EXAM = ROOT / "tests" / "fixtures" / "content" / "exam"
SHELL = ROOT / "tests" / "fixtures" / "content" / "shell"


def app_over(content: Path, data: Path, **kw):
    return make_app(load_library([content]), seed=3, data_dir=data, **kw)


def answer_keys(shown, *, right: bool) -> list[str]:
    """The keys that answer ``shown`` right (or wrong), Enter included for multi-answer."""
    letters = sorted(shown.correct_letters)
    if not right:
        wrong = [o.letter for o in shown.options if not o.option.correct]
        letters = letters[: shown.question.choose - 1] + wrong[:1]
    keys = [letter.lower() for letter in letters]
    return keys + ["enter"] if shown.question.is_multi else keys


async def home(pilot) -> None:
    app = pilot.app
    while len(app.screen_stack) > 1:
        app.pop_screen()
    await pilot.pause()


async def footer_fits(pilot, screen) -> list[str]:
    """The footer keys that are cut or hidden under the palette key at the right, once the
    footer has been rebuilt for the screen's bindings (it is rebuilt a refresh later)."""
    await once_drawn(pilot, lambda: any(k.key == "ctrl+p" and k.region.width
                                        for k in screen.query("FooterKey")))
    keys = {k.key: k for k in screen.query("FooterKey")}
    palette = keys.pop("ctrl+p")
    return [k for k, w in keys.items() if not w.region.width or w.region.right > palette.region.x]


# --------------------------------------------------------------------------- ? and F1


SCREENS = ["HomeScreen", "BrowserScreen", "NoteScreen", "QuizSetupScreen", "QuizScreen",
           "ResultsScreen", "ExamSetupScreen", "ExamScreen", "ExamResultsScreen", "StatsScreen"]


@pytest.mark.parametrize("name", SCREENS)
async def test_question_mark_and_f1_show_the_keys_on_every_screen(tmp_path, name):
    app = app_over(EXAM, tmp_path)

    async def quiz_results(pilot):
        screen = QuizScreen(app.library, Scope(), 3)
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.press(*answer_keys(screen.session.current, right=False), "q")

    exams = iter(range(100))

    async def exam(pilot):
        # A fresh data directory each time: the exam left behind would be offered back.
        start_exam(app, ExamSettings(3, 600, seed=3), data_dir=tmp_path / str(next(exams)))

    async def exam_results(pilot):
        await exam(pilot)
        await pilot.pause()
        await pilot.press("s", "y")

    async def call(pilot, what):
        what()

    openers = {
        "HomeScreen": (HomeScreen, lambda p: call(p, lambda: None)),
        "BrowserScreen": (BrowserScreen, lambda p: call(p, app.browse)),
        "NoteScreen": (NoteScreen, lambda p: call(p, lambda: app.open_note("exam-fixture"))),
        "QuizSetupScreen": (QuizSetupScreen, lambda p: call(p, app.start_quiz)),
        "QuizScreen": (QuizScreen, lambda p: call(p, lambda: app.start_quiz(Scope()))),
        "ResultsScreen": (ResultsScreen, quiz_results),
        # a number field has focus on the exam setup
        "ExamSetupScreen": (ExamSetupScreen, lambda p: call(p, app.start_exam)),
        "ExamScreen": (ExamScreen, exam),
        "ExamResultsScreen": (ExamResultsScreen, exam_results),
        "StatsScreen": (StatsScreen, lambda p: call(p, app.show_stats)),
    }
    assert list(openers) == SCREENS
    kind, opener = openers[name]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for key in ("question_mark", "f1"):
            await home(pilot)
            await opener(pilot)
            await pilot.pause()
            assert isinstance(app.screen, kind), (kind, app.screen)
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen), (kind.__name__, key, app.focused)
            assert kind.__name__ != "ExamSetupScreen" or "Start exam" in screen_text(app)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, kind)


async def test_question_mark_is_typed_where_text_is_expected_and_f1_still_helps(tmp_path):
    app = app_over(SHELL, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b", "slash", *"what?")
        await pilot.pause()
        box = app.screen.query_one("#filter", Input)
        assert box.value == "what?" and isinstance(app.screen, BrowserScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_number_fields_take_digits_not_the_help_key(tmp_path):
    app = app_over(EXAM, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        count = app.screen.query_one("#exam-count", Input)
        assert count.has_focus
        await pilot.press("end", "backspace", "2")
        assert count.value == "2"
        assert "? Keys" in screen_text(app).splitlines()[-1]  # offered in the footer too


# --------------------------------------------------------------------------- the palette


def titles(app) -> list[str]:
    return [c.title for c in app.get_system_commands(app.screen)]


async def palette_first_hit(pilot, query: str) -> str:
    await pilot.press("ctrl+p")
    await pilot.pause()
    await pilot.press(*query)
    for _ in range(50):  # the palette searches in a worker
        await pilot.pause()
        hits = pilot.app.screen.query(CommandList)
        if hits and hits.first().option_count:
            return str(hits.first().get_option_at_index(0).prompt)
    raise AssertionError(f"the palette found nothing for {query!r}")


async def test_the_palette_finds_the_exam_and_lists_each_command_once(tmp_path):
    app = app_over(SHELL, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        names = titles(app)
        assert len(names) == len({n.casefold() for n in names}), names
        assert [n for n in names if "theme" in n.lower()] == ["Theme"], names
        assert [n for n in names if "keys" in n.lower()] == ["Keys"], names
        for query in ("exam", "mock"):
            assert "Mock exam" in await palette_first_hit(pilot, query)
            await pilot.press("escape")
            await pilot.pause()
        await palette_first_hit(pilot, "mock exam")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ExamSetupScreen)


async def test_the_palette_has_the_actions_of_the_screen_it_is_opened_on(tmp_path):
    app = app_over(EXAM, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        start_exam(app, ExamSettings(3, 600, seed=3), data_dir=tmp_path)
        await pilot.pause()
        names = titles(app)
        for action in ("Next", "Prev", "Flag", "Jump", "Submit", "Leave"):
            assert names.count(action) == 1, (action, names)
        assert "Flag" in await palette_first_hit(pilot, "flag")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ExamScreen) and app.screen.exam.current.flagged


# --------------------------------------------------------------------------- item 8


async def test_enter_in_the_notes_filter_opens_the_highlighted_match(tmp_path):
    app = app_over(SHELL, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b", "slash", *"if-endpoint", "enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen) and app.screen.note.id == "shell-interface"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        # Nothing typed: Enter moves to the list, as before (there is no match to open).
        box = app.screen.query_one("#filter", Input)
        box.value = ""
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen) and not box.has_focus


async def test_results_offer_no_retry_when_nothing_was_missed(tmp_path):
    app = app_over(EXAM, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = QuizScreen(app.library, Scope(), 3)
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.press(*answer_keys(screen.session.current, right=True), "q")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen) and not app.screen.missed
        footer = screen_text(app).splitlines()[-1]
        assert "Retry" not in footer and "Open note" not in footer, footer
        assert "Retry" not in " ".join(titles(app))


async def test_home_and_end_scroll_the_feedback(tmp_path):
    app = app_over(EXAM, tmp_path)
    async with app.run_test(size=(60, 14)) as pilot:
        screen = QuizScreen(app.library, Scope(), 3)
        await app.push_screen(screen)
        await pilot.pause()
        await pilot.press(*answer_keys(screen.session.current, right=False))
        await pilot.pause()
        view = screen.view
        assert view.max_scroll_y > 0, "the feedback is taller than the screen"
        await pilot.press("end")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("home")
        await pilot.pause()
        assert view.scroll_y == 0


async def test_the_exam_footer_fits_80_columns_with_the_navigator_open(tmp_path):
    app = app_over(EXAM, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        start_exam(app, ExamSettings(3, 600, seed=3), data_dir=tmp_path)
        await pilot.pause()
        assert await footer_fits(pilot, app.screen) == []
        await pilot.press("g")  # the navigator's Enter joins the footer
        await pilot.pause()
        await pilot.pause()
        assert app.screen.navigator.has_focus
        assert await footer_fits(pilot, app.screen) == [], screen_text(app).splitlines()[-1]

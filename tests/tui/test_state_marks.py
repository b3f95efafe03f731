"""Every chosen, ticked or highlighted state is drawn in a glyph, not told by colour alone.

The screens are read as text (an SVG screenshot with its colours dropped, see
support.screen): what a learner on a monochrome terminal, with a theme whose colours are
close, or who does not tell the colours apart, sees. A state the text does not show is a
state that learner cannot see. The app runs with a theme of greys only, so nothing here
could lean on colour even if the text kept it.
"""

from __future__ import annotations

import re
from pathlib import Path

from progress_support import build as progress_app, seed_history, utc_local_time  # noqa: F401
from shell_support import SHELL_FIXTURES, load, note_opened
from support.screen import once_drawn, screen_lines, screen_text
from textual.theme import Theme

from studyvpc.content.loader import load_library
from studyvpc.study.exam import ExamSettings
from studyvpc.study.quiz import Scope
from studyvpc.ui.tui.app import make_app
from studyvpc.ui.tui.screens.exam import start_exam
from studyvpc.ui.tui.screens.quiz import QuizScreen
from studyvpc.ui.tui.screens.quiz_results import ResultsScreen
from studyvpc.ui.tui.screens.stats import StatsScreen

ROOT = Path(__file__).resolve().parents[2]
QUIZ = ROOT / "tests" / "fixtures" / "content" / "quiz"
EXAM = ROOT / "tests" / "fixtures" / "content" / "exam"
CURSOR = "❯"
"""The mark of the highlighted row (as the quiz's and the exam's option cursor)."""
GREYS = Theme(name="greys", primary="#c0c0c0", secondary="#a0a0a0", accent="#b0b0b0",
              foreground="#d0d0d0", background="#101010", surface="#202020", panel="#303030",
              success="#c0c0c0", warning="#c0c0c0", error="#c0c0c0", dark=True)
"""Every colour a grey: states told by colour alone disappear here, as on a mono terminal."""


def grey(app):
    app.register_theme(GREYS)
    app.theme = GREYS.name
    return app


def quiz_app(tmp_path):
    return grey(make_app(load_library([QUIZ]), seed=7, data_dir=tmp_path))


def line_with(app, text: str) -> str:
    found = [ln for ln in screen_lines(app) if text in ln]
    assert found, f"{text!r} is not on the screen:\n{screen_text(app)}"
    return found[0]


def marked(app) -> list[str]:
    """The screen's lines with the cursor mark, stripped."""
    return [ln.strip() for ln in screen_lines(app) if CURSOR in ln]


async def test_the_chosen_number_of_questions_has_the_dot_and_the_others_none(tmp_path):
    app = quiz_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        radios = line_with(app, "Questions:")
        # Textual drew ▐●▌ in every button, on or off.
        assert re.search(r"▐ ▌ 5 .*▐●▌ 10 .*▐ ▌ 20 .*▐ ▌ all", radios), radios
        await pilot.press("c")
        await pilot.pause()
        radios = line_with(app, "Questions:")
        assert re.search(r"▐ ▌ 5 .*▐ ▌ 10 .*▐●▌ 20 .*▐ ▌ all", radios), radios
        # Focused, the radio set's keyboard cursor is marked too (it is not the chosen one).
        await pilot.press("tab", "right")
        await pilot.pause()
        radios = line_with(app, "Questions:")
        assert f"{CURSOR}▐ ▌ all" in radios and "▐●▌ 20" in radios, radios


async def test_the_highlighted_scope_carries_the_cursor_and_moves_with_it(tmp_path):
    app = quiz_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        rows = marked(app)
        assert len(rows) == 1 and rows[0].startswith(f"▊ {CURSOR} All questions"), rows
        await pilot.press("down")  # past the drills, disabled with no answers yet
        await pilot.pause()
        rows = marked(app)
        assert len(rows) == 1 and rows[0].startswith(f"▊ {CURSOR} network  1 question"), rows


async def test_draw_from_ticks_show_a_check_and_the_highlighted_row_the_cursor(tmp_path):
    app = grey(make_app(load_library([EXAM]), seed=7, data_dir=tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        await pilot.pause()
        pool = [ln for ln in screen_lines(app) if "tag  " in ln or "note " in ln]
        assert pool and all("▐ ▌" in ln for ln in pool), pool  # nothing ticked: all empty
        app.screen.query_one("#exam-setup-pool").focus()
        await pilot.press("down", "space")  # tick the second choice
        await pilot.pause()
        ticked = line_with(app, "domain/networking")
        assert f"{CURSOR} ▐✔▌ tag  domain/networking" in ticked, ticked
        assert "▐ ▌ tag  domain  3" in line_with(app, "domain  3")


async def test_the_tag_tree_on_home_and_in_the_browser_marks_the_cursor_row(tmp_path):
    app = grey(make_app(load(SHELL_FIXTURES), seed=1, data_dir=tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert [r.split("  ")[0] for r in marked(app)] == [f"{CURSOR} ▶ security"]
        await pilot.press("down")
        await pilot.pause()
        assert [r.split("  ")[0] for r in marked(app)] == [f"{CURSOR} ▶ service"]
        await pilot.press("b")
        rows = await once_drawn(pilot, lambda: [r for r in marked(app) if f"── {CURSOR} " in r])
        assert len(rows) == 1 and f"── {CURSOR} " in rows[0], rows  # a note, under its tag


async def test_the_missed_questions_list_marks_the_highlighted_one(tmp_path):
    app = quiz_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = QuizScreen(app.library, Scope(), 7)
        await app.push_screen(screen)
        await pilot.pause()
        for _ in range(2):  # two wrong answers
            shown = screen.session.current
            wrong = next(o.letter for o in shown.options if not o.option.correct)
            await pilot.press(wrong.lower())
            if shown.question.is_multi:
                await pilot.press("enter")
            await pilot.press("n")
            await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        rows = marked(app)
        assert len(rows) == 1 and f"{CURSOR} ✘" in rows[0], rows
        await pilot.press("down")
        await pilot.pause()
        assert marked(app) != rows and len(marked(app)) == 1


async def test_the_weakest_questions_table_marks_its_cursor_row(tmp_path):
    data = tmp_path / "data"
    seed_history(data)
    app = grey(progress_app(data))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("s", "w")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        table = app.screen.query_one("#stats-weakest")
        first = [ln for ln in screen_lines(app) if CURSOR in ln]
        assert len(first) == 1 and table.row_count > 1
        await pilot.press("down")
        await pilot.pause()
        second = [ln for ln in screen_lines(app) if CURSOR in ln]
        assert len(second) == 1 and second != first


async def test_the_active_review_tab_and_the_navigator_cursor_are_marked(tmp_path):
    app = grey(make_app(load_library([EXAM]), seed=7, data_dir=tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        start_exam(app, ExamSettings(3, 600, seed=3), data_dir=tmp_path)
        await pilot.pause()
        await pilot.press("g", "right")
        await pilot.pause()
        cells = line_with(app, "[1○ ]")
        assert f"{CURSOR}2○" in cells, cells  # the keyboard cursor, beside the current [1]
        await pilot.press("escape", "s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        tabs = line_with(app, "Unanswered (")
        assert f"{CURSOR} All (3)" in tabs and f"{CURSOR} Incorrect" not in tabs, tabs
        await pilot.press("i")
        await pilot.pause()
        tabs = line_with(app, "Unanswered (")
        assert f"{CURSOR} Incorrect (3)" in tabs and f"{CURSOR} All" not in tabs, tabs


async def test_the_highlighted_link_of_a_note_is_marked(tmp_path):
    app = grey(make_app(load(SHELL_FIXTURES), seed=1, data_dir=tmp_path))
    async with app.run_test(size=(80, 50)) as pilot:
        await note_opened(pilot, "shell-gateway")
        links = app.screen.query("ListView")
        assert len(links) == 2, "the fixture note has a link and a backlink"
        assert not marked(app)  # neither list has focus: Enter follows neither
        for lst, line in ((links.first(), "[1] → Interface Endpoint 기초  shell-interface"),
                          (links.last(), "[2] ← Interface Endpoint 기초  shell-interface")):
            lst.focus()
            expected = [f"{CURSOR} {line}"]
            assert await once_drawn(pilot, lambda: marked(app), expected) == expected

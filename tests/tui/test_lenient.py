"""Content with warnings only is studied in the app: no screen stands in the way.

The seed note's YAML alone in a folder links to notes that are not there (warnings); an
option without a ``why`` is a warning too, and the quiz says no explanation was written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from shell_support import load, note_opened, widget_text
from support.notify import record_notifications

from studyvpc.content.model import NO_WHY
from studyvpc.study.quiz import Scope
from studyvpc.ui.tui.app import make_app
from studyvpc.ui.tui.screens.errors import ErrorsScreen
from studyvpc.ui.tui.screens.home import HomeScreen
from studyvpc.ui.tui.screens.note import NoteScreen
from studyvpc.ui.tui.screens.quiz import QuizScreen
from studyvpc.ui.tui.widgets.content import replace_links
from studyvpc.ui.tui.widgets.note_view import NoteView

ROOT = Path(__file__).resolve().parents[2]
SEED_YAML = ROOT / "content" / "lambda-vpc-s3-security.yaml"

NO_WHY_NOTE = """\
id: partly-explained
title: Partly explained
key_point: See [[not-written-yet|a later note]] and [[partly-explained]].
questions:
  - id: partly-explained-q1
    stem: Which one?
    options:
      - {key: A, text: the right one, correct: true}
      - {key: B, text: a wrong one, why: Because it is wrong.}
"""


def seed_alone(tmp_path: Path) -> Path:
    folder = tmp_path / "alone"
    folder.mkdir()
    shutil.copy(SEED_YAML, folder)
    return folder


async def test_the_seed_alone_opens_on_home_and_says_there_are_warnings(tmp_path):
    result = load(seed_alone(tmp_path))
    assert result.ok and result.errors, "the seed's links should dangle, as warnings"
    app = make_app(result, seed=1)
    said = record_notifications(app)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        n = len(result.errors)
        assert any(f"{n} warnings about the content" in s for s in said), said
        app.show_problems()
        await pilot.pause()
        assert isinstance(app.screen, ErrorsScreen)
        text = widget_text(app.screen.query_one("#errors")).replace("\n", " ")
        assert f"{n} warnings in 1 file" in text and "error" not in text.split("warnings")[0]
        assert "warning: see_also entry [[vpc-endpoint-policies]] resolves to no note" in " ".join(
            text.split())
        await pilot.press("escape")
        app.start_quiz(Scope("note", "lambda-vpc-s3-security"))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        right = next(o.letter for o in screen.session.current.options if o.option.correct)
        await pilot.press(right.lower())
        await pilot.pause()
        assert screen.view.result is not None and screen.view.result.correct


async def test_an_option_without_a_why_says_no_explanation_was_written(tmp_path):
    (tmp_path / "n.yaml").write_text(NO_WHY_NOTE, encoding="utf-8")
    result = load(tmp_path)
    assert result.ok and {e.severity for e in result.errors} == {"warning"}
    app = make_app(result, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        app.start_quiz(Scope("note", "partly-explained"))
        await pilot.pause()
        screen = app.screen
        wrong = next(o.letter for o in screen.session.current.options if not o.option.correct)
        await pilot.press(wrong.lower())
        await pilot.pause()
        rows = {r.letter: r for r in screen.view.options.rows}
        right = next(o.letter for o in screen.session.current.options if o.option.correct)
        assert NO_WHY in rows[right].why
        assert "Because it is wrong." in rows[wrong].why


async def test_a_dangling_link_shows_as_plain_text_without_a_number(tmp_path):
    (tmp_path / "n.yaml").write_text(NO_WHY_NOTE, encoding="utf-8")
    result = load(tmp_path)
    app = make_app(result, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await note_opened(pilot, "partly-explained")
        assert isinstance(app.screen, NoteScreen)
        view = app.screen.query_one(NoteView)
        assert view.link_number("not-written-yet") is None
        kp = widget_text(view.query_one("#note-key-point"))
        assert "a later note" in kp and "[1]" not in kp


def test_replace_links_bolds_and_numbers_only_links_that_lead_somewhere():
    text = "[[a|Alpha]], [[gone|Gone]] and [[b]]"
    numbers = {"a": 1}.get
    assert replace_links(text, numbers) == "**Alpha** [1], Gone and b"
    assert replace_links(text) == "**Alpha**, **Gone** and **b**"  # no library: all alike

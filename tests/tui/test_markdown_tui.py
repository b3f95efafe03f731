"""Markdown notes in the app: every fixture note opens, and its question is asked."""

from __future__ import annotations

from pathlib import Path

import pytest
from shell_support import load, note_opened, widget_text

from studyvpc.study.quiz import Scope
from studyvpc.ui.tui.app import make_app
from studyvpc.ui.tui.screens.home import HomeScreen
from studyvpc.ui.tui.screens.note import NoteScreen
from studyvpc.ui.tui.screens.quiz import QuizScreen
from studyvpc.ui.tui.widgets.note_view import NoteView

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "markdown"


@pytest.mark.parametrize("part", [0, 1, 2])  # a third of the notes each: the workers share them
async def test_every_markdown_note_opens_and_shows_its_parts(part):
    result = load(FIXTURES)
    assert result.ok
    app = make_app(result, seed=1)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)  # warnings only: no screen in the way
        assert len(app.library.notes) >= 15
        for note in app.library.notes[part::3]:
            await note_opened(pilot, note.id)
            assert isinstance(app.screen, NoteScreen)
            text = widget_text(app.screen.query_one(NoteView))
            assert note.title.split()[0] in text
            if note.flow:
                assert note.flow.steps[-1].name.split()[0] in text
            await pilot.press("escape")
            await pilot.pause()


async def test_a_markdown_question_is_asked_and_explained():
    app = make_app(load(FIXTURES), seed=3)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        app.start_quiz(Scope("note", "nat-gateway-basics"))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        wrong = next(o for o in screen.session.current.options if o.option.key == "A")
        await pilot.press(wrong.letter.lower())
        await pilot.pause()
        rows = {r.letter: r for r in screen.view.options.rows}
        assert rows[wrong.letter].why.startswith("Internet Gateway - ")
        right = next(o.letter for o in screen.session.current.options if o.option.correct)
        assert "No explanation written for this option." in rows[right].why

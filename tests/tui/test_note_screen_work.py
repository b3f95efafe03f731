"""What keeps opening a note quick (counted, not timed): a long note's parts below the first
screen are made after its first frame."""

from __future__ import annotations

from support.screen import once_drawn
from textual.widgets import ListView

from studyvpc.content.library import Library
from studyvpc.content.model import Caveat, Note, Section
from studyvpc.content.results import LoadResult
from studyvpc.ui.tui.app import make_app
from studyvpc.ui.tui.widgets.note_view import NoteView, rows_at_least

SECTIONS = 30


def long_note() -> Note:
    body = "A paragraph about gateway endpoints and route tables. " * 8
    return Note(id="long", title="A long note", key_point="short",
                sections=tuple(Section(f"Part {i}", f"{body}\n\n[[other]]")
                               for i in range(SECTIONS)),
                caveats=(Caveat("the last word", about="x"),))


def app_with_long_note():
    other = Note(id="other", title="Other", sections=(Section("s", "[[long]]"),))
    return make_app(LoadResult(Library((long_note(), other))), seed=1)


async def test_a_long_note_composes_its_first_screen_first():
    app = app_with_long_note()
    async with app.run_test(size=(80, 24)):
        view = NoteView(long_note(), app.library)
        first = list(view.compose())
        assert [w.id for w in first[:3]] == ["note-title", "note-meta", "note-key-point"]
        # Enough to fill the screen (at least its rows by the low guess), far from all parts.
        bodies = [w for w in first if "markdown" in w.classes]
        assert 1 <= len(bodies) < SECTIONS // 2
        assert sum(rows_at_least(s.body, 80) for s in long_note().sections[:len(bodies)]) >= 20


async def test_the_rest_of_a_long_note_follows_in_reading_order():
    app = app_with_long_note()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_note("long")
        view = await once_drawn(pilot, lambda: app.screen.query(NoteView).first(None))
        assert await once_drawn(pilot, lambda: view.complete)
        headings = [str(w.render()) for w in view.query(".heading")]
        assert headings == [f"Part {i}" for i in range(SECTIONS)] + [
            "Caveats · 주의", "Links · 관련 노트", "Linked from"]
        assert view.children[-1].id == "note-links-hint"


async def test_links_are_reached_before_the_rest_of_the_note_is_made():
    # `l` right after opening goes to the links at the end of a long note: it makes the rest
    # first instead of finding no list. The number keys need no widget at all.
    app = app_with_long_note()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_note("long")
        await once_drawn(pilot, lambda: app.screen.query(NoteView).first(None))
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen.focused, ListView)
        assert app.screen.view.complete
        await pilot.press("1")
        await pilot.pause()
        assert app.screen.note.id == "other"


async def test_a_long_note_left_at_once_is_left_cleanly():
    app = app_with_long_note()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_note("long")
        await pilot.press("escape")
        for _ in range(3):
            await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"

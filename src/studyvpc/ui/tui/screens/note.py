"""One note, read top to bottom; links lead to other notes, Esc comes back."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header

from studyvpc.content.model import Note
from studyvpc.ui.tui.screens.base import BackScreen
from studyvpc.ui.tui.widgets.keybar import KeyBar
from studyvpc.ui.tui.widgets.note_view import NoteView
from studyvpc.ui.tui.base import context_of


class NoteScreen(BackScreen):
    TITLE = "studyvpc"
    SUB_TITLE = "Note"
    BINDINGS = [
        Binding("backspace", "back", "Back", show=False),
        Binding("p", "practice", "Practice note",
                tooltip="Practise just this note's questions"),
        Binding("l", "links", "Links", tooltip="Go to the list of links to other notes"),
        *(Binding(str(n), f"follow({n})", "Follow link n", show=False) for n in range(1, 10)),
    ]

    def __init__(self, note: Note) -> None:
        super().__init__()
        self.note = note

    def compose(self) -> ComposeResult:
        yield Header()
        yield NoteView(self.note, context_of(self).library, id="note-view")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(NoteView).focus()

    @property
    def view(self) -> NoteView:
        return self.query_one(NoteView)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "practice":
            return True if self.note.questions else None  # shown dimmed without questions
        if action == "links":
            views = self.query(NoteView)
            return True if views and views.first().links else None
        return True

    def action_practice(self) -> None:
        if not self.note.questions:
            self.notify("This note has no questions.", severity="warning")
            return
        from studyvpc.study.quiz import Scope

        self.app.start_quiz(Scope("note", self.note.id))

    async def action_links(self) -> None:
        await self.view.focus_links()

    def action_follow(self, number: int) -> None:
        if not self.view.follow(number):
            self.notify(f"There is no link {number} to follow.", severity="warning")

    @on(NoteView.FollowLink)
    def _follow(self, event: NoteView.FollowLink) -> None:
        self.app.open_note(event.note_id)

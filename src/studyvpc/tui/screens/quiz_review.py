"""One answered question again, as it was after the answer (from the results screen)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header

from studyvpc.domain.quiz import AnswerResult
from studyvpc.tui.widgets.quiz_question import QuestionView


class QuestionReviewScreen(Screen[None]):
    """The question, your answer, and every option's explanation; Escape goes back."""

    CSS_PATH = "quiz.tcss"
    BINDINGS = [
        Binding("o", "open_note", "Open note", tooltip="Open the note this question comes from"),
        Binding("escape", "back", "Back", tooltip="Back to the results"),
        Binding("q", "back", "Back", show=False),
        Binding("up", "scroll(-1)", "Up", show=False),
        Binding("down", "scroll(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
    ]

    def __init__(self, result: AnswerResult) -> None:
        super().__init__()
        self.result = result
        self.view = QuestionView(id="review-question")

    def compose(self) -> ComposeResult:
        yield Header()
        yield self.view
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Review: {self.result.question.id}"
        self.view.show_result(self.result)

    def action_scroll(self, delta: int) -> None:
        if delta < 0:
            self.view.scroll_up(animate=False)
        else:
            self.view.scroll_down(animate=False)

    def action_page(self, delta: int) -> None:
        if delta < 0:
            self.view.scroll_page_up(animate=False)
        else:
            self.view.scroll_page_down(animate=False)

    def action_open_note(self) -> None:
        from studyvpc.tui.screens.quiz import open_note

        open_note(self, self.result.question.note_id)

    def action_back(self) -> None:
        self.dismiss()

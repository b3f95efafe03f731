"""One answered question again, as it was after the answer (from the results screen).

Opened on one of the missed questions, it steps through all of them with n and p (or → and
←), as a review of a practice exam does, without going back to the list each time.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header

from studyvpc.study.quiz import AnswerResult
from studyvpc.ui.tui.widgets.quiz_question import QuestionView


class QuestionReviewScreen(Screen[int]):
    """The question, your answer, and every option's explanation; Escape goes back."""

    CSS_PATH = "quiz.tcss"
    BINDINGS = [
        Binding("n,right", "step(1)", "Next missed", key_display="n",
                tooltip="The next missed question"),
        Binding("p,left", "step(-1)", "Previous", key_display="p",
                tooltip="The previous missed question"),
        Binding("o", "open_note", "Open note", tooltip="Open the note this question comes from"),
        Binding("escape", "back", "Back", tooltip="Back to the results"),
        Binding("q", "back", "Back", show=False),
        Binding("up", "scroll(-1)", "Up", show=False),
        Binding("down", "scroll(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
    ]

    def __init__(self, result: AnswerResult,
                 results: Sequence[AnswerResult] | None = None) -> None:
        super().__init__()
        self.results: tuple[AnswerResult, ...] = tuple(results or (result,))
        """The questions n and p step through (the missed ones), ``result`` among them."""
        self.index = self.results.index(result) if result in self.results else 0
        self.result = self.results[self.index]
        """The question on screen."""
        self.view = QuestionView(id="review-question")

    def compose(self) -> ComposeResult:
        yield Header()
        yield self.view
        yield Footer()

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        where = f" {self.index + 1}/{len(self.results)}" if len(self.results) > 1 else ""
        self.sub_title = f"Review{where}: {self.result.question.id}"
        self.view.show_result(self.result)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "step":
            if len(self.results) < 2:
                return False  # one question: the keys are not shown at all
            target = self.index + int(parameters[0])  # type: ignore[call-overload]
            return True if 0 <= target < len(self.results) else None  # dimmed at the ends
        return True

    def action_step(self, delta: int) -> None:
        target = self.index + delta
        if 0 <= target < len(self.results):
            self.index = target
            self.result = self.results[target]
            self._show()

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
        from studyvpc.ui.tui.screens.quiz import open_note

        open_note(self, self.result.question.note_id)

    def action_back(self) -> None:
        self.dismiss(self.index)  # where the reader got to, for the list to highlight

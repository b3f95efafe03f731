"""The exam's questions to the learner: submit anyway? leave? resume the saved exam?

Typed modal screens that return their answer with `dismiss` (ModalScreen[bool] / [str]).
Every choice has a key as well as a button; Escape always means the safe answer.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question. y or the first button: True; n, Escape or the second: False."""

    CSS_PATH = "exam.tcss"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", show=False),
        Binding("n", "answer(False)", "No", show=False),
        Binding("escape", "answer(False)", "Cancel"),
        Binding("left", "app.focus_previous", "Previous button", show=False),
        Binding("right", "app.focus_next", "Next button", show=False),
    ]

    def __init__(self, title: str, body: Content | str, *, yes: str = "Yes", no: str = "No",
                 default_yes: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.question_title = title
        self.body = body if isinstance(body, Content) else Content(body)
        self.yes = yes
        self.no = no
        self.default_yes = default_yes
        """Which button has focus first (Enter presses it): the safe one for destructive acts."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="exam-dialog") as box:
            box.border_title = self.question_title
            yield Static(self.body, classes="exam-dialog-body", markup=False)
            with Horizontal(classes="exam-dialog-buttons"):
                yield Button(Content(f"{self.yes} (y)"), id="confirm-yes", variant="primary")
                yield Button(Content(f"{self.no} (n)"), id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-yes" if self.default_yes else "#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "confirm-yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


RESUME = "resume"
DISCARD = "discard"


class ResumeExamScreen(ModalScreen[str]):
    """A saved exam was found: resume it, discard it, or decide later (keep it saved)."""

    CSS_PATH = "exam.tcss"
    BINDINGS = [
        Binding("r", "choose('resume')", "Resume", show=False),
        Binding("d", "choose('discard')", "Discard", show=False),
        Binding("escape", "choose('later')", "Later"),
        Binding("left", "app.focus_previous", "Previous button", show=False),
        Binding("right", "app.focus_next", "Next button", show=False),
    ]

    def __init__(self, summary: Content) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        with Vertical(classes="exam-dialog") as box:
            box.border_title = "Unfinished exam"
            yield Static(self.summary, classes="exam-dialog-body", markup=False)
            with Horizontal(classes="exam-dialog-buttons"):
                yield Button(Content("Resume (r)"), id="resume-resume", variant="primary")
                yield Button(Content("Discard (d)"), id="resume-discard", variant="error")
                yield Button(Content("Later (Esc)"), id="resume-later")

    def on_mount(self) -> None:
        self.query_one("#resume-resume", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss((event.button.id or "").removeprefix("resume-"))

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)

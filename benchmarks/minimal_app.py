"""The baseline: a minimal Textual app that does what studyvpc's start and browser do, and
nothing else. One Static on its first screen; ``b`` pushes a screen with a focused Input whose
every keystroke is echoed into a Static (a filter that costs nothing); Enter there pushes a
screen of text (a note); ``1`` on the first screen changes its text (an answer's feedback);
Escape goes back. benchmarks/run.py times the same keys on it and on studyvpc, interleaved."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static


class Note(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("A note\n\n" + "Some text. " * 200)
        yield Footer()


class Browser(Screen[None]):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter", id="filter")
        yield Static("All notes", id="matches")
        yield Footer()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#matches", Static).update(f"Matches for {event.value!r}")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.app.push_screen(Note())


class Minimal(App[None]):
    BINDINGS = [Binding("b", "browse", "Browse"), Binding("1", "answer", "Answer")]

    def __init__(self) -> None:
        super().__init__()
        self.answers = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Hello", id="hello")
        yield Footer()

    def action_browse(self) -> None:
        self.push_screen(Browser())

    def action_answer(self) -> None:
        self.answers += 1
        self.query_one("#hello", Static).update(f"Answered {self.answers}: correct.")


if __name__ == "__main__":
    Minimal().run()

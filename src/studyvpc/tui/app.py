"""The Textual application (a minimal home screen; the full TUI grows from here)."""

from __future__ import annotations

import argparse

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from studyvpc.domain.loader import LoadResult
from studyvpc.domain.textutil import visible


class StudyApp(App[int]):
    TITLE = "studyvpc"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, result: LoadResult, seed: int | None = None, start: str = "home") -> None:
        super().__init__()
        self.result = result
        self.seed = seed
        self.start = start

    def compose(self) -> ComposeResult:
        yield Header()
        lib = self.result.library
        if self.result.errors:
            body = Text("Content problems:\n\n")
            for err in self.result.errors:
                body.append(visible(str(err)) + "\n")
        else:
            body = Text(f"{len(lib.notes)} notes, {len(lib.questions)} questions\n\n")
            for note in lib.notes:
                body.append("• " + visible(note.title) + "\n")
        yield Static(body, id="home")
        yield Footer()


def make_app(result: LoadResult, seed: int | None = None, start: str = "home",
             args: argparse.Namespace | None = None) -> StudyApp:
    return StudyApp(result, seed=seed, start=start)

"""Content problems, located (``file:line:col``), shown instead of crashing.

The app still starts: the notes that did load stay usable behind this screen.
"""

from __future__ import annotations

from itertools import groupby

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from studyvpc.content.results import LoadResult
from studyvpc.content.textutil import visible
from studyvpc.ui.tui.screens.base import BackScreen
from studyvpc.content.textutil import plural


def describe_problems(result: LoadResult) -> Group:
    """A summary line, then each file's problems under its path."""
    lib = result.library
    parts: list[Text] = []
    errors = [e for e in result.errors if e.severity == "error"]
    warnings = [e for e in result.errors if e.severity != "error"]
    if not lib.note_count:
        parts.append(Text("No notes were loaded.", style="bold"))
        parts.append(Text(
            f"Read {plural(len(result.files), 'content file')}. Point the app at a folder of "
            "notes with --content DIR (or $STUDYVPC_CONTENT); docs/content-format.md describes "
            "the format."))
    if result.errors:
        counts = [plural(len(errors), "error")] if errors else []
        if warnings:
            counts.append(plural(len(warnings), "warning"))
        summary = Text(", ".join(counts), style="bold")
        files = {e.location.path for e in result.errors}
        summary.append(f" in {plural(len(files), 'file')}.")
        if lib.note_count:
            loaded = ("The note that loaded is" if lib.note_count == 1 else
                      f"The {lib.note_count} notes that loaded are")
            summary.append(f" {loaded} still available: press Esc to continue.", style="")
        summary.append(" Check again with `studyvpc validate`.", style="dim")
        parts.append(summary)
        key = lambda e: e.location.path  # noqa: E731
        for path, errs in groupby(sorted(result.errors, key=key), key=key):
            parts.append(Text(""))
            parts.append(Text(visible(path), style="bold underline"))
            # line:col in a column of its own, so a long message wraps under itself.
            grid = Table.grid(padding=(0, 2), pad_edge=False)
            grid.add_column(no_wrap=True, style="bold", justify="right")
            grid.add_column(ratio=1, overflow="fold")
            for e in sorted(errs, key=lambda e: (e.location.line, e.location.column)):
                message = Text()
                if e.severity != "error":
                    message.append(f"{e.severity}: ", style="italic")
                message.append(visible(e.message))
                grid.add_row(f"{e.location.line}:{e.location.column}", message)
            parts.append(Padding(grid, (0, 0, 0, 2)))
    return Group(*parts)


class ErrorsScreen(BackScreen):
    """The located problems of the content, scrollable."""

    TITLE = "studyvpc"
    SUB_TITLE = "Content problems"
    BINDINGS = [
        # Leaving this screen is going on to the app, not back: say so in the footer.
        Binding("escape", "back", "Continue", tooltip="Continue to the notes that loaded"),
        Binding("enter", "back", "Continue", show=False),
    ]

    def __init__(self, result: LoadResult) -> None:
        super().__init__()
        self.result = result

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="errors-scroll"):
            yield Static(describe_problems(self.result), id="errors")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#errors-scroll").focus()

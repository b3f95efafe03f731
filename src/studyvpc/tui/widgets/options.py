"""The options of a question: a pool of rows updated in place, before and after the answer.

Rows are created once and reused for every question (hidden when a question has fewer
options), so moving to the next question only updates text. The result is told by symbols
and words (✔ / ✘, "your answer", "correct") as well as by colour, so it survives a
monochrome terminal, a colour-blind reader and a screen reader.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.widgets import Static

from studyvpc.domain.quiz import AnswerResult, OptionFeedback, ShownOption
from studyvpc.domain.textutil import visible
from studyvpc.tui.widgets.content import content_markdown

CURSOR = "❯"


def feedback_words(fb: OptionFeedback) -> str:
    """The words that go with an option's mark (the same as the plain mode's)."""
    words = []
    if fb.chosen:
        words.append("your answer")
    if fb.correct:
        words.append("correct")
    return ", ".join(words)


class OptionRow(Horizontal):
    """One option: a prefix column (cursor, checkbox, mark, letter) and the text beside it.

    The text column holds the option's text and, after the answer, its `why` (Markdown), so
    wrapped lines hang under the text instead of under the letter.
    """

    DEFAULT_CSS = """
    OptionRow {
        height: auto;
        padding: 0 1 0 0;
        border-left: blank;
    }
    OptionRow > .option-prefix {
        width: auto;
        min-width: 5;
        padding: 0 1 0 0;
        text-style: bold;
    }
    OptionRow > Vertical {
        height: auto;
        width: 1fr;
    }
    OptionRow .option-text {
        width: 1fr;
    }
    OptionRow .option-why {
        width: 1fr;
        display: none;
        color: $text-muted;
    }
    OptionRow.-highlight {
        background: $boost;
        border-left: outer $accent;
    }
    OptionRow.-highlight .option-text {
        text-style: bold;
    }
    OptionRow.-toggled .option-prefix {
        color: $accent;
    }
    OptionRow.-answered {
        margin: 0 0 1 0;
    }
    OptionRow.-answered .option-why {
        display: block;
    }
    OptionRow.-correct {
        border-left: outer $success;
    }
    OptionRow.-correct > .option-prefix {
        color: $text-success;
    }
    OptionRow.-wrong {
        border-left: outer $error;
    }
    OptionRow.-wrong > .option-prefix {
        color: $text-error;
    }
    """

    class Clicked(Message):
        """The learner clicked this option."""

        def __init__(self, row: OptionRow) -> None:
            super().__init__()
            self.row = row

        @property
        def index(self) -> int:
            return self.row.index

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index
        """Position of the row in its panel (0-based)."""
        self.letter = ""
        """The letter currently shown in this row."""
        self._prefix = Static("", classes="option-prefix", markup=False)
        self._text = Static("", classes="option-text", markup=False)
        self._why = Static("", classes="option-why", markup=False)

    def compose(self) -> ComposeResult:
        yield self._prefix
        with Vertical():
            yield self._text
            yield self._why

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self))

    def present(self, shown: ShownOption, *, multi: bool, highlighted: bool, toggled: bool) -> None:
        """Show the option before the answer."""
        self.letter = shown.letter
        cursor = CURSOR if highlighted else " "
        box = ("[x] " if toggled else "[ ] ") if multi else ""
        self._prefix.update(Content(f"{cursor} {box}{shown.letter}"))
        self._text.update(Content(visible(shown.option.text)))
        self._why.update("")
        # One restyle of the row (and its children) for all the classes, and none if they
        # did not change: restyling is most of what a key press costs.
        self.update_classes({"-highlight": bool(highlighted), "-toggled": bool(toggled),
                             "-answered": False, "-correct": False, "-wrong": False})

    def reveal(self, fb: OptionFeedback) -> None:
        """Show the option after the answer: mark, words and why."""
        self.letter = fb.letter
        self._prefix.update(Content(f"{fb.mark} {fb.letter}"))
        words = feedback_words(fb)
        style = "$text-success bold" if fb.correct else ("$text-error bold" if fb.chosen else "")
        parts: list[str | tuple[str, str]] = [visible(fb.option.text)]
        if words:
            parts.append((f"  ({words})", style))
        self._text.update(Content.assemble(*parts))
        self._why.update(content_markdown(fb.why))
        self.update_classes({"-highlight": False, "-toggled": False, "-answered": True,
                             "-correct": bool(fb.correct),
                             "-wrong": bool(fb.chosen and not fb.correct)})


class OptionsPanel(Vertical):
    """The options of the current question. Keys are handled by the screen that owns it."""

    DEFAULT_CSS = """
    OptionsPanel {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[OptionRow] = []
        self._options: tuple[ShownOption, ...] = ()
        self.multi = False
        self.highlighted = 0
        self.toggled: set[str] = set()

    @property
    def rows(self) -> list[OptionRow]:
        """The rows in use for the current question."""
        return self._rows[: len(self._options)]

    def _ensure_rows(self, n: int) -> None:
        if n > len(self._rows):
            new = [OptionRow(i) for i in range(len(self._rows), n)]
            self._rows.extend(new)
            self.mount(*new)
        for i, row in enumerate(self._rows):
            row.display = i < n

    def show_options(self, options: tuple[ShownOption, ...], *, multi: bool) -> None:
        self._options = options
        self.multi = multi
        self.highlighted = 0
        self.toggled = set()
        self._ensure_rows(len(options))
        self._present()

    def _present(self) -> None:
        for i, (row, opt) in enumerate(zip(self._rows, self._options)):
            row.present(opt, multi=self.multi, highlighted=i == self.highlighted,
                        toggled=opt.letter in self.toggled)

    def move(self, delta: int) -> None:
        if self._options:
            self.highlighted = (self.highlighted + delta) % len(self._options)
            self._present()
            self.rows[self.highlighted].scroll_visible(animate=False)

    def highlight(self, index: int, *, toggle: bool = False) -> None:
        """Move the cursor to the option at ``index`` (and with ``toggle``, toggle it)."""
        if 0 <= index < len(self._options):
            self.highlighted = index
            if toggle:
                self.toggled ^= {self._options[index].letter}
            self._present()

    @property
    def highlighted_letter(self) -> str | None:
        if not self._options:
            return None
        return self._options[self.highlighted].letter

    def toggle(self, letter: str) -> None:
        self.toggled ^= {letter}
        self._present()

    def reveal(self, result: AnswerResult) -> None:
        self._options = result.shown.options
        self.multi = result.question.is_multi
        self._ensure_rows(len(result.feedback))
        for row, fb in zip(self._rows, result.feedback):
            row.reveal(fb)

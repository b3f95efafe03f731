"""A question during a mock exam: stem, how many to choose, options with the learner's marks.

No feedback: nothing here knows which option is right. The chosen options are told by a
symbol — ``(•)`` for a single answer, ``[x]`` for a multi-answer question — as well as by
colour. One view serves the whole exam; moving to another question updates it in place (the
option rows are a pool, the stem a `Static` holding a `rich.markdown.Markdown`).
"""

from __future__ import annotations

from rich.markdown import Markdown
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.widgets import Static

from studyvpc.study.exam import ExamItem
from studyvpc.study.quiz import ShownOption
from studyvpc.content.textutil import visible

CURSOR = "❯"
FLAG = "⚑"


def choice_box(multi: bool, chosen: bool) -> str:
    if multi:
        return "[x]" if chosen else "[ ]"
    return "(•)" if chosen else "( )"


def exam_instructions(item: ExamItem) -> Content:
    """What to press, and for a multi-answer question how many are chosen so far."""
    shown = item.shown
    letters = shown.letters
    span = letters[0] if len(letters) == 1 else f"{letters[0]}–{letters[-1]}"
    n = len(letters)
    numbers = "1" if n == 1 else f"1–{min(n, 9)}"
    need = item.question.choose
    if need > 1:
        return Content.assemble(
            (f"Choose {need}.", "bold"),
            f" Chosen {len(item.answer)} of {need}. Toggle with the letter ({span}) or "
            f"number ({numbers}); ↑↓ and Space work too.",
        )
    return Content.assemble(
        ("Choose 1.", "bold"),
        f" Press the letter ({span}) or number ({numbers}); press another to change it.",
    )


class ExamOptionRow(Horizontal):
    """One option: cursor, choice box and letter, then the option's text (wrapping under it)."""

    DEFAULT_CSS = """
    ExamOptionRow {
        height: auto;
        padding: 0 1 0 0;
        border-left: blank;
    }
    ExamOptionRow > .exam-option-prefix {
        width: auto;
        min-width: 9;
        padding: 0 1 0 0;
        text-style: bold;
    }
    ExamOptionRow > .exam-option-text {
        width: 1fr;
    }
    ExamOptionRow.-highlight {
        background: $boost;
    }
    ExamOptionRow.-chosen {
        border-left: outer $accent;
    }
    ExamOptionRow.-chosen > .exam-option-prefix {
        color: $text-accent;
    }
    ExamOptionRow.-chosen > .exam-option-text {
        text-style: bold;
    }
    """

    class Clicked(Message):
        """The learner clicked this option."""

        def __init__(self, row: ExamOptionRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, index: int) -> None:
        super().__init__()
        self.index = index
        """Position of the row (0-based)."""
        self.letter = ""
        self._prefix = Static("", classes="exam-option-prefix", markup=False)
        self._text = Static("", classes="exam-option-text", markup=False)

    def compose(self) -> ComposeResult:
        yield self._prefix
        yield self._text

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self))

    def present(self, shown: ShownOption, *, multi: bool, chosen: bool, highlighted: bool) -> None:
        self.letter = shown.letter
        cursor = CURSOR if highlighted else " "
        self._prefix.update(Content(f"{cursor} {choice_box(multi, chosen)} {shown.letter}"))
        self._text.update(Content(visible(shown.option.text)))
        self.set_class(highlighted, "-highlight")
        self.set_class(chosen, "-chosen")


class ExamQuestionView(VerticalScroll, can_focus=False):
    """The current question. The exam screen handles the keys; this view never takes focus."""

    DEFAULT_CSS = """
    ExamQuestionView {
        height: 1fr;
        padding: 0 1;
    }
    ExamQuestionView > .exam-q-heading {
        text-style: bold;
    }
    ExamQuestionView > .exam-q-stem {
        margin: 1 0;
    }
    ExamQuestionView > .exam-q-prompt {
        margin: 0 0 1 0;
        padding: 0 1;
        background: $boost;
    }
    ExamQuestionView > .exam-q-prompt.-error {
        background: $error-muted;
    }
    ExamQuestionView > Vertical {
        height: auto;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.item: ExamItem | None = None
        """The question on screen."""
        self.highlighted = 0
        """The option under the keyboard cursor (↑↓)."""
        self.heading = Static("", classes="exam-q-heading", markup=False)
        self.stem = Static("", classes="exam-q-stem", markup=False)
        self.prompt = Static("", classes="exam-q-prompt", markup=False)
        self._options = Vertical(classes="exam-q-options")
        self._rows: list[ExamOptionRow] = []

    def compose(self) -> ComposeResult:
        yield self.heading
        yield self.stem
        yield self.prompt
        yield self._options

    @property
    def rows(self) -> list[ExamOptionRow]:
        n = len(self.item.shown.options) if self.item else 0
        return self._rows[:n]

    def show_item(self, item: ExamItem, *, total: int) -> None:
        """Show another question (from the top, cursor on its first option)."""
        changed = item is not self.item
        self.item = item
        if changed:
            self.highlighted = 0
            self.stem.update(Markdown(visible(item.question.stem)))
            n = len(item.shown.options)
            if n > len(self._rows):
                new = [ExamOptionRow(i) for i in range(len(self._rows), n)]
                self._rows.extend(new)
                self._options.mount(*new)
            for i, row in enumerate(self._rows):
                row.display = i < n
        self.refresh_item(total=total)
        if changed:
            self.scroll_home(animate=False)

    def refresh_item(self, *, total: int, error: str = "") -> None:
        """Repaint the heading, the prompt and the marks (after an answer or a flag)."""
        item = self.item
        if item is None:
            return
        heading = Content.assemble((f"Question {item.shown.number} of {total}", "bold"))
        if item.flagged:
            heading = heading + Content.assemble("   ", (f"{FLAG} flagged for review",
                                                         "$text-warning bold"))
        self.heading.update(heading)
        if error:
            self.prompt.update(Content(error))
            self.prompt.add_class("-error")
        else:
            self.prompt.update(exam_instructions(item))
            self.prompt.remove_class("-error")
        multi = item.question.is_multi
        for i, (row, opt) in enumerate(zip(self._rows, item.shown.options)):
            row.present(opt, multi=multi, chosen=opt.letter in item.answer,
                        highlighted=i == self.highlighted)

    def move(self, delta: int, *, total: int) -> None:
        if self.item is None:
            return
        self.highlighted = (self.highlighted + delta) % len(self.item.shown.options)
        self.refresh_item(total=total)
        self.rows[self.highlighted].scroll_visible(animate=False)

    @property
    def highlighted_letter(self) -> str | None:
        if self.item is None:
            return None
        return self.item.shown.options[self.highlighted].letter

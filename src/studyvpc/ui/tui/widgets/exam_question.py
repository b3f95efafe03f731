"""A question during a mock exam: stem, how many to choose, options with the learner's marks.

No feedback: nothing here knows which option is right. The chosen options are told by a
symbol — ``(•)`` for a single answer, ``[x]`` for a multi-answer question, as the question's
kind draws them — as well as by colour. One view serves the whole exam; moving to another
question updates it in place (the option rows are the quiz's `OptionsPanel`, the stem a
`Static` holding a `rich.markdown.Markdown`).
"""

from __future__ import annotations

from rich.markdown import Markdown
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from studyvpc.content.textutil import visible
from studyvpc.study.exam import ExamItem
from studyvpc.study.kinds import OptionInput
from studyvpc.ui.tui.widgets.options import OptionsPanel

FLAG = "⚑"
PREFIX_CELLS = 9
"""Cells before an option's text: the cursor, the box and the letter, and a space."""


def exam_instructions(item: ExamItem) -> Content:
    """What to press, and for a multi-answer question how many are chosen so far."""
    shown = item.shown
    letters = shown.letters
    span = letters[0] if len(letters) == 1 else f"{letters[0]}–{letters[-1]}"
    n = len(letters)
    numbers = "1" if n == 1 else f"1–{min(n, 9)}"
    kind, q = shown.kind, item.question
    if kind.toggles:
        return Content.assemble(
            (kind.prompt(q), "bold"),
            f" Chosen {len(item.answer)} of {kind.need(q)}. Toggle with the letter ({span}) or "
            f"number ({numbers}); ↑↓ and Space work too.",
        )
    return Content.assemble(
        (kind.prompt(q), "bold"),
        f" Press the letter ({span}) or number ({numbers}); press another to change it.",
    )


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
    /* What is chosen stays marked while the learner moves on; the cursor is only a tint. */
    ExamQuestionView OptionRow.-toggled {
        border-left: outer $accent;
    }
    ExamQuestionView OptionsPanel > .option-row--text-toggled {
        text-style: bold;
    }
    ExamQuestionView OptionsPanel > .option-row--toggled {
        color: $text-accent;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.item: ExamItem | None = None
        """The question on screen."""
        self.heading = Static("", classes="exam-q-heading", markup=False)
        self.stem = Static("", classes="exam-q-stem", markup=False)
        self.prompt = Static("", classes="exam-q-prompt", markup=False)
        self.options = OptionsPanel(classes="exam-q-options", radio=True,
                                    min_prefix=PREFIX_CELLS)

    def compose(self) -> ComposeResult:
        yield self.heading
        yield self.stem
        yield self.prompt
        yield self.options

    @property
    def input(self) -> OptionInput:
        """The cursor and the selection of the question on screen."""
        assert self.options.input is not None, "no question shown"
        return self.options.input

    def show_item(self, item: ExamItem, *, total: int) -> None:
        """Show another question (from the top, cursor on its first option)."""
        changed = item is not self.item
        self.item = item
        if not changed:
            self.refresh_item(total=total)
            return
        self.stem.update(Markdown(visible(item.question.stem)))
        self._show_text(item, total, "")
        self.options.show_options(item.shown.options,
                                  OptionInput(item.question, item.shown.letters, item.answer))
        self.scroll_home(animate=False)

    def refresh_item(self, *, total: int, error: str = "") -> None:
        """Repaint the heading, the prompt and the marks (after an answer or a flag)."""
        item = self.item
        if item is None:
            return
        self._show_text(item, total, error)
        self.input.selection = item.answer  # the exam's answer (cleared, restored) is the truth
        self.options.present()

    def _show_text(self, item: ExamItem, total: int, error: str) -> None:
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

"""A question on screen: stem, options, and after the answer the verdict and explanations.

One instance serves a whole session (and the review of a missed question): every part is a
`Static` updated in place, Markdown fields are Rich Markdown renderables (`content_markdown`:
cheap to build, unlike Textual's Markdown widget; raw HTML and `[[links]]` shown as text), and
content text never passes through markup.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.style import Style
from textual.widgets import Static

from studyvpc.content.textutil import visible
from studyvpc.study.kinds import OptionInput
from studyvpc.study.quiz import AnswerResult, ShownQuestion
from studyvpc.ui.tui.widgets.content import content_markdown
from studyvpc.ui.tui.widgets.options import OptionsPanel


def letter_range(shown: ShownQuestion) -> str:
    letters = shown.letters
    return letters[0] if len(letters) == 1 else f"{letters[0]}–{letters[-1]}"


def instructions(shown: ShownQuestion, chosen: int = 0) -> str:
    n = len(shown.options)
    numbers = "1" if n == 1 else f"1–{min(n, 9)}"
    kind, q = shown.kind, shown.question
    if kind.toggles:
        return (f"{kind.prompt(q)} Toggle options with their letter ({letter_range(shown)}), "
                f"number ({numbers}) or ↑↓ and Space; Enter submits. "
                f"Chosen: {chosen} of {kind.need(q)}.")
    return (f"Press the letter ({letter_range(shown)}) or number ({numbers}) of your answer, "
            "or use ↑↓ and Enter.")


def verdict(result: AnswerResult) -> Content:
    kind = result.shown.kind
    right = kind.spell(result.shown.correct_letters)
    mine = kind.spell(result.chosen)
    if result.correct:
        return Content.assemble(("✔ Correct.", "$text-success bold"),
                                f" You chose {mine}.")
    return Content.assemble(("✘ Wrong.", "$text-error bold"),
                            f" You chose {mine}; the answer is {right}.")


class QuestionView(VerticalScroll, can_focus=False):
    """Scrolls as a whole; the owning screen moves it with the keys (it never takes focus)."""

    DEFAULT_CSS = """
    QuestionView {
        height: 1fr;
        padding: 0 1;
        /* The scrollbar's column is kept whether or not the question needs it: when the
           feedback makes it appear, nothing is wrapped again nor drawn a second time. */
        scrollbar-gutter: stable;
    }
    QuestionView .qv-meta {
        color: $text-muted;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    QuestionView .qv-stem {
        margin: 0 0 1 0;
    }
    QuestionView .qv-prompt {
        margin: 0 0 1 0;
        padding: 0 1;
        background: $boost;
    }
    QuestionView .qv-prompt.-error {
        background: $error-muted;
    }
    QuestionView .qv-prompt.-correct {
        background: $success-muted;
    }
    QuestionView .qv-prompt.-wrong {
        background: $error-muted;
    }
    QuestionView .qv-feedback {
        display: none;
    }
    QuestionView .qv-heading {
        text-style: bold;
        margin: 1 0 0 0;
    }
    /* The cursor is the row a press of Enter answers with; toggled options are coloured. */
    QuestionView OptionRow.-highlight {
        border-left: outer $accent;
    }
    QuestionView OptionsPanel > .option-row--text-highlight {
        text-style: bold;
    }
    QuestionView OptionsPanel > .option-row--toggled {
        color: $accent;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shown: ShownQuestion | None = None
        """The question on screen."""
        self.result: AnswerResult | None = None
        """Its result once answered."""
        self.meta = Static("", classes="qv-meta", markup=False)
        self.stem = Static("", classes="qv-stem", markup=False)
        self.prompt = Static("", classes="qv-prompt", markup=False)
        self.options = OptionsPanel()
        self.explanation_heading = Static("Explanation", classes="qv-feedback qv-heading",
                                          markup=False)
        self.explanation = Static("", classes="qv-feedback qv-explanation", markup=False)
        self.references_heading = Static("References", classes="qv-feedback qv-heading",
                                         markup=False)
        self.references = Static("", classes="qv-feedback qv-references", markup=False)
        self.feedback = (self.explanation_heading, self.explanation, self.references_heading,
                         self.references)
        """Explanation and references: shown once answered. Children of the view itself, not
        of a container of their own: a container of auto height is arranged once to measure
        it and once to place it, so its children were laid out twice per answer."""

    def compose(self) -> ComposeResult:
        yield self.meta
        yield self.stem
        yield self.prompt
        yield self.options
        yield from self.feedback

    # -- before the answer
    def show_question(self, shown: ShownQuestion) -> None:
        self.shown = shown
        self.result = None
        q = shown.question
        meta = [q.difficulty or "", *q.tags]
        self.meta.update(Content(visible(" · ".join(m for m in meta if m))))
        self.meta.display = any(meta)
        self.stem.update(content_markdown(q.stem))
        self.set_prompt(instructions(shown))
        self.options.show_options(shown.options, OptionInput(q, shown.letters))
        # Shown and hidden directly, not through a class on the view: a class change restyles
        # every widget below it, which cost more than the rest of a key press.
        for part in self.feedback:
            part.display = False
        self.scroll_home(animate=False)

    def set_prompt(self, text: str | Content, kind: str = "") -> None:
        self.prompt.update(text if isinstance(text, Content) else Content(text))
        self.prompt.set_classes(f"qv-prompt {kind}".strip())

    # -- after the answer
    def show_result(self, result: AnswerResult, hint: str = "") -> None:
        if self.shown is not result.shown:
            self.show_question(result.shown)
        self.result = result
        message = verdict(result)
        if hint:
            message = message + Content(" " + hint)
        self.set_prompt(message, "-correct" if result.correct else "-wrong")
        self.options.reveal(result)
        explanation = result.explanation.strip()
        self.explanation_heading.display = bool(explanation)
        self.explanation.display = bool(explanation)
        self.explanation.update(content_markdown(explanation) if explanation else "")
        refs = result.references
        self.references_heading.display = bool(refs)
        self.references.display = bool(refs)
        lines = []
        for ref in refs:
            url = visible(ref.url)
            lines.append(Content.assemble("• ", (visible(ref.title), "bold"), "\n  ",
                                          (url, Style(underline=True, link=url))))
        self.references.update(Content("\n").join(lines) if lines else "")

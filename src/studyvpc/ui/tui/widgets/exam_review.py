"""One question of a finished exam, reviewed: the learner's answer, the right one, every `why`.

Built as one Rich renderable per question (a `Group` of Text, Markdown and a grid table), so a
65-question review is 65 widgets, not hundreds. Marks are symbols and words as well as colours:
``✔`` the correct option(s), ``✘`` a chosen wrong option, "your answer" / "correct answer".
Content text goes through `visible()` and is never parsed as markup; Markdown fields go through
`content_markdown` (raw HTML shown as text, ``[[links]]`` as their labels) and name options by
the letters they are shown under in this exam (`ShownQuestion.relabel`).
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from studyvpc.content.model import NO_WHY
from studyvpc.content.textutil import visible
from studyvpc.study.exam import ExamItem
from studyvpc.study.kinds import OptionVerdict
from studyvpc.ui.tui.widgets.content import content_markdown

RIGHT = "bold green"
WRONG = "bold red"
FLAGGED = "bold yellow"


def verdict(item: ExamItem) -> Text:
    if not item.answered:
        return Text("○ Unanswered (counts as wrong)", style=WRONG)
    if item.correct:
        return Text("✔ Correct", style=RIGHT)
    return Text("✘ Incorrect", style=WRONG)


def option_mark(verdict: OptionVerdict) -> Text:
    if verdict.correct:
        return Text(verdict.mark, style=RIGHT)
    return Text(verdict.mark, style=WRONG if verdict.chosen else "")


def option_words(verdict: OptionVerdict) -> str:
    words = []
    if verdict.chosen:
        words.append("your answer")
    if verdict.correct:
        words.append("correct answer")
    return ", ".join(words)


def review_renderable(number: int, item: ExamItem) -> RenderableType:
    heading = Text(f"Question {number}  ", style="bold")
    heading.append_text(verdict(item))
    if item.flagged:
        heading.append("  ⚑ flagged", style=FLAGGED)
    tags = item.question.tags
    if tags:
        heading.append("   " + visible(" · ".join(tags)), style="dim")

    kind = item.shown.kind
    answer = Text("Your answer: ", style="bold")
    answer.append(kind.spell(item.answer) or "none")
    answer.append("    Correct answer: ", style="bold")
    answer.append(kind.spell(item.shown.correct_letters) or "none")
    verdicts = item.shown.grade(item.answer).verdicts

    options = Table.grid(padding=(0, 1), expand=True)
    options.add_column(width=1, no_wrap=True)
    options.add_column(no_wrap=True)
    # "fold", not the default "ellipsis": Rich may wrap a line of wide (Korean) characters one
    # cell too long, and "ellipsis" would then replace its last word with "…" (text lost).
    options.add_column(ratio=1, overflow="fold")
    for shown in item.shown.options:
        opt = shown.option
        graded = verdicts[opt.key]
        text = Text(visible(opt.text), style="bold" if graded.chosen or graded.correct else "")
        words = option_words(graded)
        if words:
            text.append(f"  ({words})", style=RIGHT if graded.correct else WRONG)
        why = Padding(content_markdown(item.shown.relabel(opt.why) or f"*{NO_WHY}*"), (0, 0, 1, 0),
                      style="dim")
        options.add_row(option_mark(graded), Text(shown.letter, style="bold"), Group(text, why))

    parts: list[RenderableType] = [heading, Text(""), content_markdown(item.question.stem),
                                   Text(""), answer, Text(""), options]
    explanation = item.question.explanation.strip()
    if explanation:
        parts += [Text("Explanation", style="bold underline"),
                  content_markdown(item.shown.relabel(explanation))]
    return Group(*parts)


class ExamReviewItem(Static):
    """A reviewed question; the results screen shows or hides it by filter."""

    DEFAULT_CSS = """
    ExamReviewItem {
        height: auto;
        padding: 1 1;
        margin: 0 0 1 0;
        border-left: outer $panel-lighten-2;
    }
    ExamReviewItem.-correct {
        border-left: outer $success;
    }
    ExamReviewItem.-incorrect {
        border-left: outer $error;
    }
    """

    def __init__(self, number: int, item: ExamItem) -> None:
        super().__init__(review_renderable(number, item), markup=False,
                         classes="-correct" if item.correct else "-incorrect")
        self.number = number
        """1-based number of the question in the exam."""
        self.item = item

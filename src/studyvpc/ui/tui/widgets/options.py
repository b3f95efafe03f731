"""The options of a question: a pool of rows updated in place, before and after the answer.

The quiz and the mock exam both show their options here, and both change them through the
panel's `OptionInput` (a cursor and the selection, changed by the question's kind). How a
highlighted or a chosen row looks is up to the view that holds the panel (its CSS), since the
quiz and the exam mark them differently.

Rows are created once and reused for every question (hidden when a question has fewer
options), so moving to the next question only updates text. The result is told by symbols
and words (✔ / ✘, "your answer", "correct") as well as by colour, so it survives a
monochrome terminal, a colour-blind reader and a screen reader.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.styled import Styled
from rich.text import Text
from textual.containers import Vertical
from textual.events import Click
from textual.message import Message
from textual.widget import Widget

from studyvpc.content.model import NO_WHY
from studyvpc.content.textutil import visible
from studyvpc.study.kinds import OptionInput
from studyvpc.study.quiz import AnswerResult, OptionFeedback, ShownOption
from studyvpc.ui.tui.widgets.content import content_markdown
from studyvpc.ui.tui.widgets.glyphs import CURSOR


def feedback_words(fb: OptionFeedback) -> str:
    """The words that go with an option's mark (the same as the plain mode's)."""
    words = []
    if fb.chosen:
        words.append("your answer")
    if fb.correct:
        words.append("correct")
    return ", ".join(words)


class HangingRow:
    """A prefix (cursor, mark, letter) with a body beside it whose wrapped lines hang under
    the body, not under the prefix; the lines are kept for the last width drawn at.

    Textual renders a widget twice per change (once to measure its height, once to draw it):
    the cache makes the second time free, and the body (Markdown, the costly part) is laid
    out once per change instead of twice. A plain two-column layout, not a Rich Table, which
    would also measure its columns every time.
    """

    MIN_PREFIX = 5

    def __init__(self, prefix: str, prefix_style: Style, body: RenderableType,
                 min_prefix: int = MIN_PREFIX) -> None:
        self.prefix = prefix
        self.prefix_style = prefix_style
        self.body = body
        self.min_prefix = min_prefix
        self._lines: tuple[int, list[list[Segment]]] | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        if self._lines is None or self._lines[0] != width:
            indent = min(max(self.min_prefix, cell_len(self.prefix) + 1), width - 1)
            body = console.render_lines(self.body, options.update(width=width - indent,
                                                                  height=None), pad=False)
            first = [Segment(self.prefix, self.prefix_style),
                     Segment(" " * max(indent - cell_len(self.prefix), 0))]
            blank = [Segment(" " * indent)]
            self._lines = (width, [(first if i == 0 else blank) + line
                                   for i, line in enumerate(body or [[]])])
        new_line = Segment.line()
        for line in self._lines[1]:
            yield from line
            yield new_line


class OptionRow(Widget):
    """One option: a prefix column (cursor, checkbox, mark, letter) and the text beside it.

    The text column holds the option's text and, after the answer, its `why` (Markdown), so
    wrapped lines hang under the text instead of under the letter.

    Why one widget drawing one renderable (`HangingRow`) rather than a row of Statics: a key
    press updates every row, and each nested container made Textual lay the rows out again (a
    container of auto height is arranged once to measure it and once to place it) and restyle
    every child on a class change; drawn by itself, a row is one node to restyle and lay out
    (the answer latency rows of benchmarks/run.py measure it).

    The parts take their colours from the panel's component classes (`OptionsPanel`), so
    themes style them as CSS would; they are the panel's, not the row's, because Textual
    styles every component class of a node again whenever the node's classes change, and an
    answer changes the classes of every row.
    """

    DEFAULT_CSS = """
    OptionRow {
        height: auto;
        padding: 0 1 0 0;
        border-left: blank;
    }
    OptionRow.-highlight {
        background: $boost;
    }
    OptionRow.-answered {
        margin: 0 0 1 0;
    }
    OptionRow.-correct {
        border-left: outer $success;
    }
    OptionRow.-wrong {
        border-left: outer $error;
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

    def __init__(self, panel: OptionsPanel, index: int,
                 min_prefix: int = HangingRow.MIN_PREFIX) -> None:
        super().__init__()
        self.panel = panel
        """The panel holding the row, whose component classes style its parts."""
        self.index = index
        """Position of the row in its panel (0-based)."""
        self.min_prefix = min_prefix
        """Cells before the option's text (more if the prefix needs them)."""
        self.letter = ""
        """The letter currently shown in this row."""
        self._prefix = ""
        self._prefix_part = "option-row--prefix"
        self._text: list[tuple[str, str]] = []
        """The option's text, then any words after it, each with its component class."""
        self._why = ""
        self._why_markdown: tuple[str, RenderableType] | None = None
        """The why's Markdown, parsed once for as long as the row shows that why."""
        self._drawn: HangingRow | None = None
        """What `render` returns, until the row shows something else or is restyled."""

    @property
    def why(self) -> str:
        """The `why` shown under the option (empty before the answer)."""
        return self._why

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self))

    def _part_style(self, component: str) -> Style:
        style = self.panel.part_style(component)
        if component == "option-row--text":  # the text of the cursor's or a chosen row
            if self.has_class("-highlight"):
                style += self.panel.part_style("option-row--text-highlight")
            if self.has_class("-toggled"):
                style += self.panel.part_style("option-row--text-toggled")
        return style

    def render(self) -> RenderableType:
        if self._drawn is None:
            style = self._part_style
            text = Text()
            for part, component in self._text:
                text.append(part, style(component))
            body: RenderableType = text
            if self._why:
                if self._why_markdown is None or self._why_markdown[0] != self._why:
                    self._why_markdown = (self._why, content_markdown(self._why))
                body = Group(text, Styled(self._why_markdown[1], style("option-row--why")))
            self._drawn = HangingRow(self._prefix, style(self._prefix_part), body,
                                     self.min_prefix)
        return self._drawn

    def notify_style_update(self) -> None:
        # A class or theme change restyles the row: its parts take new colours.
        self.restyle_parts()
        super().notify_style_update()

    def restyle_parts(self) -> None:
        """Draw the parts again with their styles as they are now (the panel's changed)."""
        self._drawn = None
        self.refresh()

    def _show(self, prefix: str, prefix_part: str, text: list[tuple[str, str]], why: str,
              classes: dict[str, bool]) -> None:
        self._prefix, self._prefix_part, self._text, self._why = prefix, prefix_part, text, why
        self._drawn = None
        # One restyle for all the classes, and none if they did not change.
        self.update_classes(classes)
        self.refresh(layout=True)

    def present(self, shown: ShownOption, *, box: str, highlighted: bool, toggled: bool) -> None:
        """Show the option before the answer; ``box`` ("[x]", "( )"…) may be empty."""
        self.letter = shown.letter
        cursor = CURSOR if highlighted else " "
        self._show(f"{cursor} {box} {shown.letter}" if box else f"{cursor} {shown.letter}",
                   "option-row--toggled" if toggled else "option-row--prefix",
                   [(visible(shown.option.text), "option-row--text")], "",
                   {"-highlight": bool(highlighted), "-toggled": bool(toggled),
                    "-answered": False, "-correct": False, "-wrong": False})

    def reveal(self, fb: OptionFeedback) -> None:
        """Show the option after the answer: mark, words and why."""
        self.letter = fb.letter
        outcome = ("option-row--correct" if fb.correct
                   else "option-row--wrong" if fb.chosen else "option-row--prefix")
        text = [(visible(fb.option.text), "option-row--text")]
        words = feedback_words(fb)
        if words:
            text.append((f"  ({words})", outcome))
        self._show(f"{fb.mark} {fb.letter}", outcome, text, fb.why or f"*{NO_WHY}*",
                   {"-highlight": False, "-toggled": False, "-answered": True,
                    "-correct": bool(fb.correct), "-wrong": bool(fb.chosen and not fb.correct)})


class OptionsPanel(Vertical):
    """The options of the current question and the `OptionInput` that keys and clicks
    change. Keys are handled by the screen that owns it: it moves the cursor with `move`,
    picks through `input` and draws the outcome with `present`."""

    COMPONENT_CLASSES = {"option-row--prefix", "option-row--toggled", "option-row--correct",
                         "option-row--wrong", "option-row--text", "option-row--text-highlight",
                         "option-row--text-toggled", "option-row--why"}
    """The parts of a row: its prefix (cursor, box, letter) as it is, chosen, right or wrong;
    its text, in any row, the cursor's and a chosen one; the why under it."""

    DEFAULT_CSS = """
    OptionsPanel {
        height: auto;
    }
    OptionsPanel > .option-row--prefix {
        text-style: bold;
    }
    OptionsPanel > .option-row--toggled {
        text-style: bold;
    }
    OptionsPanel > .option-row--correct {
        color: $text-success;
        text-style: bold;
    }
    OptionsPanel > .option-row--wrong {
        color: $text-error;
        text-style: bold;
    }
    OptionsPanel > .option-row--why {
        color: $text-muted;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None,
                 radio: bool = False, min_prefix: int = HangingRow.MIN_PREFIX) -> None:
        super().__init__(id=id, classes=classes)
        self.radio = radio
        """Draw a box on single-answer options too (the exam; in the quiz a press answers)."""
        self.min_prefix = min_prefix
        self._rows: list[OptionRow] = []
        self._options: tuple[ShownOption, ...] = ()
        self.input: OptionInput | None = None
        """The cursor and the selection of the question shown (None once answered)."""
        self._part_styles: dict[str, Style] = {}

    def part_style(self, component: str) -> Style:
        """A row part's text style, without a background (the row's shows through), its
        colour blended as CSS would (``$text-muted`` is white at 60% opacity). Kept until
        the panel is restyled (a theme change)."""
        style = self._part_styles.get(component)
        if style is None:
            style = self.get_component_rich_style(component, partial=True)
            if style.color is not None:
                style += Style(color=self.get_component_rich_style(component).color)
            self._part_styles[component] = style
        return style

    def notify_style_update(self) -> None:
        self._part_styles = {}
        for row in self._rows:
            row.restyle_parts()
        super().notify_style_update()

    @property
    def rows(self) -> list[OptionRow]:
        """The rows in use for the current question."""
        return self._rows[: len(self._options)]

    def _ensure_rows(self, n: int) -> None:
        if n > len(self._rows):
            new = [OptionRow(self, i, self.min_prefix) for i in range(len(self._rows), n)]
            self._rows.extend(new)
            self.mount(*new)
        for i, row in enumerate(self._rows):
            row.display = i < n

    def show_options(self, options: tuple[ShownOption, ...], input: OptionInput) -> None:
        """Show a question's options, to be changed through ``input``."""
        self._options = options
        self.input = input
        self._ensure_rows(len(options))
        self.present()

    def present(self) -> None:
        """Draw the rows as the input stands (after a change made to it directly)."""
        input = self.input
        if input is None:
            return
        kind = input.kind
        boxed = self.radio or kind.toggles
        for i, (row, opt) in enumerate(zip(self._rows, self._options)):
            toggled = input.chosen(opt.letter)
            row.present(opt, box=kind.box(toggled) if boxed else "",
                        highlighted=i == input.cursor, toggled=toggled)

    def move(self, delta: int) -> None:
        if self.input is not None and self._options:
            self.input.move(delta)
            self.present()
            self.rows[self.input.cursor].scroll_visible(animate=False)

    def reveal(self, result: AnswerResult) -> None:
        self._options = result.shown.options
        self.input = None
        self._ensure_rows(len(result.feedback))
        for row, fb in zip(self._rows, result.feedback):
            row.reveal(fb)

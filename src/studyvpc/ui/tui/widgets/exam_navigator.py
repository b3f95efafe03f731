"""The exam navigator: one cell per question, answered / unanswered / flagged at a glance.

Each state is told by a symbol as well as a colour (● answered, ◐ partly answered — fewer
options than "Choose 2" asks —, ○ unanswered, ⚑ flagged),
so it reads on a monochrome terminal and to a colour-blind learner. The current question is
bracketed, and the keyboard cursor has ❯ in front. Clicking a cell, or moving the cursor with
the arrows (Home/End, or typing a question's number) and pressing Enter while the navigator
has focus, posts
`ExamNavigator.Jump`; the screen that owns the exam does the move.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.events import Click, Key
from textual.message import Message
from textual.widgets import Static

from studyvpc.study.exam import ExamItem
from studyvpc.study.kinds import AnswerState
from studyvpc.ui.tui.widgets.glyphs import CURSOR

ANSWERED = "●"
PARTIAL = "◐"
UNANSWERED = "○"
FLAGGED = "⚑"
COLUMNS = 4
PANEL_WIDTH = 24
"""Cells the grid may use (the side panel's inner width, see exam.tcss)."""


@dataclass(frozen=True)
class CellState:
    answered: bool
    flagged: bool = False
    partial: bool = False
    """Answered with fewer options than the question asks for ("Choose 2", one chosen)."""

    @property
    def mark(self) -> str:
        if self.partial:
            return PARTIAL
        return ANSWERED if self.answered else UNANSWERED


def cell_state(item: ExamItem) -> CellState:
    state = item.state
    return CellState(state is not AnswerState.UNANSWERED, item.flagged,
                     state is AnswerState.PARTLY)


def cell_text(number: int, width: int, state: CellState, current: bool,
              cursor: bool = False) -> str:
    """``[12●⚑]``-style label of one question: number, answer state, flag; [] = on screen,
    ``❯`` in front = the keyboard cursor (``❯12●⚑]``: the cursor on the one on screen)."""
    flag = FLAGGED if state.flagged else " "
    left, right = ("[", "]") if current else (" ", " ")
    if cursor:
        left = CURSOR
    return f"{left}{number:>{width}}{state.mark}{flag}{right}"


def legend() -> Content:
    return Content.assemble(
        (ANSWERED, "$text-success"), " answered  ", (PARTIAL, "$text-warning"), " partly\n",
        (UNANSWERED, "$text-muted"), " open      ", (FLAGGED, "$text-warning"), " flagged",
    )


class NavCell(Static):
    """One question's cell. Clicking it asks the navigator to jump there."""

    DEFAULT_CSS = """
    NavCell {
        width: 100%;
        height: 1;
    }
    NavCell.-answered { color: $text-success; }
    NavCell.-unanswered { color: $text-muted; }
    NavCell.-partial { color: $text-warning; }
    NavCell.-flagged { color: $text-warning; text-style: bold; }
    NavCell.-current { background: $accent 40%; text-style: bold; }
    NavCell.-cursor { text-style: reverse; }
    """

    def __init__(self, index: int) -> None:
        super().__init__("", markup=False)
        self.index = index
        """0-based position of the question in the exam."""

    def on_click(self, event: Click) -> None:
        event.stop()
        navigator = next((a for a in self.ancestors if isinstance(a, ExamNavigator)), None)
        if navigator is not None:
            navigator.jump(self.index)


class ExamNavigator(VerticalScroll, can_focus=True):
    """A grid of cells, one per question; arrows move a cursor, Enter (or a click) jumps."""

    DEFAULT_CSS = """
    ExamNavigator {
        height: 1fr;
        width: 100%;
    }
    ExamNavigator > Grid {
        grid-size: 4;
        grid-gutter: 0 0;
        grid-rows: 1;
        height: auto;
        width: 100%;
    }
    ExamNavigator:focus {
        background-tint: $foreground 4%;
    }
    """

    BINDINGS = [
        Binding("left", "move(-1)", "Left", show=False),
        Binding("right", "move(1)", "Right", show=False),
        Binding("up", "move_row(-1)", "Up", show=False),
        Binding("down", "move_row(1)", "Down", show=False),
        Binding("home", "move_to(0)", "First", show=False),
        Binding("end", "move_to(-1)", "Last", show=False),
        Binding("enter,space", "select", "Go", tooltip="Jump to the question under the cursor "
                                                      "(type its number to move there)"),
        Binding("escape", "close", "Close", show=False,
                tooltip="Back to the question without moving"),
    ]

    class Jump(Message):
        """The learner chose question `index` (0-based)."""

        def __init__(self, navigator: ExamNavigator, index: int) -> None:
            super().__init__()
            self.navigator = navigator
            self.index = index

        @property
        def control(self) -> ExamNavigator:
            return self.navigator

    class Closed(Message):
        """The learner left the navigator without choosing (Escape)."""

    def __init__(self, *, id: str | None = None, columns: int = COLUMNS) -> None:
        super().__init__(id=id)
        self.columns = columns
        self.cells: list[NavCell] = []
        """One cell per question, in exam order."""
        self.cursor = 0
        """The cell the keyboard cursor is on (shown while the navigator has focus)."""
        self.current = 0
        """The question on screen."""
        self.states: list[CellState] = []
        """The state of every question, in exam order."""
        self._grid = Grid()
        self._grid.styles.grid_size_columns = columns
        self.typed = ""
        """Digits typed since the cursor last moved otherwise: the number being typed."""

    def compose(self) -> ComposeResult:
        yield self._grid

    def show_items(self, states: Sequence[CellState], current: int) -> None:
        """Show the state of every question; `current` is the question on screen.

        Cells are created on the first call (or when the number of questions changes) and
        updated in place afterwards.
        """
        if len(states) != len(self.cells):
            for cell in self.cells:
                cell.remove()
            self.cells = [NavCell(i) for i in range(len(states))]
            width = len(str(len(states)))
            self.columns = max(1, min(COLUMNS, PANEL_WIDTH // (width + 4)))
            self._grid.styles.grid_size_columns = self.columns
            self._grid.mount(*self.cells)
        self.states = list(states)
        self.current = current
        for cell in self.cells:
            self._paint(cell)
        if not self.has_focus:
            self.cursor = current
        self._paint_cursor()

    def update_item(self, index: int, state: CellState, current: int) -> None:
        """Repaint one cell (after an answer or a flag) and move the current marker."""
        old = self.current
        self.states[index] = state
        self.current = current
        for i in {index, old, current}:
            if 0 <= i < len(self.cells):
                self._paint(self.cells[i])
        if not self.has_focus:
            self.cursor = current
        self._paint_cursor()

    def _paint(self, cell: NavCell) -> None:
        state = self.states[cell.index]
        current = cell.index == self.current
        width = len(str(len(self.cells)))
        cursor = self.has_focus and cell.index == self.cursor
        cell.update(cell_text(cell.index + 1, width, state, current, cursor))
        plain = not state.flagged
        cell.set_class(plain and state.answered and not state.partial, "-answered")
        cell.set_class(plain and state.partial, "-partial")
        cell.set_class(plain and not state.answered, "-unanswered")
        cell.set_class(state.flagged, "-flagged")
        cell.set_class(current, "-current")

    def _paint_cursor(self) -> None:
        for cell in self.cells:
            cursor = self.has_focus and cell.index == self.cursor
            if cell.has_class("-cursor") != cursor:
                cell.set_class(cursor, "-cursor")
                self._paint(cell)
        if self.cells and 0 <= self.cursor < len(self.cells):
            self.cells[self.cursor].scroll_visible(animate=False)

    def on_focus(self) -> None:
        self.typed = ""
        self.cursor = self.current

    def watch_has_focus(self, has_focus: bool) -> None:
        # Here, not in on_focus/on_blur: those run before `has_focus` changes.
        super().watch_has_focus(has_focus)
        self._paint_cursor()

    def jump(self, index: int) -> None:
        self.cursor = index
        self.post_message(self.Jump(self, index))

    def action_move(self, delta: int) -> None:
        self.typed = ""
        if self.cells:
            self.cursor = max(0, min(len(self.cells) - 1, self.cursor + delta))
            self._paint_cursor()

    def action_move_to(self, index: int) -> None:
        self.typed = ""
        if self.cells:
            self.cursor = index % len(self.cells)
            self._paint_cursor()

    def on_key(self, event: Key) -> None:
        """Digits move the cursor to the question of that number ("4", "2" → 42); they never
        reach the exam screen, where they would choose an option of the question behind."""
        digit = event.character or ""
        if len(digit) != 1 or not digit.isdigit():
            return
        event.stop()
        event.prevent_default()
        typed = self.typed + digit
        if int(typed) > len(self.cells):  # 6 then 7 in a 61-question exam: start again at 7
            typed = digit
        self.typed = typed.lstrip("0")
        if self.typed and self.cells:
            self.cursor = int(self.typed) - 1
            self._paint_cursor()

    def action_move_row(self, delta: int) -> None:
        self.action_move(delta * self.columns)

    def action_select(self) -> None:
        self.typed = ""
        if self.cells:
            self.jump(self.cursor)

    def action_close(self) -> None:
        self.post_message(self.Closed())

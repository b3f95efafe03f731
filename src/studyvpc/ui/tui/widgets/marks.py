"""State drawn in glyphs, not in colour alone.

Textual's radio buttons draw the same ``●`` whether on or off, its selection lists the same
``X`` whether ticked or not, and a highlighted row differs from the others only by its
colours: on a monochrome terminal, with a theme whose colours are close, or for a learner
who does not see the difference, the state is invisible. The widgets here draw it:

- `CURSOR` (``❯``) in front of the highlighted row of a list, tree or table (the same mark
  as the option cursor of the quiz and the exam);
- `RADIO_ON` in the chosen radio button, nothing in the others;
- `CHECKED` in a ticked box of a selection list, nothing in the others.

The colours stay as they were: the glyph is there as well, not instead. The glyphs themselves
are `studyvpc.ui.tui.widgets.glyphs` (no widget), so that a screen drawing only a tree (home)
does not import the tables, lists and buttons marked here.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.coordinate import Coordinate
from textual.widgets import DataTable, OptionList, RadioButton, SelectionList, Tab
from textual.widgets.option_list import OptionDoesNotExist
from textual.widgets.selection_list import SelectionType

from studyvpc.ui.tui.widgets.glyphs import BLANK, CHECKED, CURSOR, GUTTER, RADIO_ON, cursor_gutter

class MarkedRadioButton(RadioButton):
    """A radio button with ``●`` when chosen and an empty button when not; `CURSOR` in front
    of it when it is the keyboard cursor of a focused radio set."""

    @property  # type: ignore[override]  # a class constant in Textual, a state here
    def BUTTON_INNER(self) -> str:  # noqa: N802  (the name Textual reads)
        return RADIO_ON if self.value else BLANK

    @property
    def is_cursor(self) -> bool:
        # RadioSet marks its keyboard cursor with the -selected class.
        parent = self.parent
        return self.has_class("-selected") and parent is not None and parent.has_focus

    def render(self) -> Content:
        return Content.assemble(CURSOR if self.is_cursor else BLANK, super().render())

    def get_content_width(self, container, viewport) -> int:
        return super().get_content_width(container, viewport) + 1


class MarkedOptionList(OptionList):
    """An option list whose highlighted option has `CURSOR` in front of its first line."""

    def _get_left_gutter_width(self) -> int:
        # Textual's hook for a column in front of the options (SelectionList's boxes): the
        # options are laid out (and wrapped) in the width that is left.
        return super()._get_left_gutter_width() + GUTTER

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            # (option index, line of that option) of each line; OptionList's own map.
            index, offset = self._lines[self.scroll_offset.y + y]
        except IndexError:
            return strip  # below the last option: a blank line of the full width already
        marked = offset == 0 and index == self.highlighted
        # The gutter in the row's own style (the highlight's, on the highlighted row).
        style = next(iter(strip), Segment("")).style
        return Strip([Segment(cursor_gutter(marked), style), *strip],
                     strip.cell_length + GUTTER)


class MarkedSelectionList(SelectionList[SelectionType]):
    """A selection list whose ticked boxes show `CHECKED` (the unticked ones are empty) and
    whose highlighted row has `CURSOR` in front of it."""

    def _get_left_gutter_width(self) -> int:
        return super()._get_left_gutter_width() + GUTTER

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        index = self.scroll_offset.y + y
        try:
            selection = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return strip
        segments = list(strip)
        # SelectionList draws [left half block, inner mark, right half block, space, prompt].
        if len(segments) > 1:
            inner = segments[1]
            ticked = selection.value in self.selected
            segments[1] = Segment(CHECKED if ticked else BLANK, inner.style, inner.control)
        # The gutter in the row's own style (the highlight's, on the highlighted row).
        style = segments[3].style if len(segments) > 3 else None
        return Strip([Segment(cursor_gutter(index == self.highlighted), style), *segments],
                     strip.cell_length + GUTTER)


class MarkedDataTable(DataTable):
    """A row-cursor table whose cursor row has `CURSOR` in a narrow first column of its own.

    The column is added with the first column and filled with each row: callers add their
    columns and rows as usual (the cells they give start at the second column).
    """

    MARK_COLUMN = "cursor-mark"
    MARK_WIDTH = 1
    """Cells of the mark column (each column has one cell of padding either side too)."""

    def add_column(self, label, *, width=None, key=None, default=None):
        if not self.columns:
            super().add_column("", width=self.MARK_WIDTH, key=self.MARK_COLUMN)
        return super().add_column(label, width=width, key=key, default=default)

    def add_row(self, *cells, **kwargs):
        mark = CURSOR if self.row_count == self.cursor_row else BLANK
        return super().add_row(mark, *cells, **kwargs)

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        if old.row != new.row:
            self._mark(old.row, BLANK)
            self._mark(new.row, CURSOR)

    def _mark(self, row: int, mark: str) -> None:
        if 0 <= row < self.row_count and self.MARK_COLUMN in self.columns:
            self.update_cell_at(Coordinate(row, 0), mark)


def tab_label(label: str, active: bool) -> Content:
    """A tab's label with `CURSOR` in front when it is the active tab."""
    return Content(cursor_gutter(active) + label)


def mark_active_tab(tabs: list[Tab], active_id: str | None, labels: dict[str, str]) -> None:
    """Relabel ``tabs`` so that the active one (``active_id``) carries the cursor mark."""
    for tab in tabs:
        if tab.id in labels:
            tab.label = tab_label(labels[tab.id], tab.id == active_id)

"""Statistics: accuracy (overall and per tag), answers per day, streak, time, weakest questions.

Everything shown comes from one `studyvpc.progress.store.stats.Stats` (the same dataclass ``studyvpc
stats`` prints), computed by `studyvpc.progress.service.Progress.stats` at the app's clock; the
screen only lays it out. Content text (tags, stems, note titles) goes into Rich ``Text`` objects,
never into markup. The weakest questions are a table: Enter (or o) opens the question's note.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from rich import box
from rich.console import RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Header, Static

from studyvpc.content.textutil import one_line
from studyvpc.progress.store import ProgressError
from studyvpc.progress.store.history import SessionResult
from studyvpc.progress.store.stats import Stats, TagAccuracy
from studyvpc.ui.tables import exam_table as shared_exam_table
from studyvpc.progress.wording import percent as _pct
from studyvpc.progress.service import Progress
from studyvpc.progress.wording import cards_line, prediction_line, retention_line, spent, when
from studyvpc.progress.store.stats import RETENTION_DAYS
from studyvpc.content.textutil import plural
from studyvpc.ui.tui.widgets.keybar import KeyBar
from studyvpc.ui.tui.widgets.marks import MarkedDataTable
from studyvpc.ui.tui.widgets.rendered import RenderedStatic

EIGHTHS = " ▁▂▃▄▅▆▇█"
"""Partial blocks for bar tops: index n is n/8 of a cell."""
HORIZONTAL_EIGHTHS = " ▏▎▍▌▋▊▉█"




# --------------------------------------------------------------------------- charts


def meter(fraction: float, width: int = 10) -> Text:
    """A horizontal bar of ``width`` cells filled to ``fraction`` (block characters)."""
    fraction = min(max(fraction, 0.0), 1.0)
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    bar = "█" * full + (HORIZONTAL_EIGHTHS[part] if part else "")
    text = Text(bar, style="green" if fraction >= 0.8 else "yellow" if fraction >= 0.5 else "red")
    text.append("░" * (width - len(bar)), style="dim")
    return text


def day_chart(per_day: dict[date, int], today: date, days: int, height: int = 5, *,
              bar_style: str | Style = "", axis_style: str | Style = "dim") -> Text:
    """A bar per day (oldest left, ``today`` right), ``height`` rows tall, with a y axis and the
    first and last dates under it. A day without answers has no bar at all."""
    days = max(1, days)
    span = [today - timedelta(days=k) for k in range(days - 1, -1, -1)]
    values = [per_day.get(d, 0) for d in span]
    peak = max(values + [1])
    label_w = len(str(peak))
    # Each bar's height in eighths of a row; at least one eighth if there was any answer.
    levels = [0 if v == 0 else max(1, round(v / peak * height * 8)) for v in values]
    # Never wrapped: wrapping would drop the blanks of idle days and shift the bars.
    text = Text(no_wrap=True, overflow="crop")
    for row in range(height, 0, -1):
        label = str(peak) if row == height else ""
        text.append(f"{label:>{label_w}} ", style=axis_style)
        text.append("┤" if row == height else "│", style=axis_style)
        floor = (row - 1) * 8
        for level in levels:
            fill = min(max(level - floor, 0), 8)
            text.append(EIGHTHS[fill], style=bar_style)
            text.append(" ")
        text.append("\n")
    text.append(f"{'0':>{label_w}} └" + "──" * days + "\n", style=axis_style)
    first, last = f"{span[0]:%d %b}", "today"
    gap = max(1, 2 * days - len(first) - len(last))
    text.append(" " * (label_w + 2) + first + " " * gap + last, style=axis_style)
    return text


class DayChart(Widget):
    """Answers per day as block-character bars; shows as many recent days as the width allows."""

    COMPONENT_CLASSES = {"day-chart--bar"}
    DEFAULT_CSS = """
    DayChart {
        height: 7;
        width: 1fr;
        color: $text-muted;
    }
    DayChart > .day-chart--bar {
        color: $accent;
    }
    """
    MAX_DAYS = 60
    ROWS = 5

    def __init__(self, per_day: dict[date, int], today: date, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.per_day = per_day
        self.today = today

    def days_for(self, width: int) -> int:
        label_w = len(str(max(self.per_day.values(), default=1))) + 2
        return max(7, min(self.MAX_DAYS, (width - label_w) // 2))

    def render(self) -> RenderableType:
        return day_chart(self.per_day, self.today, self.days_for(self.size.width), self.ROWS,
                         bar_style=self.get_component_rich_style("day-chart--bar"),
                         axis_style="")


# --------------------------------------------------------------------------- tables


def summary_table(stats: Stats, progress: Progress) -> Table:
    now = progress.now()
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    if stats.total_attempts:
        answers = (f"{stats.total_attempts} · {stats.correct_attempts} right "
                   f"({_pct(stats.accuracy)})")
    else:
        answers = "none yet: press p on the home screen to practise"
    grid.add_row("Answers", answers)
    if stats.skipped:
        grid.add_row("Skipped", f"{plural(stats.skipped, 'exam question')} left unanswered "
                                "(0 in their exam; not answers)")
    grid.add_row("Questions", f"{stats.questions_answered} of {stats.questions_total} answered")
    grid.add_row("Time in sessions", spent(stats.time_spent_ms))
    grid.add_row("Study days", f"{stats.study_days} · streak {plural(stats.streak_days, 'day')}"
                               f" (longest {stats.longest_streak})")
    grid.add_row("Sessions", str(stats.sessions))
    due = f"{stats.due_now} now"
    if stats.next_due is not None:
        due += f" · next {when(stats.next_due, now)}"
    grid.add_row("Cards", cards_line(stats))
    grid.add_row("Due for review", due)
    grid.add_row(f"Retention ({RETENTION_DAYS} d)", retention_line(stats))
    grid.add_row("Predicted recall", prediction_line(stats))
    if stats.orphan_attempts:
        grid.add_row("Orphans", Text(
            f"{plural(stats.orphan_attempts, 'answer')} to "
            f"{plural(len(stats.orphan_question_ids), 'question')} no longer in the content "
            "(kept: in the answer totals, in no tag)", style="italic"))
    if not progress.saved:
        grid.add_row("Note", Text("progress is not being saved in this session", style="bold red"))
    return grid


def tag_table(stats: Stats, progress: Progress) -> Table:
    """Mastery per tag, weakest answered tags first, then tags never answered."""
    recall: dict[str, list[float]] = {}
    for qid, r in stats.retrievability.items():
        for tag in progress.index.tags.get(qid, ()):
            recall.setdefault(tag, []).append(r)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, expand=False)
    table.add_column("Tag", overflow="fold", max_width=40)
    table.add_column("Answered", justify="right", no_wrap=True)
    table.add_column("Answers", justify="right", no_wrap=True)
    table.add_column("Accuracy", justify="right", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("Predicted", justify="right", no_wrap=True, min_width=9)

    def order(t: TagAccuracy) -> tuple:
        return (t.attempts == 0, t.accuracy, t.tag)

    for t in sorted(stats.per_tag, key=order):
        rs = recall.get(t.tag)
        table.add_row(
            Text(one_line(t.tag)), f"{t.answered}/{t.questions}", str(t.attempts),
            _pct(t.accuracy if t.attempts else None),
            meter(t.accuracy) if t.attempts else Text("·" * 10, style="dim"),
            _pct(sum(rs) / len(rs) if rs else None),
        )
    return table


def exam_table(exams: list[SessionResult], progress: Progress) -> Table:
    return shared_exam_table(exams, progress.now(), box=box.SIMPLE_HEAD, pad_edge=False,
                             show_edge=False, expand=False)


# --------------------------------------------------------------------------- the screen


class StatsScreen(Screen[None]):
    """Your results over time; Tab or w moves to the weakest questions, Enter opens a note."""

    # stats.tcss as the screen's default CSS, not its CSS_PATH: a screen's CSS_PATH makes
    # its first showing parse every style sheet of the app again (each widget's too) and
    # restyle every widget of every screen (30-40 ms); default CSS is parsed alone, once.
    DEFAULT_CSS = Path(__file__).with_name("stats.tcss").read_text(encoding="utf-8")
    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Return to the previous screen"),
        Binding("q", "back", "Back", show=False),
        Binding("w", "weakest", "Weakest", tooltip="Move to the weakest questions"),
        Binding("o", "open_note", "Open note",
                tooltip="Open the note of the highlighted weak question"),
        Binding("r", "refresh", "Refresh", show=False, tooltip="Recompute the statistics"),
    ]

    def __init__(self, progress: Progress) -> None:
        super().__init__()
        self.progress = progress
        self.stats: Stats = progress.stats()
        """What is on show (recomputed when the screen comes back into view)."""
        self._fresh = True
        """The statistics were just computed for the first showing: the resume that shows
        the screen the first time must not compute them again."""
        self._note_ids: list[str | None] = []
        self._weakest_widths: tuple[int, int] | None = None
        """The question and note widths the weakest table was last filled for."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="stats-body"):
            yield RenderedStatic(id="stats-summary")
            yield Static("Answers per day", classes="stats-heading", markup=False)
            yield DayChart(self.stats.answers_per_day, self._today(), id="stats-chart")
            # The short, actionable parts first; the tag table (one row per tag: dozens) last,
            # so the weakest questions and the exams are not buried under it.
            yield Static(id="stats-weakest-heading", classes="stats-heading", markup=False)
            table: DataTable = MarkedDataTable(id="stats-weakest", cursor_type="row",
                                         zebra_stripes=False, show_cursor=True)
            yield table
            yield Static("Finished exams", id="stats-exams-heading", classes="stats-heading",
                         markup=False)
            yield RenderedStatic(id="stats-exams")
            yield Static("Mastery by tag", classes="stats-heading", markup=False)
            yield RenderedStatic(id="stats-tags")
        yield KeyBar()

    def _today(self) -> date:
        return self.stats.today or self.progress.now().astimezone().date()

    def on_mount(self) -> None:
        self.sub_title = "Statistics"
        self._fill()
        self.query_one("#stats-body").focus()

    def on_resize(self) -> None:
        # The first layout resizes the screen too: the table was filled for this width then.
        if self.is_mounted and self._text_widths() != self._weakest_widths:
            self._fill_weakest()

    def on_screen_resume(self) -> None:
        if self._fresh:
            self._fresh = False
        elif self.is_mounted:
            self.action_refresh()

    def action_refresh(self) -> None:
        try:
            self.stats = self.progress.stats()
        except ProgressError as exc:  # e.g. another studyvpc holds the database too long
            self.notify(str(exc), title="Statistics not refreshed", severity="warning",
                        markup=False)
            return
        self._fill()

    def _fill(self) -> None:
        stats, progress = self.stats, self.progress
        self.query_one("#stats-summary", Static).update(summary_table(stats, progress))
        chart = self.query_one("#stats-chart", DayChart)
        chart.per_day, chart.today = stats.answers_per_day, self._today()
        chart.refresh()
        tags = self.query_one("#stats-tags", Static)
        tags.update(tag_table(stats, progress) if stats.per_tag else
                    Text("No tags in the content.", style="dim"))
        self._fill_weakest()
        exams = progress.finished_exams()
        self.query_one("#stats-exams-heading").display = bool(exams)
        exam_static = self.query_one("#stats-exams", Static)
        exam_static.display = bool(exams)
        if exams:
            exam_static.update(exam_table(exams, progress))

    def _text_widths(self) -> tuple[int, int]:
        """Cells for the question and note columns so the weakest table fits the screen."""
        body = self.query_one("#stats-body")
        # Before the first layout the body has no region yet: the screen's width less the
        # body's padding and its scrollbar's gutter (always kept: see stats.tcss) is what
        # the layout will give it, so the table is filled once, for the right width.
        width = (body.scrollable_content_region.width
                 or self.app.size.width - body.styles.gutter.width
                 - body.styles.scrollbar_size_vertical)
        # Accuracy, Answers and Predicted (their headings: 8 + 7 + 9 cells), the cursor
        # mark's column, 1 cell of padding each side of the 6 columns, and 2 spare cells.
        free = max(30, width - 24 - MarkedDataTable.MARK_WIDTH - 6 * 2 - 2)
        question = max(18, free * 3 // 5)
        return question, max(12, free - question)

    def _fill_weakest(self) -> None:
        stats = self.stats
        library = self.progress.library
        heading = self.query_one("#stats-weakest-heading", Static)
        table = self.query_one("#stats-weakest", DataTable)
        # Columns too: a column keeps the widest cell it ever had, and the width depends on
        # the screen's (which may have shrunk).
        table.clear(columns=True)
        for label, key in (("Question", "q"), ("Note", "n"), ("Accuracy", "a"),
                           ("Answers", "c"), ("Predicted", "r")):
            table.add_column(label, key=key)
        self._note_ids = []
        self._weakest_widths = self._text_widths()
        weakest = [q for q in stats.weakest if q.correct < q.attempts]
        table.display = bool(weakest)
        if not weakest:
            heading.update(Text("Weakest questions: none — every question answered so far was "
                                "right every time." if stats.total_attempts else
                                "Weakest questions: answer some questions first."))
            return
        heading.update(Text("Weakest questions (Enter or o opens the note)"))
        stem_w, note_w = self._weakest_widths
        for q in weakest:
            note = library.get_note(q.note_id) if q.note_id else None
            # Found in its note (a handful of questions): asking the library by id first maps
            # every question of the library to its place, for ten rows.
            question = next((x for x in note.questions if x.id == q.question_id),
                            None) if note else None
            question = question or library.get_question(q.question_id)
            stem = Text(one_line(question.stem) if question else q.question_id)
            stem.truncate(stem_w, overflow="ellipsis")
            note_text = Text(one_line(note.title or note.id) if note else (q.note_id or "—"),
                             style="underline" if note else "dim")
            note_text.truncate(note_w, overflow="ellipsis")
            table.add_row(stem, note_text, Text(_pct(q.accuracy)), Text(f"{q.correct}/{q.attempts}"),
                          Text(_pct(q.retrievability)))
            self._note_ids.append(q.note_id if note else None)

    # -- keys

    def action_back(self) -> None:
        self.dismiss()

    def action_weakest(self) -> None:
        table = self.query_one("#stats-weakest", DataTable)
        if table.display:
            table.focus()
        else:
            self.notify("There are no weak questions to show.", markup=False)

    def _open(self, row: int | None) -> None:
        if row is None or not 0 <= row < len(self._note_ids):
            return
        note_id = self._note_ids[row]
        if note_id is None:
            self.notify("This question's note is not in the content.", severity="warning",
                        markup=False)
            return
        self.app.open_note(note_id)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._open(event.cursor_row)

    def action_open_note(self) -> None:
        table = self.query_one("#stats-weakest", DataTable)
        if table.display and table.row_count:
            self._open(table.cursor_row)

"""Setting up a mock exam: how many questions, how long, drawn from which tags or notes, pass mark.

The defaults fit the library (`ExamSettings.defaults_for` the size of the pool: at most 65
questions, two minutes each, 72% to pass): the number of questions follows the pool as tags
and notes are ticked, and the time follows the number of questions, until the learner types a
value of their own. `studyvpc exam --count … --minutes … --tag …`
pre-fills the form through an `ExamRequest`.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from studyvpc.progress.exams import ExamKeeper
from studyvpc.ui.context import ExamRequest
from studyvpc.study.exam import (
    DEFAULT_PASS_MARK, SECONDS_PER_QUESTION, ExamSettings, MockExam, questions_for,
)
from studyvpc.content.library import Library
from studyvpc.content.model import Question
from studyvpc.content.textutil import one_line, visible
from studyvpc.ui.tui.widgets.fields import NumberInput
from studyvpc.ui.tui.widgets.marks import MarkedSelectionList

MIN_MINUTES = 0.1
MAX_MINUTES = 24 * 60


def tag_choices(library: Library) -> list[tuple[str, int]]:
    """Every question tag and every parent of one (``service`` for ``service/lambda``)."""
    return [(t, n) for t in library.tag_prefixes() if (n := library.tag_counts(t)[1])]


def describe_scope(library: Library, tags: list[str], notes: list[str]) -> str:
    if not tags and not notes:
        return "all questions"
    parts = [f"tag {t}" for t in tags]
    for n in notes:
        note = library.resolve(n)
        parts.append(f"note {note.title if note else n}")
    return ", ".join(parts)


def parse_number(raw: str, what: str, low: float, high: float, *, integer: bool) -> float:
    raw = raw.strip()
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        raise ValueError(f"{what}: type a {'whole ' if integer else ''}number") from None
    if not math.isfinite(value) or not low <= value <= high:
        lo = int(low) if float(low).is_integer() else low
        hi = int(high) if float(high).is_integer() else high
        raise ValueError(f"{what}: between {lo} and {hi}")
    return value


class ExamSetupScreen(Screen[None]):
    """The form; Start (or Enter in a field, or ctrl+s) replaces it with the exam."""

    CSS_PATH = "exam.tcss"
    BINDINGS = [
        Binding("ctrl+s", "start", "Start exam", tooltip="Start the exam with these settings"),
        Binding("escape", "back", "Back", tooltip="Return without starting an exam"),
    ]

    def __init__(self, library: Library, seed: int | None, keeper: ExamKeeper,
                 request: ExamRequest | None = None, *,
                 clock: Callable[[], float] | None = None) -> None:
        super().__init__()
        self.library = library
        self.request = request or ExamRequest()
        self.seed = self.request.seed if self.request.seed is not None else seed
        self.keeper = keeper
        """Where the exam will be saved and stored."""
        self.clock = clock or time.monotonic
        self._auto: dict[str, str] = {}
        """The value each field was last given automatically (to follow the pool until edited)."""
        self.exam: MockExam | None = None
        """The exam started from this screen (for tests and the app)."""

    # -- layout
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Content("A timed mock exam: no feedback until you submit, flag questions to "
                             "come back to them. Tick tags or notes to draw from (none = all)."),
                     id="exam-setup-intro", markup=False)
        with Horizontal(id="exam-setup-columns"):
            with Vertical(id="exam-setup-form") as form:
                form.border_title = "Settings"
                with Horizontal(classes="exam-field"):
                    yield Label("Questions", classes="exam-field-label")
                    yield NumberInput(type="integer", id="exam-count", max_length=4)
                    yield Static("", id="exam-count-max", markup=False)
                with Horizontal(classes="exam-field"):
                    yield Label("Minutes", classes="exam-field-label")
                    yield NumberInput(type="number", id="exam-minutes", max_length=6)
                with Horizontal(classes="exam-field"):
                    yield Label("Pass mark %", classes="exam-field-label")
                    yield NumberInput(type="number", id="exam-pass", max_length=5)
                yield Static("", id="exam-setup-error", markup=False)
                yield Button("Start exam", id="exam-start", variant="primary")
            pool = MarkedSelectionList[str](*self._selections(), id="exam-setup-pool")
            pool.border_title = "Draw from (none ticked = all)"
            yield pool
        yield Static("", id="exam-setup-summary", markup=False)
        yield Footer()

    def _selections(self) -> list[Selection[str]]:
        lib = self.library
        wanted_tags = set(self.request.tags)
        wanted_notes = {n.id for r in self.request.notes
                        if (n := lib.resolve_head(r)) is not None}
        out: list[Selection[str]] = []
        known = set()
        for tag, n in tag_choices(lib):
            known.add(tag)
            out.append(Selection(Content.assemble(("tag  ", "$text-muted"), visible(tag),
                                                  (f"  {n}", "$text-muted")),
                                 f"tag:{tag}", tag in wanted_tags))
        for tag in sorted(wanted_tags - known):  # asked for on the command line, matches nothing
            out.append(Selection(Content.assemble(("tag  ", "$text-muted"), visible(tag),
                                                  ("  0", "$text-muted")), f"tag:{tag}", True))
        for note in lib.heads:
            if not note.question_count:
                continue
            out.append(Selection(Content.assemble(("note ", "$text-muted"),
                                                  one_line(note.title, 60),
                                                  (f"  {note.question_count}", "$text-muted")),
                                 f"note:{note.id}", note.id in wanted_notes))
        return out

    def on_mount(self) -> None:
        self.sub_title = "Mock exam: set up"
        req = self.request
        pool = len(self.pool())
        defaults = ExamSettings.defaults_for(pool)
        count = req.count if req.count is not None else defaults.count
        minutes = req.minutes if req.minutes is not None else minutes_for(count)
        pass_mark = req.pass_mark if req.pass_mark is not None else DEFAULT_PASS_MARK * 100
        self._set("exam-count", str(count), auto=req.count is None)
        self._set("exam-minutes", _num(minutes), auto=req.minutes is None)
        self._set("exam-pass", _num(pass_mark), auto=False)
        self._update_summary()
        unknown = [n for n in req.notes if self.library.resolve(n) is None]
        if unknown:  # else the exam would quietly draw from every question instead
            names = ", ".join(repr(one_line(n, 40)) for n in unknown)
            error = self.query_one("#exam-setup-error", Static)
            error.update(Content(f"✘ No note {names} in the library: tick the notes to draw "
                                 "from."))
            error.add_class("-error")
        self.query_one("#exam-count", Input).focus()

    def _set(self, field: str, value: str, *, auto: bool) -> None:
        self.query_one(f"#{field}", Input).value = value
        if auto:
            self._auto[field] = value
        else:
            self._auto.pop(field, None)

    # -- the pool
    def chosen(self) -> tuple[list[str], list[str]]:
        values = self.query_one("#exam-setup-pool", SelectionList).selected
        tags = [v.removeprefix("tag:") for v in values if v.startswith("tag:")]
        notes = [v.removeprefix("note:") for v in values if v.startswith("note:")]
        return tags, notes

    def pool(self) -> list[Question]:
        tags, notes = self.chosen()
        return questions_for(self.library, tags, notes)

    def _follow(self, field: str, value: str) -> None:
        """Set `field` to an automatic value, unless the learner typed one of their own."""
        current = self.query_one(f"#{field}", Input).value
        if field in self._auto and current == self._auto[field]:
            self._set(field, value, auto=True)

    @on(SelectionList.SelectedChanged, "#exam-setup-pool")
    def _pool_changed(self) -> None:
        self._follow("exam-count", str(ExamSettings.defaults_for(len(self.pool())).count))
        self._update_summary()

    @on(Input.Changed, "#exam-count")
    def _count_changed(self, event: Input.Changed) -> None:
        """The time follows the number of questions (two minutes each) until it is edited."""
        try:
            count = int(event.value)
        except ValueError:
            return
        if count >= 1:
            self._follow("exam-minutes", _num(minutes_for(count)))

    @on(Input.Changed)
    def _field_changed(self) -> None:
        self._update_summary()

    def _update_summary(self) -> None:
        pool = len(self.pool())
        self.query_one("#exam-count-max", Static).update(Content(f"of {pool}"))
        tags, notes = self.chosen()
        parts = [f"Pool: {pool} question{'s' * (pool != 1)} from "
                 f"{describe_scope(self.library, tags, notes)}"]
        if self.seed is not None:
            parts.append(f"seed {self.seed}")
        self.query_one("#exam-setup-summary", Static).update(Content(" · ".join(parts)))

    # -- starting
    def settings(self) -> ExamSettings:
        """The settings in the form; ValueError says what to fix."""
        pool = len(self.pool())
        if pool == 0:
            raise ValueError("No questions to draw from: tick other tags or notes")
        count = int(parse_number(self.query_one("#exam-count", Input).value, "Questions",
                                 1, pool, integer=True))
        minutes = parse_number(self.query_one("#exam-minutes", Input).value, "Minutes",
                               MIN_MINUTES, MAX_MINUTES, integer=False)
        mark = parse_number(self.query_one("#exam-pass", Input).value, "Pass mark %",
                            1, 100, integer=False)
        return ExamSettings(count=count, time_limit_s=int(round(minutes * 60)),
                            pass_mark=mark / 100, seed=self.seed)

    @on(Input.Submitted)
    @on(Button.Pressed, "#exam-start")
    def _start_pressed(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        error = self.query_one("#exam-setup-error", Static)
        try:
            settings = self.settings()
        except ValueError as exc:
            error.update(Content(f"✘ {exc}."))
            error.add_class("-error")
            self.app.bell()
            return
        error.update("")
        error.remove_class("-error")
        tags, notes = self.chosen()
        self.exam = MockExam.start(self.pool(), settings, clock=self.clock,
                                   scope=describe_scope(self.library, tags, notes))
        from studyvpc.ui.tui.screens.exam_screen import ExamScreen

        self.app.switch_screen(ExamScreen(self.exam, self.keeper))

    def action_back(self) -> None:
        self.dismiss()


def minutes_for(count: int) -> float:
    """The default time for `count` questions (AWS associate pace: two minutes each)."""
    return max(60, count * SECONDS_PER_QUESTION) / 60


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"

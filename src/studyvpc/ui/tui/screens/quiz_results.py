"""The end of a practice session: score, time, score by tag, and the questions to review."""

from __future__ import annotations

from collections.abc import Callable

from rich import box
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from studyvpc.content.library import Library
from studyvpc.study.quiz import AnswerResult, PracticeSession, Scope, format_duration
from studyvpc.content.textutil import visible
from studyvpc.ui.tui.screens.quiz_review import QuestionReviewScreen
from studyvpc.ui.tui.widgets.content import stem_line
from studyvpc.ui.tui.widgets.marks import MarkedOptionList


def score_line(session: PracticeSession) -> Content:
    s = session.summary()
    if not s.answered:
        head = Content.styled("No questions answered.", "bold")
    else:
        head = Content.assemble((f"Score: {s.right}/{s.answered} ({s.percent:.0f}%)", "bold"))
    return head + Content(f"\n{s.answered} of {s.total} question{'s' * (s.total != 1)} "
                          f"answered in {format_duration(s.elapsed_s)}.")


def tag_table(session: PracticeSession) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=False, pad_edge=False, show_edge=False)
    table.add_column("Tag", overflow="fold")
    table.add_column("Right", justify="right")
    table.add_column("%", justify="right")
    for tag, ts in session.summary().by_tag.items():
        table.add_row(Text(visible(tag)), f"{ts.right}/{ts.total}", f"{ts.percent:.0f}%")
    return table


class ResultsScreen(Screen[None]):
    """Shows how the session went; `r` practises the missed questions again."""

    CSS_PATH = "quiz.tcss"
    BINDINGS = [
        Binding("r", "retry", "Retry missed", tooltip="Practise the questions you missed again"),
        Binding("o", "open_note", "Open note", tooltip="Open the note of the highlighted question"),
        Binding("h", "home", "Home", tooltip="Back to the home screen"),
        Binding("escape", "back", "Back", tooltip="Back to where the quiz was started"),
        Binding("q", "back", "Back", show=False),
    ]

    def __init__(self, library: Library, session: PracticeSession, *, seed: int | None = None,
                 clock: Callable[[], float] | None = None) -> None:
        super().__init__()
        self.library = library
        self.session = session
        self.seed = seed
        self.clock = clock
        self.missed: list[AnswerResult] = [r for r in session.results if not r.correct]
        """The wrong answers, in the order they were given."""

    def compose(self) -> ComposeResult:
        yield Header()
        # The score stays put above what scrolls: focusing a long list of missed questions
        # scrolls the body, and must never take the score out of view.
        yield Static(score_line(self.session), id="results-score", markup=False)
        with VerticalScroll(id="results-body"):
            summary = self.session.summary()
            # The missed questions first: they are what the learner acts on (and what has
            # the focus); the score by tag follows.
            if self.missed:
                yield Static(Content(f"To review ({len(self.missed)}) · Enter: see it again "
                                     "· o: its note · r: practise again"),
                             classes="results-heading", markup=False)
                options: list[Option | None] = []
                for i, r in enumerate(self.missed):
                    if i:
                        options.append(None)  # a rule between questions that wrap
                    options.append(Option(Content.assemble(("✘ ", "$text-error"),
                                                           stem_line(r.question.stem, 160)),
                                          id=str(i)))
                yield MarkedOptionList(*options, id="results-missed", markup=False)
            elif summary.answered:
                yield Static("Nothing missed.", classes="results-heading", markup=False)
            if summary.by_tag:
                yield Static("By tag", classes="results-heading", markup=False)
                yield Static(tag_table(self.session), id="results-tags", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Results"
        if self.missed:
            self.query_one("#results-missed", OptionList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("retry", "open_note"):
            # Nothing missed: nothing to retry or open, so not offered at all (a dimmed
            # "r Retry missed" read as an offer on a monochrome screen).
            return bool(self.missed)
        return True

    def _highlighted(self) -> AnswerResult | None:
        if not self.missed:
            return None
        missed = self.query_one("#results-missed", OptionList)
        if missed.highlighted is None:
            return self.missed[0]
        return self.missed[int(missed.get_option_at_index(missed.highlighted).id or 0)]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.app.push_screen(QuestionReviewScreen(self.missed[int(event.option.id or 0)],
                                                  self.missed), self._reviewed)

    def _reviewed(self, index: int | None) -> None:
        """Back from stepping through the missed questions: highlight the last one seen."""
        if index is not None and self.missed:
            missed = self.query_one("#results-missed", OptionList)
            missed.highlighted = missed.get_option_index(str(index))

    def action_open_note(self) -> None:
        from studyvpc.ui.tui.screens.quiz import open_note

        result = self._highlighted()
        if result is not None:
            open_note(self, result.question.note_id)

    def action_retry(self) -> None:
        if not self.missed:
            return
        from studyvpc.ui.tui.screens.quiz import QuizScreen

        ids = tuple(dict.fromkeys(r.question.id for r in self.missed))
        scope = Scope("ids", value="missed questions", ids=ids)
        # A drill: retrying right after seeing the answers must not count as spaced recall.
        self.app.switch_screen(QuizScreen(self.library, scope, self.seed, clock=self.clock,
                                          mode="drill"))

    def action_back(self) -> None:
        self.dismiss()

    def action_home(self) -> None:
        # The bottom of the stack is the home screen; everything above it is a detour.
        while len(self.app.screen_stack) > 1:
            self.app.pop_screen()

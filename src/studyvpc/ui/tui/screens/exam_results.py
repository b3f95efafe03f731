"""The end of a mock exam: pass or fail, score, time, score per domain, and the review.

The review shows every question of the chosen filter (all / incorrect / flagged / unanswered)
with the learner's answer, the correct one and every option's `why`, then the explanation.
All review items are built once and shown or hidden by filter.
"""

from __future__ import annotations

from rich import box
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, Tab, Tabs

from studyvpc.study.exam import REVIEW_FILTERS, ExamResult, MockExam
from studyvpc.study.quiz import format_duration
from studyvpc.content.textutil import visible
from studyvpc.ui.tui.widgets.exam_review import ExamReviewItem
from studyvpc.ui.tui.widgets.marks import mark_active_tab, tab_label

FILTER_LABELS = {"all": "All", "incorrect": "Incorrect", "flagged": "Flagged",
                 "unanswered": "Unanswered"}


def verdict_text(result: ExamResult) -> Content:
    word = "✔ PASS" if result.passed else "✘ FAIL"
    return Content.assemble(
        (f" {word} ", "bold"),
        f"  Score {result.right}/{result.total} ({result.score * 100:.0f}%)"
        f" · pass mark {result.pass_mark * 100:g}%",
    )


def time_text(result: ExamResult, scope: str) -> Content:
    parts = [f"Time used {format_duration(result.time_used_s)} of "
             f"{format_duration(result.time_limit_s)}"]
    unanswered = sum(not it.answered for it in result.items)
    if unanswered:
        parts.append(f"{unanswered} unanswered (counted as wrong)")
    if scope:
        parts.append(f"drawn from {visible(scope)}")
    line = Content(" · ".join(parts))
    if result.auto_submitted:
        line = line + Content.assemble("\n", ("Time ran out: the exam was submitted "
                                              "automatically.", "$text-warning bold"))
    return line


def tag_table(result: ExamResult) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=False, pad_edge=False, show_edge=False)
    table.add_column("Domain (tag)", overflow="fold")
    table.add_column("Right", justify="right")
    table.add_column("%", justify="right")
    table.add_column("vs mark", no_wrap=True)
    for tag, ts in result.by_tag.items():
        ok = ts.percent >= result.pass_mark * 100
        table.add_row(Text(visible(tag)), f"{ts.right}/{ts.total}", f"{ts.percent:.0f}%",
                      Text("✔ at or above" if ok else "✘ below", style="green" if ok else "red"))
    return table


class ExamResultsScreen(Screen[None]):
    """Results and review of a submitted exam; q or Escape goes back."""

    CSS_PATH = "exam.tcss"
    BINDINGS = [
        Binding("a", "review('all')", "All", tooltip="Review every question"),
        Binding("i", "review('incorrect')", "Incorrect",
                tooltip="Review the questions you got wrong (unanswered included)"),
        Binding("f", "review('flagged')", "Flagged", tooltip="Review the questions you flagged"),
        Binding("u", "review('unanswered')", "Unanswered",
                tooltip="Review the questions you left unanswered"),
        Binding("q", "back", "Done", tooltip="Leave the results"),
        Binding("escape", "back", "Done", show=False),
    ]

    def __init__(self, exam: MockExam, *, review: str = "all") -> None:
        super().__init__()
        if exam.result is None:
            raise ValueError("the exam has not been submitted")
        self.exam = exam
        self.result: ExamResult = exam.result
        self.filter = review
        """The review filter in force: one of all / incorrect / flagged / unanswered."""
        self.items = [ExamReviewItem(n, it) for n, it in self.result.review("all")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="exam-results-body"):
            verdict = Static(verdict_text(self.result), id="exam-result-verdict", markup=False)
            verdict.add_class("-pass" if self.result.passed else "-fail")
            yield verdict
            yield Static(time_text(self.result, self.exam.scope), id="exam-result-time",
                         markup=False)
            if self.result.by_tag:
                yield Static(Content("Score per domain"), classes="exam-results-heading",
                             markup=False)
                yield Static(tag_table(self.result), id="exam-result-tags", markup=False)
            yield Static(Content("Review (a all · i incorrect · f flagged · u unanswered)"),
                         classes="exam-results-heading", markup=False)
            yield Tabs(*[Tab(tab_label(self._tab_label(w), w == self.filter), id=f"review-{w}")
                         for w in REVIEW_FILTERS],
                       active=f"review-{self.filter}", id="exam-review-tabs")
            yield Static("", id="exam-review-empty", markup=False)
            with Vertical(id="exam-review-items"):
                yield from self.items
        yield Footer()

    def _tab_label(self, which: str) -> str:
        return f"{FILTER_LABELS[which]} ({len(self.result.review(which))})"

    def on_mount(self) -> None:
        self.sub_title = "Mock exam: results"
        self.apply_filter(self.filter)
        self.query_one("#exam-results-body").focus()

    def shown_numbers(self) -> list[int]:
        """The question numbers the review shows now (for tests and screen readers)."""
        return [it.number for it in self.items if it.display]

    def apply_filter(self, which: str) -> None:
        keep = {n for n, _ in self.result.review(which)}
        for item in self.items:
            item.display = item.number in keep
        empty = self.query_one("#exam-review-empty", Static)
        empty.display = not keep
        empty.update(Content(f"No {FILTER_LABELS[which].lower()} questions."))
        self.filter = which
        # The active tab carries the cursor mark, not only its colour and underline.
        mark_active_tab(list(self.query(Tab)), f"review-{which}",
                        {f"review-{w}": self._tab_label(w) for w in REVIEW_FILTERS})

    @on(Tabs.TabActivated, "#exam-review-tabs")
    def _tab(self, event: Tabs.TabActivated) -> None:
        which = (event.tab.id or "review-all").removeprefix("review-")
        if which in REVIEW_FILTERS:
            self.apply_filter(which)

    def action_review(self, which: str) -> None:
        self.query_one(Tabs).active = f"review-{which}"
        self.apply_filter(which)
        self.query_one("#exam-results-body", VerticalScroll).scroll_to_widget(
            self.query_one(Tabs), animate=False, top=True)

    def action_back(self) -> None:
        self.dismiss()

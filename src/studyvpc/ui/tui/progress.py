"""The TUI's side of progress: the home screen's panel, and what a quiz screen calls to
record, rate and finish a session.

Recording is the progress layer's `studyvpc.progress.service.Recorder`, shared with plain mode;
`QuizRecorder` only shows what it says, turning failures to save into notifications, so a full
disk or a locked database never stops a quiz.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from studyvpc.content.textutil import one_line
from studyvpc.progress.service import Progress, Recorder, Said
from studyvpc.progress.store import ProgressError
from studyvpc.progress.wording import ago, exam_verdict, when
from studyvpc.ui.tui.base import context_of

if TYPE_CHECKING:  # pragma: no cover
    from studyvpc.study.quiz import AnswerResult


MODE_TITLES = {"practice": "Practice", "review": "Review", "drill": "Drill", "exam": "Exam"}


def home_progress(progress: Progress | None) -> Table:
    """The home screen's progress panel: what is due and when, and the last session's score."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")  # a scope may be a Korean note title: never cropped
    if progress is None:
        grid.add_row("Progress", Text("not available", style="dim"))
        return grid
    try:
        due = progress.due_summary()
        last = progress.last_result()
    except ProgressError as exc:
        grid.add_row("Progress", Text(f"cannot be read: {exc}", style="bold red"))
        return grid
    now = progress.now()
    due_text = Text()
    if due.now:
        due_text.append(f"{due.now} now", style="bold")
        due_text.append(" (r reviews them)", style="dim")
    elif due.next_due is None and progress.error is not None:
        # The schedule is in the database that cannot be used: do not say there is none.
        due_text.append("unknown: your saved schedule cannot be read", style="dim")
    elif due.next_due is None:
        due_text.append("not yet recorded: practise (p) to build your schedule", style="dim")
    else:
        due_text.append("nothing now", style="dim")
    if due.later_today:
        due_text.append(f"\n{due.later_today} more later today")
    if due.next_due is not None:
        due_text.append(f"\nnext {when(due.next_due, now)}")
    grid.add_row("Due for review", due_text)
    last_text = Text()
    if last is None:
        last_text.append("none in this session" if progress.error is not None
                         else "not yet recorded", style="dim")
    else:
        last_text.append(f"{last.right}/{last.answered} ({last.accuracy * 100:.0f}%)",
                         style="bold")
        verdict = exam_verdict(last)
        if verdict is not None:  # an exam: passed or failed against its own mark
            last_text.append(f" {verdict}", style="green" if last.passed else "red")
        last_text.append(f" · {MODE_TITLES.get(last.mode, last.mode)}")
        if last.scope:
            last_text.append(f": {one_line(last.scope, 40)}")
        last_text.append(f" · {ago(last.last_answer, now)}", style="dim")
    grid.add_row("Last results", last_text)
    if not progress.saved:
        grid.add_row(Text("⚠ Not saved", style="bold red"),
                     Text("progress is kept in memory only in this session", style="red"))
    return grid


class QuizRecorder:
    """What a quiz screen calls: record (before showing feedback), rate, finish. Failures to
    save are shown with ``screen.notify`` and never stop the quiz."""

    def __init__(self, screen: Any, mode: str = "practice", scope: str = "") -> None:
        self.screen = screen
        self.mode = mode
        self.scope = scope
        self._recorder: Recorder | None = None

    @property
    def recorder(self) -> Recorder:
        """Made on first use: the screen reaches the app's progress once it is mounted."""
        if self._recorder is None:
            self._recorder = Recorder(context_of(self.screen).progress, self.mode, self.scope)
        return self._recorder

    def _said(self, said: Said, severity: str = "error") -> str:
        if said.problem is not None:
            self.screen.notify(said.problem, title=said.title, severity=severity,
                               markup=False, timeout=10)
        return said.text

    def record(self, result: AnswerResult) -> str:
        """Store the answer; returns a sentence for the feedback ("" when there is none)."""
        return self._said(self.recorder.record(result))

    @property
    def can_rate(self) -> bool:
        return self._recorder is not None and self._recorder.can_rate

    def rate(self, rating: str) -> str:
        """Revise the latest right answer; returns the sentence to show ("" if not possible)."""
        return self._said(self.recorder.rate(rating))

    def finish(self) -> None:
        if self._recorder is not None:
            self._said(self._recorder.finish(), severity="warning")

"""The exam's status line: progress on the left, the time left on the right, always visible.

The time turns to a warning colour in the last five minutes and to an error colour in the
last minute; the words change too ("hurry"), so the change is not told by colour alone.
(No clock emoji: many terminals draw ⏱ two cells wide while Rich counts one.)
"""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from studyvpc.study.exam import MockExam
from studyvpc.study.quiz import format_duration

LOW_S = 5 * 60
CRITICAL_S = 60


def clock_text(remaining_s: float) -> str:
    """The countdown: rounded up, so 0:00 shows only when the time is really over."""
    return format_duration(math.ceil(max(0.0, remaining_s)))


def progress_text(exam: MockExam) -> Content:
    """``Q 2/10 · Answered 4/10 · ◐ 1 partly · ⚑ 2 flagged`` (partly: fewer than "Choose N")."""
    tally = exam.tally()
    answered, partly, flagged = tally.answered, tally.partly, tally.flagged
    parts: list[str | tuple[str, str]] = [
        (f"Q {exam.index + 1}/{exam.total}", "bold"),
        f"  ·  Answered {answered}/{exam.total}",
    ]
    if partly:
        parts += ["  ·  ", (f"◐ {partly} partly", "$text-warning")]
    parts += ["  ·  ", (f"⚑ {flagged} flagged", "$text-warning" if flagged else "")]
    return Content.assemble(*parts)


class ExamStatus(Horizontal):
    DEFAULT_CSS = """
    ExamStatus {
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    ExamStatus > #exam-status-progress {
        width: 1fr;
    }
    ExamStatus > #exam-status-time {
        width: auto;
        text-style: bold;
    }
    ExamStatus.-low > #exam-status-time {
        color: $text-warning;
    }
    ExamStatus.-critical > #exam-status-time {
        color: $text-error;
        background: $error-muted;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.progress = Static("", id="exam-status-progress", markup=False)
        self.time = Static("", id="exam-status-time", markup=False)

    def compose(self) -> ComposeResult:
        yield self.progress
        yield self.time

    def show(self, exam: MockExam) -> None:
        self.progress.update(progress_text(exam))
        self.show_time(exam.remaining_s)

    def show_time(self, remaining_s: float) -> None:
        critical = remaining_s <= CRITICAL_S
        low = remaining_s <= LOW_S and not critical
        words = " — hurry" if critical else ""
        self.time.update(Content(f"Time left {clock_text(remaining_s)}{words}"))
        self.set_class(low, "-low")
        self.set_class(critical, "-critical")

"""What a front end is handed when it starts: one typed object instead of the argparse
namespace and attributes probed on the app.

`AppContext` holds the loaded content, the progress service, where progress lives, the seed
and `StartRequest` (what the command line asked for). The TUI's screens read it through
`studyvpc.ui.tui.base.context_of`; plain mode uses the same object. No Textual, no Rich.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from studyvpc.content.library import Library
    from studyvpc.content.results import LoadResult
    from studyvpc.progress.service import Progress
    from studyvpc.study.quiz import Scope


@dataclass(frozen=True)
class ExamRequest:
    """What ``studyvpc exam`` asked for; None means "the default that fits the library"."""

    count: int | None = None
    minutes: float | None = None
    tags: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    pass_mark: float | None = None
    """Percent (72 means 72%)."""
    seed: int | None = None


@dataclass(frozen=True)
class StartRequest:
    """What the command line asked the app to do first."""

    screen: str = "home"
    """"home", "quiz", "review" or "exam"."""
    command: str | None = None
    """The subcommand given (``quiz``, ``review``, ``exam``), None for the bare app."""
    tag: str | None = None
    note: str | None = None
    limit: int | None = None
    exam: ExamRequest = field(default_factory=ExamRequest)

    def quiz_scope(self) -> Scope | None:
        """The practice scope the command line chose, or None to ask for it (the setup).

        A tag, a note or a limit given on the command line (``studyvpc quiz --limit 3``)
        starts the quiz directly: all questions when only the limit was given."""
        from studyvpc.study.quiz import Scope  # the quiz's module: imported when first used

        if self.tag:
            return Scope("tag", self.tag)
        if self.note:
            return Scope("note", self.note)
        if self.limit is not None:
            return Scope()
        return None

    @classmethod
    def from_args(cls, args: argparse.Namespace | None, screen: str = "home") -> StartRequest:
        """Read the options of whichever command ran; absent options keep their defaults."""
        if args is None:
            return cls(screen=screen)
        options = vars(args)
        tag, note = options.get("tag"), options.get("note")
        exam = ExamRequest(
            count=options.get("count"), minutes=options.get("minutes"),
            # `studyvpc exam` repeats --tag/--note; `quiz` takes one of each.
            tags=tuple(tag) if isinstance(tag, list) else (),
            notes=tuple(note) if isinstance(note, list) else (),
            pass_mark=options.get("pass_mark"), seed=options.get("seed"))
        return cls(screen=screen, command=options.get("command"),
                   tag=tag if isinstance(tag, str) else None,
                   note=note if isinstance(note, str) else None,
                   limit=options.get("limit"), exam=exam)


@dataclass
class AppContext:
    """Everything the app and its screens need from outside."""

    load_result: LoadResult
    """The library and the located content problems."""
    progress: Progress
    """Answers, schedule, statistics and saved exams (in memory if the database is unusable)."""
    data_dir: Path
    """Where progress and saved exams live."""
    seed: int | None = None
    """Random seed for quizzes and exams (``--seed``): the same seed, the same session."""
    request: StartRequest = field(default_factory=StartRequest)
    exam_clock: Callable[[], float] = time.monotonic
    """The mock exam's clock (seconds); tests pass a fake one."""

    @property
    def library(self) -> Library:
        return self.load_result.library

    @classmethod
    def open(cls, load_result: LoadResult, data_dir: Path, *, seed: int | None = None,
             request: StartRequest | None = None,
             exam_clock: Callable[[], float] | None = None,
             notice: Callable[[str], None] | None = None) -> AppContext:
        """Open progress in ``data_dir`` (falling back to memory, with the reason kept);
        ``notice`` is told before a step of the opening that takes seconds."""
        from studyvpc.progress.service import Progress

        progress = Progress.open(load_result.library, data_dir, notice=notice)
        return cls(load_result, progress, Path(data_dir), seed, request or StartRequest(),
                   exam_clock or time.monotonic)

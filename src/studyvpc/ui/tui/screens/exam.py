"""The mock exam's entry points for the app: start one, or offer an unfinished one back.

The lifecycle itself (saving, the lock, storing submitted exams, reading a saved one back)
is `studyvpc.progress.exams.ExamKeeper`; this module only shows what it says: notices as
notifications, the resume/discard question as a dialog. It stays light (the screens are
imported only when needed) because the app calls `maybe_offer_resume` at every start-up,
where a missing save file must cost next to nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from studyvpc.content.textutil import plural
from studyvpc.progress.exam_file import ExamFile
from studyvpc.ui.context import ExamRequest
from studyvpc.ui.tui.base import ContextApp

if TYPE_CHECKING:  # pragma: no cover
    from textual.content import Content

    from studyvpc.progress.exams import ExamKeeper, Notice, Submitted
    from studyvpc.study.exam import ExamSettings, MockExam

__all__ = ["start_exam", "maybe_offer_resume", "exam_submitted", "keeper_for", "show"]


def keeper_for(app: ContextApp, data_dir: Path | None = None) -> ExamKeeper:
    """The exam lifecycle of the app's data directory (or of ``data_dir``)."""
    from studyvpc.progress.exams import ExamKeeper

    ctx = app.context
    return ExamKeeper(ctx.progress, ctx.library, data_dir if data_dir is not None else ctx.data_dir)


def show(app: ContextApp, notices: Iterable[Notice]) -> None:
    """Notices from the progress layer, as notifications (text shown literally)."""
    for n in notices:
        app.notify(n.text, title=n.title, severity=n.severity,  # type: ignore[arg-type]
                   timeout=n.timeout, markup=False)


def start_exam(app: ContextApp, request: ExamRequest | ExamSettings | None = None, *,
               data_dir: Path | None = None, clock: Callable[[], float] | None = None) -> None:
    """Open the exam: a saved one is offered back first (resume or discard), else the setup.

    ``request`` pre-fills the setup (None: what the command line asked for); an
    `ExamSettings` starts the exam at once, without the form.
    """
    from studyvpc.study.exam import ExamSettings
    from studyvpc.ui.tui.screens.exam_screen import ExamScreen
    from studyvpc.ui.tui.screens.exam_setup import ExamSetupScreen

    ctx = app.context
    keeper = keeper_for(app, data_dir)
    clock = clock or ctx.exam_clock

    def setup() -> None:
        if isinstance(request, ExamSettings):
            app.push_screen(ExamScreen(keeper.start(request, clock), keeper))
            return
        req = request if request is not None else ctx.request.exam
        app.push_screen(ExamSetupScreen(ctx.library, ctx.seed, keeper, req, clock=clock))

    if not maybe_offer_resume(app, data_dir=data_dir, clock=clock, after_discard=setup):
        setup()


def describe_saved(exam: MockExam) -> Content:
    from textual.content import Content

    from studyvpc.ui.tui.widgets.exam_status import clock_text

    # Counted as the exam's status line counts them: a "Choose 2" with one option chosen is
    # partly answered, not answered.
    tally = exam.tally()
    answered, partly, flagged = tally.answered, tally.partly, tally.flagged
    partly_text = f" ({partly} partly)" if partly else ""
    return Content.assemble(
        "An exam you started is not finished:\n\n",
        (f"{plural(exam.total, 'question')}", "bold"),
        f" from {exam.scope or 'the library'}, {answered} answered{partly_text}, "
        f"{flagged} flagged, ",
        (f"{clock_text(exam.remaining_s)} left", "bold"),
        ".\n\nResume it where you left off, or discard it?",
    )


def exam_submitted(app: ContextApp, submitted: Submitted, keeper: ExamKeeper) -> bool:
    """Store a submitted exam in the progress store (see `ExamKeeper.record_submitted`);
    True if it was newly recorded."""
    recorded, notices = keeper.record_submitted(submitted)
    show(app, notices)
    return recorded


def maybe_offer_resume(app: ContextApp, *, data_dir: Path | None = None,
                       clock: Callable[[], float] | None = None,
                       after_discard: Callable[[], None] | None = None) -> bool:
    """If an unfinished exam is saved, ask (modal) to resume or discard it; True if asked.

    Resume opens the exam with the time it had left. Discard asks for confirmation, then
    deletes the saved exam (and calls `after_discard`). Escape keeps it for later. An exam
    being taken in another studyvpc process on the same data directory is not offered: a
    notification says so, and True is returned (no setup opens over it). A saved exam that
    cannot be read, or whose questions are gone from the content, is moved aside (never
    deleted) with a notification, and False is returned. Submitted exams not yet in the
    progress store are stored first, once each.
    """
    # The usual case, at every start: nothing to offer or to store, found without importing
    # the exam's machinery.
    if not ExamFile(data_dir if data_dir is not None else app.context.data_dir).waiting():
        return False
    keeper = keeper_for(app, data_dir)

    from textual.content import Content

    from studyvpc.study.exam import ExamStateError
    from studyvpc.ui.tui.screens.exam_modals import (
        DISCARD, RESUME, ConfirmScreen, ResumeExamScreen,
    )
    from studyvpc.ui.tui.screens.exam_screen import ExamScreen

    if any(isinstance(s, ResumeExamScreen) for s in app.screen_stack):
        return True  # already asking (say, `e` pressed while the start-up offer is open)
    clock = clock or app.context.exam_clock
    offer = keeper.offer()
    show(app, offer.notices)
    if offer.elsewhere:
        return True
    preview = offer.preview
    if preview is None:
        return False

    def resume() -> None:
        try:
            exam = keeper.resume(clock)
        except (ValueError, ExamStateError) as exc:
            app.notify(f"The saved exam cannot be resumed: {exc}", severity="error",
                       markup=False)
            return
        app.push_screen(ExamScreen(exam, keeper))

    def confirm_discard(yes: bool | None) -> None:
        if not yes:
            ask()
            return
        keeper.discard()
        app.notify("The unfinished exam was discarded.", timeout=4)
        if after_discard is not None:
            after_discard()

    def chosen(choice: str | None) -> None:
        if choice == RESUME:
            resume()
        elif choice == DISCARD:
            body = Content(f"Its {plural(preview.total, 'question')} and your answers will be "
                           "deleted. This cannot be undone.")
            app.push_screen(ConfirmScreen("Discard the unfinished exam?", body, yes="Discard",
                                          no="Keep it", default_yes=False,
                                          id="exam-confirm-discard"),
                            confirm_discard)
        else:
            app.notify("The unfinished exam is kept; start an exam to resume it.", timeout=4)

    def ask() -> None:
        app.push_screen(ResumeExamScreen(describe_saved(preview)), chosen)

    ask()
    return True

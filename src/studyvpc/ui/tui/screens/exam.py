"""The mock exam's entry points for the app: start one, or offer an unfinished one back.

This module stays light (the screens are imported only when needed) because the app calls
`maybe_offer_resume` at every start-up, where a missing save file must cost next to nothing.

- `start_exam(app, request=None)`: a saved exam is offered back first (resume or discard),
  else the setup form, pre-filled from `studyvpc exam`'s options (``app.args``).
- `maybe_offer_resume(app)`: at start-up, offer a saved exam back; False if there is none.
  Submitted exams not yet in the progress store (the app was killed first, or the database
  could not be used) are stored first, once each.
- `record_submitted(app, exam, result, kept=…, at=…)`: store a submitted exam in
  ``app.progress``, then remove the file that kept it; the app calls it (`exam_submitted`)
  for `ExamScreen.Submitted`. Submitted exams left in files by a kill or an unusable database
  are stored by `maybe_offer_resume` at the next start.

Both need `app.library`; the data directory is `app.data_dir` if set, else
``app.args.data_dir``, else the default location (`studyvpc.locations.data_dir`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from textual.app import App
    from textual.content import Content

    from studyvpc.study.exam import ExamResult, ExamSettings, MockExam
    from studyvpc.progress.exam_file import ExamFile
    from studyvpc.ui.tui.screens.exam_setup import ExamRequest

__all__ = ["start_exam", "maybe_offer_resume", "app_data_dir", "record_submitted",
           "exam_submitted"]


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' * (n != 1)}"


def app_data_dir(app: App) -> Path:
    """The data directory of the running app (see the module docstring)."""
    explicit = getattr(app, "data_dir", None)
    if explicit is not None:
        return Path(explicit)
    from studyvpc import locations

    return locations.data_dir(getattr(getattr(app, "args", None), "data_dir", None))


def start_exam(app: App, request: ExamRequest | ExamSettings | None = None, *,
               data_dir: Path | None = None, clock: Callable[[], float] | None = None) -> None:
    """Open the exam: a saved one is offered back first (resume or discard), else the setup.

    `request` pre-fills the setup (None: from `app.args`, i.e. `studyvpc exam`'s options); an
    `ExamSettings` starts the exam at once, without the form.
    """
    from studyvpc.study.exam import ExamSettings, MockExam
    from studyvpc.ui.tui.screens.exam_screen import ExamScreen
    from studyvpc.ui.tui.screens.exam_setup import ExamRequest, ExamSetupScreen

    data_dir = data_dir if data_dir is not None else app_data_dir(app)
    clock = clock or getattr(app, "exam_clock", None) or time.monotonic

    def setup() -> None:
        if isinstance(request, ExamSettings):
            exam = MockExam.start(app.library.questions, request, clock=clock)
            app.push_screen(ExamScreen(exam, data_dir))
            return
        req = request if request is not None else ExamRequest.from_args(getattr(app, "args", None))
        app.push_screen(ExamSetupScreen(app.library, getattr(app, "seed", None), data_dir, req,
                                        clock=clock))

    if not maybe_offer_resume(app, data_dir=data_dir, clock=clock, after_discard=setup):
        setup()


def describe_saved(exam: MockExam) -> Content:
    from textual.content import Content

    from studyvpc.ui.tui.widgets.exam_status import clock_text

    # Counted as the exam's status line counts them: a "Choose 2" with one option chosen is
    # partly answered, not answered.
    partly = sum(it.answered and len(it.answer) < it.question.choose for it in exam.items)
    answered = exam.total - len(exam.unanswered()) - partly
    flagged = len(exam.flagged())
    partly_text = f" ({partly} partly)" if partly else ""
    return Content.assemble(
        "An exam you started is not finished:\n\n",
        (f"{plural(exam.total, 'question')}", "bold"),
        f" from {exam.scope or 'the library'}, {answered} answered{partly_text}, "
        f"{flagged} flagged, ",
        (f"{clock_text(exam.remaining_s)} left", "bold"),
        ".\n\nResume it where you left off, or discard it?",
    )


def _stamp(text: object) -> datetime | None:
    from studyvpc.progress.store.schema import parse_utc

    try:
        return parse_utc(text) if isinstance(text, str) else None
    except ValueError:
        return None


def exam_submitted(app: App, message) -> None:
    """What the app does with `ExamScreen.Submitted`: `record_submitted`."""
    record_submitted(app, message.exam, message.result, kept=message.kept, at=message.at)


def record_submitted(app: App, exam: MockExam, result: ExamResult, *,
                     kept: Path | None = None, at: datetime | None = None) -> bool:
    """Store a submitted exam in the app's progress, then remove the file ``kept`` that held it.

    The file is removed only once the exam is in a database that outlives this run; if it
    cannot be stored (locked, damaged or newer database, in-memory fallback) the file keeps
    the submitted exam and a later start stores it. Recording is idempotent (the exam's id is
    its session id), so a kill between the two steps never counts an exam twice.
    True if the exam was newly recorded.
    """
    from studyvpc.progress.store import ProgressError

    progress = getattr(app, "progress", None)
    if progress is None:  # nothing records exams in this app: nothing to keep the file for
        _remove(app, kept)
        return False
    try:
        recorded = progress.record_exam(exam, result, at=at) is not None
    except ProgressError as exc:
        where = (f" The finished exam is kept in {kept} and will be added to your statistics "
                 "when studyvpc can save it." if kept is not None else "")
        app.notify(f"{exc}{where}", title="The exam was not saved", severity="error",
                   markup=False, timeout=20)
        return False
    if progress.saved:
        _remove(app, kept)
    return recorded


def _remove(app: App, kept: Path | None) -> None:
    if kept is None:
        return
    try:
        kept.unlink(missing_ok=True)
    except OSError as exc:
        app.notify(f"The finished exam's file {kept} could not be removed: {exc}",
                   severity="warning", markup=False)


def record_pending(app: App, saved: ExamFile, path: Path) -> None:
    """Store a submitted exam that a kill (or an unusable database) left in ``path``."""
    from studyvpc.study.exam import ExamStateError, MockExam

    try:
        state = saved.load(path)
        exam = MockExam.from_state(state or {}, app.library, clock=lambda: 0.0)
        if exam.result is None:
            raise ExamStateError("it was never submitted")
    except (ValueError, ExamStateError) as exc:
        try:
            where = f" It was moved to {saved.set_aside(path)}."
        except OSError:
            where = ""
        app.notify(f"A finished exam cannot be added to your statistics: {exc}.{where}",
                   title="Finished exam", severity="warning", timeout=10, markup=False)
        return
    at = _stamp((state or {}).get("submitted_at"))
    progress = getattr(app, "progress", None)
    if record_submitted(app, exam, exam.result, kept=path, at=at) and progress.saved:
        result = exam.result
        verdict = "passed" if result.passed else "failed"
        when = f" of {at.astimezone():%a %d %b %H:%M}" if at else ""
        app.notify(f"Your exam{when} ({result.right}/{result.total}, {verdict}) was added "
                   "to your statistics.", title="Finished exam", timeout=8, markup=False)


def maybe_offer_resume(app: App, *, data_dir: Path | None = None,
                       clock: Callable[[], float] | None = None,
                       after_discard: Callable[[], None] | None = None) -> bool:
    """If an unfinished exam is saved, ask (modal) to resume or discard it; True if asked.

    Resume opens the exam with the time it had left. Discard asks for confirmation, then
    deletes the saved exam (and calls `after_discard`). Escape keeps it for later. An exam
    being taken in another studyvpc process on the same data directory is not offered: a
    notification says so, and True is returned (no setup opens over it). A saved
    exam that cannot be read, or whose questions are gone from the content, is moved aside
    (never deleted) with a notification, and False is returned.
    """
    from studyvpc.progress.exam_file import ExamFile

    data_dir = data_dir if data_dir is not None else app_data_dir(app)
    saved = ExamFile(data_dir)
    in_progress = saved.path.exists()
    finished = saved.finished()  # submitted, but not yet in the progress store
    if not in_progress and not finished:  # the usual case: nothing more to import
        return False

    from textual.content import Content

    from studyvpc.study.exam import ExamStateError, MockExam
    from studyvpc.ui.tui.screens.exam_modals import (
        DISCARD, RESUME, ConfirmScreen, ResumeExamScreen,
    )
    from studyvpc.ui.tui.screens.exam_screen import ExamScreen

    if any(isinstance(s, ResumeExamScreen) for s in app.screen_stack):
        return True  # already asking (say, `e` pressed while the start-up offer is open)
    clock = clock or getattr(app, "exam_clock", None) or time.monotonic
    for path in finished:
        record_pending(app, saved, path)
    if not in_progress:
        return False
    if saved.in_use_elsewhere():  # not abandoned: being taken in another window right now
        app.notify("An exam is being taken in another studyvpc window on this data directory. "
                   "Finish it, or leave it there, before starting another one here.",
                   title="Exam in progress", severity="warning", timeout=10, markup=False)
        return True
    try:
        state = saved.load()
        if state is None:
            return False
        preview = MockExam.from_state(state, app.library, clock=lambda: 0.0)
    except (ValueError, ExamStateError) as exc:
        try:
            moved = saved.set_aside()
            where = f" It was moved to {moved}."
        except OSError:
            where = ""
        app.notify(f"The saved exam cannot be resumed: {exc}.{where}", title="Saved exam",
                   severity="warning", timeout=10, markup=False)
        return False
    if preview.result is not None:  # submitted in the save file itself (older versions)
        record_pending(app, saved, saved.path)
        return False

    def resume() -> None:
        try:
            exam = MockExam.from_state(saved.load() or {}, app.library, clock=clock)
        except (ValueError, ExamStateError) as exc:
            app.notify(f"The saved exam cannot be resumed: {exc}", severity="error",
                       markup=False)
            return
        app.push_screen(ExamScreen(exam, data_dir))

    def confirm_discard(yes: bool | None) -> None:
        if not yes:
            ask()
            return
        saved.clear()
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

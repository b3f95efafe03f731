"""The mock exam's lifecycle beside the progress store: taking one (saved as it goes, under a
lock), submitting it, storing it, and offering an unfinished one back after a crash or a quit.

Both front ends use `ExamKeeper`; it never talks to a terminal. What the learner should be
told comes back as `Notice`s (plain sentences), which the TUI shows as notifications.

- **Taking** (`ExamKeeper.take` → `ExamTaking`): every answer, flag and move is saved at once
  (`ExamFile`, atomically); the lock tells a second studyvpc on the same data directory that
  the saved exam is running, not abandoned.
- **Submitting** (`ExamTaking.submit`): the exam moves to a file of its own, kept until the
  progress store has it, so a kill or an unusable database never loses it.
- **Storing** (`ExamKeeper.record_submitted`): one idempotent transaction (the exam's id is its
  session id); the file is removed only once the exam is in a database that outlives the run.
- **Offering back** (`ExamKeeper.offer`): submitted exams left in files are stored first; an
  unfinished exam comes back as a preview to resume or discard; a damaged one is moved aside
  (never deleted).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from studyvpc.progress.exam_file import ExamFile
from studyvpc.progress.store import ProgressError
from studyvpc.progress.store.schema import iso_utc, parse_utc
from studyvpc.study.exam import ExamResult, ExamStateError, MockExam

if TYPE_CHECKING:  # pragma: no cover
    from studyvpc.content.library import Library
    from studyvpc.progress.service import Progress


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the learner should be told, in words; the front end decides how."""

    text: str
    title: str = ""
    severity: str = "information"
    """"information", "warning" or "error"."""
    timeout: float | None = None


@dataclass(frozen=True, slots=True)
class Submitted:
    """A submitted exam on its way to the progress store."""

    exam: MockExam
    result: ExamResult
    kept: Path | None
    """The file that keeps it until the store has it (None: could not be written)."""
    at: datetime
    """When it was submitted."""


@dataclass
class Offer:
    """What `ExamKeeper.offer` found on disk at start-up (or when an exam is asked for)."""

    notices: list[Notice] = field(default_factory=list)
    preview: MockExam | None = None
    """An unfinished exam to offer back (its clock stopped), or None."""
    elsewhere: bool = False
    """The saved exam is being taken in another studyvpc right now: start nothing over it."""


class ExamTaking:
    """One exam being taken: its saves, its lock, its submission."""

    def __init__(self, keeper: ExamKeeper, exam: MockExam) -> None:
        self.keeper = keeper
        self.exam = exam
        self.file: ExamFile | None = keeper.file
        self.error: OSError | None = None
        """Why the latest save failed (None once one succeeds): leaving would lose the exam."""

    def lock(self) -> Notice | None:
        """Hold the save file for this exam; a notice if another studyvpc holds it (this exam
        is then not saved, but still scored and recorded)."""
        if self.file is None or self.file.lock():
            return None
        self.file = None
        return Notice("Another studyvpc window is taking an exam on the same data directory, "
                      "so this one cannot be saved (it will still be scored and recorded).",
                      title="Not saved", severity="warning", timeout=10)

    @property
    def saved(self) -> bool:
        return self.file is not None

    def save(self) -> bool:
        """Save the exam as it stands; False (and `error` set) if that failed."""
        if self.file is None or self.exam.result is not None:
            return True
        try:
            self.file.save(self.exam.to_state())
        except OSError as exc:
            self.error = exc
            return False
        self.error = None
        return True

    def submit(self, *, auto: bool = False) -> Submitted:
        """Grade the exam and move it to a file of its own until the store has it. If that
        file cannot be written, the exam is still recorded from memory."""
        result = self.exam.submit(auto=auto)
        at = self.keeper.progress.now()
        kept = None
        if self.file is not None:
            state = self.exam.to_state()
            state["submitted_at"] = iso_utc(at)
            try:
                kept = self.file.save_finished(state)
            except OSError:
                pass
            try:  # no longer in progress: never offered back for resuming
                self.file.clear()
            except OSError:
                pass
        return Submitted(self.exam, result, kept, at)

    def release(self) -> None:
        if self.file is not None:
            self.file.release()


class ExamKeeper:
    """The exam lifecycle of one data directory (None: exams are not saved)."""

    def __init__(self, progress: Progress, library: Library, data_dir: Path | None) -> None:
        self.progress = progress
        self.library = library
        self.file = ExamFile(data_dir) if data_dir is not None else None

    def take(self, exam: MockExam) -> ExamTaking:
        return ExamTaking(self, exam)

    def start(self, settings, clock: Callable[[], float]) -> MockExam:
        return MockExam.start(self.library.questions, settings, clock=clock)

    # -- storing submitted exams

    def record_submitted(self, submitted: Submitted) -> tuple[bool, list[Notice]]:
        """Store a submitted exam, then remove the file that kept it (only once it is in a
        database that outlives this run). (newly recorded?, what to tell the learner)."""
        try:
            recorded = self.progress.record_exam(submitted.exam, submitted.result,
                                                 at=submitted.at) is not None
        except ProgressError as exc:
            where = (f" The finished exam is kept in {submitted.kept} and will be added to your "
                     "statistics when studyvpc can save it." if submitted.kept is not None
                     else "")
            return False, [Notice(f"{exc}{where}", title="The exam was not saved",
                                  severity="error", timeout=20)]
        notices = self._remove(submitted.kept) if self.progress.saved else []
        return recorded, notices

    def _remove(self, kept: Path | None) -> list[Notice]:
        if kept is None:
            return []
        try:
            kept.unlink(missing_ok=True)
        except OSError as exc:
            return [Notice(f"The finished exam's file {kept} could not be removed: {exc}",
                           severity="warning")]
        return []

    def _record_pending(self, path: Path) -> list[Notice]:
        """Store a submitted exam that a kill (or an unusable database) left in ``path``."""
        assert self.file is not None
        try:
            state = self.file.load(path) or {}
            exam = MockExam.from_state(state, self.library, clock=lambda: 0.0)
            if exam.result is None:
                raise ExamStateError("it was never submitted")
        except (ValueError, ExamStateError) as exc:
            return [Notice(f"A finished exam cannot be added to your statistics: {exc}."
                           f"{self._set_aside(path)}", title="Finished exam",
                           severity="warning", timeout=10)]
        at = _stamp(state.get("submitted_at"))
        recorded, notices = self.record_submitted(
            Submitted(exam, exam.result, path, at or self.progress.now()))
        if recorded and self.progress.saved:
            result = exam.result
            verdict = "passed" if result.passed else "failed"
            when = f" of {at.astimezone():%a %d %b %H:%M}" if at else ""
            notices.append(Notice(f"Your exam{when} ({result.right}/{result.total}, {verdict}) "
                                  "was added to your statistics.", title="Finished exam",
                                  timeout=8))
        return notices

    def _set_aside(self, path: Path | None = None) -> str:
        assert self.file is not None
        try:
            return f" It was moved to {self.file.set_aside(path)}."
        except OSError:
            return ""

    # -- offering an unfinished exam back

    def offer(self) -> Offer:
        """Store submitted exams left in files, then look at the exam in progress."""
        offer = Offer()
        if self.file is None:
            return offer
        in_progress = self.file.path.exists()
        for path in self.file.finished():  # submitted, but not yet in the progress store
            offer.notices += self._record_pending(path)
        if not in_progress:
            return offer
        if self.file.in_use_elsewhere():  # not abandoned: being taken in another window
            offer.elsewhere = True
            offer.notices.append(Notice(
                "An exam is being taken in another studyvpc window on this data directory. "
                "Finish it, or leave it there, before starting another one here.",
                title="Exam in progress", severity="warning", timeout=10))
            return offer
        try:
            state = self.file.load()
            if state is None:
                return offer
            preview = MockExam.from_state(state, self.library, clock=lambda: 0.0)
        except (ValueError, ExamStateError) as exc:
            offer.notices.append(Notice(f"The saved exam cannot be resumed: {exc}."
                                        f"{self._set_aside()}", title="Saved exam",
                                        severity="warning", timeout=10))
            return offer
        if preview.result is not None:  # submitted in the save file itself (older versions)
            offer.notices += self._record_pending(self.file.path)
            return offer
        offer.preview = preview
        return offer

    def waiting(self) -> bool:
        """Whether anything is on disk to offer or store (cheap: checked at every start)."""
        return self.file is not None and self.file.waiting()

    def resume(self, clock: Callable[[], float]) -> MockExam:
        """The unfinished exam, running again on ``clock``; raises ExamStateError/ValueError."""
        assert self.file is not None
        return MockExam.from_state(self.file.load() or {}, self.library, clock=clock)

    def discard(self) -> None:
        if self.file is not None:
            self.file.clear()


def _stamp(text: object) -> datetime | None:
    try:
        return parse_utc(text) if isinstance(text, str) else None
    except ValueError:
        return None

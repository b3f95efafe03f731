"""The exam in progress, saved as it goes so a crash, a kill or a quit loses nothing.

One small JSON file in the data directory, replaced atomically (write a temporary file,
fsync, rename, fsync the directory): after a kill the file is either the previous complete
state or the new one, never half of each. Finished exams go to the progress store; on
submission an exam moves to a file of its own (``exam-finished-<id>.json``) that is removed
once the store has it, so a kill, a locked or unusable database, or a new exam started before
that never loses it.

There is one such file per data directory, so an exam being taken holds a lock beside it
(``flock`` on ``exam-in-progress.lock``, released by the kernel when the process ends, even on
a kill): a second studyvpc on the same data directory then knows the saved exam is not
abandoned but running, and neither offers it back nor starts an exam over it.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover  (Windows: no lock; one studyvpc at a time there)
    fcntl = None  # type: ignore[assignment]

FILENAME = "exam-in-progress.json"
LOCKNAME = "exam-in-progress.lock"
MAX_STATE_BYTES = 16 * 1024 * 1024
"""A saved exam is a few kilobytes per question; a larger file is damaged, not read."""
FINISHED_PREFIX = "exam-finished-"
"""``exam-finished-<exam id>.json``: a submitted exam until the progress store has it."""

_held: dict[Path, int] = {}
"""Lock files this process holds, with their descriptors (flock is per open file: a second
open in the same process would see its own lock as someone else's)."""


class ExamFile:
    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / FILENAME
        self.lock_path = Path(data_dir) / LOCKNAME

    # -- the lock of the exam being taken

    def lock(self) -> bool:
        """Hold the lock while this process takes the exam. False if another process holds it;
        True too when locking is impossible here (no flock, unwritable directory)."""
        if fcntl is None or self.lock_path in _held:
            return True
        try:
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        _held[self.lock_path] = fd
        return True

    def release(self) -> None:
        fd = _held.pop(self.lock_path, None)
        if fd is not None:
            os.close(fd)  # closing the descriptor releases the flock

    def in_use_elsewhere(self) -> bool:
        """Whether another process is taking the saved exam right now."""
        if fcntl is None or self.lock_path in _held:
            return False
        try:
            fd = os.open(self.lock_path, os.O_RDONLY)
        except OSError:  # no lock file: nobody ever locked it
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError:
            return True
        finally:
            os.close(fd)
        return False

    # -- the exam in progress, and submitted exams waiting for the progress store

    def save(self, state: dict) -> None:
        """Replace the exam in progress with ``state`` (atomically)."""
        _write(self.path, state)

    def save_finished(self, state: dict) -> Path:
        """Keep a submitted exam in a file of its own until the progress store has it; a new
        exam started meanwhile cannot overwrite it. Returns its path."""
        exam_id = "".join(c for c in str(state.get("exam_id", "")) if c.isalnum())[:64]
        path = self.path.with_name(f"{FINISHED_PREFIX}{exam_id or 'exam'}.json")
        _write(path, state)
        return path

    def waiting(self) -> bool:
        """Whether an exam is on disk to offer back or to store: checked at every start, so
        it reads nothing (one stat and one folder listing)."""
        return self.path.exists() or bool(self.finished())

    def finished(self) -> list[Path]:
        """Submitted exams not yet in the progress store (damaged ones set aside excluded)."""
        try:
            return sorted(p for p in self.path.parent.glob(f"{FINISHED_PREFIX}*.json")
                          if ".damaged" not in p.name)
        except OSError:
            return []

    def load(self, path: Path | None = None) -> dict | None:
        """The saved state (of the exam in progress, or of ``path``), or None when there is
        none. A damaged file raises ValueError."""
        path = path or self.path
        try:
            with open(path, "rb") as f:
                raw = f.read(MAX_STATE_BYTES + 1)
        except FileNotFoundError:
            return None
        if len(raw) > MAX_STATE_BYTES:
            raise ValueError(f"{path}: the saved exam is damaged (larger than "
                             f"{MAX_STATE_BYTES // 2**20} MiB)")
        try:
            return json.loads(raw.decode("utf-8"))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{exc.lineno}:{exc.colno}: the saved exam is damaged "
                             f"({exc.msg})") from None
        except (UnicodeDecodeError, RecursionError) as exc:
            raise ValueError(f"{path}: the saved exam is damaged ({type(exc).__name__})") from None

    def clear(self, path: Path | None = None) -> None:
        (path or self.path).unlink(missing_ok=True)

    def set_aside(self, path: Path | None = None) -> Path:
        """Move a damaged file out of the way (kept, never deleted) and return its new path."""
        path = path or self.path
        target = path.with_suffix(".damaged.json")
        n = 1
        while target.exists():
            target = path.with_suffix(f".damaged-{n}.json")
            n += 1
        os.replace(path, target)
        return target


def _write(path: Path, state: dict) -> None:
    """Write ``state`` to ``path`` atomically: a temporary file, fsync, rename, fsync the folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".exam-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(state, f, ensure_ascii=False)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        dfd = os.open(path.parent, os.O_RDONLY)
    except OSError:  # some platforms cannot open directories; the rename is still atomic
        return
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)

"""The exam in progress, saved as it goes so a crash, a kill or a quit loses nothing.

One small JSON file in the data directory, replaced atomically (write a temporary file,
fsync, rename, fsync the directory): after a kill the file is either the previous complete
state or the new one, never half of each. Finished exams go to the progress store.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

FILENAME = "exam-in-progress.json"


class ExamFile:
    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / FILENAME

    def save(self, state: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".exam-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(state, f, ensure_ascii=False)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        try:
            dfd = os.open(self.path.parent, os.O_RDONLY)
        except OSError:  # some platforms cannot open directories; the rename is still atomic
            return
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)

    def load(self) -> dict | None:
        """The saved state, or None when there is none. A damaged file raises ValueError."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{self.path}: the saved exam is damaged ({exc.msg} at line "
                             f"{exc.lineno} column {exc.colno})") from None

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)

    def set_aside(self) -> Path:
        """Move a damaged file out of the way (kept, never deleted) and return its new path."""
        target = self.path.with_suffix(".damaged.json")
        n = 1
        while target.exists():
            target = self.path.with_suffix(f".damaged-{n}.json")
            n += 1
        os.replace(self.path, target)
        return target

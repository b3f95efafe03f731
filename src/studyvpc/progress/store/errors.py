"""Why progress cannot be used, as exceptions whose messages can be shown to the learner as-is.

Callers (TUI, CLI) catch `ProgressError` once and print ``str(error)``; each subclass exists so
that a caller can decide what to do next (run without saving, refuse, suggest a fix) without
parsing messages. No subclass ever means "we repaired or replaced your file": the store never
overwrites or recreates a database it could not read.
"""

from __future__ import annotations

from pathlib import Path


class ProgressError(Exception):
    """Base class: the progress database cannot be used as asked."""


class StoreUnavailable(ProgressError):
    """The data directory (or database file) cannot be created or written.

    Callers run without a store (see `ProgressStore.in_memory`) and say so.
    """

    def __init__(self, location: Path | str, reason: str) -> None:
        self.location = Path(location)
        self.reason = reason
        super().__init__(
            f"Cannot use the progress data directory {location}: {reason}. "
            "Progress will not be saved in this session."
        )


class CorruptDatabase(ProgressError):
    """The file exists but is not a readable, consistent SQLite database. It was left untouched."""

    def __init__(self, path: Path | str, detail: str) -> None:
        self.path = Path(path)
        self.detail = detail
        super().__init__(
            f"The progress database {path} is damaged ({detail}). It has been left untouched: "
            "nothing was overwritten or recreated. Move it aside (or restore a "
            "progress-backup-*.sqlite3 copy from the same folder) to record progress again."
        )


class NewerSchemaVersion(ProgressError):
    """The database was written by a newer studyvpc. It was left untouched."""

    def __init__(self, path: Path | str, found: int, supported: int) -> None:
        self.path = Path(path)
        self.found = found
        self.supported = supported
        super().__init__(
            f"The progress database {path} was written by a newer version of studyvpc "
            f"(schema version {found}; this version understands up to {supported}). "
            "It has been left untouched: upgrade studyvpc to use it."
        )


class ImportFormatError(ProgressError):
    """A file given to `import_json` is not a studyvpc progress export this version can read."""

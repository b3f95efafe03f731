"""Headless progress storage: answers, sessions, FSRS card state, statistics and drills.

Kept free of Textual and of ``fsrs`` so that the CLI, the TUI and tests share it and so that
importing it costs only ``sqlite3``. The FSRS algorithm lives in `studyvpc.progress.scheduler`.
"""

from studyvpc.progress.store.content_index import QuestionIndex
from studyvpc.progress.store.errors import (
    CorruptDatabase,
    ImportFormatError,
    NewerSchemaVersion,
    ProgressError,
    StoreUnavailable,
)
from studyvpc.progress.store.connection import DB_NAME
from studyvpc.progress.store.records import MODES, AttemptRecord, CardRecord, ReviewLogRecord, SessionRecord
from studyvpc.progress.store.transfer import ImportResult
from studyvpc.progress.store.store import ProgressStore, open_or_memory
from studyvpc.progress.store.schema import local_day

__all__ = [
    "DB_NAME",
    "MODES",
    "AttemptRecord",
    "CardRecord",
    "CorruptDatabase",
    "ImportFormatError",
    "ImportResult",
    "NewerSchemaVersion",
    "ProgressError",
    "ProgressStore",
    "QuestionIndex",
    "ReviewLogRecord",
    "SessionRecord",
    "StoreUnavailable",
    "local_day",
    "open_or_memory",
]

"""What is due is counted over the due cards, never over every question of the content: the
home screen asks on every return (and every minute), and a library may hold 50,000 questions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta, timezone

from studyvpc.content.library import Library
from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.service import Progress
from studyvpc.progress.store import ProgressStore, QuestionIndex

T0 = datetime(2026, 3, 1, 8, tzinfo=timezone.utc)


class Questions(Mapping[str, tuple[str, ...]]):
    """Question id → tags that counts how often all of it is gone through."""

    def __init__(self, n: int) -> None:
        self.tags = {f"q{i}": ("t",) for i in range(n)}
        self.walks = 0

    def __getitem__(self, key: str) -> tuple[str, ...]:
        return self.tags[key]

    def __iter__(self) -> Iterator[str]:
        self.walks += 1
        return iter(self.tags)

    def __len__(self) -> int:
        return len(self.tags)


def test_what_is_due_is_found_without_going_through_every_question():
    store = ProgressStore.in_memory()
    scheduler = ReviewScheduler(store, enable_fuzzing=False)
    for i in range(6):
        scheduler.answer(f"q{i}", "h", ["A"], i % 2 == 0, time_ms=10, mode="practice",
                         now=T0 + timedelta(minutes=i))
    scheduler.answer("gone", "h", ["A"], False, time_ms=10, mode="practice", now=T0)
    questions = Questions(5_000)
    progress = Progress(store, Library([]), clock=lambda: T0 + timedelta(days=3))
    progress.index = QuestionIndex(questions, {})
    due = progress.due_summary()
    ids = progress.due_ids()
    assert due.now == len(ids) == 6 and "gone" not in ids
    assert "gone" not in progress.missed_ids()
    assert questions.walks == 0

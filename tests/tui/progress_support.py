"""Helpers for the progress TUI tests and snapshots: fixture content, a frozen clock, a seeded
history, an app on a temporary data directory."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console
from support.progress import FIXTURES, NOW, db_rows, utc_local_time  # noqa: F401  (re-exported)
from textual.widgets import Static

from studyvpc.content.loader import load_library
from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.store import ProgressStore
from studyvpc.ui.tui.app import make_app


@pytest.fixture
def data(tmp_path) -> Path:
    return tmp_path / "data"


def build(data: Path, now: datetime | None = NOW):
    result = load_library([FIXTURES])
    assert result.ok, result.errors
    app = make_app(result, seed=1, data_dir=data)
    if now is not None:
        app.progress.clock = lambda: now
    return app


def seed(data: Path, answers: list[tuple[str, bool, datetime]], mode: str = "practice",
         scope: str = "all questions", finish: bool = True) -> None:
    with ProgressStore.open(data) as store:
        sched = ReviewScheduler(store, enable_fuzzing=False)
        sid = store.start_session(mode, scope, at=answers[0][2] - timedelta(minutes=1))
        for qid, right, at in answers:
            sched.answer(qid, "h", ["A"] if right else ["B"], right, time_ms=4000, mode=mode,
                         session_id=sid, now=at)
        if finish:
            store.finish_session(sid, at=answers[-1][2] + timedelta(seconds=30))


def text_of(widget) -> str:
    """What a Static holds, as plain text (Rich renderables rendered at the widget's width)."""
    console = Console(width=max(widget.size.width, 40), record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


def home_progress_text(app) -> str:
    return text_of(app.screen.query_one("#home-progress", Static))


def seed_history(data: Path) -> None:
    day = timedelta(days=1)
    seed(data, [("pe-gateway", False, NOW - 6 * day), ("pe-interface", True, NOW - 6 * day),
                ("pn-hourly", True, NOW - 6 * day)])
    seed(data, [("pe-gateway", True, NOW - 2 * day), ("pn-az", False, NOW - 2 * day),
                ("pn-az", False, NOW - 2 * day + timedelta(minutes=3))])
    seed(data, [("pe-gateway", False, NOW - day), ("pe-policy", True, NOW - day),
                ("deleted-question", True, NOW - day)])
    seed(data, [("pe-interface", True, NOW - timedelta(hours=2)),
                ("pn-hourly", False, NOW - timedelta(hours=2))], mode="exam",
         scope="network/endpoint, cost")
    with ProgressStore.open(data) as store:  # the exam's pass mark and time, as the app keeps
        with store._write() as c:
            c.execute("INSERT INTO exams (session_id, pass_mark, time_limit_s, time_used_s)"
                      " SELECT id, 0.72, 240, 131.5 FROM sessions WHERE mode = 'exam'")

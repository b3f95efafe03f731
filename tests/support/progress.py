"""For the progress tests: fixture content, a frozen "now", UTC local time, raw database reads."""

from __future__ import annotations

import sqlite3
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from studyvpc.progress.store import DB_NAME

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "content" / "progress"
NOW = datetime(2025, 3, 20, 15, 0, tzinfo=timezone.utc)
"""The frozen "now" of these tests (a Thursday afternoon, UTC)."""


@pytest.fixture(autouse=True)
def utc_local_time(monkeypatch):
    """Local dates and clock times (study days, "today 14:02") computed in UTC on every machine.

    Autouse in each test module that imports it."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def db_rows(data: Path, sql: str) -> list[tuple]:
    """Read the database in ``data`` from a second connection, as another process would."""
    conn = sqlite3.connect(data / DB_NAME)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()

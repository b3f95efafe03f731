"""Opening a large progress database says first what takes seconds (the daily page-by-page
check, a one-time upgrade), so the learner does not take the wait for a hang."""

from __future__ import annotations

import sqlite3

import pytest

from studyvpc.progress.store import DB_NAME, ProgressStore, connection, schema


def older_database(folder) -> None:
    """A database as version 2 wrote it, never opened by this version (no seal)."""
    folder.mkdir()
    conn = sqlite3.connect(folder / DB_NAME, isolation_level=None)
    for migration in schema.MIGRATIONS[:2]:
        migration(conn)
    conn.execute("PRAGMA user_version = 2")
    conn.close()


@pytest.fixture
def large(monkeypatch):
    monkeypatch.setattr(connection, "NOTICE_BYTES", 1)  # every file counts as large


def test_an_upgrade_and_a_check_are_said_before_they_start(tmp_path, large):
    older_database(tmp_path / "d")
    said: list[str] = []
    with ProgressStore.open(tmp_path / "d", notice=said.append) as store:
        assert store.schema_version == schema.current_version()
    assert said == [connection.CHECKING, connection.UPGRADING]
    said.clear()
    with ProgressStore.open(tmp_path / "d", notice=said.append):  # sealed, current
        pass
    assert said == []


def test_a_new_or_small_database_says_nothing(tmp_path, monkeypatch):
    said: list[str] = []
    with ProgressStore.open(tmp_path / "new", notice=said.append):
        pass
    older_database(tmp_path / "small")
    with ProgressStore.open(tmp_path / "small", notice=said.append):
        pass
    assert said == []


def test_the_cli_says_it_on_stderr(tmp_path, large, capsys):
    from studyvpc.ui.cli.main import main

    older_database(tmp_path / "d")
    assert main(["progress", "export", str(tmp_path / "out.json"), "--data-dir",
                 str(tmp_path / "d")]) == 0
    err = capsys.readouterr().err
    assert "Upgrading your progress database (one time)…" in err
    assert err.index("Checking") < err.index("Upgrading")


def test_the_app_passes_it_on_before_it_starts(tmp_path, large):
    from pathlib import Path

    from studyvpc.content.loader import load_library
    from studyvpc.ui.tui.app import make_app

    content = Path(__file__).resolve().parents[1] / "fixtures" / "content" / "quiz"
    older_database(tmp_path / "d")
    said: list[str] = []
    make_app(load_library([content]), data_dir=tmp_path / "d", notice=said.append)
    assert said == [connection.CHECKING, connection.UPGRADING]

"""``progress reset`` asks for exactly 'yes'; ``progress restore``; ``export -`` and ``import -``;
a damaged database set aside on request."""

from __future__ import annotations

import io
import json
import sqlite3
import sys
from datetime import timedelta

import pytest

from studyvpc.interop import progress_json
from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.store import ProgressStore
from studyvpc.progress.store.schema import utc_now
from studyvpc.ui.cli.main import main


@pytest.fixture
def data(tmp_path):
    return tmp_path / "data"


def answer(data, n: int, qid: str = "vpc-q1") -> None:
    with ProgressStore.open(data) as store:
        sched = ReviewScheduler(store, enable_fuzzing=False)
        for i in range(n):
            sched.answer(f"{qid}-{i}", "h", ["A"], True, time_ms=1000, mode="practice",
                         now=utc_now() - timedelta(minutes=n - i))


def count(data) -> int:
    with ProgressStore.open(data) as store:
        return store.attempt_count()


def run(capsys, monkeypatch, *argv, stdin: str | bytes | None = None):
    if stdin is not None:
        raw = stdin.encode() if isinstance(stdin, str) else stdin
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("reply", ["y", "Y", "yes please", "ye"])
def test_reset_accepts_only_the_yes_it_asks_for(data, capsys, monkeypatch, reply):
    answer(data, 2)
    code, out, _ = run(capsys, monkeypatch, "progress", "reset", "--data-dir", str(data),
                       stdin=reply + "\n")
    assert "Type 'yes'" in out and "Nothing was changed" in out and code == 1
    assert count(data) == 2
    code, out, _ = run(capsys, monkeypatch, "progress", "reset", "--data-dir", str(data),
                       stdin=" yes \n")
    assert code == 0 and count(data) == 0


def test_export_dash_is_stdout_and_import_dash_is_stdin(data, tmp_path, capsys, monkeypatch):
    answer(data, 3)
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, monkeypatch, "progress", "export", "-", "--data-dir", str(data))
    assert code == 0, err
    assert not (tmp_path / "-").exists()
    exported = json.loads(out)  # stdout is the export and nothing else
    assert exported["format"] == "studyvpc-progress" and len(exported["attempts"]) == 3
    assert "Exported 3 answers to standard output" in err
    other = tmp_path / "other"
    code, out, err = run(capsys, monkeypatch, "progress", "import", "-", "--data-dir", str(other),
                         stdin=json.dumps(exported))
    assert code == 0, err
    assert "Imported 3 new answers" in out and count(other) == 3


def test_import_dash_keeps_the_size_bound(data, capsys, monkeypatch):
    monkeypatch.setattr(progress_json, "MAX_IMPORT_BYTES", 64)
    code, _, err = run(capsys, monkeypatch, "progress", "import", "-", "--data-dir", str(data),
                       stdin=b" " * 65 + b"{}")
    assert code == 1 and "standard input is larger than" in err


def test_restore_without_a_name_lists_the_backups(data, capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, "progress", "restore", "--data-dir", str(data))
    assert code == 0 and "No backups in" in out
    answer(data, 2)
    run(capsys, monkeypatch, "progress", "reset", "--yes", "--data-dir", str(data))
    code, out, _ = run(capsys, monkeypatch, "progress", "restore", "--data-dir", str(data))
    backup = next(data.glob("progress-backup-*.sqlite3"))
    assert code == 0 and backup.name in out and "2 answers" in out


def test_reset_then_restore_by_name_brings_progress_back(data, capsys, monkeypatch):
    answer(data, 4)
    code, out, _ = run(capsys, monkeypatch, "progress", "reset", "--yes", "--data-dir", str(data))
    backup = next(data.glob("progress-backup-*.sqlite3"))
    assert f"studyvpc progress restore {backup.name}" in out
    answer(data, 1, qid="after-reset")
    # Asked first; anything but 'yes' changes nothing.
    code, out, _ = run(capsys, monkeypatch, "progress", "restore", backup.name,
                       "--data-dir", str(data), stdin="y\n")
    assert code == 1 and "Type 'yes'" in out and count(data) == 1
    code, out, err = run(capsys, monkeypatch, "progress", "restore", backup.name,
                         "--data-dir", str(data), stdin="yes\n")
    assert code == 0, err
    assert "Restored 4 answers" in out and count(data) == 4
    # What it replaced (the one answer after the reset) was backed up first.
    kept = [p for p in data.glob("progress-backup-*.sqlite3") if p != backup]
    assert len(kept) == 1 and str(kept[0]) in out
    conn = sqlite3.connect(kept[0])
    assert conn.execute("SELECT question_id FROM attempts").fetchall() == [("after-reset-0",)]
    conn.close()


def test_restore_keeps_other_open_stores_working(data, tmp_path, capsys, monkeypatch):
    """The rows are replaced in one transaction, not the file: a store opened before the
    restore (another studyvpc) sees the restored progress and can still record answers."""
    answer(data, 3)
    backup_dir = tmp_path / "elsewhere"
    answer(backup_dir, 5, qid="from-backup")
    with ProgressStore.open(backup_dir) as b:
        source = b.backup()
    other = ProgressStore.open(data)
    try:
        code, _, err = run(capsys, monkeypatch, "progress", "restore", str(source), "--yes",
                           "--data-dir", str(data))
        assert code == 0, err
        assert other.attempt_count() == 5
        other.record_attempt("late", "h", ["A"], True, time_ms=1, mode="practice")
        assert other.integrity_check() == "ok"
    finally:
        other.close()
    assert count(data) == 6


def test_restore_refuses_a_damaged_backup_and_changes_nothing(data, tmp_path, capsys,
                                                                monkeypatch):
    answer(data, 2)
    bad = tmp_path / "progress-backup-bad.sqlite3"
    bad.write_bytes(b"not a database" * 100)
    before = {p.name for p in data.iterdir()}
    code, _, err = run(capsys, monkeypatch, "progress", "restore", str(bad), "--yes",
                       "--data-dir", str(data))
    assert code == 1 and "cannot be restored" in err and "Nothing was changed" in err
    assert count(data) == 2 and {p.name for p in data.iterdir()} >= before
    assert not list(data.glob("progress-backup-*"))
    assert bad.read_bytes() == b"not a database" * 100


def test_reset_on_a_damaged_database_offers_to_set_it_aside(data, capsys, monkeypatch):
    data.mkdir()
    db = data / "progress.sqlite3"
    db.write_bytes(b"garbage" * 1000)
    code, out, err = run(capsys, monkeypatch, "progress", "reset", "--data-dir", str(data),
                         stdin="no\n")
    assert code == 1 and "damaged" in err and "Nothing was changed" in out
    assert db.read_bytes() == b"garbage" * 1000
    code, out, err = run(capsys, monkeypatch, "progress", "reset", "--data-dir", str(data),
                         stdin="yes\n")
    assert code == 0, err
    kept = next(data.glob("progress-damaged-*.sqlite3"))
    assert kept.read_bytes() == b"garbage" * 1000 and str(kept) in out
    assert count(data) == 0  # a fresh database works


def test_restore_onto_a_damaged_database_sets_it_aside_first(data, tmp_path, capsys,
                                                             monkeypatch):
    source_dir = tmp_path / "good"
    answer(source_dir, 2)
    with ProgressStore.open(source_dir) as b:
        source = b.backup()
    data.mkdir()
    (data / "progress.sqlite3").write_bytes(b"garbage" * 1000)
    code, out, err = run(capsys, monkeypatch, "progress", "restore", str(source), "--yes",
                         "--data-dir", str(data))
    assert code == 0, err
    assert "damaged" in err and "Restored 2 answers" in out
    assert next(data.glob("progress-damaged-*.sqlite3")).read_bytes() == b"garbage" * 1000
    assert count(data) == 2

"""Progress export/import against hostile targets and files: nothing the learner has is
destroyed, nothing crashes, every refusal says where and why, and the database is unchanged."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from studyvpc.interop.progress_json import (
    EXPORT_FORMAT, MAX_IMPORT_BYTES, export_json, import_json,
)
from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.store import ImportFormatError, ProgressError, ProgressStore


@pytest.fixture
def store(tmp_path):
    with ProgressStore.open(tmp_path / "data") as s:
        yield s


def answered(store: ProgressStore) -> ProgressStore:
    store.record_attempt("q1", "h-q1", ["A"], True, time_ms=1200, mode="practice")
    return store


# --------------------------------------------------------------------------- export targets


def test_export_never_writes_over_the_database_or_a_backup(store, tmp_path):
    answered(store)
    db = store.path
    before = db.read_bytes()
    with pytest.raises(ProgressError, match="progress database"):
        export_json(store, db, force=True)
    assert db.read_bytes() == before
    backup = store.backup()
    kept = backup.read_bytes()
    with pytest.raises(ProgressError, match="progress database"):
        export_json(store, backup, force=True)
    assert backup.read_bytes() == kept


def test_export_refuses_an_existing_file_without_force(store, tmp_path):
    target = tmp_path / "mine.json"
    target.write_text("my own notes", encoding="utf-8")
    with pytest.raises(ProgressError, match="already exists.*--force"):
        export_json(store, target)
    assert target.read_text(encoding="utf-8") == "my own notes"
    export_json(store, target, force=True)
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == EXPORT_FORMAT


def test_export_refuses_links_and_devices_even_with_force(store, tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(precious)
    with pytest.raises(ProgressError, match="symbolic link"):
        export_json(store, link, force=True)
    assert link.is_symlink() and precious.read_text(encoding="utf-8") == "keep me"
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ProgressError, match="not a regular file"):
        export_json(store, fifo, force=True)
    assert fifo.exists() and not fifo.is_file()


def test_export_cli_says_force(tmp_path, capsys):
    from studyvpc.ui.cli.main import main

    target = tmp_path / "taken.json"
    target.write_text("x", encoding="utf-8")
    code = main(["progress", "export", str(target), "--data-dir", str(tmp_path / "d")])
    assert code == 1 and "--force" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "x"
    assert main(["progress", "export", str(target), "--force",
                 "--data-dir", str(tmp_path / "d")]) == 0


# --------------------------------------------------------------------------- hostile imports


HOSTILE = [
    ('{"format":"studyvpc-progress","version":1,"cards":[1]}', r"cards\[0\] is malformed"),
    ('{"format":"studyvpc-progress","version":1,"attempts":[{"uuid":"u","question_id":"q",'
     '"chosen":["A"],"correct":true,"time_ms":9223372036854775808,"mode":"practice",'
     '"answered_at":"2025-01-01T00:00:00+00:00"}]}', r"attempts\[0\] is malformed: time_ms"),
    ('{"format":"studyvpc-progress","version":1,"review_logs":[{"uuid":"u","question_id":"q",'
     '"rating":3,"reviewed_at":"2025-01-01T00:00:00+00:00","duration_ms":99999999999999999999,'
     '"card_after":{"due":"x"}}]}', r"review_logs\[0\] is malformed: duration_ms"),
    ('{"format":"studyvpc-progress","version":1,"exams":[{"session_id":"s","pass_mark":0.7,'
     '"time_limit_s":60,"time_used_s":1e999}]}', r"exams\[0\] is malformed: time_used_s"),
    ('{"format":"studyvpc-progress","version":1,"sessions":["\\u001b]0;PWN\\u0007"]}',
     r"sessions\[0\] is malformed: must be an object, not '\\x1b\]0;PWN\\x07'"),
    ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
    ('{"format": "studyvpc-progress",\n  "version": 1,\n  oops}', r":3:3: not JSON"),
    (b"\xff\xfe not utf-8", "not UTF-8"),
]


@pytest.mark.parametrize("content, message", HOSTILE, ids=[
    "card-not-an-object", "int-over-2^63", "huge-duration", "infinite-float", "escape-codes",
    "deep-nesting", "bad-json-located", "not-utf8"])
def test_a_hostile_import_is_refused_with_a_located_message_and_changes_nothing(
        store, tmp_path, content, message):
    answered(store)
    bad = tmp_path / "bad.json"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        bad.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFormatError, match=message) as caught:
        import_json(ReviewScheduler(store), bad)
    assert str(bad) in str(caught.value)
    assert not any(ord(c) < 32 and c != "\n" for c in str(caught.value)), "no raw control bytes"
    assert store.attempt_count() == 1


def test_import_of_a_device_is_refused_without_reading_it(store):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    with pytest.raises(ImportFormatError, match="not a regular file"):
        import_json(ReviewScheduler(store), "/dev/zero")


def test_import_reads_at_most_the_documented_bound(store, tmp_path, monkeypatch):
    import studyvpc.interop.progress_json as pj

    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2048)
    monkeypatch.setattr(pj, "MAX_IMPORT_BYTES", 1024)
    with pytest.raises(ImportFormatError, match="larger than"):
        import_json(ReviewScheduler(store), big)
    assert MAX_IMPORT_BYTES >= 256 * 2**20  # room for a real learner's years of answers

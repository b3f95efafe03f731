"""A full or read-only disk is told apart from a damaged database, and the commands that only
read (stats, export) still work there; the database is never changed."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from studyvpc.progress.store import CorruptDatabase, ProgressStore, StoreUnavailable
from studyvpc.progress.store.connection import translate


def test_sqlite_errors_about_the_disk_are_not_called_damage(tmp_path):
    db = tmp_path / "progress.sqlite3"
    full = translate(sqlite3.OperationalError("database or disk is full"), db)
    assert isinstance(full, StoreUnavailable) and "disk is full" in str(full)
    ro = translate(sqlite3.OperationalError("attempt to write a readonly database"), db)
    assert isinstance(ro, StoreUnavailable) and "read-only" in str(ro)
    io = translate(sqlite3.OperationalError("disk I/O error"), db)
    assert isinstance(io, StoreUnavailable) and "damaged" not in str(io)
    bad = translate(sqlite3.DatabaseError("file is not a database"), db)
    assert isinstance(bad, CorruptDatabase)


def test_a_damaged_file_is_still_called_damaged(tmp_path):
    (tmp_path / "progress.sqlite3").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(CorruptDatabase):
        ProgressStore.open(tmp_path)


def test_read_only_open_reads_and_never_writes(tmp_path):
    with ProgressStore.open(tmp_path) as store:
        store.record_attempt("q1", "h", ["A"], True, time_ms=5, mode="practice")
    before = (tmp_path / "progress.sqlite3").read_bytes()
    with ProgressStore.open_readonly(tmp_path) as store:
        assert store.attempt_count() == 1
        with pytest.raises(Exception):
            store.record_attempt("q2", "h", ["A"], True, time_ms=5, mode="practice")
    assert (tmp_path / "progress.sqlite3").read_bytes() == before


ON_A_FULL_DISK = r"""
mount -t tmpfs -o size=512k tmpfs "$0" || exit 99
cp "$1" "$0/"
dd if=/dev/zero of="$0/fill" bs=4k 2>/dev/null
db="$1"
shift
"$@"
cmp -s "$0/progress.sqlite3" "$db" && echo same || echo changed
"""
"""$0: the folder to mount a small disk on, $1: the database to copy there; the disk is then
filled, the command run, and the database compared with the original."""


@pytest.mark.skipif(os.name != "posix", reason="mount namespaces")
@pytest.mark.parametrize("command", [["stats"], ["progress", "export", "OUT"]],
                         ids=["stats", "export"])
def test_read_only_commands_work_on_a_full_disk(tmp_path, command):
    if os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("cmp") is None:
        pytest.skip("needs root, unshare(1) and cmp(1) to mount a small full disk")
    source = tmp_path / "src"
    with ProgressStore.open(source) as store:
        store.record_attempt("q1", "h", ["A"], True, time_ms=5, mode="practice")
    mount = tmp_path / "full"
    mount.mkdir()
    out = tmp_path / "out.json"
    args = [str(out) if a == "OUT" else a for a in command]
    studyvpc = [sys.executable, "-m", "studyvpc", *args, "--data-dir", str(mount)]
    proc = subprocess.run(["unshare", "--mount", "sh", "-c", ON_A_FULL_DISK, str(mount),
                           str(source / "progress.sqlite3"), *studyvpc],
                          capture_output=True, text=True, timeout=60)
    if proc.returncode == 99:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    assert "damaged" not in proc.stderr and "Move it aside" not in proc.stderr, proc.stderr
    assert "disk is full" in proc.stderr, proc.stderr
    assert proc.stdout.strip().endswith("same"), proc.stdout + proc.stderr
    if command[0] == "stats":
        assert "Answers" in proc.stdout
    else:
        assert '"studyvpc-progress"' in Path(out).read_text(encoding="utf-8")


ON_A_READ_ONLY_DISK = r"""
cp "$1" "$0/"
mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" || exit 99
db="$1"
shift
"$@"
cmp -s "$0/progress.sqlite3" "$db" && echo same || echo changed
"""


@pytest.mark.skipif(os.name != "posix", reason="mount namespaces")
def test_stats_work_on_a_read_only_disk(tmp_path):
    if os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("cmp") is None:
        pytest.skip("needs root, unshare(1) and cmp(1) to mount a read-only folder")
    source = tmp_path / "src"
    with ProgressStore.open(source) as store:
        store.record_attempt("q1", "h", ["A"], True, time_ms=5, mode="practice")
    folder = tmp_path / "ro"
    folder.mkdir()
    proc = subprocess.run(["unshare", "--mount", "sh", "-c", ON_A_READ_ONLY_DISK, str(folder),
                           str(source / "progress.sqlite3"), sys.executable, "-m", "studyvpc",
                           "stats", "--data-dir", str(folder)],
                          capture_output=True, text=True, timeout=60)
    if proc.returncode == 99:
        pytest.skip(f"cannot mount read-only here: {proc.stderr.strip()}")
    assert "damaged" not in proc.stderr, proc.stderr
    assert "reading your progress without changing it" in proc.stderr, proc.stderr
    assert "Answers" in proc.stdout and proc.stdout.strip().endswith("same"), proc.stdout

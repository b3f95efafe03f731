"""``studyvpc export anki|csv``: the command's files, messages and refusals."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import sys
import zipfile
from datetime import timedelta

import pytest
from support.content import QIDS, write_deck

from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.store import ProgressStore
from studyvpc.progress.store.schema import utc_now
from studyvpc.ui.cli.main import build_parser, main

ALL_QIDS = [q for qids in QIDS.values() for q in qids]


@pytest.fixture
def content(tmp_path):
    return write_deck(tmp_path / "content")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def package_cards(path) -> list[tuple]:
    """(type, queue, ivl, reps, data) of every card in an .apkg, read as plain SQLite."""
    with zipfile.ZipFile(path) as zf:
        db = path.with_suffix(".anki2")
        db.write_bytes(zf.read("collection.anki2"))
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT n.sfld, c.type, c.queue, c.ivl, c.reps, c.data FROM cards c"
                            " JOIN notes n ON n.id = c.nid ORDER BY n.sfld").fetchall()
    finally:
        conn.close()


def test_help_tells_export_from_progress_export():
    text = " ".join(build_parser().format_help().split())
    assert "export the questions to Anki or CSV (your answers: `progress export`)" in text
    assert text.index(" progress export, import") < text.index(" export export the")


def test_anki_export_writes_a_package(content, tmp_path, capsys):
    target = tmp_path / "out.apkg"
    code, out, err = run(capsys, "export", "anki", str(target), "--content", str(content))
    assert code == 0, err
    assert out.startswith(f"Exported 3 questions to {target} (deck studyvpc).")
    assert [row[1:5] for row in package_cards(target)] == [(0, 0, 0, 0)] * 3  # all new
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left


def test_an_existing_target_is_kept_without_force(content, tmp_path, capsys):
    target = tmp_path / "out.apkg"
    target.write_bytes(b"mine")
    code, out, err = run(capsys, "export", "anki", str(target), "--content", str(content))
    assert (code, out) == (1, "")
    assert err == f"studyvpc: {target} already exists; add --force to replace it\n"
    assert target.read_bytes() == b"mine"
    code, _, err = run(capsys, "export", "anki", str(target), "--force", "--content", str(content))
    assert code == 0, err
    assert zipfile.is_zipfile(target)


@pytest.mark.parametrize("fmt", ["anki", "csv"])
def test_targets_that_cannot_be_written(fmt, content, tmp_path, capsys):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    cases = {
        tmp_path: "is a folder; give a file name, such as",
        tmp_path / "missing" / "out": "the folder",
        a_file / "out": "is a file, not a folder",
        tmp_path / ("x" * 300): "cannot write",  # too long a name: the OS refuses
    }
    for target, said in cases.items():
        code, out, err = run(capsys, "export", fmt, str(target), "--content", str(content))
        assert code == 1 and out == "", target
        assert err.startswith("studyvpc: ") and said in err and err.count("\n") == 1, err
        assert "Traceback" not in err


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="permissions do not bind root (CI runs as a normal user)")
def test_a_read_only_folder_is_named(content, tmp_path, capsys):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        code, _, err = run(capsys, "export", "csv", str(folder / "x.csv"), "--content", str(content))
    finally:
        folder.chmod(0o700)
    assert code == 1 and err == f"studyvpc: cannot write {folder / 'x.csv'}: the folder {folder} is not writable\n"


def test_unknown_filters_and_empty_selection(content, tmp_path, capsys):
    target = tmp_path / "x.csv"
    code, out, err = run(capsys, "export", "csv", str(target), "--tag", "service/vcp",
                         "--content", str(content))
    assert code == 1 and out == ""
    assert err == "studyvpc: no tag 'service/vcp' in the content (did you mean 'service/vpc'?)\n"
    code, _, err = run(capsys, "export", "anki", str(tmp_path / "x.apkg"), "--note", "vpcc",
                       "--content", str(content))
    assert code == 1 and "no note 'vpcc'" in err and "(did you mean 'vpc'?)" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "n.yaml").write_text("id: n\ntitle: Notes only\n", encoding="utf-8")
    code, _, err = run(capsys, "export", "csv", "-", "--content", str(empty))
    assert code == 1 and err == "studyvpc: no questions to export: the content has none\n"
    assert not target.exists() and not (tmp_path / "x.apkg").exists()


def test_csv_to_stdout(content, capsys):
    code, out, err = run(capsys, "export", "csv", "-", "--note", "s3", "--content", str(content))
    assert code == 0 and err == ""
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert [r[0] for r in rows] == ["id", "s3-q1"]
    assert rows[1][rows[0].index("A_why")] == "Because it is."


def test_anki_refuses_stdout_and_bad_deck_names(content, capsys):
    code, _, err = run(capsys, "export", "anki", "-", "--content", str(content))
    assert code == 1 and "binary file" in err
    code, _, err = run(capsys, "export", "anki", "x.apkg", "--deck", "AWS::", "--content",
                       str(content))
    assert code == 1 and "deck name 'AWS::' has an empty level" in err


def test_with_progress_carries_the_schedule(content, tmp_path, capsys):
    data = tmp_path / "data"
    with ProgressStore.open(data) as store:
        ReviewScheduler(store).answer("vpc-q1", "h", ["A"], True, time_ms=500, mode="practice",
                                      now=utc_now() - timedelta(hours=1), rating="easy")
    target = tmp_path / "p.apkg"
    code, out, err = run(capsys, "export", "anki", str(target), "--with-progress",
                         "--data-dir", str(data), "--content", str(content))
    assert code == 0, err
    assert "1 carry their review schedule" in out
    cards = {row[0]: row[1:] for row in package_cards(target)}
    kind, queue, ivl, reps, data_json = cards["<p>Which one is right for vpc-q1?</p>"]
    assert (kind, queue, reps) == (2, 2, 1) and ivl >= 1
    assert set(json.loads(data_json)) >= {"s", "d", "dr", "lrt"}
    assert {row[1] for sfld, *row in package_cards(target) if "vpc-q1" not in sfld} == {0}


def test_with_progress_and_no_progress_yet(content, tmp_path, capsys):
    data = tmp_path / "never-used"
    code, out, err = run(capsys, "export", "anki", str(tmp_path / "p.apkg"), "--with-progress",
                         "--data-dir", str(data), "--content", str(content))
    assert code == 0 and "no progress recorded" in err
    assert not data.exists()  # reading progress created no database


def test_with_progress_and_a_damaged_database_exports_nothing(content, tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()
    (data / "progress.sqlite3").write_bytes(b"not a database" * 100)
    target = tmp_path / "p.apkg"
    code, out, err = run(capsys, "export", "anki", str(target), "--with-progress",
                         "--data-dir", str(data), "--content", str(content))
    assert (code, out) == (1, "")
    assert err.endswith("studyvpc: nothing was exported (leave out --with-progress to export "
                        "the questions alone)\n") and err.count("\n") == 2, err
    assert not target.exists()
    assert (data / "progress.sqlite3").read_bytes() == b"not a database" * 100


def test_csv_on_a_terminal_cannot_drive_it(tmp_path, capsys, monkeypatch):
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "n.yaml").write_text(
        'id: n\ntitle: N\nquestions:\n  - id: q\n    stem: "\\e]52;c;aGk=\\a copy"\n'
        "    options:\n      - {key: A, text: a, correct: true, why: w}\n"
        "      - {key: B, text: b, why: w}\n", encoding="utf-8")
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = run(capsys, "export", "csv", "-", "--content", str(folder))
    assert code == 0, err
    assert "\x1b" not in out and "\x07" not in out and "␛]52;c;aGk=␇ copy" in out

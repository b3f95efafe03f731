"""``studyvpc import SRC… --to DIR``: what it prints, and its exit status."""

from __future__ import annotations

import shutil
from pathlib import Path

from studyvpc.ui.cli.main import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "markdown"


def test_import_prints_notes_questions_and_warnings_by_kind(tmp_path, capsys):
    deck = tmp_path / "deck"
    assert main(["import", str(FIXTURES), "--to", str(deck)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        f"17 notes, 9 questions -> {deck}",
        "  files: 17 new, 0 updated, 0 unchanged",
        "18 warnings:",
        "  16 options without an explanation",
        "  2 links to notes not in the library",
        "  (-v lists each one, located in your notes)"]
    assert main(["validate", str(deck)]) == 0  # the files it wrote are valid content
    assert "ok: 17 files, 17 notes, 9 questions" in capsys.readouterr().out


def test_verbose_lists_each_warning_where_it_is_in_the_notes(tmp_path, capsys):
    assert main(["import", str(FIXTURES / "crlf-with-bom.md"), "--to", str(tmp_path), "-v"]) == 0
    out = capsys.readouterr().out
    assert (f"    {FIXTURES / 'crlf-with-bom.md'}:17:1: warning: question 1: option B has no "
            "explanation") in out
    assert out.rstrip().endswith("[options without an explanation]")


def test_again_unchanged_and_a_hand_edit_is_named_not_overwritten(tmp_path, capsys):
    src, deck = tmp_path / "vault", tmp_path / "deck"
    shutil.copytree(FIXTURES, src)
    main(["import", str(src), "--to", str(deck)])
    edited = deck / "nat-gateway-basics.yaml"
    edited.write_text(edited.read_text(encoding="utf-8") + "# 내 메모\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["import", str(src), "--to", str(deck)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:3] == [
        "  files: 0 new, 0 updated, 16 unchanged",
        "  kept 1, edited by hand since imported (--force overwrites them): nat-gateway-basics.yaml"]
    assert edited.read_text(encoding="utf-8").endswith("# 내 메모\n")
    assert main(["import", str(src), "--to", str(deck), "--force"]) == 0
    assert "  files: 0 new, 1 updated, 16 unchanged" in capsys.readouterr().out
    assert "내 메모" not in edited.read_text(encoding="utf-8")


def test_nothing_to_import_is_an_error(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["import", str(tmp_path / "empty"), "--to", str(tmp_path / "deck")]) == 1
    err = capsys.readouterr().err
    assert err.strip() == f"studyvpc import: {tmp_path / 'empty'}:1:1: no Markdown notes (*.md) here"
    assert not (tmp_path / "deck").exists()

"""Escape sequences from content or file names never reach the terminal through the command
line (validate, plain mode, stats), and cannot forge a line of output."""

from __future__ import annotations

import io
import json
import re
import sys

import pytest
from support.shared import HOSTILE_STRINGS

from studyvpc.ui.cli.main import main

RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""C0 and C1 controls but newline and tab: what must never be printed."""
STRINGS = [e["text"] for e in json.loads(HOSTILE_STRINGS.read_text(encoding="utf-8"))]

NOTE = """\
id: {id}
title: {text}
key_point: {text}
aliases: [{text}]
tags: [plain/tag]
sections:
  - title: {text}
    body: {text}
see_also: [{text}]
questions:
  - id: {id}-q1
    stem: {text}
    explanation: {text}
    options:
      - key: A
        text: {text}
        correct: true
        why: {text}
      - key: B
        text: other
        correct: false
        why: {text}
"""


def scalar(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text)


def run(argv: list[str], stdin: str = "", capsys=None) -> tuple[int, str, str]:
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(argv)
    finally:
        sys.stdin = old
    out, err = capsys.readouterr()
    return code, out, err


def test_a_forged_file_name_cannot_print_a_line_of_its_own(tmp_path, capsys):
    folder = tmp_path / "deck"
    folder.mkdir()
    evil = "evil\x1b]0;X\x07\nfake.yaml:1:1: all good\n.yaml"
    (folder / evil).write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    code, out, err = run(["validate", str(folder)], capsys=capsys)
    assert code == 1
    assert not RAW_CONTROL.search(out + err)
    assert not any(line.startswith("fake.yaml:1:1") for line in (out + err).splitlines())
    assert "␛]0;X␇␤fake.yaml:1:1: all good␤.yaml" in out


def test_control_characters_in_ids_tags_and_aliases_are_refused(tmp_path, capsys):
    folder = tmp_path / "deck"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        'id: "qnl\\n"\ntitle: T\n', encoding="utf-8")
    (folder / "b.yaml").write_text(
        'id: b\ntitle: T\ntags: ["\\e]0;PWN\\a\\e[2J"]\naliases: ["x\\u001b[31m"]\n',
        encoding="utf-8")
    code, out, err = run(["validate", str(folder)], capsys=capsys)
    assert code == 1
    assert not RAW_CONTROL.search(out + err)
    assert re.search(r"a\.yaml:1:\d+: the note's id 'qnl\\n' may hold only", out), out
    assert re.search(r"b\.yaml:3:\d+: tag .* holds a control character", out), out
    assert re.search(r"b\.yaml:4:\d+: alias .* holds a control character", out), out


@pytest.mark.parametrize("text", STRINGS)
def test_hostile_text_in_every_field_never_reaches_the_terminal(tmp_path, capsys, text):
    folder = tmp_path / "deck"
    folder.mkdir()
    (folder / "h.yaml").write_text(NOTE.format(id="h", text=scalar(text or "x")),
                                   encoding="utf-8")
    data = ["--data-dir", str(tmp_path / "data")]
    for argv, stdin in ((["validate", str(folder)], ""),
                        (["quiz", "--plain", "--seed", "1", "--content", str(folder), *data],
                         "A\n\nq\n"),
                        (["stats", "--content", str(folder), *data], ""),
                        (["stats", "--json", "--content", str(folder), *data], "")):
        code, out, err = run(argv, stdin, capsys)
        assert not RAW_CONTROL.search(out), (argv, out)
        assert not RAW_CONTROL.search(err), (argv, err)


def test_plain_mode_shows_a_hostile_tag_literally_even_past_the_loader():
    """A library built in memory (as a tampered cache could give one) with an escape sequence
    in a tag: the score-by-tag lines show it as symbols."""
    from studyvpc.content.library import Library
    from studyvpc.content.model import Note, Option, Question
    from studyvpc.study.quiz import Scope
    from studyvpc.ui.cli.plain import run_plain_quiz

    tag = "\x1b]0;PWN\x07\x1b[2J"
    q = Question("t-q1", "Stem?", (Option("A", "a", True, "why"), Option("B", "b", False, "no")),
                 tags=(tag,), note_id="t")
    library = Library((Note("t", "T", tags=(tag,), questions=(q,)),))
    out = io.StringIO()
    run_plain_quiz(library, Scope(), seed=1, limit=None, stdin=io.StringIO("A\n\n"), stdout=out)
    text = out.getvalue()
    assert "␛]0;PWN␇␛[2J" in text
    assert not RAW_CONTROL.search(text)


def test_links_out_of_the_content_folder_are_refused_unread(tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("root:$6$SECRETHASH:19000:0:99999:7:::\n", encoding="utf-8")
    folder = tmp_path / "deck"
    folder.mkdir()
    (folder / "ok.yaml").write_text("id: ok\ntitle: OK\n", encoding="utf-8")
    (folder / "inside.yaml").symlink_to(folder / "ok.yaml")  # inside the folder: fine
    (folder / "s.yaml").symlink_to(secret)
    (folder / "z.yaml").symlink_to("/dev/zero")
    code, out, err = run(["validate", str(folder)], capsys=capsys)
    assert "SECRETHASH" not in out + err
    assert f"{folder / 's.yaml'}:1:1: a link to a file outside the content folder" in out
    assert f"{folder / 'z.yaml'}:1:1: a link to a file outside the content folder" in out
    assert code == 1

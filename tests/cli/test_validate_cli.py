"""``studyvpc validate``: tags counted as home counts them, the library a single file is
checked against (and ``--content DIR``), and ``--json``."""

from __future__ import annotations

import json
import re

from support.content import write_deck

from studyvpc import locations
from studyvpc.content.loader import load_library
from studyvpc.ui.cli.main import main

LINKING = """\
id: linking
title: Linking note
tags: [service/linking]
key_point: See [[vpc]] for the basics.
"""


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_tags_are_counted_as_home_counts_them(capsys):
    """Home says "71 tags" and "security 13 notes": validate counts the same things."""
    lib = load_library(locations.content_dirs()).library
    code, out, _ = run(capsys, "validate")
    assert code == 0
    assert f"{len(lib.all_tags)} tags (" in out.splitlines()[0]
    tops = dict(re.findall(r"(\S+) (\d+ notes? · \d+ questions?)", out.splitlines()[1]))
    assert tops  # one entry per top-level tag
    for tag, shown in tops.items():
        notes, questions = lib.tag_counts(tag)
        assert shown.startswith(f"{notes} note") and shown.endswith(
            f"{questions} question{'s' * (questions != 1)}")
    assert set(tops) == {t.split("/")[0] for t in lib.all_tags}


def test_a_single_file_says_which_library_and_content_dir_chooses_it(tmp_path, capsys):
    deck = write_deck(tmp_path / "deck")
    alone = tmp_path / "alone"
    alone.mkdir()
    note = alone / "linking.yaml"
    note.write_text(LINKING, encoding="utf-8")
    code, out, err = run(capsys, "validate", str(note))
    assert code == 0  # an unresolved link is a warning
    assert "[[vpc]] resolves to no note" in out
    assert f"links checked against the notes beside the file in {alone} (1 note)" in err
    code, out, err = run(capsys, "validate", str(note), "--content", str(deck))
    assert code == 0 and "resolves to no note" not in out
    assert f"links checked against the library in {deck} (2 notes, --content)" in err


def test_validate_json(tmp_path, capsys):
    deck = write_deck(tmp_path / "deck")
    code, out, _ = run(capsys, "validate", "--json", str(deck))
    data = json.loads(out)
    assert code == 0 and data["ok"] and data["problems"] == []
    assert (data["notes"], data["questions"], data["tags"]) == (2, 3, 2)
    assert data["top_level_tags"] == {"service": {"notes": 2, "questions": 3}}
    broken = deck / "broken.yaml"
    broken.write_text("id: broken\ntitle: [unclosed\n", encoding="utf-8")
    code, out, _ = run(capsys, "validate", "--json", str(deck))
    data = json.loads(out)
    assert code == 1 and not data["ok"]
    problem = data["problems"][0]
    assert problem["path"] == str(broken) and problem["severity"] == "error"
    assert problem["line"] >= 2 and problem["message"]


def test_validate_json_escapes_control_characters(tmp_path, capsys):
    folder = tmp_path / "deck"
    folder.mkdir()
    (folder / "bad\x1b[31m.yaml").write_text("id: x\ntitle: [\n", encoding="utf-8")
    code, out, _ = run(capsys, "validate", "--json", str(folder))
    assert code == 1 and "\x1b" not in out
    assert any("\x1b" in p["path"] for p in json.loads(out)["problems"])

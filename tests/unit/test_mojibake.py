"""Text garbled by a wrong encoding is found, located and shown as it was meant to read.

The damaged seed (``tests/fixtures/shared/seed/*.original.md``) is the real case: UTF-8 Korean
decoded as Windows-1254 and saved again, some bytes lost for good.
"""

from __future__ import annotations

import json
import re

import pytest
from support.shared import HOSTILE_STRINGS, SEED_NOTE, SEED_ORIGINAL

from studyvpc.content.loader import load_library
from studyvpc.content.mojibake import find_garbled, repair
from studyvpc.locations import bundled_content_dir

ORIGINAL = SEED_ORIGINAL.read_text(encoding="utf-8")
CLEAN = SEED_NOTE.read_text(encoding="utf-8")


def line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def test_every_damaged_line_of_the_seed_is_found_once():
    found = [line_of(ORIGINAL, g.index) for g in find_garbled(ORIGINAL)]
    damaged = [n for n, line in enumerate(ORIGINAL.splitlines(), 1) if not line.isascii()]
    assert found == damaged  # every line with a non-ASCII character is garbled, none twice
    assert len(found) == 55


def test_what_is_repaired_is_what_the_clean_seed_says():
    stretches = find_garbled(ORIGINAL)
    whole = [g.meant for g in stretches if "\ufffd" not in g.meant]
    assert len(whole) == 13
    for meant in whole:
        assert meant in CLEAN, meant
    # where bytes were lost, the pieces around each "\ufffd" are still the clean text's
    for g in stretches:
        for piece in filter(None, re.split("\ufffd+", g.meant)):
            assert piece.strip() == "" or piece in CLEAN, (g.garbled, piece)


def test_title_line_repaired_exactly():
    first = find_garbled(ORIGINAL)[0]
    assert (line_of(ORIGINAL, first.index), first.garbled) == (16, "ë¥¼ í†µí•œ S3 ë³´ì•ˆ ì—°ê²°")
    assert first.meant == "를 통한 S3 보안 연결"
    assert "# Lambda VPC Endpoint" + first.meant in CLEAN


def test_a_syllable_that_lost_a_byte_shows_the_replacement_character():
    assert repair("ì¥ì\xa0") == "\ufffd\ufffd"  # "장점": 0x9E and 0x90 were lost


@pytest.mark.parametrize("text", [
    "café, naïve, Ünïcödé, straße, Größe", "Türkçe: İstanbul ığüşöç Ğ", "3×½ °C ±2",
    "«é»", "ÀÁÂÃ ÄÅ Ææ Øø", "¿Qué? ¡Sí!", "Lambda VPC Endpoint를 통한 S3 보안 연결",
])
def test_real_text_is_not_taken_for_garbled(text):
    assert find_garbled(text) == []


def test_clean_seed_bundled_deck_and_hostile_strings_are_not_garbled():
    assert find_garbled(CLEAN) == []
    for path in bundled_content_dir().glob("*.yaml"):
        assert find_garbled(path.read_text(encoding="utf-8")) == [], path.name
    for entry in json.loads(HOSTILE_STRINGS.read_text(encoding="utf-8")):
        assert find_garbled(entry["text"]) == [], entry["name"]


def test_windows_1252_mojibake_of_latin_text_too():
    [g] = find_garbled("Le cafÃ© est prÃªt")
    assert (g.garbled, g.meant) == ("Ã© est prÃª", "é est prê")


def test_loader_locates_garbled_text_and_still_reads_the_rest(tmp_path):
    note = tmp_path / "n.yaml"
    note.write_text("id: n\ntitle: fine\nkey_point: \"Lambda ì‹¤ì‹œê°„ ì²˜ë¦¬\"\n"
                    "aliases: [prÃªt]\nquestion: oops\n", encoding="utf-8")
    result = load_library([tmp_path])
    assert [str(e) for e in result.errors] == [
        f"{note}:3:20: garbled text: UTF-8 that was read as Windows-1252/1254 (mojibake): "
        "'ì‹¤ì‹œê°„ ì²˜ë¦¬' was meant to read '실시간 처리'; save the note again from its "
        "original UTF-8 text, or retype these words",
        f"{note}:4:13: garbled text: UTF-8 that was read as Windows-1252/1254 (mojibake): "
        "'Ãª' was meant to read 'ê'; save the note again from its original UTF-8 text, or "
        "retype these words",
        f"{note}:5:1: unknown key 'question' in a note (did you mean 'questions'?)",
    ]


def test_many_garbled_lines_are_counted_after_the_first_five(tmp_path):
    lines = "".join(f"  - \"ì‹¤ì‹œê°„ {i}\"\n" for i in range(8))
    (tmp_path / "n.yaml").write_text(f"id: n\ntitle: T\naliases:\n{lines}", encoding="utf-8")
    errors = [str(e) for e in load_library([tmp_path]).errors]
    assert [e.split(": ")[0].rsplit(":", 2)[1:] for e in errors] == [[str(n), "6"] for n in range(4, 9)]
    assert errors[-1].endswith("retype these words (3 more garbled lines in this file)")

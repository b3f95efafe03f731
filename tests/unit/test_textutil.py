"""Content text is made safe to show: no control or reordering character reaches a terminal."""

import json

import pytest
from support.shared import HOSTILE_STRINGS as HOSTILE

from studyvpc.content.textutil import one_line, visible


@pytest.mark.parametrize("raw, shown", [
    ("\x1b[31mred\x1b[0m", "␛[31mred␛[0m"),
    ("ding\x07", "ding␇"),
    ("before\x00after", "before␀after"),
    ("visible\rhidden", "visible␍hidden"),
    ("abc\b\b\bxyz", "abc␈␈␈xyz"),
    ("\x9b31m", "\\x9b31m"),
    ("\u202egnp.exe", "<U+202E>gnp.exe"),
    ("a\u2066b\u2069", "a<U+2066>b<U+2069>"),
    ("\tkeeps\ttabs\nand newlines", "\tkeeps\ttabs\nand newlines"),
    ("[bold]보안[/bold]", "[bold]보안[/bold]"),
])
def test_visible(raw, shown):
    assert visible(raw) == shown


def test_one_line_collapses_and_truncates():
    assert one_line("  a\n b\t c  ") == "a b c"
    assert one_line("abcdef", limit=4) == "abc…"


def test_no_hostile_string_keeps_a_control_character():
    for entry in json.loads(HOSTILE.read_text(encoding="utf-8")):
        out = visible(entry["text"])
        assert not any(ord(c) < 32 and c not in "\t\n" for c in out), entry["name"]
        assert "\x1b" not in out and "\u202e" not in out

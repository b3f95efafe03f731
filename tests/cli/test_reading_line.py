"""While a start reads notes from their files, a terminal shows how far it is (stderr), and
the line is gone before the app takes the screen; a quick read, or no terminal, shows
nothing."""

from __future__ import annotations

import argparse
import io

from support.cache import make_content

from studyvpc.ui.cli import common
from studyvpc.ui.cli.reading import ReadingLine


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_quick_read_shows_nothing():
    out, clock = io.StringIO(), Clock()
    line = ReadingLine(out, clock)
    for n in range(1, 11):
        clock.now += 0.01
        line(n, 10)
    line.close()
    assert out.getvalue() == ""


def test_a_long_read_shows_its_count_redrawn_in_place_then_erased():
    out, clock = io.StringIO(), Clock()
    line = ReadingLine(out, clock)
    for n in range(1, 2133):
        clock.now += 0.001
        line(n, 2132)
    shown = out.getvalue().split("\r")[1:]
    assert shown[-1] == "Reading notes: 2,132 of 2,132 files"
    assert shown[0] in ("Reading notes: 300 of 2,132 files",  # the first at DELAY
                        "Reading notes: 301 of 2,132 files")
    assert 15 <= len(shown) <= 22  # every EVERY seconds, not every file
    line.close()
    assert out.getvalue().endswith("\r" + " " * len(shown[-1]) + "\r")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_cold_start_on_a_terminal_shows_the_line(tmp_path, monkeypatch):
    content = make_content(tmp_path)
    monkeypatch.setenv("STUDYVPC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(ReadingLine, "DELAY", 0)
    err = Terminal()
    monkeypatch.setattr(common.sys, "stderr", err)
    args = argparse.Namespace(content=[str(content)])
    assert not common.load_content(args).from_cache
    assert "\rReading notes: 2 of 2 files" in err.getvalue()
    assert err.getvalue().endswith("\r")  # erased
    pipe = io.StringIO()
    monkeypatch.setattr(common.sys, "stderr", pipe)
    (content / "alpha.yaml").write_text((content / "alpha.yaml").read_text() + "\n")
    assert not common.load_content(args).from_cache
    assert pipe.getvalue() == ""  # not a terminal

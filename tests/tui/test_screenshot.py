"""The screenshot command (command palette) saves where it can, and says where.

Textual saves into the user's Downloads folder and, when there is none, only says "Failed to
save screenshot". studyvpc saves into Downloads when it exists, else into ``screenshots`` in
its data directory, and the notice names the file (or, when saving fails, where it tried and
why). HOME points at an empty folder here: no Downloads, as on many servers.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from support.notify import record_notifications

from studyvpc.content.loader import load_library
from studyvpc.ui.tui.app import make_app

ROOT = Path(__file__).resolve().parents[2]
SHELL = ROOT / "tests" / "fixtures" / "content" / "shell"


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    return home


async def said(pilot, seen: list[str]) -> str:
    for _ in range(200):  # the file is written in a thread; pause until the notice comes
        if seen:
            return seen[-1]
        await pilot.pause(0.01)
    raise AssertionError("no notice after the screenshot")


async def test_without_downloads_the_screenshot_goes_to_the_data_dir(tmp_path, home):
    data = tmp_path / "data"
    app = make_app(load_library([SHELL]), data_dir=data)
    async with app.run_test(size=(80, 24)) as pilot:
        seen = record_notifications(app)
        app.deliver_screenshot()
        message = await said(pilot, seen)
    saved = list((data / "screenshots").glob("*.svg"))
    assert len(saved) == 1 and "<svg" in saved[0].read_text(encoding="utf-8")
    assert message == f"Saved to {saved[0]}"
    assert not (home / "Downloads").exists()  # not created: it is not ours


async def test_with_downloads_it_goes_there(tmp_path, home):
    (home / "Downloads").mkdir()
    app = make_app(load_library([SHELL]), data_dir=tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        seen = record_notifications(app)
        app.deliver_screenshot()
        message = await said(pilot, seen)
    saved = list((home / "Downloads").glob("*.svg"))
    assert len(saved) == 1 and message == f"Saved to {saved[0]}"


async def test_a_failure_says_where_and_why(tmp_path, home):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder would be", encoding="utf-8")
    app = make_app(load_library([SHELL]), data_dir=tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        seen = record_notifications(app)
        app.deliver_screenshot("shot.svg", str(blocked))
        message = await said(pilot, seen)
    assert message.startswith(f"Could not save it to {blocked / 'shot.svg'}: "), message

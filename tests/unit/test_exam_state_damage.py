"""A damaged saved exam is reported once, moved aside (never deleted), and the app starts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.content import write_deck
from support.notify import record_notifications

from studyvpc.content.loader import load_library
from studyvpc.progress.exam_file import FILENAME, ExamFile
from studyvpc.progress.exams import ExamKeeper
from studyvpc.progress.service import Progress
from studyvpc.study.exam import ExamSettings, MockExam


@pytest.fixture
def library(tmp_path):
    folder = tmp_path / "content"
    write_deck(folder)
    result = load_library([folder])
    assert result.ok, result.errors
    return result.library


def saved_state(library) -> dict:
    exam = MockExam.start(library.questions, ExamSettings(2, 120, seed=1), clock=lambda: 0.0)
    return exam.to_state()


DAMAGE = {
    "infinite time limit": lambda s: s.update(time_limit_s=float("inf")),
    "infinite index": lambda s: s.update(index=float("inf")),
    "nan pass mark": lambda s: s.update(pass_mark=float("nan")),
    "items not a list of objects": lambda s: s.update(items=[1, "x"]),
    "option order too long": lambda s: s["items"][0].update(order=["A"] * 40),
    "question id a list": lambda s: s["items"][0].update(question=["q"]),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damage_is_reported_once_and_the_file_set_aside(library, tmp_path, damage):
    data = tmp_path / "data"
    state = saved_state(library)
    damage(state)
    data.mkdir()
    # json.dumps writes inf/nan as Infinity/NaN, which json reads back: as a real file would.
    (data / FILENAME).write_text(json.dumps(state), encoding="utf-8")
    progress = Progress.open(library, data)
    keeper = ExamKeeper(progress, library, data)
    offer = keeper.offer()
    assert offer.preview is None
    assert len(offer.notices) == 1 and "damaged" in offer.notices[0].text
    assert not (data / FILENAME).exists()
    moved = list(data.glob("exam-in-progress.damaged*.json"))
    assert len(moved) == 1, "kept, never deleted"
    again = keeper.offer()
    assert again.notices == [] and again.preview is None, "reported once"
    progress.close()


def test_a_literal_1e999_in_the_file_is_damage_not_a_crash(library, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    text = json.dumps(saved_state(library))
    text = text.replace('"time_limit_s": 120', '"time_limit_s": 1e999')
    assert "1e999" in text
    (data / FILENAME).write_text(text, encoding="utf-8")
    progress = Progress.open(library, data)
    offer = ExamKeeper(progress, library, data).offer()
    assert [n.severity for n in offer.notices] == ["warning"]
    assert "damaged" in offer.notices[0].text
    progress.close()


def test_unreadable_saves_are_damage(tmp_path):
    saved = ExamFile(tmp_path)
    for raw in (b"[" * 100_000, b"\xff\xfe", b'{"a": 1,\n oops}'):
        saved.path.write_bytes(raw)
        with pytest.raises(ValueError, match="damaged"):
            saved.load()


async def test_the_app_starts_past_a_damaged_save(library, tmp_path):
    from studyvpc.content.results import LoadResult
    from studyvpc.ui.tui.app import make_app
    from studyvpc.ui.tui.screens.home import HomeScreen

    data = tmp_path / "data"
    data.mkdir()
    state = saved_state(library)
    state["time_used_s"] = float("inf")
    (data / FILENAME).write_text(json.dumps(state), encoding="utf-8")
    app = make_app(LoadResult(library), seed=1, data_dir=data)
    said = record_notifications(app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert sum("damaged" in m for m in said) == 1
    assert list(Path(data).glob("*.damaged*.json"))

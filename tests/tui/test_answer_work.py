"""What an answer costs: the work of answering (and of moving to the next question) does not
grow with the library.

An answer touches one question; nothing on its way (grading, the store, the feedback, the
keys) may read the whole library or all of its questions. Work is counted in Python function
calls (not time): answering the same questions of a library of 20 questions and of one of
5,000 must take about the same number.
"""

from __future__ import annotations

import cProfile
import pstats
import sys
from pathlib import Path

from studyvpc.content.cache import load_library_cached
from studyvpc.study.quiz import Scope
from studyvpc.ui.tui.app import make_app
from studyvpc.ui.tui.screens.quiz import QuizScreen

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

import synth  # noqa: E402


def app_over(tmp_path: Path, questions: int):
    folder = synth.make_library(tmp_path / f"lib-{questions}", questions)
    result = load_library_cached([folder], tmp_path / f"cache-{questions}")
    assert result.ok, result.errors
    return make_app(result, seed=3, data_dir=tmp_path / f"data-{questions}")


QUESTIONS = tuple(f"synthetic-note-00000-q{i}" for i in range(1, 5))


async def answer_calls(tmp_path: Path, questions: int) -> tuple[int, int]:
    """Python function calls of answering QUESTIONS and of moving on from each, in a
    library of ``questions`` questions."""
    app = app_over(tmp_path, questions)
    answer = next_ = 0
    async with app.run_test(size=(100, 30)) as pilot:
        screen = QuizScreen(app.library, Scope("ids", ids=QUESTIONS), seed=3)
        await app.push_screen(screen)
        await pilot.pause()
        while True:
            shown = screen.session.current
            letters = [letter.lower() for letter in sorted(shown.correct_letters)]
            if shown.kind.toggles:
                await pilot.press(*letters)
                letters = ["enter"]
            profile = cProfile.Profile()
            profile.enable()
            await pilot.press(*letters)
            await pilot.pause()
            profile.disable()
            answer += pstats.Stats(profile).total_calls
            if shown.number == shown.total:
                break
            profile = cProfile.Profile()
            profile.enable()
            await pilot.press("n")
            await pilot.pause()
            profile.disable()
            next_ += pstats.Stats(profile).total_calls
    return answer, next_


async def test_the_work_of_an_answer_does_not_grow_with_the_library(tmp_path):
    small = await answer_calls(tmp_path, 20)
    large = await answer_calls(tmp_path, 5_000)
    # The same questions, the same keys: 250 times more questions in the library may not
    # add work per answer (going through them, calling anything per question, would add
    # 5,000 calls an answer; the same run twice differs by a few hundred).
    assert large[0] <= small[0] * 1.01 + 1_000, (small, large)
    assert large[1] <= small[1] * 1.01 + 1_000, (small, large)

"""What the practice quiz looks like: SVG snapshots at 80×24 and 120×40.

Deterministic: fixture content (tests/fixtures/content/quiz), a fixed seed and a fake clock, so
the option order and the time on the results screen never change between runs. The keys to
press are worked out from the screen's own session (options are shuffled), not hard-coded.
Update with `pytest tests/tui/test_snapshots_quiz.py --snapshot-update`, then look at them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from studyvpc.content.loader import load_library
from studyvpc.study.quiz import Scope
from studyvpc.ui.tui.app import make_app
from studyvpc.ui.tui.screens.quiz import QuizScreen
from studyvpc.ui.tui.screens.quiz_setup import QuizSetupScreen

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "content" / "quiz"
SEED = 7
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


class FakeClock:
    """Advances 37 seconds every time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 37.0
        return self.now


def build():
    result = load_library([FIXTURES])
    assert result.ok, result.errors
    return make_app(result, seed=SEED)


def keys_for(shown, *, right: bool) -> list[str]:
    """The keys that answer `shown` right (or wrong), Enter included for multi-answer."""
    if right:
        letters = sorted(shown.correct_letters)
    else:
        wrong = [o.letter for o in shown.options if not o.option.correct]
        letters = sorted(shown.correct_letters)[: shown.question.choose - 1] + wrong[:1]
    keys = [letter.lower() for letter in letters]
    return keys + ["enter"] if shown.question.is_multi else keys


def quiz(scope: Scope = Scope(), answers: tuple[bool, ...] = (), finish: bool = False):
    """A `run_before` that opens the quiz and answers the first questions right or wrong."""

    async def run_before(pilot) -> None:
        app = pilot.app
        screen = QuizScreen(app.library, scope, SEED, clock=FakeClock())
        await app.push_screen(screen)
        await pilot.pause()
        for i, right in enumerate(answers):
            await pilot.press(*keys_for(screen.session.current, right=right))
            await pilot.pause()
            if i < len(answers) - 1 or finish:
                await pilot.press("n")
                await pilot.pause()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_question(snap_compare, size):
    assert snap_compare(build(), terminal_size=size, run_before=quiz())


@pytest.mark.parametrize("size", SIZES)
def test_multi_answer_question_half_chosen(snap_compare, size):
    async def run_before(pilot) -> None:
        app = pilot.app
        screen = QuizScreen(app.library, Scope("ids", ids=("quiz-practice-multi",)), SEED,
                            clock=FakeClock())
        await app.push_screen(screen)
        await pilot.pause()
        first = sorted(screen.session.current.correct_letters)[0]
        await pilot.press(first.lower())
        await pilot.pause()

    assert snap_compare(build(), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_answered_question_wrong(snap_compare, size):
    assert snap_compare(build(), terminal_size=size, run_before=quiz(answers=(False,)))


@pytest.mark.parametrize("size", SIZES)
def test_answered_korean_question(snap_compare, size):
    scope = Scope("ids", ids=("quiz-practice-korean",))
    assert snap_compare(build(), terminal_size=size, run_before=quiz(scope, answers=(True,)))


@pytest.mark.parametrize("size", SIZES)
def test_results(snap_compare, size):
    assert snap_compare(build(), terminal_size=size,
                        run_before=quiz(answers=(True, False, True), finish=True))


@pytest.mark.parametrize("size", SIZES)
def test_setup(snap_compare, size):
    async def run_before(pilot) -> None:
        await pilot.app.push_screen(QuizSetupScreen(pilot.app.library, SEED))
        await pilot.pause()

    assert snap_compare(build(), terminal_size=size, run_before=run_before)

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


async def answer_keys(pilot, shown) -> list[str]:
    """The keys that answer ``shown`` right: its letter, or (a question whose options are
    toggled) its letters pressed now and Enter to submit."""
    letters = [letter.lower() for letter in sorted(shown.correct_letters)]
    if not shown.kind.toggles:
        return letters
    await pilot.press(*letters)
    return ["enter"]


async def calls(pilot, *keys: str) -> int:
    """Python function calls of pressing ``keys`` and what follows until the app is idle."""
    profile = cProfile.Profile()
    profile.enable()
    await pilot.press(*keys)
    await pilot.pause()
    profile.disable()
    return pstats.Stats(profile).total_calls


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
            answer += await calls(pilot, *await answer_keys(pilot, shown))
            if shown.number == shown.total:
                break
            next_ += await calls(pilot, "n")
    return answer, next_


async def test_the_work_of_an_answer_does_not_grow_with_the_library(tmp_path):
    small = await answer_calls(tmp_path, 20)
    large = await answer_calls(tmp_path, 5_000)
    # The same questions, the same keys: 250 times more questions in the library may not
    # add work per answer (going through them, calling anything per question, would add
    # 5,000 calls an answer; the same run twice differs by a few hundred).
    assert large[0] <= small[0] * 1.01 + 1_000, (small, large)
    assert large[1] <= small[1] * 1.01 + 1_000, (small, large)


async def test_an_answer_mounts_nothing_and_lays_out_each_markdown_field_once(tmp_path,
                                                                             monkeypatch):
    """An answer and a move to the next question change the widgets there are: no widget
    is mounted (the key bar's keys are changed in place, not built again; once every key
    has been shown), few nodes are restyled, and every Markdown field (each option's why,
    the explanation; the stem) is laid out once, not once to measure it and again to draw it.

    On a footer rebuilt per answer: 8 widgets mounted and 74 nodes restyled per answer;
    with the Markdown cache keyed by the height: the explanation laid out twice."""
    from rich.markdown import Markdown
    from textual.css.stylesheet import Stylesheet

    counts = {"markdown": 0, "restyled": 0}
    markdown_console = Markdown.__rich_console__
    apply = Stylesheet.apply

    def counted_markdown(self, console, options):
        counts["markdown"] += 1
        yield from markdown_console(self, console, options)

    def counted_apply(self, node, *args, **kwargs):
        counts["restyled"] += 1
        return apply(self, node, *args, **kwargs)

    monkeypatch.setattr(Markdown, "__rich_console__", counted_markdown)
    monkeypatch.setattr(Stylesheet, "apply", counted_apply)

    app = app_over(tmp_path, 20)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = QuizScreen(app.library, Scope("ids", ids=QUESTIONS), seed=3)
        await app.push_screen(screen)
        await pilot.pause()

        async def press(*keys: str) -> tuple[list, dict[str, int]]:
            """The widgets that are new after ``keys``, and the work counted."""
            before = set(map(id, screen.walk_children()))
            counts.update(markdown=0, restyled=0)
            await pilot.press(*keys)
            for _ in range(3):  # the frame, and what is done after it (the key bar)
                await pilot.pause()
            return [w for w in screen.walk_children() if id(w) not in before], dict(counts)

        seen = []
        while True:
            shown = screen.session.current
            new, work = await press(*await answer_keys(pilot, shown))
            fields = len(shown.options) + bool(screen.view.result.explanation.strip())
            seen.append(("answer", shown.number, new, work, fields))
            if shown.number == shown.total:
                break
            new, work = await press("n")
            seen.append(("next", shown.number, new, work, 1))
    assert seen[0][0] == "answer" and len(seen) == 2 * len(QUESTIONS) - 1
    for what, number, new, work, fields in seen:
        if (what, number) != ("answer", 1):  # the first answer mounts the ratings' keys
            assert new == [], (what, number, [type(w).__name__ for w in new])
            # Each row, the prompt, the key dimmed or not: not every key and container.
            assert work["restyled"] <= 12, (what, number, work)
        assert work["markdown"] <= fields, (what, number, work, fields)

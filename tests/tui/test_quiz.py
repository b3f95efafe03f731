"""The practice quiz in the TUI, driven with Pilot: answer, see every option explained, finish.

Options are shuffled per attempt, so the tests find the letter an option got from the
screen's own `PracticeSession` rather than assuming the content file's order.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import OptionList, Static

from studyvpc.content.library import Library
from studyvpc.content.loader import load_library
from studyvpc.content.results import LoadResult
from studyvpc.content.model import Note, Option, Question, Reference
from studyvpc.study.quiz import Scope
from studyvpc.ui.tui.app import make_app
from studyvpc.ui.tui.screens.quiz import QuizScreen
from studyvpc.ui.tui.screens.quiz_setup import QuizSetupScreen
from studyvpc.ui.tui.screens.quiz_results import ResultsScreen
from studyvpc.ui.tui.screens.quiz_review import QuestionReviewScreen
from studyvpc.ui.tui.widgets.options import OptionRow
from support.shared import HOSTILE_STRINGS as HOSTILE

ROOT = Path(__file__).resolve().parents[2]
SEED_NOTE = ROOT / "content" / "lambda-vpc-s3-security.yaml"
FIXTURES = ROOT / "tests" / "fixtures" / "content" / "quiz"
SEED_Q = "lambda-vpc-s3-security-q1"


class FakeClock:
    """Advances ten seconds every time it is read: time without sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        self.now += 10.0
        return self.now


def seed_result() -> LoadResult:
    # The seed note alone: its links to other notes do not resolve, which the quiz ignores.
    return load_library([SEED_NOTE])


def fixture_result() -> LoadResult:
    result = load_library([FIXTURES])
    assert result.ok, result.errors
    return result


def rendered(widget: Widget) -> str:
    """The text a widget draws at its current size (what is on screen, wrapped).

    For a container, the text of the widgets shown inside it, in order.
    """
    if widget.children:
        return "\n".join(rendered(w) for w in widget.children if w.display)
    width, height = widget.outer_size  # padding and border included, as drawn
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, width, height)))


def screen_text(screen) -> str:
    """The text of every Static and option row shown on the screen, scrolled into view or not."""
    return "\n".join(row_text(w) if isinstance(w, OptionRow) else rendered(w)
                     for w in screen.query("Static, OptionRow")
                     if w.display and w.region.width and all(a.display for a in w.ancestors
                                                             if isinstance(a, Widget)))


def squash(text: str) -> str:
    """Text without whitespace or Markdown emphasis, to compare across wrapping."""
    return "".join(text.replace("**", "").replace("`", "").split())


def letter_of(screen: QuizScreen, prefix: str) -> str:
    shown = screen.session.current
    for opt in shown.options:
        if opt.option.text.startswith(prefix):
            return opt.letter
    raise AssertionError(f"no option starts with {prefix!r}")


async def answer_all_wrong(screen: QuizScreen, pilot) -> None:
    """Answer every question of the session wrong and move on (to the results at the end)."""
    for _ in range(screen.session.total):
        shown = screen.session.current
        wrong = [o.letter for o in shown.options if not o.option.correct]
        await pilot.press(*[w.lower() for w in wrong[: shown.question.choose]])
        if shown.question.is_multi:
            await pilot.press("enter")
        await pilot.press("n")
        await pilot.pause()


def row_text(row: OptionRow) -> str:
    """What an option row draws inside its left border (the bar that marks the result)."""
    return "\n".join(line[1:] for line in rendered(row).splitlines())


def row_for(screen: QuizScreen, letter: str) -> OptionRow:
    return next(r for r in screen.view.options.rows if r.letter == letter)


async def start(app, screen, pilot):
    await app.push_screen(screen)
    await pilot.pause()
    return screen


def assert_every_why_shown(screen: QuizScreen) -> None:
    text = squash(screen_text(screen))
    question = screen.view.result.question
    assert len(screen.view.options.rows) == len(question.options)
    for option in question.options:
        first_line = option.why.strip().splitlines()[0]
        assert squash(first_line) in text, f"why of {option.key} not shown: {first_line!r}"
    for row in screen.view.options.rows:  # each why in its own option's row, on screen
        assert row.why.strip() and row.region.height > 1
        assert squash(row.why.strip().splitlines()[0]) in squash(row_text(row)), row.letter


# --------------------------------------------------------------------------- the seed question

@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_seed_question_right_answer_shows_every_explanation(seed):
    app = make_app(seed_result(), seed=seed)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(app, QuizScreen(app_library(app), Scope("note", "lambda-vpc-s3-security"),
                                             seed), pilot)
        assert screen.session.current.question.id == SEED_Q
        assert len(screen.session.current.options) == 4
        letter = letter_of(screen, "Use the VPC endpoint")
        await pilot.press(letter.lower())
        await pilot.pause()
        result = screen.view.result
        assert result is not None and result.correct
        assert "✔ Correct." in rendered(screen.view.prompt)
        chosen = row_for(screen, letter)
        assert row_text(chosen).lstrip().startswith(f"✔ {letter}")
        assert "(your answer, correct)" in squash_spaces(rendered(chosen))
        # No option is marked wrong: the wrong ones the learner did not pick carry no mark.
        assert "✘" not in screen_text(screen)
        assert_every_why_shown(screen)
        text = screen_text(screen)
        assert "Explanation" in text and "References" in text
        assert "Gateway endpoints for Amazon S3" in text
        assert "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html" in text


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_seed_question_wrong_answer_marks_both_and_explains_all(seed):
    app = make_app(seed_result(), seed=seed)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(app, QuizScreen(app_library(app), Scope("note", "lambda-vpc-s3-security"),
                                             seed), pilot)
        wrong = letter_of(screen, "Encrypt your S3 bucket")
        right = letter_of(screen, "Use the VPC endpoint")
        await pilot.press(wrong.lower())
        await pilot.pause()
        result = screen.view.result
        assert result is not None and not result.correct
        prompt = rendered(screen.view.prompt)
        assert "✘ Wrong." in prompt and f"the answer is {right}" in squash_spaces(prompt)
        wrong_row, right_row = row_for(screen, wrong), row_for(screen, right)
        assert row_text(wrong_row).lstrip().startswith(f"✘ {wrong}")
        assert "(your answer)" in squash_spaces(rendered(wrong_row))
        assert row_text(right_row).lstrip().startswith(f"✔ {right}")
        assert "(correct)" in squash_spaces(rendered(right_row))
        assert wrong_row.has_class("-wrong") and right_row.has_class("-correct")
        assert_every_why_shown(screen)


def squash_spaces(text: str) -> str:
    return " ".join(text.split())


def app_library(app) -> Library:
    return app_result(app).library


def app_result(app) -> LoadResult:
    # make_app's contract: the app's context keeps the LoadResult it was given.
    return app.context.load_result


async def test_number_and_arrow_keys_select_too():
    app = make_app(seed_result(), seed=5)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(app, QuizScreen(app_library(app), Scope(), 5), pilot)
        letter = letter_of(screen, "Use the VPC endpoint")
        index = screen.session.current.letters.index(letter)
        await pilot.press(*["down"] * index, "enter")
        await pilot.pause()
        assert screen.view.result is not None
        assert screen.view.result.chosen == (letter,)
    app = make_app(seed_result(), seed=5)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(app, QuizScreen(app_library(app), Scope(), 5), pilot)
        letter = letter_of(screen, "Encrypt your S3 bucket")
        await pilot.press(str(screen.session.current.letters.index(letter) + 1))
        await pilot.pause()
        assert screen.view.result.chosen == (letter,)


async def test_letters_outside_the_options_do_nothing():
    app = make_app(fixture_result(), seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(app, QuizScreen(app_library(app), Scope("ids", ids=(
            "quiz-practice-single",)), 1), pilot)
        await pilot.press("z", "9", "0")
        await pilot.pause()
        assert screen.view.result is None
        assert not screen.session.results


# --------------------------------------------------------------------------- multi-answer

async def test_multi_answer_needs_exactly_two_selections():
    app = make_app(fixture_result(), seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(app, QuizScreen(app_library(app), Scope("ids", ids=(
            "quiz-practice-multi",)), 4), pilot)
        shown = screen.session.current
        assert shown.question.choose == 2
        assert "Choose 2." in rendered(screen.view.prompt)
        s3, ddb = letter_of(screen, "Amazon S3"), letter_of(screen, "Amazon DynamoDB")
        sqs = letter_of(screen, "Amazon SQS")
        await pilot.press(s3.lower())
        await pilot.pause()
        assert screen.view.result is None, "one pick must not answer a choose-2 question"
        assert "Chosen: 1 of 2" in squash_spaces(rendered(screen.view.prompt))
        assert "[x]" in rendered(row_for(screen, s3))
        await pilot.press("enter")
        await pilot.pause()
        assert screen.view.result is None
        assert "Choose 2 options (you chose 1)" in squash_spaces(rendered(screen.view.prompt))
        # Toggling twice takes a pick back.
        await pilot.press(sqs.lower(), sqs.lower())
        await pilot.pause()
        assert screen.view.options.input.selection == (s3,)
        # Space toggles the highlighted option (the cursor is where the last pick was).
        await pilot.press(str(shown.letters.index(ddb) + 1))
        await pilot.pause()
        assert screen.view.options.input.selection == (s3, ddb)
        await pilot.press("enter")
        await pilot.pause()
        result = screen.view.result
        assert result is not None and result.correct and result.chosen == (s3, ddb)
        assert "✔ Correct." in rendered(screen.view.prompt)
        assert_every_why_shown(screen)


async def test_multi_answer_space_toggles_the_highlighted_option():
    app = make_app(fixture_result(), seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(app, QuizScreen(app_library(app), Scope("ids", ids=(
            "quiz-practice-multi",)), 4), pilot)
        await pilot.press("space", "down", "space", "enter")
        await pilot.pause()
        letters = screen.session.current.letters
        assert screen.view.result is not None
        assert screen.view.result.chosen == (letters[0], letters[1])


async def test_a_third_pick_on_a_choose_two_question_is_refused_as_in_the_exam():
    app = make_app(fixture_result(), seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(app, QuizScreen(app_library(app), Scope("ids", ids=(
            "quiz-practice-multi",)), 4), pilot)
        letters = screen.session.current.letters
        await pilot.press("3", "1", "2")
        await pilot.pause()
        assert screen.view.options.input.selection == (letters[2], letters[0]), "third refused"
        assert "✘ Choose 2: 2 are chosen already." in squash_spaces(
            rendered(screen.view.prompt))
        assert "[x]" not in rendered(row_for(screen, letters[1]))
        await pilot.press("enter")
        await pilot.pause()
        assert screen.view.result is not None
        assert screen.view.result.chosen == (letters[2], letters[0]), "in the order picked"


# --------------------------------------------------------------------------- results

async def test_finish_a_quiz_and_see_the_score():
    app = make_app(fixture_result(), seed=11)
    clock = FakeClock()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(app, QuizScreen(app_library(app), Scope(), 11, clock=clock), pilot)
        missed_id = None
        for _ in range(screen.session.total):
            shown = screen.session.current
            assert f"Question {shown.number}/3" in rendered(screen.progress)
            q = shown.question
            if q.id == "quiz-practice-multi":
                await pilot.press(*[letter.lower() for letter in sorted(shown.correct_letters)],
                                  "enter")
            elif q.id == "quiz-practice-korean":  # answer this one wrong
                wrong = next(o.letter for o in shown.options if not o.option.correct)
                await pilot.press(wrong.lower())
                missed_id = q.id
            else:
                await pilot.press(next(iter(shown.correct_letters)).lower())
            await pilot.pause()
            assert screen.view.result is not None
            await pilot.press("n")
            await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        results = app.screen
        score = rendered(results.query_one("#results-score", Static))
        assert "Score: 2/3 (67%)" in score
        assert "3 of 3 questions answered in" in squash_spaces(score)
        tags = rendered(results.query_one("#results-tags", Static))
        assert "service/vpc" in tags and "2/3" in tags
        assert "network/endpoint" in tags and "1/1" in tags
        missed = results.query_one("#results-missed", OptionList)
        assert missed.option_count == 1
        assert results.missed[0].question.id == missed_id

        # Enter shows the missed question again, with every explanation.
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuestionReviewScreen)
        review_text = squash(screen_text(app.screen))
        for option in app.screen.result.question.options:
            assert squash(option.why) in review_text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is results

        # r practises the missed ones again in a new session.
        await pilot.press("r")
        await pilot.pause()
        retry = app.screen
        assert isinstance(retry, QuizScreen)
        assert retry.scope.kind == "ids" and retry.scope.ids == (missed_id,)
        assert retry.session.total == 1


async def test_q_stops_early_and_shows_results_then_home():
    app = make_app(fixture_result(), seed=2)
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        screen = await start(app, QuizScreen(app_library(app), Scope(), 2, clock=FakeClock()),
                             pilot)
        shown = screen.session.current
        await pilot.press(*[l.lower() for l in sorted(shown.correct_letters)])
        if shown.question.is_multi:
            await pilot.press("enter")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        score = squash_spaces(rendered(app.screen.query_one("#results-score", Static)))
        assert "Score: 1/1 (100%)" in score and "1 of 3 questions answered" in score
        assert "Nothing missed." in screen_text(app.screen)
        await pilot.press("r")  # nothing missed: nothing happens
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        await pilot.press("h")
        await pilot.pause()
        assert app.screen is home


async def test_results_time_comes_from_the_injected_clock():
    app = make_app(fixture_result(), seed=2)
    clock = FakeClock()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(app, QuizScreen(app_library(app), Scope(), 2, clock=clock), pilot)
        await pilot.press("escape")
        await pilot.pause()
        s = app.screen.session.summary()
        # started at one reading, finished at a later one: whole ten-second steps.
        assert s.elapsed_s > 0 and s.elapsed_s % 10 == 0
        assert "No questions answered." in rendered(app.screen.query_one("#results-score"))


# --------------------------------------------------------------------------- notes, setup, edge cases

async def test_o_opens_the_note_of_the_answered_question():
    app = make_app(fixture_result(), seed=1)
    opened: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_note = opened.append  # stands in for the shell's note view
        screen = await start(app, QuizScreen(app_library(app), Scope(), 1), pilot)
        await pilot.press("o")  # not before the answer
        await pilot.pause()
        assert opened == []
        await pilot.press("1")
        if screen.session.current.question.is_multi:
            await pilot.press("2", "enter")
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert opened == ["quiz-practice"]


async def test_empty_scope_says_so_and_q_goes_back():
    app = make_app(fixture_result(), seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        screen = await start(app, QuizScreen(app_library(app), Scope("tag", "no-such-tag"), 1),
                             pilot)
        assert "No questions in tag no-such-tag" in screen_text(screen)
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is home


async def test_setup_lists_scopes_and_starts_the_chosen_one():
    app = make_app(fixture_result(), seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        setup = await start(app, QuizSetupScreen(app_library(app), 3), pilot)
        scopes = setup.query_one("#setup-scope", OptionList)
        ids = [scopes.get_option_at_index(i).id for i in range(scopes.option_count)]
        assert ids[0] == "all"
        assert "tag:service" in ids and "tag:service/vpc" in ids and "tag:network/endpoint" in ids
        assert "note:quiz-practice" in ids
        for later in ("wrong", "due"):
            assert scopes.get_option(later).disabled
        assert setup.count == 10
        await pilot.press("c")
        await pilot.pause()
        assert setup.count == 20
        # Down to the network/endpoint tag, then Enter.
        target = ids.index("tag:network/endpoint")
        scopes.highlighted = target
        await pilot.press("enter")
        await pilot.pause()
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        assert quiz.scope == Scope("tag", "network/endpoint")
        assert quiz.limit == 20 and quiz.session.total == 1


async def test_setup_escape_goes_back():
    app = make_app(fixture_result(), seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        await start(app, QuizSetupScreen(app_library(app), 3), pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home


def hostile_library() -> tuple[Library, list[str]]:
    texts = [e["text"] for e in json.loads(HOSTILE.read_text(encoding="utf-8")) if e["text"].strip()]
    joined = "\n\n".join(texts)
    options = tuple(Option(key, text, key == "A", why)
                    for key, text, why in zip("ABCD", texts[:4], texts[4:8]))
    q = Question(id="hostile-q1", stem=joined, options=options, explanation=joined,
                 tags=tuple(texts[:2]), references=(Reference(texts[0], texts[5]),),
                 note_id="hostile")
    note = Note(id="hostile", title=texts[0], questions=(q,))
    return Library((note,)), texts


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_hostile_content_shows_literally(size):
    library, texts = hostile_library()
    app = make_app(LoadResult(library), seed=1)
    async with app.run_test(size=size) as pilot:
        screen = await start(app, QuizScreen(library, Scope(), 1), pilot)
        before = screen_text(screen)
        await pilot.press("2")  # a wrong answer
        await pilot.pause()
        after = screen_text(screen)
        for text in (before, after):
            assert "\x1b" not in text and "\r" not in text and "\x00" not in text
        # Markup in content is shown as written, not applied.
        assert "[bold red]not bold[/bold red]" in after
        assert "[@click=app.quit]quit[/]" in after
        assert "␛[31mred␛[0m" in after
        assert "<script>alert(1)</script>" in after, "raw HTML in Markdown must not vanish"
        assert app.is_running and isinstance(app.screen, QuizScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)


async def test_review_the_second_missed_question_and_go_home_from_deep_in_the_stack():
    app = make_app(fixture_result(), seed=9)
    opened: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        home = app.screen
        app.open_note = opened.append
        await start(app, QuizSetupScreen(app_library(app), 9, clock=FakeClock()), pilot)
        await pilot.press("enter")  # all questions
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        await answer_all_wrong(screen, pilot)
        results = app.screen
        assert isinstance(results, ResultsScreen)
        assert len(results.missed) == 3
        assert "Score: 0/3 (0%)" in rendered(results.query_one("#results-score", Static))
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, QuestionReviewScreen)
        assert app.screen.result is results.missed[1]
        await pilot.press("o")
        await pilot.pause()
        assert opened == ["quiz-practice"]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("h")
        await pilot.pause()
        assert app.screen is home


async def test_clicking_an_option_answers_and_rows_are_reused_between_questions():
    app = make_app(fixture_result(), seed=6)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await start(app, QuizScreen(app_library(app), Scope("ids", ids=(
            "quiz-practice-single", "quiz-practice-korean")), 6), pilot)
        rows_before = list(screen.view.options.children)
        stem_before = screen.view.stem
        shown = screen.session.current
        right = next(iter(shown.correct_letters))
        await pilot.click(row_for(screen, right))
        await pilot.pause()
        assert screen.view.result is not None and screen.view.result.chosen == (right,)
        await pilot.press("enter")  # Enter after the answer: next question
        await pilot.pause()
        assert screen.session.current.number == 2
        # The same widgets show the next question: the pool of rows only grows when a
        # question has more options than any before it, and surplus rows are hidden.
        assert screen.view.stem is stem_before
        rows_after = list(screen.view.options.children)
        assert rows_after[: len(rows_before)] == rows_before
        assert len([r for r in rows_after if r.display]) == len(screen.session.current.options)


@pytest.mark.slow
async def test_results_at_80x24_keep_the_score_in_view_with_many_missed_questions():
    # Ten missed questions of the real deck: the list of them is taller than the screen, and
    # focusing it used to scroll the score (the one thing a learner looks for) out of view.
    app = make_app(load_library([ROOT / "content"]), seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(app, QuizScreen(app_library(app), Scope(), 4, limit=10,
                                             clock=FakeClock()), pilot)
        await answer_all_wrong(screen, pilot)
        results = app.screen
        assert isinstance(results, ResultsScreen) and len(results.missed) == 10
        await pilot.pause()
        score = results.query_one("#results-score", Static)
        region = score.region
        assert region.height and 0 < region.y < 24
        widget, _ = results.get_widget_at(region.x + 1, region.y)
        assert widget is score, "the score is scrolled out of view"
        missed = results.query_one("#results-missed", OptionList)
        assert results.focused is missed
        widget, _ = results.get_widget_at(missed.region.x + 2, missed.region.y + 1)
        assert widget is missed, "the focused list of missed questions is out of view"


async def test_the_last_answer_says_the_next_key_shows_the_results():
    app = make_app(fixture_result(), seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(app, QuizScreen(app_library(app), Scope("ids", ids=(
            "quiz-practice-single", "quiz-practice-korean")), 3, clock=FakeClock()), pilot)
        for number in (1, 2):
            shown = screen.session.current
            await pilot.press(next(iter(shown.correct_letters)).lower())
            await pilot.pause()
            prompt = squash_spaces(rendered(screen.view.prompt))
            if number == 1:
                assert "next question" in prompt and "see the results" not in prompt
                await pilot.press("n")
                await pilot.pause()
            else:  # there is no next question: say what n and Enter do now
                assert "see the results" in prompt and "next question" not in prompt
                await pilot.press("2")  # rating again keeps the right words
                await pilot.pause()
                assert "see the results" in squash_spaces(rendered(screen.view.prompt))


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_seed_explanation_names_the_options_by_their_shown_letters(seed):
    # The seed's explanation says "KMS로 코드를 암호화하거나(B)": B in the file, but the
    # options are shuffled, so the screen must name the letter KMS is shown under.
    app = make_app(seed_result(), seed=seed)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(app, QuizScreen(app_library(app),
                                             Scope("note", "lambda-vpc-s3-security"), seed), pilot)
        kms = letter_of(screen, "Use AWS Key Management Service")
        layers = letter_of(screen, "Use AWS Lambda Layers")
        bucket = letter_of(screen, "Encrypt your S3 bucket")
        assert (kms, layers, bucket) != ("B", "C", "D")
        await pilot.press(letter_of(screen, "Use the VPC endpoint").lower())
        await pilot.pause()
        text = squash(rendered(screen.view.explanation))
        assert f"암호화하거나({kms})" in text and f"공유하거나({layers})" in text
        assert f"것({bucket})은" in text


async def test_quiz_limit_from_the_command_line_starts_the_quiz():
    # `studyvpc quiz --limit 2` (no --tag/--note) starts a 2-question quiz over every
    # question; it used to open the setup screen.
    from studyvpc.ui.cli.main import build_parser
    from studyvpc.ui.context import StartRequest

    args = build_parser().parse_args(["quiz", "--limit", "2"])
    request = StartRequest.from_args(args, "quiz")
    app = make_app(fixture_result(), seed=3, request=request)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QuizScreen) and app.screen.session.total == 2
        assert app.screen.scope == Scope()


async def test_review_steps_through_the_missed_questions_with_n_and_p():
    app = make_app(fixture_result(), seed=9)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(app, QuizScreen(app_library(app), Scope(), 9, clock=FakeClock()),
                             pilot)
        await answer_all_wrong(screen, pilot)
        results = app.screen
        assert isinstance(results, ResultsScreen) and len(results.missed) == 3
        await pilot.press("enter")  # the first missed question
        await pilot.pause()
        review = app.screen
        assert isinstance(review, QuestionReviewScreen) and review.result is results.missed[0]
        assert "1/3" in review.sub_title
        await pilot.press("p")  # nothing before the first
        await pilot.pause()
        assert review.result is results.missed[0]
        await pilot.press("n")
        await pilot.pause()
        assert review.result is results.missed[1] and "2/3" in review.sub_title
        assert review.view.result is results.missed[1]
        assert squash(results.missed[1].question.options[0].why) in squash(screen_text(review))
        await pilot.press("right", "right")  # → too; stops at the last
        await pilot.pause()
        assert review.result is results.missed[2]
        await pilot.press("left")
        await pilot.pause()
        assert review.result is results.missed[1]
        await pilot.press("escape")  # back to the list, at the question last seen
        await pilot.pause()
        assert app.screen is results
        missed = results.query_one("#results-missed", OptionList)
        assert missed.get_option_at_index(missed.highlighted).id == "1"


async def test_option_rows_take_the_theme_colours_after_a_theme_switch():
    """A row draws its parts itself (one renderable): a theme switch must restyle them too."""
    app = make_app(seed_result(), seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(app, QuizScreen(app_library(app), Scope("note", "lambda-vpc-s3-security"),
                                             1), pilot)
        await pilot.press("a")
        await pilot.pause()
        row = screen.view.options.rows[1]

        def why_colour() -> str:
            [line] = [s for s in row.render_lines(Region(0, 0, *row.outer_size))
                      if squash(row.why)[:6] in squash(s.text)][:1]
            colours = {seg.style.color.triplet.hex for seg in line
                       if any("가" <= c <= "힣" for c in seg.text)}  # the why's Korean words
            assert len(colours) == 1, colours
            return colours.pop()

        dark = why_colour()
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert not app.current_theme.dark
        light = why_colour()
        assert light != dark
        assert light == screen.view.options.get_component_rich_style(
            "option-row--why").color.triplet.hex

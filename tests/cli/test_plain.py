"""`studyvpc quiz --plain`: a scripted session on stdin, its transcript on stdout.

The script is worked out from a `PracticeSession` built the same way the command builds it
(same library, same seed), so the test knows which letter is right without assuming an order.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from studyvpc.ui.cli import main as cli
from studyvpc.content.loader import load_library
from studyvpc.study.quiz import PracticeSession, Scope, select_questions

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "content" / "quiz"
SEED = 7


def planned_session(seed: int = SEED, scope: Scope = Scope()) -> list:
    """The questions, in the order and with the letters the command will show."""
    library = load_library([FIXTURES]).library
    session = PracticeSession(select_questions(library, scope), seed=seed)
    shown = []
    while not session.finished:
        shown.append(session.current)
        session.next()
    return shown


def run_plain(argv: list[str], script: str, monkeypatch, tmp_path) -> tuple[int, str]:
    stdout = io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    monkeypatch.setattr(sys, "stdout", stdout)
    # Progress goes to a temporary data directory, never the user's.
    monkeypatch.setenv("STUDYVPC_DATA_DIR", str(tmp_path / "data"))
    code = cli.main(["quiz", "--plain", "--content", str(FIXTURES), "--data-dir",
                     str(tmp_path / "data"), *argv])
    return code, stdout.getvalue()


def wrong_letter(shown) -> str:
    return next(o.letter for o in shown.options if not o.option.correct)


def squash(text: str) -> str:
    return " ".join(text.split())


def test_scripted_session_transcript(monkeypatch, tmp_path):
    plan = planned_session()
    assert len(plan) == 3
    lines = []
    answers_right = []
    for shown in plan:
        if shown.question.is_multi:
            # One pick is not enough for a choose-2 question: the prompt must come back.
            right = sorted(shown.correct_letters)
            lines += [right[0], " ".join(right)]
            answers_right.append(True)
        elif not answers_right:
            # First question: a letter that is not an option, then a wrong answer.
            lines += ["z", wrong_letter(shown)]
            answers_right.append(False)
        else:
            lines.append(next(iter(shown.correct_letters)).lower())
            answers_right.append(True)
        lines.append("")  # Enter: next question
    code, out = run_plain(["--seed", str(SEED)], "\n".join(lines) + "\n", monkeypatch, tmp_path)
    assert code == 0, out

    # Every question is shown with its number, stem and options.
    for shown in plan:
        q = shown.question
        assert f"Question {shown.number}/3  [{q.id}]" in out
        assert squash(q.stem.replace("**", "")) in squash(out.replace("**", ""))
        for opt in shown.options:
            assert f"  {opt.letter}) {opt.option.text}" in out
    assert "(Choose 2.)" in out

    # A letter that is not an option is refused and the question asked again.
    first = plan[0]
    refusal = f"'Z' is not one of {', '.join(first.letters)}"
    assert refusal in out
    after = out.split(refusal, 1)[1]
    assert after.lstrip("\n").startswith(f"Answer ({'/'.join(first.letters)})")

    # The wrong answer: the verdict, then every option with its mark and its why.
    right = next(iter(first.correct_letters))
    wrong = wrong_letter(first)
    assert f"✘ Wrong. The answer is {right}." in out
    assert f"✔ {right}) {first.by_letter(right).option.text}  (correct)" in out
    assert f"✘ {wrong}) {first.by_letter(wrong).option.text}  (your answer)" in out
    for shown in plan:
        for opt in shown.question.options:
            assert squash(opt.why) in squash(out), f"why of {opt.key} missing"

    # The multi-answer question refuses a single pick, then takes two.
    assert "choose 2 options (you chose 1)" in out
    assert out.count("✔ Correct.") == 2

    # The summary line.
    assert "Score: 2/3 (67%) of 3 in " in out
    assert f"  - {first.question.id}: " in out  # the missed question is listed


def test_q_stops_early_with_a_summary(monkeypatch, tmp_path):
    plan = planned_session()
    script = next(iter(plan[0].correct_letters)) + "\nq\n"
    code, out = run_plain(["--seed", str(SEED)], script, monkeypatch, tmp_path)
    assert code == 0
    assert "Question 2/3" not in out
    assert "Score: 1/1 (100%) of 3 in " in out


def test_end_of_input_ends_the_session(monkeypatch, tmp_path):
    code, out = run_plain(["--seed", str(SEED)], "", monkeypatch, tmp_path)
    assert code == 0
    assert "Question 1/3" in out
    assert "Nothing was answered, so there is no score." in out and "Score:" not in out


def test_same_seed_same_session(monkeypatch, tmp_path):
    _, one = run_plain(["--seed", "3"], "q\n", monkeypatch, tmp_path)
    _, two = run_plain(["--seed", "3"], "q\n", monkeypatch, tmp_path)
    assert one == two


def test_scope_with_no_questions(monkeypatch, tmp_path):
    code, out = run_plain(["--tag", "no-such-tag"], "", monkeypatch, tmp_path)
    assert code == 1
    assert "No questions in tag no-such-tag." in out


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_terminal_that_cannot_show_the_marks_still_works(tmp_path, encoding):
    """A dumb terminal's encoding must not crash the session (marks degrade to '?')."""
    plan = planned_session()
    script = "".join(f"{' '.join(sorted(s.correct_letters))}\n\n" for s in plan)
    env = {**os.environ, "PYTHONIOENCODING": encoding, "STUDYVPC_DATA_DIR": str(tmp_path)}
    proc = subprocess.run(
        [sys.executable, "-m", "studyvpc", "quiz", "--plain", "--seed", str(SEED),
         "--content", str(FIXTURES), "--data-dir", str(tmp_path / "data")],
        input=script.encode(encoding), capture_output=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode(encoding, "replace")
    out = proc.stdout.decode(encoding)
    assert "Score: 3/3 (100%) of 3 in " in out
    assert "Correct." in out


def test_plain_explanations_name_options_by_their_shown_letters(monkeypatch, tmp_path):
    # The seed's explanation refers to options as "(B)", "(C)", "(D)" of its file; the plain
    # mode shuffles too, so it must print the letters the options were shown under.
    deck = ROOT / "content"
    library = load_library([deck]).library
    scope = Scope("note", "lambda-vpc-s3-security")
    shown = PracticeSession(select_questions(library, scope), seed=1).current
    kms = next(o.letter for o in shown.options if o.option.text.startswith("Use AWS Key"))
    assert kms != "B"
    stdout = io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO("A\nq\n"))
    monkeypatch.setattr(sys, "stdout", stdout)
    assert cli.main(["quiz", "--plain", "--seed", "1", "--note", scope.value, "--content",
                     str(deck), "--data-dir", str(tmp_path / "data")]) == 0
    assert f"암호화하거나({kms})" in stdout.getvalue()

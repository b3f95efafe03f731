"""The command line's rough edges a new user hits in the first hour (issue 13): refused limits,
suggestions for a mistyped tag or note, a limit that starts the quiz."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from studyvpc.ui.cli import main as cli
from studyvpc.ui.cli.main import build_parser
from studyvpc.ui.context import StartRequest
from studyvpc.study.quiz import Scope

ROOT = Path(__file__).resolve().parents[2]
QUIZ = ROOT / "tests" / "fixtures" / "content" / "quiz"


@pytest.mark.parametrize("command", ["quiz", "review"])
@pytest.mark.parametrize("limit", ["0", "-3", "x"])
def test_limit_zero_or_negative_is_refused_by_argparse(command, limit, capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main([command, "--limit", limit, "--plain"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "--limit" in err and ("at least 1" in err or "whole number" in err)


def test_limit_one_is_accepted():
    assert build_parser().parse_args(["quiz", "--limit", "1"]).limit == 1


@pytest.mark.parametrize(("option", "typed", "meant"), [
    ("--tag", "servce/vpc", "service/vpc"),
    ("--note", "quiz-practise", "quiz-practice"),
])
def test_a_mistyped_tag_or_note_gets_a_suggestion(option, typed, meant, monkeypatch, tmp_path):
    stdout = io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.setattr(sys, "stdout", stdout)
    code = cli.main(["quiz", "--plain", option, typed, "--content", str(QUIZ),
                     "--data-dir", str(tmp_path / "data")])
    assert code == 1
    assert f"No questions in {option[2:]} {typed} (did you mean {meant}?)." in stdout.getvalue()


@pytest.mark.parametrize(("argv", "scope"), [
    (["quiz"], None),
    (["quiz", "--limit", "3"], Scope()),
    (["quiz", "--tag", "service"], Scope("tag", "service")),
    (["quiz", "--note", "n1", "--limit", "2"], Scope("note", "n1")),
])
def test_a_limit_tag_or_note_on_the_command_line_starts_the_quiz(argv, scope):
    """No scope and no limit: the setup screen asks (None); anything given: start directly."""
    request = StartRequest.from_args(build_parser().parse_args(argv), "quiz")
    assert request.quiz_scope() == scope

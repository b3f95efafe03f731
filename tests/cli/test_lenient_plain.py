"""Plain mode studies content that has warnings only, and shows the warnings first (stderr)."""

from __future__ import annotations

import io
import shutil
import sys
from pathlib import Path

from studyvpc.content.model import NO_WHY
from studyvpc.ui.cli import main as cli

ROOT = Path(__file__).resolve().parents[2]
SEED_YAML = ROOT / "content" / "lambda-vpc-s3-security.yaml"

NO_WHY_NOTE = """\
id: partly-explained
title: Partly explained
questions:
  - id: partly-explained-q1
    stem: Which one?
    options:
      - {key: A, text: the right one, correct: true}
      - {key: B, text: a wrong one, why: Because it is wrong.}
"""


def run_quiz(folder: Path, script: str, monkeypatch, capsys, tmp_path) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(script))
    code = cli.main(["quiz", "--plain", "--seed", "1", "--content", str(folder),
                     "--data-dir", str(tmp_path / "data")])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_seed_yaml_alone_is_studied_with_its_warnings_shown(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "alone"
    folder.mkdir()
    shutil.copy(SEED_YAML, folder)
    code, out, err = run_quiz(folder, "a\nq\n", monkeypatch, capsys, tmp_path)
    assert code == 0, err
    assert "Question 1/1  [lambda-vpc-s3-security-q1]" in out
    assert "Score:" in out
    assert "warning: link [[vpc-endpoint-gateway-vs-interface]] resolves to no note" in err
    assert "more not shown" in err and "the notes are usable" in err


def test_an_option_without_a_why_says_no_explanation_was_written(tmp_path, monkeypatch, capsys):
    (tmp_path / "n.yaml").write_text(NO_WHY_NOTE, encoding="utf-8")
    code, out, err = run_quiz(tmp_path, "a\nq\n", monkeypatch, capsys, tmp_path)
    assert code == 0, err
    assert "option A has no why" in err
    assert f"({NO_WHY})" in out and "Because it is wrong." in out

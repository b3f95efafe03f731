"""``--plain`` prints Markdown as plain text, piped ``stats`` never splits a word, and a plain
session with no answer says so instead of "Score: 0/0 (0%)"."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest

from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.store import ProgressStore
from studyvpc.progress.store.schema import utc_now
from studyvpc.ui.cli.main import main
from studyvpc.ui.cli.plain_markdown import to_plain

LONG_ID = "nat-gateway-vs-endpoint-cost-with-a-very-long-question-identifier-q2"
NOTE = f"""\
id: md-note
title: Markdown note
tags: [service/md]
questions:
  - id: {LONG_ID}
    stem: |
      Which is **cheapest** for `s3:GetObject` traffic? See [[md-note|the note]].

      - one **bold** item
      - two
    options:
      - key: A
        text: A *gateway* endpoint
        correct: true
        why: "**Free**: see [AWS](https://aws.amazon.com/vpc/)."
      - key: B
        text: A `NAT` gateway
        why: Charged per GB.
"""


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    (folder / "md.yaml").write_text(NOTE, encoding="utf-8")
    return folder


def run(monkeypatch, capsys, stdin: str, *argv: str):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("markdown", "plain"), [
    ("**bold**, *em*, `code` and ~~gone~~", "bold, em, code and gone"),
    ("see [[vpc-basics]] and [[vpc-basics|the VPC note]]", "see vpc-basics and the VPC note"),
    ("[AWS](https://aws.amazon.com)", "AWS (https://aws.amazon.com)"),
    ("- a\n- **b**\n  - c", "- a\n- b\n  - c"),
    ("3. three\n4. four", "3. three\n4. four"),
    ("| a | **b** |\n|---|---|\n| 1 | 2 |", "a | b\n1 | 2"),
    ("para one\n\npara two", "para one\n\npara two"),
    ("```\nx = *y*\n```", "    x = *y*"),
    ("> quoted **bit**", "> quoted bit"),
    ("2 * 3 * 4 and a_b_c", "2 * 3 * 4 and a_b_c"),
    ("<b>literal</b> tag", "<b>literal</b> tag"),
])
def test_markdown_to_plain_text(markdown, plain):
    assert to_plain(markdown) == plain


def test_plain_quiz_prints_no_markdown_marks(content, tmp_path, monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "A\nq\n", "quiz", "--plain", "--seed", "1",
                       "--content", str(content), "--data-dir", str(tmp_path / "data"))
    assert code == 0
    assert "Which is cheapest for s3:GetObject traffic? See the note." in out
    assert "- one bold item\n- two" in out
    assert "gateway endpoint" in out and "NAT gateway" in out
    assert "Free: see AWS (https://aws.amazon.com/vpc/)." in out
    for mark in ("**", "`", "[[", "]]", "*gateway*"):
        assert mark not in out


def test_plain_session_without_answers_says_so(content, tmp_path, monkeypatch, capsys):
    code, out, _ = run(monkeypatch, capsys, "", "quiz", "--plain", "--content", str(content),
                       "--data-dir", str(tmp_path / "data"))
    assert code == 0
    assert "Nothing was answered, so there is no score." in out and "0/0" not in out


def test_plain_review_at_end_of_input_says_nothing_was_answered(content, tmp_path,
                                                                 monkeypatch, capsys):
    data = tmp_path / "data"
    with ProgressStore.open(data) as store:
        ReviewScheduler(store, enable_fuzzing=False).answer(
            LONG_ID, "h", ["B"], False, time_ms=1000, mode="practice",
            now=utc_now() - timedelta(days=2))
    code, out, _ = run(monkeypatch, capsys, "", "review", "--plain", "--content", str(content),
                       "--data-dir", str(data))
    assert code == 0 and "Review: 1 question" in out
    assert "Nothing was answered, so there is no score." in out and "Score: 0/0" not in out


def test_piped_stats_never_split_an_id(content, tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    with ProgressStore.open(data) as store:
        sched = ReviewScheduler(store, enable_fuzzing=False)
        for right in (False, True):
            sched.answer(LONG_ID, "h", ["A"] if right else ["B"], right, time_ms=1000,
                         mode="practice")
    monkeypatch.setenv("COLUMNS", "40")  # a narrow terminal setting must not matter in a pipe
    code, out, _ = run(monkeypatch, capsys, "", "stats", "--content", str(content),
                       "--data-dir", str(data))
    assert code == 0
    assert LONG_ID in out  # whole, on one line

"""A tiny two-note deck written as YAML, for the CLI tests that record progress on it."""

from __future__ import annotations

from pathlib import Path

NOTE = """\
id: {note}
title: {title}
tags: [service/{note}]
questions:
{questions}
"""
QUESTION = """\
  - id: {qid}
    stem: Which one is right for {qid}?
    options:
      - key: A
        text: The right answer for {qid}
        correct: true
        why: Because it is.
      - key: B
        text: A wrong answer for {qid}
        why: Because it is not.
"""
THIRD_OPTION = """\
      - key: C
        text: Another wrong answer for {qid}
        why: Because it is not either.
"""
QIDS = {"vpc": ["vpc-q1", "vpc-q2"], "s3": ["s3-q1"]}
"""Note id → its question ids. Every question's right answer is option A."""


def write_deck(folder: Path, *, third_option: bool = False) -> Path:
    """Write the notes "VPC basics" (vpc-q1, vpc-q2) and "S3 basics" (s3-q1) into a new
    ``folder``; each question has options A (right) and B, plus C with ``third_option``."""
    folder.mkdir()
    question = QUESTION + (THIRD_OPTION if third_option else "")
    for note, qids in QIDS.items():
        questions = "".join(question.format(qid=q) for q in qids)
        (folder / f"{note}.yaml").write_text(
            NOTE.format(note=note, title=f"{note.upper()} basics", questions=questions),
            encoding="utf-8")
    return folder

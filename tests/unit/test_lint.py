"""The exam-writing linter (``studyvpc validate --strict``), one warning at a time.

Fixtures are written as YAML and loaded, so each warning's location is a real line.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studyvpc.ui.cli.main import main
from studyvpc.content.lint import lint
from studyvpc.content.loader import load_library

LETTERS = "ABCDEFGH"
REF = "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html"


def question_yaml(qid: str, texts: list[str], correct: str, *, refs: bool = True) -> str:
    """One question; ``correct`` holds the correct letters ("B", or "AC" for choose two)."""
    lines = [f"  - id: {qid}", f"    stem: Question {qid}?"]
    if len(correct) > 1:
        lines.append(f"    choose: {len(correct)}")
    lines.append("    options:")
    for key, text in zip(LETTERS, texts):
        lines.append(f"      - key: {key}")
        lines.append(f"        text: {json.dumps(text, ensure_ascii=False)}")
        if key in correct:
            lines.append("        correct: true")
        lines.append("        why: 이유")
    if refs:
        lines += ["    references:", f"      - {{title: Gateway endpoints, url: {REF}}}"]
    return "\n".join(lines) + "\n"


def note_yaml(note_id: str, questions: list[str]) -> str:
    text = f"id: {note_id}\ntitle: Note {note_id}\n"
    if questions:
        text += "questions:\n" + "".join(questions)
    return text


# Four options of equal length: no length pattern, nothing to warn about.
EVEN = ["Use a gateway endpoint", "Use a NAT gateway now!", "Add an internet route.",
        "Use a VPC peering link"]
assert len({len(t) for t in EVEN}) == 1


def balanced(note_id: str, answers: str = "ABCD") -> list[str]:
    return [question_yaml(f"{note_id}-q{i + 1}", EVEN, letter) for i, letter in enumerate(answers)]


def load(tmp_path: Path, files: dict[str, str]):
    folder = tmp_path / "content"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = load_library([folder])
    assert result.ok, [str(e) for e in result.errors]
    return folder, result.library


def warnings(tmp_path: Path, files: dict[str, str]) -> list[str]:
    folder, library = load(tmp_path, files)
    out = []
    for w in lint(library):
        assert w.severity == "warning"
        out.append(str(w).replace(f"{folder}/", ""))
    return out


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


# --------------------------------------------------------------------------- clean

def test_clean_content_has_no_warnings(tmp_path):
    files = {"a.yaml": note_yaml("a", balanced("a")),
             "b.yaml": note_yaml("b", [question_yaml("b-q1", EVEN[:3] + ["Pick both A and C"], "AC")])}
    assert warnings(tmp_path, files) == []


# --------------------------------------------------------------------------- per note / question

def test_note_without_a_question(tmp_path):
    files = {"a.yaml": note_yaml("a", balanced("a")), "empty.yaml": note_yaml("empty", [])}
    assert warnings(tmp_path, files) == ["empty.yaml:1:1: warning: note 'empty' has no question"]


def test_question_without_a_reference(tmp_path):
    qs = balanced("a")
    qs[2] = question_yaml("a-q3", EVEN, "C", refs=False)
    text = note_yaml("a", qs)
    line = line_of(text, "- id: a-q3")
    assert warnings(tmp_path, {"a.yaml": text}) == [
        f"a.yaml:{line}:5: warning: question 'a-q3' has no reference"]


@pytest.mark.parametrize("catch_all", [
    "All of the above", "None of the above", "both of the options", "neither of the answers",
    "모두 정답", "ALL OF THE ABOVE.", "All the above", "None  of the\tabove",
])
def test_catch_all_option(tmp_path, catch_all):
    qs = balanced("a")
    qs[1] = question_yaml("a-q2", EVEN[:3] + [catch_all], "B")
    text = note_yaml("a", qs)
    line = line_of(text, "- id: a-q2")
    assert warnings(tmp_path, {"a.yaml": text}) == [
        f"a.yaml:{line}:5: warning: question 'a-q2': option D is a catch-all "
        f"({catch_all!r}); write a real option"]


def test_words_like_all_in_a_real_option_are_fine(tmp_path):
    qs = balanced("a")
    qs[0] = question_yaml("a-q1", ["Allow all traffic from the above subnet", *EVEN[1:]], "A")
    assert warnings(tmp_path, {"a.yaml": note_yaml("a", qs)}) == []


def test_repeated_options(tmp_path):
    qs = balanced("a")
    qs[3] = question_yaml("a-q4", [EVEN[0], EVEN[1], "use a  GATEWAY endpoint", EVEN[3]], "D")
    text = note_yaml("a", qs)
    line = line_of(text, "- id: a-q4")
    assert warnings(tmp_path, {"a.yaml": text}) == [
        f"a.yaml:{line}:5: warning: question 'a-q4': option A repeats another option",
        f"a.yaml:{line}:5: warning: question 'a-q4': option C repeats another option"]


# --------------------------------------------------------------------------- patterns across the deck

LONG = "Use a gateway endpoint and add its route to the private route table"


def test_correct_option_is_the_longest_in_most_questions(tmp_path):
    qs = [question_yaml("a-q1", [LONG, *EVEN[1:]], "A"),
          question_yaml("a-q2", [EVEN[0], LONG, *EVEN[2:]], "B"),
          question_yaml("a-q3", [*EVEN[:2], LONG, EVEN[3]], "C"),
          question_yaml("a-q4", EVEN, "D")]
    text = note_yaml("a", qs)
    line = line_of(text, "- id: a-q1")
    assert warnings(tmp_path, {"a.yaml": text}) == [
        f"a.yaml:{line}:5: warning: the correct option is the longest in 3 of 4 single-answer "
        "questions: length gives the answer away"]


def test_correct_option_longest_in_half_is_not_a_pattern(tmp_path):
    qs = [question_yaml("a-q1", [LONG, *EVEN[1:]], "A"),
          question_yaml("a-q2", [EVEN[0], LONG, *EVEN[2:]], "B"),
          question_yaml("a-q3", EVEN, "D"),
          # long but wrong: the longest option is not the answer
          question_yaml("a-q4", [*EVEN[:3], LONG], "C")]
    assert warnings(tmp_path, {"a.yaml": note_yaml("a", qs)}) == []


def test_correct_answers_cluster_on_one_letter(tmp_path):
    text = note_yaml("a", balanced("a", "BABBB"))
    line = line_of(text, "- id: a-q1")
    assert warnings(tmp_path, {"a.yaml": text}) == [
        f"a.yaml:{line}:5: warning: 4 of 5 single-answer questions have the answer on B: "
        "spread the correct letters"]


def test_clustering_counts_across_files(tmp_path):
    files = {"a.yaml": note_yaml("a", balanced("a", "AB")), "b.yaml": note_yaml("b", balanced("b", "AAC"))}
    assert warnings(tmp_path, files) == [
        "a.yaml:4:5: warning: 3 of 5 single-answer questions have the answer on A: "
        "spread the correct letters"]


def test_two_in_five_on_one_letter_is_not_a_cluster(tmp_path):
    assert warnings(tmp_path, {"a.yaml": note_yaml("a", balanced("a", "AABCD"))}) == []


def test_patterns_need_enough_questions(tmp_path):
    # three questions, all answered A by the longest option: too few to call it a pattern
    qs = [question_yaml(f"a-q{i}", [LONG, *EVEN[1:]], "A") for i in range(1, 4)]
    assert warnings(tmp_path, {"a.yaml": note_yaml("a", qs)}) == []


def test_multi_answer_questions_do_not_count_in_patterns(tmp_path):
    qs = balanced("a") + [question_yaml(f"a-m{i}", [LONG, LONG + "!", *EVEN[2:]], "AB")
                          for i in range(4)]
    assert warnings(tmp_path, {"a.yaml": note_yaml("a", qs)}) == []


# --------------------------------------------------------------------------- the command

def test_validate_strict_fails_on_warnings(tmp_path, capsys):
    folder, _ = load(tmp_path, {"a.yaml": note_yaml("a", balanced("a")),
                                "empty.yaml": note_yaml("empty", [])})
    assert main(["validate", str(folder)]) == 0  # not strict: warnings are not looked for
    capsys.readouterr()
    assert main(["validate", "--strict", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert out == f"{folder / 'empty.yaml'}:1:1: warning: note 'empty' has no question\n"
    assert "1 warning in 1 file" in err


def test_validate_strict_passes_clean_content(tmp_path, capsys):
    folder, _ = load(tmp_path, {"a.yaml": note_yaml("a", balanced("a"))})
    assert main(["validate", "--strict", str(folder)]) == 0
    assert "1 note, 4 questions" in capsys.readouterr().out


def test_bold_that_markdown_will_not_close(tmp_path):
    text = note_yaml("a", balanced("a")).replace(
        "title: Note a\n", "title: Note a\nkey_point: 관리형 정책 **`AWSLambdaVPCAccessExecutionRole`**에 있다\n")
    assert warnings(tmp_path, {"a.yaml": text}) == [
        "a.yaml:1:1: warning: note 'a': '**' that Markdown will not read as bold "
        "(e.g. **`code`** followed by a letter); the asterisks would show"]


def test_bold_that_closes_is_fine(tmp_path):
    text = note_yaml("a", balanced("a")).replace(
        "title: Note a\n", "title: Note a\nkey_point: 관리형 정책 **AWSLambdaVPCAccessExecutionRole**에 있다\n")
    assert warnings(tmp_path, {"a.yaml": text}) == []

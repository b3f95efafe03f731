"""Problems that do not stop content from loading: warnings, each at its ``path:line:col``.

A link (or ``see_also``) to a note that is not in the library and an option without a
``why`` are warnings: the note loads, ``studyvpc validate`` lists them and exits 0, and
``validate --strict`` fails on them. A folder without any content file is an error.
"""

from __future__ import annotations

import difflib
import random
import string

import pytest
from unit.test_loader_errors import d, run_validate, shown, write_files

from studyvpc.content.library import Library
from studyvpc.content.loader import load_library
from studyvpc.content.model import Note
from studyvpc.content.suggest import NameIndex

CASES: dict[str, tuple[dict[str, str], list[str]]] = {
    # Two notes of a vault that share an alias (or an alias that is another note's id):
    # links to it go to the first; nothing stops working, so it is a warning.
    "alias-is-another-notes-id": (
        {"a.yaml": "id: a\ntitle: A\n",
         "b.yaml": "id: b\ntitle: B\naliases: [x, A]\n"},
        ["b.yaml:3:14: warning: alias 'A' is already the id of the note at a.yaml:1:5; "
         "links to it go to that note"],
    ),
    "alias-shared-by-two-notes": (
        {"a.yaml": "id: a\ntitle: A\naliases: [vpc]\n",
         "b.yaml": "id: b\ntitle: B\naliases: [VPC]\n"},
        ["b.yaml:3:11: warning: alias 'VPC' is already an alias of note 'a' (at a.yaml:3:11); "
         "links to it go to that note"],
    ),
    "option-without-why": (
        {"n.yaml": d("""
            id: n1
            title: T
            questions:
              - id: q1
                stem: S
                options:
                  - key: A
                    text: the right one
                    correct: true
                  - {key: B, text: b, why: w}
                  - {key: C, text: c, why: ""}
        """)},
        ["n.yaml:7:9: warning: option A has no why: the quiz will say that no explanation was "
         "written for it (add `why:` to explain it)",
         "n.yaml:11:32: warning: option C has no why…"],
    ),
    "links-that-resolve-to-nothing": (
        {"a.yaml": d("""
            id: a
            title: A
            aliases: [Alpha]
            key_point: 한국어 문장 [[missing-one]] 그리고 [[ALPHA]]
            sections:
              - title: 섹션
                body: |
                  첫 줄입니다.
                  둘째 줄에 링크 [[nowhere|이름]] 와 [[b#detail]] 가 있다.
                  셋째 줄: [[nowhere]] 다시.
            see_also: [b, ghost]
            questions:
              - id: q1
                stem: "Which one? See [[gone]]."
                options:
                  - {key: A, text: a, correct: true, why: "Because [[gone#x|that]]."}
                  - {key: B, text: b, why: w}
        """),
         "b.yaml": "id: b\ntitle: B\n"},
        ["a.yaml:4:19: warning: link [[missing-one]] resolves to no note",
         "a.yaml:9:16: warning: link [[nowhere]] resolves to no note",
         "a.yaml:10:13: warning: link [[nowhere]] resolves to no note",
         "a.yaml:11:15: warning: see_also entry [[ghost]] resolves to no note",
         "a.yaml:14:27: warning: link [[gone]] resolves to no note",
         "a.yaml:16:56: warning: link [[gone]] resolves to no note"],
    ),
    "link-with-suggestion": (
        {"a.yaml": "id: lambda-vpc\ntitle: A\nsee_also: [lambda-vcp]\n"},
        ["a.yaml:3:12: warning: see_also entry [[lambda-vcp]] resolves to no note "
         "(did you mean 'lambda-vpc'?)"],
    ),
}


def matches(actual: list[str], expected: list[str]) -> None:
    assert len(actual) == len(expected), "\n".join(actual)
    for got, want in zip(actual, expected):
        assert got.startswith(want[:-1]) if want.endswith("…") else got == want, got


@pytest.mark.parametrize("case", sorted(CASES))
def test_warnings_are_located_and_the_notes_load(case, tmp_path):
    files, expected = CASES[case]
    folder = write_files(tmp_path / case, files)
    result = load_library([folder])
    matches([shown(str(e), folder) for e in result.errors], expected)
    assert result.ok
    assert all(e.severity == "warning" for e in result.errors)
    assert result.library.note_count == len(files)
    assert [q.id for q in result.library.questions] == (["q1"] if "questions:" in str(files) else [])


def test_an_option_without_a_why_keeps_an_empty_why(tmp_path):
    folder = write_files(tmp_path / "c", CASES["option-without-why"][0])
    q = load_library([folder]).library.question("q1")
    assert [(o.key, o.why) for o in q.options] == [("A", ""), ("B", "w"), ("C", "")]


@pytest.mark.parametrize("case", sorted(CASES))
def test_validate_lists_warnings_and_passes_unless_strict(case, tmp_path):
    files, expected = CASES[case]
    folder = write_files(tmp_path / case, files)
    proc = run_validate(str(folder), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    matches([shown(line, folder) for line in lines[:-1] if not line.startswith("tags:")], expected)
    n = len(expected)
    assert f"{n} warning{'s' * (n != 1)} (--strict fails on them)" in proc.stdout
    strict = run_validate("--strict", str(folder), cwd=tmp_path)
    assert strict.returncode == 1
    assert "Traceback" not in strict.stderr
    assert "warning" in strict.stderr and "error" not in strict.stderr


def test_a_folder_without_content_is_an_error_not_ok(tmp_path):
    vault = tmp_path / "vault"
    (vault / "sub").mkdir(parents=True)
    (vault / "readme.txt").write_text("not a note", encoding="utf-8")
    result = load_library([vault])
    assert not result.ok
    assert [str(e) for e in result.errors] == [
        f"{vault}:1:1: no content file (*.yaml, *.yml, *.md, *.markdown) in this folder or below it"]
    proc = run_validate(str(vault), cwd=tmp_path)
    assert proc.returncode == 1
    assert "ok:" not in proc.stdout and "no content file" in proc.stdout


# --------------------------------------------------------------------------- the suggester

def _names(rng: random.Random, n: int) -> list[str]:
    words = ["vpc", "endpoint", "lambda", "s3", "bucket", "policy", "nat", "gateway", "kms",
             "security", "group", "flow", "logs", "privatelink", "route", "table"]
    return list(dict.fromkeys("-".join(rng.sample(words, rng.randint(2, 4))) for _ in range(n)))


def _typo(rng: random.Random, name: str) -> str:
    i = rng.randrange(len(name))
    return name[:i] + rng.choice(string.ascii_lowercase) + name[i + 1:]


def test_suggestions_agree_with_difflib_on_typos():
    rng = random.Random(3)
    names = _names(rng, 300)
    index = NameIndex(names)
    targets = [_typo(rng, rng.choice(names)) for _ in range(200)]
    agree = 0
    for t in targets:
        want = difflib.get_close_matches(t, names, n=1, cutoff=0.6)
        got = index.suggest(t)
        assert got is None or difflib.SequenceMatcher(None, got, t).ratio() >= 0.6
        agree += got == (want[0] if want else None)
    assert agree >= 190, agree  # the same hint nearly always (ties may go another way)


def test_suggest_finds_names_and_aliases_case_insensitively():
    lib = Library((Note("vpc-endpoint-policies", "T", aliases=("endpoint-policy",)),
                   Note("security-groups-vs-nacls", "T")))
    assert lib.suggest("VPC-Endpoint-Policy") == "vpc-endpoint-policies"
    assert lib.suggest("security-group-vs-nacl") == "security-groups-vs-nacls"
    assert lib.suggest("endpoint-polcy") == "endpoint-policy"
    assert lib.suggest("완전히 다른 이름") is None
    assert lib.suggest("") is None


def test_suggest_compares_a_target_with_few_names(monkeypatch):
    """The point of the index: a target is compared with at most a handful of names."""
    rng = random.Random(5)
    names = _names(rng, 2000)
    index = NameIndex(names)
    compared = []
    real = difflib.SequenceMatcher.set_seq1

    def counting(self, a):
        compared.append(a)
        return real(self, a)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counting)
    targets = [_typo(rng, rng.choice(names)) + "x" for _ in range(100)]
    for t in targets:
        index.suggest(t)
        index.suggest(t)  # the same target again: remembered
    assert len([a for a in compared if a]) <= 100 * 8  # (the constructor sets an empty one)

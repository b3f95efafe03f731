"""Every kind of content error the loader reports, each at its exact ``path:line:col``.

Each case is a small set of files written to ``tmp_path`` and the exact list of problems the
loader must report for it, in order (paths shown relative to the fixture folder). An expected
entry ending in "…" is a prefix (used where libyaml and the pure-Python parser word a syntax
error differently, and for long messages). The in-process tests run with both parsers; the
command-line tests run ``studyvpc validate`` on every case and check the exit status, that the
errors are on stdout, and that there is never a traceback: in-process through the command's
``main`` (an exception there fails the test as a traceback would), and through a real
``python -m studyvpc`` for the special cases below.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from support.shared import SEED_ORIGINAL

from studyvpc.content import yamlnodes as yn
from studyvpc.content.loader import load_library
from studyvpc.content.results import MAX_FILE_BYTES
from studyvpc.ui.cli.main import main


def d(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


# Two options, one correct: the smallest valid question body, for cases about something else.
OK_OPTIONS = """\
    options:
      - {key: A, text: yes it is, correct: true, why: 맞다}
      - {key: B, text: no it is not, why: 틀리다}
"""

BILLION_LAUGHS = d("""
    a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
""")

TAG_ALLOWED = "is not allowed: content is plain data (text, lists, mappings)"

CASES: dict[str, tuple[dict[str, str | bytes], list[str]]] = {
    # ---------------------------------------------------------------- YAML itself
    "yaml-syntax-error": (
        {"n.yaml": "id: n1\ntitle: 제목: 문제\n"},
        # the second ': ' (after two Hangul syllables: columns count characters, not bytes)
        ["n.yaml:2:10: YAML syntax error: mapping values are not allowed…"],
    ),
    "yaml-unclosed-flow": (
        {"n.yaml": "id: n1\ntitle: T\ntags: [a, b\n"},
        ["n.yaml:4:1: YAML syntax error: while parsing a flow sequence…"],
    ),
    "empty-file": ({"n.yaml": ""}, ["n.yaml:1:1: the file is empty"]),
    "only-comments": ({"n.yaml": "# nothing yet\n\n"}, ["n.yaml:1:1: the file is empty"]),
    "two-documents": (
        {"n.yaml": "id: a\ntitle: A\n---\nid: b\ntitle: B\n"},
        ["n.yaml:3:1: a second YAML document starts here (a line '---'); a content file holds "
         "exactly one document: one note"],
    ),
    "not-utf8": (
        {"n.yaml": "id: n1\ntitle: café au lait\n".encode("latin-1")},
        ["n.yaml:2:11: not valid UTF-8 (byte 0xe9); save the file as UTF-8"],
    ),
    "not-utf8-after-bom": (  # the BOM is invisible in an editor: it must not shift the column
        {"n.yaml": b"\xef\xbb\xbf" + "id: n1\ntitle: café\n".encode("latin-1")},
        ["n.yaml:2:11: not valid UTF-8 (byte 0xe9); save the file as UTF-8"],
    ),
    "control-character": (
        {"n.yaml": "id: n1\ntitle: 한국어\x01제목\n"},
        ["n.yaml:2:11: character U+0001 (a control character) is not allowed in a content file…"],
    ),
    "python-tag": (
        {"n.yaml": 'id: n1\ntitle: T\nkey_point: !!python/object/apply:os.system ["echo hi"]\n'},
        [f"n.yaml:3:12: YAML tag '!!python/object/apply:os.system' {TAG_ALLOWED}"],
    ),
    "local-tag": (
        {"n.yaml": "id: n1\ntitle: !include other.yaml\n"},
        [f"n.yaml:2:8: YAML tag '!include' {TAG_ALLOWED}"],
    ),
    "billion-laughs": (
        {"n.yaml": BILLION_LAUGHS},
        # `f` is the first anchor whose expansion (9**6 lists) crosses the limit
        ["n.yaml:6:4: this expands to more than 200,000 nodes through aliases "
         "(an alias-expansion bomb?); refused"],
    ),
    "recursive-alias-list": (
        {"n.yaml": "id: n1\ntitle: &x [*x]\n"},
        ["n.yaml:2:8: recursive alias: a node contains itself"],
    ),
    "recursive-alias-mapping": (
        {"n.yaml": "id: n1\ntitle: T\nkey_point: &m {a: b, c: *m}\n"},
        ["n.yaml:3:12: recursive alias: a node contains itself"],
    ),
    # ---------------------------------------------------------------- keys and types
    "unknown-key-did-you-mean": (
        {"n.yaml": d("""
            id: n1
            title: T
            questions:
              - id: q1
                stem: S
                optoins: []
        """) + OK_OPTIONS},
        ["n.yaml:6:5: unknown key 'optoins' in a question (did you mean 'options'?)"],
    ),
    "unknown-key-no-close-match": (
        {"n.yaml": "id: n1\ntitle: T\ncolour: red\n"},
        ["n.yaml:3:1: unknown key 'colour' in a note; allowed: id, title, aliases, tags, …"],
    ),
    "duplicate-key": (
        {"n.yaml": "id: n1\ntitle: T\ntitle: U\n"},
        ["n.yaml:3:1: duplicate key 'title' in a note (first given on line 2)"],
    ),
    "list-where-text-expected": (
        {"n.yaml": "id: n1\ntitle: [a, b]\n"},
        ["n.yaml:2:8: title must be text, not a list"],
    ),
    "mapping-where-list-expected": (
        {"n.yaml": "id: n1\ntitle: T\ntags: {service: lambda}\n"},
        ["n.yaml:3:7: tags must be a list, not a mapping"],
    ),
    "text-where-mapping-expected": (
        {"n.yaml": "id: n1\ntitle: T\nsections:\n  - just a sentence\n"},
        ["n.yaml:4:5: a section must be a mapping (key: value), not text"],
    ),
    "correct-maybe": (
        {"n.yaml": d("""
            id: n1
            title: T
            questions:
              - id: q1
                stem: S
                options:
                  - {key: A, text: a, correct: maybe, why: w}
                  - {key: B, text: b, why: w}
        """)},
        # and nothing about "no option is marked correct": that is not known
        ["n.yaml:7:36: correct must be true or false, not text 'maybe'"],
    ),
    "choose-not-a-number": (
        {"n.yaml": d("""
            id: n1
            title: T
            questions:
              - id: q1
                stem: S
                choose: two
        """) + OK_OPTIONS},
        ["n.yaml:6:13: choose must be a whole number, not text 'two'"],
    ),
    "bad-date": (
        {"n.yaml": "id: n1\ntitle: T\ncreated: 2025-13-45\n"},
        ["n.yaml:3:10: created must be a date like 2025-08-20, not '2025-13-45'"],
    ),
    # ---------------------------------------------------------------- required fields
    "note-without-id": (
        {"n.yaml": "title: T\n"},
        ["n.yaml:1:1: a note is missing the required key 'id'"],
    ),
    "note-without-title": (
        {"n.yaml": "id: n1\n"},
        ["n.yaml:1:1: a note is missing the required key 'title'"],
    ),
    "question-without-stem-and-options": (
        {"n.yaml": d("""
            id: n1
            title: T
            questions:
              - id: q1
                explanation: E
        """)},
        ["n.yaml:4:5: a question is missing the required key 'stem'",
         "n.yaml:4:5: a question is missing the required key 'options'"],
    ),
    "questions-checked-even-without-note-id": (
        {"n.yaml": d("""
            title: T
            questions:
              - id: q1
                stem: S
                optoins: []
        """) + OK_OPTIONS},
        ["n.yaml:1:1: a note is missing the required key 'id'",
         "n.yaml:5:5: unknown key 'optoins' in a question (did you mean 'options'?)"],
    ),
    # ---------------------------------------------------------------- questions and options
    "no-correct-option": (
        {"n.yaml": d("""
            id: n1
            title: T
            questions:
              - id: q1
                stem: S
                options:
                  - {key: A, text: a, why: w}
                  - {key: B, text: b, why: w}
        """)},
        ["n.yaml:7:7: no option is marked correct: true"],
    ),
    "two-correct-without-choose": (
        {"n.yaml": d("""
            id: n1
            title: T
            questions:
              - id: q1
                stem: S
                options:
                  - {key: A, text: a, correct: true, why: w}
                  - {key: B, text: b, correct: true, why: w}
                  - {key: C, text: c, why: w}
        """)},
        ["n.yaml:7:7: 2 options are marked correct, but the question is not multi-answer "
         "(add 'choose: 2' if learners must pick 2)"],
    ),
    "choose-2-with-one-correct": (
        {"n.yaml": d("""
            id: n1
            title: T
            questions:
              - id: q1
                stem: S
                choose: 2
                options:
                  - {key: A, text: a, correct: true, why: w}
                  - {key: B, text: b, why: w}
                  - {key: C, text: c, why: w}
        """)},
        ["n.yaml:6:13: choose is 2, but 1 option(s) are marked correct"],
    ),
    "one-option": (
        {"n.yaml": d("""
            id: n1
            title: T
            questions:
              - id: q1
                stem: S
                options:
                  - {key: A, text: a, correct: true, why: w}
        """)},
        ["n.yaml:7:7: a question needs at least two options"],
    ),
    "duplicate-option-keys": (
        {"n.yaml": d("""
            id: n1
            title: T
            questions:
              - id: q1
                stem: S
                options:
                  - {key: A, text: a, correct: true, why: w}
                  - {key: A, text: b, why: w}
                  - {key: C, text: c, why: w}
        """)},
        ["n.yaml:8:15: duplicate option key 'A' (first on line 7)"],
    ),
    "option-keys-out-of-order": (
        {"n.yaml": d("""
            id: n1
            title: T
            questions:
              - id: q1
                stem: S
                options:
                  - {key: A, text: a, correct: true, why: w}
                  - {key: C, text: c, why: w}
        """)},
        ["n.yaml:8:15: option key 'C' is out of order: option 2 is 'B' (keys go A, B, C… in the "
         "order written)"],
    ),
    # ---------------------------------------------------------------- across files
    "duplicate-note-id": (
        {"a.yaml": "id: same\ntitle: A\n",
         "b.yaml": "title: B\nid: same\n"},
        ["b.yaml:2:5: duplicate note id 'same' (first defined at a.yaml:1:5)"],
    ),
    "duplicate-question-id": (
        {"a.yaml": "id: a\ntitle: A\nquestions:\n  - id: shared-q\n    stem: S\n" + OK_OPTIONS,
         # the id is not the question's first key: the error points at the id itself
         "b.yaml": "id: b\ntitle: B\nquestions:\n  - stem: S\n    id: shared-q\n" + OK_OPTIONS},
        ["b.yaml:5:9: duplicate question id 'shared-q' (first defined at a.yaml:4:9)"],
    ),
    "links-to-a-broken-note-are-not-a-cascade": (
        {"a.yaml": "id: broken\nkey_point: no title\n",
         "b.yaml": "id: unparsable\ntitle: [oops\n",
         "c.yaml": "id: c\ntitle: C\nsee_also: [broken, unparsable]\n"},
        ["a.yaml:1:1: a note is missing the required key 'title'",
         "b.yaml:3:1: YAML syntax error: while parsing a flow sequence…"],
    ),
    "errors-in-every-file-in-one-run": (
        {"a.yaml": "id: a\ntitle: A\nkey_ponit: x\n",
         "b.yaml": "id: b\ntitle: [B\n",
         "c.yaml": "id: c\ntitle: C\ntags: service/lambda\ncreated: yesterday\n"},
        ["a.yaml:3:1: unknown key 'key_ponit' in a note (did you mean 'key_point'?)",
         "b.yaml:3:1: YAML syntax error: while parsing a flow sequence…",
         "c.yaml:3:7: tags must be a list, not text",
         "c.yaml:4:10: created must be a date like 2025-08-20, not 'yesterday'"],
    ),
}


# --------------------------------------------------------------------------- helpers

def write_files(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def shown(text: str, folder: Path) -> str:
    return text.replace(f"{folder}{os.sep}", "")


def reported(folder: Path) -> list[str]:
    result = load_library([folder])
    return [shown(str(e), folder) for e in result.errors]


def assert_matches(actual: list[str], expected: list[str]) -> None:
    assert len(actual) == len(expected), "\n".join(actual)
    for got, want in zip(actual, expected):
        if want.endswith("…"):
            assert got.startswith(want[:-1]), got
        else:
            assert got == want


@pytest.fixture(params=["libyaml", "pure"])
def parser(request, monkeypatch):
    """Run a test with libyaml's C parser, then with the pure-Python one."""
    if request.param == "libyaml":
        if not hasattr(yaml, "CSafeLoader"):
            pytest.skip("PyYAML was built without libyaml")
        monkeypatch.setattr(yn, "_Loader", yaml.CSafeLoader)
    else:
        monkeypatch.setattr(yn, "_Loader", yaml.SafeLoader)
    return request.param


def run_validate(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STUDYVPC_DATA_DIR": str(cwd / "data")}
    env.pop("STUDYVPC_CONTENT", None)
    return subprocess.run([sys.executable, "-m", "studyvpc", "validate", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, env=env)


# --------------------------------------------------------------------------- the cases

@pytest.mark.parametrize("case", sorted(CASES))
def test_error_is_reported_at_its_node(case, parser, tmp_path):
    files, expected = CASES[case]
    folder = write_files(tmp_path / case, files)
    assert_matches(reported(folder), expected)


@pytest.mark.parametrize("case", sorted(CASES))
def test_validate_exits_1_with_the_errors_on_stdout_and_no_traceback(case, tmp_path, monkeypatch,
                                                                      capsys):
    files, expected = CASES[case]
    folder = write_files(tmp_path / case, files)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STUDYVPC_CONTENT", raising=False)
    code = main(["validate", str(folder)])  # raises, and fails the test, where a traceback would
    out, err = capsys.readouterr()
    assert code == 1, out + err
    assert "Traceback" not in err
    assert_matches([shown(line, folder) for line in out.splitlines()], expected)


# --------------------------------------------------------------------------- special cases

def test_object_building_tags_are_never_run(parser, tmp_path, capfd):
    marker = tmp_path / "pwned"
    folder = write_files(tmp_path / "c", {
        "echo.yaml": 'id: n1\ntitle: T\nkey_point: !!python/object/apply:os.system ["echo hi"]\n',
        "touch.yaml": f'id: n2\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n',
        "new.yaml": f'id: n3\ntitle: !!python/object/new:subprocess.check_call [["touch", "{marker}"]]\n',
    })
    errors = reported(folder)
    assert [e.split(": ", 1)[0] for e in errors] == ["echo.yaml:3:12", "new.yaml:2:8", "touch.yaml:2:8"]
    assert all(TAG_ALLOWED in e for e in errors)
    assert not marker.exists()
    out, err = capfd.readouterr()
    assert "hi" not in out.split()
    proc = run_validate(str(folder), cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "hi" not in proc.stdout.split()
    assert not marker.exists()


def test_file_over_the_size_limit_is_refused_unread(parser, tmp_path):
    folder = tmp_path / "big"
    folder.mkdir()
    path = folder / "n.yaml"
    head = "id: n1\ntitle: T\n"
    # a valid document: the size alone is the problem
    path.write_text(head + "#" * (MAX_FILE_BYTES + 1 - len(head) - 1) + "\n", encoding="utf-8")
    size = path.stat().st_size
    assert size == MAX_FILE_BYTES + 1
    assert reported(folder) == [f"n.yaml:1:1: file is {size:,} bytes; the limit is 2,097,152 "
                                "(split the note)"]
    proc = run_validate(str(folder), cwd=tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert shown(proc.stdout, folder).startswith("n.yaml:1:1: file is 2,097,153 bytes")


def test_file_at_the_size_limit_is_read(tmp_path):
    folder = tmp_path / "at-limit"
    folder.mkdir()
    head = "id: n1\ntitle: T\n"
    (folder / "n.yaml").write_text(head + "#" * (MAX_FILE_BYTES - len(head) - 1) + "\n",
                                   encoding="utf-8")
    result = load_library([folder])
    assert result.ok, result.errors
    assert [n.id for n in result.library.notes] == ["n1"]


def test_deep_nesting_is_refused_without_a_traceback(parser, tmp_path):
    folder = write_files(tmp_path / "deep", {
        "flow.yaml": "id: n1\ntitle: " + "[" * 50_000 + "]" * 50_000 + "\n",
        "block.yaml": "id: n2\ntitle:\n" + "".join(" " * i + "- \n" for i in range(1, 1500)),
    })
    errors = reported(folder)
    assert len(errors) == 2, errors
    assert errors[0].startswith("block.yaml:") and errors[1].startswith("flow.yaml:2:")
    assert all("nest" in e for e in errors), errors


def test_seed_bytes_in_a_windows_code_page_are_located(parser, tmp_path):
    """The damaged seed's text saved as cp1254 is not UTF-8: the first bad byte is located."""
    data = SEED_ORIGINAL.read_text(encoding="utf-8").encode("cp1254")
    with pytest.raises(UnicodeDecodeError) as bad:
        data.decode("utf-8")
    assert data[bad.value.start] == 0xF0
    folder = write_files(tmp_path / "cp", {"note.yaml": data, "bom.yaml": b"\xef\xbb\xbf" + data})
    # line 18 is "## " followed by the code-page form of the 🎯 emoji
    assert reported(folder) == [
        "bom.yaml:18:4: not valid UTF-8 (byte 0xf0); save the file as UTF-8",
        "note.yaml:18:4: not valid UTF-8 (byte 0xf0); save the file as UTF-8",
    ]


def test_damaged_seed_markdown_loaded_as_a_note_gives_located_errors(parser, tmp_path):
    text = SEED_ORIGINAL.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "---" and lines[13] == "---"  # front matter, then the Markdown body
    folder = write_files(tmp_path / "md", {
        "as-is.yaml": text,
        # without the front-matter fences: the Markdown body is not YAML at all
        "no-fences.yaml": text.replace("---\n", "", 2),
    })
    errors = reported(folder)
    # each file: its structural error, and its garbled Korean, line by line (5 shown, then a count)
    garbled = "garbled text: UTF-8 that was read as Windows-1252/1254 (mojibake): "
    assert errors[0] == ("as-is.yaml:14:1: a second YAML document starts here (a line '---'); "
                         "a content file holds exactly one document: one note")
    assert errors[1] == (f"as-is.yaml:16:22: {garbled}'ë¥¼ í†µí•œ S3 ë³´ì•ˆ ì—°ê²°' was meant to "
                         "read '를 통한 S3 보안 연결'; save the note again from its original UTF-8 "
                         "text, or retype these words")
    assert [e.split(": ")[0] for e in errors[2:6]] == [
        "as-is.yaml:18:4", "as-is.yaml:20:1", "as-is.yaml:22:4", "as-is.yaml:24:17"]
    assert errors[5].endswith("(50 more garbled lines in this file)")
    no_fences = [e for e in errors if e.startswith("no-fences.yaml")]
    assert no_fences[0].startswith("no-fences.yaml:14:22: " + garbled)  # line 16, two '---' fewer
    assert any(e.startswith("no-fences.yaml:20:1: YAML syntax error: while scanning a simple key")
               for e in no_fences)
    assert len(errors) == 12


def test_validate_on_the_damaged_seed_markdown(tmp_path):
    """Read as the Markdown note it is: repaired, with a located warning per damaged line."""
    proc = run_validate(str(SEED_ORIGINAL), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout.startswith(f"{SEED_ORIGINAL}:16:22: warning: garbled text")
    assert "ok: 1 file, 1 note, 1 question" in proc.stdout
    strict = run_validate("--strict", str(SEED_ORIGINAL), cwd=tmp_path)
    assert strict.returncode == 1 and "Traceback" not in strict.stderr


GOOD = {
    "a.yaml": d("""
        id: a
        title: 노트 A
        tags: [service/s3]
        see_also: [b]
        questions:
          - id: a-q1
            stem: Which?
            options:
              - {key: A, text: this one, correct: true, why: 맞다}
              - {key: B, text: that one, why: 틀리다}
          - id: a-q2
            stem: Which two?
            choose: 2
            options:
              - {key: A, text: one, correct: true, why: 맞다}
              - {key: B, text: two, correct: true, why: 맞다}
              - {key: C, text: three, why: 틀리다}
    """),
    "b.yaml": d("""
        id: b
        title: 노트 B
        key_point: "[[a]]를 보라"
        questions:
          - id: b-q1
            stem: Which?
            options:
              - {key: A, text: this one, why: 틀리다}
              - {key: B, text: that one, correct: true, why: 맞다}
    """),
}


def test_good_content_loads_without_errors(parser, tmp_path):
    result = load_library([write_files(tmp_path / "good", GOOD)])
    assert result.ok and result.errors == []
    assert [n.id for n in result.library.notes] == ["a", "b"]
    assert [q.id for q in result.library.questions] == ["a-q1", "a-q2", "b-q1"]


def test_validate_exits_0_with_the_summary_on_good_content(tmp_path):
    proc = run_validate(str(write_files(tmp_path / "good", GOOD)), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "2 notes, 3 questions (1 multi-answer)" in proc.stdout
    assert proc.stderr == ""


def test_every_problem_in_every_file_is_reported_in_one_run(tmp_path):
    """Two bad files in one folder: errors from both, and several from the same file."""
    files = {**CASES["errors-in-every-file-in-one-run"][0], **CASES["no-correct-option"][0]}
    folder = write_files(tmp_path / "many", files)
    errors = reported(folder)
    assert {e.split(":", 1)[0] for e in errors} == {"a.yaml", "b.yaml", "c.yaml", "n.yaml"}
    assert len(errors) == 5
    proc = run_validate(str(folder), cwd=tmp_path)
    assert proc.returncode == 1
    assert [shown(x, folder) for x in proc.stdout.splitlines()] == errors
    assert "5 errors in 4 files" in proc.stderr


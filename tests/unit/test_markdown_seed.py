"""The seed note read straight from Markdown is its hand-made YAML twin, and loses nothing.

`content/lambda-vpc-s3-security.yaml` was written by hand from the seed note; it then gained
caveats, references, a difficulty, question tags, an explanation and more to each why, none
of which are in the seed. Every part that *is* in the seed must come out of the Markdown
reader exactly as the YAML has it.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from support.shared import SEED_NOTE, SEED_ORIGINAL

from studyvpc.content.loader import load_library
from studyvpc.content.model import Note, question_texts

ROOT = Path(__file__).resolve().parents[2]
TWIN = ROOT / "content" / "lambda-vpc-s3-security.yaml"


def norm(text: str) -> str:
    return " ".join(text.split())


def read_alone(path: Path, tmp_path: Path, name: str | None = None):
    folder = tmp_path / "vault"
    folder.mkdir(exist_ok=True)
    shutil.copy(path, folder / (name or path.name))
    return load_library([folder])


@pytest.fixture(scope="module")
def twin() -> Note:
    return load_library([TWIN.parent]).library.note("lambda-vpc-s3-security")


@pytest.fixture(params=["read", "imported"])
def seed(request, tmp_path) -> Note:
    """The seed note read from Markdown, or imported (`studyvpc import`) and read from YAML."""
    result = read_alone(SEED_NOTE, tmp_path)
    assert result.ok
    # The only warning: option A (the answer) is not explained in the seed.
    assert [e.message.split(":")[0] for e in result.errors] == ["question 1"]
    assert "option A has no explanation" in result.errors[0].message
    if request.param == "read":
        return result.library.notes[0]
    from studyvpc.interop.notes_import import import_notes

    report = import_notes([tmp_path / "vault"], tmp_path / "deck")
    assert [p.name for p in report.new] == ["lambda-vpc-s3-security.yaml"]
    imported = load_library([tmp_path / "deck"])
    assert imported.ok and len(imported.errors) == 1  # the same warning, on the YAML now
    return imported.library.notes[0]


def test_the_seed_is_its_yaml_twin_field_by_field(seed, twin):
    for name in ("id", "title", "aliases", "tags", "created", "modified", "flow",
                 "layers_title", "layers", "tradeoffs_title", "tradeoffs", "concepts_title",
                 "concepts", "scenarios_title", "scenarios"):
        assert getattr(seed, name) == getattr(twin, name), name
    assert seed.key_point.strip() == twin.key_point.strip()
    assert [(s.title, s.body.strip()) for s in seed.sections] == [
        (s.title, s.body.strip()) for s in twin.sections]
    # The arrow labels sit on the step each arrow leads into; both options' pros and cons.
    assert [s.arrow for s in seed.flow.steps] == ["", "", "실시간 ML 처리", "AWS 백본 네트워크"]
    assert [t.option for t in seed.tradeoffs] == ["VPC Endpoint", "대안 (퍼블릭 연결)"]
    assert [layer.name for layer in seed.layers] == ["네트워크 레이어", "권한 레이어"]
    (q,), (t,) = seed.questions, twin.questions
    assert (q.id, q.choose, q.note_id, q.tags) == (t.id, t.choose, t.note_id, seed.tags)
    assert norm(q.stem) == norm(t.stem)
    assert [(o.key, o.text, o.correct) for o in q.options] == [
        (o.key, o.text, o.correct) for o in t.options]
    assert q.correct_keys == {"A"}
    # B-D: the seed's why is the first paragraph of the twin's (which adds more after it).
    for mine, theirs in zip(q.options[1:], t.options[1:]):
        assert mine.why and norm(mine.why) == norm(theirs.why.split("\n\n")[0]), mine.key
    assert q.option("B").why.startswith("KMS 암호화 - Lambda 코드 자체는")
    assert q.option("A").why == ""  # not in the seed; the twin's was written by hand


# --------------------------------------------------------------------------- nothing lost

_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+|>\s*)")
_EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]")
# Labels of the template that say where a part is, not what it says.
_LABELS = re.compile(r"^(?:Question:|Options:|추가 설명:|Option [A-Z] |[A-Z]\)\s*)")
_ANSWER = re.compile(r"^정답:\s*([A-Z])\)\s*(.*)$")
_SIDE = re.compile(r"^(.+) (장점|단점)$")
# Headings that name a field of the note rather than say something.
_FIELDS = {"핵심 포인트": "key_point", "설명": "sections", "주요개념": "concepts",
           "관련 문제": "questions"}


def seed_pieces(path: Path) -> list[tuple[int, str, str]]:
    """(line, kind, text) for every sentence of the note's body and each frontmatter value.

    kind: "text" must be found in the note's text; "field" is a heading that names a field
    (which must not be empty); "side" is a trade-off label ("X 장점": X has pros); "answer"
    names the correct option ("정답: A) text").
    """
    lines = path.read_text(encoding="utf-8").split("\n")
    end = lines.index("---", 1)
    out = []
    for i, line in enumerate(lines[1:end], 2):
        m = re.match(r"^\s*(?:-\s+)?(?:\w+:\s*)?(.*)$", line)
        for value in re.split(r'[\[\]",]', m.group(1)):
            if value.strip():
                out.append((i, "text", value.strip()))
    for i, raw in enumerate(lines[end + 1:], end + 2):
        s = _EMOJI.sub("", raw).strip()
        s = _MARKUP.sub("", s).replace("**", "").replace("`", "").strip()
        if not s or set(s) <= set("-`↓ "):
            continue
        s = re.sub(r"^↓\s*\((.*)\)$", r"\1", s)
        if _ANSWER.match(s):
            out.append((i, "answer", s))
            continue
        if s.rstrip(":") in _FIELDS:
            out.append((i, "field", s.rstrip(":")))
            continue
        if _SIDE.match(s.rstrip(":")):
            out.append((i, "side", s.rstrip(":")))
            continue
        for sentence in re.split(r"(?<=[.?!])\s+", s):
            for piece in re.split(r"\s+-\s+|:\s+", _LABELS.sub("", sentence)):
                piece = piece.strip(" :()")
                if piece:
                    out.append((i, "text", piece))
    return out


def corpus(note: Note) -> str:
    parts = [note.id, *note.texts(), str(note.created), str(note.modified)]
    for q in note.questions:
        parts += question_texts(q)
    return norm("\n".join(parts))


def lost(note: Note, pieces: list[tuple[int, str, str]]) -> list[str]:
    """The pieces of the seed that are not in ``note``."""
    text = corpus(note)
    options = {t.option: t for t in note.tradeoffs}
    out = []
    for i, kind, piece in pieces:
        if kind == "text":
            ok = norm(piece) in text
        elif kind == "field":
            ok = bool(getattr(note, _FIELDS[piece]))
        elif kind == "side":
            option, side = _SIDE.match(piece).groups()
            ok = option in options and bool(options[option].pros if side == "장점"
                                            else options[option].cons)
        else:
            key, answer = _ANSWER.match(piece).groups()
            ok = any(o.key == key and o.correct and norm(o.text) == norm(answer)
                     for q in note.questions for o in q.options)
        if not ok:
            out.append(f"line {i} ({kind}): {piece}")
    return out


def test_every_sentence_of_the_seed_lands_in_the_note(seed):
    pieces = seed_pieces(SEED_NOTE)
    assert len(pieces) >= 85 and {k for _, k, _ in pieces} == {"text", "field", "side", "answer"}
    assert lost(seed, pieces) == []


def test_the_check_fails_when_something_is_dropped(seed):
    """The nothing-lost check can fail: a sentence, a side, the answer, each is missed."""
    pieces = seed_pieces(SEED_NOTE)
    fields = {f: getattr(seed, f) for f in Note.__struct_fields__}
    no_section = Note(**{**fields, "sections": ()})
    assert any("데이터 탈취나 중간자 공격" in m for m in lost(no_section, pieces))
    one_side = Note(**{**fields, "tradeoffs": seed.tradeoffs[:1]})
    assert any("대안 (퍼블릭 연결) 장점" in m for m in lost(one_side, pieces))
    assert any("(answer)" in m for m in lost(Note(**{**fields, "questions": ()}), pieces))


# --------------------------------------------------------------------------- damaged encoding

def test_the_damaged_seed_is_repaired_with_a_warning_per_damaged_line(tmp_path):
    result = read_alone(SEED_ORIGINAL, tmp_path, "lambda-vpc-s3-security.md")
    assert result.ok
    damaged = [i for i, (a, b) in enumerate(zip(
        SEED_ORIGINAL.read_text(encoding="utf-8").split("\n"),
        SEED_NOTE.read_text(encoding="utf-8").split("\n")), 1) if a != b]
    garbled = [e for e in result.errors if "garbled text" in e.message]
    assert [e.location.line for e in garbled] == damaged
    assert all(e.severity == "warning" for e in garbled)
    note = result.library.notes[0]
    assert note.title == "Lambda VPC Endpoint를 통한 S3 보안 연결"  # every byte survived here
    assert "\ufffd" in note.layers_title  # '레이어' lost a byte for good: shown, not guessed
    lost = [e for e in garbled if "lost for good" in e.message]
    assert lost and len(lost) < len(garbled)
    # The parts are still found where the template's words survived.
    assert note.flow is not None and len(note.flow.steps) == 4
    assert note.questions and note.questions[0].correct_keys == {"A"}

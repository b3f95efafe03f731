"""Markdown notes imported as YAML content files: the same notes back, idempotent, and a file
edited by hand is not overwritten without --force."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.markdown import SNIPPETS
from support.shared import HOSTILE_STRINGS, SEED_ORIGINAL

from studyvpc.content.loader import load_library
from studyvpc.content.model import (
    Component, Concept, Flow, FlowStep, Layer, Note, Option, Question, Scenario, Section, TradeOff,
)
from studyvpc.interop.notes_import import import_notes
from studyvpc.interop.notes_yaml import edited_since_written, note_yaml, split_header

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "markdown"


def fields(note: Note) -> dict:
    """Every field of a note but where it was read from."""
    out = {f: getattr(note, f) for f in Note.__struct_fields__ if f != "location"}
    out["questions"] = tuple({f: getattr(q, f) for f in Question.__struct_fields__
                              if f != "location"} for q in note.questions)
    return out


def reload(note: Note, tmp_path: Path) -> Note:
    path = tmp_path / f"{note.id}.yaml"
    path.write_text(note_yaml(note), encoding="utf-8")
    result = load_library([path])
    assert [e for e in result.errors if e.severity == "error"] == [], note_yaml(note)
    return result.library.notes[0]


def test_every_fixture_note_comes_back_the_same_from_its_yaml(tmp_path):
    notes = load_library([FIXTURES, SEED_ORIGINAL]).library.notes
    assert len(notes) >= 16
    for note in notes:
        assert fields(reload(note, tmp_path)) == fields(note), note.id


def test_hostile_text_survives_the_yaml(tmp_path):
    """Quotes, markup, escapes, control characters, bidi overrides: written so YAML gives them
    back exactly, in every field the writer has."""
    for i, entry in enumerate(json.loads(HOSTILE_STRINGS.read_text(encoding="utf-8"))):
        s = entry["text"]
        if not s.strip():
            continue
        note = Note(
            id=f"h{i}", title=s, aliases=(f"alias {i}",), key_point=s, sections=(Section(s, s),),
            flow=Flow((FlowStep(s), FlowStep(s, s)), s), layers_title=s,
            layers=(Layer(s, (Component(s, s), Component(s, ""))),), tradeoffs_title=s,
            tradeoffs=(TradeOff(s, (s,), ()),), concepts_title=s, concepts=(Concept(s, s),),
            scenarios_title=s, scenarios=(Scenario(s, ""),), see_also=(f"h{i}",),
            questions=(Question(f"h{i}-q1", s, (Option("A", s, True, s), Option("B", s + "!", False, "")),
                                explanation=s, note_id=f"h{i}"),))
        back = reload(note, tmp_path)
        assert fields(back) == fields(note), entry["name"]


# --------------------------------------------------------------------------- the command's core

def vault(tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    shutil.copytree(FIXTURES, folder)
    return folder


def test_import_is_idempotent(tmp_path):
    src, deck = vault(tmp_path), tmp_path / "deck"
    first = import_notes([src], deck)
    assert len(first.new) == first.notes == 17 and first.questions == 9 and not first.errors
    before = {p.name: p.read_bytes() for p in deck.iterdir()}
    again = import_notes([src], deck)
    assert (len(again.new), len(again.updated), len(again.unchanged)) == (0, 0, 17)
    assert {p.name: p.read_bytes() for p in deck.iterdir()} == before
    assert [str(w) for w in again.warnings] == [str(w) for w in first.warnings]
    assert dict(first.warnings_by_kind()) == {"options without an explanation": 16,
                                              "links to notes not in the library": 2}


def test_a_changed_note_updates_its_file(tmp_path):
    src, deck = vault(tmp_path), tmp_path / "deck"
    import_notes([src], deck)
    note = src / "bom-only.md"
    note.write_bytes(note.read_bytes().replace("보이지 않지만".encode(), "보이지 않아도".encode()))
    report = import_notes([src], deck)
    assert [p.name for p in report.updated] == ["bom-only.yaml"]
    assert "보이지 않아도" in (deck / "bom-only.yaml").read_text(encoding="utf-8")


def test_a_file_edited_by_hand_is_kept_unless_forced(tmp_path):
    src, deck = vault(tmp_path), tmp_path / "deck"
    import_notes([src], deck)
    edited = deck / "tables-and-code.yaml"
    text = edited.read_text(encoding="utf-8").replace("NACL은 subnet", "NACL은 서브넷")
    edited.write_text(text, encoding="utf-8")
    assert edited_since_written(text)
    hand_made = deck / "bom-only.yaml"
    hand_made.write_text("id: bom-only\ntitle: 내가 쓴 노트\n", encoding="utf-8")  # no header
    report = import_notes([src], deck)
    assert sorted(p.name for p in report.kept) == ["bom-only.yaml", "tables-and-code.yaml"]
    assert edited.read_text(encoding="utf-8") == text
    assert hand_made.read_text(encoding="utf-8") == "id: bom-only\ntitle: 내가 쓴 노트\n"
    forced = import_notes([src], deck, force=True)
    assert sorted(p.name for p in forced.updated) == ["bom-only.yaml", "tables-and-code.yaml"]
    assert "NACL은 subnet" in edited.read_text(encoding="utf-8")
    assert not edited_since_written(edited.read_text(encoding="utf-8"))


def test_the_header_records_the_digest_of_the_body(tmp_path):
    import_notes([vault(tmp_path)], tmp_path / "deck")
    text = (tmp_path / "deck" / "nat-gateway-basics.yaml").read_text(encoding="utf-8")
    assert text.startswith("# Imported from nat-gateway-basics.md by `studyvpc import`.")
    digest, body = split_header(text)
    assert digest is not None and body.startswith("id: nat-gateway-basics\n")
    assert not edited_since_written(text)
    assert edited_since_written(text + "\n# a comment\n")


def test_nothing_to_import_or_nowhere_to_write(tmp_path):
    (tmp_path / "empty").mkdir()
    report = import_notes([tmp_path / "empty"], tmp_path / "deck")
    assert [e.message for e in report.errors] == ["no Markdown notes (*.md) here"]
    (tmp_path / "file").write_text("x", encoding="utf-8")
    report = import_notes([vault(tmp_path)], tmp_path / "file")
    assert [e.message for e in report.errors] == ["not a folder"]


# --------------------------------------------------------------------------- any Markdown

@st.composite
def template_like(draw) -> str:
    parts = draw(st.lists(st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=25)),
                          max_size=30))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("any")


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=template_like())
def test_any_markdown_imports_to_yaml_that_reads_back_the_same(text, scratch):
    md = scratch / "any.md"
    md.write_bytes(text.encode("utf-8", "surrogatepass"))
    note = load_library([md]).library.notes[0]
    assert fields(reload(note, scratch)) == fields(note)

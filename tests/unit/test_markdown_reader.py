"""Markdown notes beside YAML ones: found, located, cached, and never a traceback."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.markdown import SNIPPETS

from studyvpc.content.cache import load_library_cached
from studyvpc.content.loader import load_library
from studyvpc.content.markdown.reader import note_id_of, read_markdown_note
from studyvpc.content.yamlnodes import FileContext

YAML_NOTE = """\
id: yaml-note
title: A YAML note
see_also: [Markdown Note]
"""
MD_NOTE = """\
# A Markdown note

## 핵심 포인트

Links to [[yaml-note]].
"""


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def messages(result, folder: Path) -> list[str]:
    return [str(e).replace(f"{folder}/", "") for e in result.errors]


def test_markdown_beside_yaml_found_recursively_and_linked_both_ways(tmp_path):
    write(tmp_path / "deck" / "yaml-note.yaml", YAML_NOTE)
    write(tmp_path / "deck" / "sub" / "dir" / "Markdown Note.md", MD_NOTE)
    write(tmp_path / "deck" / ".obsidian" / "hidden.md", "# not a note\n")
    result = load_library([tmp_path / "deck"])
    assert result.ok and result.errors == []
    assert sorted(n.id for n in result.library.notes) == ["markdown-note", "yaml-note"]
    assert result.library.resolve("Markdown Note").id == "markdown-note"


def test_file_names_become_ids():
    assert note_id_of(Path("VPC Endpoint (Gateway).md")) == "vpc-endpoint-gateway"
    assert note_id_of(Path("핵심 개념 정리.md")) == "핵심-개념-정리"
    assert note_id_of(Path("lambda-vpc-s3-security.md")) == "lambda-vpc-s3-security"
    assert note_id_of(Path("🎯.md")).startswith("note-")


def test_a_question_that_cannot_be_asked_is_kept_as_text_with_a_warning(tmp_path):
    write(tmp_path / "n.md", """\
        # N

        ## 관련 문제

        **Question:** What is missing here?

        - A) The answer line
        - B) Nothing

        💡 추가 설명: 정답 줄이 없다.
        """)
    result = load_library([tmp_path])
    assert messages(result, tmp_path) == [
        "n.md:5:1: warning: question 1 has no answer line ('**정답: A) …**' or '**Answer:** A'); "
        "kept as text, not asked"]
    note = result.library.notes[0]
    assert note.questions == ()
    assert note.sections[0].title == "관련 문제"
    assert "What is missing here?" in note.sections[0].body and "정답 줄이 없다" in note.sections[0].body


def test_broken_frontmatter_is_a_located_warning_and_kept(tmp_path):
    write(tmp_path / "n.md", "---\ntitle: ok\ntags: [unclosed\n---\n# N\n")
    result = load_library([tmp_path])
    (w,) = result.errors
    assert w.severity == "warning" and w.location.line >= 3
    assert "frontmatter is not valid YAML" in w.message
    note = result.library.notes[0]
    assert note.title == "N" and "tags: [unclosed" in note.sections[-1].body


def test_not_utf8(tmp_path):
    write(tmp_path / "korean.md", "# 한국어 노트\n\n## 핵심 포인트\n\n윈도우에서 저장했다.\n".encode("cp949"))
    write(tmp_path / "broken.md", b"# Title\n\nbad \xff byte\n")
    result = load_library([tmp_path])
    notes = {n.id: n for n in result.library.notes}
    assert notes["korean"].title == "한국어 노트" and notes["korean"].key_point == "윈도우에서 저장했다."
    assert "\ufffd" in notes["broken"].sections[0].body
    assert [e.location.line for e in result.errors] == [3, 1]  # broken.md, korean.md
    assert all(e.severity == "warning" for e in result.errors)


def test_the_parsed_content_cache_covers_markdown(tmp_path):
    deck = tmp_path / "deck"
    write(deck / "n.md", MD_NOTE)
    cache = tmp_path / "cache"
    first = load_library_cached([deck], cache)
    again = load_library_cached([deck], cache)
    assert not first.from_cache and again.from_cache
    assert again.library.notes[0].key_point == "Links to [[yaml-note]]."
    assert [str(e) for e in again.errors] == [str(e) for e in first.errors]  # the warning too
    write(deck / "n.md", MD_NOTE.replace("Links to", "Now links to"))
    changed = load_library_cached([deck], cache)
    assert not changed.from_cache and changed.library.notes[0].key_point.startswith("Now")


# --------------------------------------------------------------------------- any Markdown



@st.composite
def markdown(draw) -> bytes:
    parts = draw(st.lists(st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=30)),
                          max_size=40))
    text = "\n".join(parts)
    return text.encode("utf-8", "surrogatepass") if draw(st.booleans()) else \
        text.encode("utf-8", "replace") + draw(st.binary(max_size=8))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=markdown())
def test_any_markdown_reads_without_a_traceback(data):
    ctx = FileContext("any.md")
    started = time.perf_counter()
    pending = read_markdown_note(ctx, data)
    assert time.perf_counter() - started < 2  # no pathological case
    note = pending.note
    assert note.id == "any" and note.title
    for q in note.questions:
        assert len(q.options) >= 2 and 1 <= q.choose == len(q.correct_keys)
        assert [o.key for o in q.options] == list("ABCDEFGHIJKLMNOPQRSTUVWXYZ"[: len(q.options)])
    assert all(s.title and s.body for s in note.sections)
    assert all(e.severity == "warning" and e.location.line >= 1 for e in ctx.errors)


def test_a_related_note_not_yet_written_is_warned_once_as_a_see_also_entry(tmp_path):
    write(tmp_path / "deck" / "a.md", """\
        # A

        [[also-missing]] in the prose.

        ## 관련 노트
        - [[not-yet-written]]
        - [[Another Missing|shown text]]
        """)
    result = load_library([tmp_path / "deck"])
    assert result.library.notes[0].see_also == ("not-yet-written", "Another Missing")
    assert messages(result, tmp_path / "deck") == [
        "a.md:3:1: warning: link [[also-missing]] resolves to no note",
        "a.md:6:3: warning: see_also entry [[not-yet-written]] resolves to no note",
        "a.md:7:3: warning: see_also entry [[Another Missing]] resolves to no note"]

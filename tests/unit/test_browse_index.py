"""The note browser's indexes: tags -> notes in title order, and the narrowing filter."""

from __future__ import annotations

import pytest

from studyvpc.content.browse import (
    BrowseIndex, NoteFilter, browse_index, note_filter, tag_prefixes,
)
from studyvpc.content.library import Library, fold
from studyvpc.content.model import Note, Section


def note(i: int, title: str, tags=(), text: str = "", links=()) -> Note:
    body = text + "".join(f" [[{t}]]" for t in links)
    return Note(id=f"n{i}", title=title, tags=tuple(tags), sections=(Section("s", body),))


NOTES = (
    note(0, "Zebra crossing", ("road/signs", "road"), "stripes", links=("n1",)),
    note(1, "apple orchard", ("farm/fruit",), "trees and lambda", links=("n2", "n1")),
    note(2, "Lambda basics", ("service/lambda", "farm"), "functions 람다 함수", links=("n1",)),
    note(3, "Banana", (), "yellow lambda"),
    note(4, "", ("road/signs/stop",), "red", links=("N2",)),  # blank title: the id is shown
)


def test_notes_by_title_and_tags_by_name():
    index = BrowseIndex(NOTES)
    assert [n.id for n in index.by_title] == ["n1", "n3", "n2", "n4", "n0"]
    assert index.children(None) == ("farm", "road", "service")
    assert index.children("road") == ("road/signs",)
    assert index.children("road/signs") == ("road/signs/stop",)
    assert [n.id for n in index.at("road")] == ["n0"]
    assert [n.id for n in index.under("road")] == ["n4", "n0"]  # title order
    assert [n.id for n in index.under("farm")] == ["n1", "n2"]
    assert [n.id for n in index.untagged] == ["n3"]
    assert index.counts([NOTES[0], NOTES[4]]) == (
        {"road": 2, "road/signs": 2, "road/signs/stop": 1}, 0)
    assert index.counts(NOTES[2:4]) == ({"service": 1, "service/lambda": 1, "farm": 1}, 1)


def test_tag_paths_are_filed_as_the_library_counts_them():
    lib = Library(NOTES)
    index = browse_index(lib)
    for tag in lib.tags:
        for path in tag_prefixes(tag):
            assert len(index.under(path)) == lib.tag_counts(path)[0]


@pytest.mark.parametrize("query, expected", [
    ("lambda", ["n2", "n1", "n3"]),  # the title hit first, then library order
    ("LAMBDA trees", ["n1"]),
    ("람다", ["n2"]),
    ("road/signs", ["n0", "n4"]),
    ("nothing-like-this", []),
])
def test_search(query, expected):
    assert [n.id for n in Library(NOTES).search(query)] == expected


def test_a_query_typed_before_is_answered_from_memory():
    lib = Library(NOTES)
    asked = []
    remembering = NoteFilter(lambda query: asked.append(query) or lib.search(query), fold)
    for query in ("l", "la", "lam", "la", "l", "LA ", "lambda yellow", "la"):
        assert [n.id for n in remembering.search(query)] == [n.id for n in lib.search(query)]
    assert asked == ["l", "la", "lam", "lambda yellow"]
    for i in range(NoteFilter.REMEMBERED):  # the oldest are let go
        remembering.search(f"word{i}")
    asked.clear()
    remembering.search("l")
    assert asked == ["l"]


def test_the_library_keeps_its_index_and_filter():
    lib = Library(NOTES)
    assert browse_index(lib) is browse_index(lib) and note_filter(lib) is note_filter(lib)
    assert browse_index(Library(NOTES)) is not browse_index(lib)


def test_a_search_folds_the_notes_names_once_not_per_hit(monkeypatch):
    # Title hits come first: the names they are looked for in are folded once per library,
    # not once for every hit of every key typed (thousands a key in a large library).
    import studyvpc.content.library as library

    lib = Library(NOTES)
    lib.search("zzz")  # the texts searched, folded once
    folded = []
    monkeypatch.setattr(library, "fold", lambda text: folded.append(text) or fold(text))
    assert [n.id for n in lib.search("lambda")] == ["n2", "n1", "n3"]
    first = len(folded)
    assert [n.id for n in lib.search("LAMBDA")] == ["n2", "n1", "n3"]
    assert len(folded) - first == 1  # the query only

"""Which questions an export takes, and the errors for filters that select nothing."""

from __future__ import annotations

import pytest

from studyvpc.interop.selection import SelectionError, select_questions

from .export_support import bundled_library


@pytest.fixture(scope="module")
def deck():
    return bundled_library()


def test_no_filter_takes_every_question_in_library_order(deck):
    assert select_questions(deck) == list(deck.questions)


def test_filters_add_up_and_keep_library_order(deck):
    s3 = select_questions(deck, tags=["service/s3"])
    assert s3 and all(any(t == "service/s3" or t.startswith("service/s3/") for t in q.tags)
                      for q in s3)
    flow = select_questions(deck, notes=["vpc-flow-logs"])
    assert [q.id for q in flow] == [q.id for q in deck.note("vpc-flow-logs").questions]
    both = select_questions(deck, tags=["service/s3"], notes=["vpc-flow-logs"])
    assert {q.id for q in both} == {q.id for q in s3} | {q.id for q in flow}
    order = [q.id for q in deck.questions]
    assert [q.id for q in both] == sorted((q.id for q in both), key=order.index)


def test_tags_may_be_written_as_in_obsidian_or_anki(deck):
    expected = select_questions(deck, tags=["service/s3"])
    assert select_questions(deck, tags=["#service/s3"]) == expected
    assert select_questions(deck, tags=["service::s3"]) == expected
    assert select_questions(deck, tags=["service"]) == list(deck.questions_tagged("service"))


def test_unknown_tag_and_note_are_named_with_a_suggestion(deck):
    with pytest.raises(SelectionError) as e:
        select_questions(deck, tags=["servce/s3"], notes=["vpc-flow-log"])
    assert str(e.value) == ("no tag 'servce/s3' in the content (did you mean 'service/s3'?); "
                            "no note 'vpc-flow-log' in the content (by id or alias) "
                            "(did you mean 'vpc-flow-logs'?)")
    with pytest.raises(SelectionError, match=r"^no tag 'zzzz' in the content$"):
        select_questions(deck, tags=["zzzz"])


def test_an_empty_selection_says_so():
    from studyvpc.content.library import Library
    from studyvpc.content.model import Note

    library = Library((Note(id="empty", title="Nothing yet", tags=("draft",)),))
    with pytest.raises(SelectionError, match="the content has none"):
        select_questions(library)
    with pytest.raises(SelectionError, match="--tag draft select notes without questions"):
        select_questions(library, tags=["draft"])

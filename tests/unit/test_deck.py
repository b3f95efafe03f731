"""The bundled deck (issue 6): big enough, lint-clean, and every question sourced from AWS docs."""

import re
from urllib.parse import urlparse

import pytest

from studyvpc.content.lint import lint
from studyvpc.content.loader import load_library
from studyvpc.locations import bundled_content_dir

HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def deck():
    result = load_library([bundled_content_dir()])
    assert result.ok, "\n".join(map(str, result.errors))
    return result.library


def test_deck_size(deck):
    assert len(deck.notes) >= 13
    assert len(deck.questions) >= 60
    thin = [n.id for n in deck.notes if len(n.questions) < 3 and n.id != "lambda-vpc-s3-security"]
    assert not thin, f"notes with fewer than 3 questions: {thin}"


def test_deck_passes_the_strict_linter(deck):
    assert [str(w) for w in lint(deck)] == []


def test_every_reference_is_an_aws_documentation_page(deck):
    for q in deck.questions:
        assert q.references, f"{q.id} has no reference"
        for ref in q.references:
            url = urlparse(ref.url)
            assert ref.title.strip(), f"{q.id}: a reference without a title"
            assert url.scheme == "https" and url.netloc == "docs.aws.amazon.com", f"{q.id}: {ref.url}"
            assert len(url.path) > 1, f"{q.id}: {ref.url} names no page"


def test_every_option_explains_itself_in_korean(deck):
    for q in deck.questions:
        assert 4 <= len(q.options) <= 5, q.id
        for o in q.options:
            assert HANGUL.search(o.why), f"{q.id} option {o.key}: why is not in the note's language"
        assert HANGUL.search(q.explanation), f"{q.id}: explanation"


def test_questions_are_in_english_and_notes_in_korean(deck):
    for n in deck.notes:
        assert HANGUL.search(n.key_point), n.id
        for q in n.questions:
            assert not HANGUL.search(q.stem), f"{q.id}: the stem is meant to be exam English"
            assert q.difficulty in ("easy", "medium", "hard"), q.id


def test_notes_link_to_each_other(deck):
    linked = [n.id for n in deck.notes if deck.backlinks(n.id)]
    assert len(linked) == len(deck.notes), set(n.id for n in deck.notes) - set(linked)

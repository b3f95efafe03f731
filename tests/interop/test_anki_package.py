"""Anki export, checked by importing each package into a real, fresh Anki collection.

The ``anki`` package (the test extra only; studyvpc itself writes packages with genanki)
opens a new collection headlessly, imports the export as Anki's File > Import does, and
renders cards as Anki shows them.
"""

from __future__ import annotations

import html
import time
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from msgspec.structs import replace  # the model's classes are msgspec structs

from studyvpc.content.library import Library
from studyvpc.content.model import NO_WHY
from studyvpc.content.textutil import visible
from studyvpc.interop.anki import build_package, export_anki
from studyvpc.interop.anki_model import (
    FIELDS, MARK_CORRECT, MARK_WRONG, MODEL_ID, MODEL_NAME, note_fields, stable_id,
)
from studyvpc.interop.anki_schedule import progress_for_anki
from studyvpc.interop.html_text import link_labels
from studyvpc.progress.scheduler import ReviewScheduler
from studyvpc.progress.store import ProgressStore

from .export_support import (
    HANGUL, HOSTILE, HtmlRead, bundled_library, hostile_library, html_text, squash, words,
)

pytestmark = pytest.mark.slow


@pytest.fixture
def collection(tmp_path):
    """A new, empty Anki collection."""
    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    yield col
    col.close()


def import_into(col: Collection, package: Path):
    request = ImportAnkiPackageRequest(
        package_path=str(package), options=ImportAnkiPackageOptions(with_scheduling=True))
    return col.import_anki_package(request).log


def anki_notes(col: Collection) -> dict[str, object]:
    """The collection's notes by their Question ID field."""
    notes = [col.get_note(nid) for nid in col.find_notes("")]
    return {html.unescape(n["Question ID"]): n for n in notes}


@pytest.fixture(scope="module")
def deck() -> Library:
    return bundled_library()


def test_the_bundled_deck_arrives_whole(deck, collection, tmp_path):
    log = import_into(collection, export_anki(deck.questions, deck, tmp_path / "d.apkg").path)
    assert (len(log.new), len(log.duplicate), len(log.conflicting)) == (61, 0, 0)
    notes = anki_notes(collection)
    assert sorted(notes) == sorted(q.id for q in deck.questions)
    for q in deck.questions:
        note, source = notes[q.id], deck.note_of(q)
        assert note.keys() == list(FIELDS)
        assert note.fields == note_fields(q, source), q.id  # every field as exported, unchanged
        # ... and each field says what the source says, read back as text:
        assert words(html_text(note["Stem"])) == words(link_labels(q.stem)), q.id
        assert words(html_text(note["Explanation"])) == words(link_labels(q.explanation))
        assert html.unescape(note["Note"]) == source.title
        assert words(html_text(note["Key point"])) == words(link_labels(source.key_point))
        assert note["Choose"] == (str(q.choose) if q.choose > 1 else "")
        assert note["Correct"] == ", ".join(o.key for o in q.options if o.correct)
        for o in q.options:
            assert html.unescape(note[o.key]) == o.text
            assert note[f"{o.key} Mark"] == (MARK_CORRECT if o.correct else MARK_WRONG)
            assert words(html_text(note[f"{o.key} Why"])) == words(link_labels(o.why))
        assert [a for t, attrs in HtmlRead(note["References"]).tags if t == "a"
                for k, a in attrs if k == "href"] == [r.url for r in q.references]
        assert sorted(note.tags) == sorted(t.replace("/", "::") for t in q.tags)
        back = html_text(note.cards()[0].answer())
        for o in q.options:  # every option's why on the back, marked in words
            assert squash(html_text(note[f"{o.key} Why"]) or NO_WHY) in squash(back), (q.id, o.key)
        assert back.count("✔ correct") == len(q.correct_keys)
        assert back.count("✘ not correct") == len(q.options) - len(q.correct_keys)
    korean = [n for n in notes.values() if HANGUL.search(n["Note"])]
    assert korean and all(HANGUL.search(html_text(n.cards()[0].question() + n["Note"]))
                          for n in korean)
    assert {collection.decks.name(c.did) for n in notes.values() for c in n.cards()} == {
        "studyvpc"}


def test_importing_a_newer_export_updates_the_notes_and_adds_none(deck, collection, tmp_path):
    stamp = time.time()
    import_into(collection, export_anki(deck.questions, deck, tmp_path / "1.apkg",
                                        timestamp=stamp).path)
    first = anki_notes(collection)
    model_ids = {n.mid for n in first.values()}
    edited_q = replace(deck.questions[0], stem="An edited stem, 고친 문제.")
    edited = Library(tuple(replace(n, questions=tuple(edited_q if q.id == edited_q.id else q
                                                      for q in n.questions))
                           for n in deck.notes))
    log = import_into(collection, export_anki(edited.questions, edited, tmp_path / "2.apkg",
                                              timestamp=stamp + 60).path)
    assert (len(log.new), len(log.duplicate), len(log.updated)) == (0, 0, 61)
    assert collection.note_count() == 61 and collection.card_count() == 61
    again = anki_notes(collection)
    assert {n.mid for n in again.values()} == model_ids  # the same note type, not a copy
    assert [m.name for m in collection.models.all_names_and_ids()].count(MODEL_NAME) == 1
    assert html_text(again[edited_q.id]["Stem"]) == "An edited stem, 고친 문제."
    assert {n.id for n in again.values()} == {n.id for n in first.values()}


def test_note_type_deck_and_note_ids_never_change(deck):
    """Pinned: a learner's second export must update the first one's notes in Anki, from any
    version of studyvpc; a change here would make Anki add a second note type and copies."""
    package, _ = build_package(deck.questions, deck)
    (studyvpc,) = package.decks
    assert (MODEL_ID, studyvpc.deck_id) == (1515438055, 1323362266)
    guids = {n.fields[0]: n.guid for n in studyvpc.notes}
    assert guids["lambda-vpc-s3-security-q1"] == "bQ,FTcbFtH"
    assert len(set(guids.values())) == 61
    sub, _ = build_package(deck.questions[:3], deck, subdecks=True)
    assert [d.deck_id for d in sub.decks] == [stable_id(f"deck:{d.name}") for d in sub.decks]
    assert {n.guid for d in sub.decks for n in d.notes} == {
        guids[q.id] for q in deck.questions[:3]}


def test_subdecks_one_per_note(deck, collection, tmp_path):
    done = export_anki(deck.questions, deck, tmp_path / "s.apkg", deck="AWS::SAA",
                       subdecks=True)
    import_into(collection, done.path)
    names = {collection.decks.name(c.did) for n in anki_notes(collection).values()
             for c in n.cards()}
    assert names == {f"AWS::SAA::{n.title}" for n in deck.notes} == set(done.decks)


def test_progress_comes_back_as_the_same_schedule(deck, collection, tmp_path):
    """Answered in studyvpc: a review card, a lapsed one in relearning, one in learning."""
    now = datetime.now(timezone.utc)
    review, lapsed, learning, new = (q.id for q in deck.questions[:4])
    with ProgressStore.open(tmp_path / "data") as store:
        sched = ReviewScheduler(store, enable_fuzzing=False)
        answer = lambda qid, ok, at, **kw: sched.answer(  # noqa: E731
            qid, "h", ["A"], ok, time_ms=900, mode="practice", now=at, **kw)
        answer(review, True, now - timedelta(hours=2), rating="easy")
        answer(lapsed, True, now - timedelta(days=30), rating="easy")
        answer(lapsed, False, now - timedelta(minutes=2))
        answer(learning, False, now - timedelta(minutes=1))
        progress = progress_for_anki(store, [q.id for q in deck.questions])
        stored = {qid: sched.card(qid) for qid in (review, lapsed, learning)}
    assert set(progress.cards) == {review, lapsed, learning}
    done = export_anki(deck.questions, deck, tmp_path / "p.apkg", progress=progress.cards,
                       now=now)
    assert done.with_progress == 3
    import_into(collection, done.path)
    cards = {qid: n.cards()[0] for qid, n in anki_notes(collection).items()}
    today = collection.sched.today

    card, fsrs_card = cards[review], stored[review]
    assert (card.type, card.queue, card.reps, card.lapses) == (2, 2, 1, 0)  # review
    assert card.ivl == round((fsrs_card.due - fsrs_card.last_review) / timedelta(days=1))
    days_left = (fsrs_card.due.astimezone().date() - now.astimezone().date()).days
    assert abs((card.due - today) - days_left) <= 1  # Anki's day starts at 4 am
    assert card.memory_state.stability == pytest.approx(fsrs_card.stability, rel=1e-3)
    assert card.memory_state.difficulty == pytest.approx(fsrs_card.difficulty, rel=1e-3)
    assert card.last_review_time == int(fsrs_card.last_review.timestamp())

    card, fsrs_card = cards[lapsed], stored[lapsed]
    assert (card.type, card.queue, card.reps, card.lapses, card.left) == (3, 1, 2, 1, 1)
    assert card.due == int(fsrs_card.due.timestamp())  # learning steps keep their time
    assert card.memory_state.stability == pytest.approx(fsrs_card.stability, rel=1e-3)

    card = cards[learning]
    assert (card.type, card.queue, card.reps, card.lapses) == (1, 1, 1, 0)
    assert card.memory_state.difficulty == pytest.approx(stored[learning].difficulty, rel=1e-3)

    assert (cards[new].type, cards[new].queue, cards[new].memory_state) == (0, 0, None)


def test_hostile_text_shows_literally_and_runs_nothing(collection, tmp_path):
    library = hostile_library()
    import_into(collection, export_anki(library.questions, library, tmp_path / "h.apkg").path)
    notes = anki_notes(collection)
    for i, (name, s) in enumerate(HOSTILE):
        card = notes[f"h{i}-q1"].cards()[0]
        for page in (card.question(), card.answer()):
            read = HtmlRead(page)
            tags = {t for t, _ in read.tags}
            assert "script" not in tags and "img" not in tags and "iframe" not in tags, name
            attrs = [(k, v) for _, a in read.tags for k, v in a]
            assert not [k for k, _ in attrs if k.startswith("on")], name
            assert all(v.startswith("https://") for k, v in attrs if k in ("href", "src")), name
        # Anki stores text composed (NFC): decomposed jamo and combining marks arrive as the
        # same characters, composed
        back = squash(html_text(card.answer()))
        shown = squash(unicodedata.normalize("NFC", visible(link_labels(s))))
        assert shown in back, name
        if shown and name != "YAML-looking text":  # Markdown makes "- item" a list item
            # option text and title (plain); stem, why, explanation and key point (Markdown)
            assert back.count(shown) >= 6, name
    assert "<script>alert(1)</script>" in html_text(notes[
        f"h{[n for n, _ in HOSTILE].index('Markdown HTML')}-q1"].cards()[0].answer())

"""What the progress queries need to know about the content: question id → tags and note.

The store keeps only question ids (content changes under it; attempts must survive that), so
statistics by tag, links to notes and orphan detection take this small mapping from the
loaded library instead of importing the content model. Built once per library load.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any


def as_set(ids: Iterable[str]) -> AbstractSet[str]:
    """``ids`` for membership tests: a set (or a mapping's keys) as it is, anything else
    copied into one."""
    return ids if isinstance(ids, AbstractSet) else set(ids)


@dataclass(frozen=True, slots=True)
class QuestionIndex:
    tags: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """question id → tags (the loader already merges the note's tags into each question's)."""
    notes: Mapping[str, str] = field(default_factory=dict)
    """question id → id of the note it belongs to."""

    @classmethod
    def from_questions(cls, questions: Iterable[Any]) -> QuestionIndex:
        """From objects with ``id``, ``tags`` and ``note_id`` (content `Question`s)."""
        tags: dict[str, tuple[str, ...]] = {}
        notes: dict[str, str] = {}
        for q in questions:
            tags[q.id] = tuple(q.tags)
            notes[q.id] = q.note_id
        return cls(tags, notes)

    @classmethod
    def from_library(cls, library: Any) -> QuestionIndex:
        rows = getattr(library, "question_rows", None)
        if rows is None:
            return cls.from_questions(library.questions)
        # (id, tags, note id) rows: a library served from the cache has them before (and
        # without) decoding its questions, so the app's start does not wait for that.
        tags: dict[str, tuple[str, ...]] = {}
        notes: dict[str, str] = {}
        for qid, qtags, note_id in rows():
            tags[qid] = tuple(qtags)
            notes[qid] = note_id
        return cls(tags, notes)

    @property
    def ids(self) -> AbstractSet[str]:
        """The question ids, as a view of the mapping: made without copying them (the home
        screen and the review ask for them, and a library may hold 50,000)."""
        return self.tags.keys()

    def __contains__(self, question_id: object) -> bool:
        return question_id in self.tags

    def __len__(self) -> int:
        return len(self.tags)

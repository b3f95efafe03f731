"""The loaded collection: lookup by id, alias and tag, search, and links between notes."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property

import msgspec

from studyvpc.content.model import Note, Question, question_texts

_LINK_RE = re.compile(r"\[\[([^\[\]|#\n]+)(?:#[^\[\]|\n]*)?(?:\|([^\[\]\n]*))?\]\]")


def link_targets(text: str) -> Iterator[tuple[str, int]]:
    """``[[target]]``, ``[[target|label]]`` and ``[[target#part]]``: (target, offset of ``[[``)."""
    for m in _LINK_RE.finditer(text):
        yield m.group(1).strip(), m.start()


def split_links(text: str) -> Iterator[tuple[str, str | None]]:
    """Split text into (chunk, link target or None) for presenting links."""
    pos = 0
    for m in _LINK_RE.finditer(text):
        if m.start() > pos:
            yield text[pos: m.start()], None
        label = (m.group(2) or m.group(1)).strip()
        yield label, m.group(1).strip()
        pos = m.end()
    if pos < len(text):
        yield text[pos:], None


def fold(text: str) -> str:
    """Case- and width-insensitive form for searching (NFKC folds full-width Latin, jamo)."""
    return unicodedata.normalize("NFKC", text).casefold()


_NOT_ID = re.compile(r"[^\w.]+")


def slug(text: str) -> str:
    """``text`` as a note id: folded, every run of characters other than letters, digits,
    ``_`` and ``.`` made one ``-`` (``VPC Endpoint (Gateway)`` -> ``vpc-endpoint-gateway``,
    ``핵심 개념`` -> ``핵심-개념``). The id of a Markdown note is the slug of its file name, and
    a link that names a note's file resolves through it. May be empty."""
    return _NOT_ID.sub("-", fold(text)).strip("-._")


def _link_name(target: str) -> str:
    """The note a link names: ``folder/Note.md`` names ``Note``."""
    name = target.strip().rsplit("/", 1)[-1]
    return name[:-3] if name.casefold().endswith(".md") else name


class Library:
    """An immutable set of notes with the indexes the app needs.

    Built from its notes, or from `PendingNotes`: a summary that answers the counts, the
    tags and the question index at once, and a function that reads the notes, called the
    first time anything else is asked (or when `load` is called). Why: the app's start
    (process start -> first frame of home) needs only that summary, and reading every note
    of a large library takes longer (and holds more memory) than the rest of the start; the
    app calls `load` once its first frame is drawn. Single-threaded: the app uses it from
    its event loop only.
    """

    def __init__(self, notes: tuple[Note, ...] | PendingNotes) -> None:
        self._pending: PendingNotes | None = notes if isinstance(notes, PendingNotes) else None
        self._given: tuple[Note, ...] = () if self._pending is not None else notes

    @property
    def loaded(self) -> bool:
        """False while the notes are pending (see `load`)."""
        return self._pending is None

    def load(self) -> None:
        """Read pending notes now (once); nothing to do when the library has them."""
        self.notes  # noqa: B018  (reading the property is what loads them)

    @cached_property
    def notes(self) -> tuple[Note, ...]:
        """The notes, the first of duplicate ids only (the loader has reported the rest)."""
        pending = self._pending
        given = pending.read() if pending is not None else self._given
        self._pending = None
        self._given = ()
        by_id: dict[str, Note] = {}
        for n in given:
            by_id.setdefault(n.id, n)
        return tuple(by_id.values())

    @cached_property
    def _by_id(self) -> dict[str, Note]:
        return {n.id: n for n in self.notes}

    @cached_property
    def _folded_id(self) -> dict[str, Note]:
        out: dict[str, Note] = {}
        for n in self.notes:
            out.setdefault(fold(n.id), n)
        return out

    @cached_property
    def _alias(self) -> dict[str, Note]:
        out: dict[str, Note] = {}
        for n in self.notes:
            for a in n.aliases:
                out.setdefault(fold(a), n)
        return out

    @cached_property
    def _questions(self) -> dict[str, Question]:
        out: dict[str, Question] = {}
        for n in self.notes:
            for q in n.questions:
                out.setdefault(q.id, q)
        return out

    # -- lookup
    def note(self, note_id: str) -> Note:
        return self._by_id[note_id]

    def get_note(self, note_id: str) -> Note | None:
        return self._by_id.get(note_id)

    def resolve(self, target: str) -> Note | None:
        """A link target: a note id, else an alias; both case-insensitive, the exact id first;
        else, as Obsidian links name files, the note whose id or alias has the same `slug`
        (``[[VPC Endpoint]]``, ``[[notes/vpc-endpoint.md]]`` -> ``vpc-endpoint``)."""
        target = target.strip()
        key = fold(target)
        found = self._by_id.get(target) or self._folded_id.get(key) or self._alias.get(key)
        if found is None:
            found = self._slugged.get(slug(_link_name(target)))
        return found

    @cached_property
    def _slugged(self) -> dict[str, Note]:
        out: dict[str, Note] = {}
        for n in self.notes:
            out.setdefault(slug(n.id), n)
        for n in self.notes:
            for a in n.aliases:
                out.setdefault(slug(a), n)
        out.pop("", None)
        return out

    def suggest(self, target: str) -> str | None:
        """The id or alias closest to ``target``, for a link that resolves to nothing."""
        return self._name_index.suggest(target)

    @cached_property
    def _name_index(self):
        from studyvpc.content.suggest import NameIndex  # only for a link that resolves to nothing

        return NameIndex([*self._by_id, *(a for n in self.notes for a in n.aliases)])

    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(self._questions.values())

    @property
    def note_count(self) -> int:
        return self._pending.summary.notes if self._pending is not None else len(self.notes)

    @property
    def question_count(self) -> int:
        if self._pending is not None:
            return self._pending.summary.questions
        return len(self._questions)

    def question_rows(self) -> list[tuple[str, tuple[str, ...], str]]:
        """(id, tags, note id) of every question, in library order: what the progress
        index needs (`progress.store.content_index.QuestionIndex`)."""
        if self._pending is not None:
            return self._pending.summary.question_rows()
        return [(q.id, q.tags, q.note_id) for q in self.questions]

    def summary(self) -> LibrarySummary:
        """What the library answers while its notes are pending (stored with the cache)."""
        if self._pending is not None:
            return self._pending.summary
        prefixes = sorted({*self._notes_by_tag, *self._questions_by_tag})
        questions = self.questions
        tag_sets = {tags: i for i, tags in enumerate(dict.fromkeys(q.tags for q in questions))}
        return LibrarySummary(
            notes=self.note_count, tags=self.all_tags,
            tag_counts={p: self.tag_counts(p) for p in prefixes},
            question_ids=tuple(q.id for q in questions),
            question_notes=tuple(q.note_id for q in questions),
            tag_sets=tuple(tag_sets), question_tags=tuple(tag_sets[q.tags] for q in questions),
        )

    def question(self, question_id: str) -> Question:
        return self._questions[question_id]

    def get_question(self, question_id: str) -> Question | None:
        return self._questions.get(question_id)

    def note_of(self, question: Question) -> Note | None:
        return self._by_id.get(question.note_id)

    # -- tags
    @cached_property
    def tags(self) -> tuple[str, ...]:
        return tuple(sorted({t for n in self.notes for t in n.tags}))

    @cached_property
    def question_tag_counts(self) -> Counter[str]:
        return Counter(t for q in self.questions for t in q.tags)

    @cached_property
    def all_tags(self) -> tuple[str, ...]:
        """Every tag of a note or of a question (questions may add their own), sorted."""
        if self._pending is not None:
            return self._pending.summary.tags
        return tuple(sorted({*self.tags, *(t for q in self.questions for t in q.tags)}))

    def tag_counts(self, tag: str) -> tuple[int, int]:
        """How many notes and questions `notes_tagged` and `questions_tagged` give."""
        if self._pending is not None:
            return self._pending.summary.tag_counts.get(tag, (0, 0))
        return len(self._notes_by_tag.get(tag, ())), len(self._questions_by_tag.get(tag, ()))

    def notes_tagged(self, tag: str) -> list[Note]:
        """Notes with ``tag`` or a tag below it (``service`` matches ``service/lambda``)."""
        return list(self._notes_by_tag.get(tag, ()))

    def questions_tagged(self, tag: str) -> list[Question]:
        return list(self._questions_by_tag.get(tag, ()))

    # Screens count notes and questions per tag for every node of a tag tree; scanning all
    # questions per tag made that quadratic in a large library. Each
    # item is filed once under every tag it has and every ancestor of those (``a/b/c`` under
    # ``a/b/c``, ``a/b`` and ``a``), in library order.
    @cached_property
    def _notes_by_tag(self) -> dict[str, list[Note]]:
        return _by_tag_prefix(self.notes)

    @cached_property
    def _questions_by_tag(self) -> dict[str, list[Question]]:
        return _by_tag_prefix(self.questions)

    # -- search
    @cached_property
    def _haystacks(self) -> dict[str, str]:
        out = {}
        for n in self.notes:
            parts = n.texts()
            for q in n.questions:
                parts += question_texts(q)
            out[n.id] = fold("\n".join([n.id, *parts]))
        return out

    def search(self, query: str) -> list[Note]:
        """Notes whose id, title, alias, tag or any text contains every word of the query.

        Title and alias hits come first.
        """
        words = fold(query).split()
        if not words:
            return list(self.notes)
        hits = [n for n in self.notes if all(w in self._haystacks[n.id] for w in words)]

        def rank(n: Note) -> int:
            head = fold(" ".join([n.id, n.title, *n.aliases]))
            return 0 if all(w in head for w in words) else 1

        return sorted(hits, key=rank)

    def backlinks(self, note_id: str) -> list[Note]:
        out = []
        for n in self.notes:
            if n.id == note_id:
                continue
            targets = set(n.see_also)
            texts = n.texts()
            for q in n.questions:
                texts += question_texts(q)
            for text in texts:
                targets.update(t for t, _ in link_targets(text))
            if any((r := self.resolve(t)) is not None and r.id == note_id for t in targets):
                out.append(n)
        return out


def _by_tag_prefix(items) -> dict:
    index: dict[str, list] = {}
    keys_of: dict[tuple[str, ...], tuple[str, ...]] = {}  # items share tag sets: compute once
    for item in items:
        keys = keys_of.get(item.tags)
        if keys is None:
            found: set[str] = set()
            for tag in item.tags:
                parts = tag.split("/")
                found.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
            keys = keys_of[item.tags] = tuple(found)
        for key in keys:
            index.setdefault(key, []).append(item)
    return index


# --------------------------------------------------------------------------- pending notes

class LibrarySummary(msgspec.Struct, frozen=True, array_like=True):
    """Counts, tags and the question index of a library: what the home screen and the
    progress index need, small enough to read at start without the notes.

    The question index is kept by column, each distinct tag set once (questions share a few
    of them), so that a large library's summary stays small in the cache and in memory.
    """

    notes: int
    tags: tuple[str, ...]
    """`Library.all_tags`."""
    tag_counts: dict[str, tuple[int, int]]
    """`Library.tag_counts` of every tag and tag prefix in use."""
    question_ids: tuple[str, ...]
    question_notes: tuple[str, ...]
    """The note id of each question."""
    tag_sets: tuple[tuple[str, ...], ...]
    question_tags: tuple[int, ...]
    """The tags of each question, as an index into ``tag_sets``."""

    def __post_init__(self) -> None:
        # Also run when msgspec decodes a summary: an inconsistent one is refused there.
        if not len(self.question_ids) == len(self.question_notes) == len(self.question_tags):
            raise ValueError("the question columns differ in length")
        if self.question_tags and not 0 <= min(self.question_tags) <= max(self.question_tags) \
                < len(self.tag_sets):
            raise ValueError("a tag set index is out of range")
        if self.notes < 0 or any(n < 0 for pair in self.tag_counts.values() for n in pair):
            raise ValueError("a negative count")

    @property
    def questions(self) -> int:
        return len(self.question_ids)

    def question_rows(self) -> list[tuple[str, tuple[str, ...], str]]:
        """`Library.question_rows`."""
        return list(zip(self.question_ids, map(self.tag_sets.__getitem__, self.question_tags),
                        self.question_notes))


@dataclass(frozen=True)
class PendingNotes:
    """The notes of a library, not read yet: `Library` answers from ``summary`` until it
    calls ``read`` (`studyvpc.content.cache` makes these from a cache file)."""

    summary: LibrarySummary
    read: Callable[[], tuple[Note, ...]]

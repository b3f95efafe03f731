"""The loaded collection: lookup by id, alias and tag, search, and links between notes."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from functools import cached_property

from studyvpc.content.model import Note, Question
from studyvpc.content.noteindex import (
    LibrarySummary, NoteHead, NoteSource, OnDemand, PendingNotes, link_positions,
)

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

    Built from its notes (the loader), or from `PendingNotes` (the parsed-content cache): a
    summary that answers the counts, the tags and the question index at once, and a function
    giving a `NoteSource`, called the first time anything else is asked (or when `load` is
    called). Why: the app's start (process start -> first frame of home) needs only that
    summary. A library from a `NoteSource` keeps only each note's head (`heads`) and the
    question index in memory; a note's body is decoded when it is asked for (`note`,
    `resolve`, `question`), and `search` reads the notes' folded text from the source instead
    of keeping it. Single-threaded: the app uses it from its event loop only.
    """

    def __init__(self, notes: tuple[Note, ...] | PendingNotes) -> None:
        self._pending: PendingNotes | None = notes if isinstance(notes, PendingNotes) else None
        self._summary: LibrarySummary | None = self._pending.summary if self._pending else None
        self._given: tuple[Note, ...] = () if self._pending is not None else notes
        self._source: NoteSource | None = None

    @property
    def loaded(self) -> bool:
        """False while the notes are pending (see `load`)."""
        return self._pending is None

    def load(self) -> None:
        """Read pending notes' index now (once); nothing to do when the library has it."""
        if self._pending is not None:
            got = self._pending.read()
            self._pending = None
            if isinstance(got, tuple):  # the cache could not serve them: the files' notes
                self._given, self._summary = got, None
            else:
                self._source = got

    @property
    def source_problems(self) -> list[str]:
        """What was wrong with the stored notes (located); the notes were then read from the
        content files. Empty for a library that reads no stored notes."""
        return list(self._source.problems) if self._source is not None else []

    @cached_property
    def _eager(self) -> tuple[Note, ...]:
        """The notes given, the first of duplicate ids only (the loader has reported the rest)."""
        by_id: dict[str, Note] = {}
        for n in self._given:
            by_id.setdefault(n.id, n)
        self._given = ()
        return tuple(by_id.values())

    @cached_property
    def heads(self) -> tuple[NoteHead | Note, ...]:
        """Every note's id, title, aliases, tags and question count, in library order, without
        decoding any note's body (a `Note` has the same attributes)."""
        self.load()
        return self._source.index.heads if self._source is not None else self._eager

    @property
    def notes(self) -> Sequence[Note]:
        """Every note, in library order. From a `NoteSource`, a sequence that decodes a note
        when it is asked for (going through all of them decodes them all): for lists and
        counts, use `heads`."""
        self.load()
        if self._source is None:
            return self._eager
        return OnDemand(self._note_at, len(self._source.index.heads))

    def _note_at(self, position: int) -> Note:
        return self._source.note(position) if self._source is not None else self._eager[position]

    @cached_property
    def _pos(self) -> dict[str, int]:
        return {h.id: i for i, h in enumerate(self.heads)}

    @cached_property
    def _folded_id(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for i, h in enumerate(self.heads):
            out.setdefault(fold(h.id), i)
        return out

    @cached_property
    def _alias(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for i, h in enumerate(self.heads):
            for a in h.aliases:
                out.setdefault(fold(a), i)
        return out

    @cached_property
    def _question_pos(self) -> dict[str, tuple[int, int]]:
        """Each question id: (its note's position, its position in the note's questions)."""
        out: dict[str, tuple[int, int]] = {}
        pos = self._pos  # reads pending notes' index
        if self._source is not None and self._summary is not None:
            s = self._summary
            for qid, nid, slot in zip(s.question_ids, s.question_notes,
                                      self._source.index.question_slots):
                out.setdefault(qid, (pos[nid], slot))
            return out
        for i, n in enumerate(self.heads):
            for j, q in enumerate(n.questions):
                out.setdefault(q.id, (i, j))
        return out

    # -- lookup
    def note(self, note_id: str) -> Note:
        return self._note_at(self._pos[note_id])

    def get_note(self, note_id: str) -> Note | None:
        i = self._pos.get(note_id)
        return None if i is None else self._note_at(i)

    def _resolve(self, target: str) -> int | None:
        target = target.strip()
        key = fold(target)
        for found in (self._pos.get(target), self._folded_id.get(key), self._alias.get(key)):
            if found is not None:
                return found
        return self._slugged.get(slug(_link_name(target)))

    def locate(self, target: str) -> int | None:
        """Where `resolve` finds ``target``: its position in `heads`; nothing is decoded."""
        return self._resolve(target)

    def resolve(self, target: str) -> Note | None:
        """A link target: a note id, else an alias; both case-insensitive, the exact id first;
        else, as Obsidian links name files, the note whose id or alias has the same `slug`
        (``[[VPC Endpoint]]``, ``[[notes/vpc-endpoint.md]]`` -> ``vpc-endpoint``)."""
        i = self._resolve(target)
        return None if i is None else self._note_at(i)

    def resolve_head(self, target: str) -> NoteHead | Note | None:
        """What `resolve` finds, as a head: nothing is decoded."""
        i = self._resolve(target)
        return None if i is None else self.heads[i]

    @cached_property
    def _slugged(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for i, h in enumerate(self.heads):
            out.setdefault(slug(h.id), i)
        for i, h in enumerate(self.heads):
            for a in h.aliases:
                out.setdefault(slug(a), i)
        out.pop("", None)
        return out

    def suggest(self, target: str) -> str | None:
        """The id or alias closest to ``target``, for a link that resolves to nothing."""
        return self._name_index.suggest(target)

    @cached_property
    def _name_index(self):
        from studyvpc.content.suggest import NameIndex  # only for a link that resolves to nothing

        return NameIndex([*self._pos, *(a for h in self.heads for a in h.aliases)])

    @property
    def questions(self) -> Sequence[Question]:
        """Every question, in library order. From a `NoteSource`, a sequence that decodes a
        question's note when the question is asked for."""
        self.load()
        if self._source is None:
            return self._eager_questions
        return self._on_demand(list(self._question_pos.values()))

    @cached_property
    def _eager_questions(self) -> tuple[Question, ...]:
        return tuple(self._question_at(*place) for place in self._question_pos.values())

    @property
    def note_count(self) -> int:
        return self._summary.notes if self._summary is not None else len(self.heads)

    @property
    def question_count(self) -> int:
        return self._summary.questions if self._summary is not None else len(self._question_pos)

    def question_rows(self) -> list[tuple[str, tuple[str, ...], str]]:
        """(id, tags, note id) of every question, in library order: what the progress
        index needs (`progress.store.content_index.QuestionIndex`)."""
        if self._summary is not None:
            return self._summary.question_rows()
        return [(q.id, q.tags, q.note_id) for q in self.questions]

    def summary(self) -> LibrarySummary:
        """What the library answers while its notes are pending (stored with the cache)."""
        if self._summary is not None:
            return self._summary
        prefixes = self.tag_prefixes()
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
        return self._question_at(*self._question_pos[question_id])

    def get_question(self, question_id: str) -> Question | None:
        found = self._question_pos.get(question_id)
        return None if found is None else self._question_at(*found)

    def _question_at(self, note: int, slot: int) -> Question:
        return self._note_at(note).questions[slot]

    def note_of(self, question: Question) -> Note | None:
        return self.get_note(question.note_id)

    # -- tags
    @cached_property
    def tags(self) -> tuple[str, ...]:
        return tuple(sorted({t for n in self.heads for t in n.tags}))

    @cached_property
    def all_tags(self) -> tuple[str, ...]:
        """Every tag of a note or of a question (questions may add their own), sorted."""
        if self._summary is not None:
            return self._summary.tags
        return tuple(sorted({*self.tags, *(t for q in self.questions for t in q.tags)}))

    def tag_counts(self, tag: str) -> tuple[int, int]:
        """How many notes and questions `notes_tagged` and `questions_tagged` give."""
        if self._summary is not None:
            return self._summary.tag_counts.get(tag, (0, 0))
        return len(self._notes_by_tag.get(tag, ())), len(self._questions_by_tag.get(tag, ()))

    def tag_prefixes(self) -> list[str]:
        """Every tag of a note or question and every ancestor of one, sorted: the tags
        `tag_counts` counts."""
        if self._summary is not None:
            return sorted(self._summary.tag_counts)
        return sorted({*self._notes_by_tag, *self._questions_by_tag})

    def notes_tagged(self, tag: str) -> list[NoteHead | Note]:
        """Notes (heads) with ``tag`` or a tag below it (``service`` matches ``service/lambda``)."""
        return list(self._notes_by_tag.get(tag, ()))

    def questions_tagged(self, tag: str) -> Sequence[Question]:
        self.load()
        if self._source is None:
            return list(self._questions_by_tag.get(tag, ()))
        places = list(self._question_pos.values())
        return self._on_demand([places[k] for k in self._summary_questions_by_tag.get(tag, ())])

    def _on_demand(self, places: list[tuple[int, int]]) -> Sequence[Question]:
        return OnDemand(lambda k: self._question_at(*places[k]), len(places))

    # Scanning all items per tag made a tag tree quadratic: each item is filed once under
    # every tag it has and every ancestor of those (``a/b/c``, ``a/b``, ``a``), in order.
    @cached_property
    def _notes_by_tag(self) -> dict[str, list[NoteHead | Note]]:
        return _by_tag_prefix(self.heads)

    @cached_property
    def _questions_by_tag(self) -> dict[str, list[Question]]:
        return _by_tag_prefix(self.questions)

    @cached_property
    def _summary_questions_by_tag(self) -> dict[str, list[int]]:
        """The summary's question numbers under every tag and ancestor tag."""
        s = self._summary
        keys = [_prefixes(tags) for tags in s.tag_sets]
        out: dict[str, list[int]] = {}
        for k, t in enumerate(s.question_tags):
            for key in keys[t]:
                out.setdefault(key, []).append(k)
        return out

    # -- search
    @cached_property
    def _haystacks(self) -> dict[str, str]:
        from studyvpc.content.noteindex import search_text

        return {n.id: fold(search_text(n)) for n in self._eager}

    @cached_property
    def _folded_names(self) -> dict[str, str]:  # where a search's title hits are: folded once
        return {n.id: fold(" ".join([n.id, n.title, *n.aliases])) for n in self.heads}

    def search(self, query: str) -> list[NoteHead | Note]:
        """Notes (heads) whose id, title, alias, tag or any text contains every word of the
        query. Title and alias hits come first."""
        words = fold(query).split()
        if not words:
            return list(self.heads)
        self.load()
        if self._source is not None:
            heads = self.heads
            hits = [heads[i] for i in self._source.search([w.encode("utf-8") for w in words])]
        else:
            hits = [n for n in self._eager if all(w in self._haystacks[n.id] for w in words)]
        hits.sort(key=lambda n: 0 if all(w in self._folded_names[n.id] for w in words) else 1)
        return hits

    def question_positions(self) -> list[tuple[int, int]]:
        """Where each question of `questions` is: (its note's position in `heads`, its
        position in the note's questions)."""
        return list(self._question_pos.values())

    @cached_property
    def links(self) -> tuple[tuple[int, ...], ...]:
        """The positions (in `heads`) each note's links and ``see_also`` lead to."""
        self.load()
        if self._source is not None:
            return self._source.index.links
        return tuple(link_positions(n, i, self._resolve) for i, n in enumerate(self._eager))

    @cached_property
    def _backlinks(self) -> dict[int, list[int]]:
        out: dict[int, list[int]] = {}
        for i, targets in enumerate(self.links):
            for t in targets:
                out.setdefault(t, []).append(i)
        return out

    def backlinks(self, note_id: str) -> list[NoteHead | Note]:
        """The notes (heads) whose links or ``see_also`` lead to ``note_id``."""
        i = self._pos.get(note_id)
        heads = self.heads
        return [] if i is None else [heads[k] for k in self._backlinks.get(i, ())]


def _prefixes(tags: tuple[str, ...]) -> tuple[str, ...]:
    """Every tag and every ancestor of one (``a/b/c``: ``a/b/c``, ``a/b``, ``a``)."""
    found: set[str] = set()
    for tag in tags:
        parts = tag.split("/")
        found.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    return tuple(found)


def _by_tag_prefix(items) -> dict:
    index: dict[str, list] = {}
    keys_of: dict[tuple[str, ...], tuple[str, ...]] = {}  # items share tag sets: compute once
    for item in items:
        keys = keys_of.get(item.tags)
        if keys is None:
            keys = keys_of[item.tags] = _prefixes(item.tags)
        for key in keys:
            index.setdefault(key, []).append(item)
    return index

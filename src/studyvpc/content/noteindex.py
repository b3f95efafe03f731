"""What a library keeps in memory of each note when its notes come from the parsed-content
cache: a `NoteHead` (id, title, aliases, tags, how many questions) and where the rest is.

Why: a note's prose and questions are most of a library's memory (a 10,000-question library
holds ~70 MiB of text as Python strings), yet listing, counting, tag trees, links between
notes and the question index need none of it. The cache stores each note's body encoded on
its own, at an offset, with its CRC-32, and each note's text for searching, folded
(`library.fold`) and UTF-8 encoded; `NoteIndex` holds the offsets. A body is decoded when a
note is opened (`StoredNotes.note`, a small LRU); a search reads the folded text from the file
a chunk at a time (`match_notes`) rather than keeping it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import msgspec

from studyvpc.content.model import Note, question_texts

SEPARATOR = b"\0"
"""Between two notes' search texts: a match never spans two notes (a word holding it matches
no note, as no content text holds it)."""


class NoteHead(msgspec.Struct, frozen=True, gc=False, array_like=True):
    """What lists, tag trees, the palette and search results show of a note. `Note` has the
    same attributes, so either can be shown where a head is expected."""

    id: str
    title: str
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    question_count: int = 0


class Span(msgspec.Struct, frozen=True, gc=False, array_like=True):
    """Bytes of a part of the cache file: from ``offset``, ``length`` of them, their CRC-32."""

    offset: int
    length: int
    crc32: int


class NoteIndex(msgspec.Struct, frozen=True, array_like=True):
    """Every note's head, body span, search text end and link targets, in library order."""

    heads: tuple[NoteHead, ...]
    bodies: tuple[Span, ...]
    """Each note's encoded `Note` in the bodies part."""
    text_ends: tuple[int, ...]
    """Where each note's search text ends in the search part; it starts one `SEPARATOR`
    after the previous note's end (the first at 0)."""
    links: tuple[tuple[int, ...], ...]
    """The notes each note's ``[[links]]`` and ``see_also`` resolve to (positions)."""
    question_slots: tuple[int, ...]
    """For each question of the library's summary, its position in its note's questions."""

    def __post_init__(self) -> None:
        # Also run when msgspec decodes an index: an inconsistent one is refused there.
        n = len(self.heads)
        if not n == len(self.bodies) == len(self.text_ends) == len(self.links):
            raise ValueError("the note columns differ in length")
        if any(t < 0 or t >= n for targets in self.links for t in targets):
            raise ValueError("a link leads outside the library")
        if any(s.offset < 0 or s.length < 0 for s in self.bodies):
            raise ValueError("a negative span")
        if any(b <= a for a, b in zip((-1, *self.text_ends), self.text_ends)):
            raise ValueError("the search texts are out of order")


def head_of(note: Note) -> NoteHead:
    return NoteHead(note.id, note.title, note.aliases, note.tags, len(note.questions))


def search_text(note: Note) -> str:
    """Everything a search looks in (before folding): id, title, aliases, tags, prose,
    questions."""
    parts = [note.id, *note.texts()]
    for q in note.questions:
        parts += question_texts(q)
    return "\n".join(parts)


def link_positions(note: Note, own: int, resolve: Callable[[str], int | None]) -> tuple[int, ...]:
    """Where ``note`` (at position ``own``) links to: its ``[[links]]`` and ``see_also``
    resolved to positions, itself left out."""
    from studyvpc.content.library import link_targets

    # A link never spans a line break, so one pass over the joined texts finds them all.
    text = search_text(note)
    targets = set(note.see_also)
    if "[[" in text:
        targets.update(t for t, _ in link_targets(text))
    found = {p for t in targets if (p := resolve(t)) is not None}
    found.discard(own)
    return tuple(sorted(found))


def match_notes(words: list[bytes], text_ends: tuple[int, ...],
                read: Callable[[int, int], bytes], chunk: int = 1 << 22,
                among: list[int] | None = None) -> list[int]:
    """Positions of the notes whose search text holds every word, in order; only those of
    ``among`` (sorted) when given (a query that narrows the one before: see `narrows`).

    ``read(offset, length)`` gives bytes of the search part (at the start of what it returns,
    which may be longer: the rest is not looked at). It is read a chunk of whole notes
    at a time, so memory stays at about ``chunk`` bytes whatever the library's size; each
    word is found with ``bytes.find``, skipping to the next note after a hit. A few notes
    ``among`` many are read alone (runs of neighbours together).
    """
    if not text_ends or any(SEPARATOR in w for w in words):
        return []  # (no note's text holds the separator)
    words = [w for w in words if w]
    if not words:
        return list(range(len(text_ends))) if among is None else list(among)
    if among is not None and len(among) * 4 < len(text_ends):
        runs: list[list[int]] = []
        for i in among:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        batches = [(run[0], run[-1], run) for run in runs]
    else:
        batches = []
        first = 0
        while first < len(text_ends):
            start = text_ends[first - 1] + 1 if first else 0
            # Whole notes up to about `chunk` bytes, at least one note.
            last = max(first, bisect_right(text_ends, start + chunk, first) - 1)
            batches.append((first, last, None))
            first = last + 1
    wanted = None if among is None else set(among)
    out: list[int] = []
    for first, last, only in batches:
        start = text_ends[first - 1] + 1 if first else 0
        # With the separator after the last note: chunks of all notes cover the part.
        end = text_ends[last] + (last + 1 < len(text_ends))
        data = read(start, end - start)
        ends = [e - start for e in text_ends[first: last + 1]]
        if only is None and wanted is not None:
            only = [i for i in range(first, last + 1) if i in wanted]
        local = None if only is None else [i - first for i in only]
        out.extend(first + i for i in _match_chunk(data, words, ends, local))
    return out


def narrows(words: list[bytes], before: list[bytes]) -> bool:
    """Whether every note holding ``words`` holds ``before`` too (each earlier word is part
    of a new one: typing on), so only the earlier matches need looking at."""
    return all(any(b in w for w in words) for b in before)


def _match_chunk(data: bytes, words: list[bytes], ends: list[int],
                 hits: list[int] | None) -> list[int]:
    find = data.find
    stop = ends[-1]
    for word in words:
        found: list[int] = []
        if hits is None:
            pos = find(word, 0, stop)
            while pos >= 0:
                i = bisect_right(ends, pos)
                found.append(i)
                pos = find(word, ends[i] + 1, stop) if i + 1 < len(ends) else -1
        else:
            found = [i for i in hits if find(word, ends[i - 1] + 1 if i else 0, ends[i]) >= 0]
        hits = found
        if not hits:
            break
    return hits or []


class OnDemand(Sequence):
    """Items of stored notes (notes, questions), each decoded when asked for: a quiz or an
    exam over thousands of questions reads only those it shows, and ``len`` reads nothing."""

    def __init__(self, get: Callable[[int], object], length: int) -> None:
        self._get = get
        self._length = length

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self._get(i) for i in range(*k.indices(self._length))]
        if k < 0:
            k += self._length
        if not 0 <= k < self._length:
            raise IndexError(k)
        return self._get(k)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, (str, bytes)):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]


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


class NoteSource(Protocol):
    """Notes kept outside memory (`studyvpc.content.stored` reads them from a cache file)."""

    index: NoteIndex
    problems: list[str]

    def note(self, position: int) -> Note:
        """The note at ``position``, decoded (recently used ones are kept)."""

    def search(self, words: list[bytes]) -> list[int]:
        """Positions of the notes whose folded search text holds every word."""


@dataclass(frozen=True)
class PendingNotes:
    """The notes of a library, not read yet: `Library` answers from ``summary`` until it
    calls ``read`` (`studyvpc.content.cache` makes these from a cache file)."""

    summary: LibrarySummary
    read: Callable[[], NoteSource]

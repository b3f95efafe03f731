"""What the note browser asks of a library, computed once per library.

`BrowseIndex`: the notes in title order, every tag's child tags, the notes filed at a tag and
under it. `NoteFilter`: the browser's search, answering a query typed before (Backspace) from
memory. `browse_index` and `note_filter` give the ones of a library (made on first use, kept
as long as the library).
"""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import TYPE_CHECKING

from studyvpc.content.textutil import one_line

if TYPE_CHECKING:
    from studyvpc.content.library import Library
    from studyvpc.content.noteindex import NoteHead

    Shown = NoteHead
    """A note as lists show it: a `NoteHead` (a `Note` has the same attributes)."""


def title_key(note: Shown) -> str:
    """The browser's order: the title as shown (the id when blank), case-insensitively."""
    return (one_line(note.title) or note.id).casefold()


def tag_prefixes(tag: str) -> list[str]:
    """``a/b/c`` -> ``a``, ``a/b``, ``a/b/c``: where a tag is filed (as `Library.notes_tagged`
    counts it)."""
    parts = tag.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def tag_name(path: str) -> str:
    """The last segment of a tag path (``service/lambda`` -> ``lambda``)."""
    return path.rsplit("/", 1)[-1]


class BrowseIndex:
    """Tags -> notes, each list in title order. ``None`` is the root of the tag tree."""

    def __init__(self, notes: Sequence[Shown]) -> None:
        self.by_title: tuple[Shown, ...] = tuple(sorted(notes, key=title_key))
        at: dict[str, list[Shown]] = {}
        under: dict[str, list[Shown]] = {}
        children: dict[str | None, dict[str, None]] = {}
        group: dict[str, int] = {}
        untagged: list[Shown] = []
        group_of: dict[tuple[str, ...], int] = {}  # notes share tag sets
        filed: list[tuple[str, ...]] = []
        for note in self.by_title:
            if not note.tags:
                untagged.append(note)
            for tag in dict.fromkeys(note.tags):
                at.setdefault(tag, []).append(note)
            number = group_of.get(note.tags)
            if number is None:
                found: dict[str, None] = {}
                for tag in note.tags:
                    parent: str | None = None
                    for path in tag_prefixes(tag):
                        found[path] = None
                        children.setdefault(parent, {})[path] = None
                        parent = path
                number = group_of[note.tags] = len(filed)
                filed.append(tuple(found))
            group[note.id] = number
            for key in filed[number]:
                under.setdefault(key, []).append(note)
        self._at = {k: tuple(v) for k, v in at.items()}
        self._under = {k: tuple(v) for k, v in under.items()}
        self._children = {k: tuple(sorted(v, key=lambda p: (tag_name(p).casefold(), p)))
                          for k, v in children.items()}
        self._group = group
        """Note id -> the number of its set of tags (in `_filed`)."""
        self._filed = dict(enumerate(filed))
        """A set of tags' number -> the tag paths its notes are under."""
        self._untagged = group_of.get(())
        self.untagged: tuple[Shown, ...] = tuple(untagged)

    def children(self, path: str | None) -> tuple[str, ...]:
        """The tag paths one level below ``path`` (``None``: the top-level tags), sorted by
        name."""
        return self._children.get(path, ())

    def at(self, path: str) -> tuple[Shown, ...]:
        """Notes that carry exactly the tag ``path``."""
        return self._at.get(path, ())

    def under(self, path: str) -> tuple[Shown, ...]:
        """Notes that carry ``path`` or a tag below it."""
        return self._under.get(path, ())

    def counts(self, notes: Sequence[Shown]) -> tuple[Counter[str], int]:
        """How many of ``notes`` are under each tag path, and how many have no tag. Notes
        are counted by their set of tags, without a Python step per note (a filter's every
        key counts its matches: thousands), then each set's count goes to its paths."""
        groups = Counter(map(self._group.get, map(attrgetter("id"), notes)))
        counts: Counter[str] = Counter()
        filed = self._filed
        for number, n in groups.items():
            for key in filed.get(number, ()):
                counts[key] += n
        return counts, groups.get(self._untagged, 0) if self._untagged is not None else 0


class NoteFilter:
    """`Library.search` remembering its last results: a query typed before (Backspace, or
    the same words again) is answered without searching. (A query that narrows the last one
    is searched among that one's matches by the library itself.)"""

    REMEMBERED = 16

    def __init__(self, search: Callable[[str], list], fold: Callable[[str], str]) -> None:
        self._search = search
        self._fold = fold
        self._recent: dict[tuple[str, ...], list] = {}

    def search(self, query: str) -> list:
        words = tuple(self._fold(query).split())
        if not words:
            return self._search(query)
        hits = self._recent.pop(words, None)
        if hits is None:
            hits = self._search(query)
        self._recent[words] = hits  # the most recent last
        while len(self._recent) > self.REMEMBERED:
            del self._recent[next(iter(self._recent))]
        return list(hits)


_indexes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_filters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def browse_index(library: Library) -> BrowseIndex:
    """The library's `BrowseIndex` (built once, from its notes' heads)."""
    index = _indexes.get(library)
    if index is None:
        index = _indexes[library] = BrowseIndex(library.heads)
    return index


def note_filter(library: Library) -> NoteFilter:
    """The library's `NoteFilter`."""
    found = _filters.get(library)
    if found is None:
        from studyvpc.content.library import fold

        found = _filters[library] = NoteFilter(library.search, fold)
    return found

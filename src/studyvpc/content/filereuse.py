"""The *files* part of a parsed-content cache file: what each content file gave when it was
read, so that after an edit only the changed files are read again.

Any edit of any file changes the cache's key (`cache`), and the whole library used to be
parsed again: a learner who fixed one note waited as long as on the first start. A file's
`FileRead` depends on its bytes and its path only (`fileread`), so the cache file keeps, for
every content file, its path, the SHA-256 of its bytes and its `FileRead` without the note
(the note is already in the notes part, in the same order). On a miss the previous cache file
of the same content folders gives back the `FileRead` of every file whose path and digest
(known from the stamps, `stamps`) are unchanged; the checks across files run afresh, as on
a full load, so the result is the same as parsing every file. ``basis`` digests what else a
read depends on (the app's and the parser's versions: the cache key's prefix); another
basis, a damaged or foreign part: nothing is reused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import msgspec

from studyvpc.content.fileread import FileRead, Link, Pending
from studyvpc.content.model import Location, Note
from studyvpc.content.results import ContentError, LoadResult
from studyvpc.content.stamps import Stamp


class _Kept(msgspec.Struct, frozen=True, array_like=True):
    """A `FileRead` without its note when the library holds it (the notes part has it, in
    the same order); ``id_loc`` is None when the file gave no note, ``note`` is the note of
    a file whose id an earlier file took (the library holds the first only)."""

    errors: list[ContentError]
    id_loc: Location | None
    note: Note | None
    question_id_locs: list[Location]
    alias_locs: list[tuple[str, Location]]
    links: list[Link]
    unloaded: list[str]
    question_ids: list[str]
    """The ids of the note's questions, in order (the checks across files need them)."""
    link_warnings: list[ContentError]
    """The warnings of its links (`loader.link_warnings`) when this cache file was written:
    the same while the library's names are (`cachepatch`)."""


class FilesPart(msgspec.Struct, frozen=True, array_like=True):
    basis: bytes
    names: list[bytes]
    digests: list[bytes]
    kept: list[_Kept]

    def __post_init__(self) -> None:
        if not len(self.names) == len(self.digests) == len(self.kept):
            raise ValueError("the files part's columns differ in length")


def basis_of(key_prefix: bytes) -> bytes:
    return hashlib.sha256(key_prefix).digest()


decode = msgspec.msgpack.Decoder(FilesPart).decode


def encode(basis: bytes, names: Sequence[bytes], digests: Sequence[bytes],
           reads: Sequence[FileRead], warnings: Sequence[list[ContentError]]) -> bytes:
    """The files part of ``reads`` (one per file, with its path and digest) and each read's
    link warnings (`loader.assemble`)."""
    kept = []
    ids: set[str] = set()
    for r, found in zip(reads, warnings, strict=True):
        p = r.pending
        inline = p is not None and p.note.id in ids
        if p is not None:
            ids.add(p.note.id)
        kept.append(kept_of(r, inline, found))
    return msgspec.msgpack.encode(FilesPart(basis, list(names), list(digests), kept))


def kept_of(r: FileRead, inline: bool, warnings: list[ContentError]) -> _Kept:
    """What the files part keeps of ``r``; ``inline``: its note is not in the library (an
    earlier file took its id), so the files part holds it."""
    p = r.pending
    if p is None:
        return _Kept(r.errors, None, None, [], [], [], r.unloaded, [], [])
    return _Kept(r.errors, p.id_loc, p.note if inline else None, p.question_id_locs,
                 p.alias_locs, p.links, [], [q.id for q in p.note.questions], warnings)


class Earlier:
    """What a previous cache file gives a new load: ``reads``, each file's `FileRead` by
    (path, digest); ``folded``, the search text (`stored.encode_notes`) of each note in
    them, by the note's ``id()`` (the same objects go into the new library), so that only
    the changed files' notes are folded again. The notes are held as long as ``folded`` is
    (an ``id()`` is unique only while its object lives)."""

    def __init__(self, reads: dict[tuple[bytes, bytes], FileRead] | None = None,
                 notes: Sequence[Note] = (), texts: Sequence[bytes] = ()) -> None:
        self.reads = reads or {}
        self._notes = [notes]
        self.folded = {id(n): t for n, t in zip(notes, texts)}

    def keep(self, note: Note, text: bytes) -> None:
        """Add the search text of a note read now (a helper folded it: `parallel`)."""
        self._notes.append(note)
        self.folded[id(note)] = text


def earlier_reads(data: bytes, notes: Callable[[], tuple[Sequence[Note], Sequence[bytes]]],
                  basis: bytes) -> Earlier:
    """What a files part (``data``) and its cache file's ``notes`` and their search texts
    say; nothing if the part is of another basis. Raises ValueError if the part is damaged
    or does not match the notes."""
    if not data:
        return Earlier()
    part = decode(data)
    if part.basis != basis:
        return Earlier()
    all_notes, texts = notes()
    if (sum(k.id_loc is not None and k.note is None for k in part.kept) != len(all_notes)
            or len(texts) != len(all_notes)):
        raise ValueError("the files part does not match the notes")
    found: dict[tuple[bytes, bytes], FileRead] = {}
    position = 0
    for name, digest, k in zip(part.names, part.digests, part.kept):
        if k.id_loc is None:
            found[name, digest] = FileRead(k.errors, None, k.unloaded)
            continue
        note = k.note
        if note is None:
            note = all_notes[position]
            position += 1
        pending = Pending(note, k.id_loc, k.question_id_locs, k.alias_locs, k.links)
        found[name, digest] = FileRead(k.errors, pending)
    return Earlier(found, all_notes, texts)


def parse_changed(files: list[Path], stamps: Sequence[Stamp], basis: bytes,
                  earlier: Earlier, progress: Callable[[int, int], None] | None = None,
                  ) -> tuple[LoadResult, bytes]:
    """The library of ``files`` (each with its `Stamp`), reading only those ``earlier``
    (`earlier_reads`) has no read of (``progress``: `loader.read_files`), and the files
    part for its cache file."""
    from studyvpc.content import loader  # imports yaml

    names = [s.name for s in stamps]
    digests = [s.digest for s in stamps]
    known = earlier.reads
    reads = loader.read_files(files, lambda i: known.get((names[i], digests[i])),
                              parallel=True, progress=progress, folded=earlier.keep)
    earlier.reads = {}
    warnings: list[list[ContentError]] = []
    result = loader.assemble(files, [], reads, warnings=warnings)
    return result, encode(basis, names, digests, reads, warnings)

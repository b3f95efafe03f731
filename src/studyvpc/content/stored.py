"""Notes read on demand from a parsed-content cache file (`cache` writes and opens it).

A `StoredNotes` holds the file open (the inode checked when the library was read: another
process replacing the file meanwhile changes nothing here), the `NoteIndex`, and the few notes
decoded last. Every body read is checked: its length, its CRC-32, its type (msgspec decodes
into the model's classes), its id against the index. The search part's CRC-32 is checked on
the first search, which reads all of it. Anything that does not match is not used: the
problem is recorded, located (``file: byte offset: what``), the file is removed, and the notes
are read from the content files instead, once, for the rest of the library's life.
"""

from __future__ import annotations

import weakref
import zlib
from collections import OrderedDict
from collections.abc import Callable
from typing import BinaryIO

import msgspec

from studyvpc.content.library import Library, fold
from studyvpc.content.model import Note
from studyvpc.content.noteindex import (
    SEPARATOR, NoteIndex, Span, head_of, match_notes, narrows, search_text,
)

KEPT = 32
"""Decoded notes kept (the note on screen, the ones it links to, the last few opened)."""

_NOTE = msgspec.msgpack.Decoder(Note)


class StoredNotes:
    """The notes of ``index``: bodies at ``notes_at`` in ``file``, search texts at
    ``search_at``; ``fallback`` reads the content files (and gives a `Library`)."""

    def __init__(self, file: BinaryIO, name: str, index: NoteIndex, notes_at: int,
                 search_at: int, search_crc32: int | Callable[[], int],
                 fallback: Callable[[], object], discard: Callable[[], None]) -> None:
        self.index = index
        self.problems: list[str] = []
        """What was wrong with the file, located; empty while it serves every read."""
        self._file = file
        self._name = name
        self._notes_at = notes_at
        self._search_at = search_at
        self._search_crc32 = search_crc32
        """Or a function giving it once the file was read (a file still being written:
        `cachepatch.Patch.stored`)."""
        self._search_checked = False
        self._buffer = bytearray()
        """Where a search reads the texts a chunk at a time (kept: a new one each search
        cost its pages' faults on every key typed)."""
        self._last: tuple[list[bytes], list[int]] | None = None
        """The last search's words and matches (typing on narrows them)."""
        self._fallback_reader = fallback
        self._discard = discard
        self._fallback = None
        self._kept: OrderedDict[int, Note] = OrderedDict()
        weakref.finalize(self, file.close)  # the library's life is the file's

    # -- bodies
    def note(self, position: int) -> Note:
        kept = self._kept
        note = kept.get(position)
        if note is not None:
            kept.move_to_end(position)
            return note
        note = self._decode(position)
        kept[position] = note
        if len(kept) > KEPT:
            kept.popitem(last=False)
        return note

    def _decode(self, position: int) -> Note:
        if self._fallback is None:
            span = self.index.bodies[position]
            try:
                data = self._read(self._notes_at + span.offset, span.length)
                if zlib.crc32(data) != span.crc32:
                    raise ValueError("does not match its checksum")
                note = _NOTE.decode(data)
                if note.id != self.index.heads[position].id:
                    raise ValueError(f"holds note {note.id!r}, not "
                                     f"{self.index.heads[position].id!r}")
                return note
            except (OSError, ValueError) as exc:
                self._give_up(span, f"note {position}", exc)
        head = self.index.heads[position]
        found = self._fallback.get_note(head.id)
        # Gone from the content files since the library was read: its head is all there is.
        return found if found is not None else Note(head.id, head.title, aliases=head.aliases,
                                                    tags=head.tags)

    # -- search
    def search(self, words: list[bytes]) -> list[int]:
        if self._fallback is None:
            ends = self.index.text_ends
            checking = not self._search_checked
            crc = covered = 0

            def read(offset: int, length: int) -> bytearray:
                # Into one buffer, reused: `match_notes` looks at ``length`` bytes only.
                nonlocal crc, covered
                if len(self._buffer) < length:
                    self._buffer = bytearray(length)
                buffer = self._buffer
                view = memoryview(buffer)[:length]
                self._file.seek(self._search_at + offset)
                got = self._file.readinto(view)
                if got != length:
                    raise ValueError(f"ends {length - got} bytes early")
                if checking:
                    crc = zlib.crc32(view, crc)
                    covered += length
                view.release()
                return buffer

            last = self._last
            among = last[1] if last is not None and narrows(words, last[0]) else None
            try:
                # A search reads the part whole, in order: the first one checks it.
                found = match_notes(words, ends, read, among=among)
                self._last = (words, found)
                if checking and covered == (ends[-1] if ends else 0):
                    if crc != self._search_crc():
                        raise ValueError("does not match its checksum")
                    self._search_checked = True
                return found
            except (OSError, ValueError) as exc:
                self._give_up(Span(0, ends[-1] if ends else 0, self._search_crc() or 0),
                              "the search texts", exc, base=self._search_at)
        pos = {h.id: i for i, h in enumerate(self.index.heads)}
        query = " ".join(w.decode("utf-8", "replace") for w in words)
        return sorted(pos[n.id] for n in self._fallback.search(query) if n.id in pos)

    def _search_crc(self) -> int | None:
        crc = self._search_crc32
        return crc() if callable(crc) else crc

    # -- the file
    def _read(self, offset: int, length: int) -> bytes:
        self._file.seek(offset)
        data = self._file.read(length)
        if len(data) != length:
            raise ValueError(f"ends {length - len(data)} bytes early")
        return data

    def _give_up(self, span: Span, what: str, exc: Exception, base: int | None = None) -> None:
        at = (self._notes_at if base is None else base) + span.offset
        self.problems.append(f"{self._name}: byte {at}: {what} {exc}; the notes are read from "
                             "the content files instead")
        self._discard()
        try:
            self._file.close()
        except OSError:
            pass
        self._kept.clear()
        self._fallback = self._fallback_reader()


def encode_notes(library: Library, folded: dict[int, bytes] | None = None,
                 ) -> tuple[list[bytes], bytes, list[bytes]]:
    """The notes, index and search parts of a cache file of ``library`` (`StoredNotes` reads
    them); the large ones as pieces, written one after the other (never joined: a large
    library's parts are each as large as its YAML). ``folded``: search texts known already,
    by the ``id()`` of their note (folding is most of the cost)."""
    notes = library.notes
    encode = msgspec.msgpack.Encoder().encode
    bodies = [encode(n) for n in notes]
    prefix = _array_header(len(bodies))
    spans, offset = [], len(prefix)
    for body in bodies:
        spans.append(Span(offset, len(body), zlib.crc32(body)))
        offset += len(body)
    known = folded or {}
    texts = [known.get(id(n)) or search_bytes(n) for n in notes]
    ends, end = [], -1
    for text in texts:
        end += 1 + len(text)
        ends.append(end)
    index = NoteIndex(tuple(head_of(n) for n in notes), tuple(spans), tuple(ends),
                      library.links, tuple(j for _, j in library.question_positions()))
    search = [SEPARATOR] * (2 * len(texts) - 1) if texts else []
    search[::2] = texts
    return [prefix, *bodies], encode(index), search


def search_bytes(note: Note) -> bytes:
    """What the search part holds of ``note``: its search text folded, UTF-8."""
    return fold(search_text(note)).encode("utf-8")


def split_texts(index: NoteIndex, search: bytes) -> list[bytes]:
    """Each note's search text, from a search part and its index."""
    starts = (0, *(end + len(SEPARATOR) for end in index.text_ends[:-1]))
    return [search[a:b] for a, b in zip(starts, index.text_ends)]


def _array_header(n: int) -> bytes:
    """MessagePack's header of an array of ``n`` items (its items follow it)."""
    if n < 16:
        return bytes([0x90 | n])
    if n < 1 << 16:
        return b"\xdc" + n.to_bytes(2, "big")
    return b"\xdd" + n.to_bytes(4, "big")

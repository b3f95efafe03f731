"""A parsed-content cache file made from the previous one and the content files that changed.

A learner edits one note and opens the app again: the cache's key no longer matches. Reading
only the edited file again (`filereuse`) still decoded every note of the previous file, ran
every file's link checks again and encoded every note anew: most of a full load's cost for
one changed file. Yet when the edited files keep their *shape* -- the note's id, aliases and
tags, its questions' ids and tags (or, for a file without a note, the names it meant to
define) -- nothing another file's results depend on has changed: every note keeps its
position, every link resolves where it did, the library's summary is the same, and each
unchanged file keeps its link warnings (`loader.link_warnings` depends on the library's
names only). So the new file is the previous one with the edited files' pieces replaced:

- the notes and search parts are copied a chunk at a time, the edited notes' bodies and
  search texts put in their place; both parts' checksums are checked as they are read (a
  damaged part is not carried over) and the new ones computed as they are written;
- the index takes the previous one with the edited notes' heads, links and spans replaced
  (the other spans move, their checksums stay);
- the errors are each file's own (kept, or read now), the checks of ids across files run
  over every file again (cheap, and their messages quote other files' locations, which an
  edit may move), and the link warnings (kept, or found now for the edited files).

Anything else -- a file added, removed or renamed, an edited file whose shape changed, a
previous file of another basis, damaged or missing -- is not patched: the caller falls back
to `filereuse.parse_changed`, which assembles the whole library again. The result is the
same file either way (a test compares them), written atomically (`CacheEntry.replace`).
"""

from __future__ import annotations

import os
import threading
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

import msgspec

from studyvpc.content import cache, filereuse, loader
from studyvpc.content.crc32 import crc32_combine
from studyvpc.content.fileread import FileRead
from studyvpc.content.library import Library
from studyvpc.content.model import Note
from studyvpc.content.results import collector_paused
from studyvpc.content.noteindex import (
    SEPARATOR, NoteIndex, PendingNotes, Span, head_of, link_positions,
)
from studyvpc.content.stamps import Stamp
from studyvpc.content.stored import StoredNotes, search_bytes

CHUNK = 1 << 23
"""Bytes copied at a time from the previous file (memory stays about this, whatever the
library's size)."""

_NOTE = msgspec.msgpack.Decoder(Note)
_ENCODE = msgspec.msgpack.Encoder().encode

stats = {"read": 0, "encoded": 0, "linked": 0}
"""What patches did, counted (tests check that an edit costs work for the edited files only):
content files read, notes encoded, notes whose links were resolved."""


class _NotPatched(Exception):
    """The previous file cannot give the new one (the caller parses instead)."""


def shape(read: FileRead) -> tuple:
    """What of a file's read other files' results depend on (see the module's docstring)."""
    if read.pending is None:
        return ("unloaded", tuple(read.unloaded))
    return _note_shape(read.pending.note)


def _note_shape(note: Note) -> tuple:
    return ("note", note.id, note.aliases, note.tags,
            tuple((q.id, q.tags) for q in note.questions))


class _Names:
    """A `NoteSource` of heads only: what a `Library` needs to resolve links and suggest."""

    def __init__(self, index: NoteIndex) -> None:
        self.index = index
        self.problems: list[str] = []


def patch(entry: cache.CacheEntry, files: list[Path], stamps: Sequence[Stamp], basis: bytes,
          progress: Callable[[int, int], None] | None = None,
          read: dict[tuple[bytes, bytes], FileRead] | None = None) -> bool:
    """`prepare` the new file and write it now; False (nothing written) if it cannot."""
    ready = prepare(entry, files, stamps, basis, progress, read)
    return ready is not None and ready.write()


def prepare(entry: cache.CacheEntry, files: list[Path], stamps: Sequence[Stamp], basis: bytes,
            progress: Callable[[int, int], None] | None = None,
            read: dict[tuple[bytes, bytes], FileRead] | None = None) -> Patch | None:
    """The new file of ``entry`` for the content ``stamps`` describe (one per file of
    ``files``), to be made from the file there now, reading only the files whose digest
    changed; None if it cannot be (see the module's docstring). ``read`` gets the files
    read, by (path, digest), so that the caller need not read them again."""
    f = None
    try:
        f = entry._open()
        with collector_paused():  # the parts decoded are acyclic: nothing to collect
            ready = _patch(entry, f, files, stamps, basis, progress,
                           read if read is not None else {})
        f = None  # the patch holds it now
        return ready
    except (_NotPatched, FileNotFoundError):
        return None
    except (OSError, ValueError):
        entry.discard()  # damaged (msgspec's errors and cache._Stale are ValueErrors)
        return None
    finally:
        if f is not None:
            f.close()


class Patch:
    """A new cache file, known but for the parts copied from the previous file (held open):
    its errors and summary (`cache._Head`), and how to write it (`write`), now or in a
    thread of its own (`start`, then `wait`)."""

    def __init__(self, entry: cache.CacheEntry, file, errors: list, summary, index: NoteIndex,
                 notes_at: int, search_at: int, fill: Callable) -> None:
        self.errors = errors
        self.summary = summary
        self.index = index
        """The new file's index (`noteindex.NoteIndex`), in memory already."""
        self.notes_at = notes_at
        self.search_at = search_at
        """Where the notes and search parts start in the new file."""
        self.search_crc32: int | None = None
        """The search part's CRC-32, once it is written."""
        self.reader: int | None = None
        """A descriptor of the new file, for reading it (`StoredNotes`) once it is written:
        the same file whatever replaces it at its path later."""
        self._entry = entry
        self._file = file
        self._fill = fill
        self._thread: threading.Thread | None = None
        self._written = False
        self._done = threading.Event()

    def write(self) -> bool:
        """Write the file (atomically); False if it could not be (nothing written)."""
        try:
            self._written = self._entry.replace(self._fill)
        except ValueError:  # a part of the previous file is damaged: not carried over
            self._entry.discard()
        finally:
            if not self._written and self.reader is not None:
                os.close(self.reader)
                self.reader = None
            # Readers may go on before the previous file is let go: freeing its blocks (a
            # large file's, once replaced) is the kernel's slowest step here.
            self._done.set()
            self._file.close()
            self._fill = None  # its parts (megabytes) are not kept with the library
        return self._written

    def start(self, then: Callable[[], None]) -> None:
        """Write the file in a thread (the copying and checksums release the GIL: the
        app draws meanwhile), then call ``then`` if it was written. Not a daemon: an app
        that exits meanwhile waits for the file (a kill leaves the previous one whole)."""
        def run() -> None:
            if self.write():
                then()

        self._thread = threading.Thread(target=run, name="studyvpc-cache-write")
        self._thread.start()

    def wait(self) -> bool:
        """Whether the file was written, once it is (`start`)."""
        self._done.wait()
        return self._written

    def stored(self, name: str, fallback: Callable[[], object],
               discard: Callable[[], None]) -> StoredNotes:
        """The new file's notes (`stored.StoredNotes`) at once: its index is in memory, and
        the first read of a body or of the search texts waits until the file is written
        (an ``OSError`` there if it could not be: the notes are then ``fallback()``'s)."""
        return StoredNotes(_WhenWritten(self), name, self.index, self.notes_at, self.search_at,
                           lambda: self.search_crc32, fallback, discard)


class _WhenWritten:
    """The file a `Patch` writes, as `StoredNotes` reads it: each call waits until it is
    written, then goes to the patch's descriptor of it."""

    def __init__(self, patch: Patch) -> None:
        self._patch = patch
        self._file = None

    def _ready(self):
        if self._file is None:
            if not self._patch.wait() or self._patch.reader is None:
                raise OSError("the cache file could not be written")
            fd, self._patch.reader = self._patch.reader, None
            self._file = os.fdopen(fd, "rb")
        return self._file

    def seek(self, *args):
        return self._ready().seek(*args)

    def read(self, *args):
        return self._ready().read(*args)

    def readinto(self, buffer):
        return self._ready().readinto(buffer)

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        elif self._patch.wait() and self._patch.reader is not None:
            os.close(self._patch.reader)
            self._patch.reader = None


def _patch(entry, f, files, stamps, basis, progress, read) -> bool:
    header = entry._header(f, any_key=True)
    head = cache._HEAD.decode(entry._part(f, header.head))
    notes_at = f.tell()
    f.seek(header.notes.length, os.SEEK_CUR)
    index = cache._INDEX.decode(entry._part(f, header.index))
    search_at = f.tell()
    f.seek(header.search.length, os.SEEK_CUR)
    data = entry._part(f, header.files)
    if not data:
        raise _NotPatched
    part = filereuse.decode(data)
    del data
    if part.basis != basis or part.names != [s.name for s in stamps]:
        raise _NotPatched
    changed = [i for i, (d, s) in enumerate(zip(part.digests, stamps)) if d != s.digest]
    if not changed:
        raise _NotPatched
    n = len(index.heads)
    position: dict[int, int] = {}  # file -> its note's position in the library
    p = 0
    for i, k in enumerate(part.kept):
        if k.id_loc is not None and k.note is None:
            position[i] = p
            p += 1
    if p != n or head.summary.notes != n:
        raise ValueError("the files part does not match the index")
    fd = f.fileno()

    reads = loader.read_files([files[i] for i in changed], parallel=True, progress=progress)
    stats["read"] += len(reads)
    new: dict[int, FileRead] = dict(zip(changed, reads))
    read.update(((stamps[i].name, stamps[i].digest), r) for i, r in new.items())
    for i, r in new.items():
        k = part.kept[i]
        if k.id_loc is None:
            before: tuple = ("unloaded", tuple(k.unloaded))
        else:
            before = _note_shape(k.note if k.note is not None
                                 else _old_note(fd, notes_at, index.bodies[position[i]]))
        if shape(r) != before:
            raise _NotPatched

    # The names are those of the previous file: links resolve as they did.
    library = Library(PendingNotes(head.summary, lambda: _Names(index)))
    unloaded: set[str] = {name for k in part.kept if k.id_loc is None for name in k.unloaded}
    heads, links = list(index.heads), list(index.links)
    bodies: dict[int, bytes] = {}
    texts: dict[int, bytes] = {}
    kept = list(part.kept)
    for i, r in new.items():
        pending = r.pending
        found = ([] if pending is None
                 else loader.link_warnings(pending.links, library, unloaded))
        kept[i] = filereuse.kept_of(r, part.kept[i].note is not None, found)
        if i in position:
            at = position[i]
            note = pending.note
            heads[at] = head_of(note)
            links[at] = link_positions(note, at, library.locate)
            bodies[at] = _ENCODE(note)
            texts[at] = search_bytes(note)
            stats["encoded"] += 1
            stats["linked"] += 1

    names, file_errors, warnings = [], [], []
    for i, k in enumerate(kept):
        r = new.get(i)
        file_errors.extend(k.errors)
        warnings.extend(k.link_warnings)
        if r is not None:
            if r.pending is not None:
                names.append(loader.names_of(r.pending))
        elif k.id_loc is not None:
            note_id = k.note.id if k.note is not None else index.heads[position[i]].id
            names.append((note_id, k.id_loc, k.question_ids, k.question_id_locs, k.alias_locs))
    errors = loader.sort_errors(files, [*file_errors, *loader.id_checks(names), *warnings])

    # Where each note's body and search text are now.
    spans, body_swaps = [], []
    offset = index.bodies[0].offset if n else 0
    expected = offset
    for at, span in enumerate(index.bodies):
        if span.offset != expected:
            raise ValueError("the bodies are not one after the other")
        expected += span.length
        body = bodies.get(at)
        if body is None:
            spans.append(Span(offset, span.length, span.crc32))
        else:
            spans.append(Span(offset, len(body), zlib.crc32(body)))
            body_swaps.append((span.offset, span.length, body))
        offset += spans[-1].length
    if expected != header.notes.length:
        raise ValueError("the bodies do not fill the notes part")
    ends, text_swaps = [], []
    start, end = 0, -1
    for at, old_end in enumerate(index.text_ends):
        length = old_end - start
        text = texts.get(at)
        if text is not None:
            text_swaps.append((start, length, text))
            length = len(text)
        end += 1 + length
        ends.append(end)
        start = old_end + len(SEPARATOR)

    head_bytes = msgspec.msgpack.encode(cache._Head(tuple(errors), head.summary))
    new_index = NoteIndex(tuple(heads), tuple(spans), tuple(ends), tuple(links),
                          index.question_slots)
    index_bytes = _ENCODE(new_index)
    files_bytes = _ENCODE(filereuse.FilesPart(basis, part.names, [s.digest for s in stamps],
                                              kept))
    notes_length = offset
    search_length = ends[-1] if ends else 0

    def header_of(notes_crc: int, search_crc: int) -> bytes:
        return msgspec.json.encode(cache._Header(
            cache.CACHE_FORMAT, cache.CACHE_VERSION, entry.key, cache._part_of([head_bytes]),
            cache._Part(notes_length, notes_crc), cache._part_of([index_bytes]),
            cache._Part(search_length, search_crc), cache._part_of([files_bytes])))

    # The checksums are known once the parts are written: the header's room is that of the
    # largest ones, the rest blank (JSON allows it), filled in at the end.
    room = len(header_of(0xFFFFFFFF, 0xFFFFFFFF)) + 1
    total = (room + len(head_bytes) + notes_length + len(index_bytes) + search_length
             + len(files_bytes))
    if total > entry.limit or room > cache.HEADER_LIMIT:
        raise _NotPatched

    def fill(out) -> None:
        fd = f.fileno()
        ready.reader = os.dup(out.fileno())  # opened for reading and writing
        out.write(b" " * (room - 1) + b"\n")
        out.write(head_bytes)
        notes_crc = _copy_part(fd, notes_at, header.notes, body_swaps, out)
        out.write(index_bytes)
        search_crc = _copy_part(fd, search_at, header.search, text_swaps, out)
        out.write(files_bytes)
        out.seek(0)
        out.write(header_of(notes_crc, search_crc).ljust(room - 1) + b"\n")
        ready.search_crc32 = search_crc

    new_notes_at = room + len(head_bytes)
    ready = Patch(entry, f, errors, head.summary, new_index, new_notes_at,
                  new_notes_at + notes_length + len(index_bytes), fill)
    return ready


def _old_note(fd: int, notes_at: int, span: Span) -> Note:
    data = os.pread(fd, span.length, notes_at + span.offset)
    if len(data) != span.length or zlib.crc32(data) != span.crc32:
        raise ValueError("a note does not match its checksum")
    return _NOTE.decode(data)


def _copy_part(fd: int, at: int, part, swaps: list[tuple[int, int, bytes]], out) -> int:
    """Write the part of the previous file at ``at`` with each of ``swaps`` (offset in the
    part, length, what goes there instead) made; the new part's CRC-32. Raises ValueError
    if the previous part does not match its checksum.

    Each byte copied is summed once: the old and the new part's checksums are both made of
    the checksums of their pieces (`crc32_combine`)."""
    old_crc = new_crc = 0
    pos = 0
    for offset, length, piece in (*swaps, (part.length, 0, b"")):
        if pos < offset:
            run = 0
            start = pos
            while pos < offset:
                chunk = os.pread(fd, min(offset - pos, CHUNK), at + pos)
                if not chunk:
                    raise ValueError("the previous file ends early")
                run = zlib.crc32(chunk, run)
                out.write(chunk)
                pos += len(chunk)
            old_crc = crc32_combine(old_crc, run, pos - start)
            new_crc = crc32_combine(new_crc, run, pos - start)
        if length or piece:
            old = os.pread(fd, length, at + pos)
            if len(old) != length:
                raise ValueError("the previous file ends early")
            old_crc = crc32_combine(old_crc, zlib.crc32(old), length)
            new_crc = crc32_combine(new_crc, zlib.crc32(piece), len(piece))
            out.write(piece)
            pos += length
    if old_crc != part.crc32:
        raise ValueError("a part of the previous file does not match its checksum")
    return new_crc

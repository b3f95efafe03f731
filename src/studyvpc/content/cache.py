"""A cache of the parsed and validated library, so the app starts without parsing YAML.

Keyed by the cache format, the app version, msgspec's version, the model's field lists,
which YAML parser is available, and for every content file its path (as given, which is
what error messages show) and its bytes (SHA-256): any edit (even one that keeps the size
and the modification time), a rename, an added or removed file, or an upgrade gives a new
key and so a miss. The key is of the bytes, never of modification times, so it can never
serve a stale library; a file's digest is taken from its stamp (`stamps`, a file beside the
cache file) rather than by reading it when its stat shows it unchanged and settled.

The file is a one-line JSON header, then five parts: the *head* (the content errors and the
library's `LibrarySummary`), the *notes* (a MessagePack array of every `Note`, each note's
bytes also addressable alone), the *index* (`noteindex.NoteIndex`: each note's head, where its
body is and its CRC-32, where its links lead), the *search* texts (each note's folded text,
UTF-8) and the *files* (`filereuse`: what each content file gave, by its path and digest).
The header holds the key and each part's length and CRC-32. No pickle, no generated code:
msgspec decodes straight into the model's own classes and checks the type of every value, so
a damaged or foreign file -- a length or checksum that does not match, a value of the wrong
type -- is a miss: discarded and rebuilt. A stale file (another key) is a miss too, but it
is kept until the new one replaces it: a miss reads again only the content files whose bytes
changed since it was written, and takes the rest from its files part. Every read is bounded
(`read_limit`), so a cache file that is a symlink to an endless device or a huge foreign file
costs one refused read. A cache directory that cannot be written only costs speed. One file
per content configuration (the list of content paths), at most `MAX_ENTRIES` of them.
``yaml`` is imported only on a miss.

``deferred=True`` (the app's start) reads the header and the head only; the index is read
when the library is first used for more than its summary (`noteindex.PendingNotes`), and a
note's body when it is asked for (`stored.StoredNotes`), so a large library's prose is never
all in memory.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
import zlib
from collections.abc import Iterable
from pathlib import Path

import msgspec

from studyvpc import __version__
from studyvpc.content import filereuse, model, stamps
from studyvpc.content.library import Library
from studyvpc.content.model import Note
from studyvpc.content.noteindex import LibrarySummary, NoteIndex, PendingNotes
from studyvpc.content.stored import StoredNotes, encode_notes, split_texts
from studyvpc.content.results import (
    ContentError, LoadResult, discover, give_back_memory, parser_flavour,
)

CACHE_FORMAT = "studyvpc-library-cache"
CACHE_VERSION = 6
"""Bump when the file layout below changes (the model's shape is in the key already)."""
PREFIX = "library-"
STAMPS_PREFIX = "stamps-"
"""Beside each cache file, its content files' stamps (`stamps`): the key without reading."""
SUFFIX = ".msgpack"
MAX_ENTRIES = 8
"""Cache files kept, one per content configuration; the least recently written go first."""
HEADER_LIMIT = 1024
"""The most bytes the header line may take (it holds a key and four numbers)."""


def read_limit(content_bytes: int) -> int:
    """The largest cache file read for content of ``content_bytes`` bytes.

    The parts encode what the YAML says, more compactly than YAML, plus the summary and the
    error messages: a few times the content size at most. A larger file is not ours (or not
    a sane one) and is refused unread; a cache that would be larger is not written.
    """
    return 8 * content_bytes + (1 << 20)


class _Part(msgspec.Struct, frozen=True, array_like=True):
    length: int
    crc32: int


class _Header(msgspec.Struct, frozen=True):
    format: str
    version: int
    key: str
    head: _Part
    notes: _Part
    index: _Part
    search: _Part
    files: _Part


class _Head(msgspec.Struct, frozen=True, array_like=True):
    errors: tuple[ContentError, ...]
    summary: LibrarySummary


class _Stale(ValueError):
    """The file is not the cache of this content (another key, format or size)."""


class _OtherKey(_Stale):
    """The file is the cache of other content, or of another app: kept, as its files part
    may spare the next parse some files (`filereuse`), until it is replaced."""


# A damaged, foreign or stale file (msgspec's errors are ValueErrors, so is _Stale).
_DAMAGED = (OSError, ValueError)

_NOTES = msgspec.msgpack.Decoder(tuple[Note, ...])
_HEAD = msgspec.msgpack.Decoder(_Head)
_INDEX = msgspec.msgpack.Decoder(NoteIndex)


@functools.cache
def model_shape() -> str:
    """Every model class with its fields and their types, in order: the parts are positional,
    so any change to the model's shape must be a miss."""
    classes = sorted((c for c in vars(model).values()
                      if isinstance(c, type) and issubclass(c, model.Model)),
                     key=lambda c: c.__name__)
    return repr([(c.__name__, [(f, c.__annotations__.get(f)) for f in c.__struct_fields__])
                 for c in classes])


def cache_key(files: list[Path]) -> str:
    """The digest of everything the loaded result depends on, every file read; raises
    OSError if a file cannot be read (the loader then reports it, located)."""
    return stamps.fingerprint(_key_prefix(), stamps.names_of(files), None).key


def _key_prefix() -> bytes:
    return (f"{CACHE_FORMAT}:{CACHE_VERSION}:{__version__}:{msgspec.__version__}:"
            f"{parser_flavour()}:{model_shape()}".encode())


def cache_file(cache_dir: Path, paths: list) -> Path:
    """The cache file of one content configuration (the content paths, as given)."""
    slot = hashlib.blake2b(digest_size=10)
    for p in paths:
        slot.update(os.fsencode(p) + b"\0")
    return cache_dir / f"{PREFIX}{slot.hexdigest()}{SUFFIX}"


def load_library_cached(paths: Iterable[str | os.PathLike[str]], cache_dir: Path | None, *,
                        deferred: bool = False, progress=None) -> LoadResult:
    """Like ``loader.load_library(paths)``, served from ``cache_dir`` when nothing changed.

    ``result.from_cache`` says which it was. ``cache_dir=None`` never uses a cache. With
    ``deferred``, the library's notes are pending (read on first use, or by
    ``library.load()``), on a miss too once the cache is written. ``progress(done, total)``
    is called as the files a miss reads are read.
    """
    paths = list(paths)
    files, missing = discover(paths)
    key = None
    if cache_dir is not None and not missing:
        # A missing path is reported by the loader; such a configuration is not cached.
        path = cache_file(cache_dir, paths)
        stamped = stamps.stamps_file(path, STAMPS_PREFIX)
        names = stamps.names_of(files)
        try:
            found = stamps.fingerprint(_key_prefix(), names,
                                       stamps.load(stamped, stamps.read_limit(names)))
            key = found.key
        except OSError:
            key = None  # a file vanished or is unreadable: the loader will say so, located
    if key is not None:
        entry = CacheEntry(path, key, read_limit(found.size), paths)
        cached = entry.read(deferred=deferred)
        if cached is not None:
            if found.worth_saving:
                stamps.save(stamped, found.stamps)
            return LoadResult(cached[0], cached[1], files, from_cache=True)
    from studyvpc.content import loader  # imports yaml: only on a miss

    if key is None:
        return loader.load_library(paths)
    # What writing and giving memory back import, imported before the parse rather than
    # among its garbage (a module's objects there would keep that memory from going back).
    import ctypes  # noqa: F401
    import tempfile  # noqa: F401

    basis = filereuse.basis_of(_key_prefix())
    from studyvpc.content import cachepatch

    read_now: dict = {}
    ready = cachepatch.prepare(entry, files, found.stamps.files, basis, progress, read_now)

    def parse_changed() -> tuple[LoadResult, bytes, filereuse.Earlier]:
        earlier = entry.earlier(basis)
        earlier.reads.update(read_now)  # what the patch read, not read again
        return (*filereuse.parse_changed(files, found.stamps.files, basis, earlier, progress),
                earlier)

    if ready is not None:
        # Files edited in place, keeping their shape: the file is the previous one with
        # their pieces swapped in (`cachepatch`), its errors and summary known already.
        if deferred:
            # Written while the app draws its first frame; the notes are read from it.
            ready.start(then=lambda: stamps.save(stamped, found.stamps))

            def assembled():  # the file could not be written: as a full assembly does
                result, files_part, earlier = parse_changed()
                if entry.write(result, files_part, earlier.folded):
                    stamps.save(stamped, found.stamps)
                return result.library.notes

            notes = PendingNotes(ready.summary, functools.partial(entry.written, ready,
                                                                  assembled))
            return LoadResult(Library(notes), ready.errors, files)
        if ready.write():
            stamps.save(stamped, found.stamps)
            served = entry.read()
            if served is not None:
                return LoadResult(served[0], served[1], files)
    result, files_part, earlier = parse_changed()
    written = entry.write(result, files_part, earlier.folded)
    del files_part, earlier
    if written:
        stamps.save(stamped, found.stamps)
    if written and deferred:
        # Served from the file just written, like the next start: everything parsed is let
        # go first and its memory given back, so that nothing read afterwards is scattered
        # among the parse's leftovers (which would keep them from going back).
        files = result.files
        del result
        give_back_memory()
        served = entry.read(deferred=True)
        if served is not None:
            return LoadResult(served[0], served[1], files)
        return loader.load_library(paths)  # the file just written is gone: parse again
    return result


class CacheEntry:
    """One cache file: ``path``, holding (or to hold) the content of ``key``.

    ``limit`` bounds every read of it (`read_limit` of the content's size); ``paths`` are
    the content paths, read instead if pending notes turn out to be gone from the file.
    """

    def __init__(self, path: Path, key: str, limit: int, paths: list) -> None:
        self.path = path
        self.key = key
        self.limit = limit
        self.paths = paths

    def read(self, *, deferred: bool = False) -> tuple[Library, list[ContentError]] | None:
        """The library and errors stored under the key; None (and the file removed) if the
        file is missing, stale, damaged or not ours. ``deferred``: the notes pending."""
        try:
            with self._open() as f:
                header = self._header(f)
                head = _HEAD.decode(self._part(f, header.head))  # checks the summary too
                if deferred:
                    notes: tuple[Note, ...] | PendingNotes = PendingNotes(
                        head.summary, functools.partial(self._stored, head.summary))
                else:
                    notes = self._decode_notes(self._part(f, header.notes), head.summary.notes)
            return Library(notes), list(head.errors)
        except (FileNotFoundError, _OtherKey):
            return None
        except _DAMAGED:
            self.discard()
            return None

    def earlier(self, basis: bytes) -> filereuse.Earlier:
        """What the file says of each content file it was made of, whatever its key
        (`filereuse.earlier_reads`); nothing if it is missing, damaged or of another basis."""
        try:
            with self._open() as f:
                header = self._header(f, any_key=True)
                f.seek(header.head.length, os.SEEK_CUR)
                notes, index, search, files = (self._part(f, p) for p in (
                    header.notes, header.index, header.search, header.files))
            return filereuse.earlier_reads(files, lambda: (
                _NOTES.decode(notes), split_texts(_INDEX.decode(index), search)), basis)
        except _DAMAGED:
            return filereuse.Earlier()

    def written(self, patch, otherwise):
        """Pending notes of a file being written (`cachepatch.Patch.start`), its index in
        memory already: its bodies and search texts are read once it is written; if it
        could not be, the notes ``otherwise()`` gives (assembled in full: the previous file,
        which that reuses, is kept)."""
        return patch.stored(str(self.path), lambda: Library(otherwise()),
                            lambda: self.discard() if patch.wait() else None)

    def _stored(self, summary: LibrarySummary):
        """Pending notes: the file opened again (the same key, so the same content, even if
        another process rewrote it meanwhile) and its index read; else the notes of the
        content files."""
        f = None
        try:
            f = self._open()
            header = self._header(f)
            notes_at = f.tell() + header.head.length
            f.seek(notes_at + header.notes.length)
            index = _INDEX.decode(self._part(f, header.index))
            if (len(index.heads) != summary.notes
                    or len(index.question_slots) != summary.questions
                    or any(s.offset + s.length > header.notes.length for s in index.bodies)
                    or (index.text_ends[-1] if index.text_ends else 0) != header.search.length):
                raise _Stale("the index does not match the parts")
            return StoredNotes(f, str(self.path), index, notes_at, f.tell(),
                               header.search.crc32, self._parse, self.discard)
        except _DAMAGED:
            if f is not None:
                f.close()
            self.discard()
        return self._parse().notes

    def _parse(self) -> Library:
        from studyvpc.content.loader import load_library

        return load_library(self.paths).library

    def _open(self):
        """The file, if it is a regular file no larger than the limit (a FIFO is opened
        without waiting for a writer, then refused, like a device)."""
        fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_BINARY", 0))
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or st.st_size > self.limit:
                raise _Stale("not a cache file, or larger than any cache of this content")
            return os.fdopen(fd, "rb")
        except BaseException:
            os.close(fd)
            raise

    def _header(self, f, any_key: bool = False) -> _Header:
        line = f.readline(HEADER_LIMIT)
        if not line.endswith(b"\n"):
            raise _Stale("no header line")
        header = msgspec.json.decode(line, type=_Header)
        if (header.format, header.version) != (CACHE_FORMAT, CACHE_VERSION):
            raise _Stale("another cache format")
        lengths = (header.head.length, header.notes.length, header.index.length,
                   header.search.length, header.files.length)
        if min(lengths) < 0 or len(line) + sum(lengths) != os.fstat(f.fileno()).st_size:
            raise _Stale("the parts do not fill the file")
        if header.key != self.key and not any_key:
            raise _OtherKey("stale: the content or the app changed")
        return header

    @staticmethod
    def _part(f, part: _Part) -> bytes:
        data = f.read(part.length)  # bounded: the header's sizes were checked against the file
        if len(data) != part.length or zlib.crc32(data) != part.crc32:
            raise _Stale("a part does not match its checksum")
        return data

    @staticmethod
    def _decode_notes(data: bytes, count: int) -> tuple[Note, ...]:
        # No need to pause the collector: the model's objects are not tracked by it, and the
        # tuples holding them stop being tracked at the first collection that sees them.
        notes = _NOTES.decode(data)
        if len(notes) != count:
            raise _Stale("the notes do not match the summary")
        return notes

    def discard(self) -> None:
        try:
            self.path.unlink()
        except OSError:
            pass

    def write(self, result: LoadResult, files: bytes = b"", folded: dict | None = None) -> bool:
        """Store ``result`` atomically, with ``files`` (`filereuse.encode`; empty: nothing to
        reuse) and the ``folded`` search texts known (`encode_notes`); False if the directory
        is not writable or the file would exceed the limit."""
        library = result.library
        head = msgspec.msgpack.encode(_Head(tuple(result.errors), library.summary()))
        notes, index, search = encode_notes(library, folded)
        parts = ([head], notes, [index], search, [files])
        header = msgspec.json.encode(_Header(
            CACHE_FORMAT, CACHE_VERSION, self.key, *map(_part_of, parts))) + b"\n"
        if len(header) + sum(len(piece) for part in parts for piece in part) > self.limit \
                or len(header) > HEADER_LIMIT:
            return False

        def fill(f) -> None:
            f.write(header)
            for part in parts:
                f.writelines(part)

        return self.replace(fill)

    def replace(self, fill) -> bool:
        """Write the file anew, atomically: ``fill(f)`` writes it whole into a new file
        beside it, which then replaces it; False if the directory is not writable (or
        ``fill`` raised OSError), the file unchanged."""
        import tempfile  # a write happens on a miss only

        cache_dir = self.path.parent
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=SUFFIX, dir=cache_dir)
            try:
                with os.fdopen(fd, "wb") as f:
                    fill(f)
                # Readers see the old file or the new one, never half of one.
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            _prune(cache_dir, keep=self.path)
        except OSError:
            return False  # unwritable cache directory: the app still works, only slower to start
        return True


def _part_of(pieces: list[bytes]) -> _Part:
    crc = 0
    for piece in pieces:
        crc = zlib.crc32(piece, crc)
    return _Part(sum(map(len, pieces)), crc)


def _prune(cache_dir: Path, keep: Path) -> None:
    """Keep the `MAX_ENTRIES` most recently written files (older formats' files count too)."""
    entries = []
    for old in cache_dir.glob(f"{PREFIX}*"):
        if old != keep:
            try:
                entries.append((old.stat().st_mtime, old))
            except OSError:
                pass
    entries.sort(reverse=True)
    for _, old in entries[MAX_ENTRIES - 1:]:
        try:
            old.unlink()
        except OSError:
            pass
    for orphan in cache_dir.glob(f"{STAMPS_PREFIX}*"):  # stamps whose cache file is gone
        try:
            if not stamps_owner(orphan).exists():
                orphan.unlink()
        except OSError:
            pass


def stamps_owner(stamped: Path) -> Path:
    return stamped.with_name(PREFIX + stamped.name.split("-", 1)[1])

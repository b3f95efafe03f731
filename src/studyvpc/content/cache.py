"""A cache of the parsed and validated library, so the app starts without parsing YAML.

Keyed by the cache format, the codec, the app version, which YAML parser is available, and
for every content file its path (as given, which is what error messages show) and its bytes
(SHA-256): any edit (even one that keeps the size and the modification time), a rename, an
added or removed file, or an upgrade gives a new key and so a miss. Reading and hashing the
bytes rather than trusting modification times costs ~2 ms per MB of content (SHA-256 runs in
hardware on current CPUs; most of the cost is reading) and can never serve a stale library.

The file is JSON (see ``codec``: no pickle, only the model's own classes are ever built, every
value type-checked). A damaged, foreign or stale cache is discarded and rebuilt; a cache
directory that cannot be written only costs speed. One file per content configuration (the
list of content paths), at most `MAX_ENTRIES` of them. ``yaml`` is imported only on a miss.

Its first line holds everything but the notes: the key, the content errors and the
library's summary (`library.LibrarySummary`: counts, tags, the question index), so the app
can start from that line alone (``deferred=True``: a `library.DeferredLibrary`, whose notes
are decoded once the first frame is drawn); the second line holds the notes. Together they
are one JSON object.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from studyvpc import __version__
from studyvpc.content import codec
from studyvpc.content.library import DeferredLibrary, Library, LibrarySummary
from studyvpc.content.model import Location, Note
from studyvpc.content.results import ContentError, LoadResult, collector_paused, discover

CACHE_FORMAT = "studyvpc-library-cache"
CACHE_VERSION = 2
"""Bump when the file layout below changes (the codec has its own version)."""
PREFIX = "library-"
MAX_ENTRIES = 8
"""Cache files kept, one per content configuration; the least recently written go first."""


@functools.cache
def parser_flavour() -> str:
    """Which YAML parser a miss would use: its messages differ slightly, so it is in the key.

    Found by looking for PyYAML's compiled ``_yaml`` module next to ``yaml/__init__.py``,
    without importing ``yaml`` (the warm start never imports it; ``find_spec("yaml._yaml")``
    would import the package).
    """
    from importlib.util import find_spec

    try:
        spec = find_spec("yaml")
    except (ImportError, ValueError):
        return "none"
    for folder in (spec.submodule_search_locations or []) if spec else []:
        try:
            if any(name.startswith("_yaml.") for name in os.listdir(folder)):
                return "libyaml"
        except OSError:
            pass
    return "pure"


def cache_key(files: list[Path]) -> str:
    """The digest of everything the loaded result depends on; raises OSError if a file
    cannot be read (the loader then reports it, located)."""
    h = hashlib.sha256()
    update = h.update
    update(f"{CACHE_FORMAT}:{CACHE_VERSION}:{codec.CODEC_VERSION}:{__version__}:"
           f"{parser_flavour()}".encode())
    for f in files:
        name = os.fsencode(f)
        data = _read(name)
        # Each file framed by its name and length, so no two file sets hash alike.
        update(b"\0" + name + b"\0" + len(data).to_bytes(8, "little"))
        update(data)
    return h.hexdigest()


def _read(name: bytes) -> bytes:
    """A whole file, with plain ``os`` calls: for a thousand small files this is ~40% faster
    than ``open().read()`` (no file object per file)."""
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        chunks = []
        while chunk := os.read(fd, 1 << 16):
            chunks.append(chunk)
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def cache_file(cache_dir: Path, paths: list) -> Path:
    """The cache file of one content configuration (the content paths, as given)."""
    slot = hashlib.blake2b(digest_size=10)
    for p in paths:
        slot.update(os.fsencode(p) + b"\0")
    return cache_dir / f"{PREFIX}{slot.hexdigest()}.json"


def load_library_cached(paths: Iterable[str | os.PathLike[str]],
                        cache_dir: Path | None, *, deferred: bool = False,
                        meanwhile: Callable[[], object] | None = None) -> LoadResult:
    """Like ``loader.load_library(paths)``, served from ``cache_dir`` when nothing changed.

    ``result.from_cache`` says which it was. ``cache_dir=None`` never uses a cache. With
    ``deferred``, a cache hit gives a `DeferredLibrary`: the summary is read now, the notes
    when first needed (``library.materialize()``); a miss gives an ordinary library.

    ``meanwhile``, if given, is called exactly once, for other start-up work (the app: its
    imports). On a miss it runs while a second process (`cache_build`) parses the content
    and writes the cache, so on two or more cores the parse costs the start little; the
    library is then read from that cache. If the build fails (no cache directory, a crash),
    the content is loaded here, as without ``meanwhile``.
    """
    paths = list(paths)
    files, missing = discover(paths)
    key = None
    if cache_dir is not None and not missing:
        # A missing path is reported by the loader; such a configuration is not cached.
        try:
            key = cache_key(files)
        except OSError:
            key = None  # a file vanished or is unreadable: the loader will say so, located
    target = cache_file(cache_dir, paths) if key is not None else None

    def from_cache() -> LoadResult | None:
        if target is None:
            return None
        cached = read_cache_deferred(target, key, paths) if deferred else read_cache(target, key)
        return None if cached is None else LoadResult(cached[0], cached[1], files, from_cache=True)

    result = from_cache()
    if meanwhile is not None:
        build = None
        if result is None and target is not None:
            from studyvpc.content import cache_build

            build = cache_build.start_build(target, key, paths)
        meanwhile()
        if build is not None and cache_build.finish_build(build):
            result = from_cache()
            if result is not None:
                result.parsed_now = True
    if result is not None:
        return result
    from studyvpc.content.loader import load_library  # imports yaml: only on a miss

    result = load_library(paths)
    result.parsed_now = True
    if target is not None:
        write_cache(target, key, result)
    return result


def read_cache(path: Path, key: str) -> tuple[Library, list[ContentError]] | None:
    """The library and errors stored under ``key``; None (and the file removed) if the file
    is missing, stale, damaged or not ours."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    # Decoding builds ~15 objects per question and none of them is garbage: pausing the
    # collector avoids repeated full scans of the growing graph (3x faster at 10,000).
    with collector_paused():
        try:
            data = _checked(json.loads(raw), key)
            notes = codec.decode_notes(data["notes"])
            errors = [_decode_error(e) for e in _list(data["errors"])]
            return Library(notes), errors
        except _DAMAGED:
            _discard(path)
            return None


def read_cache_deferred(path: Path, key: str, paths: list
                        ) -> tuple[DeferredLibrary, list[ContentError]] | None:
    """Like `read_cache`, but only the first line (key, errors, summary) is read now; the
    notes are read and decoded when the library is first used for more than its summary.

    The whole file is read again then, and served only if it still holds ``key`` (the same
    content: another process may have rewritten the file meanwhile, not changed it). If it
    is gone or damaged, it is removed and the notes are read from ``paths`` instead.
    """
    try:
        with open(path, "rb") as f:
            line = f.readline()
    except OSError:
        return None
    try:
        if line[-2:] != b",\n":
            raise codec.DecodeError("no first line")
        head = _checked(json.loads(line[:-2] + b"}"), key)
        errors = [_decode_error(e) for e in _list(head["errors"])]
        summary = _decode_summary(head["summary"])
    except _DAMAGED:
        _discard(path)
        return None

    def decode() -> tuple[Note, ...]:
        try:
            raw = path.read_bytes()
        except OSError:
            raw = None
        if raw is not None:
            # Deferred libraries are the app's, kept for the life of the process: frozen.
            with collector_paused(permanent=True):
                try:
                    data = _checked(json.loads(raw), key)
                    notes = codec.decode_notes(data["notes"])
                    if len(notes) != summary.notes:
                        raise codec.DecodeError("the notes do not match the summary")
                    return notes
                except _DAMAGED:
                    pass
            _discard(path)
        from studyvpc.content.loader import load_library

        return load_library(paths).library.notes

    return DeferredLibrary(summary, decode), errors


# Stale, damaged or foreign (json's errors are ValueErrors, DecodeError is one).
_DAMAGED = (ValueError, LookupError, TypeError, AttributeError, RecursionError)


def _checked(data, key: str) -> dict:
    if type(data) is not dict:
        raise codec.DecodeError("not a cache object")
    if (data.get("format") != CACHE_FORMAT or data.get("version") != CACHE_VERSION
            or data.get("codec") != codec.CODEC_VERSION):
        raise codec.DecodeError("another cache format")
    if data.get("key") != key:
        raise codec.DecodeError("stale: the content or the app changed")
    return data


def _discard(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def _list(value) -> list:
    if type(value) is not list:
        raise codec.DecodeError("expected a list")
    return value


def _decode_error(e) -> ContentError:
    if (type(e) is not list or len(e) != 5 or type(e[0]) is not str or type(e[1]) is not int
            or type(e[2]) is not int or type(e[3]) is not str or type(e[4]) is not str):
        raise codec.DecodeError("bad error entry")
    return ContentError(Location(e[0], e[1], e[2]), e[3], e[4])


def _encode_error(e: ContentError) -> list:
    return [e.location.path, e.location.line, e.location.column, e.message, e.severity]


def _encode_summary(summary: LibrarySummary) -> dict:
    rows = summary.questions_rows
    tag_sets = {tags: i for i, tags in enumerate(dict.fromkeys(r[1] for r in rows))}
    return {
        "notes": summary.notes, "questions": summary.questions, "tags": list(summary.tags),
        "tag_counts": {t: list(c) for t, c in summary.tag_counts.items()},
        # The question index, by column; questions share few tag sets, kept once each.
        "question_ids": [r[0] for r in rows], "question_notes": [r[2] for r in rows],
        "tag_sets": [list(t) for t in tag_sets], "question_tags": [tag_sets[r[1]] for r in rows],
    }


def _decode_summary(d) -> LibrarySummary:
    # Checked with loops that run in C (set(map(type, ...))): the first line of a
    # 10,000-question library holds ~50,000 values, and this is on the app's start path.
    def strings(value) -> list:
        if type(value) is not list or not set(map(type, value)) <= {str}:
            raise codec.DecodeError("expected a list of text")
        return value

    def count(value) -> int:
        if type(value) is not int or value < 0:
            raise codec.DecodeError("expected a count")
        return value

    if type(d) is not dict or type(d["tag_counts"]) is not dict:
        raise codec.DecodeError("bad summary")
    tag_counts = {}
    for tag, pair in d["tag_counts"].items():
        if type(pair) is not list or len(pair) != 2:
            raise codec.DecodeError("bad tag count")
        tag_counts[tag] = (count(pair[0]), count(pair[1]))
    tag_sets = [tuple(strings(t)) for t in _list(d["tag_sets"])]
    ids, notes, tags = strings(d["question_ids"]), strings(d["question_notes"]), _list(d["question_tags"])
    if not len(ids) == len(notes) == len(tags) == count(d["questions"]):
        raise codec.DecodeError("bad question index")
    if tags and (not set(map(type, tags)) <= {int} or min(tags) < 0 or max(tags) >= len(tag_sets)):
        raise codec.DecodeError("bad tag set index")
    rows = tuple(zip(ids, map(tag_sets.__getitem__, tags), notes))
    return LibrarySummary(notes=count(d["notes"]), questions=len(ids), tags=tuple(strings(d["tags"])),
                          tag_counts=tag_counts, questions_rows=rows)


def write_cache(path: Path, key: str, result: LoadResult) -> bool:
    """Store ``result`` under ``key`` atomically; False if the directory is not writable.

    Written note by note: one ``json.dumps`` per note keeps the peak memory of a cold start
    low (no full list tree, no 30 MB string for 10,000 questions) at the same speed.
    """
    head = {
        "format": CACHE_FORMAT, "version": CACHE_VERSION, "codec": codec.CODEC_VERSION,
        "key": key, "app": __version__,
        "errors": [_encode_error(e) for e in result.errors],
        "summary": _encode_summary(result.library.summary()),
    }
    import tempfile  # a write happens on a miss only

    encode_note = codec.note_encoder()
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    cache_dir = path.parent
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the encoded lists are short-lived and acyclic: no need to scan for cycles
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=cache_dir)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                # The first line ends after the head (JSON never has a raw line break).
                f.write(dumps(head)[:-1] + ',\n"notes":[')
                for i, note in enumerate(result.library.notes):
                    if i:
                        f.write(",")
                    f.write(dumps(encode_note(note)))
                f.write("]}")
            # Readers see the old file or the new one, never half of one.
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _prune(cache_dir, keep=path)
    except OSError:
        return False  # unwritable cache directory: the app still works, only slower to start
    finally:
        if gc_was_enabled:
            gc.enable()
    return True


def _prune(cache_dir: Path, keep: Path) -> None:
    entries = []
    for old in cache_dir.glob(f"{PREFIX}*.json"):
        if old != keep:
            try:
                entries.append((old.stat().st_mtime, old))
            except OSError:
                pass
    entries.sort(reverse=True)
    for _, old in entries[MAX_ENTRIES - 1:]:
        old.unlink(missing_ok=True)

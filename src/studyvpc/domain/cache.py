"""A cache of the parsed and validated library, so the app starts without parsing YAML.

Keyed by the cache format, the codec, the app version, which YAML parser is available, and
for every content file its path (as given, which is what error messages show) and a SHA-256
digest of its bytes: any edit (even one that keeps the size and the modification time), a
rename, an added or removed file, or an upgrade gives a new key and so a miss. Reading and
hashing the bytes rather than trusting modification times costs ~2 ms per MB of content
(SHA-256 runs in hardware on current CPUs; most of the cost is reading) and can never serve a
stale library.

The file is JSON (see ``codec``: no pickle, only the model's own classes are ever built, every
value type-checked). A damaged, foreign or stale cache is discarded and rebuilt; a cache
directory that cannot be written only costs speed. One file per content configuration (the
list of content paths), at most `MAX_ENTRIES` of them. ``yaml`` is imported only on a miss.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from studyvpc import __version__
from studyvpc.domain import codec
from studyvpc.domain.library import Library
from studyvpc.domain.model import Location
from studyvpc.domain.results import ContentError, LoadResult, collector_paused, discover

CACHE_FORMAT = "studyvpc-library-cache"
CACHE_VERSION = 1
"""Bump when the file layout below changes (the codec has its own version)."""
PREFIX = "library-"
MAX_ENTRIES = 8
"""Cache files kept, one per content configuration; the least recently written go first."""


@functools.cache
def _parser_flavour() -> str:
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
    h.update(f"{CACHE_FORMAT}:{CACHE_VERSION}:{codec.CODEC_VERSION}:{__version__}:"
             f"{_parser_flavour()}".encode())
    for f in files:
        with open(f, "rb") as fh:
            data = fh.read()
        h.update(b"\0" + os.fsencode(f) + b"\0" + len(data).to_bytes(8, "little"))
        h.update(hashlib.sha256(data).digest())
    return h.hexdigest()


def cache_file(cache_dir: Path, paths: list) -> Path:
    """The cache file of one content configuration (the content paths, as given)."""
    slot = hashlib.blake2b(digest_size=10)
    for p in paths:
        slot.update(os.fsencode(p) + b"\0")
    return cache_dir / f"{PREFIX}{slot.hexdigest()}.json"


def load_library_cached(paths: Iterable[str | os.PathLike[str]],
                        cache_dir: Path | None) -> LoadResult:
    """Like ``loader.load_library(paths)``, served from ``cache_dir`` when nothing changed.

    ``result.from_cache`` says which it was. ``cache_dir=None`` never uses a cache.
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
    if target is not None:
        cached = read_cache(target, key)
        if cached is not None:
            library, errors = cached
            return LoadResult(library, errors, files, from_cache=True)
    from studyvpc.domain.loader import load_library  # imports yaml: only on a miss

    result = load_library(paths)
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
        return _decode_cache(path, raw, key)


def _decode_cache(path: Path, raw: bytes, key: str) -> tuple[Library, list[ContentError]] | None:
    try:
        data = json.loads(raw)
        if type(data) is not dict:
            raise codec.DecodeError("not a cache object")
        if (data.get("format") != CACHE_FORMAT or data.get("version") != CACHE_VERSION
                or data.get("codec") != codec.CODEC_VERSION):
            raise codec.DecodeError("another cache format")
        if data.get("key") != key:
            raise codec.DecodeError("stale: the content or the app changed")
        notes = codec.decode_notes(data["notes"])
        errors = [_decode_error(e) for e in _list(data["errors"])]
        return Library(notes), errors
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError, codec.DecodeError):
        # Stale, damaged or foreign (json's errors are ValueErrors): throw it away, rebuild.
        try:
            path.unlink()
        except OSError:
            pass
        return None


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


def write_cache(path: Path, key: str, result: LoadResult) -> bool:
    """Store ``result`` under ``key`` atomically; False if the directory is not writable.

    Written note by note: one ``json.dumps`` per note keeps the peak memory of a cold start
    low (no full list tree, no 30 MB string for 10,000 questions) at the same speed.
    """
    head = {
        "format": CACHE_FORMAT, "version": CACHE_VERSION, "codec": codec.CODEC_VERSION,
        "key": key, "app": __version__,
        "errors": [_encode_error(e) for e in result.errors],
    }
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
                f.write(dumps(head)[:-1] + ',"notes":[')
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

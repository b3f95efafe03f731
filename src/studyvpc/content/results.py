"""What loading content produces (`LoadResult`, `ContentError`) and where content files are
(`discover`), without importing ``yaml``.

Why a module of its own: the app's warm start serves the library from the parsed-content
cache (`studyvpc.content.cache`) and must not pay for importing the YAML machinery it does not
use.
"""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from studyvpc.content.library import Library
from studyvpc.content.model import Location
from studyvpc.content.textutil import visible_line

MARKDOWN_SUFFIXES = (".md", ".markdown")
CONTENT_SUFFIXES = (".yaml", ".yml", *MARKDOWN_SUFFIXES)
MAX_FILE_BYTES = 2 * 1024 * 1024
"""The largest content file read; a larger one is refused, located, and never read whole
(nor by the parsed-content cache's key)."""
MAX_MESSAGE = 400
"""The longest a problem's message is shown (it may quote the content it is about)."""


@dataclass(frozen=True, slots=True)
class ContentError:
    """One located problem. ``str()`` gives ``path:line:col: message``."""

    location: Location
    message: str
    severity: str = "error"  # or "warning" (strict linter)

    def __str__(self) -> str:
        # Every way a problem is shown goes through here: the file name and the message (which
        # may quote content) can neither reach the terminal as control characters nor forge
        # a line of their own, and a message quotes at most MAX_MESSAGE characters.
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return (f"{visible_line(str(self.location))}: {prefix}"
                f"{visible_line(self.message, MAX_MESSAGE)}")


@dataclass
class LoadResult:
    library: Library
    errors: list[ContentError] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    from_cache: bool = field(default=False, compare=False)
    """True when the library came from the parsed-content cache rather than the YAML files."""

    @property
    def ok(self) -> bool:
        return not any(e.severity == "error" for e in self.errors)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while content files are read into a library.

    Reading allocates many short-lived containers (YAML nodes, freed by reference counting
    as each file is done) and a growing, acyclic library: collections in the middle of it
    find nothing and rescan the library each time, so a long load would spend much of its
    time in them. Nested use leaves resuming to the outermost.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def discover(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[ContentError]]:
    """Expand directories into content files (sorted, recursive); report missing paths and
    folders without a content file.

    Files and folders whose name starts with ``.`` inside a given folder are skipped; a file
    reached twice (the same folder given twice, a symlink) is read once.
    """
    found: list[tuple[Path, str]] = []
    errors: list[ContentError] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            inside = _walk(p, errors)
            if not inside:
                kinds = ", ".join(f"*{s}" for s in CONTENT_SUFFIXES)
                errors.append(ContentError(Location(str(p)), f"no content file ({kinds}) in "
                                           "this folder or below it"))
            found.extend(inside)
        elif p.is_file():
            found.append((p, os.path.realpath(p)))
        else:
            errors.append(ContentError(Location(str(p)), "no such file or directory"))
    seen: set[str] = set()
    unique = []
    for f, real in found:
        if real not in seen:
            seen.add(real)
            unique.append(f)
    return unique, errors


def _walk(root: Path, errors: list[ContentError]) -> list[tuple[Path, str]]:
    """Content files below ``root`` (sorted, without hidden files or folders), each with its
    real path (for spotting a file reached twice).

    A symlinked file whose target lies outside ``root`` is refused, unread, with a located
    error in ``errors``: a shared folder must not make studyvpc read (and quote in its error
    messages) files elsewhere on the machine.

    One ``scandir`` per folder rather than ``Path.rglob`` + ``is_file`` + ``resolve`` per
    file (the content load rows of benchmarks/run.py include it). Like ``rglob``, symlinked
    folders are not followed, symlinked files are. Folders are real below the real root (no
    folder symlink is followed), so only a symlinked file needs ``realpath``. A file's
    `Path` is its folder's joined with its name (half the cost of parsing its whole path).
    """
    found: list[tuple[Path, str]] = []
    real_root = os.path.realpath(root)
    inside = real_root.rstrip(os.sep) + os.sep
    stack = [(root, real_root)]
    while stack:
        folder, real_folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # unreadable folder: skipped, like rglob does
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append((folder / name, os.path.join(real_folder, name)))
                elif name.endswith(CONTENT_SUFFIXES):
                    if entry.is_symlink():
                        real = os.path.realpath(entry.path)
                        if not real.startswith(inside):
                            errors.append(ContentError(Location(entry.path), (
                                "a link to a file outside the content folder; not read (copy "
                                "the note into the folder to study it)")))
                            continue
                    else:
                        real = os.path.join(real_folder, name)
                    if entry.is_file():  # not a device, a pipe or a dangling link
                        found.append((folder / name, real))
            except OSError:
                continue
    found.sort(key=lambda item: item[0].parts)  # the order of sorted(paths), without Paths
    return found


def give_back_memory() -> None:
    """Return the memory a parse freed to the system. The C allocator (glibc's) keeps freed
    memory for reuse, so after a cold start of a large library the process would stay at
    the parse's size though it holds only the index. Where there is no ``malloc_trim``
    (other C libraries, other systems) nothing happens."""
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):
        return
    gc.collect()
    trim(0)


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

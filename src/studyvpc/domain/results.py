"""What loading content produces (`LoadResult`, `ContentError`) and where content files are
(`discover`), without importing ``yaml``.

Why a module of its own: the app's warm start serves the library from the parsed-content
cache (`studyvpc.domain.cache`) and must not pay for importing the YAML machinery it does not
use. ``loader`` and ``yamlnodes`` re-export these names, so ``from studyvpc.domain.loader
import LoadResult`` keeps working.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from studyvpc.domain.library import Library
from studyvpc.domain.model import Location

CONTENT_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class ContentError:
    """One located problem. ``str()`` gives ``path:line:col: message``."""

    location: Location
    message: str
    severity: str = "error"  # or "warning" (strict linter)

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.location}: {prefix}{self.message}"


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


def discover(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[ContentError]]:
    """Expand directories into content files (sorted, recursive); report missing paths.

    Files and folders whose name starts with ``.`` inside a given folder are skipped; a file
    reached twice (the same folder given twice, a symlink) is read once.
    """
    files: list[Path] = []
    errors: list[ContentError] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(_walk(p))
        elif p.is_file():
            files.append(p)
        else:
            errors.append(ContentError(Location(str(p)), "no such file or directory"))
    seen: set[str] = set()
    unique = []
    for f in files:
        key = os.path.realpath(f)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, errors


def _walk(root: Path) -> list[Path]:
    """Content files below ``root``, sorted, without hidden files or folders.

    ``os.walk`` (one ``scandir`` per folder) rather than ``Path.rglob``: a library of
    thousands of files is found in a few milliseconds. Like ``rglob``, symlinked folders are
    not followed, symlinked files are.
    """
    found: list[Path] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        base = Path(folder)
        for name in names:
            if name.startswith(".") or not name.endswith(CONTENT_SUFFIXES):
                continue
            path = base / name
            if os.path.isfile(path):
                found.append(path)
    found.sort()
    return found

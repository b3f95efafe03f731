"""Where an export goes: checking the target before any work, writing it whole or not at all.

An export refuses a file that exists unless told to replace it (``--force``), says plainly when
the target is a folder or its folder is missing or read-only, and writes through a temporary
file beside the target that replaces it only once complete: a failed or interrupted export
never leaves half a file, nor destroys the one it was to replace.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


class TargetError(Exception):
    """A target that cannot or must not be written; the message is for the learner."""


def check_target(path: Path | str, *, force: bool, example: str) -> Path:
    """``path`` if an export may write it; otherwise `TargetError` saying why.

    ``example``: a file name to suggest when ``path`` is a folder.
    """
    path = Path(path)
    try:
        return _checked(path, force, example)
    except OSError as e:  # a name too long, a loop of links: the OS says what is wrong
        raise TargetError(f"cannot write {path}: {e.strerror or e}") from e


def _checked(path: Path, force: bool, example: str) -> Path:
    if path.is_dir():
        raise TargetError(f"{path} is a folder; give a file name, such as {path / example}")
    if path.exists() and not force:
        raise TargetError(f"{path} already exists; add --force to replace it")
    folder = path.parent
    if folder.exists() and not folder.is_dir():
        raise TargetError(f"cannot write {path}: {folder} is a file, not a folder")
    if not folder.is_dir():
        raise TargetError(f"cannot write {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise TargetError(f"cannot write {path}: the folder {folder} is not writable")
    return path


@contextmanager
def write_atomically(path: Path, mode: str = "w", **open_args) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success it replaces ``path``.

    `OSError` is raised as `TargetError` naming ``path`` (not the temporary file).
    """
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, mode, **open_args) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError as e:
        raise TargetError(f"cannot write {path}: {e.strerror or e}") from e
    finally:
        if tmp.exists():
            tmp.unlink()

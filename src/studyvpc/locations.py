"""Every path studyvpc uses, in one place, with the environment overrides.

- content: ``--content DIR`` (repeatable) > ``STUDYVPC_CONTENT`` (os.pathsep-separated)
  > the bundled deck (inside the wheel, or ``content/`` of a source checkout).
- data (progress database, saved exams): ``--data-dir`` > ``STUDYVPC_DATA_DIR`` > platformdirs.
- cache (parsed-content cache): ``STUDYVPC_CACHE_DIR`` > platformdirs.
- screenshots (the app's screenshot command): the user's Downloads folder if there is one
  that can be written to, else ``screenshots/`` in the data directory, else the current one.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

APP_NAME = "studyvpc"
ENV_CONTENT = "STUDYVPC_CONTENT"
ENV_DATA_DIR = "STUDYVPC_DATA_DIR"
ENV_CACHE_DIR = "STUDYVPC_CACHE_DIR"


def bundled_content_dir() -> Path:
    """The deck shipped with the app.

    In a wheel it sits inside the package (``studyvpc/deck``); in a source checkout or an
    editable install it is the repository's ``content/``.
    """
    here = Path(__file__).resolve().parent
    packaged = here / "deck"
    if packaged.is_dir():
        return packaged
    return here.parents[1] / "content"


def content_dirs(cli_dirs: Sequence[str | os.PathLike[str]] | None = None) -> list[Path]:
    if cli_dirs:
        return [Path(d).expanduser() for d in cli_dirs]
    env = os.environ.get(ENV_CONTENT, "").strip()
    if env:
        return [Path(p).expanduser() for p in env.split(os.pathsep) if p.strip()]
    return [bundled_content_dir()]


def data_dir(cli_dir: str | os.PathLike[str] | None = None) -> Path:
    if cli_dir:
        return Path(cli_dir).expanduser()
    env = os.environ.get(ENV_DATA_DIR, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs  # deferred: only needed when progress is opened

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def cache_dir() -> Path:
    env = os.environ.get(ENV_CACHE_DIR, "").strip()
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def screenshot_dir(data: Path) -> Path:
    """Where the app's screenshot command saves: Downloads (as Textual does) when it exists
    and can be written to; else ``screenshots`` in the data directory ``data`` (created);
    else the current directory. Downloads itself is never created: it is not ours."""
    import platformdirs

    downloads = platformdirs.user_downloads_path()
    if downloads.is_dir() and os.access(downloads, os.W_OK):
        return downloads
    fallback = data / "screenshots"
    try:
        fallback.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path.cwd()
    return fallback

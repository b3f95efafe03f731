"""Fixtures the cache tests share: a small content folder and a cache folder beside it."""

from pathlib import Path

import pytest
from support.cache import make_content


@pytest.fixture
def content(tmp_path) -> Path:
    return make_content(tmp_path)


@pytest.fixture
def cache_dir(tmp_path) -> Path:
    return tmp_path / "cache"

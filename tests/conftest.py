"""Fixtures for every test.

Every test gets its own, empty cache and data directories: no test may read or write the
user's real ones (a stale parsed-content cache or a real progress database would make results
depend on the machine), and no test may see another test's cache.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path_factory, monkeypatch):
    root = tmp_path_factory.mktemp("studyvpc-dirs")
    monkeypatch.setenv("STUDYVPC_CACHE_DIR", str(root / "cache"))
    monkeypatch.setenv("STUDYVPC_DATA_DIR", str(root / "data"))
    return root

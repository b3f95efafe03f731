"""Fixtures for every test.

Every test gets its own, empty cache and data directories: no test may read or write the
user's real ones (a stale parsed-content cache or a real progress database would make results
depend on the machine), and no test may see another test's cache.

The cyclic garbage collector runs less often in the test processes than Python's default:
each Pilot test builds and drops a whole Textual app, and with the default thresholds the
collector rescans every live object (pytest, Textual, Anki, Hypothesis and each test's app)
again and again, much of the suite's time. What was imported by the end of collection is
frozen out of its reach, as the app itself does before it starts (``ui/cli/app.py``).
A test that measures memory asks for ``default_collector`` to measure what users run.
"""

from __future__ import annotations

import gc

import pytest

DEFAULT_THRESHOLDS = gc.get_threshold()
"""Python's collector thresholds, as a user's process has them."""
SUITE_THRESHOLDS = (10_000, 10, 10)
"""Young objects allocated between collections in the test processes (Python's default: 700)."""

gc.set_threshold(*SUITE_THRESHOLDS)


def pytest_collection_finish(session):
    gc.collect()
    gc.freeze()


@pytest.fixture
def default_collector():
    """Python's own collector thresholds for the length of one test (memory measurements)."""
    gc.set_threshold(*DEFAULT_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*SUITE_THRESHOLDS)


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path_factory, monkeypatch):
    root = tmp_path_factory.mktemp("studyvpc-dirs")
    monkeypatch.setenv("STUDYVPC_CACHE_DIR", str(root / "cache"))
    monkeypatch.setenv("STUDYVPC_DATA_DIR", str(root / "data"))
    return root

"""A cached library is held to the loader's invariants: one it could not have produced (a
question with 30 options, which no letter can show) is a miss, never served."""

from __future__ import annotations

import io

from support.content import write_deck

from studyvpc.content.cache import (
    CacheEntry, cache_file, cache_key, load_library_cached, read_limit,
)
from studyvpc.content.library import Library
from studyvpc.content.model import Note, Option, Question
from studyvpc.content.results import LoadResult
from studyvpc.study.quiz import Scope
from studyvpc.ui.cli.plain import run_plain_quiz


def test_a_cached_question_with_30_options_is_a_miss(tmp_path):
    content = write_deck(tmp_path / "deck")
    cache = tmp_path / "cache"
    first = load_library_cached([content], cache)
    assert not first.from_cache
    assert load_library_cached([content], cache).from_cache
    # Replace the cache body, under the right key, with a library the loader cannot make.
    wide = Question("wide-q1", "Which?", tuple(Option(chr(65 + i % 26) + str(i), f"o{i}",
                                                      i == 0, "w") for i in range(30)),
                    note_id="wide")
    files = sorted(content.glob("*.yaml"))
    size = sum(f.stat().st_size for f in files)
    entry = CacheEntry(cache_file(cache, [content]), cache_key(files), read_limit(size) * 100,
                       [content])
    assert entry.write(LoadResult(Library((Note("wide", "Wide", questions=(wide,)),))))
    again = load_library_cached([content], cache)
    assert not again.from_cache, "a library the loader could not produce is not served"
    assert {n.id for n in again.library.notes} == {n.id for n in first.library.notes}


def test_plain_mode_never_sees_more_options_than_letters():
    """What the invariant protects: plain mode letters options A-Z."""
    q = Question("q1", "Which?", tuple(Option(chr(65 + i), f"o{i}", i == 0, "w")
                                      for i in range(26)), note_id="n")
    out = io.StringIO()
    run_plain_quiz(Library((Note("n", "N", questions=(q,)),)), Scope(), seed=1, limit=None,
                   stdin=io.StringIO("26\n\n"), stdout=out)
    assert "Z" in out.getvalue()


def test_the_cache_key_of_an_oversized_file_reads_no_more_than_the_limit(tmp_path, monkeypatch):
    """A 1 GB .yaml cost 2 GB of memory in `stats` before the loader refused it: the key now
    reads at most MAX_FILE_BYTES of any file (shown with a small limit)."""
    import os

    from studyvpc.content import cache as cache_module, stamps

    monkeypatch.setattr(stamps, "MAX_FILE_BYTES", 1000)
    reads: list[int] = []
    real_read = os.read

    def counting_read(fd, n):
        data = real_read(fd, n)
        reads.append(len(data))
        return data

    monkeypatch.setattr(cache_module.os, "read", counting_read)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * 50_000)
    small = tmp_path / "small.yaml"
    small.write_bytes(b"id: s\n")
    key = cache_key([big, small])
    assert sum(reads) <= 1001 + len(b"id: s\n")
    big.write_bytes(b"#" * 50_001)
    assert cache_key([big, small]) != key, "an edit of the oversized file still misses"

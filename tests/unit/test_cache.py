"""The parsed-content cache: served when nothing changed, rebuilt on any change, never fatal.

Not timed (benchmarks/run.py measures speed); these check that the cache is *right*.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import msgspec
import pytest
from support.cache import assert_same, joined, split, the_cache_file, write_note

from studyvpc.content import cache
from studyvpc.content.cache import load_library_cached
from studyvpc.content.loader import load_library


# --------------------------------------------------------------------------- hit / miss

def test_second_load_is_a_hit_and_equals_the_first(content, cache_dir):
    first = load_library_cached([content], cache_dir)
    assert not first.from_cache
    assert len(list(cache_dir.glob("library-*"))) == 1
    second = load_library_cached([content], cache_dir)
    assert second.from_cache
    assert_same(first, second)
    assert_same(second, load_library([content]))


def test_edit_of_the_same_size_and_time_is_a_miss(content, cache_dir):
    load_library_cached([content], cache_dir)
    path = content / "alpha.yaml"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("A note", "B note", 1), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # the clock says nothing changed
    assert path.stat().st_size == before.st_size
    result = load_library_cached([content], cache_dir)
    assert not result.from_cache
    assert result.library.note("alpha").title == "B note"
    assert load_library_cached([content], cache_dir).from_cache


def test_added_and_removed_files_are_misses(content, cache_dir):
    load_library_cached([content], cache_dir)
    write_note(content, "gamma")
    added = load_library_cached([content], cache_dir)
    assert not added.from_cache
    assert [n.id for n in added.library.notes] == ["alpha", "beta", "gamma"]
    (content / "gamma.yaml").unlink()
    removed = load_library_cached([content], cache_dir)
    assert not removed.from_cache
    assert [n.id for n in removed.library.notes] == ["alpha", "beta"]


def test_renamed_file_is_a_miss(content, cache_dir):
    load_library_cached([content], cache_dir)
    (content / "beta.yaml").rename(content / "zeta.yaml")
    result = load_library_cached([content], cache_dir)
    assert not result.from_cache
    assert result.library.note("beta").location.path.endswith("zeta.yaml")


@pytest.mark.parametrize("what", ["app", "cache", "model"])
def test_version_change_is_a_miss(content, cache_dir, monkeypatch, what):
    load_library_cached([content], cache_dir)
    assert load_library_cached([content], cache_dir).from_cache
    if what == "app":
        monkeypatch.setattr(cache, "__version__", "999.0")
    elif what == "cache":
        monkeypatch.setattr(cache, "CACHE_VERSION", cache.CACHE_VERSION + 1)
    else:  # a field added, removed, renamed, retyped or moved in a model class
        monkeypatch.setattr(cache, "model_shape", lambda: "another shape")
    assert not load_library_cached([content], cache_dir).from_cache
    assert load_library_cached([content], cache_dir).from_cache


def test_each_configuration_has_its_own_entry(content, tmp_path, cache_dir):
    other = tmp_path / "other"
    other.mkdir()
    write_note(other, "solo")
    assert not load_library_cached([content], cache_dir).from_cache
    assert not load_library_cached([other], cache_dir).from_cache
    assert load_library_cached([content], cache_dir).from_cache
    assert load_library_cached([other], cache_dir).from_cache
    assert len(list(cache_dir.glob("library-*"))) == 2


def test_old_entries_are_pruned(tmp_path, cache_dir):
    for i in range(cache.MAX_ENTRIES + 3):
        folder = tmp_path / f"c{i}"
        folder.mkdir()
        write_note(folder, f"n{i}")
        load_library_cached([folder], cache_dir)
    assert len(list(cache_dir.glob("library-*"))) == cache.MAX_ENTRIES


def test_missing_path_is_reported_and_not_cached(content, tmp_path, cache_dir):
    result = load_library_cached([content, tmp_path / "nope"], cache_dir)
    assert not result.ok
    assert "no such file or directory" in str(result.errors[0])
    assert not load_library_cached([content, tmp_path / "nope"], cache_dir).from_cache
    assert not cache_dir.exists() or not list(cache_dir.glob("library-*"))


# --------------------------------------------------------------------------- damaged caches

def edit_notes(edit):
    def damage(path: Path) -> bytes:
        header, head, notes, rest = split(path)
        data = msgspec.msgpack.decode(notes)  # plain lists, in field order
        edit(data)
        return joined(header, head, msgspec.msgpack.encode(data), rest)
    return damage


def edit_head(edit):
    def damage(path: Path) -> bytes:
        header, head, notes, rest = split(path)
        data = msgspec.msgpack.decode(head)  # [errors, summary]
        edit(data)
        return joined(header, msgspec.msgpack.encode(data), notes, rest)
    return damage


def flip_a_byte_of_the_notes(path: Path) -> bytes:
    raw = path.read_bytes()
    i = raw.rindex(b"This one")  # still valid MessagePack: only the checksum can tell
    return raw[:i] + b"t" + raw[i + 1:]


def set_item(index: int, value):
    def edit(data):
        data[0][index] = value
    return edit


@pytest.mark.parametrize("damage", [
    pytest.param(lambda p: b"\x00\xff garbage \x93" * 50, id="garbage-bytes"),
    pytest.param(lambda p: p.read_bytes()[: len(p.read_bytes()) // 2], id="truncated"),
    pytest.param(lambda p: p.read_bytes() + b"\x90", id="bytes-appended"),
    pytest.param(lambda p: b"", id="empty"),
    pytest.param(lambda p: b"[1, 2, 3]\n", id="json-list"),
    pytest.param(lambda p: b'{"format": "studyvpc-library-cache"}\n', id="header-missing-keys"),
    pytest.param(lambda p: b"[" * 100_000, id="deeply-nested"),
    pytest.param(lambda p: p.read_bytes().replace(b"\n", b" ", 1), id="no-header-line"),
    pytest.param(flip_a_byte_of_the_notes, id="checksum-mismatch"),
    pytest.param(edit_notes(set_item(1, 42)), id="title-a-number"),
    pytest.param(edit_notes(set_item(1, None)), id="title-null"),
    pytest.param(edit_notes(lambda d: d[0].__setitem__(slice(1, None), [])), id="too-few-fields"),
    pytest.param(edit_notes(lambda d: d[0].append("extra")), id="too-many-fields"),
    pytest.param(edit_notes(lambda d: d.pop()), id="a-note-missing"),
    pytest.param(edit_notes(lambda d: d[0][-1].__setitem__(1, True)), id="line-a-bool"),
    pytest.param(edit_notes(lambda d: d[0][-2][0][2][0].__setitem__(2, "yes")), id="correct-a-string"),
    pytest.param(edit_notes(set_item(5, "20 August")), id="created-not-a-date"),
    pytest.param(edit_head(lambda d: d.__setitem__(0, [["x.yaml", "one", 1, "m", "error"]])),
                 id="bad-error-entry"),
    # the summary: [notes, tags, tag_counts, question_ids, question_notes, tag_sets, question_tags]
    pytest.param(edit_head(lambda d: d[1].__setitem__(0, "many")), id="note-count-text"),
    pytest.param(edit_head(lambda d: d[1].__setitem__(0, -1)), id="note-count-negative"),
    pytest.param(edit_head(lambda d: d[1][3].append("extra")), id="question-columns-differ"),
    pytest.param(edit_head(lambda d: d[1][2].__setitem__("x", [1])), id="bad-tag-count"),
    pytest.param(edit_head(lambda d: d[1][3].__setitem__(0, 7)), id="bad-question-id"),
    pytest.param(edit_head(lambda d: d[1][6].__setitem__(0, 99)), id="tag-set-out-of-range"),
])
def test_damaged_cache_is_discarded_and_rebuilt(content, cache_dir, damage):
    fresh = load_library_cached([content], cache_dir)
    path = the_cache_file(cache_dir)
    path.write_bytes(damage(path))
    result = load_library_cached([content], cache_dir)
    assert not result.from_cache
    assert_same(result, fresh)
    again = load_library_cached([content], cache_dir)  # rebuilt: a hit again
    assert again.from_cache
    assert_same(again, fresh)


def test_the_damage_helpers_keep_an_untouched_file_a_hit(content, cache_dir):
    """The edits above re-encode the parts with true checksums: unedited, that is a hit, so
    the misses above come from the edits, not from the re-encoding."""
    load_library_cached([content], cache_dir)
    path = the_cache_file(cache_dir)
    path.write_bytes(edit_notes(lambda d: None)(path))
    path.write_bytes(edit_head(lambda d: None)(path))
    assert load_library_cached([content], cache_dir).from_cache


needs_posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX devices")


def load_within(seconds: float, content: Path, cache_dir: Path, unblock: Path):
    """`load_library_cached` in a thread; fails the test if it has not returned in time
    (after opening ``unblock`` for writing, which releases a read blocked on a FIFO)."""
    outcome = []
    reader = threading.Thread(
        target=lambda: outcome.append(load_library_cached([content], cache_dir)), daemon=True)
    reader.start()
    reader.join(timeout=seconds)
    if reader.is_alive():
        if unblock.is_fifo():
            with open(unblock, "wb"):
                pass
        pytest.fail("reading the cache file did not end")
    return outcome[0]


@needs_posix
def test_cache_file_that_is_an_endless_device_is_refused_unread(content, cache_dir):
    fresh = load_library_cached([content], cache_dir)
    path = the_cache_file(cache_dir)
    path.unlink()
    path.symlink_to("/dev/zero")
    result = load_within(30, content, cache_dir, path)
    assert not result.from_cache
    assert_same(result, fresh)
    assert load_library_cached([content], cache_dir).from_cache


@needs_posix
def test_cache_file_that_is_a_fifo_does_not_wait_for_a_writer(content, cache_dir):
    load_library_cached([content], cache_dir)
    path = the_cache_file(cache_dir)
    path.unlink()
    os.mkfifo(path)
    result = load_within(30, content, cache_dir, path)
    assert not result.from_cache and result.ok


def test_cache_file_larger_than_the_content_could_give_is_refused(content, cache_dir):
    fresh = load_library_cached([content], cache_dir)
    path = the_cache_file(cache_dir)
    header, head, notes, rest = split(path)
    limit = cache.read_limit(sum(f.stat().st_size for f in fresh.files))
    padding = b"\x00" * (limit + 1 - len(head))
    path.write_bytes(joined(header, head, notes, rest + padding))
    assert path.stat().st_size > limit
    result = load_library_cached([content], cache_dir)
    assert not result.from_cache
    assert_same(result, fresh)


def test_read_limit_grows_with_the_content():
    assert cache.read_limit(0) >= 1 << 20
    assert cache.read_limit(10 << 20) >= 8 * (10 << 20)


def test_cache_file_replaced_by_a_directory_is_survived(content, cache_dir):
    load_library_cached([content], cache_dir)
    path = the_cache_file(cache_dir)
    path.unlink()
    path.mkdir()
    result = load_library_cached([content], cache_dir)
    assert not result.from_cache and result.ok


def test_unwritable_cache_directory_still_loads(content, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    cache_dir = blocker / "sub"  # cannot be created, whoever runs the test (root too)
    for _ in range(2):
        result = load_library_cached([content], cache_dir)
        assert result.ok and not result.from_cache
        assert_same(result, load_library([content]))


def test_no_cache_dir_means_no_cache(content):
    assert not load_library_cached([content], None).from_cache
    assert not load_library_cached([content], None).from_cache

"""The cache's key without reading unchanged files: stamps (stat + digest) beside the cache.

Not timed. These check that a file whose stat still matches its settled stamp is not read,
that anything else is (a touched file, a file changed within the racy window even if stat
cannot tell), and that damaged stamps only cost reading, never a wrong library.
"""

from __future__ import annotations

import builtins
import io
import os
import time
from pathlib import Path

import pytest
from support.cache import assert_same, write_note

from studyvpc.content import cache, stamps
from studyvpc.content.cache import load_library_cached
from studyvpc.content.loader import load_library

HOUR_NS = 3600 * 10**9


def names(content: Path) -> list[bytes]:
    return stamps.names_of(sorted(content.glob("*.yaml")))


def stamps_taken_later(monkeypatch) -> None:
    """Stamps dated an hour on: every content file had settled when they were taken."""
    monkeypatch.setattr(stamps, "clock", lambda: time.time_ns() + HOUR_NS)


class Opened:
    """Every file opened (by any of Python's ways of opening one) while active."""

    def __init__(self, monkeypatch) -> None:
        self.names: list[str] = []
        for owner, attr in ((os, "open"), (io, "open"), (builtins, "open")):
            real = getattr(owner, attr)

            def recording(file, *args, _real=real, **kwargs):
                if isinstance(file, (str, bytes, os.PathLike)):
                    self.names.append(os.path.basename(os.fsdecode(file)))
                return _real(file, *args, **kwargs)

            monkeypatch.setattr(owner, attr, recording)

    def content_files(self) -> set[str]:
        return {n for n in self.names if n.endswith(".yaml")}


def the_stamps_file(cache_dir: Path) -> Path:
    (path,) = cache_dir.glob(f"{cache.STAMPS_PREFIX}*")
    return path


def test_an_unchanged_settled_file_is_not_read(content, cache_dir, monkeypatch):
    stamps_taken_later(monkeypatch)
    first = load_library_cached([content], cache_dir)
    assert not first.from_cache
    opened = Opened(monkeypatch)
    second = load_library_cached([content], cache_dir)
    assert second.from_cache
    assert opened.content_files() == set()
    assert opened.names, "the recorder sees the cache being opened"
    assert_same(second, first)


def test_without_stamps_every_file_is_read(content, cache_dir, monkeypatch):
    stamps_taken_later(monkeypatch)
    load_library_cached([content], cache_dir)
    the_stamps_file(cache_dir).unlink()
    opened = Opened(monkeypatch)
    assert load_library_cached([content], cache_dir).from_cache
    assert opened.content_files() == {"alpha.yaml", "beta.yaml"}


def test_a_touched_but_unchanged_file_is_read_and_still_a_hit(content, cache_dir, monkeypatch):
    stamps_taken_later(monkeypatch)
    first = load_library_cached([content], cache_dir)
    path = content / "alpha.yaml"
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5 * 10**9))
    opened = Opened(monkeypatch)
    second = load_library_cached([content], cache_dir)
    assert second.from_cache
    assert opened.content_files() == {"alpha.yaml"}
    assert_same(second, first)
    # Its new stamp was saved: the next start reads nothing.
    opened.names.clear()
    assert load_library_cached([content], cache_dir).from_cache
    assert opened.content_files() == set()


def test_an_edited_file_is_a_miss_and_then_a_hit_without_reading(content, cache_dir,
                                                                  monkeypatch):
    stamps_taken_later(monkeypatch)
    load_library_cached([content], cache_dir)
    write_note(content, "alpha", title="Edited")
    opened = Opened(monkeypatch)
    edited = load_library_cached([content], cache_dir)
    assert not edited.from_cache
    assert edited.library.note("alpha").title == "Edited"
    opened.names.clear()
    assert load_library_cached([content], cache_dir).from_cache
    assert opened.content_files() == set()


def hide_changes_from_stat(monkeypatch, path: Path) -> None:
    """A filesystem whose timestamps are too coarse to show a change made right after the
    cache was written: ``stat`` of ``path`` keeps saying what it says now."""
    frozen = os.stat(path)
    real_stat = os.stat
    target = os.fsencode(path)

    def stat(name, *args, **kwargs):
        if os.fsencode(name) == target:
            return frozen
        return real_stat(name, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)


def edit_keeping_the_size(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("A note", "B note", 1), encoding="utf-8")


def test_an_edit_stat_cannot_see_within_the_racy_window_is_a_miss(content, cache_dir,
                                                                   monkeypatch):
    load_library_cached([content], cache_dir)  # the files changed just now: racy stamps
    path = content / "alpha.yaml"
    hide_changes_from_stat(monkeypatch, path)
    edit_keeping_the_size(path)
    result = load_library_cached([content], cache_dir)
    assert not result.from_cache
    assert result.library.note("alpha").title == "B note"


def test_control_a_settled_stamp_is_trusted_when_stat_cannot_see_the_edit(content, cache_dir,
                                                                          monkeypatch):
    """The test above fails without the racy rule: with the stamps dated well after the
    files changed, the same hidden edit is not looked for (stat is what is trusted)."""
    stamps_taken_later(monkeypatch)
    load_library_cached([content], cache_dir)
    path = content / "alpha.yaml"
    hide_changes_from_stat(monkeypatch, path)
    edit_keeping_the_size(path)
    assert load_library_cached([content], cache_dir).from_cache


def test_a_racy_stamp_is_not_saved_as_settled(content, cache_dir, monkeypatch):
    load_library_cached([content], cache_dir)
    (known,) = [stamps.load(the_stamps_file(cache_dir), 1 << 20)]
    assert known is not None and len(known.files) == 2
    assert not any(s.settled(known.taken_ns) for s in known.files)
    # Still racy on the next start: both read again, nothing worth saving.
    found = stamps.fingerprint(b"", names(content), known)
    assert found.hashed == 2 and not found.worth_saving
    # Once settled, they are saved and trusted.
    stamps_taken_later(monkeypatch)
    found = stamps.fingerprint(b"", names(content), known)
    assert found.hashed == 2 and found.worth_saving
    assert stamps.fingerprint(b"", names(content), found.stamps).hashed == 0


def test_the_key_is_the_same_with_or_without_stamps(content, cache_dir, monkeypatch):
    stamps_taken_later(monkeypatch)
    files = names(content)
    fresh = stamps.fingerprint(b"p", files, None)
    assert stamps.fingerprint(b"p", files, fresh.stamps).key == fresh.key
    assert stamps.fingerprint(b"q", files, fresh.stamps).key != fresh.key


def test_removed_and_added_files_change_the_key_with_stamps(content, cache_dir, monkeypatch):
    stamps_taken_later(monkeypatch)
    load_library_cached([content], cache_dir)
    assert load_library_cached([content], cache_dir).from_cache
    (content / "beta.yaml").unlink()
    removed = load_library_cached([content], cache_dir)
    assert not removed.from_cache
    assert [n.id for n in removed.library.notes] == ["alpha"]
    write_note(content, "gamma")
    added = load_library_cached([content], cache_dir)
    assert not added.from_cache
    assert [n.id for n in added.library.notes] == ["alpha", "gamma"]


def swap_digests(path: Path) -> bytes:
    """Stamps that lie (each file given the other's digest) but are well formed, with a
    checksum that does not match: only the checksum can tell."""
    raw = path.read_bytes()
    known = stamps.load(path, 1 << 20)
    assert known is not None
    a, b = known.files[0].digest, known.files[1].digest
    return raw.replace(a, b"\0" * 32).replace(b, a).replace(b"\0" * 32, b)


@pytest.mark.parametrize("damage", [
    pytest.param(lambda p: b"\x00\xff garbage \x93" * 50, id="garbage"),
    pytest.param(lambda p: p.read_bytes()[: len(p.read_bytes()) // 2], id="truncated"),
    pytest.param(lambda p: b"", id="empty"),
    pytest.param(lambda p: p.read_bytes() + b"\x90", id="bytes-appended"),
    pytest.param(lambda p: stamps.MAGIC + b"\0\0\0\0" + b"[" * 100_000, id="deeply-nested"),
    pytest.param(swap_digests, id="checksum-mismatch"),
])
def test_damaged_stamps_only_cost_reading(content, cache_dir, monkeypatch, damage):
    stamps_taken_later(monkeypatch)
    first = load_library_cached([content], cache_dir)
    path = the_stamps_file(cache_dir)
    path.write_bytes(damage(path))
    opened = Opened(monkeypatch)
    result = load_library_cached([content], cache_dir)
    assert result.from_cache
    assert opened.content_files() == {"alpha.yaml", "beta.yaml"}
    assert_same(result, first)
    opened.names.clear()
    assert load_library_cached([content], cache_dir).from_cache  # stamps written again
    assert opened.content_files() == set()


def test_stamps_of_a_changed_library_never_serve_it_stale(content, cache_dir, monkeypatch):
    stamps_taken_later(monkeypatch)
    load_library_cached([content], cache_dir)
    old = the_stamps_file(cache_dir).read_bytes()
    write_note(content, "beta", title="Edited too")
    assert not load_library_cached([content], cache_dir).from_cache
    the_stamps_file(cache_dir).write_bytes(old)  # the stamps of before the edit
    result = load_library_cached([content], cache_dir)
    assert result.library.note("beta").title == "Edited too"
    assert_same(result, load_library([content]))


needs_posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX devices")


@needs_posix
@pytest.mark.parametrize("kind", ["endless-device", "fifo"])
def test_a_stamps_file_that_is_not_a_file_is_refused_unread(content, cache_dir, monkeypatch,
                                                            kind):
    stamps_taken_later(monkeypatch)
    load_library_cached([content], cache_dir)
    path = the_stamps_file(cache_dir)
    path.unlink()
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    assert stamps.load(path, 1 << 20) is None  # returns at once (a FIFO is not waited for)
    assert load_library_cached([content], cache_dir).from_cache


def test_stamps_are_pruned_with_their_cache_files(tmp_path, cache_dir):
    for i in range(cache.MAX_ENTRIES + 3):
        folder = tmp_path / f"c{i}"
        folder.mkdir()
        write_note(folder, f"n{i}")
        load_library_cached([folder], cache_dir)
    kept = {p.name.split("-", 1)[1] for p in cache_dir.glob(f"{cache.PREFIX}*")}
    stamped = {p.name.split("-", 1)[1] for p in cache_dir.glob(f"{cache.STAMPS_PREFIX}*")}
    assert len(kept) == cache.MAX_ENTRIES
    assert stamped <= kept
    assert len(stamped) >= cache.MAX_ENTRIES - 1

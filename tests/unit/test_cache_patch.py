"""An edit that keeps a file's shape (`cachepatch`): the new cache file is made from the
previous one and the edited file only, and is the file a full assembly writes."""

from __future__ import annotations

import json
import shutil

import pytest
from support.cache import LINKED_NOTE, assert_same, the_cache_file

from studyvpc.content import cache, cachepatch, filereuse, loader
from studyvpc.content.crc32 import crc32_combine
from studyvpc.content.cache import load_library_cached
from studyvpc.content.loader import load_library

NOTE = LINKED_NOTE.replace("    stem: Which one of {id}?\n",
                           "    stem: Which one of {id}?\n    tags: [level/{tag}]\n")
FILES = 30


def write(folder, i: int, text: str = NOTE, **changes) -> None:
    # Every fifth file repeats an earlier note's id, and every seventh question id is taken:
    # duplicates whose errors quote another file's location.
    fields = dict(id=f"n{i - 4 if i % 5 == 4 else i}", link=f"n{(i * 7) % FILES}",
                  tag="ab"[i % 2], qid=f"n{i - 1 if i % 7 == 6 else i}")
    fields.update(changes)
    (folder / f"f{i:02}.yaml").write_text(text.format(**fields), encoding="utf-8")


@pytest.fixture
def deck(tmp_path):
    folder = tmp_path / "content"
    folder.mkdir()
    for i in range(FILES):
        write(folder, i)
    (folder / "broken.yaml").write_text("id: n99\ntitle: [unclosed\n", encoding="utf-8")
    return folder


@pytest.fixture
def work(monkeypatch) -> dict[str, list]:
    """What a load did, by kind: files read, link checks run (by file), notes encoded and
    whole-library steps (the earlier file's notes decoded, every note encoded)."""
    seen: dict[str, list] = {"read": [], "linked": [], "whole": []}
    real_read, real_links = loader.read_one, loader.link_warnings

    def reading(path):
        seen["read"].append(path.name)
        return real_read(path)

    def linking(links, *args, **kwargs):
        seen["linked"].append(links[0].location.path if links else None)
        return real_links(links, *args, **kwargs)

    monkeypatch.setattr(loader, "read_one", reading)
    monkeypatch.setattr(loader, "link_warnings", linking)
    real_earlier, real_encode = filereuse.earlier_reads, cache.encode_notes
    monkeypatch.setattr(filereuse, "earlier_reads",
                        lambda *a: seen["whole"].append("decode all") or real_earlier(*a))
    monkeypatch.setattr(cache, "encode_notes",
                        lambda *a: seen["whole"].append("encode all") or real_encode(*a))
    return seen


def parts(path) -> tuple[dict, bytes]:
    """A cache file's header (its parts' lengths and checksums, its key) and its parts."""
    line, _, rest = path.read_bytes().partition(b"\n")
    return json.loads(line), rest


@pytest.mark.parametrize("edit", [
    dict(text=NOTE.replace("title: Note {id}", "title: Note {id}, edited")),
    dict(text=NOTE.replace("Which one of", "Which one, [[n3]] or [[gone]], of")),
    dict(text=NOTE.replace("tags: [service/{tag}]\n", "\ntags: [service/{tag}]\n")),  # lines move
])
@pytest.mark.parametrize("which", [5, 9, 6])  # quoted by duplicates; a duplicate id; question
def test_an_edit_that_keeps_the_shape_reads_links_and_encodes_that_file_only(
        deck, tmp_path, work, edit, which):
    cache_dir = tmp_path / "cache"
    load_library_cached([deck], cache_dir)
    write(deck, which, **edit)
    for kind in work.values():
        kind.clear()
    before = dict(cachepatch.stats)
    patched = load_library_cached([deck], cache_dir, deferred=True)
    name = f"f{which:02}.yaml"
    assert work == {"read": [name], "linked": [str(deck / name)], "whole": []}
    assert cachepatch.stats["encoded"] - before["encoded"] == (which != 9)  # 9: not in the library
    full = load_library([deck])
    patched.library.load()
    assert_same(patched, full)
    assert load_library_cached([deck], cache_dir).from_cache  # the next start is warm

    # Byte for byte the file a full assembly writes (the header's blank room aside).
    other = tmp_path / "other"
    load_library_cached([deck], other)
    assert parts(the_cache_file(cache_dir)) == parts(the_cache_file(other))


@pytest.mark.parametrize("text", [
    NOTE.replace("tags: [service/{tag}]", "tags: [service/{tag}, new]"),
    NOTE.replace("tags: [level/{tag}]", "tags: [level/c]"),
    NOTE.replace("aliases: [{id}-alias]", "aliases: [{id}-other]"),
    NOTE.replace("id: {qid}-q1", "id: {qid}-q9"),
    "id: n3\ntitle: [unclosed\n",
])
def test_an_edit_that_changes_the_shape_is_assembled_in_full(deck, tmp_path, work, text):
    cache_dir = tmp_path / "cache"
    load_library_cached([deck], cache_dir)
    write(deck, 3, text)
    for kind in work.values():
        kind.clear()
    result = load_library_cached([deck], cache_dir)
    assert work["read"] == ["f03.yaml"]  # once: the full assembly reuses the patch's read
    assert "encode all" in work["whole"]
    assert_same(result, load_library([deck]))
    assert load_library_cached([deck], cache_dir).from_cache


def test_a_patch_that_fails_midway_leaves_the_previous_file_whole(deck, tmp_path, monkeypatch):
    """Killed (here: failing) while the new file is written, the previous one stays as it
    was and no half-written file is left: the next start patches again."""
    cache_dir = tmp_path / "cache"
    load_library_cached([deck], cache_dir)
    path = the_cache_file(cache_dir)
    previous = path.read_bytes()
    write(deck, 3, NOTE.replace("title: Note {id}", "title: Note {id}, edited"))
    real = cachepatch._copy_part

    def failing(fd, at, part, swaps, out):
        out.write(b"half")
        raise OSError("disk full")

    monkeypatch.setattr(cachepatch, "_copy_part", failing)
    assert not cachepatch.patch(cache.CacheEntry(path, "k", 1 << 30, [deck]),
                                sorted(deck.iterdir()),
                                _stamps_of(deck, cache_dir), filereuse.basis_of(cache._key_prefix()))
    assert sorted(p.name for p in cache_dir.iterdir()) == sorted(
        [path.name, path.name.replace(cache.PREFIX, cache.STAMPS_PREFIX)])
    assert path.read_bytes() == previous
    monkeypatch.setattr(cachepatch, "_copy_part", real)
    result = load_library_cached([deck], cache_dir)
    assert_same(result, load_library([deck]))


def _stamps_of(deck, cache_dir):
    from studyvpc.content import stamps

    files = sorted(deck.iterdir())
    return stamps.fingerprint(cache._key_prefix(), stamps.names_of(files), None).stamps.files


def test_a_damaged_previous_part_is_not_carried_over(deck, tmp_path, work):
    cache_dir = tmp_path / "cache"
    load_library_cached([deck], cache_dir)
    path = the_cache_file(cache_dir)
    header, _ = parts(path)
    data = bytearray(path.read_bytes())
    # A byte of the search part (after the header, head, notes and index parts).
    at = data.index(b"\n") + 1 + header["head"][0] + header["notes"][0] + header["index"][0] + 3
    data[at] ^= 0x01
    path.write_bytes(bytes(data))
    write(deck, 3, NOTE.replace("title: Note {id}", "title: Note {id}, edited"))
    result = load_library_cached([deck], cache_dir, deferred=True)
    result.library.load()
    assert_same(result, load_library([deck]))
    other = tmp_path / "other"
    load_library_cached([deck], other)
    assert parts(the_cache_file(cache_dir)) == parts(the_cache_file(other))


def test_files_moved_in_a_copy_of_the_deck_are_not_patched(deck, tmp_path):
    """The files part is of the content paths as given: a renamed file is a full assembly."""
    cache_dir = tmp_path / "cache"
    load_library_cached([deck], cache_dir)
    shutil.move(deck / "f03.yaml", deck / "g03.yaml")
    before = dict(cachepatch.stats)
    result = load_library_cached([deck], cache_dir)
    assert cachepatch.stats == before
    assert_same(result, load_library([deck]))


def test_a_start_serves_the_edit_before_the_new_file_is_written(deck, tmp_path, monkeypatch):
    """The app's start (deferred) gets the library's summary and errors at once, and its
    index (heads, links) when it asks; the file is written by a thread meanwhile, and a
    note's body is read from it once it is there."""
    import threading

    cache_dir = tmp_path / "cache"
    load_library_cached([deck], cache_dir)
    path = the_cache_file(cache_dir)
    previous = path.read_bytes()
    write(deck, 3, NOTE.replace("title: Note {id}", "title: Note {id}, edited"))
    go = threading.Event()
    real = cachepatch._copy_part

    def held(*args):
        assert go.wait(10)
        return real(*args)

    monkeypatch.setattr(cachepatch, "_copy_part", held)
    result = load_library_cached([deck], cache_dir, deferred=True)
    full = load_library([deck])
    assert path.read_bytes() == previous  # not written yet
    assert not result.library.loaded
    assert result.errors == full.errors
    assert result.library.question_rows() == full.library.question_rows()
    result.library.load()  # the index: in memory already, nothing waits for the file
    assert [h.title for h in result.library.heads] == [h.title for h in full.library.heads]
    assert result.library.links == full.library.links
    assert path.read_bytes() == previous
    go.set()
    assert result.library.note("n3").title == "Note n3, edited"  # waits for the file
    assert_same(result, full)
    assert load_library_cached([deck], cache_dir).from_cache


@pytest.mark.parametrize("seed", range(4))
def test_crc32_combine_is_the_checksum_of_the_pieces_joined(seed):
    import random
    import zlib

    rng = random.Random(seed)
    for _ in range(50):
        a = rng.randbytes(rng.randrange(0, 2000))
        b = rng.randbytes(rng.choice([0, 1, 3, rng.randrange(0, 70000)]))
        assert crc32_combine(zlib.crc32(a), zlib.crc32(b), len(b)) == zlib.crc32(a + b)

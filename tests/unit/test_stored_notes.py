"""Notes served from the parsed-content cache on demand: what the speed and the memory of a
large library rest on. Reading the library keeps only the index (no note body is decoded
until asked for), a body decoded on demand equals the parsed one, search reads the folded
text from the file, and a tampered or truncated file is refused, said where, and replaced by
the content files. Not timed (benchmarks/run.py measures speed)."""

from __future__ import annotations

import sys
from pathlib import Path

import msgspec
import pytest
from support.cache import split, the_cache_file

from studyvpc.content import stored
from studyvpc.content.cache import load_library_cached
from studyvpc.content.noteindex import match_notes

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import make_library  # noqa: E402


class CountingDecoder:
    """`stored`'s note decoder, counting the bodies it decodes."""

    def __init__(self) -> None:
        self.real = stored._NOTE
        self.count = 0

    def decode(self, data):
        self.count += 1
        return self.real.decode(data)


@pytest.fixture
def decoded(monkeypatch) -> CountingDecoder:
    counter = CountingDecoder()
    monkeypatch.setattr(stored, "_NOTE", counter)
    return counter


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return make_library(tmp_path_factory.mktemp("lib") / "synthetic", 120)


def cached_pair(folder: Path, cache_dir: Path):
    fresh = load_library_cached([folder], cache_dir)
    lazy = load_library_cached([folder], cache_dir, deferred=True)
    assert not fresh.from_cache and lazy.from_cache
    return fresh.library, lazy.library


def test_reading_the_library_decodes_no_note_body(folder, tmp_path, decoded):
    fresh, lazy = cached_pair(folder, tmp_path / "cache")
    lazy.load()
    assert lazy.loaded and decoded.count == 0
    heads = lazy.heads
    assert [h.id for h in heads] == [n.id for n in fresh.notes]
    assert [h.title for h in heads] == [n.title for n in fresh.notes]
    assert [h.question_count for h in heads] == [len(n.questions) for n in fresh.notes]
    lazy.search("gateway endpoint")
    lazy.backlinks(heads[0].id)
    lazy.resolve_head("syn-3")
    assert lazy.tag_prefixes() == fresh.tag_prefixes()
    assert lazy.question_count == fresh.question_count
    assert decoded.count == 0  # lists, search, links and counts: no body decoded
    note = lazy.note(heads[5].id)
    assert decoded.count == 1
    assert lazy.note(heads[5].id) is note and decoded.count == 1  # kept: not decoded again


def test_a_body_decoded_on_demand_equals_the_parsed_note(folder, tmp_path):
    fresh, lazy = cached_pair(folder, tmp_path / "cache")
    for head in reversed(lazy.heads):  # out of order: each read stands alone
        note = lazy.note(head.id)
        assert note == fresh.note(head.id)
        assert note.location == fresh.note(head.id).location
    assert lazy.notes == fresh.notes
    assert tuple(lazy.questions) == tuple(fresh.questions)
    some = fresh.questions[37]
    assert lazy.question(some.id) == some and lazy.note_of(some) == fresh.note_of(some)
    for tag in fresh.tag_prefixes():
        assert lazy.questions_tagged(tag) == fresh.questions_tagged(tag)
        assert [n.id for n in lazy.notes_tagged(tag)] == [n.id for n in fresh.notes_tagged(tag)]


@pytest.mark.parametrize("query", ["gateway", "GATEWAY endpoint", "게이트웨이", "syn-7",
                                   "service/s3", "no such words", "ｇａｔｅｗａｙ", "a\0b"])
def test_search_from_the_file_finds_what_the_parsed_library_finds(folder, tmp_path, query):
    fresh, lazy = cached_pair(folder, tmp_path / "cache")
    assert [n.id for n in lazy.search(query)] == [n.id for n in fresh.search(query)]


def test_typing_on_narrows_the_search_to_the_last_matches_and_finds_the_same(folder,
                                                                             tmp_path):
    fresh, lazy = cached_pair(folder, tmp_path / "cache")
    for query in ["g", "ga", "gat", "gateway", "gateway e", "gateway endpoint", "gateway",
                  "게", "게이트웨이", "게이트웨이 prefix", "syn-1", "syn-11", "zz", "zzz", "z"]:
        assert [n.id for n in lazy.search(query)] == [n.id for n in fresh.search(query)], query


def test_searching_again_allocates_no_new_buffer(folder, tmp_path):
    # Each search read the texts into a buffer of its own: a chunk of fresh pages, faulted in
    # on every key typed in the browser. The buffer is kept: a later search allocates far
    # less than the texts it reads.
    import tracemalloc

    from studyvpc.content.library import fold
    from studyvpc.content.noteindex import search_text

    fresh, lazy = cached_pair(folder, tmp_path / "cache")
    lazy.search("zzz-first")
    texts = sum(len(fold(search_text(n)).encode()) for n in fresh.notes)  # what is read
    tracemalloc.start()
    try:
        assert lazy.search("zzz-nothing-like-this") == []
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < texts / 4, (peak, texts)


def test_backlinks_and_links_match_the_parsed_library(folder, tmp_path):
    fresh, lazy = cached_pair(folder, tmp_path / "cache")
    for head in lazy.heads:
        assert [n.id for n in lazy.backlinks(head.id)] == [n.id for n in fresh.backlinks(head.id)]
    assert lazy.links == fresh.links and any(lazy.links)


def test_matching_in_small_chunks_equals_matching_at_once():
    texts = [b"alpha beta", b"gamma", b"beta gamma delta", b"", b"alphabet"]
    ends, end = [], -1
    for t in texts:
        end += 1 + len(t)
        ends.append(end)
    part = b"\0".join(texts)
    reads = []

    def read(offset, length):
        reads.append((offset, length))
        return part[offset: offset + length]

    def read_more(offset, length):  # a reused buffer: stale bytes after what was asked for
        return part[offset: offset + length] + b"beta gamma zeta"

    for words in ([b"beta"], [b"alpha"], [b"gamma", b"beta"], [b"a"], [b"zeta"],
                  [b"gammabeta"], [b"a\0b"]):
        whole = match_notes(words, tuple(ends), read, chunk=1 << 20)
        assert match_notes(words, tuple(ends), read, chunk=3) == whole
        assert match_notes(words, tuple(ends), read_more, chunk=3) == whole
    assert match_notes([b"bet"], tuple(ends), read, chunk=1 << 20) == [0, 2, 4]
    assert match_notes([b"gamma", b"beta"], tuple(ends), read) == [2]
    assert match_notes([b"tagamma"], tuple(ends), read) == []  # never across two notes
    for among in ([0, 2], [2], [1, 2, 3, 4], []):
        for words in ([b"beta"], [b"gamma"], [b"a"]):
            expected = [i for i in match_notes(words, tuple(ends), read) if i in among]
            assert match_notes(words, tuple(ends), read, among=among) == expected
            assert match_notes(words, tuple(ends), read, chunk=3, among=among) == expected
    reads.clear()
    assert match_notes([b"gamma"], tuple(ends), read, among=[2]) == [2]
    assert reads == [(ends[1] + 1, ends[2] + 1 - (ends[1] + 1))]  # that note alone
    reads.clear()
    match_notes([b"beta"], tuple(ends), read, chunk=3)
    assert sum(n for _, n in reads) == len(part)  # the chunks cover the part exactly once
    assert max(n for _, n in reads) < 20


# --------------------------------------------------------------------------- damage

def body_span(path: Path, position: int) -> tuple[int, int]:
    """Where note ``position``'s body is in the file: (offset, length)."""
    header, head, notes, rest = split(path)
    index = msgspec.msgpack.decode(rest[: header["index"][0]])  # [heads, bodies, ...]
    offset, length, _ = index[1][position]
    start = len(path.read_bytes().partition(b"\n")[0]) + 1 + len(head)
    return start + offset, length


def flip(path: Path, at: int) -> None:
    raw = bytearray(path.read_bytes())
    raw[at] ^= 0x01
    path.write_bytes(bytes(raw))


def test_a_tampered_body_is_refused_with_its_location_and_read_from_the_files(folder,
                                                                             tmp_path):
    fresh, lazy = cached_pair(folder, tmp_path / "cache")
    path = the_cache_file(tmp_path / "cache")
    lazy.load()
    at, length = body_span(path, 3)
    flip(path, at + length // 2)  # same size: only the checksum can tell
    head = lazy.heads[3]
    assert lazy.note(head.id) == fresh.note(head.id)  # from the YAML files
    (problem,) = lazy.source_problems
    assert problem.startswith(f"{path}: byte {at}: note 3 does not match its checksum")
    assert not path.exists()  # removed, rebuilt by the next start
    assert lazy.notes == fresh.notes  # the rest is read from the files too
    assert [n.id for n in lazy.search("gateway")] == [n.id for n in fresh.search("gateway")]


def test_a_truncated_file_is_refused_and_read_from_the_files(folder, tmp_path):
    fresh, lazy = cached_pair(folder, tmp_path / "cache")
    path = the_cache_file(tmp_path / "cache")
    lazy.load()  # the index is read; the bodies are not
    at, _ = body_span(path, len(lazy.heads) - 1)
    with open(path, "r+b") as f:
        f.truncate(at + 2)
    last = lazy.heads[-1]
    assert lazy.note(last.id) == fresh.note(last.id)
    (problem,) = lazy.source_problems
    assert f"{path}: byte {at}: note {len(lazy.heads) - 1} ends " in problem


def test_a_tampered_search_part_is_refused_on_the_first_search(folder, tmp_path):
    fresh, lazy = cached_pair(folder, tmp_path / "cache")
    path = the_cache_file(tmp_path / "cache")
    raw = path.read_bytes()
    i = raw.rindex(b"gateway")
    path.write_bytes(raw[:i] + b"gatewax" + raw[i + 7:])
    got = lazy.search("gateway")
    assert [n.id for n in got] == [n.id for n in fresh.search("gateway")]
    (problem,) = lazy.source_problems
    assert "the search texts does not match its checksum" in problem


def test_a_tampered_index_reads_the_files(folder, tmp_path):
    fresh, lazy = cached_pair(folder, tmp_path / "cache")
    path = the_cache_file(tmp_path / "cache")
    header, head, notes, rest = split(path)
    flip(path, path.stat().st_size - len(rest) + 10)  # inside the index part
    assert lazy.notes == fresh.notes
    assert not path.exists()
    assert lazy.search("gateway") == fresh.search("gateway")


def test_a_quiz_and_an_exam_over_every_question_decode_only_what_they_show(folder, tmp_path,
                                                                           decoded):
    from studyvpc.study.exam import ExamSettings, MockExam, questions_for
    from studyvpc.study.quiz import PracticeSession, Scope, select_questions

    fresh, lazy = cached_pair(folder, tmp_path / "cache")
    session = PracticeSession(select_questions(lazy, Scope()), seed=4, limit=3)
    same = PracticeSession(select_questions(fresh, Scope()), seed=4, limit=3)
    assert session.current.question == same.current.question  # the same draw
    assert decoded.count == 1
    exam = MockExam.start(questions_for(lazy), ExamSettings(count=5, time_limit_s=600, seed=9))
    expected = MockExam.start(questions_for(fresh), ExamSettings(count=5, time_limit_s=600, seed=9))
    assert [i.shown.question for i in exam.items] == [i.shown.question for i in expected.items]
    assert decoded.count <= 6


def test_a_miss_for_the_app_serves_the_notes_from_the_file_it_wrote(folder, tmp_path, decoded):
    fresh = load_library_cached([folder], tmp_path / "first")
    cold = load_library_cached([folder], tmp_path / "cache", deferred=True)
    assert not cold.from_cache and not cold.library.loaded  # parsed, written, let go
    cold.library.load()
    assert decoded.count == 0 and cold.errors == fresh.errors
    assert cold.library.notes == fresh.library.notes

"""Helpers for the parsed-content cache tests: a two-note deck, comparing load results, and
taking a cache file apart and putting it back together."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

from studyvpc.content.results import LoadResult

NOTE = """\
id: {id}
title: {title}
tags: [service/s3]
key_point: See [[{link}]].
questions:
  - id: {id}-q1
    stem: Which one?
    options:
      - {{key: A, text: This one, correct: true, why: Because.}}
      - {{key: B, text: That one, why: No.}}
"""

LINKED_NOTE = """\
id: {id}
title: Note {id}
aliases: [{id}-alias]
tags: [service/{tag}]
key_point: See [[{link}]] and [[nowhere-{id}]].
see_also: [{link}]
questions:
  - id: {qid}-q1
    stem: Which one of {id}?
    options:
      - {{key: A, text: This one, correct: true, why: Because.}}
      - {{key: B, text: That one, why: No.}}
"""
"""A note of a deck whose notes link to each other (and to a note not written), with an
alias: the incremental cache tests' decks."""


def write_note(folder: Path, note_id: str, title: str = "A note", link: str | None = None) -> Path:
    path = folder / f"{note_id}.yaml"
    path.write_text(NOTE.format(id=note_id, title=title, link=link or note_id), encoding="utf-8")
    return path


def make_content(tmp_path: Path) -> Path:
    """Two notes linking to each other, one question each."""
    folder = tmp_path / "content"
    folder.mkdir()
    write_note(folder, "alpha", link="beta")
    write_note(folder, "beta", link="alpha")
    return folder


def locations_of(result: LoadResult) -> list:
    out = []
    for n in result.library.notes:
        out.append(n.location)
        out.extend(q.location for q in n.questions)
    return out


def assert_same(a: LoadResult, b: LoadResult) -> None:
    assert a.library.notes == b.library.notes
    assert locations_of(a) == locations_of(b)
    assert a.errors == b.errors
    assert [str(e) for e in a.errors] == [str(e) for e in b.errors]
    assert a.files == b.files
    assert a.ok == b.ok


def the_cache_file(cache_dir: Path) -> Path:
    (path,) = cache_dir.glob("library-*")
    return path


def split(path: Path) -> tuple[dict, bytes, bytes, bytes]:
    """A cache file's header line (as JSON), head part, notes part and the rest (the index,
    search and files parts)."""
    line, _, rest = path.read_bytes().partition(b"\n")
    header = json.loads(line)
    size, notes = header["head"][0], header["notes"][0]
    return header, rest[:size], rest[size: size + notes], rest[size + notes:]


def joined(header: dict, head: bytes, notes: bytes, rest: bytes) -> bytes:
    """A cache file of these parts, with their true lengths and checksums (so only the
    type checks can tell that a part is wrong)."""
    header = {**header, "head": [len(head), zlib.crc32(head)],
              "notes": [len(notes), zlib.crc32(notes)]}
    return json.dumps(header).encode() + b"\n" + head + notes + rest

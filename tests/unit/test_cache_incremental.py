"""A cache miss reads only the content files that changed (`filereuse`), and gives the same
library, errors and warnings, in the same order, as reading every file."""

from __future__ import annotations

import random

import pytest
from support.cache import LINKED_NOTE, assert_same, the_cache_file

from studyvpc.content import cache, loader
from studyvpc.content.cache import load_library_cached
from studyvpc.content.loader import load_library

GOOD = LINKED_NOTE
VARIANTS = [
    GOOD,
    GOOD.replace("Which one", "Which other one"),
    GOOD.replace("aliases: [{id}-alias]", "aliases: [{link}]"),  # an alias that is an id
    "id: {id}\ntitle: [unclosed\n",  # does not parse: its id still counts for links
    "id: {id}\nquestions: []\n",  # no title: no note
    "id: {id}\ntitle: Caf\u00c3\u00a9 {id}\nbogus: 1\n",  # mojibake and an unknown key
    "# {id}\n\nSee [[{link}]].\n",  # Markdown (written as .md)
]
NAMES = [f"n{i}" for i in range(8)]


def write(folder, name: str, variant: int, rng: random.Random):
    text = VARIANTS[variant].format(id=rng.choice(NAMES), link=rng.choice(NAMES),
                                    tag=rng.choice("ab"), qid=rng.choice(NAMES))
    (folder / (name + (".md" if variant == 6 else ".yaml"))).write_text(text, encoding="utf-8")


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The names of the files actually read (not reused), in order."""
    seen: list[str] = []
    real = loader.read_one

    def counting(path):
        seen.append(path.name)
        return real(path)

    monkeypatch.setattr(loader, "read_one", counting)
    return seen


def snapshot(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.mark.parametrize("seed", range(6))
def test_random_edits_read_only_what_changed_and_load_as_a_full_parse(tmp_path, seed, parsed):
    rng = random.Random(seed)
    folder = tmp_path / "content"
    folder.mkdir()
    for i in range(10):
        write(folder, f"f{i}", rng.randrange(len(VARIANTS)), rng)
    cache_dir = tmp_path / "cache"
    load_library_cached([folder], cache_dir)
    severities: set[str] = set()
    for step in range(8):
        before = snapshot(folder)
        files = sorted(folder.iterdir())
        for _ in range(rng.randint(1, 3)):
            op = rng.choice(["edit", "add", "remove", "rename"])
            files = sorted(folder.iterdir())
            if op == "edit" or (op == "remove" and len(files) < 3):
                victim = rng.choice(files)
                victim.unlink()
                write(folder, victim.stem, rng.randrange(len(VARIANTS)), rng)
            elif op == "add":
                write(folder, f"new{step}-{rng.randrange(99)}", rng.randrange(len(VARIANTS)), rng)
            elif op == "remove":
                rng.choice(files).unlink()
            else:
                victim = rng.choice(files)
                victim.rename(folder / f"moved{step}{victim.suffix}")
        parsed.clear()
        incremental = load_library_cached([folder], cache_dir)
        assert not incremental.from_cache
        changed = sorted(n for n, data in snapshot(folder).items() if before.get(n) != data)
        assert sorted(parsed) == changed
        parsed.clear()
        full = load_library([folder])
        assert_same(incremental, full)
        severities.update(e.severity for e in full.errors)
        assert load_library_cached([folder], cache_dir).from_cache
    assert severities == {"error", "warning"}, "the edits made both kinds of problem"


def test_an_edit_of_one_note_reads_and_folds_that_note_only(content, cache_dir, parsed,
                                                           monkeypatch):
    """Folding a note's text for search is most of writing the cache: the other notes' folded
    texts are taken from the earlier cache file, and search finds old and new text alike."""
    from studyvpc.content import stored

    load_library_cached([content], cache_dir)
    alpha = content / "alpha.yaml"
    alpha.write_text(alpha.read_text().replace("Which one?", "Which one now, Ünïcode?"))
    parsed.clear()
    folded: list[str] = []
    real_fold = stored.fold
    monkeypatch.setattr(stored, "fold", lambda text: folded.append(text) or real_fold(text))
    result = load_library_cached([content], cache_dir, deferred=True)
    assert parsed == ["alpha.yaml"] and len(folded) == 1 and "Ünïcode" in folded[0]
    library = result.library
    assert library.note("alpha").questions[0].stem == "Which one now, Ünïcode?"
    assert [h.id for h in library.search("ünïcode")] == ["alpha"]
    assert [h.id for h in library.search("alpha")] == ["alpha", "beta"]  # beta links to it
    assert [h.id for h in library.search("beta")] == ["beta", "alpha"]


def test_a_damaged_earlier_cache_is_ignored(content, cache_dir, parsed):
    load_library_cached([content], cache_dir)
    path = the_cache_file(cache_dir)
    data = bytearray(path.read_bytes())
    data[-3] ^= 0xFF  # in the files part, its last
    path.write_bytes(bytes(data))
    (content / "alpha.yaml").write_text((content / "alpha.yaml").read_text() + "\n")
    parsed.clear()
    result = load_library_cached([content], cache_dir)
    assert sorted(parsed) == ["alpha.yaml", "beta.yaml"]
    assert_same(result, load_library([content]))


def test_nothing_is_reused_from_another_app_version(content, cache_dir, parsed, monkeypatch):
    """What a file gives may change with the app or the parser: their versions are in the
    cache key's prefix, and a files part of another prefix is not used."""
    load_library_cached([content], cache_dir)
    monkeypatch.setattr(cache, "model_shape", lambda: "another shape")
    parsed.clear()
    load_library_cached([content], cache_dir)
    assert sorted(parsed) == ["alpha.yaml", "beta.yaml"]

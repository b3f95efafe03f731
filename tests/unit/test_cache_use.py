"""The parsed-content cache in use: what it gives back equals what the loader gives, the
app's start path reads it (and only its summary until the notes are needed), validate does
not. Not timed (benchmarks/run.py measures speed)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import msgspec
import pytest
from support.cache import assert_same, joined, split, the_cache_file

from studyvpc import locations
from studyvpc.content import cache
from studyvpc.content.cache import load_library_cached
from studyvpc.content.loader import load_library
from studyvpc.content.results import LoadResult

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import make_library  # noqa: E402


# --------------------------------------------------------------------------- fidelity

def test_bundled_deck_round_trips(cache_dir):
    paths = [locations.bundled_content_dir()]
    fresh = load_library_cached(paths, cache_dir)
    cached = load_library_cached(paths, cache_dir)
    assert cached.from_cache and fresh.ok
    assert_same(fresh, cached)
    assert len(cached.library.questions) == len(fresh.library.questions) > 0


def test_synthetic_library_round_trips(tmp_path, cache_dir):
    folder = make_library(tmp_path / "synthetic", 120)
    fresh = load_library_cached([folder], cache_dir)
    cached = load_library_cached([folder], cache_dir)
    assert cached.from_cache and fresh.ok
    assert_same(fresh, cached)
    assert len(cached.library.questions) == 120
    korean = [q for q in cached.library.questions if any("\uac00" <= c <= "\ud7a3" for c in q.stem)]
    assert korean


def test_errors_are_cached_and_reported_the_same(content, cache_dir):
    (content / "broken.yaml").write_text(
        "id: broken\ntitle: Broken\ntittle: typo\nsee_also: [nowhere]\n", encoding="utf-8")
    (content / "unparsable.yaml").write_text("id: [\n", encoding="utf-8")
    fresh = load_library_cached([content], cache_dir)
    assert not fresh.ok and len(fresh.errors) >= 3
    cached = load_library_cached([content], cache_dir)
    assert cached.from_cache
    assert_same(fresh, cached)
    assert [(e.location, e.severity) for e in cached.errors] == \
        [(e.location, e.severity) for e in fresh.errors]


def test_every_field_type_round_trips_through_the_cache(tmp_path):
    from datetime import date

    from studyvpc.content.library import Library
    from studyvpc.content.model import (
        Caveat, Component, Concept, Flow, FlowStep, Layer, Location, Note, Option, Question,
        Reference, Scenario, Section, TradeOff,
    )

    note = Note(
        id="n", title="제목", key_point="k", aliases=("a",), tags=("t/u",),
        created=date(2025, 8, 20), modified=None, sections=(Section("s", "b"),),
        flow=Flow((FlowStep("x"), FlowStep("y", "→")), "f"), layers_title="L",
        layers=(Layer("l", (Component("c", "r"),)),), tradeoffs_title="T",
        tradeoffs=(TradeOff("o", ("p",), ("c",)),), concepts_title="C",
        concepts=(Concept("term", "d"),), scenarios_title="S", scenarios=(Scenario("t", "d"),),
        caveats=(Caveat("text", "about", (Reference("r", "https://x"),)),), see_also=("m",),
        questions=(Question("q", "stem", (Option("A", "t", True, "w"), Option("B", "u", False, "v")),
                            explanation="e", tags=("t",), difficulty="hard",
                            references=(Reference("r", "u"),), choose=1, note_id="n",
                            location=Location("p.yaml", 3, 4)),),
        location=Location("p.yaml", 1, 1),
    )
    entry = cache.CacheEntry(tmp_path / "library-x", "key", cache.read_limit(0), [])
    assert entry.write(LoadResult(Library((note,))))
    library, errors = entry.read()
    (back,) = library.notes
    assert back == note and errors == []
    assert back.questions[0].location == Location("p.yaml", 3, 4)
    assert back.flow is not None and back.flow.steps[1].arrow == "→"
    assert back.created == date(2025, 8, 20) and back.modified is None


# --------------------------------------------------------------------------- wiring

def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "studyvpc", *args], capture_output=True,
                          text=True, timeout=120, env={**os.environ, **(env or {})})


def test_app_start_path_uses_the_cache_and_validate_does_not(content, monkeypatch):
    from argparse import Namespace

    from studyvpc.ui.cli.main import main
    from studyvpc.ui.cli.common import load_content

    cache_dir = Path(os.environ["STUDYVPC_CACHE_DIR"])
    assert main(["validate", "--content", str(content)]) == 0
    assert not cache_dir.exists() or not list(cache_dir.iterdir())  # validate never caches
    args = Namespace(content=[str(content)])
    assert not load_content(args).from_cache
    assert load_content(args).from_cache
    assert list(cache_dir.glob("library-*"))


def test_warm_start_path_does_not_import_yaml(content):
    script = textwrap.dedent(f"""
        import sys
        from argparse import Namespace
        from studyvpc.ui.cli.common import load_content
        result = load_content(Namespace(content=[{str(content)!r}]))
        print("cached", result.from_cache, "yaml", "yaml" in sys.modules)
    """)
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           timeout=60)
    assert first.stdout.strip() == "cached False yaml True", first.stderr
    second = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=60)
    assert second.stdout.strip() == "cached True yaml False", second.stderr


def test_help_imports_neither_textual_nor_yaml_nor_fsrs():
    script = textwrap.dedent("""
        import sys
        from studyvpc.ui.cli.main import main
        try:
            main(["--help"])
        except SystemExit:
            pass
        heavy = sorted({m.split(".")[0] for m in sys.modules} & {"textual", "yaml", "fsrs", "platformdirs", "rich"})
        print("heavy:", heavy, file=sys.stderr)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert "heavy: []" in proc.stderr


def test_first_frame_exit_hook_draws_home(content, tmp_path):
    proc = run_cli("--content", str(content), env={"STUDYVPC_EXIT_AFTER_FIRST_FRAME": "1"})
    assert proc.returncode == 0, proc.stderr
    assert "HomeScreen" in proc.stdout + proc.stderr  # the exit message names the screen


# --------------------------------------------------------------------------- deferred (the app's start)

def summary_of(library) -> tuple:
    return (library.note_count, library.question_count, library.all_tags,
            {t: library.tag_counts(t) for t in library.summary().tag_counts},
            library.question_rows())


def test_deferred_hit_answers_from_the_summary_then_reads_the_notes_on_first_use(tmp_path,
                                                                                 cache_dir):
    from studyvpc.progress.store import QuestionIndex

    folder = make_library(tmp_path / "synthetic", 60)
    fresh = load_library_cached([folder], cache_dir)
    result = load_library_cached([folder], cache_dir, deferred=True)
    assert result.from_cache
    library = result.library
    assert not library.loaded
    assert summary_of(library) == summary_of(fresh.library)
    assert QuestionIndex.from_library(library) == QuestionIndex.from_library(fresh.library)
    assert not library.loaded  # all of that from the summary alone
    assert library.notes == fresh.library.notes  # first use of the notes: read now
    assert library.loaded
    assert_same(result, fresh)
    assert summary_of(library) == summary_of(fresh.library)
    assert [n.id for n in library.search("gateway")] == \
        [n.id for n in fresh.library.search("gateway")]


def test_every_tag_count_matches_the_tagged_lists(tmp_path):
    from studyvpc.content.library import Library

    lib = load_library([make_library(tmp_path / "synthetic", 40)]).library
    prefixes = lib.summary().tag_counts
    assert set(lib.all_tags) <= set(prefixes) and "service" in prefixes
    for tag in prefixes:
        assert lib.tag_counts(tag) == (len(lib.notes_tagged(tag)), len(lib.questions_tagged(tag)))
    assert Library(()).tag_counts("anything") == (0, 0)


def test_deferred_load_is_explicit_and_happens_once(content, cache_dir, monkeypatch):
    from studyvpc.content import loader

    load_library_cached([content], cache_dir)
    library = load_library_cached([content], cache_dir, deferred=True).library
    assert library.note_count == 2 and library.all_tags and not library.loaded
    library.load()
    assert library.loaded and [n.id for n in library.notes] == ["alpha", "beta"]
    # Nothing is read again: neither the cache file nor the YAML files.
    the_cache_file(cache_dir).unlink()
    monkeypatch.setattr(loader, "load_library", lambda *a: pytest.fail("read the YAML files"))
    library.load()
    assert library.note("alpha").title == "A note"


def test_deferred_with_damaged_notes_reads_the_files_instead(content, cache_dir):
    fresh = load_library_cached([content], cache_dir)
    path = the_cache_file(cache_dir)
    header, head, notes, rest = split(path)
    torn = path.read_bytes()[: -(len(rest) + len(notes) // 2)]  # from the notes' middle on
    path.write_bytes(torn + bytes(len(path.read_bytes()) - len(torn)))  # same size, zeroed
    result = load_library_cached([content], cache_dir, deferred=True)
    assert result.from_cache  # the header and the head were fine
    assert result.library.notes == fresh.library.notes  # read from the YAML files
    assert not path.exists()  # and the damaged file removed
    assert not load_library_cached([content], cache_dir).from_cache  # rebuilt
    assert load_library_cached([content], cache_dir, deferred=True).from_cache


def edit_head(edit):
    def damage(path: Path) -> bytes:
        header, head, notes, rest = split(path)
        data = msgspec.msgpack.decode(head)  # [errors, summary]
        edit(data)
        return joined(header, msgspec.msgpack.encode(data), notes, rest)
    return damage


@pytest.mark.parametrize("damage", [
    pytest.param(lambda p: b"garbage\n" + p.read_bytes(), id="garbage-first-line"),
    pytest.param(lambda p: p.read_bytes().replace(b"\n", b" ", 1), id="one-line"),
    pytest.param(lambda p: p.read_bytes().replace(b"service/s3", b"service/S3", 1),
                 id="head-checksum"),
    pytest.param(edit_head(lambda d: d[1][5].__setitem__(0, "not a tag set")), id="bad-tag-set"),
    pytest.param(edit_head(lambda d: d[1][2].__setitem__("x", [1])), id="bad-tag-count"),
    pytest.param(edit_head(lambda d: d[1][3].__setitem__(0, 1)), id="bad-question-id"),
])
def test_deferred_with_a_damaged_head_is_a_miss(content, cache_dir, damage):
    fresh = load_library_cached([content], cache_dir)
    path = the_cache_file(cache_dir)
    path.write_bytes(damage(path))
    result = load_library_cached([content], cache_dir, deferred=True)
    assert not result.from_cache
    assert_same(result, fresh)
    assert load_library_cached([content], cache_dir, deferred=True).from_cache


def test_deferred_errors_are_the_cached_errors(content, cache_dir):
    (content / "broken.yaml").write_text("id: broken\ntitle: Broken\ntittle: typo\n",
                                         encoding="utf-8")
    fresh = load_library_cached([content], cache_dir)
    deferred = load_library_cached([content], cache_dir, deferred=True)
    assert deferred.from_cache and deferred.errors == fresh.errors and not deferred.ok


def test_app_start_path_defers_the_notes(content):
    from argparse import Namespace

    from studyvpc.ui.cli.common import load_content

    args = Namespace(content=[str(content)])
    assert not load_content(args).from_cache
    result = load_content(args)
    assert result.from_cache and not result.library.loaded


def test_deferred_notes_come_from_the_files_if_the_cache_file_went_away(content, cache_dir):
    fresh = load_library_cached([content], cache_dir)
    result = load_library_cached([content], cache_dir, deferred=True)
    the_cache_file(cache_dir).unlink()  # e.g. the user cleared the cache meanwhile
    assert result.library.notes == fresh.library.notes


def test_deferred_notes_are_read_from_a_rewrite_of_the_same_content(content, cache_dir,
                                                                    monkeypatch):
    """Another process may rewrite the file meanwhile: the same key, so the same notes."""
    from studyvpc.content import loader

    fresh = load_library_cached([content], cache_dir)
    result = load_library_cached([content], cache_dir, deferred=True)
    the_cache_file(cache_dir).unlink()
    assert not load_library_cached([content], cache_dir).from_cache  # written anew
    monkeypatch.setattr(loader, "load_library", lambda *a: pytest.fail("read the YAML files"))
    assert result.library.notes == fresh.library.notes

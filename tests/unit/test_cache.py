"""The parsed-content cache: served when nothing changed, rebuilt on any change, never fatal.

Not timed (benchmarks/run.py measures speed); these check that the cache is *right*.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from studyvpc import locations
from studyvpc.content import cache, cache_build, codec
from studyvpc.content.cache import load_library_cached
from studyvpc.content.loader import load_library
from studyvpc.content.results import LoadResult

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from synth import make_library  # noqa: E402

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


def write_note(folder: Path, note_id: str, title: str = "A note", link: str | None = None) -> Path:
    path = folder / f"{note_id}.yaml"
    path.write_text(NOTE.format(id=note_id, title=title, link=link or note_id), encoding="utf-8")
    return path


@pytest.fixture
def content(tmp_path) -> Path:
    folder = tmp_path / "content"
    folder.mkdir()
    write_note(folder, "alpha", link="beta")
    write_note(folder, "beta", link="alpha")
    return folder


@pytest.fixture
def cache_dir(tmp_path) -> Path:
    return tmp_path / "cache"


def locations_of(result: LoadResult) -> list:
    """Locations are not part of dataclass equality: compare them on their own."""
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


# --------------------------------------------------------------------------- hit / miss

def test_second_load_is_a_hit_and_equals_the_first(content, cache_dir):
    first = load_library_cached([content], cache_dir)
    assert not first.from_cache
    assert len(list(cache_dir.glob("library-*.json"))) == 1
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


@pytest.mark.parametrize("what", ["app", "cache", "codec"])
def test_version_change_is_a_miss(content, cache_dir, monkeypatch, what):
    load_library_cached([content], cache_dir)
    assert load_library_cached([content], cache_dir).from_cache
    if what == "app":
        monkeypatch.setattr(cache, "__version__", "999.0")
    elif what == "cache":
        monkeypatch.setattr(cache, "CACHE_VERSION", cache.CACHE_VERSION + 1)
    else:
        monkeypatch.setattr(codec, "CODEC_VERSION", codec.CODEC_VERSION + 1)
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
    assert len(list(cache_dir.glob("library-*.json"))) == 2


def test_old_entries_are_pruned(tmp_path, cache_dir):
    for i in range(cache.MAX_ENTRIES + 3):
        folder = tmp_path / f"c{i}"
        folder.mkdir()
        write_note(folder, f"n{i}")
        load_library_cached([folder], cache_dir)
    assert len(list(cache_dir.glob("library-*.json"))) == cache.MAX_ENTRIES


def test_missing_path_is_reported_and_not_cached(content, tmp_path, cache_dir):
    result = load_library_cached([content, tmp_path / "nope"], cache_dir)
    assert not result.ok
    assert "no such file or directory" in str(result.errors[0])
    assert not load_library_cached([content, tmp_path / "nope"], cache_dir).from_cache
    assert not cache_dir.exists() or not list(cache_dir.glob("library-*.json"))


# --------------------------------------------------------------------------- damaged caches

def the_cache_file(cache_dir: Path) -> Path:
    (path,) = cache_dir.glob("library-*.json")
    return path


def wrong_shape(path: Path) -> bytes:
    data = json.loads(path.read_bytes())
    data["notes"][0][1] = 42  # a title that is a number
    return json.dumps(data).encode()


def wrong_arity(path: Path) -> bytes:
    data = json.loads(path.read_bytes())
    data["notes"][0] = data["notes"][0][:-2]
    return json.dumps(data).encode()


def bad_errors(path: Path) -> bytes:
    data = json.loads(path.read_bytes())
    data["errors"] = [["x.yaml", "one", 1, "m", "error"]]
    return json.dumps(data).encode()


@pytest.mark.parametrize("damage", [
    pytest.param(lambda p: b"\x00\xff garbage \x93" * 50, id="garbage-bytes"),
    pytest.param(lambda p: p.read_bytes()[: len(p.read_bytes()) // 2], id="truncated"),
    pytest.param(lambda p: b"", id="empty"),
    pytest.param(lambda p: b"[1, 2, 3]", id="json-list"),
    pytest.param(lambda p: b'{"format": "studyvpc-library-cache"}', id="json-missing-keys"),
    pytest.param(wrong_shape, id="json-wrong-type"),
    pytest.param(wrong_arity, id="json-wrong-arity"),
    pytest.param(bad_errors, id="json-bad-errors"),
    pytest.param(lambda p: b"[" * 100_000, id="deeply-nested"),
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


# ------------------------------------------------------------- a cold start's build process

class Meanwhile:
    """The app's other start-up work: counts its calls, notes whether the cache existed."""

    def __init__(self, cache_dir: Path) -> None:
        self.cache_dir = cache_dir
        self.calls = 0
        self.cache_seen: list[bool] = []

    def __call__(self) -> None:
        self.calls += 1
        self.cache_seen.append(bool(list(self.cache_dir.glob("library-*.json"))))


def test_cold_start_parses_in_a_second_process_while_the_app_imports(content, cache_dir,
                                                                    monkeypatch):
    started = []
    real_start = cache_build.start_build
    monkeypatch.setattr(cache_build, "start_build",
                        lambda *a: started.append(a) or real_start(*a))
    meanwhile = Meanwhile(cache_dir)
    result = load_library_cached([content], cache_dir, deferred=True, meanwhile=meanwhile)
    assert meanwhile.calls == 1 and len(started) == 1
    assert result.from_cache and result.parsed_now  # read from the cache the process wrote
    result.library.materialize()
    assert_same(result, load_library([content]))
    # warm: no process, nothing parsed
    again = load_library_cached([content], cache_dir, deferred=True, meanwhile=Meanwhile(cache_dir))
    assert again.from_cache and not again.parsed_now and len(started) == 1


def test_errors_found_by_the_build_process_are_the_loaders(content, cache_dir):
    (content / "broken.yaml").write_text("id: broken\ntitle: B\nkey_pont: x\n", encoding="utf-8")
    result = load_library_cached([content], cache_dir, deferred=True, meanwhile=lambda: None)
    assert result.from_cache and not result.ok
    assert [str(e) for e in result.errors] == [str(e) for e in load_library([content]).errors]


@pytest.mark.parametrize("failure", ["exit-status", "cannot-start", "unwritable"])
def test_a_failed_build_process_loads_the_content_here(content, tmp_path, monkeypatch, failure):
    cache_dir = tmp_path / "cache"
    if failure == "exit-status":  # a crash: no cache written
        monkeypatch.setattr(cache_build, "start_build", lambda *a: subprocess.Popen(
            [sys.executable, "-c", "raise SystemExit(3)"]))
    elif failure == "cannot-start":
        monkeypatch.setattr(cache_build, "start_build", lambda *a: None)
    else:
        blocker = tmp_path / "file.txt"
        blocker.write_text("a file where a folder should be", encoding="utf-8")
        cache_dir = blocker / "sub"
    meanwhile = Meanwhile(cache_dir)
    result = load_library_cached([content], cache_dir, deferred=True, meanwhile=meanwhile)
    assert meanwhile.calls == 1
    assert result.parsed_now and result.ok
    assert_same(result, load_library([content]))


def test_build_process_entry_point_writes_the_cache_under_the_given_key(content, cache_dir):
    target = cache.cache_file(cache_dir, [content])
    key = cache.cache_key(cache.discover([content])[0])
    proc = subprocess.run([sys.executable, "-m", "studyvpc.content.cache_build", str(target), key,
                           str(content)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert cache.read_cache(target, key) is not None
    assert load_library_cached([content], cache_dir).from_cache


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


def test_codec_round_trips_every_field_type():
    from datetime import date

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
    data = json.loads(json.dumps(codec.encode_notes([note])))
    (back,) = codec.decode_notes(data)
    assert back == note
    assert back.questions[0].location == Location("p.yaml", 3, 4)
    assert back.flow is not None and back.flow.steps[1].arrow == "→"


@pytest.mark.parametrize("data", [
    None, {}, [None], [[]], [["n"]], [[1] * 22], "notes",
])
def test_codec_refuses_what_does_not_fit(data):
    with pytest.raises(codec.DecodeError):
        codec.decode_notes(data)


def test_codec_refuses_a_bool_where_a_number_goes():
    from studyvpc.content.model import Location, Note

    data = codec.encode_notes([Note("n", "t", location=Location("p", 1, 1))])
    data[0][-1][1] = True  # line: true
    with pytest.raises(codec.DecodeError):
        codec.decode_notes(data)


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
    assert list(cache_dir.glob("library-*.json"))


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


def test_deferred_hit_answers_from_the_summary_then_decodes_on_first_use(tmp_path, cache_dir):
    from studyvpc.content.library import DeferredLibrary
    from studyvpc.progress.store import QuestionIndex

    folder = make_library(tmp_path / "synthetic", 60)
    fresh = load_library_cached([folder], cache_dir)
    result = load_library_cached([folder], cache_dir, deferred=True)
    assert result.from_cache and isinstance(result.library, DeferredLibrary)
    library = result.library
    assert not library.materialized
    assert summary_of(library) == summary_of(fresh.library)
    assert QuestionIndex.from_library(library) == QuestionIndex.from_library(fresh.library)
    assert not library.materialized  # all of that from the summary alone
    assert library.notes == fresh.library.notes  # first use of the notes: decoded now
    assert library.materialized
    assert_same(result, fresh)
    assert summary_of(library) == summary_of(fresh.library)
    assert library.search("gateway") == fresh.library.search("gateway")


def test_every_tag_count_matches_the_tagged_lists(tmp_path):
    from studyvpc.content.library import Library

    lib = load_library([make_library(tmp_path / "synthetic", 40)]).library
    prefixes = lib.summary().tag_counts
    assert set(lib.all_tags) <= set(prefixes) and "service" in prefixes
    for tag in prefixes:
        assert lib.tag_counts(tag) == (len(lib.notes_tagged(tag)), len(lib.questions_tagged(tag)))
    assert Library(()).tag_counts("anything") == (0, 0)


def test_deferred_materialize_is_explicit_and_happens_once(content, cache_dir):
    load_library_cached([content], cache_dir)
    library = load_library_cached([content], cache_dir, deferred=True).library
    library.materialize()
    assert library.materialized and [n.id for n in library.notes] == ["alpha", "beta"]
    library.materialize()  # nothing more
    assert library.note("alpha").title == "A note"
    with pytest.raises(AttributeError):
        library.no_such_attribute


def test_deferred_with_damaged_notes_reads_the_files_instead(content, cache_dir):
    fresh = load_library_cached([content], cache_dir)
    path = the_cache_file(cache_dir)
    first_line, _, rest = path.read_bytes().partition(b"\n")
    path.write_bytes(first_line + b"\n" + rest[: len(rest) // 2])  # a torn second line
    result = load_library_cached([content], cache_dir, deferred=True)
    assert result.from_cache  # the first line was fine
    assert result.library.notes == fresh.library.notes  # read from the YAML files
    assert not path.exists()  # and the damaged file removed
    assert not load_library_cached([content], cache_dir).from_cache  # rebuilt
    assert load_library_cached([content], cache_dir, deferred=True).from_cache


@pytest.mark.parametrize("damage", [
    pytest.param(lambda raw: b"garbage\n" + raw, id="garbage-first-line"),
    pytest.param(lambda raw: raw.replace(b"\n", b" ", 1), id="one-line"),
    pytest.param(lambda raw: raw.replace(b'"question_tags":[', b'"question_tags":[99,', 1),
                 id="bad-tag-set-index"),
    pytest.param(lambda raw: raw.replace(b'"tag_counts":{', b'"tag_counts":{"x":[1],', 1),
                 id="bad-tag-count"),
    pytest.param(lambda raw: raw.replace(b'"question_ids":[', b'"question_ids":[1,', 1),
                 id="bad-question-id"),
])
def test_deferred_with_a_damaged_first_line_is_a_miss(content, cache_dir, damage):
    fresh = load_library_cached([content], cache_dir)
    path = the_cache_file(cache_dir)
    path.write_bytes(damage(path.read_bytes()))
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
    assert result.from_cache and not result.library.materialized


def test_deferred_notes_come_from_the_files_if_the_cache_file_went_away(content, cache_dir):
    fresh = load_library_cached([content], cache_dir)
    result = load_library_cached([content], cache_dir, deferred=True)
    the_cache_file(cache_dir).unlink()  # e.g. the user cleared the cache meanwhile
    assert result.library.notes == fresh.library.notes

"""Reading content files in helper processes (`parallel`) gives what a serial read gives: the
same notes, and every error and warning with its location, in the same order; a helper that
fails only leaves its files to this process."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from support.cache import assert_same

from studyvpc.content import loader, parallel
from studyvpc.content.loader import assemble, read_files, read_one
from studyvpc.content.results import discover

ROOT = Path(__file__).resolve().parents[2]
BAD = {
    "broken.yaml": "id: broken\ntitle: [unclosed\n",
    "dup.yaml": "id: s3-encryption\ntitle: Again\nkey_point: See [[nowhere]].\n",
    "garbled.yaml": "id: garbled\ntitle: Caf\u00c3\u00a9\nbogus: 1\n",
    "notitle.yaml": "id: notitle\nquestions: []\n",
}


@pytest.fixture
def library(tmp_path) -> Path:
    """The bundled deck, some Markdown notes and files with errors and warnings."""
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    shutil.copytree(ROOT / "tests" / "fixtures" / "markdown", folder / "md")
    for name, text in BAD.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def forced(monkeypatch):
    """Helpers for any library, chunks of a file or two."""
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 1)
    monkeypatch.setattr(parallel, "helper_count", lambda total: 2)


def load(folder: Path, **kw):
    files, errors = discover([folder])
    return assemble(files, errors, read_files(files, **kw))


def test_a_parallel_read_is_the_serial_read(library, forced):
    serial = load(library)
    assert {e.severity for e in serial.errors} == {"error", "warning"}
    assert_same(load(library, parallel=True), serial)


def test_helpers_read_some_of_the_files(library, forced):
    """This process waits, at its first file, for a helper's answer: the helpers' reads
    are in the result (not only this process's)."""
    files, _ = discover([library])
    reads: list = [None] * len(files)
    mine: list[int] = []

    def read_here(path: Path):
        deadline = time.monotonic() + 60
        while not any(r is not None for r in reads) and time.monotonic() < deadline:
            time.sleep(0.01)
        mine.append(files.index(path))
        return read_one(path)

    runs = [[i] for i in range(len(files))]
    parallel.read_in_parallel(files, runs, 2, read_here, reads)
    assert 0 < len(mine) < len(files)
    assert reads == [read_one(f) for f in files]


def test_a_helper_that_cannot_work_leaves_its_files_here(library, forced, monkeypatch):
    real_start = parallel._start

    def broken(helpers):
        procs = real_start(helpers)
        for p in procs:
            p.kill()  # dies before its first answer
        return procs

    monkeypatch.setattr(parallel, "_start", broken)
    assert_same(load(library, parallel=True), load(library))


def test_small_libraries_are_read_here_alone(library, monkeypatch):
    monkeypatch.setattr(parallel, "_start", lambda n: pytest.fail("started a helper"))
    assert parallel.helper_count(parallel.MIN_BYTES - 1) == 0
    load(library, parallel=True)


def test_the_cold_start_reads_in_parallel(library, forced, tmp_path, monkeypatch):
    """The cache's miss asks for the parallel read (the helpers' share is shown above)."""
    from studyvpc.content.cache import load_library_cached

    asked: list[bool] = []
    real = loader.read_files
    monkeypatch.setattr(loader, "read_files",
                        lambda files, known=None, **kw: asked.append(kw.get("parallel"))
                        or real(files, known, **kw))
    result = load_library_cached([library], tmp_path / "cache")
    assert asked == [True]
    assert_same(result, loader.load_library([library]))


def test_a_parallel_cold_start_writes_the_serial_cache_file(library, forced, tmp_path,
                                                            monkeypatch):
    """Helpers also fold their notes' search texts for the cache: the file written is the
    one a serial start writes, byte for byte. This process waits at its first file until a
    helper has answered, so some of it is the helpers' work."""
    import threading

    from studyvpc.content import filereuse
    from studyvpc.content.cache import load_library_cached

    load_library_cached([library], tmp_path / "serial")
    answered = threading.Event()
    real_keep, real_read = filereuse.Earlier.keep, loader.read_one

    def keep(self, note, text):
        answered.set()
        real_keep(self, note, text)

    def read_here(path):
        answered.wait(60)
        return real_read(path)

    monkeypatch.setattr(filereuse.Earlier, "keep", keep)
    monkeypatch.setattr(loader, "read_one", read_here)
    load_library_cached([library], tmp_path / "parallel")
    assert answered.is_set()
    (serial,) = (tmp_path / "serial").glob("library-*")
    (par,) = (tmp_path / "parallel").glob("library-*")
    assert serial.read_bytes() == par.read_bytes()


@pytest.mark.parametrize("executable, frozen", [("", False), (None, False), ("app", True)])
def test_no_helper_where_there_is_no_interpreter_to_start(library, forced, monkeypatch,
                                                          executable, frozen):
    monkeypatch.setattr(parallel.sys, "executable", executable)
    monkeypatch.setattr(parallel.sys, "frozen", frozen, raising=False)
    monkeypatch.setattr(parallel.subprocess, "Popen", lambda *a, **k: pytest.fail("started"))
    assert_same(load(library, parallel=True), load(library))

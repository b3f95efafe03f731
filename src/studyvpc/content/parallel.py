"""Reading content files in helper processes on a cold start, while this process reads too.

Parsing YAML is CPU-bound and each file is read on its own (`fileread`), so a large library
is read on every core: the files are cut into chunks of about `CHUNK_BYTES`, taken in order
by this process and by up to one helper per other core, and put back in file order, so the
library and every message are those of a serial read. A helper is a fresh interpreter
(``python -P -c ...``) running `serve`: it gets a chunk's paths and answers with their
`FileRead`s, MessagePack with the types checked on the way back. Not `multiprocessing`: fork
is unsafe once threads run, and its spawn and forkserver methods re-run the parent's main
module in every helper (the app's command line, or whatever program embeds it).

Anything wrong with a helper -- it cannot start, dies, answers garbage -- only means its
chunk is read here instead; a library below `MIN_BYTES` is read here alone (a helper costs
its interpreter's start).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import msgspec

from studyvpc.content.fileread import ENCODE, FileRead
from studyvpc.content.model import Note

MIN_BYTES = 2 << 20
"""Content smaller than this is read in this process alone; one helper more for each such
amount (a helper's start costs about what reading this much does)."""
CHUNK_BYTES = 1 << 20
"""About how many bytes of files one chunk holds (at least one file)."""
MAX_HELPERS = 15
"""Helpers at most, whatever the number of cores."""
_SIZE = 4  # bytes of a message's length, little-endian

_PATHS = msgspec.msgpack.Decoder(list[str]).decode
_ANSWER = msgspec.msgpack.Decoder(tuple[list[FileRead], list[bytes]]).decode
"""A helper's answer: the reads of a chunk's files, and each note's folded search text (b""
for a file without a note): folding is most of writing the cache, so helpers do it too."""


def helper_count(total_bytes: int) -> int:
    """How many helper processes a read of ``total_bytes`` gets: one per core beyond this
    process's, none below `MIN_BYTES`."""
    if total_bytes < MIN_BYTES:
        return 0
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(0, min(cores - 1, MAX_HELPERS, total_bytes // max(1, MIN_BYTES)))


def chunks(files: Sequence[Path], todo: Sequence[int], sizes: Sequence[int]) -> list[list[int]]:
    """``todo`` (positions in ``files``) cut, in order, into runs of about `CHUNK_BYTES`."""
    out: list[list[int]] = []
    run: list[int] = []
    size = 0
    for i, n in zip(todo, sizes):
        run.append(i)
        size += n
        if size >= CHUNK_BYTES:
            out.append(run)
            run, size = [], 0
    if run:
        out.append(run)
    return out


def read_in_parallel(files: Sequence[Path], runs: list[list[int]], helpers: int,
                     read_one: Callable[[Path], FileRead], reads: list,
                     done: Callable[[int], None] = lambda n: None,
                     folded: Callable[[Note, bytes], None] | None = None) -> None:
    """Fill ``reads[i]`` for every ``i`` in ``runs``: this process and ``helpers`` helper
    processes take the runs in order; ``done(n)`` is called (in this thread) as files are
    read, with how many are done so far; ``folded(note, text)`` with each search text
    (`stored.search_bytes`) a helper folded."""
    lock = threading.Lock()
    state = {"next": 0, "done": 0}
    failed: list[list[int]] = []

    def take() -> list[int] | None:
        with lock:
            k = state["next"]
            if k >= len(runs):
                return None
            state["next"] = k + 1
            return runs[k]

    def finished(n: int) -> None:
        with lock:
            state["done"] += n

    procs = _start(helpers)
    threads = [threading.Thread(target=_feed, args=(p, files, take, reads, finished, failed,
                                                    folded), daemon=True) for p in procs]
    for t in threads:
        t.start()
    while (run := take()) is not None:
        for i in run:
            reads[i] = read_one(files[i])
            finished(1)
            done(state["done"])
    for t in threads:
        t.join()
    for run in failed:  # what a helper could not read
        for i in run:
            reads[i] = read_one(files[i])
            finished(1)
            done(state["done"])


def _start(helpers: int) -> list[subprocess.Popen]:
    import studyvpc

    if not sys.executable or getattr(sys, "frozen", False):
        # No interpreter to start (embedded), or the program itself is the executable (a
        # frozen app): it would be started with the helper's arguments.
        return []

    # The helpers import this very copy of studyvpc, whatever the current folder holds
    # (-P: nothing from it or the script's folder).
    here = str(Path(studyvpc.__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        [here, *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))])}
    procs = []
    for _ in range(helpers):
        try:
            procs.append(subprocess.Popen(
                [sys.executable, "-P", "-c", "from studyvpc.content.parallel import serve; serve()"],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                env=env))
        except OSError:
            break  # no more processes: the others (and this one) read it all
    return procs


def _feed(proc: subprocess.Popen, files: Sequence[Path], take, reads: list, finished,
          failed: list, folded) -> None:
    """Give ``proc`` runs until none is left; a run it fails on is left in ``failed``."""
    run = None
    try:
        while (run := take()) is not None:
            _send(proc.stdin, ENCODE([str(files[i]) for i in run]))
            got, texts = _ANSWER(_receive(proc.stdout))
            if not len(got) == len(texts) == len(run):
                raise ValueError("a helper answered for other files")
            for i, r, text in zip(run, got, texts):
                reads[i] = r
                if folded is not None and r.pending is not None:
                    folded(r.pending.note, text)
            finished(len(run))
            run = None
    except (OSError, ValueError, EOFError):
        if run is not None:
            failed.append(run)
        proc.kill()
    finally:
        for pipe in (proc.stdin, proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass
        proc.wait()


def _send(pipe, data: bytes) -> None:
    pipe.write(len(data).to_bytes(_SIZE, "little") + data)
    pipe.flush()


def _receive(pipe) -> bytes:
    head = pipe.read(_SIZE)
    if len(head) != _SIZE:
        raise EOFError("the helper stopped")
    n = int.from_bytes(head, "little")
    data = pipe.read(n)
    if len(data) != n:
        raise EOFError("the helper stopped")
    return data


def serve() -> None:
    """A helper's loop: read each chunk of paths asked for, answer with their reads."""
    import gc

    from studyvpc.content.loader import read_one
    from studyvpc.content.stored import search_bytes

    gc.disable()  # as the loader does while reading (its graph is acyclic in practice)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            names = _PATHS(_receive(stdin))
        except EOFError:
            return
        reads = [read_one(Path(n)) for n in names]
        _send(stdout, ENCODE((reads, [b"" if r.pending is None else search_bytes(r.pending.note)
                                      for r in reads])))

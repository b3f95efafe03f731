"""Real processes against one database: concurrent writers lose nothing, SIGKILL loses nothing shown.

Each child is a small ``python -c`` script that answers questions through the real scheduler
and prints one line *after* each answer is committed (the moment the app would show feedback).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from studyvpc.progress.store import ProgressStore

pytestmark = pytest.mark.slow  # processes killed mid-write


SRC = Path(__file__).resolve().parents[2] / "src"

WRITER = r"""
import sys, random
from studyvpc.progress.store import ProgressStore
from studyvpc.progress.scheduler import RatingSuperseded, ReviewScheduler

data_dir, name, count, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
store = ProgressStore.open(data_dir)
sched = ReviewScheduler(store)
print("ready", flush=True)
if sys.argv[5] == "wait":
    sys.stdin.readline()
session = store.start_session("practice", name)
for i in range(count):
    qid = f"q{rng.randrange(25)}"
    right = rng.random() < 0.7
    mode = "drill" if rng.random() < 0.1 else "practice"
    out = sched.answer(qid, "hash", ["A"] if right else ["B"], right, time_ms=rng.randrange(9000),
                       mode=mode, session_id=session)
    print("feedback shown", out.attempt.uuid, flush=True)
    if right and mode == "practice" and rng.random() < 0.3:
        try:
            sched.rate(qid, "easy", attempt_uuid=out.attempt.uuid)
        except RatingSuperseded:  # the other writer answered qid in between: its review stands
            print("rating superseded", out.attempt.uuid, flush=True)
        else:
            print("rated easy", out.attempt.uuid, flush=True)
store.finish_session(session)
print("done", flush=True)
"""


def spawn(data_dir: Path, name: str, count: int, seed: int, wait: bool) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(data_dir), name, str(count), str(seed),
         "wait" if wait else "go"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )


def parse(lines: list[str]) -> tuple[set[str], set[str]]:
    shown = {line.split()[2] for line in lines if line.startswith("feedback shown ")}
    rated = {line.split()[2] for line in lines if line.startswith("rated easy ")}
    return shown, rated


def check_db(data_dir: Path, shown: set[str], rated: set[str]) -> int:
    path = data_dir / "progress.sqlite3"
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    raw.close()
    with ProgressStore.open(data_dir) as store:  # the app can open it again
        stored = {r[0] for r in store.fetchall("SELECT uuid FROM attempts")}
        missing = shown - stored
        assert not missing, f"{len(missing)} answers were shown but are not in the database"
        if rated:
            ratings = dict(store.fetchall("SELECT attempt_uuid, rating FROM review_logs"))
            assert all(ratings[u] == 4 for u in rated)
        # every review belongs to a stored attempt and cards agree with their logs
        assert store.fetchall(
            "SELECT COUNT(*) FROM review_logs WHERE attempt_uuid NOT IN (SELECT uuid FROM attempts)"
        ) == [(0,)]
        assert store.fetchall(
            "SELECT COUNT(*) FROM cards c WHERE reviews !="
            " (SELECT COUNT(*) FROM review_logs r WHERE r.question_id = c.question_id)") == [(0,)]
        return len(stored)


def test_two_processes_answering_at_once_lose_nothing(tmp_path):
    data = tmp_path / "data"
    procs = [spawn(data, f"w{i}", 200, seed=i, wait=True) for i in range(2)]
    for p in procs:
        assert p.stdout.readline().strip() == "ready", p.stderr.read()
    for p in procs:  # release both together
        p.stdin.write("go\n")
        p.stdin.flush()
    outputs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outputs):
        assert p.returncode == 0, err
        assert out.rstrip().endswith("done")
    shown, rated = parse([line for out, _ in outputs for line in out.splitlines()])
    assert len(shown) == 400
    assert check_db(data, shown, rated) == 400
    with ProgressStore.open(data) as store:
        assert store.attempt_count() == 400
        assert len(store.sessions()) == 2
        practice = store.fetchall("SELECT COUNT(*) FROM attempts WHERE mode = 'practice'")[0][0]
        assert len(store.review_logs()) == practice


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_at_random_moments_never_loses_a_shown_answer(tmp_path):
    data = tmp_path / "data"
    rng = random.Random(int(os.environ.get("STUDYVPC_KILL_SEED", "20250310")))
    shown_all: set[str] = set()
    rated_all: set[str] = set()
    kills = 0
    for i in range(50):
        proc = spawn(data, f"k{i}", 100_000, seed=i, wait=False)
        lines: list[str] = []
        if rng.random() < 0.2:
            # anywhere in start-up: imports, opening, creating or migrating the database
            time.sleep(rng.uniform(0.0, 0.25))
        else:
            # while answering: after a random number of answers, at a random instant
            for _ in range(rng.randint(1, 25)):
                line = proc.stdout.readline()
                if not line:
                    break
                lines.append(line)
            time.sleep(rng.uniform(0.0, 0.004))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
        kills += 1
        # lines already written to the pipe were "shown" before the kill
        lines += [line for line in proc.stdout.read().splitlines(keepends=True) if line.endswith("\n")]
        proc.stdout.close()
        proc.stderr.close()
        proc.stdin.close()
        shown, rated = parse(lines)
        shown_all |= shown
        rated_all |= rated
        check_db(data, shown_all, rated_all)
    assert kills == 50
    assert len(shown_all) > 200  # the kills really happened mid-session, many times


OPENER = r"""
import sys
from studyvpc.progress.store import ProgressStore
print("ready", flush=True)
sys.stdin.readline()
with ProgressStore.open(sys.argv[1]) as store:
    print("opened", store.schema_version, flush=True)
"""


def test_processes_opening_a_new_database_together_all_get_it(tmp_path):
    """First use from several terminals at once: each opens the new file (none is 'locked')."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    for round_ in range(8):
        data = tmp_path / f"data{round_}"
        procs = [subprocess.Popen([sys.executable, "-c", OPENER, str(data)], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                 for _ in range(3)]
        for p in procs:
            assert p.stdout.readline().strip() == "ready", p.stderr.read()
        for p in procs:  # release them together, at the moment the file does not exist yet
            p.stdin.write("go\n")
            p.stdin.flush()
        for p in procs:
            out, err = p.communicate(timeout=60)
            assert p.returncode == 0, err
            assert out.startswith("opened "), err

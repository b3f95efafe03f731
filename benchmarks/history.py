"""A learner's progress history at scale: two years of daily sessions, 10k..1M answers.

    from history import make_history
    db = make_history(data_dir, [q.id for q in library.questions], 1_000_000)

`make_history` creates the database through the store (`ProgressStore.open`: the real schema
and its migrations), then bulk-inserts sessions, attempts, FSRS cards and review logs with
``executemany`` inside one transaction, and finally opens and closes it once more through the
store, so the file is exactly as the app leaves it after a clean exit.

What the history looks like (deterministic for a seed and an ``end``):

- ``days`` calendar days ending at ``end`` (default: now); the learner studies on about 85% of
  them, in one to three sessions (practice, review, the odd drill, a mock exam about every
  three weeks), at a local hour between 7 and 22;
- the questions studied grow over the two years, from a twentieth of the library to all of it;
  recently introduced questions are answered more often;
- answers are right about three times in four, more often for questions seen more;
- mock exams have 65 questions, a few left unanswered (stored as skipped), and an outcome row;
- every answer outside drills (and not skipped) is an FSRS review: a review log with the card
  before and after it, rated Good when right and Again when wrong (as the scheduler rates), and
  each question's card is the card after its last review. The card states follow a simplified
  FSRS (stability grows on a right answer and shrinks on a wrong one; learning → review →
  relearning), written in the shape ``fsrs.Card.to_json`` writes; running real FSRS for a
  million reviews would take minutes.

Timing home and the statistics on these histories:

- Pass the ids of the library the app will load (``[q.id for q in library.questions]``):
  answers to ids not in it are orphans, and home's due counts would stay empty.
- The database is left as a clean exit leaves it, sealed (``progress.sqlite3.checked``; see
  `studyvpc.progress.store.seal`): opens within a day of its making skip the page-by-page
  check, as a learner's daily start does. A copy (a new inode), a run that was killed, or a
  day gone by makes the next open check every page once (and seal it again): that is the
  rare start, time it apart if at all.
- Home's first frame: ``STUDYVPC_EXIT_AFTER_FIRST_FRAME=1 python -m studyvpc --content C
  --data-dir D``, one process per run, 10k vs 1M answers on the same library.
- Statistics: ``compute_stats(store, QuestionIndex.from_library(library),
  scheduler=ReviewScheduler(store))`` after one warm-up call (it imports fsrs), or the stats
  screen in ``App.run_test``.
- On a busy machine count work too: SQLite virtual-machine steps, with a progress handler on
  the connections the store opens (wrap ``sqlite3.connect``, as tests/unit/test_store_open.py
  does).
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from studyvpc.progress.scheduler import card_id_for
from studyvpc.progress.store import DB_NAME, ProgressStore
from studyvpc.progress.store.records import ATTEMPT_COLUMNS, CARD_COLUMNS, LOG_COLUMNS

EXAM_SIZE = 65
BATCH = 20_000
"""Rows handed to one ``executemany``: memory stays bounded whatever the history's size."""

LEARNING, REVIEW, RELEARNING = 1, 2, 3
US_PER_DAY = 86_400_000_000
EPOCH = date(1970, 1, 1)
MINUTE_US = 60_000_000


class _Clock:
    """Moments as integer microseconds since the epoch (UTC), formatted as the store writes
    them (`iso_utc`): datetime objects per row would cost more than everything else."""

    def __init__(self) -> None:
        self._days: dict[int, str] = {}

    def iso(self, us: int) -> str:
        day, rem = divmod(us, US_PER_DAY)
        prefix = self._days.get(day)
        if prefix is None:
            prefix = self._days[day] = (EPOCH + timedelta(days=day)).isoformat() + "T"
        secs, micro = divmod(rem, 1_000_000)
        hours, secs = divmod(secs, 3600)
        minutes, secs = divmod(secs, 60)
        return f"{prefix}{hours:02d}:{minutes:02d}:{secs:02d}.{micro:06d}+00:00"


class _Card:
    """A question's FSRS-like memory state, advanced review by review."""

    __slots__ = ("card_id", "state", "step", "stability", "difficulty", "due", "last", "reviews",
                 "text")

    def __init__(self, card_id: int, at: int) -> None:
        self.card_id = card_id
        self.state = LEARNING
        self.step: int | None = 0
        self.stability: float | None = None
        self.difficulty: float | None = None
        self.due = at
        self.last: int | None = None
        self.reviews = 0
        self.text = ""
        """The card's JSON as of its last review (`json`)."""

    def json(self, clock: _Clock, last_stamp: str | None = None) -> str:
        none = "null"
        last = none if last_stamp is None else f'"{last_stamp}"'
        self.text = text = (f'{{"card_id": {self.card_id}, "state": {self.state}, '
                f'"step": {none if self.step is None else self.step}, '
                f'"stability": {none if self.stability is None else self.stability}, '
                f'"difficulty": {none if self.difficulty is None else self.difficulty}, '
                f'"due": "{clock.iso(self.due)}", "last_review": {last}}}')
        return text

    def review(self, right: bool, at: int, rng: random.Random) -> None:
        if self.stability is None:
            self.stability = 2.3065 if right else 0.212
            self.difficulty = 2.1181 if right else 6.4133
        elif right:
            self.stability = round(min(36500.0, self.stability * (1.8 + 1.4 * rng.random())), 4)
            self.difficulty = round(max(1.0, self.difficulty - 0.15), 4)
        else:
            self.stability = round(max(0.1, self.stability * 0.3), 4)
            self.difficulty = round(min(10.0, self.difficulty + 0.8), 4)
        if not right:
            self.state = RELEARNING if self.state == REVIEW else LEARNING
            self.step = 0
            self.due = at + (1 if self.state == LEARNING else 10) * MINUTE_US
        elif self.state == LEARNING and self.step == 0:
            self.step = 1
            self.due = at + 10 * MINUTE_US
        else:
            self.state, self.step = REVIEW, None
            self.due = at + int(max(1.0, self.stability) * US_PER_DAY)
        self.last = at
        self.reviews += 1


def _plan(rng: random.Random, attempts: int, days: int, end: datetime
          ) -> list[tuple[date, list[tuple[str, int]]]]:
    """Per study day, oldest first: its sessions as (mode, answers); answers add up to
    ``attempts``."""
    last = end.astimezone().date()
    study_days = [last - timedelta(days=d) for d in range(days - 1, -1, -1)
                  if rng.random() < 0.85] or [last]
    plan: list[tuple[date, list[str]]] = []
    for k, day in enumerate(study_days):
        modes = ["practice", "review", "practice"][: rng.choice((1, 1, 2, 2, 3))]
        if k % 21 == 20:
            modes.append("exam")
        elif rng.random() < 0.1:
            modes.append("drill")
        plan.append((day, modes))
    if sum(EXAM_SIZE for _, ms in plan for m in ms if m == "exam") > attempts // 4:
        plan = [(day, [m for m in ms if m != "exam"]) for day, ms in plan]  # small histories
    exams = sum(EXAM_SIZE for _, ms in plan for m in ms if m == "exam")
    free = [(i, j) for i, (_, ms) in enumerate(plan) for j, m in enumerate(ms) if m != "exam"]
    weights = [0.3 + 1.4 * rng.random() for _ in free]
    scale = (attempts - exams) / sum(weights)
    counts = [int(w * scale) for w in weights]
    for n in range(attempts - exams - sum(counts)):
        counts[n % len(counts)] += 1
    sizes = {pos: n for pos, n in zip(free, counts)}
    return [(day, [(m, sizes.get((i, j), EXAM_SIZE)) for j, m in enumerate(ms)
                   if sizes.get((i, j), EXAM_SIZE) > 0])
            for i, (day, ms) in enumerate(plan)]


def _rows(question_ids: list[str], attempts: int, days: int, seed: int, end: datetime
          ) -> Iterator[tuple[str, tuple]]:
    """("session" | "attempt" | "log" | "exam" | "card", row), sessions in time order."""
    rng = random.Random(seed)
    rand, bits = rng.random, rng.getrandbits
    clock = _Clock()
    iso = clock.iso
    hashes = {q: hashlib.sha1(q.encode()).hexdigest()[:16] for q in question_ids}
    cards: dict[str, _Card] = {}
    seen: dict[str, int] = {}
    plan = _plan(rng, attempts, days, end)
    n_days = len(plan)
    for k, (day, sessions) in enumerate(plan):
        # Questions met so far: a twentieth of the library at first, all of it at the end.
        pool = max(1, int(len(question_ids) * (0.05 + 0.95 * (k + 1) / n_days)))
        local = datetime(day.year, day.month, day.day, rng.randint(7, 21),
                         rng.randrange(60)).astimezone()
        # The local date of every answer of the day: the offset of its first (clocks change
        # at night, when nobody studies here).
        offset = int(local.utcoffset().total_seconds() * 1_000_000)
        at = int((local - datetime(1970, 1, 1, tzinfo=timezone.utc)).total_seconds()) * 1_000_000
        for mode, n in sessions:
            sid = f"{bits(128):032x}"
            started = at
            exam_used = 0
            for _ in range(n):
                if rand() < 0.5:  # recently introduced questions come up more
                    qid = question_ids[max(0, pool - 1 - int(rng.expovariate(1 / 40)))]
                else:
                    qid = question_ids[int(rand() * pool)]
                times = seen.get(qid, 0)
                seen[qid] = times + 1
                skipped = mode == "exam" and rand() < 0.03
                right = not skipped and rand() < min(0.95, 0.62 + 0.04 * times)
                time_ms = int(3_000 + 40_000 * rand() * rand())  # mostly quick, some slow
                at += time_ms * 1000 + int(rand() * 3_000_000)
                exam_used += time_ms
                uid = f"{bits(128):032x}"
                stamp = iso(at)
                local_day = (EPOCH + timedelta(days=(at + offset) // US_PER_DAY)).isoformat()
                yield "attempt", (uid, qid, hashes[qid],
                                  "[]" if skipped else ('["A"]' if right else '["B"]'),
                                  int(right), time_ms, mode, sid, stamp, local_day, int(skipped))
                if mode == "drill" or skipped:
                    continue
                card = cards.get(qid)
                if card is None:
                    card = cards[qid] = _Card(card_id_for(qid), at)
                    card.json(clock)
                before = card.text
                card.review(right, at, rng)
                yield "log", (f"{bits(128):032x}", qid, uid, 3 if right else 1, stamp, time_ms,
                              before, card.json(clock, stamp))
            finished = None if rand() < 0.05 else iso(at + int(1 + rand() * 30) * 1_000_000)
            yield "session", (sid, mode, "your due reviews" if mode == "review" else
                              "all questions", iso(started), finished)
            if mode == "exam":
                yield "exam", (sid, 0.72, 7800, exam_used / 1000, 0)
            at += int(20 + rand() * 220) * MINUTE_US
    for qid, card in cards.items():
        yield "card", (qid, card.text, iso(card.due),
                       iso(card.last) if card.last is not None else None, card.reviews)


_INSERT = {
    "session": "INSERT INTO sessions (id, mode, scope, started, finished) VALUES (?, ?, ?, ?, ?)",
    "attempt": f"INSERT INTO attempts ({ATTEMPT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "log": f"INSERT INTO review_logs ({LOG_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "card": f"INSERT INTO cards ({CARD_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
    "exam": "INSERT INTO exams (session_id, pass_mark, time_limit_s, time_used_s, auto_submitted)"
            " VALUES (?, ?, ?, ?, ?)",
}


def make_history(data_dir: Path, question_ids: list[str], attempts: int, days: int = 730,
                 seed: int = 7, *, end: datetime | None = None) -> Path:
    """Write ``attempts`` answers over ``days`` days ending at ``end`` (default now) into a new
    progress database in ``data_dir``; returns the database's path. ``data_dir`` must not hold
    one yet."""
    if not question_ids:
        raise ValueError("a history needs at least one question id")
    data_dir = Path(data_dir)
    path = data_dir / DB_NAME
    if path.exists():
        raise ValueError(f"{path} exists already; make_history writes a new database")
    end = (end or datetime.now(timezone.utc)).astimezone(timezone.utc)
    ProgressStore.open(data_dir).close()  # the real schema, every migration
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        # A rollback journal for the load (the new pages go straight to the file, where WAL
        # would write them twice), WAL again afterwards, as the store keeps it.
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -262144")  # 256 MiB of page cache for the indexes
        conn.execute("BEGIN IMMEDIATE")
        # Secondary indexes are built once at the end (sorted, far faster than a million
        # scattered updates), from the schema's own SQL: the file ends up exactly as migrated.
        indexes = conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            " AND tbl_name IN ('attempts', 'review_logs')").fetchall()
        for name, _sql in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        pending: dict[str, list[tuple]] = {kind: [] for kind in _INSERT}
        for kind, row in _rows(list(question_ids), attempts, days, seed, end):
            batch = pending[kind]
            batch.append(row)
            if len(batch) >= BATCH:
                conn.executemany(_INSERT[kind], batch)
                batch.clear()
        for kind in ("session", "exam", "attempt", "log", "card"):
            if pending[kind]:
                conn.executemany(_INSERT[kind], pending[kind])
        for _name, sql in indexes:
            conn.execute(sql)
        conn.execute("COMMIT")
        conn.execute("PRAGMA journal_mode = WAL")
    finally:
        conn.close()
    ProgressStore.open(data_dir).close()  # as the app leaves it after a clean exit
    return path


if __name__ == "__main__":  # python benchmarks/history.py DIR ATTEMPTS [QUESTIONS]
    import sys
    import time

    target, count = Path(sys.argv[1]), int(sys.argv[2])
    n_questions = int(sys.argv[3]) if len(sys.argv) > 3 else 10_000
    t0 = time.perf_counter()
    made = make_history(target, [f"q-{i:05d}" for i in range(n_questions)], count)
    print(f"{made}: {count:,} answers in {time.perf_counter() - t0:.1f} s")

"""The progress database schema, as a list of forward migrations.

Why it is built this way:

- The schema version lives in ``PRAGMA user_version`` (an integer in the database header), so
  reading it needs no table and works on any SQLite file.
- ``MIGRATIONS[i]`` upgrades a database from version ``i`` to ``i + 1``. Migration 1 *is* the
  first release's schema; it is never edited once released (tests keep a frozen copy of its SQL
  and open a database built from that copy). Adding version 2 means appending one function to
  ``MIGRATIONS``; ``CURRENT_VERSION`` follows.
- `migrate` runs each step in its own ``BEGIN IMMEDIATE`` transaction and re-reads the version
  inside it, so two processes opening an old database at the same moment do not both migrate.
  SQLite DDL is transactional: a crash mid-migration leaves the previous version intact.
- Timestamps are ISO-8601 UTC text of one fixed width (see `iso_utc`), so they sort and compare
  as strings and indexes on them work. ``attempts.day`` is the learner's *local* calendar date at
  the moment of answering: "study days" and streaks are about the learner's days, and storing
  the date avoids per-row time-zone arithmetic when computing statistics. The helpers that turn
  moments into that text and back (`iso_utc`, `parse_utc`, `as_utc`, `local_day`) live here, next
  to the columns they fill, so every module of the store writes and reads them the same way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, datetime, timezone

Migration = Callable[[sqlite3.Connection], None]

NAIVE_TIMESTAMP = "timestamps must be timezone-aware (use datetime.now(timezone.utc))"


# --------------------------------------------------------------------------- timestamps


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(moment: datetime | None, *, naive: str = NAIVE_TIMESTAMP) -> datetime:
    """``moment`` (now if None) in UTC. A naive datetime raises ``ValueError(naive)``: the time
    zone it was meant in is unknown, so no stored time could be right."""
    moment = moment or utc_now()
    if moment.tzinfo is None:
        raise ValueError(naive)
    return moment.astimezone(timezone.utc)


def iso_utc(moment: datetime) -> str:
    """Fixed-width UTC text (``2025-01-31T09:15:00.000000+00:00``) for storage and comparison."""
    if moment.tzinfo is None:
        raise ValueError(NAIVE_TIMESTAMP)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def parse_utc(text: str) -> datetime:
    """The moment stored as ``text`` (`iso_utc` output; text without a zone is taken as UTC)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def local_day(moment: datetime) -> date:
    """The learner's calendar date at ``moment`` (the machine's local time zone)."""
    return moment.astimezone().date()


# --------------------------------------------------------------------------- migrations


def _v1(conn: sqlite3.Connection) -> None:
    """First release: sessions, attempts, FSRS cards and review logs."""
    for statement in V1_SQL:
        conn.execute(statement)


# Kept as a tuple of single statements (executescript would COMMIT the open transaction).
V1_SQL: tuple[str, ...] = (
    """CREATE TABLE sessions (
        id        TEXT PRIMARY KEY,
        mode      TEXT NOT NULL,
        scope     TEXT NOT NULL DEFAULT '',
        started   TEXT NOT NULL,
        finished  TEXT
    )""",
    """CREATE TABLE attempts (
        uuid          TEXT PRIMARY KEY,
        question_id   TEXT NOT NULL,
        content_hash  TEXT NOT NULL,
        chosen        TEXT NOT NULL,
        correct       INTEGER NOT NULL CHECK (correct IN (0, 1)),
        time_ms       INTEGER NOT NULL CHECK (time_ms >= 0),
        mode          TEXT NOT NULL,
        session_id    TEXT,
        answered_at   TEXT NOT NULL,
        day           TEXT NOT NULL
    )""",
    # Covering index for per-question accuracy, time and orphan counts.
    "CREATE INDEX attempts_question ON attempts (question_id, correct, time_ms)",
    "CREATE INDEX attempts_day ON attempts (day)",
    "CREATE INDEX attempts_session ON attempts (session_id, answered_at)",
    """CREATE TABLE cards (
        question_id  TEXT PRIMARY KEY,
        card         TEXT NOT NULL,
        due          TEXT NOT NULL,
        last_review  TEXT,
        reviews      INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX cards_due ON cards (due)",
    """CREATE TABLE review_logs (
        uuid          TEXT PRIMARY KEY,
        question_id   TEXT NOT NULL,
        attempt_uuid  TEXT,
        rating        INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 4),
        reviewed_at   TEXT NOT NULL,
        duration_ms   INTEGER,
        card_before   TEXT,
        card_after    TEXT NOT NULL
    )""",
    "CREATE INDEX review_logs_question ON review_logs (question_id, reviewed_at)",
)


def _v2(conn: sqlite3.Connection) -> None:
    """Mock exams: how each finished exam was set and how it ended, beside its session.

    The answers of an exam are ordinary attempts of its ``exam`` session; what they cannot say
    (the pass mark, the time limit, the time used, whether the clock ended it) is kept here,
    so the statistics can list every exam as passed or failed against its own mark.
    """
    conn.execute(
        """CREATE TABLE exams (
            session_id      TEXT PRIMARY KEY,
            pass_mark       REAL NOT NULL CHECK (pass_mark > 0 AND pass_mark <= 1),
            time_limit_s    INTEGER NOT NULL CHECK (time_limit_s > 0),
            time_used_s     REAL NOT NULL CHECK (time_used_s >= 0),
            auto_submitted  INTEGER NOT NULL DEFAULT 0 CHECK (auto_submitted IN (0, 1))
        )"""
    )


def _v3(conn: sqlite3.Connection) -> None:
    """Unanswered mock-exam questions are kept as *skipped*, not as wrong answers.

    An exam scores a question left unanswered as 0 (as AWS does), so the exam keeps its row:
    the exam's score stays right / questions, derived from its attempts as before. But it is
    not an answer: statistics, drills and the scheduler leave skipped rows out. Earlier
    versions stored such a question as a wrong answer with nothing chosen (``chosen = '[]'``),
    which only an unanswered exam question can be; those rows are marked skipped here. Cards
    those earlier exams already moved keep their history (the review logs are the learner's
    record; the next review sets each card right).

    Skipped rows are few. Statistics keep reading every row from the indexes they always
    read (per question, per day) and take away the skipped ones, which a partial index holds
    alone: cheaper than a ``skipped`` column in those wide indexes, which every count of
    every row would then have to read and test.
    """
    conn.execute("ALTER TABLE attempts ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0"
                 " CHECK (skipped IN (0, 1))")
    conn.execute("UPDATE attempts SET skipped = 1 WHERE mode = 'exam' AND chosen = '[]'")
    conn.execute("CREATE INDEX attempts_skipped ON attempts (question_id, day, time_ms)"
                 " WHERE skipped = 1")


def _totals_change(row: str, sign: str) -> tuple[str, ...]:
    """The statements that add (``sign`` "+") or take away ("-") the attempt ``row`` ("new" or
    "old") to or from the totals tables."""
    answer = f"(1 - {row}.skipped)"
    answer_ms = f"(CASE WHEN {row}.skipped THEN 0 ELSE {row}.time_ms END)"
    session = f"COALESCE({row}.session_id, '')"
    if sign == "+":
        return (
            f"INSERT INTO question_totals (question_id, answers, correct, time_ms, skipped)"
            f" VALUES ({row}.question_id, {answer}, {row}.correct, {answer_ms}, {row}.skipped)"
            " ON CONFLICT (question_id) DO UPDATE SET answers = answers + excluded.answers,"
            " correct = correct + excluded.correct, time_ms = time_ms + excluded.time_ms,"
            " skipped = skipped + excluded.skipped",
            f"INSERT INTO day_totals (day, answers, attempts) VALUES ({row}.day, {answer}, 1)"
            " ON CONFLICT (day) DO UPDATE SET answers = answers + excluded.answers,"
            " attempts = attempts + 1",
            "INSERT INTO session_totals (session_id, attempts, correct, time_ms, skipped,"
            f" last_answer) VALUES ({session}, 1, {row}.correct, {row}.time_ms, {row}.skipped,"
            f" {row}.answered_at)"
            " ON CONFLICT (session_id) DO UPDATE SET attempts = attempts + 1,"
            " correct = correct + excluded.correct, time_ms = time_ms + excluded.time_ms,"
            " skipped = skipped + excluded.skipped,"
            " last_answer = max(last_answer, excluded.last_answer)",
        )
    return (
        f"UPDATE question_totals SET answers = answers - {answer}, correct = correct -"
        f" {row}.correct, time_ms = time_ms - {answer_ms}, skipped = skipped - {row}.skipped"
        f" WHERE question_id = {row}.question_id",
        f"DELETE FROM question_totals WHERE question_id = {row}.question_id AND answers = 0"
        " AND skipped = 0",
        f"UPDATE day_totals SET answers = answers - {answer}, attempts = attempts - 1"
        f" WHERE day = {row}.day",
        f"DELETE FROM day_totals WHERE day = {row}.day AND attempts = 0",
        f"UPDATE session_totals SET attempts = attempts - 1, correct = correct - {row}.correct,"
        f" time_ms = time_ms - {row}.time_ms, skipped = skipped - {row}.skipped,"
        " last_answer = COALESCE((SELECT MAX(answered_at) FROM attempts"
        f" WHERE session_id IS {row}.session_id), '') WHERE session_id = {session}",
        f"DELETE FROM session_totals WHERE session_id = {session} AND attempts = 0",
    )


def _trigger(name: str, event: str, statements: tuple[str, ...]) -> str:
    return f"CREATE TRIGGER {name} AFTER {event} ON attempts BEGIN {'; '.join(statements)}; END"


TOTALS_SQL: tuple[str, ...] = (
    # Answers per question (exam questions left unanswered apart, as `skipped`).
    """CREATE TABLE question_totals (
        question_id  TEXT PRIMARY KEY,
        answers      INTEGER NOT NULL,
        correct      INTEGER NOT NULL,
        time_ms      INTEGER NOT NULL,
        skipped      INTEGER NOT NULL
    ) WITHOUT ROWID""",
    # Answers per local day; `attempts` counts skipped rows too (the row goes with the last).
    """CREATE TABLE day_totals (
        day       TEXT PRIMARY KEY,
        answers   INTEGER NOT NULL,
        attempts  INTEGER NOT NULL
    ) WITHOUT ROWID""",
    # Every row per session ('' for answers outside any session), skipped ones included.
    """CREATE TABLE session_totals (
        session_id   TEXT PRIMARY KEY,
        attempts     INTEGER NOT NULL,
        correct      INTEGER NOT NULL,
        time_ms      INTEGER NOT NULL,
        skipped      INTEGER NOT NULL,
        last_answer  TEXT NOT NULL
    ) WITHOUT ROWID""",
    "CREATE INDEX session_totals_recent ON session_totals (last_answer DESC, session_id)",
    _trigger("attempts_totals_insert", "INSERT", _totals_change("new", "+")),
    _trigger("attempts_totals_delete", "DELETE", _totals_change("old", "-")),
    _trigger("attempts_totals_update", "UPDATE",
             _totals_change("old", "-") + _totals_change("new", "+")),
)

RECOMPUTE_TOTALS: tuple[tuple[str, str], ...] = (
    ("question_totals",
     "SELECT question_id, SUM(1 - skipped), SUM(correct),"
     " SUM(CASE WHEN skipped THEN 0 ELSE time_ms END), SUM(skipped)"
     " FROM attempts GROUP BY question_id"),
    ("day_totals", "SELECT day, SUM(1 - skipped), COUNT(*) FROM attempts GROUP BY day"),
    ("session_totals",
     "SELECT COALESCE(session_id, ''), COUNT(*), SUM(correct), SUM(time_ms), SUM(skipped),"
     " MAX(answered_at) FROM attempts GROUP BY COALESCE(session_id, '')"),
)
"""Each totals table and the query over every attempt that it must always equal (the v4
migration fills the tables with them; tests compare)."""


def _v4(conn: sqlite3.Connection) -> None:
    """Totals kept as answers are written, so that home and statistics read one row per
    question, day or session instead of every attempt of years of study.

    Triggers on ``attempts`` keep them in the same transaction as the row itself, whatever
    writes it (an answer, a whole exam, an import's merge, a restore, a reset), so they can
    never disagree with the attempts they sum. This migration computes them once from the
    attempts already stored. Recent reviews (retention) are found through an index on their
    time instead of reading every review log.
    """
    for statement in TOTALS_SQL:
        conn.execute(statement)
    for table, select in RECOMPUTE_TOTALS:
        conn.execute(f"INSERT INTO {table} {select}")
    conn.execute("CREATE INDEX review_logs_time ON review_logs (reviewed_at)")


REVIEW_STATE = 2
"""``fsrs.State.Review`` (1 is Learning, 3 Relearning), as stored in the card JSON."""


def _review_change(row: str, sign: str) -> str:
    """The statement that adds (``sign`` "+") or takes away ("-") the review log ``row``
    ("new" or "old") to or from `review_days`, if its card was in review before it."""
    in_review = (f"CASE WHEN json_valid({row}.card_before) THEN"
                 f" json_extract({row}.card_before, '$.state') = {REVIEW_STATE} ELSE 0 END")
    day = f"substr({row}.reviewed_at, 1, 10)"
    if sign == "+":
        return (f"INSERT INTO review_days (day, reviews, recalled) SELECT {day}, 1,"
                f" {row}.rating > 1 WHERE {in_review}"
                " ON CONFLICT (day) DO UPDATE SET reviews = reviews + 1,"
                " recalled = recalled + excluded.recalled")
    return (f"UPDATE review_days SET reviews = reviews - 1, recalled = recalled -"
            f" ({row}.rating > 1) WHERE day = {day} AND {in_review}")


def _review_trigger(name: str, event: str, statements: tuple[str, ...]) -> str:
    return f"CREATE TRIGGER {name} AFTER {event} ON review_logs BEGIN {'; '.join(statements)}; END"


REVIEW_DAYS_SQL: tuple[str, ...] = (
    # Reviews per UTC day (of ``reviewed_at``) of cards that were in review before them.
    """CREATE TABLE review_days (
        day       TEXT PRIMARY KEY,
        reviews   INTEGER NOT NULL,
        recalled  INTEGER NOT NULL
    ) WITHOUT ROWID""",
    _review_trigger("review_days_insert", "INSERT", (_review_change("new", "+"),)),
    _review_trigger("review_days_delete", "DELETE", (_review_change("old", "-"),)),
    _review_trigger("review_days_update", "UPDATE OF rating, reviewed_at, card_before",
                    (_review_change("old", "-"), _review_change("new", "+"))),
)
RECOMPUTE_REVIEW_DAYS = (
    "SELECT substr(reviewed_at, 1, 10), COUNT(*), SUM(rating > 1) FROM review_logs"
    " WHERE CASE WHEN json_valid(card_before) THEN"
    f" json_extract(card_before, '$.state') = {REVIEW_STATE} ELSE 0 END"
    " GROUP BY substr(reviewed_at, 1, 10)"
)
"""What `review_days` must always equal (rows of days that fell back to no review aside)."""


def has_json(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite has its JSON functions (built in since 3.38)."""
    try:
        conn.execute("SELECT json_valid('{}'), json_extract('{}', '$.a')").fetchall()
    except sqlite3.Error:
        return False
    return True


def _v5(conn: sqlite3.Connection) -> None:
    """Retention from totals per day: the statistics' last 30 days of reviews read about 30
    rows, however many reviews a day the learner does.

    Kept by triggers on ``review_logs`` (whatever writes a review: an answer, a new rating,
    a rebuilt card, an import, a restore). They read the card JSON with SQLite's JSON
    functions; an SQLite without them (none since 3.38) gets no table, and the statistics
    keep reading the reviews themselves.
    """
    if not has_json(conn):
        return
    for statement in REVIEW_DAYS_SQL:
        conn.execute(statement)
    conn.execute(f"INSERT INTO review_days {RECOMPUTE_REVIEW_DAYS}")


_CARD_READABLE = ("CASE WHEN json_valid(card) THEN json_type(card, '$.stability') IS NOT NULL"
                  " AND json_type(card, '$.last_review') IS NOT NULL ELSE 0 END")
"""Whether a card's JSON gives the two fields its retrievability depends on (CASE, not AND:
only CASE is sure to skip json_type on malformed JSON)."""
CARD_FIELDS = (
    f"CASE WHEN json_valid(card) THEN json_extract(card, '$.state') END, {_CARD_READABLE},"
    f" CASE WHEN {_CARD_READABLE} THEN json_extract(card, '$.stability') END,"
    f" CASE WHEN {_CARD_READABLE} THEN json_extract(card, '$.last_review') END"
)
"""What the columns ``state, readable, stability, reviewed`` of a card must always equal:
its JSON's FSRS state, whether its stability and last review can be read, and those two."""
_KEEP_CARD_FIELDS = (f"UPDATE cards SET (state, readable, stability, reviewed) = (SELECT"
                     f" {CARD_FIELDS}) WHERE rowid = new.rowid")
CARD_FIELDS_SQL: tuple[str, ...] = (
    # No declared type: a value is kept as the JSON had it (a state of 2.0 or "2" stays what
    # it is, as json.loads would give it, instead of becoming the integer 2).
    "ALTER TABLE cards ADD COLUMN state",
    "ALTER TABLE cards ADD COLUMN readable",
    "ALTER TABLE cards ADD COLUMN stability",
    "ALTER TABLE cards ADD COLUMN reviewed",
    f"CREATE TRIGGER cards_fields_insert AFTER INSERT ON cards BEGIN {_KEEP_CARD_FIELDS}; END",
    f"CREATE TRIGGER cards_fields_update AFTER UPDATE OF card ON cards BEGIN {_KEEP_CARD_FIELDS};"
    " END",
)


def _v6(conn: sqlite3.Connection) -> None:
    """The card JSON's fields that statistics read (its state; stability and last review for
    retrievability) as columns, so statistics over thousands of cards parse no JSON.

    Kept by triggers on ``cards`` whenever a card's JSON is written (an answer, a new
    rating, a rebuilt card, an import, a restore), in that write's transaction. Like version
    5, an SQLite without JSON functions gets no columns, and statistics read the JSON.
    """
    if not has_json(conn):
        return
    for statement in CARD_FIELDS_SQL:
        conn.execute(statement)
    conn.execute(f"UPDATE cards SET (state, readable, stability, reviewed) = (SELECT {CARD_FIELDS})")


MIGRATIONS: list[Migration] = [_v1, _v2, _v3, _v4, _v5, _v6]
"""``MIGRATIONS[i]`` takes a database from version ``i`` to ``i + 1``. Append, never edit."""


def current_version() -> int:
    return len(MIGRATIONS)


def read_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database up to `current_version`, one transaction per step. Returns it.

    The caller has already refused databases newer than this code.
    """
    target = current_version()
    while True:
        if read_version(conn) >= target:
            return read_version(conn)
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = read_version(conn)  # another process may have migrated meanwhile
            if version < target:
                MIGRATIONS[version](conn)
                conn.execute(f"PRAGMA user_version = {version + 1:d}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

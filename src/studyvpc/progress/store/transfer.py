"""The store's side of moving progress in and out: every row in batches (for an export), a
merge of validated rows in one transaction (for an import), backups and reset.

The file format (JSON, its validation, its versions) is `studyvpc.interop.progress_json`'s;
this module sees only rows, in the column order of `records`.

- **Imports merge, never duplicate.** Attempts, sessions and review logs carry stable ids
  (UUIDs) and are inserted with ``INSERT OR IGNORE``, so merging the same rows twice adds
  nothing the second time. A card reviewed on both sides keeps the newer state and is
  reported in `ImportResult.needs_replay`; the scheduler rebuilds it from the merged logs.
- **One transaction, fed in batches.** A merge commits whole or not at all; `TransferStore.merging`
  takes its rows a batch at a time inside that transaction, so an import of millions of rows
  never holds them all (and a bad record found late still leaves nothing changed).
- **Set-based, not row by row.** Each batch goes in with one ``executemany``; the totals kept
  by triggers get the merged rows' sums once, grouped, at the end (`Merge`), so a million-row
  import does not run the totals' statements a million times.
- **An export reads in batches** of `EXPORT_BATCH` rows (`TransferStore.export_reader`), all
  in one read transaction: consistent while others write, and its memory the same whatever
  the history's size.
- **Nothing is lost by accident.** A backup uses SQLite's online backup (consistent while
  others write); `reset` writes a backup first and deletes rows, not the file, so other open
  studyvpc processes keep working.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from studyvpc.progress.store.cards import read_card
from studyvpc.progress.store.connection import StoreConnection
from studyvpc.progress.store.errors import StoreUnavailable
from studyvpc.progress.store.records import (
    ATTEMPT_COLUMNS,
    CARD_COLUMNS,
    EXAM_COLUMNS,
    LOG_COLUMNS,
    SESSION_COLUMNS,
)
from studyvpc.progress.store.schema import REVIEW_STATE, parse_utc, utc_now

EXPORT_BATCH = 2_000
"""Rows an export reads at a time."""
EXPORT_SELECT = {
    "sessions": f"SELECT {SESSION_COLUMNS} FROM sessions ORDER BY started, id",
    "attempts": f"SELECT {ATTEMPT_COLUMNS} FROM attempts ORDER BY answered_at, rowid",
    "cards": f"SELECT {CARD_COLUMNS} FROM cards ORDER BY question_id",
    "review_logs": f"SELECT {LOG_COLUMNS} FROM review_logs ORDER BY reviewed_at, rowid",
    "exams": f"SELECT {EXAM_COLUMNS} FROM exams ORDER BY session_id",
}
"""Every table of an export, in the file's order, and how its rows are read."""


@dataclass(frozen=True, slots=True)
class ProgressRows:
    """Every kind of progress row, as tuples in the column order of `records`."""

    sessions: list[tuple]
    attempts: list[tuple]
    cards: list[tuple]
    review_logs: list[tuple]
    exams: list[tuple]


@dataclass(frozen=True, slots=True)
class ImportResult:
    attempts_added: int
    attempts_skipped: int
    sessions_added: int
    review_logs_added: int
    cards_added: int
    cards_updated: int
    needs_replay: frozenset[str]
    """Questions reviewed both here and in the imported file: their card must be rebuilt from the
    merged review logs (`ReviewScheduler.import_json` does it)."""
    exams_added: int = 0
    """Mock exam outcomes (pass mark, time) added; exports before they were kept have none."""


_NEW_ATTEMPTS = "FROM attempts NOT INDEXED WHERE rowid > :after"
"""The rows a merge added, read in rowid order: through an index, SQLite would look up each row
in the table at a scattered place (a million of them after a large import)."""
TOTALS_OF_NEW: dict[str, tuple[str, ...]] = {
    "attempts_totals_insert": (
        "INSERT INTO question_totals (question_id, answers, correct, time_ms, skipped)"
        " SELECT question_id, SUM(1 - skipped), SUM(correct),"
        f" SUM(CASE WHEN skipped THEN 0 ELSE time_ms END), SUM(skipped) {_NEW_ATTEMPTS}"
        " GROUP BY question_id"
        " ON CONFLICT (question_id) DO UPDATE SET answers = answers + excluded.answers,"
        " correct = correct + excluded.correct, time_ms = time_ms + excluded.time_ms,"
        " skipped = skipped + excluded.skipped",
        f"INSERT INTO day_totals (day, answers, attempts) SELECT day, SUM(1 - skipped), COUNT(*)"
        f" {_NEW_ATTEMPTS} GROUP BY day"
        " ON CONFLICT (day) DO UPDATE SET answers = answers + excluded.answers,"
        " attempts = attempts + excluded.attempts",
        "INSERT INTO session_totals (session_id, attempts, correct, time_ms, skipped,"
        " last_answer) SELECT COALESCE(session_id, ''), COUNT(*), SUM(correct), SUM(time_ms),"
        f" SUM(skipped), MAX(answered_at) {_NEW_ATTEMPTS} GROUP BY COALESCE(session_id, '')"
        " ON CONFLICT (session_id) DO UPDATE SET attempts = attempts + excluded.attempts,"
        " correct = correct + excluded.correct, time_ms = time_ms + excluded.time_ms,"
        " skipped = skipped + excluded.skipped,"
        " last_answer = max(last_answer, excluded.last_answer)",
    ),
    "review_days_insert": (
        "INSERT INTO review_days (day, reviews, recalled) SELECT substr(reviewed_at, 1, 10),"
        " COUNT(*), SUM(rating > 1) FROM review_logs NOT INDEXED WHERE rowid > :after AND"
        f" CASE WHEN json_valid(card_before) THEN json_extract(card_before, '$.state') ="
        f" {REVIEW_STATE} ELSE 0 END GROUP BY substr(reviewed_at, 1, 10)"
        " ON CONFLICT (day) DO UPDATE SET reviews = reviews + excluded.reviews,"
        " recalled = recalled + excluded.recalled",
    ),
}
"""For each insert trigger of the totals, what adds up every row inserted after the rowid
``:after`` at once: the same sums the trigger adds a row at a time (a bulk merge,
`Merge`)."""


INSERT_TRIGGERS = ("attempts_totals_insert", "review_days_insert")
"""The triggers that add each inserted attempt or review log to the totals; a merge adds its
rows' totals once, grouped, instead (`Merge`)."""
MERGE_CACHE_KIB = 16 * 1024
"""SQLite's page cache while a merge runs (the connection's own size comes back after it):
millions of rows inserted into the id and question indexes at scattered places would otherwise
write and read the same pages over and over. A fixed size: memory stays bounded."""
_LAST_ROWID = 2**62
"""Past this rowid SQLite may pick new rowids at random; a merge then keeps the triggers."""
BULK_ROWS = 50_000
"""A merge that has added this many attempts and review logs, and at least as many as the two
tables held before it, drops their indexes by question and builds them again at the end."""
_BULK = ("attempts", "review_logs")


class Merge:
    """One merge under way, inside its transaction: `add` each table's rows, in any order and
    in as many batches as wanted; `result` once the transaction has committed.

    Attempts and review logs go in with ``executemany`` and ``INSERT OR IGNORE``; the rows this
    merge inserted are those past the largest rowid before it (SQLite gives a new row the next
    rowid). The per-row triggers that keep the totals are dropped for the merge and created
    again, from their own stored SQL, by `finish`, which first adds the new rows' totals grouped
    (the same sums the triggers would have added one row at a time). Both happen inside the
    merge's one ``BEGIN IMMEDIATE`` transaction: SQLite's DDL is transactional, so no other
    connection ever sees the database without its triggers, and a rollback (a bad record) puts
    them back with everything else.
    """

    def __init__(self, c: sqlite3.Connection) -> None:
        self._c = c
        self._before = {t: c.execute(f"SELECT COALESCE(MAX(rowid), 0) FROM {t}").fetchone()[0]
                        for t in ("attempts", "review_logs")}
        self._triggers = c.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?)",
            INSERT_TRIGGERS).fetchall()
        if max(self._before.values()) >= _LAST_ROWID:
            self._triggers = []  # new rows could not be told apart: let the triggers count
        for name, _sql in self._triggers:
            c.execute(f"DROP TRIGGER {name}")
        self._indexes: list[tuple[str, str]] | None = None
        """Indexes dropped for a bulk merge (`BULK_ROWS`), to build again in `finish`."""
        self._bulk_after = max(BULK_ROWS, sum(self._before.values()))
        self._touched: set[str] = set()
        self._replay: set[str] = set()
        self._counts = dict.fromkeys(("sessions", "attempts", "attempts_seen", "review_logs",
                                      "cards_added", "cards_updated", "exams"), 0)

    def add(self, table: str, rows: Sequence[tuple]) -> None:
        getattr(self, f"_{table}")(rows)

    def _sessions(self, rows: Sequence[tuple]) -> None:
        c = self._c
        self._counts["sessions"] += c.executemany(
            f"INSERT OR IGNORE INTO sessions ({SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
            rows).rowcount
        c.executemany("UPDATE sessions SET finished = ? WHERE id = ? AND finished IS NULL",
                      [(s[4], s[0]) for s in rows if s[4] is not None])

    def _attempts(self, rows: Sequence[tuple]) -> None:
        # rowcount: the rows this statement inserted (not those the totals' triggers change)
        self._counts["attempts"] += self._c.executemany(
            f"INSERT OR IGNORE INTO attempts ({ATTEMPT_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows).rowcount
        self._counts["attempts_seen"] += len(rows)
        self._bulk()

    def _review_logs(self, rows: Sequence[tuple]) -> None:
        self._counts["review_logs"] += self._c.executemany(
            f"INSERT OR IGNORE INTO review_logs ({LOG_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows).rowcount
        self._bulk()

    def _bulk(self) -> None:
        """Once this merge is large (`BULK_ROWS`), drop the indexes of attempts and review logs
        that begin with the question: rows come in time order, so each goes into those at a
        scattered page, where building the index again at the end sorts once. Indexes by time,
        day or session take the rows nearly in order, and the ids' unique ones are needed by
        ``INSERT OR IGNORE``: kept. Dropped inside the transaction, like the triggers; a
        rollback puts them back."""
        if self._indexes is not None or self._counts["attempts"] + self._counts["review_logs"] < (
                self._bulk_after):
            return
        c = self._c
        self._indexes = []
        for table in _BULK:
            plain = {row[1] for row in c.execute(f"PRAGMA index_list({table})")
                     if row[2] == 0 and row[3] == "c"}  # not unique, made by CREATE INDEX
            plain = {name for name in plain
                     if c.execute(f"PRAGMA index_info({name})").fetchone()[2] == "question_id"}
            self._indexes += [(name, sql) for name, sql in c.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
                " ORDER BY rowid", (table,)) if name in plain]
        for name, _sql in self._indexes:
            c.execute(f"DROP INDEX {name}")

    def _cards(self, rows: Sequence[tuple]) -> None:
        c = self._c
        for qid, card, due, last_review, reviews in rows:
            local = read_card(c, qid)
            if local is None:
                c.execute(f"INSERT INTO cards ({CARD_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
                          (qid, card, due, last_review, reviews))
                self._counts["cards_added"] += 1
            elif last_review is not None and (
                local.last_review is None or parse_utc(last_review) > local.last_review
            ):
                c.execute("UPDATE cards SET card = ?, due = ?, last_review = ?, reviews = ?"
                          " WHERE question_id = ?", (card, due, last_review, reviews, qid))
                self._counts["cards_updated"] += 1

    def _exams(self, rows: Sequence[tuple]) -> None:
        self._counts["exams"] += self._c.executemany(
            f"INSERT OR IGNORE INTO exams ({EXAM_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
            rows).rowcount

    def finish(self) -> None:
        """Last step inside the transaction: the totals of the new rows, the triggers back,
        review counts that agree with the merged logs."""
        c = self._c
        logs = self._before["review_logs"]
        for _name, sql in self._indexes or ():
            c.execute(sql)
        for name, sql in self._triggers:
            after = self._before["attempts" if name.startswith("attempts") else "review_logs"]
            for statement in TOTALS_OF_NEW[name]:
                c.execute(statement, {"after": after})
            c.execute(sql)
        new_logs = "SELECT DISTINCT question_id FROM review_logs NOT INDEXED WHERE rowid > :after"
        self._touched = {r[0] for r in c.execute(new_logs, {"after": logs})}
        if not self._touched:
            return
        # Reviewed here before the import too: the card must be rebuilt from both. (No log
        # before the merge: none can be, and the question need not be asked of each.)
        self._replay = {r[0] for r in c.execute(
            f"SELECT question_id FROM ({new_logs}) AS n WHERE EXISTS (SELECT 1 FROM review_logs"
            " AS r WHERE r.question_id = n.question_id AND r.rowid <= :after)", {"after": logs})
        } if logs else set()
        # Every log of the questions the merge reviewed, counted in one grouped pass over the
        # index by question (a count in the UPDATE would seek it once per card).
        c.executemany("UPDATE cards SET reviews = ? WHERE question_id = ?", [
            (n, qid) for qid, n in c.execute(
                "SELECT question_id, COUNT(*) FROM review_logs"
                f" WHERE question_id IN ({new_logs}) GROUP BY question_id", {"after": logs})])

    def result(self) -> ImportResult:
        n = self._counts
        return ImportResult(
            attempts_added=n["attempts"],
            attempts_skipped=n["attempts_seen"] - n["attempts"],
            sessions_added=n["sessions"],
            review_logs_added=n["review_logs"],
            cards_added=n["cards_added"],
            cards_updated=n["cards_updated"],
            needs_replay=frozenset(self._replay),
            exams_added=n["exams"],
        )


class TransferStore(StoreConnection):
    """The export, merge, backup and reset part of `ProgressStore`."""

    @contextmanager
    def export_reader(self) -> Iterator[Callable[[str], Iterator[list[tuple]]]]:
        """``batches(table)`` for each table of `EXPORT_SELECT`: its rows, `EXPORT_BATCH` at a
        time, all read in one snapshot (consistent while others write)."""
        with self._lock:
            try:
                self._conn.execute("BEGIN")
            except sqlite3.Error as e:
                raise self._failed(e) from e

            def batches(table: str) -> Iterator[list[tuple]]:
                try:
                    cursor = self._conn.execute(EXPORT_SELECT[table])
                    while rows := cursor.fetchmany(EXPORT_BATCH):
                        yield rows
                except sqlite3.Error as e:
                    raise self._failed(e) from e

            try:
                yield batches
            finally:
                try:
                    self._conn.execute("COMMIT")
                except sqlite3.Error:
                    pass

    def export_rows(self) -> ProgressRows:
        """Every row at once (small stores, tests); an export reads `export_reader`."""
        with self.export_reader() as batches:
            rows = {t: [r for batch in batches(t) for r in batch] for t in EXPORT_SELECT}
        return ProgressRows(**rows)

    @contextmanager
    def merging(self) -> Iterator[Merge]:
        """A merge in one transaction (see the module docstring): rows go in with
        ``merge.add(table, rows)``; committed when the block ends, rolled back if it raises.
        ``merge.result()`` is then the `ImportResult`."""
        with self._write() as c:
            size = int(c.execute("PRAGMA cache_size").fetchone()[0])
            c.execute(f"PRAGMA cache_size = -{MERGE_CACHE_KIB:d}")
            try:
                merge = Merge(c)
                yield merge
                merge.finish()
            finally:
                c.execute(f"PRAGMA cache_size = {size:d}")

    def merge(self, rows: ProgressRows) -> ImportResult:
        """Merge validated rows into this store in one transaction (see the module docstring)."""
        with self.merging() as merge:
            for table in ("sessions", "attempts", "review_logs", "cards", "exams"):
                merge.add(table, getattr(rows, table))
        return merge.result()

    def backup(self, *, now: datetime | None = None) -> Path:
        """Copy the database (SQLite online backup: consistent even while others write) to
        ``progress-backup-<UTC time>.sqlite3`` next to it, and return that path."""
        if self.path is None:
            raise StoreUnavailable(":memory:", "this session keeps progress in memory only")
        stamp = (now or utc_now()).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"progress-backup-{stamp}.sqlite3")
        n = 1
        while target.exists():
            n += 1
            target = self.path.with_name(f"progress-backup-{stamp}-{n}.sqlite3")
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            dest = sqlite3.connect(tmp)
            try:
                with self._lock:
                    self._conn.backup(dest)
            finally:
                dest.close()
            os.replace(tmp, target)
        except (OSError, sqlite3.Error) as e:
            raise StoreUnavailable(self.path.parent, f"cannot write a backup: {e}") from e
        finally:
            if tmp.exists():
                tmp.unlink()
        return target

    def reset(self, *, now: datetime | None = None) -> Path:
        """Write a backup copy, then delete all progress. Returns the backup's path.

        The rows are deleted (not the file) so that other open studyvpc processes keep working.
        """
        backup = self.backup(now=now)
        with self._write() as c:
            for table in ("exams", "review_logs", "cards", "attempts", "sessions"):
                c.execute(f"DELETE FROM {table}")
        return backup

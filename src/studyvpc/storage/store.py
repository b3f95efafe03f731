"""The progress store: every answer, session and FSRS card state, in one SQLite file.

Why it is built this way:

- **One transaction per answer, committed before `record_attempt` returns.** The UI shows
  feedback only after the call returns, so "feedback was shown" implies "the answer is on disk".
  Nothing is buffered until the end of a quiz; a crash or kill loses at most the answer being
  given at that instant, never one the learner has seen graded.
- **WAL + ``synchronous=FULL``.** WAL lets a reader (stats screen, a second terminal) run while
  another process writes, and a killed writer leaves the main file consistent; the next opener
  replays or discards the WAL tail. With WAL, ``synchronous=NORMAL`` already survives process
  crashes, but a commit can still be lost on power failure or an OS crash because the WAL is not
  fsynced at every commit. Answers arrive a few seconds apart, so one fsync per answer costs
  nothing noticeable and buys durability against power loss too: we use FULL.
- **``BEGIN IMMEDIATE`` for every write** takes the write lock up front, so concurrent writers
  queue on the busy timeout (5 s) instead of failing with "database is locked" when a deferred
  read transaction tries to upgrade. Card read-modify-write happens inside that same
  transaction (the FSRS computation is passed in as a callback), so two processes reviewing the
  same question serialize correctly.
- **Opening never damages anything.** Before any write (journal mode, migration) the store reads
  the schema version and runs ``PRAGMA quick_check``. A file that is not a database, is
  inconsistent, or comes from a newer schema raises a `ProgressError` and is left byte-for-byte
  untouched; it is never recreated silently.
- **Stable ids, kept history.** Attempts are keyed by question id (plus the content hash seen at
  the time), never by position; attempts whose question disappeared from the content stay in the
  table and are reported as orphans by the statistics. Each attempt and review log has a UUID so
  that importing the same export twice never duplicates anything.
- **No FSRS here.** Cards are stored as the JSON that ``fsrs.Card.to_json`` produced plus the
  ``due`` column the queries need; `studyvpc.domain.scheduler` owns the algorithm. Importing
  this module (and the app's start-up) therefore never imports ``fsrs``.
- The connection is shared by threads behind a lock (Textual workers may call in from threads).
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from studyvpc.storage import schema
from studyvpc.storage.errors import (
    CorruptDatabase,
    ImportFormatError,
    NewerSchemaVersion,
    ProgressError,
    StoreUnavailable,
)
from studyvpc.storage.schema import iso_utc

DB_NAME = "progress.sqlite3"
BUSY_TIMEOUT_S = 5.0
MODES = ("practice", "review", "drill", "exam")
EXPORT_FORMAT = "studyvpc-progress"
EXPORT_VERSION = 1

_CORRUPT_MARKERS = ("not a database", "malformed", "corrupt")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def local_day(moment: datetime) -> date:
    """The learner's calendar date at ``moment`` (the machine's local time zone)."""
    return moment.astimezone().date()


def parse_utc(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    uuid: str
    question_id: str
    content_hash: str
    chosen: tuple[str, ...]
    correct: bool
    time_ms: int
    mode: str
    session_id: str | None
    answered_at: datetime
    day: date


@dataclass(frozen=True, slots=True)
class SessionRecord:
    id: str
    mode: str
    scope: str
    started: datetime
    finished: datetime | None


@dataclass(frozen=True, slots=True)
class CardRecord:
    question_id: str
    card: str
    """JSON written by ``fsrs.Card.to_json``."""
    due: datetime
    last_review: datetime | None
    reviews: int


@dataclass(frozen=True, slots=True)
class ReviewLogRecord:
    uuid: str
    question_id: str
    attempt_uuid: str | None
    rating: int
    """1 Again, 2 Hard, 3 Good, 4 Easy (``fsrs.Rating`` values)."""
    reviewed_at: datetime
    duration_ms: int | None
    card_before: str | None
    card_after: str


@dataclass(frozen=True, slots=True)
class CardUpdate:
    """What a review did to a card; computed by the scheduler inside the store's transaction."""

    card: str
    due: datetime
    last_review: datetime
    rating: int
    card_before: str | None


ReviewFn = Callable[[CardRecord | None], CardUpdate | None]
"""Given the card as stored (None if never reviewed), return the update to store, or None."""

ReviseFn = Callable[[ReviewLogRecord], CardUpdate]

RebuildFn = Callable[[list[ReviewLogRecord]], tuple[CardUpdate, list[tuple[str, str]]]]
"""Given a card's logs, oldest first: the final card and (card before, card after) per log."""


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


# --------------------------------------------------------------------------- the store


def _translate(error: sqlite3.Error, where: Path | None) -> ProgressError:
    text = str(error)
    lowered = text.lower()
    if isinstance(error, sqlite3.DatabaseError) and any(m in lowered for m in _CORRUPT_MARKERS):
        return CorruptDatabase(where or ":memory:", text)
    if "locked" in lowered or "busy" in lowered:
        return ProgressError(
            f"The progress database {where} stayed busy for {BUSY_TIMEOUT_S:g} s (another "
            f"studyvpc is writing to it); this change was not saved ({text})."
        )
    return StoreUnavailable(where.parent if where else ":memory:", text)


class ProgressStore:
    """Progress in SQLite. Open with `open` (a data directory) or `in_memory` (nothing saved)."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self._conn = conn
        self.path = path
        self._lock = threading.RLock()
        self._has_json: bool | None = None
        """Whether SQLite has its JSON functions (`card_memory`); found out when first asked."""

    # -- opening

    @classmethod
    def open(cls, data_dir: Path | str) -> ProgressStore:
        """Open (creating if needed) ``progress.sqlite3`` in ``data_dir`` and migrate it.

        Raises `StoreUnavailable` (directory cannot be created or written), `CorruptDatabase`
        and `NewerSchemaVersion` (file left untouched).
        """
        data_dir = Path(data_dir)
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise StoreUnavailable(data_dir, e.strerror or str(e)) from e
        if not data_dir.is_dir():
            raise StoreUnavailable(data_dir, "it is not a directory")
        if not os.access(data_dir, os.W_OK | os.X_OK):
            raise StoreUnavailable(data_dir, "the directory is not writable")
        path = data_dir / DB_NAME
        if path.exists():
            if not path.is_file():
                raise StoreUnavailable(data_dir, f"{path.name} is not a regular file")
            if not os.access(path, os.R_OK | os.W_OK):
                raise StoreUnavailable(data_dir, f"{path.name} is not readable and writable")
        try:
            conn = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as e:
            raise StoreUnavailable(data_dir, str(e)) from e
        try:
            cls._check_before_writing(conn, path)
            cls._configure(conn, path)
            schema.migrate(conn)
        except ProgressError:
            conn.close()
            raise
        except sqlite3.Error as e:
            conn.close()
            raise _translate(e, path) from e
        return cls(conn, path)

    @classmethod
    def in_memory(cls) -> ProgressStore:
        """A working store that keeps nothing after the process ends (run "without saving")."""
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        schema.migrate(conn)
        return cls(conn, None)

    @staticmethod
    def _check_before_writing(conn: sqlite3.Connection, path: Path) -> None:
        """Read-only checks: a bad file raises here, before anything could be written to it."""
        try:
            version = schema.read_version(conn)
        except sqlite3.DatabaseError as e:
            if "locked" in str(e).lower():
                raise
            raise CorruptDatabase(path, str(e)) from e
        if version > schema.current_version():
            raise NewerSchemaVersion(path, version, schema.current_version())
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        except sqlite3.DatabaseError as e:
            if "locked" in str(e).lower():
                raise
            raise CorruptDatabase(path, str(e)) from e
        problems = [r[0] for r in rows if r[0] != "ok"]
        if problems:
            detail = problems[0] if len(problems) == 1 else f"{problems[0]} (+{len(problems) - 1} more)"
            raise CorruptDatabase(path, f"integrity check failed: {detail}")

    @staticmethod
    def _configure(conn: sqlite3.Connection, path: Path) -> None:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        # Persistent in the file; a no-op after the first open. Some file systems (network
        # shares) cannot do WAL; SQLite then keeps the rollback journal, which is still safe.
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
        conn.execute("PRAGMA synchronous = FULL")

    @property
    def persistent(self) -> bool:
        return self.path is not None

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ProgressStore({str(self.path) if self.path else ':memory:'})"

    # -- low level

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` … ``COMMIT``; the commit has happened when the block exits."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise _translate(e, self.path) from e
            try:
                yield self._conn
            except BaseException as exc:
                try:
                    self._conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                if isinstance(exc, sqlite3.Error):
                    raise _translate(exc, self.path) from exc
                raise
            try:
                self._conn.execute("COMMIT")
            except sqlite3.Error as e:
                try:
                    self._conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                raise _translate(e, self.path) from e

    def _fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Read helper for this package (statistics, drills)."""
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as e:
                raise _translate(e, self.path) from e

    @contextmanager
    def _snapshot(self) -> Iterator[Callable[[str, Sequence[Any]], list[tuple]]]:
        """Several reads that see one consistent state (a read transaction)."""
        with self._lock:
            try:
                self._conn.execute("BEGIN")
                try:
                    yield lambda sql, params=(): self._conn.execute(sql, params).fetchall()
                finally:
                    self._conn.execute("COMMIT")
            except sqlite3.Error as e:
                raise _translate(e, self.path) from e

    def integrity_check(self) -> str:
        """``PRAGMA integrity_check``: "ok" or the first problem found."""
        rows = self._fetchall("PRAGMA integrity_check")
        return "ok" if [r[0] for r in rows] == ["ok"] else str(rows[0][0])

    @property
    def schema_version(self) -> int:
        return int(self._fetchall("PRAGMA user_version")[0][0])

    # -- sessions

    def start_session(self, mode: str, scope: str = "", *, at: datetime | None = None) -> str:
        _check_mode(mode)
        session_id = uuid.uuid4().hex
        with self._write() as c:
            c.execute(
                "INSERT INTO sessions (id, mode, scope, started) VALUES (?, ?, ?, ?)",
                (session_id, mode, scope, iso_utc(at or utc_now())),
            )
        return session_id

    def finish_session(self, session_id: str, *, at: datetime | None = None) -> None:
        with self._write() as c:
            c.execute(
                "UPDATE sessions SET finished = ? WHERE id = ? AND finished IS NULL",
                (iso_utc(at or utc_now()), session_id),
            )

    def sessions(self) -> list[SessionRecord]:
        rows = self._fetchall("SELECT id, mode, scope, started, finished FROM sessions ORDER BY started")
        return [
            SessionRecord(r[0], r[1], r[2], parse_utc(r[3]), parse_utc(r[4]) if r[4] else None)
            for r in rows
        ]

    # -- attempts

    def record_attempt(
        self,
        question_id: str,
        content_hash: str,
        chosen: Iterable[str],
        correct: bool,
        *,
        time_ms: int,
        mode: str,
        session_id: str | None = None,
        at: datetime | None = None,
        review: ReviewFn | None = None,
    ) -> AttemptRecord:
        """Store one answer in its own transaction; returns only after it is committed.

        ``review``, if given, runs inside the same transaction with the question's stored card
        and returns the new card state (the scheduler passes it); the attempt and the card
        change are then committed together or not at all.
        """
        _check_mode(mode)
        if not question_id:
            raise ValueError("question_id must not be empty")
        moment = at or utc_now()
        if moment.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware (use datetime.now(timezone.utc))")
        moment = moment.astimezone(timezone.utc)
        record = AttemptRecord(
            uuid=uuid.uuid4().hex,
            question_id=question_id,
            content_hash=content_hash,
            chosen=tuple(sorted(chosen)),
            correct=bool(correct),
            time_ms=max(0, int(time_ms)),
            mode=mode,
            session_id=session_id,
            answered_at=moment,
            day=local_day(moment),
        )
        with self._write() as c:
            c.execute(
                "INSERT INTO attempts (uuid, question_id, content_hash, chosen, correct, time_ms,"
                " mode, session_id, answered_at, day) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    record.uuid, question_id, content_hash, json.dumps(list(record.chosen)),
                    int(record.correct), record.time_ms, mode, session_id, iso_utc(moment),
                    record.day.isoformat(),
                ),
            )
            if review is not None:
                update = review(self._card(c, question_id))
                if update is not None:
                    self._apply_review(c, question_id, record.uuid, moment, record.time_ms, update)
        return record

    def attempts(self, question_id: str | None = None) -> list[AttemptRecord]:
        sql = (
            "SELECT uuid, question_id, content_hash, chosen, correct, time_ms, mode, session_id,"
            " answered_at, day FROM attempts"
        )
        params: tuple = ()
        if question_id is not None:
            sql += " WHERE question_id = ?"
            params = (question_id,)
        rows = self._fetchall(sql + " ORDER BY answered_at, rowid", params)
        return [
            AttemptRecord(
                r[0], r[1], r[2], tuple(json.loads(r[3])), bool(r[4]), r[5], r[6], r[7],
                parse_utc(r[8]), date.fromisoformat(r[9]),
            )
            for r in rows
        ]

    def attempt_count(self) -> int:
        return int(self._fetchall("SELECT COUNT(*) FROM attempts")[0][0])

    def has_attempt(self, attempt_uuid: str) -> bool:
        return bool(self._fetchall("SELECT 1 FROM attempts WHERE uuid = ?", (attempt_uuid,)))

    # -- cards and review logs

    @staticmethod
    def _card(c: sqlite3.Connection, question_id: str) -> CardRecord | None:
        row = c.execute(
            "SELECT question_id, card, due, last_review, reviews FROM cards WHERE question_id = ?",
            (question_id,),
        ).fetchone()
        return _card_record(row) if row else None

    @staticmethod
    def _apply_review(
        c: sqlite3.Connection,
        question_id: str,
        attempt_uuid: str | None,
        moment: datetime,
        duration_ms: int | None,
        update: CardUpdate,
    ) -> None:
        c.execute(
            "INSERT INTO cards (question_id, card, due, last_review, reviews) VALUES (?, ?, ?, ?, 1)"
            " ON CONFLICT (question_id) DO UPDATE SET card = excluded.card, due = excluded.due,"
            " last_review = excluded.last_review, reviews = reviews + 1",
            (question_id, update.card, iso_utc(update.due), iso_utc(update.last_review)),
        )
        c.execute(
            "INSERT INTO review_logs (uuid, question_id, attempt_uuid, rating, reviewed_at,"
            " duration_ms, card_before, card_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                uuid.uuid4().hex, question_id, attempt_uuid, int(update.rating), iso_utc(moment),
                duration_ms, update.card_before, update.card,
            ),
        )

    def revise_last_review(self, question_id: str, revise: ReviseFn) -> CardUpdate | None:
        """Change the rating of the question's latest review (Hard/Good/Easy after feedback).

        ``revise`` gets the latest review log and returns the card as it should be after the
        new rating; log and card are updated in one transaction. None if never reviewed.
        """
        with self._write() as c:
            row = c.execute(
                "SELECT uuid, question_id, attempt_uuid, rating, reviewed_at, duration_ms,"
                " card_before, card_after FROM review_logs WHERE question_id = ?"
                " ORDER BY reviewed_at DESC, rowid DESC LIMIT 1",
                (question_id,),
            ).fetchone()
            if row is None:
                return None
            log = _log_record(row)
            update = revise(log)
            c.execute(
                "UPDATE review_logs SET rating = ?, card_after = ? WHERE uuid = ?",
                (int(update.rating), update.card, log.uuid),
            )
            c.execute(
                "UPDATE cards SET card = ?, due = ?, last_review = ? WHERE question_id = ?",
                (update.card, iso_utc(update.due), iso_utc(update.last_review), question_id),
            )
            return update

    def rebuild_card(self, question_id: str, rebuild: RebuildFn) -> CardRecord | None:
        """Recompute a card from all its review logs (oldest first), in one transaction.

        ``rebuild`` returns the final card and, for every log, the card before and after it;
        the store writes them back. Nothing happens if the question has no review log.
        """
        with self._write() as c:
            rows = c.execute(
                "SELECT uuid, question_id, attempt_uuid, rating, reviewed_at, duration_ms,"
                " card_before, card_after FROM review_logs WHERE question_id = ?"
                " ORDER BY reviewed_at, rowid",
                (question_id,),
            ).fetchall()
            if not rows:
                return None
            logs = [_log_record(r) for r in rows]
            final, states = rebuild(logs)
            for log, (before, after) in zip(logs, states, strict=True):
                c.execute("UPDATE review_logs SET card_before = ?, card_after = ? WHERE uuid = ?",
                          (before, after, log.uuid))
            c.execute(
                "INSERT INTO cards (question_id, card, due, last_review, reviews) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (question_id) DO UPDATE SET card = excluded.card, due = excluded.due,"
                " last_review = excluded.last_review, reviews = excluded.reviews",
                (question_id, final.card, iso_utc(final.due), iso_utc(final.last_review), len(logs)),
            )
            return self._card(c, question_id)

    def card(self, question_id: str) -> CardRecord | None:
        with self._lock:
            try:
                return self._card(self._conn, question_id)
            except sqlite3.Error as e:
                raise _translate(e, self.path) from e

    def cards(self) -> list[CardRecord]:
        rows = self._fetchall(
            "SELECT question_id, card, due, last_review, reviews FROM cards ORDER BY question_id"
        )
        return [_card_record(r) for r in rows]

    def card_memory(self) -> list[tuple[str, Any, Any, str | None]]:
        """Per card, ordered by question id: (question id, stability, last review, None), the
        two FSRS fields that retrievability depends on, read out of the card JSON by SQLite
        (statistics over thousands of cards need no JSON parsing in Python).

        A card whose JSON SQLite cannot read, or that lacks either field, comes as
        (question id, None, None, card JSON), for the caller to load as usual (and fail as
        usual). Without SQLite's JSON functions, every card comes that way.
        """
        if self._json_functions():
            return self._fetchall(
                "SELECT question_id, CASE WHEN ok THEN json_extract(card, '$.stability') END,"
                " CASE WHEN ok THEN json_extract(card, '$.last_review') END,"
                " CASE WHEN ok THEN NULL ELSE card END"
                # CASE, not AND: only CASE is sure to skip json_type on malformed JSON
                " FROM (SELECT question_id, card, CASE WHEN json_valid(card)"
                "       THEN json_type(card, '$.stability') IS NOT NULL"
                "        AND json_type(card, '$.last_review') IS NOT NULL ELSE 0 END AS ok"
                "       FROM cards)"
                " ORDER BY question_id"
            )
        rows = self._fetchall("SELECT question_id, card FROM cards ORDER BY question_id")
        return [(qid, None, None, card) for qid, card in rows]

    def _json_functions(self) -> bool:
        if self._has_json is None:
            with self._lock:
                try:
                    self._conn.execute("SELECT json_valid('{}'), json_type('{}'),"
                                       " json_extract('{}', '$.a')").fetchall()
                    self._has_json = True
                except sqlite3.Error:
                    self._has_json = False
        return self._has_json

    def review_logs(self, question_id: str | None = None) -> list[ReviewLogRecord]:
        sql = (
            "SELECT uuid, question_id, attempt_uuid, rating, reviewed_at, duration_ms,"
            " card_before, card_after FROM review_logs"
        )
        params: tuple = ()
        if question_id is not None:
            sql += " WHERE question_id = ?"
            params = (question_id,)
        rows = self._fetchall(sql + " ORDER BY reviewed_at, rowid", params)
        return [_log_record(r) for r in rows]

    # -- what is due (plain SQL on the indexed ``due`` column: no FSRS import needed)

    def due_question_ids(
        self, now: datetime, known_ids: Iterable[str] | None = None, limit: int | None = None
    ) -> list[str]:
        """Questions whose card is due at ``now``, most overdue first; only ``known_ids`` if given."""
        rows = self._fetchall(
            "SELECT question_id FROM cards WHERE due <= ? ORDER BY due, question_id", (iso_utc(now),)
        )
        ids = [r[0] for r in rows]
        if known_ids is not None:
            known = set(known_ids)
            ids = [i for i in ids if i in known]
        return ids[:limit] if limit is not None else ids

    def due_count(self, now: datetime, known_ids: Iterable[str] | None = None) -> int:
        if known_ids is None:
            return int(self._fetchall("SELECT COUNT(*) FROM cards WHERE due <= ?", (iso_utc(now),))[0][0])
        return len(self.due_question_ids(now, known_ids))

    def next_due(self, now: datetime, known_ids: Iterable[str] | None = None) -> datetime | None:
        """When the next card not yet due at ``now`` becomes due (None if there is none)."""
        rows = self._fetchall(
            "SELECT question_id, due FROM cards WHERE due > ? ORDER BY due", (iso_utc(now),)
        )
        known = set(known_ids) if known_ids is not None else None
        for qid, due in rows:
            if known is None or qid in known:
                return parse_utc(due)
        return None

    # -- own your data

    def export_dict(self, *, now: datetime | None = None) -> dict[str, Any]:
        with self._snapshot() as q:
            sessions = q("SELECT id, mode, scope, started, finished FROM sessions ORDER BY started, id", ())
            attempts = q(
                "SELECT uuid, question_id, content_hash, chosen, correct, time_ms, mode, session_id,"
                " answered_at, day FROM attempts ORDER BY answered_at, rowid", ()
            )
            cards = q("SELECT question_id, card, due, last_review, reviews FROM cards ORDER BY question_id", ())
            logs = q(
                "SELECT uuid, question_id, attempt_uuid, rating, reviewed_at, duration_ms,"
                " card_before, card_after FROM review_logs ORDER BY reviewed_at, rowid", ()
            )
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": iso_utc(now or utc_now()),
            "schema_version": schema.current_version(),
            "sessions": [
                {"id": r[0], "mode": r[1], "scope": r[2], "started": r[3], "finished": r[4]}
                for r in sessions
            ],
            "attempts": [
                {
                    "uuid": r[0], "question_id": r[1], "content_hash": r[2],
                    "chosen": json.loads(r[3]), "correct": bool(r[4]), "time_ms": r[5],
                    "mode": r[6], "session_id": r[7], "answered_at": r[8], "day": r[9],
                }
                for r in attempts
            ],
            "cards": [
                {"question_id": r[0], "card": json.loads(r[1]), "due": r[2], "last_review": r[3],
                 "reviews": r[4]}
                for r in cards
            ],
            "review_logs": [
                {
                    "uuid": r[0], "question_id": r[1], "attempt_uuid": r[2], "rating": r[3],
                    "reviewed_at": r[4], "duration_ms": r[5],
                    "card_before": json.loads(r[6]) if r[6] else None,
                    "card_after": json.loads(r[7]),
                }
                for r in logs
            ],
        }

    def export_json(self, path: Path | str, *, now: datetime | None = None) -> Path:
        """Write everything to ``path`` (atomically: a temporary file, then a rename)."""
        path = Path(path)
        data = self.export_dict(now=now)
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
        try:
            with open(tmp, "w", encoding="utf-8") as f:
                json.dump(data, f, ensure_ascii=False, indent=1)
                f.write("\n")
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        finally:
            if tmp.exists():
                tmp.unlink()
        return path

    def import_json(self, path: Path | str) -> ImportResult:
        """Merge an export into this store in one transaction. Attempts, sessions and review logs
        are matched by id, so importing the same file twice adds nothing the second time."""
        path = Path(path)
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except OSError as e:
            raise ImportFormatError(f"Cannot read {path}: {e.strerror or e}") from e
        except (json.JSONDecodeError, UnicodeDecodeError) as e:
            raise ImportFormatError(f"{path} is not a studyvpc progress export (not JSON: {e})") from e
        return self.import_dict(data, source=str(path))

    def import_dict(self, data: Any, *, source: str = "the import") -> ImportResult:
        if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
            raise ImportFormatError(
                f"{source} is not a studyvpc progress export (no \"format\": \"{EXPORT_FORMAT}\")"
            )
        version = data.get("version")
        if not isinstance(version, int) or version < 1:
            raise ImportFormatError(f"{source} has no valid format version")
        if version > EXPORT_VERSION:
            raise ImportFormatError(
                f"{source} was written by a newer studyvpc (export version {version}; this version "
                f"reads up to {EXPORT_VERSION}). Upgrade studyvpc to import it."
            )
        try:
            sessions = [_session_row(s) for s in _list(data, "sessions")]
            attempts = [_attempt_row(a) for a in _list(data, "attempts")]
            logs = [_log_row(r) for r in _list(data, "review_logs")]
            cards = [_card_row(r) for r in _list(data, "cards")]
        except (KeyError, TypeError, ValueError) as e:
            raise ImportFormatError(f"{source} has a malformed record: {e!r}") from e

        with self._write() as c:
            sessions_added = 0
            for s in sessions:
                cur = c.execute(
                    "INSERT OR IGNORE INTO sessions (id, mode, scope, started, finished)"
                    " VALUES (?, ?, ?, ?, ?)", s)
                sessions_added += cur.rowcount
                if s[4] is not None:
                    c.execute("UPDATE sessions SET finished = ? WHERE id = ? AND finished IS NULL",
                              (s[4], s[0]))
            added = 0
            for a in attempts:
                added += c.execute(
                    "INSERT OR IGNORE INTO attempts (uuid, question_id, content_hash, chosen,"
                    " correct, time_ms, mode, session_id, answered_at, day)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", a).rowcount
            had_logs = {r[0] for r in c.execute("SELECT DISTINCT question_id FROM review_logs")}
            logs_added = 0
            touched: set[str] = set()
            for r in logs:
                n = c.execute(
                    "INSERT OR IGNORE INTO review_logs (uuid, question_id, attempt_uuid, rating,"
                    " reviewed_at, duration_ms, card_before, card_after)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", r).rowcount
                logs_added += n
                if n:
                    touched.add(r[1])
            cards_added = cards_updated = 0
            for qid, card, due, last_review, reviews in cards:
                local = self._card(c, qid)
                if local is None:
                    c.execute("INSERT INTO cards (question_id, card, due, last_review, reviews)"
                              " VALUES (?, ?, ?, ?, ?)", (qid, card, due, last_review, reviews))
                    cards_added += 1
                elif last_review is not None and (
                    local.last_review is None or parse_utc(last_review) > local.last_review
                ):
                    c.execute("UPDATE cards SET card = ?, due = ?, last_review = ?, reviews = ?"
                              " WHERE question_id = ?", (card, due, last_review, reviews, qid))
                    cards_updated += 1
            for qid in touched:  # keep the review count consistent with the merged logs
                c.execute("UPDATE cards SET reviews = (SELECT COUNT(*) FROM review_logs"
                          " WHERE question_id = ?) WHERE question_id = ?", (qid, qid))
        return ImportResult(
            attempts_added=added,
            attempts_skipped=len(attempts) - added,
            sessions_added=sessions_added,
            review_logs_added=logs_added,
            cards_added=cards_added,
            cards_updated=cards_updated,
            needs_replay=frozenset(touched & had_logs),
        )

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
            for table in ("review_logs", "cards", "attempts", "sessions"):
                c.execute(f"DELETE FROM {table}")
        return backup


# --------------------------------------------------------------------------- helpers


def _check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")


def _card_record(r: tuple) -> CardRecord:
    return CardRecord(r[0], r[1], parse_utc(r[2]), parse_utc(r[3]) if r[3] else None, int(r[4]))


def _log_record(r: tuple) -> ReviewLogRecord:
    return ReviewLogRecord(r[0], r[1], r[2], int(r[3]), parse_utc(r[4]), r[5], r[6], r[7])


def _list(data: dict, key: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ImportFormatError(f"\"{key}\" must be a list")
    return value


def _text(value: Any, name: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, not {value!r}")
    return value


def _stamp(value: Any, name: str, *, optional: bool = False) -> str | None:
    text = _text(value, name, optional=optional)
    return None if text is None else iso_utc(parse_utc(text))


def _session_row(s: dict) -> tuple:
    mode = _text(s["mode"], "session mode")
    _check_mode(mode)
    return (_text(s["id"], "session id"), mode, str(s.get("scope") or ""),
            _stamp(s["started"], "started"), _stamp(s.get("finished"), "finished", optional=True))


def _attempt_row(a: dict) -> tuple:
    mode = _text(a["mode"], "attempt mode")
    _check_mode(mode)
    chosen = a["chosen"]
    if not isinstance(chosen, list) or not all(isinstance(k, str) for k in chosen):
        raise ValueError(f"chosen must be a list of option keys, not {chosen!r}")
    if not isinstance(a["correct"], bool):
        raise ValueError(f"correct must be true or false, not {a['correct']!r}")
    time_ms = a["time_ms"]
    if not isinstance(time_ms, int) or time_ms < 0:
        raise ValueError(f"time_ms must be a non-negative integer, not {time_ms!r}")
    answered_at = _stamp(a["answered_at"], "answered_at")
    day = a.get("day") or local_day(parse_utc(answered_at)).isoformat()
    date.fromisoformat(day)
    return (
        _text(a["uuid"], "attempt uuid"), _text(a["question_id"], "question_id"),
        str(a.get("content_hash") or ""), json.dumps(sorted(chosen)), int(a["correct"]), time_ms,
        mode, _text(a.get("session_id"), "session_id", optional=True), answered_at, day,
    )


def _card_json(value: Any, name: str) -> str:
    if not isinstance(value, dict) or "due" not in value:
        raise ValueError(f"{name} must be an FSRS card object, not {value!r}")
    return json.dumps(value)


def _log_row(r: dict) -> tuple:
    rating = r["rating"]
    if not isinstance(rating, int) or not 1 <= rating <= 4:
        raise ValueError(f"rating must be 1-4, not {rating!r}")
    duration = r.get("duration_ms")
    if duration is not None and not isinstance(duration, int):
        raise ValueError(f"duration_ms must be an integer, not {duration!r}")
    before = r.get("card_before")
    return (
        _text(r["uuid"], "review log uuid"), _text(r["question_id"], "question_id"),
        _text(r.get("attempt_uuid"), "attempt_uuid", optional=True), rating,
        _stamp(r["reviewed_at"], "reviewed_at"), duration,
        _card_json(before, "card_before") if before is not None else None,
        _card_json(r["card_after"], "card_after"),
    )


def _card_row(r: dict) -> tuple:
    reviews = r.get("reviews", 0)
    if not isinstance(reviews, int) or reviews < 0:
        raise ValueError(f"reviews must be a non-negative integer, not {reviews!r}")
    return (
        _text(r["question_id"], "question_id"), _card_json(r["card"], "card"),
        _stamp(r["due"], "due"), _stamp(r.get("last_review"), "last_review", optional=True),
        reviews,
    )


def open_or_memory(data_dir: Path | str) -> tuple[ProgressStore, ProgressError | None]:
    """For the app: the real store, or an in-memory one plus the error to show the learner.

    Any `ProgressError` (unwritable directory, damaged or newer database) falls back to memory;
    the damaged or newer file is not touched.
    """
    try:
        return ProgressStore.open(data_dir), None
    except ProgressError as e:
        return ProgressStore.in_memory(), e

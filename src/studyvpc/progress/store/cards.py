"""FSRS cards and their review logs: storing reviews, revising and rebuilding them, what is due.

Why it is built this way:

- **No FSRS here.** Cards are stored as the JSON that ``fsrs.Card.to_json`` produced plus the
  ``due`` column the queries need; `studyvpc.progress.scheduler` owns the algorithm. Importing
  this module (and the app's start-up) therefore never imports ``fsrs``.
- **Read-modify-write in one transaction.** Revising or rebuilding a card reads its logs, runs
  the scheduler's callback and writes the result inside one ``BEGIN IMMEDIATE`` transaction, so
  two processes reviewing the same question serialize correctly. `read_card` and
  `apply_review` take the connection of an open transaction for the same reason: recording an
  answer (`studyvpc.progress.store.attempts`) and importing (`studyvpc.progress.store.transfer`) call them
  inside their own transaction.
- **What is due is plain SQL** on the indexed ``due`` column, so the home screen's due count
  needs no FSRS import and no card parsing.
- Each review log has a UUID so that importing the same export twice never duplicates anything.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from studyvpc.progress.store.connection import StoreConnection
from studyvpc.progress.store.content_index import as_set
from studyvpc.progress.store.records import (
    CARD_COLUMNS,
    LOG_COLUMNS,
    CardRecord,
    CardUpdate,
    RebuildFn,
    ReviewLogRecord,
    ReviseFn,
    card_record,
    log_record,
)
from studyvpc.progress.store.schema import REVIEW_STATE, iso_utc, parse_utc


def read_card(c: sqlite3.Connection, question_id: str) -> CardRecord | None:
    """The question's stored card, read on ``c`` (inside the caller's transaction)."""
    row = c.execute(
        f"SELECT {CARD_COLUMNS} FROM cards WHERE question_id = ?", (question_id,)
    ).fetchone()
    return card_record(row) if row else None


def apply_review(
    c: sqlite3.Connection,
    question_id: str,
    attempt_uuid: str | None,
    moment: datetime,
    duration_ms: int | None,
    update: CardUpdate,
) -> None:
    """Store a review on ``c``: the card as ``update`` says (one review more) and its log."""
    c.execute(
        "INSERT INTO cards (question_id, card, due, last_review, reviews) VALUES (?, ?, ?, ?, 1)"
        " ON CONFLICT (question_id) DO UPDATE SET card = excluded.card, due = excluded.due,"
        " last_review = excluded.last_review, reviews = reviews + 1",
        (question_id, update.card, iso_utc(update.due), iso_utc(update.last_review)),
    )
    c.execute(
        f"INSERT INTO review_logs ({LOG_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            uuid.uuid4().hex, question_id, attempt_uuid, int(update.rating), iso_utc(moment),
            duration_ms, update.card_before, update.card,
        ),
    )


def _state_of(card_json: str | None) -> int | None:
    """The ``state`` of a card's JSON (None if there is none)."""
    try:
        state = json.loads(card_json).get("state") if card_json else None
    except (ValueError, AttributeError):
        return None
    return state if isinstance(state, int) else None


class CardStore(StoreConnection):
    """The cards and review logs part of `ProgressStore`."""

    def revise_last_review(self, question_id: str, revise: ReviseFn) -> CardUpdate | None:
        """Change the rating of the question's latest review (Hard/Good/Easy after feedback).

        ``revise`` gets the latest review log and returns the card as it should be after the
        new rating; log and card are updated in one transaction. None if never reviewed.
        """
        with self._write() as c:
            row = c.execute(
                f"SELECT {LOG_COLUMNS} FROM review_logs WHERE question_id = ?"
                " ORDER BY reviewed_at DESC, rowid DESC LIMIT 1",
                (question_id,),
            ).fetchone()
            if row is None:
                return None
            log = log_record(row)
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
                f"SELECT {LOG_COLUMNS} FROM review_logs WHERE question_id = ?"
                " ORDER BY reviewed_at, rowid",
                (question_id,),
            ).fetchall()
            if not rows:
                return None
            logs = [log_record(r) for r in rows]
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
            return read_card(c, question_id)

    def card(self, question_id: str) -> CardRecord | None:
        rows = self.fetchall(f"SELECT {CARD_COLUMNS} FROM cards WHERE question_id = ?",
                              (question_id,))
        return card_record(rows[0]) if rows else None

    def cards(self) -> list[CardRecord]:
        rows = self.fetchall(f"SELECT {CARD_COLUMNS} FROM cards ORDER BY question_id")
        return [card_record(r) for r in rows]

    def card_memory(self) -> list[tuple[str, Any, Any, str | None]]:
        """Per card, ordered by question id: (question id, stability, last review, None), the
        two FSRS fields that retrievability depends on, as the card JSON has them (statistics
        over thousands of cards need no JSON parsing in Python).

        A card whose JSON SQLite cannot read, or that lacks either field, comes as
        (question id, None, None, card JSON), for the caller to load as usual (and fail as
        usual). Without SQLite's JSON functions, every card comes that way.
        """
        if self._has_card_fields():
            # The fields are columns (schema version 6): the JSON is read only for the cards
            # whose fields it could not give, and only if there are any.
            rows = self.fetchall("SELECT question_id, stability, reviewed, readable FROM cards"
                                 " ORDER BY question_id")
            if all(readable for *_, readable in rows):
                return [(qid, stability, reviewed, None) for qid, stability, reviewed, _ in rows]
            odd = dict(self.fetchall("SELECT question_id, card FROM cards WHERE NOT readable"))
            return [(qid, stability, reviewed, None) if readable else (qid, None, None, odd[qid])
                    for qid, stability, reviewed, readable in rows]
        if self._json_functions():
            return self.fetchall(
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
        rows = self.fetchall("SELECT question_id, card FROM cards ORDER BY question_id")
        return [(qid, None, None, card) for qid, card in rows]

    def card_states(self) -> dict[str, int]:
        """question id → the FSRS state stored in its card (``fsrs.State``: 1 learning,
        2 review, 3 relearning), as the card JSON has it; a card whose JSON has none is left
        out."""
        if self._has_card_fields():
            rows = self.fetchall("SELECT question_id, state FROM cards WHERE state IS NOT NULL")
        elif self._json_functions():
            rows = self.fetchall(
                "SELECT question_id, CASE WHEN json_valid(card)"
                " THEN json_extract(card, '$.state') END FROM cards")
        else:
            rows = [(qid, _state_of(card)) for qid, card in
                    self.fetchall("SELECT question_id, card FROM cards")]
        return {qid: int(state) for qid, state in rows if isinstance(state, int)}

    def _has_card_fields(self) -> bool:
        """Whether the cards keep their JSON's fields as columns (schema version 6 on an
        SQLite with JSON functions)."""
        return bool(self.fetchall(
            "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'cards_fields_update'"))

    def review_outcomes(self, since: datetime, state: int) -> tuple[int, int]:
        """(reviews since ``since`` of cards that were in FSRS ``state`` before them, how many
        of those were recalled: rated above Again).

        For the review state, whole days come from `review_days` (kept as reviews are
        written) and only the reviews of ``since``'s own day are read: the cost is the same
        however many reviews a day there were."""
        start = iso_utc(since)
        if self._json_functions():
            sql = ("SELECT COUNT(*), COALESCE(SUM(rating > 1), 0) FROM review_logs"
                   " WHERE reviewed_at >= ? AND json_valid(card_before)"
                   " AND json_extract(card_before, '$.state') = ?")
            if state != REVIEW_STATE or not self._has_review_days():
                rows = self.fetchall(sql, (start, state))
                return int(rows[0][0]), int(rows[0][1])
            next_day = (date.fromisoformat(start[:10]) + timedelta(days=1)).isoformat()
            # One statement: the day's reviews and the later days' totals read together.
            rows = self.fetchall(
                "SELECT p.n + d.n, p.r + d.r FROM"
                " (SELECT COUNT(*) AS n, COALESCE(SUM(rating > 1), 0) AS r FROM review_logs"
                "  WHERE reviewed_at >= ? AND reviewed_at < ? AND json_valid(card_before)"
                "  AND json_extract(card_before, '$.state') = ?) AS p,"
                " (SELECT COALESCE(SUM(reviews), 0) AS n, COALESCE(SUM(recalled), 0) AS r"
                "  FROM review_days WHERE day >= ?) AS d",
                (start, next_day, state, next_day))
            return int(rows[0][0]), int(rows[0][1])
        ratings = [rating for rating, before in self.fetchall(
            "SELECT rating, card_before FROM review_logs WHERE reviewed_at >= ?",
            (iso_utc(since),)) if _state_of(before) == state]
        return len(ratings), sum(r > 1 for r in ratings)

    def _has_review_days(self) -> bool:
        return bool(self.fetchall(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'review_days'"))

    def review_logs(self, question_id: str | None = None) -> list[ReviewLogRecord]:
        return [log_record(r) for r in self._fetch_ordered(
            f"SELECT {LOG_COLUMNS} FROM review_logs", question_id, "reviewed_at, rowid")]

    # -- what is due (plain SQL on the indexed ``due`` column: no FSRS import needed)

    def due_question_ids(
        self, now: datetime, known_ids: Iterable[str] | None = None, limit: int | None = None
    ) -> list[str]:
        """Questions whose card is due at ``now``, most overdue first; only ``known_ids`` if given."""
        rows = self.fetchall(
            "SELECT question_id FROM cards WHERE due <= ? ORDER BY due, question_id", (iso_utc(now),)
        )
        ids = [r[0] for r in rows]
        if known_ids is not None:
            known = as_set(known_ids)
            ids = [i for i in ids if i in known]
        return ids[:limit] if limit is not None else ids

    def due_count(self, now: datetime, known_ids: Iterable[str] | None = None) -> int:
        if known_ids is None:
            return int(self.fetchall("SELECT COUNT(*) FROM cards WHERE due <= ?", (iso_utc(now),))[0][0])
        return len(self.due_question_ids(now, known_ids))

    def next_due(self, now: datetime, known_ids: Iterable[str] | None = None) -> datetime | None:
        """When the next card not yet due at ``now`` becomes due (None if there is none)."""
        rows = self.fetchall(
            "SELECT question_id, due FROM cards WHERE due > ? ORDER BY due", (iso_utc(now),)
        )
        known = as_set(known_ids) if known_ids is not None else None
        for qid, due in rows:
            if known is None or qid in known:
                return parse_utc(due)
        return None

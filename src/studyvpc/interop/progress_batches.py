"""An import's records checked a run at a time: the fast way to the rows `progress_rows`
makes one record at a time.

A run of records (the text of a JSON array, from `studyvpc.interop.json_stream`) of attempts
or review logs is decoded by msgspec straight into typed structs that hold most of the checks
(types, non-empty strings, ranges), and the few checks left run in one loop. The rows are those
`progress_rows.check_record` makes, the cards' JSON aside: the same values, encoded by msgspec.
Anything this path does not take (a record it finds wrong, or only unusual) sends the whole run
to `check_record`, record by record, which says what is wrong and where (``attempts[12]``), or
takes it: this path only ever speeds up, it never decides.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

import msgspec

from studyvpc.interop.progress_rows import MAX_INT, check_record
from studyvpc.progress.store.errors import ImportFormatError
from studyvpc.progress.store.records import MODES
from studyvpc.progress.store.schema import iso_utc, local_day, parse_utc

Text = Annotated[str, msgspec.Meta(min_length=1)]
Count = Annotated[int, msgspec.Meta(ge=0, le=MAX_INT)]
_STORED_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00", re.ASCII)
"""A time as the store keeps it (`iso_utc`): such text is already normalized."""
_REMEMBERED = 4096
"""Distinct chosen lists and days remembered, at most (a hostile file cannot grow them)."""


class _Attempt(msgspec.Struct):
    uuid: Text
    question_id: Text
    chosen: list[str]
    correct: bool
    time_ms: Count
    mode: str
    answered_at: Text
    content_hash: str | None = None
    session_id: Text | None = None
    day: str | None = None
    skipped: bool | msgspec.UnsetType = msgspec.UNSET


class _Card(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """An FSRS card object as the fsrs package writes it (these names in this order; older
    versions' fields too), its values untouched: decoded into this and encoded again, with no
    dict built and no second pass to make it compact. Any other name, or no ``due``, sends the
    run to `check_record`."""

    card_id: Any = msgspec.UNSET
    state: Any = msgspec.UNSET
    step: Any = msgspec.UNSET
    stability: Any = msgspec.UNSET
    difficulty: Any = msgspec.UNSET
    elapsed_days: Any = msgspec.UNSET
    scheduled_days: Any = msgspec.UNSET
    reps: Any = msgspec.UNSET
    lapses: Any = msgspec.UNSET
    due: Any
    last_review: Any = msgspec.UNSET


class _Log(msgspec.Struct):
    uuid: Text
    question_id: Text
    rating: Annotated[int, msgspec.Meta(ge=1, le=4)]
    reviewed_at: Text
    card_after: _Card
    attempt_uuid: Text | None = None
    duration_ms: Count | None = None
    card_before: _Card | None = None


class _Slow(Exception):
    """This run goes record by record."""


_fromisoformat = datetime.fromisoformat
_encode = msgspec.json.Encoder().encode
_chosen: dict[tuple[str, ...], str] = {}
_days: set[str] = set()


def _stamp(text: str) -> str:
    if _STORED_STAMP.fullmatch(text):
        _fromisoformat(text)  # a real date and time
        return text
    return iso_utc(parse_utc(text))


def _attempts(records: list[_Attempt]) -> list[tuple]:
    rows = []
    for a in records:
        mode, chosen, answered_at = a.mode, a.chosen, _stamp(a.answered_at)
        if mode not in MODES:
            raise _Slow
        day = a.day or local_day(parse_utc(answered_at)).isoformat()
        if day not in _days:
            date.fromisoformat(day)
            if len(_days) < _REMEMBERED:
                _days.add(day)
        skipped = a.skipped if a.skipped is not msgspec.UNSET else mode == "exam" and not chosen
        if skipped and a.correct:
            raise _Slow
        key = tuple(chosen)
        chosen_json = _chosen.get(key)
        if chosen_json is None:
            chosen_json = json.dumps(chosen)
            if len(_chosen) < _REMEMBERED:
                _chosen[key] = chosen_json
        rows.append((a.uuid, a.question_id, a.content_hash or "", chosen_json, int(a.correct),
                     a.time_ms, mode, a.session_id, answered_at, day, int(skipped)))
    return rows


def _logs(records: list[_Log]) -> list[tuple]:
    return [(r.uuid, r.question_id, r.attempt_uuid, r.rating, _stamp(r.reviewed_at),
             r.duration_ms, None if r.card_before is None else _encode(r.card_before).decode(),
             _encode(r.card_after).decode()) for r in records]


_FAST: dict[str, tuple[Callable[[str], Any], Callable[[Any], list[tuple]]]] = {
    "attempts": (msgspec.json.Decoder(list[_Attempt]).decode, _attempts),
    "review_logs": (msgspec.json.Decoder(list[_Log]).decode, _logs),
}


def check_run(table: str, first: int, text: str, source: str) -> list[tuple]:
    """The rows of a run of ``table``'s records, ``text`` a JSON array whose first element is
    the table's ``first``-th record; `ImportFormatError` naming the first malformed one."""
    fast = _FAST.get(table)
    if fast is not None:
        decode, rows = fast
        try:
            return rows(decode(text))
        except (msgspec.DecodeError, _Slow, ValueError, TypeError, OverflowError, RecursionError):
            pass
    try:
        records = json.loads(text)
    except (ValueError, RecursionError) as e:
        raise ImportFormatError(f"{source}: {table}[{first}] or one after it is not JSON "
                                f"({e}); not a studyvpc progress export") from None
    return [check_record(table, first + n, record, source) for n, record in enumerate(records)]

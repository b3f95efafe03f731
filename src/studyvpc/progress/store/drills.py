"""Which questions to drill: missed ones and those of the weakest tags.

Drills are for extra practice and must not disturb spaced repetition: these helpers only pick
question ids; the session then records its answers with mode ``"drill"``, which the scheduler
stores as attempts without moving any card (`studyvpc.progress.scheduler.RESCHEDULING_MODES`).
The picking reads the attempts (the statistics' per-question counts, plain SQL), so it needs
neither FSRS nor the content model; the caller passes a `QuestionIndex` (or known ids) to drop
questions no longer in the content.
"""

from __future__ import annotations

from collections.abc import Iterable

from studyvpc.progress.store.content_index import QuestionIndex, as_set
from studyvpc.progress.store.stats import TagAccuracy, per_question_counts, tag_accuracy
from studyvpc.progress.store.store import ProgressStore


def missed_question_ids(
    store: ProgressStore,
    *,
    last_sessions: int = 3,
    known_ids: Iterable[str] | None = None,
    limit: int | None = None,
) -> list[str]:
    """Questions answered wrong in any of the last ``last_sessions`` sessions (the sessions with
    the most recent answers), plus those answered but never right yet. Lowest accuracy first.
    An exam question left unanswered was not answered wrong: it is not "missed"."""
    # Answers per question from the statistics' index reads (skipped exam questions taken
    # away); the recent misses from the few rows of the last sessions.
    counts = per_question_counts(store)
    recent = {r[0] for r in store.fetchall(
        """
        WITH recent AS (
            SELECT session_id FROM session_totals WHERE session_id != ''
            ORDER BY last_answer DESC LIMIT ?
        )
        SELECT DISTINCT question_id FROM attempts
        WHERE correct = 0 AND skipped = 0 AND session_id IN (SELECT session_id FROM recent)
        """,
        (max(0, int(last_sessions)),),
    )}
    missed = [(qid, n, ok) for qid, (n, ok, _) in counts.items() if ok == 0 or qid in recent]
    missed.sort(key=lambda m: (m[2] / m[1], -m[1], m[0]))
    ids = [qid for qid, _, _ in missed]
    if known_ids is not None:
        known = as_set(known_ids)
        ids = [i for i in ids if i in known]
    return ids[:limit] if limit is not None else ids


def weakest_tags(
    store: ProgressStore, index: QuestionIndex, *, limit: int = 3, min_attempts: int = 1
) -> list[TagAccuracy]:
    """Tags with the lowest accuracy among those answered at least ``min_attempts`` times."""
    tags = [t for t in tag_accuracy(per_question_counts(store), index) if t.attempts >= max(1, min_attempts)]
    tags.sort(key=lambda t: (t.accuracy, -t.attempts, t.tag))
    return tags[:limit]


def weak_tag_question_ids(
    store: ProgressStore,
    index: QuestionIndex,
    *,
    tags: Iterable[str] | None = None,
    limit_tags: int = 3,
    limit: int | None = None,
) -> list[str]:
    """Questions carrying any of ``tags`` (default: the `weakest_tags`), weakest first: answered
    questions by accuracy, then never-answered ones."""
    wanted = set(tags) if tags is not None else {t.tag for t in weakest_tags(store, index, limit=limit_tags)}
    counts = per_question_counts(store)
    picked = [qid for qid, qtags in index.tags.items() if wanted.intersection(qtags)]

    def key(qid: str) -> tuple:
        n, ok, _ = counts.get(qid, (0, 0, 0))
        return (0, ok / n, -n, qid) if n else (1, 0.0, 0, qid)

    picked.sort(key=key)
    return picked[:limit] if limit is not None else picked

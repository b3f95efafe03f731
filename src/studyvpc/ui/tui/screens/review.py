"""Review due, and the drills: quiz sessions whose questions come from your progress.

"Review due" is the practice quiz (`QuizScreen`) over the questions FSRS says are due now, in
``review`` mode (answers reschedule their cards). The drills ("missed questions", "weakest
tags") are quiz scopes offered by the quiz setup screen, answered in ``drill`` mode: attempts
are recorded, the schedule is left alone. This module only picks the questions; the quiz
screen presents them and its `QuizRecorder` records every answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from studyvpc.study.quiz import Scope
from studyvpc.content.textutil import one_line
from studyvpc.progress.store import ProgressError

if TYPE_CHECKING:  # pragma: no cover
    from studyvpc.progress.service import Progress

REVIEW_SCOPE = "your due reviews"


@dataclass(frozen=True, slots=True)
class ProgressScope:
    """A quiz scope computed from progress, with the mode its answers are recorded in."""

    key: str
    """Option id in the quiz setup list."""
    label: str
    detail: str
    scope: Scope | None
    """None when there is nothing to ask (the option is then shown disabled, saying why)."""
    mode: str


def due_scope(progress: Progress) -> Scope | None:
    ids = progress.due_ids()
    return Scope("ids", value=REVIEW_SCOPE, ids=tuple(ids)) if ids else None


def progress_scopes(progress: Progress | None) -> list[ProgressScope]:
    """Review due and the two drills; each without a scope (disabled) when it has no question."""
    due: Scope | None = None
    missed: list[str] = []
    weak_names = ""
    weak_ids: list[str] = []
    if progress is not None:
        try:
            due = due_scope(progress)
            missed = progress.missed_ids()
            weak = progress.weakest_tags()
            if weak:
                weak_names = ", ".join(one_line(t.tag) for t in weak)
                weak_ids = progress.weak_tag_ids(t.tag for t in weak)
        except ProgressError:
            pass
    untouched = " · schedule untouched"
    return [
        ProgressScope("due", "Review due", f"{len(due.ids)} due now" if due else "nothing due now",
                      due, "review"),
        ProgressScope("wrong", "Drill: missed questions",
                      f"{len(missed)} wrong lately or never right{untouched}" if missed
                      else "no missed questions yet",
                      Scope("ids", value="missed questions", ids=tuple(missed)) if missed else None,
                      "drill"),
        ProgressScope("weak", "Drill: weakest tags",
                      f"{len(weak_ids)} in {weak_names}{untouched}" if weak_ids
                      else "no answers yet",
                      Scope("ids", value=f"weakest tags ({weak_names})", ids=tuple(weak_ids))
                      if weak_ids else None, "drill"),
    ]


def start_review(app: Any) -> None:
    """Push a review session over the questions due now, or say when the next ones come."""
    from studyvpc.progress.service import when
    from studyvpc.ui.tui.screens.quiz import QuizScreen

    progress: Progress | None = getattr(app, "progress", None)
    if progress is None:
        app.notify("Progress is not available.", severity="warning", markup=False)
        return
    if progress.error is not None and not progress.due_ids():
        # The schedule is in the database that cannot be used: "practise first" would be
        # wrong advice for a learner who has one.
        app.notify(f"Your review schedule cannot be read: {progress.error}", title="Review",
                   severity="error", markup=False, timeout=10)
        return
    try:
        scope = due_scope(progress)
        nxt = progress.due_summary().next_due if scope is None else None
    except ProgressError as exc:
        app.notify(str(exc), title="Review", severity="error", markup=False)
        return
    if scope is None:
        message = "Nothing is due for review now."
        if nxt is not None:
            message += f" The next review is {when(nxt, progress.now())}."
        else:
            message += " Practise (p) first: answered questions come back when they are due."
        app.notify(message, title="Review", markup=False)
        return
    limit = getattr(getattr(app, "args", None), "limit", None)
    if limit is not None and limit > 0:  # the most overdue ones
        scope = Scope("ids", value=scope.value, ids=scope.ids[:limit])
    app.push_screen(QuizScreen(app.library, scope, app.seed, mode="review"))

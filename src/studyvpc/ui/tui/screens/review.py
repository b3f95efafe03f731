"""Review due, and the drills: quiz sessions whose questions come from your progress.

"Review due" is the practice quiz (`QuizScreen`) over the questions FSRS says are due now, in
``review`` mode (answers reschedule their cards). The drills ("missed questions", "weakest
tags") are quiz scopes offered by the quiz setup screen, answered in ``drill`` mode: attempts
are recorded, the schedule is left alone. This module only picks the questions; the quiz
screen presents them and its `QuizRecorder` records every answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from studyvpc.study.quiz import Scope
from studyvpc.content.textutil import one_line
from studyvpc.progress.store import ProgressError
from studyvpc.progress.service import REVIEW_SCOPE
from studyvpc.ui.tui.base import ContextApp

if TYPE_CHECKING:  # pragma: no cover
    from studyvpc.progress.service import Progress

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


def start_review(app: ContextApp) -> None:
    """Push a review session over the questions due now, or say when the next ones come."""
    from studyvpc.progress.service import plan_review
    from studyvpc.progress.wording import when
    from studyvpc.ui.tui.screens.quiz import QuizScreen

    ctx = app.context
    plan = plan_review(ctx.progress, ctx.request.limit)
    if plan.problem is not None:
        app.notify(plan.problem, title="Review", severity="error", markup=False, timeout=10)
        return
    if not plan.ids:
        message = "Nothing is due for review now."
        if plan.next_due is not None:
            message += f" The next review is {when(plan.next_due, ctx.progress.now())}."
        else:
            message += " Practise (p) first: answered questions come back when they are due."
        app.notify(message, title="Review", markup=False)
        return
    scope = Scope("ids", value=REVIEW_SCOPE, ids=plan.ids)
    app.push_screen(QuizScreen(ctx.library, scope, ctx.seed, mode="review"))

"""Rich tables both front ends print: the command line (``studyvpc stats``) and the TUI's
statistics screen draw the same rows from the same builder."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from rich.table import Table
from rich.text import Text

from studyvpc.content.textutil import one_line
from studyvpc.progress.store.history import SessionResult
from studyvpc.progress.wording import ago, exam_time, exam_verdict, percent


def exam_table(exams: Iterable[SessionResult], now: datetime, **table_options) -> Table:
    """Finished exams as a Rich table (the stats screen and ``studyvpc stats``): when, score,
    pass or fail in words and colour, the exam's time, and its scope shown literally."""
    table = Table(**table_options)
    table.add_column("Finished", no_wrap=True)
    table.add_column("Score", justify="right", no_wrap=True)
    table.add_column("%", justify="right", no_wrap=True)
    table.add_column("Result", no_wrap=True)
    table.add_column("Time", no_wrap=True)
    table.add_column("Scope", overflow="fold")
    for e in exams:
        words = exam_verdict(e)
        verdict = (Text("—", style="dim") if words is None  # recorded before exams kept it
                   else Text(words, style="green" if e.passed else "red"))
        table.add_row(ago(e.finished or e.last_answer, now), f"{e.right}/{e.answered}",
                      percent(e.accuracy), verdict, exam_time(e),
                      Text(one_line(e.scope or "exam")))
    return table

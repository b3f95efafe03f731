"""Progress in words for people: durations, due times, verdicts, the sentence after a rating.

Plain strings, no Rich: both front ends (and their tests) read the same words.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from studyvpc.progress.store.history import SessionResult
    from studyvpc.progress.store.stats import Stats

RATINGS = ("hard", "good", "easy")
RATING_KEYS = {"hard": "1", "good": "2", "easy": "3"}



def until(moment: datetime, now: datetime) -> str:
    """How long until ``moment``, in words ("now", "in under a minute", "in 12 min", "in 5 h",
    "in 3 days")."""
    seconds = (moment - now).total_seconds()
    if seconds <= 0:
        return "now"
    if seconds < 60:
        return "in under a minute"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"in {minutes} min"
    hours = round(seconds / 3600)
    if hours < 24:
        return f"in {hours} h"
    days = round(seconds / 86400)
    return f"in {days} day{'s' * (days != 1)}"


def when(moment: datetime, now: datetime) -> str:
    """A local clock time (with the date unless it is today) and how far off it is."""
    local, today = moment.astimezone(), now.astimezone().date()
    if local.date() == today:
        stamp = f"{local:%H:%M}"
    elif local.date() == today + timedelta(days=1):
        stamp = f"tomorrow {local:%H:%M}"
    else:
        stamp = f"{local:%a %d %b}"
    return f"{stamp} ({until(moment, now)})"


def ago(moment: datetime, now: datetime) -> str:
    """When something happened: "today 14:02", "yesterday 09:10", "Mon 03 Mar"."""
    local, today = moment.astimezone(), now.astimezone().date()
    if local.date() == today:
        return f"today {local:%H:%M}"
    if local.date() == today - timedelta(days=1):
        return f"yesterday {local:%H:%M}"
    return f"{local:%a %d %b %Y}" if local.year != today.year else f"{local:%a %d %b}"


def spent(ms: int) -> str:
    """A duration for people: "45 s", "12 min 05 s", "2 h 07 min"."""
    minutes, seconds = divmod(round(ms / 1000), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {seconds:02d} s"
    return f"{seconds} s"


def exam_time(e: SessionResult) -> str:
    """A finished exam's own clock, as its results showed it ("2:12 of 4:00")."""
    from studyvpc.study.quiz import format_duration

    if e.time_used_s is None:  # recorded before exams kept their time: the answers' times
        return spent(e.time_ms)
    used = format_duration(e.time_used_s)
    return f"{used} of {format_duration(e.time_limit_s)}" if e.time_limit_s else used


def exam_verdict(e: SessionResult) -> str | None:
    """"✔ pass 72%" / "✘ fail 72%" against the exam's own mark; None when it has none."""
    if e.passed is None or e.pass_mark is None:
        return None
    return f"{'✔ pass' if e.passed else '✘ fail'} {e.pass_mark * 100:g}%"


def percent(value: float | None) -> str:
    """"72%", or "—" for no value (nothing answered)."""
    return "—" if value is None else f"{value * 100:.0f}%"


def rating_keys_hint() -> str:
    return " · ".join(f"{RATING_KEYS[r]} {r}" for r in RATINGS)


def rated_message(rating: str, due: datetime | None, now: datetime, *, keys: bool = True) -> str:
    """What the learner reads after a right answer: the rating in force, the next review and
    (with ``keys``) the keys that change the rating."""
    text = f"Rated {rating.capitalize()}"
    if due is not None:
        text += f": next review {until(due, now)}"
    return text + (f" ({rating_keys_hint()} to change)." if keys else ".")


def cards_line(stats: Stats) -> str:
    """"12 new · 3 learning · 20 in review": where the questions are in the schedule."""
    return (f"{stats.new_cards} new · {stats.learning_cards} learning · "
            f"{stats.review_cards} in review")


def retention_line(stats: Stats) -> str:
    """Recent reviews of cards in review that were recalled: what actually happened."""
    if stats.retention is None:
        return "no reviews of cards in review yet"
    n = stats.retention_reviews
    return f"{percent(stats.retention)} of {n} review{'s' * (n != 1)} recalled"


def prediction_line(stats: Stats) -> str:
    """FSRS's predicted recall now, averaged over the cards in review, said to be one."""
    mean = stats.mean_retrievability
    if mean is None:
        return "none yet (only for cards in review)"
    n = len(stats.retrievability)
    return f"{percent(mean)} on average over {n} card{'s' * (n != 1)} in review (FSRS estimate)"

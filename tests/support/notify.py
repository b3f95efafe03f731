"""Recording what an app says in notifications, for the TUI tests."""

from __future__ import annotations


def record_notifications(app) -> list[str]:
    """From now on, every message ``app.notify`` shows is also appended (as text) to the
    returned list; the notifications themselves still appear."""
    seen: list[str] = []
    notify = app.notify

    def spy(message, *args, **kwargs):
        seen.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = spy
    return seen

"""The app's side of the app/screen contract: screens reach the `AppContext` (content,
progress service, data directory, seed, what the command line asked for) through
`context_of`, typed, instead of probing the app for attributes."""

from __future__ import annotations

from textual.app import App
from textual.dom import DOMNode

from studyvpc.ui.context import AppContext


class ContextApp(App[int]):
    """An app that carries an `AppContext` (`studyvpc.ui.tui.app.StudyApp`)."""

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context

    def open_note(self, note_id: str) -> None:
        """Show the note ``note_id`` (an id or an alias); the app owns the note view."""
        raise NotImplementedError


def context_of(node: DOMNode) -> AppContext:
    """The context of the app ``node`` belongs to."""
    app = node.app
    if not isinstance(app, ContextApp):  # pragma: no cover  (a screen in a foreign app)
        raise TypeError(f"{type(node).__name__} needs the studyvpc app, not {type(app).__name__}")
    return app.context

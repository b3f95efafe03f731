"""The Textual application: the screen stack, the command palette, and the shared contract.

Contract shared by the screens (and the engineers who write them): ``make_app(result, seed,
start, args)``; ``StudyApp.library``, ``.load_result``, ``.seed``; ``open_note(note_id)``,
``start_quiz(scope)``, ``action_help()``. Back navigation is the screen stack: every screen
above home is pushed, and Escape pops it.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.screen import Screen

from studyvpc.content.library import Library
from studyvpc.content.results import LoadResult
from studyvpc.content.textutil import one_line
from studyvpc.progress.service import Progress
from studyvpc.ui.tui.screens.home import HomeScreen

# The other screens are imported when first shown: the app's start (process start -> first
# frame of home) only pays for what home needs. See benchmarks/run.py.
from studyvpc.ui.tui.widgets.content import note_title

if TYPE_CHECKING:  # pragma: no cover
    from studyvpc.study.quiz import Scope

DECODE_NOTES_AFTER_S = 0.3
"""How long after the app mounts a library served from the cache decodes its notes."""
DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"


class NoteCommands(Provider):
    """The command palette finds any note by title, alias or id and opens it."""

    def _notes(self):
        app = self.app
        assert isinstance(app, StudyApp)
        return sorted(app.library.notes, key=lambda n: note_title(n).casefold())

    async def discover(self) -> Hits:
        app = self.app
        assert isinstance(app, StudyApp)
        for note in self._notes():
            # Content(...) is literal text; a plain str prompt would be parsed as markup.
            yield DiscoveryHit(Content(note_title(note)),
                               partial(app.open_note, note.id), text=note_title(note),
                               help=f"open note {note.id}")

    async def search(self, query: str) -> Hits:
        app = self.app
        assert isinstance(app, StudyApp)
        matcher = self.matcher(query)
        for note in self._notes():
            title = note_title(note)
            candidates = [(title, None), *((one_line(a), a) for a in note.aliases),
                          (note.id, None)]
            score, alias = max(((matcher.match(text), alias) for text, alias in candidates),
                               key=lambda pair: pair[0])
            if score > 0:
                shown = title if alias is None else f"{title}  (aka {one_line(alias)})"
                yield Hit(score, Content(shown), partial(app.open_note, note.id),
                          text=title, help=f"open note {note.id}")


class StudyApp(App[int]):
    """Notes and practice for cloud-certification learners."""

    CSS_PATH = "app.tcss"
    TITLE = "studyvpc"
    COMMANDS = App.COMMANDS | {NoteCommands}
    BINDINGS = [
        Binding("question_mark", "help", "Keys", key_display="?",
                tooltip="Show the keys of this screen"),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False,
                tooltip="Switch between the dark and the light theme"),
    ]

    def __init__(self, result: LoadResult, seed: int | None = None, start: str = "home",
                 args: argparse.Namespace | None = None) -> None:
        super().__init__()
        self.load_result = result
        """What the loader returned: the library and the located content problems."""
        self.library: Library = result.library
        """The notes and questions on show."""
        self.seed = seed
        """Random seed for quizzes (``--seed``): the same seed gives the same session."""
        self.start = start
        """The first screen after home: "home" or "quiz"."""
        self.args = args
        from studyvpc import locations

        self.progress = Progress.open(self.library,
                                      locations.data_dir(getattr(args, "data_dir", None)))
        """Answers, review schedule and statistics (``--data-dir`` / $STUDYVPC_DATA_DIR); kept
        in memory only, with `Progress.error` saying why, if the database cannot be used."""
        self.theme = DARK_THEME

    # -- screens
    def get_default_screen(self) -> Screen:
        return HomeScreen()

    def on_mount(self) -> None:
        if not getattr(self.library, "materialized", True):
            # Served from the cache with only its summary decoded (enough for home): decode
            # the notes while the learner reads the home screen, rather than before it is
            # drawn. Anything that needs them sooner decodes them on the spot.
            self.set_timer(DECODE_NOTES_AFTER_S, self.library.materialize)
        if self.progress.error is not None:
            self.notify(str(self.progress.error), title="Progress is not saved",
                        severity="warning", timeout=20, markup=False)
        if self.start == "quiz":
            self.start_quiz(self._scope_from_args())
        elif self.start == "review":
            self.start_review()
        elif self.start == "exam":
            self.start_exam()
        else:
            from studyvpc.ui.tui.screens.exam import maybe_offer_resume

            maybe_offer_resume(self)
        if self.load_result.errors or not self.library.note_count:
            from studyvpc.ui.tui.screens.errors import ErrorsScreen

            self.push_screen(ErrorsScreen(self.load_result))

    def _scope_from_args(self) -> Scope | None:
        from studyvpc.study.quiz import Scope  # the quiz's module: imported when first used

        args = self.args
        if args is not None and getattr(args, "tag", None):
            return Scope("tag", args.tag)
        if args is not None and getattr(args, "note", None):
            return Scope("note", args.note)
        return None

    def browse(self, tag: str | None = None) -> None:
        """Push the note browser (opened at ``tag`` if given)."""
        from studyvpc.ui.tui.screens.browser import BrowserScreen

        self.push_screen(BrowserScreen(tag=tag))

    def open_note(self, note_id: str) -> None:
        """Push the note view of ``note_id`` (an id or an alias)."""
        note = self.library.resolve(note_id)
        if note is None:
            self.notify(f"There is no note {one_line(note_id)!r} in the library.",
                        severity="warning", markup=False)
            return
        from studyvpc.ui.tui.screens.note import NoteScreen

        self.push_screen(NoteScreen(note))

    def start_quiz(self, scope: Scope | None = None) -> None:
        """Push the practice quiz over ``scope``; ``None`` asks for the scope first."""
        from studyvpc.ui.tui.screens import quiz

        if scope is None:
            self.push_screen(quiz.QuizSetupScreen(self.library, self.seed))
            return
        from studyvpc.study.quiz import select_questions

        if not select_questions(self.library, scope):
            self.notify(f"No questions in {scope.describe()}.", severity="warning",
                        markup=False)
            return
        limit = getattr(self.args, "limit", None) if self.args is not None else None
        self.push_screen(quiz.QuizScreen(self.library, scope, self.seed, limit=limit))

    def start_exam(self) -> None:
        """Push the mock exam: an unfinished saved exam is offered back first, else the setup."""
        from studyvpc.ui.tui.screens.exam import start_exam

        start_exam(self)

    def show_stats(self) -> None:
        """Push the statistics screen (accuracy, answers per day, streak, weakest questions)."""
        from studyvpc.progress.store import ProgressError
        from studyvpc.ui.tui.screens.stats import StatsScreen

        try:
            screen = StatsScreen(self.progress)
        except ProgressError as exc:
            self.notify(str(exc), title="Statistics", severity="error", markup=False)
            return
        self.push_screen(screen)

    def start_review(self) -> None:
        """Push a review session over the questions due now (or say when the next ones are)."""
        from studyvpc.ui.tui.screens.review import start_review

        start_review(self)

    def on_exam_screen_submitted(self, message) -> None:
        """A mock exam was submitted: store it as a finished exam session, then drop its save
        file (kept if it cannot be stored, for the next start to store it)."""
        from studyvpc.ui.tui.screens.exam import exam_submitted

        exam_submitted(self, message)

    def on_unmount(self) -> None:
        self.progress.close()

    # -- keys
    def action_help(self) -> None:
        from studyvpc.ui.tui.screens.help import HelpScreen, key_groups

        screen = self.screen
        if isinstance(screen, HelpScreen):
            screen.dismiss()
            return
        title = f"Keys: {screen.sub_title or screen.title or 'studyvpc'}"
        self.push_screen(HelpScreen(title, key_groups(screen)))

    def action_toggle_theme(self) -> None:
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Toggle light/dark theme", "Switch between the light and the dark "
                            "theme (ctrl+t)", self.action_toggle_theme)
        yield SystemCommand("Browse notes", "Notes grouped by tag, with a filter", self.browse)
        yield SystemCommand("Practice quiz", "Practise questions, choosing the scope",
                            partial(self.start_quiz, None))
        yield SystemCommand("Review due", "Answer the questions due for review (r on home)",
                            self.start_review)
        yield SystemCommand("Statistics", "Accuracy, answers per day, streak, weakest questions",
                            self.show_stats)
        yield SystemCommand("Show keys", "The keys of the current screen (?)", self.action_help)


def make_app(result: LoadResult, seed: int | None = None, start: str = "home",
             args: argparse.Namespace | None = None) -> StudyApp:
    return StudyApp(result, seed=seed, start=start, args=args)

"""The Textual application: the screen stack, the command palette, and the shared contract.

Contract shared by the screens: the app holds an `AppContext` (``app.context``: content,
progress service, data directory, seed, what the command line asked for), which screens read
through `studyvpc.ui.tui.base.context_of`; the app offers ``open_note(note_id)``,
``start_quiz(scope)``, ``browse()``, ``start_exam()``, ``start_review()``, ``show_stats()`` and
``action_help()``. Back navigation is the screen stack: every screen above home is pushed, and
Escape pops it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import App, ScreenStackError, SystemCommand, UnknownModeError
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.screen import Screen

from studyvpc.content.browse import browse_index
from studyvpc.content.library import Library
from studyvpc.content.results import LoadResult
from studyvpc.content.textutil import one_line
from studyvpc.progress.service import Progress
from studyvpc.ui.context import AppContext, StartRequest
from studyvpc.ui.tui.base import ContextApp
from studyvpc.ui.tui import textual_fixes
from studyvpc.ui.tui.screens.home import HomeScreen

textual_fixes.apply()

# The other screens are imported when first shown: the app's start (process start -> first
# frame of home) only pays for what home needs. See benchmarks/run.py.
from studyvpc.ui.tui.widgets.content import content_markdown_class, note_title

if TYPE_CHECKING:  # pragma: no cover
    from studyvpc.study.quiz import Scope

PREPARE_AFTER_S = 1.0
"""How long after its first frame the app starts the work of the screens opened next
(`_prepare`): a learner is still reading home, a key pressed at once is handled first."""
DARK_THEME = "textual-dark"
LIGHT_THEME = "textual-light"


class NoteCommands(Provider):
    """The command palette finds any note by title, alias or id and opens it."""

    def _notes(self):
        app = self.app
        assert isinstance(app, StudyApp)
        return sorted(app.library.heads, key=lambda n: note_title(n).casefold())

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


class StudyApp(ContextApp):
    """Notes and practice for cloud-certification learners."""

    CSS_PATH = "app.tcss"
    TITLE = "studyvpc"
    COMMANDS = App.COMMANDS | {NoteCommands}
    BINDINGS = [
        # Priority: `?` reaches help before a focused field gets the key. A field that takes
        # `?` as text (a filter, the palette's search) keeps it: Textual leaves out the
        # bindings of the keys it consumes (`check_consume_key`; the number fields consume
        # only what goes into a number). F1 reaches help from anywhere.
        Binding("question_mark", "help", "Keys", key_display="?", priority=True,
                tooltip="Show the keys of this screen (in a text field, where ? is typed: F1)"),
        Binding("f1", "show_keys", "Keys", show=False, priority=True,
                tooltip="Show the keys of this screen"),
        Binding("ctrl+t", "toggle_theme", "Theme", show=False,
                tooltip="Switch between the dark and the light theme"),
    ]

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self.theme = DARK_THEME
        self._screenshots: dict[str, Path] = {}
        """Where each screenshot being saved goes, by delivery key (to say where it failed)."""

    @property
    def library(self) -> Library:
        """The notes and questions on show."""
        return self.context.library

    @property
    def progress(self) -> Progress:
        """Answers, review schedule and statistics; kept in memory only, with
        `Progress.error` saying why, if the database cannot be used."""
        return self.context.progress

    # -- screens
    def get_default_screen(self) -> Screen:
        return HomeScreen()

    def on_mount(self) -> None:
        # Home is drawn from the library's summary. What the screens a learner opens next
        # need (a cached library's notes, the browser's index, the Markdown renderer) is made
        # once it is drawn, while the learner reads it, not before nor on their key press;
        # anything that needs it sooner makes it on the spot.
        self.call_after_refresh(self.set_timer, PREPARE_AFTER_S, self._prepare)
        if self.progress.error is not None:
            self.notify(str(self.progress.error), title="Progress is not saved",
                        severity="warning", timeout=20, markup=False)
        start = self.context.request.screen
        if start == "quiz":
            self.start_quiz(self.context.request.quiz_scope())
        elif start == "review":
            self.start_review()
        elif start == "exam":
            self.start_exam()
        else:
            from studyvpc.ui.tui.screens.exam import maybe_offer_resume

            maybe_offer_resume(self)
        result = self.context.load_result
        if not result.ok or not self.library.note_count:
            self.show_problems()
        elif result.errors:
            # Only warnings (links to notes not in the library, options without a why): the
            # content is usable as it is, so say so without standing in the way.
            n = len(result.errors)
            self.notify(f"{n} warning{'s' * (n != 1)} about the content (links to notes not "
                        "in the library, options without an explanation). Open the command "
                        "palette (ctrl+p) and choose 'Content problems' to see them.",
                        title="Content warnings", severity="information", timeout=8,
                        markup=False)

    def _prepare(self, steps: list[Callable[[], object]] | None = None) -> None:
        """One step of the work after the start per turn of the event loop: a key pressed
        meanwhile waits for one step at most. Only while home is shown: a screen opened
        before has made what it needs, and its first frame should not wait for the rest."""
        try:
            shown = self.screen
        except (ScreenStackError, UnknownModeError):  # the app is closing
            return
        if not isinstance(shown, HomeScreen):
            return
        if steps is None:
            steps = [self.library.load, partial(browse_index, self.library),
                     content_markdown_class, import_stats_screen]
        steps.pop(0)()
        if steps:
            self.call_later(self._prepare, steps)

    def show_problems(self) -> None:
        """Push the located content problems (errors and warnings)."""
        from studyvpc.ui.tui.screens.errors import ErrorsScreen

        self.push_screen(ErrorsScreen(self.context.load_result))

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
        if scope is None:
            from studyvpc.ui.tui.screens.quiz_setup import QuizSetupScreen

            self.push_screen(QuizSetupScreen(self.library, self.context.seed))
            return
        from studyvpc.ui.tui.screens.quiz import QuizScreen

        from studyvpc.study.quiz import select_questions

        if not select_questions(self.library, scope):
            from studyvpc.study.quiz import no_questions

            self.notify(no_questions(self.library, scope), severity="warning", markup=False)
            return
        self.push_screen(QuizScreen(self.library, scope, self.context.seed,
                                    limit=self.context.request.limit))

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

        exam_submitted(self, message.submitted, message.keeper)

    def on_unmount(self) -> None:
        self.progress.close()

    # -- keys
    def action_show_keys(self) -> None:
        self.action_help()

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
        """The palette's commands, each once: the ways into the app (home's keys), the
        actions of the screen it was opened on (its footer's keys), then the app's own.
        Textual's "Theme" and "Keys" are replaced by ours, not listed beside them."""
        commands = [
            SystemCommand("Browse notes", "Notes grouped by tag, with a filter (b on home)",
                          self.browse),
            SystemCommand("Practice quiz", "Practise questions, choosing the scope (p on home)",
                          partial(self.start_quiz, None)),
            SystemCommand("Review due", "Answer the questions due for review (r on home)",
                          self.start_review),
            SystemCommand("Mock exam", "A timed mock exam, or resume the unfinished one "
                          "(e on home)", self.start_exam),
            SystemCommand("Statistics", "Accuracy, answers per day, streak, weakest questions "
                          "(s on home)", self.show_stats),
        ]
        if not isinstance(screen, HomeScreen):  # home's keys are the commands above
            commands += screen_commands(screen)
        commands += [
            SystemCommand("Keys", "The keys of this screen (? or F1)", self.action_help),
            SystemCommand("Theme", "Choose a colour theme (ctrl+t switches dark and light)",
                          self.action_change_theme),
        ]
        if self.context.load_result.errors:
            commands.append(SystemCommand("Content problems", "The located errors and "
                                          "warnings of the content files", self.show_problems))
        commands += [c for c in super().get_system_commands(screen)
                     if c.title not in ("Theme", "Keys")]
        seen: set[str] = set()
        for command in commands:
            if command.title.casefold() not in seen:
                seen.add(command.title.casefold())
                yield command

    # -- screenshots
    def deliver_screenshot(self, filename: str | None = None, path: str | None = None,
                           time_format: str | None = None) -> str | None:
        """Save a screenshot where it can be saved (`studyvpc.locations.screenshot_dir`: not
        only in a Downloads folder that may not exist), and remember where, to say so."""
        from datetime import datetime

        from studyvpc import locations

        folder = Path(path) if path else locations.screenshot_dir(self.context.data_dir)
        if not filename:
            stamp = datetime.now().strftime(time_format or "%Y-%m-%dT%H_%M_%S_%f")
            filename = f"{self.title}_{stamp}.svg"
        key = super().deliver_screenshot(filename, str(folder), time_format)
        if key is not None:
            self._screenshots[key] = folder / filename
        return key

    @on(events.DeliveryComplete)
    def _screenshot_saved(self, event: events.DeliveryComplete) -> None:
        if event.name == "screenshot":
            event.prevent_default()  # instead of Textual's notice, which reads paths as markup
            remembered = self._screenshots.pop(event.key, None)
            where = event.path or remembered
            self.notify(f"Saved to {where}" if where else "Saved.", title="Screenshot",
                        markup=False)

    @on(events.DeliveryFailed)
    def _screenshot_failed(self, event: events.DeliveryFailed) -> None:
        if event.name == "screenshot":
            event.prevent_default()  # Textual's says only "Failed to save screenshot"
            where = self._screenshots.pop(event.key, None)
            self.notify(f"Could not save it to {where}: {event.exception}", title="Screenshot "
                        "not saved", severity="error", timeout=10, markup=False)


def import_stats_screen() -> None:
    """Import the statistics screen's module (its tables, Rich's and Textual's): ~20 ms that
    the first `s` on home would otherwise wait for."""
    import studyvpc.ui.tui.screens.stats  # noqa: F401


def screen_commands(screen: Screen) -> list[SystemCommand]:
    """The actions of ``screen`` its footer shows (enabled now), as palette commands."""
    app = screen.app
    commands = []
    for active in screen.active_bindings.values():
        binding = active.binding
        if active.node is not screen or not binding.show or not binding.description \
                or not active.enabled:
            continue
        what = binding.tooltip or binding.description
        commands.append(SystemCommand(binding.description,
                                      f"{what} ({app.get_key_display(binding)})",
                                      partial(app.run_action, binding.action, screen)))
    return commands


def make_app(result: LoadResult, seed: int | None = None, start: str = "home", *,
             request: StartRequest | None = None, data_dir: Path | str | None = None,
             exam_clock: Callable[[], float] | None = None,
             notice: Callable[[str], None] | None = None) -> StudyApp:
    """The app over ``result``, with progress in ``data_dir`` (default: the user data
    directory or $STUDYVPC_DATA_DIR); ``notice`` is told before a slow step of opening it."""
    from studyvpc import locations

    if request is None:
        request = StartRequest(screen=start)
    folder = Path(data_dir) if data_dir is not None else locations.data_dir(None)
    return StudyApp(AppContext.open(result, folder, seed=seed, request=request,
                                    exam_clock=exam_clock, notice=notice))

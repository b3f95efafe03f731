"""The practice quiz: one question at a time, every option explained after the answer.

The screen drives `studyvpc.study.quiz.PracticeSession` (the same object the plain mode
drives) and only presents what it returns. Keys are all bindings of this screen, because the
question view never takes focus: letters and numbers pick options, ↑↓ move the cursor before
the answer and scroll after it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from studyvpc.content.library import Library
from studyvpc.study.kinds import SelectionFull
from studyvpc.study.quiz import (
    AnswerError, PracticeSession, Scope, select_questions,
)
from studyvpc.ui.tui.base import ContextApp
from studyvpc.ui.tui.progress import MODE_TITLES, QuizRecorder
from studyvpc.ui.tui.screens.quiz_results import ResultsScreen
from studyvpc.ui.tui.widgets.keybar import KeyBar
from studyvpc.ui.tui.widgets.options import OptionRow
from studyvpc.ui.tui.widgets.quiz_question import QuestionView, instructions, verdict
from studyvpc.ui.tui.screens.base import ScrollsView

__all__ = ["QuizScreen"]

NEXT_HINT = "n or Enter: next question, o: open the note."
LAST_HINT = "n or Enter: see the results, o: open the note."
"""After the last question there is no next one: the same keys end the session."""


def open_note(screen: Screen, note_id: str) -> None:
    """Ask the app to show a note, if it can (the app owns the note view)."""
    app = screen.app
    if isinstance(app, ContextApp) and note_id:
        app.open_note(note_id)
    else:
        screen.notify("The note view is not available here.", severity="warning")


class QuizScreen(ScrollsView, Screen[None]):
    """A practice session over `scope`, ending on the results screen."""

    CSS_PATH = "quiz.tcss"
    BINDINGS = [
        Binding("enter", "submit", "Answer", tooltip="Answer with the highlighted option "
                "(or the options you toggled)"),
        Binding("enter", "next", "Next", tooltip="Go to the next question"),
        Binding("n", "next", "Next", show=False),
        Binding("space", "toggle", "Toggle", tooltip="Toggle the highlighted option"),
        Binding("o", "open_note", "Open note", tooltip="Open the note this question comes from"),
        Binding("q", "stop", "Stop", tooltip="End the quiz and see the results"),
        Binding("escape", "stop", "Stop", show=False),
        Binding("up", "cursor(-1)", "Up", show=False,
                tooltip="Move the cursor over the options; after the answer, scroll"),
        Binding("down", "cursor(1)", "Down", show=False,
                tooltip="Move the cursor over the options; after the answer, scroll"),
        Binding("pageup", "page(-1)", "Page up", show=False, tooltip="Scroll a page up"),
        Binding("pagedown", "page(1)", "Page down", show=False, tooltip="Scroll a page down"),
        Binding("home", "edge(-1)", "Top", show=False, tooltip="Scroll to the top"),
        Binding("end", "edge(1)", "Bottom", show=False,
                tooltip="Scroll to the bottom (the explanation, after the answer)"),
        # After a right answer (one that moved its FSRS card): rate it; Good unless changed.
        Binding("1,h", "rate('hard')", "Hard", key_display="1",
                tooltip="Rate the answer Hard: the question comes back sooner"),
        Binding("2,g", "rate('good')", "Good", key_display="2",
                tooltip="Rate the answer Good (the default)"),
        Binding("3,e", "rate('easy')", "Easy", key_display="3",
                tooltip="Rate the answer Easy: the question comes back later"),
        # Letters and numbers choose options. Only those of the current question are enabled
        # (check_action), so after the answer n, o and q reach their own bindings above.
        *(Binding(c, f"pick('{c.upper()}')", "Choose an option", show=False)
          for c in "abcdefghijklmnopqrstuvwxyz"),
        *(Binding(str(d), f"pick_number({d})", "Choose an option", show=False)
          for d in range(1, 10)),
    ]

    def __init__(self, library: Library, scope: Scope | None = None, seed: int | None = None,
                 limit: int | None = None, *, clock: Callable[[], float] | None = None,
                 mode: str = "practice") -> None:
        super().__init__()
        self.library = library
        self.scope = scope or Scope()
        self.mode = mode
        """How answers are recorded: practice, review (both reschedule) or drill (does not)."""
        self.recorder = QuizRecorder(self, mode, self.scope.describe())
        """Stores each answer in the app's progress the moment it is given."""
        self.seed = seed
        self.limit = limit
        self.clock = clock or time.monotonic
        self.session = PracticeSession(select_questions(library, self.scope), seed=seed,
                                       clock=self.clock, limit=limit)
        """The domain session this screen presents."""
        self.view = QuestionView(id="quiz-question")
        self.progress = Static("", id="quiz-progress", markup=False)

    # -- layout
    def compose(self) -> ComposeResult:
        yield Header()
        yield self.progress
        yield self.view
        yield Static(Content(f"No questions in {self.scope.describe()}. Press q to go back."),
                     id="quiz-empty", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.sub_title = f"{MODE_TITLES.get(self.mode, 'Practice')}: {self.scope.describe()}"
        empty = self.session.total == 0
        self.query_one("#quiz-empty").display = empty
        self.view.display = not empty
        self.progress.display = not empty
        if not empty:
            self._show_current()

    # -- state
    @property
    def answered(self) -> bool:
        return self.view.result is not None

    def _show_current(self) -> None:
        shown = self.session.current
        if shown is None:
            return
        self.view.show_question(shown)
        self._update_progress()
        self.refresh_bindings()

    def _update_progress(self) -> None:
        shown = self.session.current
        if shown is None:
            return
        done = self.session.results
        right = sum(r.correct for r in done)
        self.progress.update(Content.assemble(
            (f"Question {shown.number}/{shown.total}", "bold"),
            f"   Score {right}/{len(done)}",
        ))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.session.total == 0 and action != "stop":
            return False
        if action == "submit":
            return not self.answered
        if action == "next":
            return self.answered
        if action == "toggle":
            return (not self.answered and self.session.current is not None
                    and self.session.current.kind.toggles)
        if action == "open_note":
            return True if self.answered else None
        if action == "rate":
            return self.answered and self.recorder.can_rate
        if action in ("pick", "pick_number"):
            shown = self.session.current
            if shown is None or self.answered:
                return False
            if action == "pick":
                return parameters[0] in shown.letters
            return 1 <= int(parameters[0]) <= len(shown.options)  # type: ignore[call-overload]
        return True

    # -- answering
    def _answer(self, letters: tuple[str, ...]) -> None:
        try:
            result = self.session.answer(letters)
        except AnswerError as exc:
            message = str(exc)
            self.view.set_prompt(message[:1].upper() + message[1:] + ".", "-error")
            self.app.bell()
            return
        # Stored (committed) before the feedback is shown: an answer seen graded is saved.
        note = self.recorder.record(result)
        hint = self._next_hint()
        self.view.show_result(result, f"{note} {hint}" if note else hint)
        self._update_progress()
        self.refresh_bindings()

    def _next_hint(self) -> str:
        shown = self.session.current
        return LAST_HINT if shown is not None and shown.number == shown.total else NEXT_HINT

    def _pick(self, index: int) -> None:
        """A letter, number or click chose the option at `index`: as the question's kind has
        it, a toggle, or (a press being a whole answer) the answer."""
        shown = self.session.current
        options = self.view.options
        input = options.input
        if shown is None or input is None or not 0 <= index < len(shown.options):
            return
        if shown.kind.toggles:
            try:
                input.pick(index)
            except SelectionFull as exc:
                self.view.set_prompt(f"✘ {exc}", "-error")
                self.app.bell()
                return
            finally:
                options.present()  # the cursor moves to the pick either way
            self.view.set_prompt(instructions(shown, len(input.selection)))
        else:
            # The answer redraws every row at once: drawing the pick first would restyle
            # them all for a state no frame ever shows.
            self._answer(input.pick(index))
            if not self.answered:
                options.present()

    def action_pick(self, letter: str) -> None:
        input = self.view.options.input
        index = input.index_for(letter) if input is not None else None
        if index is not None:
            self._pick(index)

    def action_pick_number(self, number: int) -> None:
        self._pick(number - 1)

    def action_rate(self, rating: str) -> None:
        result = self.view.result
        if result is None or not self.recorder.can_rate:
            return
        note = self.recorder.rate(rating)
        if note:
            self.view.set_prompt(verdict(result) + Content(f" {note} {self._next_hint()}"),
                                 "-correct")

    def on_option_row_clicked(self, message: OptionRow.Clicked) -> None:
        self._pick(message.index)

    # -- actions
    def action_submit(self) -> None:
        shown = self.session.current
        input = self.view.options.input
        if shown is None or input is None:
            return
        if shown.kind.toggles:
            self._answer(input.selection)
        else:  # the highlighted option is the answer
            self._pick(input.cursor)

    def action_toggle(self) -> None:
        shown = self.session.current
        input = self.view.options.input
        if shown is None or input is None or not shown.kind.toggles:
            return
        self._pick(input.cursor)

    def action_next(self) -> None:
        if not self.answered:
            return
        if self.session.next() is None:
            self._finish()
        else:
            self._show_current()

    def action_cursor(self, delta: int) -> None:
        if self.answered:
            if delta < 0:
                self.view.scroll_up(animate=False)
            else:
                self.view.scroll_down(animate=False)
        else:
            self.view.options.move(delta)

    def action_open_note(self) -> None:
        if self.view.result is not None:
            open_note(self, self.view.result.question.note_id)

    def action_stop(self) -> None:
        if self.session.total == 0:
            self.dismiss()
            return
        self.session.stop()
        self._finish()

    def _finish(self) -> None:
        self.recorder.finish()
        self.app.switch_screen(ResultsScreen(self.library, self.session, seed=self.seed,
                                             clock=self.clock))


"""Taking a mock exam: one question at a time, the time left always visible, no feedback.

The screen drives `studyvpc.study.exam.MockExam` and only presents it. Time comes from the
exam's clock (injected in tests); a one-second interval refreshes the countdown, calls
`exam.check_time()` (which submits the exam by itself at zero) and saves the state every few
seconds. Saving, the lock and submission are the progress layer's
(`studyvpc.progress.exams.ExamTaking`): every answer, flag and move is saved at once, so a
crash, a kill or a quit never loses the exam.

When an exam is submitted, `ExamScreen.Submitted` is posted to the app, which has the keeper
store it (`studyvpc.progress.exams.ExamKeeper.record_submitted`).
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from studyvpc.content.textutil import plural
from studyvpc.progress.exams import ExamKeeper, Submitted
from studyvpc.study.exam import ExamOver, MockExam
from studyvpc.study.kinds import SelectionFull
from studyvpc.ui.tui.screens.exam_modals import ConfirmScreen
from studyvpc.ui.tui.screens.exam_results import ExamResultsScreen
from studyvpc.ui.tui.widgets.exam_navigator import CellState, ExamNavigator, cell_state, legend
from studyvpc.ui.tui.widgets.exam_question import ExamQuestionView
from studyvpc.ui.tui.widgets.exam_status import ExamStatus, clock_text
from studyvpc.ui.tui.widgets.options import OptionRow
from studyvpc.ui.tui.screens.base import Breakpoints, ScrollsView

AUTOSAVE_S = 5.0
"""Seconds of exam time between saves when nothing else changes."""
COMMAND_KEYS = frozenset("nfgpqsx")
"""Letters bound to exam commands; options with these letters are chosen by number."""


def numbers(indexes: list[int], limit: int = 12) -> str:
    shown = ", ".join(str(i + 1) for i in indexes[:limit])
    return shown + (", …" if len(indexes) > limit else "")


class ExamScreen(ScrollsView, Breakpoints, Screen[None]):
    """One question at a time; the navigator beside it on wide terminals, on `g` otherwise."""

    CSS_PATH = "exam.tcss"
    AUTO_FOCUS = ""
    """Nothing has focus at first: keys go to the screen (options, next, flag…); `g` focuses
    the navigator."""
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("n", "next", "Next", tooltip="Next question (→ too)"),
        Binding("right", "next", "Next", show=False),
        Binding("p", "previous", "Prev", tooltip="Previous question (← too)"),
        Binding("left", "previous", "Prev", show=False),
        Binding("f", "flag", "Flag", tooltip="Flag or unflag this question for review"),
        # Short words: at 80 columns the footer holds these, the navigator's Enter and `?`.
        Binding("g", "navigator", "Jump",
                tooltip="Show the grid of questions and jump to any of them"),
        Binding("x", "clear", "Clear", show=False, tooltip="Clear this question's answer"),
        Binding("s", "submit", "Submit", tooltip="End the exam and see the results"),
        Binding("q", "leave", "Leave", tooltip="Leave the exam; it is saved and can be resumed"),
        Binding("escape", "leave", "Leave", show=False),
        Binding("up", "cursor(-1)", "Option up", show=False),
        Binding("down", "cursor(1)", "Option down", show=False),
        Binding("space,enter", "choose_highlighted", "Choose highlighted", show=False,
                tooltip="Choose (or toggle) the highlighted option"),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(-1)", "Top", show=False, tooltip="Scroll to the top"),
        Binding("end", "edge(1)", "Bottom", show=False, tooltip="Scroll to the bottom"),
    ]

    class Submitted(Message):
        """The exam was submitted (by the learner or by the clock): for the progress store."""

        def __init__(self, submitted: Submitted, keeper: ExamKeeper) -> None:
            super().__init__()
            self.submitted = submitted
            self.keeper = keeper
            """Who stores it (the exam lifecycle of the screen's data directory)."""

    def __init__(self, exam: MockExam, keeper: ExamKeeper, *, tick_s: float = 1.0) -> None:
        super().__init__()
        self.exam = exam
        """The exam being taken."""
        self.keeper = keeper
        self.taking = keeper.take(exam)
        """Its saves and its lock."""
        self.tick_s = tick_s
        self.finished = False
        """True once the exam is submitted and this screen is on its way out."""
        self._saved_at = exam.clock()
        self._save_error_shown = False
        self.status = ExamStatus(id="exam-status")
        self.view = ExamQuestionView(id="exam-question")
        self.navigator = ExamNavigator(id="exam-navigator")

    # -- layout
    def compose(self) -> ComposeResult:
        yield Header()
        yield self.status
        with Vertical(id="exam-main"):
            yield self.view
            with Vertical(id="exam-side") as side:
                side.border_title = "Questions"
                yield self.navigator
                yield Static(legend(), id="exam-legend", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Mock exam: {self.exam.scope}" if self.exam.scope else "Mock exam"
        # Another studyvpc on this data directory may be taking an exam (started between
        # our check and now): saving here would overwrite its exam.
        notice = self.taking.lock()
        if notice is not None:
            self.notify(notice.text, title=notice.title, severity="warning",
                        timeout=notice.timeout, markup=False)
        self.navigator.show_items(self._states(), self.exam.index)
        self._show_current()
        self._save()
        self.set_interval(self.tick_s, self.tick, name="exam-clock")

    def on_unmount(self) -> None:
        # An app quit (ctrl+q) while the exam is on screen: keep the last second of work too.
        if not self.finished:
            self._save()
        self.taking.release()

    # -- presenting
    def _states(self) -> list[CellState]:
        return [cell_state(it) for it in self.exam.items]

    def _show_current(self) -> None:
        self.view.show_item(self.exam.current, total=self.exam.total)
        self.status.show(self.exam)

    def _changed(self, index: int | None = None) -> None:
        """After an answer, a flag or a move: repaint what changed and save."""
        exam = self.exam
        i = exam.index if index is None else index
        item = exam.items[i]
        self.navigator.update_item(i, cell_state(item), exam.index)
        self.view.refresh_item(total=exam.total)
        self.status.show(exam)
        self._save()

    # -- saving
    def _save(self) -> None:
        self._saved_at = self.exam.clock()
        if not self.taking.save() and not self._save_error_shown:
            self._save_error_shown = True
            self.notify(f"The exam cannot be saved: {self.taking.error}", title="Not saved",
                        severity="error", markup=False)

    # -- the clock
    def tick(self) -> None:
        """What the interval calls: show the time left, submit at zero, save now and then."""
        if self.finished:
            return
        if self.exam.check_time():
            self._finish(auto=True)
            return
        self.status.show_time(self.exam.remaining_s)
        if self.exam.clock() - self._saved_at >= AUTOSAVE_S:
            self._save()

    # -- keys
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.finished:
            return False
        return True

    def on_key(self, event: events.Key) -> None:
        """Letters and numbers choose options (command letters stay commands)."""
        if self.finished or self.navigator.has_focus:  # keys typed in the grid are its own
            return
        key = event.character or ""
        if len(key) != 1 or key.lower() in COMMAND_KEYS:
            return
        index = self.view.input.index_for(key)
        if index is not None:
            event.stop()
            event.prevent_default()
            self.choose(index)

    def choose(self, index: int) -> None:
        """Pick the option at `index` of the current question, as its kind has it (a single
        answer is replaced, a multi-answer option toggled); the exam takes the new answer."""
        if self.exam.check_time():
            self._finish(auto=True)
            return
        try:
            answer = self.view.input.pick(index)  # drawn with the rest by _changed
        except SelectionFull as exc:
            self.view.refresh_item(total=self.exam.total, error=f"✘ {exc}")
            self.app.bell()
            return
        if self._guard(lambda: self.exam.answer(answer)):
            self._changed()

    @on(OptionRow.Clicked)
    def _option_clicked(self, message: OptionRow.Clicked) -> None:
        if not self.finished:
            self.choose(message.index)

    def _guard(self, action: Callable[[], object]) -> bool:
        """Run an exam action; when the time is over, finish instead. True if it ran."""
        try:
            action()
        except ExamOver:
            self._finish(auto=True)
            return False
        return True

    def action_next(self) -> None:
        if self.exam.index == self.exam.total - 1:
            self.notify("This is the last question. Press s to submit.", timeout=3)
            return
        self.goto(self.exam.index + 1)

    def action_previous(self) -> None:
        if self.exam.index == 0:
            return
        self.goto(self.exam.index - 1)

    def goto(self, index: int) -> None:
        old = self.exam.index
        self.exam.goto(index)
        self._show_current()
        self.navigator.update_item(old, cell_state(self.exam.items[old]), current=index)
        self._save()

    def action_flag(self) -> None:
        if self._guard(self.exam.toggle_flag):
            self._changed()

    def action_clear(self) -> None:
        if self._guard(self.exam.clear):
            self._changed()

    def action_cursor(self, delta: int) -> None:
        self.view.options.move(delta)

    def action_choose_highlighted(self) -> None:
        self.choose(self.view.input.cursor)

    # -- the navigator
    @property
    def navigator_visible(self) -> bool:
        return self.has_class("-wide") or self.has_class("-nav-open")

    def action_navigator(self) -> None:
        if self.navigator.has_focus:
            self._close_navigator()
        else:
            self.add_class("-nav-open")
            self.call_after_refresh(self.navigator.focus)

    def _close_navigator(self) -> None:
        self.remove_class("-nav-open")
        self.set_focus(None)

    @on(ExamNavigator.Jump)
    def _jump(self, message: ExamNavigator.Jump) -> None:
        message.stop()
        if self.finished:
            return
        if message.index != self.exam.index:
            self.goto(message.index)
        self._close_navigator()

    @on(ExamNavigator.Closed)
    def _navigator_closed(self, message: ExamNavigator.Closed) -> None:
        message.stop()
        self._close_navigator()

    # -- submitting and leaving
    def action_submit(self) -> None:
        exam = self.exam
        if exam.check_time():
            self._finish(auto=True)
            return
        unanswered, flagged, short = exam.unanswered(), exam.flagged(), exam.partly()
        if not unanswered and not flagged and not short:
            self._finish()
            return
        parts = []
        if unanswered:
            parts.append(f"{plural(len(unanswered), 'question')} unanswered "
                         f"({numbers(unanswered)}): unanswered questions count as wrong.")
        if short:
            parts.append(f"{plural(len(short), 'question')} with fewer options chosen than "
                         f"asked ({numbers(short)}): counted as wrong.")
        if flagged:
            parts.append(f"{plural(len(flagged), 'question')} flagged for review "
                         f"({numbers(flagged)}).")
        body = Content("\n".join(parts) + "\n\nSubmit the exam now? There is no going back.")
        self.app.push_screen(ConfirmScreen("Submit the exam?", body, yes="Submit",
                                           no="Keep working", id="exam-confirm-submit"),
                             self._submit_confirmed)

    def _submit_confirmed(self, yes: bool | None) -> None:
        if yes and not self.finished:
            self._finish()

    def action_leave(self) -> None:
        # The clock stops while the learner decides: the time the question promises is the
        # time saved on leaving and the time the exam resumes with (Stay starts it again).
        self.exam.stop_clock()
        left = clock_text(self.exam.remaining_s)
        self._save()  # so that what the question says is true at this moment
        if not self.taking.saved or self.taking.error is not None:
            why = f" ({self.taking.error})" if self.taking.error is not None else ""
            body = Content(f"This exam cannot be saved{why}. If you leave, it ends here and "
                           "your answers are lost; it cannot be resumed.")
            self.app.push_screen(ConfirmScreen("Leave and lose the exam?", body,
                                               yes="Leave, lose it", no="Stay",
                                               default_yes=False, id="exam-confirm-leave"),
                                 self._leave_confirmed)
            return
        body = Content(f"Your answers are saved with {left} left, and the clock stops until you "
                       "come back: studyvpc offers to resume the exam next time you start one "
                       "or open the app.")
        self.app.push_screen(ConfirmScreen("Leave the exam?", body, yes="Leave",
                                           no="Stay", id="exam-confirm-leave"),
                             self._leave_confirmed)

    def _leave_confirmed(self, yes: bool | None) -> None:
        if self.finished:
            return
        if yes:
            self._save()
            self.dismiss()
        else:
            self.exam.start_clock()

    def _finish(self, auto: bool = False) -> None:
        """Submit (if not yet), clear the saved state and show the results."""
        if self.finished:
            return
        self.finished = True
        submitted = self.taking.submit(auto=auto)
        app = self.app
        if self not in app.screen_stack:
            return
        # A question (submit? leave? the help) may be open over the exam when time runs out.
        while app.screen is not self:
            app.pop_screen()
        # Posted to the app: this screen is about to be replaced and would never see it.
        app.post_message(self.Submitted(submitted, self.keeper))
        app.switch_screen(ExamResultsScreen(self.exam))

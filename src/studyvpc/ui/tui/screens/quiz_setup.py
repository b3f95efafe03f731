"""Before a practice quiz: what to practise (all, a tag, a note) and how many questions."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from studyvpc.content.library import Library
from studyvpc.study.quiz import Scope, select_questions
from studyvpc.content.textutil import one_line, visible
from studyvpc.content.textutil import plural
from studyvpc.ui.tui.base import context_of
from studyvpc.ui.tui.widgets.marks import MarkedOptionList, MarkedRadioButton

COUNTS: tuple[int | None, ...] = (5, 10, 20, None)
"""The choices for "how many questions"; None is all of them."""
DEFAULT_COUNT = 10
FROM_ARGS = -1
"""``count`` not given: ``--limit N`` from the command line if there is one, else the default."""




def tags_with_questions(library: Library) -> list[tuple[str, int]]:
    """Every tag (and parent tag) that selects at least one question, with the count."""
    return [(tag, n) for tag in library.tag_prefixes() if (n := library.tag_counts(tag)[1])]


def _row(label: str, count: int | str, style: str = "") -> Content:
    detail = count if isinstance(count, str) else plural(count, "question")
    return Content.assemble((label, style), ("  " + detail, "$text-muted"))


class QuizSetupScreen(Screen[None]):
    """Pick a scope with the list (Enter starts); `c` or the buttons set the number of questions."""

    CSS_PATH = "quiz.tcss"
    BINDINGS = [
        Binding("s", "start", "Start", tooltip="Start a quiz on the highlighted choice"),
        Binding("c", "cycle_count", "How many", tooltip="Change the number of questions"),
        Binding("escape", "back", "Back", tooltip="Back without starting"),
        Binding("q", "back", "Back", show=False),
    ]

    def __init__(self, library: Library, seed: int | None = None, *,
                 clock: Callable[[], float] | None = None, tag: str | None = None,
                 count: int | None = FROM_ARGS) -> None:
        super().__init__()
        self.library = library
        self.seed = seed
        self.clock = clock
        self.start_tag = tag
        """A tag whose choice is highlighted at first (from the home screen's tree)."""
        self._count_arg = count
        self.counts: tuple[int | None, ...] = COUNTS
        """The choices for "how many questions"; ``--limit N`` adds N if it is not one."""
        self.count: int | None = DEFAULT_COUNT
        """How many questions to ask (None: all in the scope)."""
        self._scopes: dict[str, Scope] = {}
        self._modes: dict[str, str] = {}
        """Option id → recording mode, for scopes that are not plain practice."""

    def _options(self) -> list[Option | None]:
        lib = self.library
        opts: list[Option | None] = []

        def add(key: str, scope: Scope, prompt: Content) -> None:
            self._scopes[key] = scope
            opts.append(Option(prompt, id=key))

        add("all", Scope(), _row("All questions", len(lib.questions), "bold"))
        # From progress: review due (review mode), missed questions and weakest tags (drills,
        # recorded without rescheduling); shown disabled, saying why, when they have nothing.
        from studyvpc.ui.tui.screens.review import progress_scopes

        for extra in progress_scopes(context_of(self).progress):
            if extra.scope is None:
                opts.append(Option(_row(extra.label, extra.detail), id=extra.key, disabled=True))
            else:
                add(extra.key, extra.scope, _row(extra.label, extra.detail))
                self._modes[extra.key] = extra.mode
        tags = tags_with_questions(lib)
        if tags:
            opts.append(None)
            opts.append(Option(Content.styled("By tag", "bold $text-accent"), id="h-tags",
                               disabled=True))
            for tag, n in tags:
                add(f"tag:{tag}", Scope("tag", tag), _row(visible(tag), n))
        notes = [n for n in lib.heads if n.question_count]
        if notes:
            opts.append(None)
            opts.append(Option(Content.styled("By note", "bold $text-accent"), id="h-notes",
                               disabled=True))
            for note in notes:
                add(f"note:{note.id}", Scope("note", note.id),
                    _row(one_line(note.title, 200), note.question_count))
        return opts

    def _set_counts(self) -> None:
        count = self._count_arg
        if count == FROM_ARGS:  # `studyvpc quiz --limit 5` opens this screen: 5 it is
            request = context_of(self).request
            count = (request.limit if request.command == "quiz" else None) or DEFAULT_COUNT
        if count is not None and count <= 0:
            count = DEFAULT_COUNT
        if count not in COUNTS:
            self.counts = (*sorted({n for n in COUNTS if n is not None} | {count}), None)
        self.count = count

    def compose(self) -> ComposeResult:
        self._set_counts()
        yield Header()
        yield Static("What do you want to practise? Enter or s starts, c changes how many.", id="setup-title",
                     markup=False)
        yield MarkedOptionList(*self._options(), id="setup-scope", markup=False)
        with Horizontal(id="setup-count"):
            yield Static("Questions:", id="setup-count-label", markup=False)
            with RadioSet(id="setup-count-set"):
                for n in self.counts:
                    yield MarkedRadioButton("all" if n is None else str(n), value=n == self.count,
                                      id=f"count-{n or 'all'}")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Practice quiz"
        scopes = self.query_one("#setup-scope", OptionList)
        scopes.focus()
        if self.start_tag:
            try:
                scopes.highlighted = scopes.get_option_index(f"tag:{self.start_tag}")
            except Exception:  # OptionDoesNotExist: a tag with no questions; keep the top
                pass

    # -- count
    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self.count = self.counts[event.index]

    def action_cycle_count(self) -> None:
        self.count = self.counts[(self.counts.index(self.count) + 1) % len(self.counts)]
        self.query_one(f"#count-{self.count or 'all'}", RadioButton).value = True

    # -- start
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._start(event.option_id)

    def action_start(self) -> None:
        scopes = self.query_one("#setup-scope", OptionList)
        if scopes.highlighted is not None:
            self._start(scopes.get_option_at_index(scopes.highlighted).id)

    def _start(self, key: str | None) -> None:
        scope = self._scopes.get(key or "")
        if scope is None:
            return
        if not select_questions(self.library, scope):
            self.notify(f"No questions in {scope.describe()}.", severity="warning")
            return
        from studyvpc.ui.tui.screens.quiz import QuizScreen

        self.app.switch_screen(QuizScreen(self.library, scope, self.seed, self.count,
                                          clock=self.clock,
                                          mode=self._modes.get(key or "", "practice")))

    def action_back(self) -> None:
        self.dismiss()

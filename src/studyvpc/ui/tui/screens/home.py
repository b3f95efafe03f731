"""The home screen: the library at a glance and the ways into it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Static, Tree

from studyvpc.content.library import Library
from studyvpc.content.textutil import plural, visible
from studyvpc.ui.tui.widgets.keybar import KeyBar
from studyvpc.ui.tui.widgets.tags import TagNode, TagTree, tag_tree
from studyvpc.ui.tui.screens.base import Breakpoints
from studyvpc.ui.tui.base import context_of


def tag_label(library: Library, node: TagNode) -> Text:
    notes, questions = library.tag_counts(node.path)
    label = Text(visible(node.name) or "(empty)", style="bold")
    label.append(f"  {plural(notes, 'note')} · {plural(questions, 'question')}", style="dim")
    return label


def all_tags(library: Library) -> list[str]:
    """Note tags and the extra tags questions carry (``security/encryption``)."""
    return list(library.all_tags)


class HomeScreen(Breakpoints, Screen[None]):
    """Counts by tag, progress placeholders, and keys to browse, practise, quit."""

    TITLE = "studyvpc"
    SUB_TITLE = "Home"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    PROGRESS_REFRESH_S = 60.0
    """How often the due counts are read again while home stays open."""
    BINDINGS = [
        Binding("b", "browse", "Browse", tooltip="Browse the notes, grouped by tag, with a filter"),
        Binding("p", "practice", "Practice", tooltip="Practise questions (choose the scope)"),
        Binding("r", "review", "Review",
                tooltip="Answer the questions due for review (spaced repetition)"),
        Binding("e", "exam", "Exam", tooltip="A timed mock exam"),
        Binding("s", "stats", "Stats", tooltip="Your results over time"),
        Binding("q", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        # The breakpoint class the first Resize event will give the screen, given now: else
        # the first frame is laid out without it, then restyled and laid out again.
        width = self.app.size.width
        for edge, name in sorted(self.HORIZONTAL_BREAKPOINTS, reverse=True):
            if width >= edge:
                self.add_class(name)
                break
        lib: Library = context_of(self).library
        yield Header()
        with Horizontal(id="home-columns"):
            with Vertical(id="home-library"):
                yield Static(self._summary(lib), id="home-summary")
                yield Static(Text("By tag", style="bold"), classes="heading",
                             id="home-tags-heading")
                tree: Tree[str] = TagTree(Text("Tags"), id="home-tags")
                tree.show_root = False
                tree.auto_expand = False
                for child in tag_tree(all_tags(lib)).sorted_children():
                    self._add(tree.root, child, lib)
                yield tree
            with Vertical(id="home-side"):
                yield Static(Text("Progress", style="bold"), classes="heading")
                yield Static(self._progress(), id="home-progress")
                yield Static(Text("Start", style="bold"), classes="heading", id="home-start-heading")
                yield Static(self._start(), id="home-start")
        yield KeyBar()

    def _add(self, parent, node: TagNode, lib: Library) -> None:
        if node.children:
            branch = parent.add(tag_label(lib, node), data=node.path)
            for child in node.sorted_children():
                self._add(branch, child, lib)
        else:
            parent.add_leaf(tag_label(lib, node), data=node.path)

    @staticmethod
    def _summary(lib: Library) -> Text:
        text = Text("Library  ", style="bold")
        # Counts, not the notes: a library from the cache has them before its notes.
        text.append(f"{plural(lib.note_count, 'note')} · {plural(lib.question_count, 'question')}"
                    f" · {plural(len(lib.all_tags), 'tag')}")
        if not lib.note_count:
            text.append("\nNo notes are loaded.", style="italic")
        return text

    def _progress(self):
        """Due now / later today / next, and the last session's score (studyvpc.ui.tui.progress)."""
        from studyvpc.ui.tui.progress import home_progress

        return home_progress(context_of(self).progress)

    def on_screen_resume(self) -> None:
        # Back from a quiz, review or exam: the due count and last results have changed.
        if self.is_mounted:
            self._refresh_progress()

    def _refresh_progress(self) -> None:
        self.query_one("#home-progress", Static).update(self._progress())

    def _tick(self) -> None:
        # Cards fall due as time passes: a home screen left open must not go stale. Only the
        # screen in view is refreshed (it is refreshed on resume anyway).
        if self.is_current:
            self._refresh_progress()

    @staticmethod
    def _start() -> Text:
        text = Text()
        for key, what in (("b", "browse and read the notes"), ("p", "practise questions"),
                          ("r", "review what is due"),
                          ("e", "mock exam"), ("s", "statistics"), ("?", "all keys"),
                          ("ctrl+p", "find a note by title or alias")):
            text.append(f"{key:>6}  ", style="bold")
            text.append(what + "\n")
        text.rstrip()
        return text

    def on_mount(self) -> None:
        self.set_interval(self.PROGRESS_REFRESH_S, self._tick)
        tree = self.query_one("#home-tags", Tree)
        tree.focus()
        if tree.root.children:
            self.call_after_refresh(tree.move_cursor, tree.root.children[0])

    @on(Tree.NodeSelected, "#home-tags")
    def _open_tag(self, event: Tree.NodeSelected) -> None:
        tag = event.node.data
        if not tag:
            return
        notes, questions = context_of(self).library.tag_counts(tag)
        if notes or not questions:
            self.app.browse(tag=tag)
            return
        # Only questions carry this tag (topic/…, network/…): the browser, a tree of notes,
        # has nothing to show for it; practising it is what can be done with it.
        from studyvpc.ui.tui.screens.quiz_setup import QuizSetupScreen

        ctx = context_of(self)
        self.app.push_screen(QuizSetupScreen(ctx.library, ctx.seed, tag=tag))

    def action_browse(self) -> None:
        self.app.browse()

    def action_practice(self) -> None:
        self.app.start_quiz(None)

    def action_review(self) -> None:
        self.app.start_review()

    def action_exam(self) -> None:
        self.app.start_exam()

    def action_stats(self) -> None:
        self.app.show_stats()

"""The note browser: notes grouped by tag as a tree, and a filter over all their text."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Header, Input, Static, Tree
from textual.widgets.tree import TreeNode

from studyvpc.content.browse import browse_index, note_filter
from studyvpc.content.library import Library
from studyvpc.content.textutil import one_line, plural
from studyvpc.ui.tui.base import context_of
from studyvpc.ui.tui.screens.base import BackScreen, Breakpoints
from studyvpc.ui.tui.widgets.content import content_markdown, note_title
from studyvpc.ui.tui.widgets.glyphs import CURSOR
from studyvpc.ui.tui.widgets.keybar import KeyBar
from studyvpc.ui.tui.widgets.note_tree import NodeData, NoteTree

class BrowserScreen(Breakpoints, BackScreen):
    """Tags → notes. Typing in the filter keeps the notes whose text matches every word."""

    TITLE = "studyvpc"
    SUB_TITLE = "Notes"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", tooltip="Filter by title, alias, tag or text"),
        Binding("down", "focus_tree", "To the list", show=False),
        Binding("p", "practice", "Practice", tooltip="Practise the highlighted note or tag"),
    ]

    def __init__(self, tag: str | None = None) -> None:
        super().__init__()
        self.start_tag = tag
        """A tag to open the tree at (from the home screen)."""
        self._generation = 0
        self._typed: str | None = None
        """Filter text not shown yet."""
        self._waiting = False
        self._previewed: NodeData | None = None
        """What the preview shows."""
        self._moving = False
        """The cursor is on its way to the first match (`_show`): the rows it passes on the
        way (the tree's first line, as the tree is filled) do not change the preview."""

    @property
    def library(self) -> Library:
        return context_of(self).library

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Filter: title, alias, tag or text (한국어 OK) — / to focus",
                    id="filter")
        yield Static("", id="browser-count")
        with Horizontal(id="browser-body"):
            yield NoteTree(browse_index(self.library), id="browser-tree")
            with VerticalScroll(id="browser-preview"):
                yield Static("", id="preview")
        yield KeyBar()

    def on_mount(self) -> None:
        tree = self.query_one(NoteTree)
        self._show("")
        tree.focus()
        if self.start_tag:
            node = tree.reveal(self.start_tag)
            if node is not None:
                self.call_after_refresh(self._open_at, node, self._generation)

    # -- showing notes
    def _show(self, query: str) -> None:
        lib = self.library
        filtering = bool(query.strip())
        notes = note_filter(lib).search(query) if filtering else browse_index(lib).by_title
        tree = self.query_one(NoteTree)
        first = tree.show(notes, "Matches" if filtering else "All notes", filtering)
        count = self.query_one("#browser-count", Static)
        if filtering:
            msg = Text(f"{len(notes)} of {plural(lib.note_count, 'note')} match ")
            msg.append(one_line(query), style="bold")
            if not notes:
                msg.append(" — nothing found", style="dim")
            else:
                msg.append(f" · Enter opens the one marked {CURSOR}", style="dim")
        else:
            msg = Text(f"{plural(lib.note_count, 'note')}; Enter opens, / filters", style="dim")
        # One line whatever it says: no layout of the screen for it (a key's other costs).
        count.update(msg, layout=False)
        self._generation += 1
        # The preview needs no position: in this frame. Node positions are computed at the
        # next render; the cursor moves after it.
        self._show_preview(first.data)
        self._moving = True
        self.call_after_refresh(self._cursor_to, first, self._generation)

    def _open_at(self, node: TreeNode, generation: int) -> None:
        """The cursor on the tag the browser was opened at, shown at the top of the tree with
        its notes under it (not on the last line, its notes below the bottom of the screen)."""
        if generation == self._generation:
            tree = self.query_one(NoteTree)
            tree.move_cursor(node)
            if node.line >= 0:
                tree.scroll_to(y=node.line, animate=False, immediate=True)

    def _cursor_to(self, node: TreeNode, generation: int) -> None:
        if generation == self._generation:  # not a tree replaced since by more typing
            self._moving = False
            self.query_one(NoteTree).move_cursor(node)
            # The rows are kept across filters, so the cursor's line may not move and no
            # NodeHighlighted comes: the preview follows the node, not the event.
            self._show_preview(node.data)

    # -- events
    @on(Input.Changed, "#filter")
    def _filter(self, event: Input.Changed) -> None:
        # Keys typed while the tree is being changed come in together: show only the last
        # text (one update for the lot, not one per key), as soon as the screen is free.
        self._typed = event.value
        if not self._waiting:
            self._waiting = True
            self.call_later(self.settle)

    def settle(self) -> None:
        """Show the filter's text now if a change is waiting."""
        self._waiting = False
        typed, self._typed = self._typed, None
        if typed is not None:
            self._show(typed)

    @on(Input.Submitted, "#filter")
    def _submitted(self, event: Input.Submitted) -> None:
        """Enter in a filter with text opens the highlighted match (the first one unless the
        cursor was moved); without a match to open, Enter moves to the list."""
        self.settle()
        note = self._highlighted_match() if event.value.strip() else None
        if note is None:
            self.action_focus_tree()
        else:
            self.app.open_note(note)

    def _highlighted_match(self) -> str | None:
        tree = self.query_one("#browser-tree", Tree)
        node = tree.cursor_node
        if node is None and tree.root.children:
            # Typed faster than the tree is drawn: the cursor goes to the first match next.
            matches = tree.root.children[0].children
            node = matches[0] if matches else None
        data = node.data if node is not None else None
        return data[1] if data and data[0] == "note" else None

    @on(Tree.NodeSelected, "#browser-tree")
    def _selected(self, event: Tree.NodeSelected) -> None:
        data = event.node.data
        if data and data[0] == "note":
            self.app.open_note(data[1])

    @on(Tree.NodeHighlighted, "#browser-tree")
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        if not self._moving:
            self._show_preview(event.node.data)

    def _show_preview(self, data: NodeData | None) -> None:
        # A key that keeps the first match (most keys typed on) keeps its preview, which
        # does not depend on the filter: not decoded, laid out and drawn again.
        if data != self._previewed:
            self._previewed = data
            self.query_one("#preview", Static).update(self._preview(data))

    def _preview(self, data: NodeData | None):
        lib = self.library
        if not data:
            return ""
        kind, value = data
        if kind == "note":
            note = lib.get_note(value)
            if note is None:
                return ""
            head = Text(note_title(note), style="bold")
            meta = Text()
            if note.aliases:
                meta.append("aka ", style="dim")
                meta.append(", ".join(one_line(a) for a in note.aliases))
                meta.append("\n")
            if note.tags:
                meta.append("  ".join("#" + one_line(t) for t in note.tags), style="dim")
                meta.append("\n")
            meta.append(plural(len(note.questions), "question"), style="dim")
            parts = [head, meta]
            if note.key_point:
                parts += [Text(""), content_markdown(note.key_point)]
            parts += [Text(""), Text("Enter opens the note", style="italic dim")]
            return Group(*parts)
        if kind == "tag" and value:
            notes, questions = lib.tag_counts(value)
            return Text.assemble((value, "bold"), "\n",
                                 (f"{plural(notes, 'note')} · {plural(questions, 'question')}",
                                  "dim"))
        return ""

    # -- actions
    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_focus_tree(self) -> None:
        tree = self.query_one("#browser-tree", Tree)
        tree.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "focus_tree":
            # Only from the filter; in the tree, Down moves the cursor.
            return isinstance(self.focused, Input)
        return True

    def action_back(self) -> None:
        # Esc in a filter with text clears the filter, as in a search box; the next Esc (or
        # Esc anywhere else) leaves the browser. Leaving at once threw the typed filter away.
        box = self.query_one("#filter", Input)
        if self.focused is box and box.value:
            box.value = ""
            return
        self.dismiss()

    def action_practice(self) -> None:
        from studyvpc.study.quiz import Scope

        node = self.query_one("#browser-tree", Tree).cursor_node
        data = node.data if node is not None else None
        if data and data[0] == "note":
            self.app.start_quiz(Scope("note", data[1]))
        elif data and data[0] == "tag" and data[1]:
            self.app.start_quiz(Scope("tag", data[1]))
        else:
            self.app.start_quiz(None)

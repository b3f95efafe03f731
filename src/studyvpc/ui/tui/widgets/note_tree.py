"""The note browser's tree: the notes (all, or those matching the filter), then the tags with
the notes filed under each.

Built as it is looked at, so that showing a library or a filter's result costs about the
same with 20 notes or 20,000: a tag's row gets its children when it is opened, a list of
notes shows `PAGE` of them and a row that brings the next ones when the cursor reaches it,
and a new filter keeps the tree's rows (the list, the top-level tags) and changes their
labels and contents instead of building the tree again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.text import Text
from textual import on
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from studyvpc.content.browse import BrowseIndex, tag_name, tag_prefixes
from studyvpc.content.noteindex import NoteHead
from studyvpc.content.textutil import plural, visible
from studyvpc.ui.tui.widgets.content import note_title
from studyvpc.ui.tui.widgets.tags import TagTree

NodeData = tuple[str, str]
"""("note", note id), ("tag", tag path), ("untagged", ""), ("all", "") or ("more", "")."""

PAGE = 100
"""Notes a list shows at a time."""
EXPAND_ALL = 15
"""A filter with at most this many matches opens every tag (they are few rows)."""


def note_label(note: NoteHead) -> Text:
    return Text(note_title(note))


def more_label(count: int) -> Text:
    return Text(f"… {plural(count, 'more note')}", style="italic dim")


def tag_label(path: str, count: int) -> Text:
    return Text.assemble((visible(tag_name(path)) or "(empty)", "bold"), (f" ({count})", "dim"))


class NoteTree(TagTree):
    """Call `show` with the notes to show; rows are added as they are needed."""

    def __init__(self, index: BrowseIndex, *, id: str | None = None) -> None:
        super().__init__(Text("Notes"), id=id)
        self.show_root = False
        self.index = index
        self.rows_added = 0
        """Rows built since the tree was made (what a change of filter costs)."""
        self.relabelled = 0
        """Rows whose label was changed (a filter's other cost)."""
        self._relabelled = False
        self._list: TreeNode[NodeData] | None = None
        self._shown: Sequence[NoteHead] | None = None
        """The filter's matches (None: all notes)."""
        self._order: dict[str, int] | None = None
        """Each match's place, made when a tag is opened."""
        self._counts: Counter[str] | None = None
        self._more: dict[int, tuple[Sequence[NoteHead], int]] = {}

    # -- what is shown
    def show(self, notes: Sequence[NoteHead], title: str, filtered: bool) -> TreeNode[NodeData]:
        """Show ``notes`` (in this order) and the tags they are filed under; returns the row
        for the cursor (the first note, else the list's row)."""
        self._shown = notes if filtered else None
        self._order = None
        self._counts, untagged = (self.index.counts(notes) if filtered
                                  else (None, len(self.index.untagged)))
        self._more.clear()
        label = Text.assemble((title, "bold"), (f" ({len(notes)})", "dim"))
        if self._list is None:
            self._list = self._add(self.root, label, ("all", ""), expand=True)
            self._page(self._list, notes, 0)
        else:
            self._relabel(self._list, label)
            self._relist(self._list, notes)

        rows: list[tuple[NodeData, Text]] = []
        for path in self.index.children(None):
            count = self._count(path)
            if count:
                rows.append((("tag", path), tag_label(path, count)))
        if untagged:
            rows.append((("untagged", ""), Text.assemble(("(untagged)", "italic"),
                                                         (f" ({untagged})", "dim"))))
        self._reconcile(rows, expand=filtered and len(notes) <= EXPAND_ALL)
        if self._relabelled:
            self._relabelled = False
            self.refresh()  # the rows relabelled (the others' lines are drawn from the cache)
        children = self._list.children
        return children[0] if children else self._list

    def _reconcile(self, rows: list[tuple[NodeData, Text]], expand: bool) -> None:
        """The top-level tag rows become ``rows``: rows kept are the same nodes, emptied (their
        contents depend on the filter) and closed unless ``expand``."""
        root = self.root
        wanted = {data for data, _ in rows}
        for node in list(root.children):
            if node is not self._list and node.data not in wanted:
                node.remove()
        existing = {node.data: node for node in root.children if node is not self._list}
        for position, (data, label) in enumerate(rows, 1):
            node = existing.get(data)
            if node is None:
                node = self._add(root, label, data, before=position)
            else:
                self._relabel(node, label)
                if node.children:
                    node.remove_children()
                if node.is_expanded and not expand:
                    node.collapse()
            if expand:
                self.open(node, everything=True)

    def _count(self, path: str) -> int:
        if self._counts is not None:
            return self._counts[path]
        return len(self.index.under(path))

    def _pick(self, notes: Sequence[NoteHead]) -> Sequence[NoteHead]:
        """``notes`` that are shown, in the order shown."""
        if self._shown is None:
            return notes
        if self._order is None:  # when a tag is first opened: not each key's work
            self._order = {n.id: i for i, n in enumerate(self._shown)}
        order = self._order
        return sorted((n for n in notes if n.id in order), key=lambda n: order[n.id])

    # -- building rows
    def _relabel(self, node: TreeNode[NodeData], label: Text) -> None:
        """What `TreeNode.set_label` does, less the callback it queues to repaint the node's
        lines: a new filter relabels a page of rows, and those callbacks (a message each, its
        signature inspected each time) cost more than the labels. `show` repaints the tree
        once instead (its line cache is keyed on each node's count of updates). A row that
        shows the same keeps its count, so its line is not drawn again."""
        label = self.process_label(label)
        if label == node._label:
            return
        self.relabelled += 1
        self._relabelled = True
        node._label = label
        node._updates += 1

    def _add(self, parent: TreeNode[NodeData], label: Text, data: NodeData, *,
             expand: bool = False, leaf: bool = False,
             before: int | None = None) -> TreeNode[NodeData]:
        self.rows_added += 1
        if leaf:
            return parent.add_leaf(label, data, before=before)
        return parent.add(label, data, expand=expand, before=before)

    def _page(self, parent: TreeNode[NodeData], notes: Sequence[NoteHead], start: int) -> None:
        end = start + PAGE
        for note in notes[start:end]:
            self._add(parent, note_label(note), ("note", note.id), leaf=True)
        if len(notes) > end:
            more = self._add(parent, more_label(len(notes) - end), ("more", ""), leaf=True)
            self._more[more.id] = (notes, end)

    def _relist(self, parent: TreeNode[NodeData], notes: Sequence[NoteHead]) -> None:
        """``parent``'s rows (all leaves: notes and "… more") become the first page of
        ``notes``, its rows kept and relabelled: a new filter changes a page of labels
        instead of removing a page of rows and building another."""
        rows = list(parent.children)
        page = list(notes[:PAGE])
        wanted = len(page) + (len(notes) > PAGE)
        for node in rows[wanted:]:
            node.remove()
        for i, note in enumerate(page):
            if i < len(rows):
                if rows[i].data != ("note", note.id):  # (the same note: the same label)
                    rows[i].data = ("note", note.id)
                    self._relabel(rows[i], note_label(note))
            else:
                self._add(parent, note_label(note), ("note", note.id), leaf=True)
        if len(notes) > PAGE:
            label = more_label(len(notes) - PAGE)
            if len(rows) > PAGE:
                more = rows[PAGE]
                more.data = ("more", "")
                self._relabel(more, label)
            else:
                more = self._add(parent, label, ("more", ""), leaf=True)
            self._more[more.id] = (notes, PAGE)

    def _fill(self, node: TreeNode[NodeData], everything: bool = False) -> None:
        """Add a tag's rows (its child tags, then its notes) unless it has them."""
        kind, path = node.data or ("", "")
        if node.children or kind not in ("tag", "untagged"):
            return
        if kind == "untagged":
            self._page(node, self._pick(self.index.untagged), 0)
            return
        for child in self.index.children(path):
            count = self._count(child)
            if count:
                sub = self._add(node, tag_label(child, count), ("tag", child),
                                expand=everything)
                if everything:
                    self._fill(sub, everything=True)
        self._page(node, self._pick(self.index.at(path)), 0)

    def open(self, node: TreeNode[NodeData], everything: bool = False) -> None:
        """Fill and expand ``node`` (and, with ``everything``, every tag below it)."""
        self._fill(node, everything)
        if not node.is_expanded:
            node.expand()

    def reveal(self, path: str) -> TreeNode[NodeData] | None:
        """Open the tags down to ``path``; its row, or None when no note shown is under it."""
        node = self.root
        for prefix in tag_prefixes(path):
            node = next((c for c in node.children if c.data == ("tag", prefix)), None)
            if node is None:
                return None
            self.open(node)
        return node

    def show_more(self, node: TreeNode[NodeData]) -> TreeNode[NodeData] | None:
        """Replace a "… more" row by the next page of its list; the first row added."""
        notes, start = self._more.pop(node.id, ((), 0))
        parent = node.parent
        if parent is None or not notes:
            return None
        at = len(parent.children) - 1
        node.remove()
        self._page(parent, notes, start)
        return parent.children[at]

    # -- events
    @on(Tree.NodeExpanded)
    def _expanded(self, event: Tree.NodeExpanded) -> None:
        self._fill(event.node)

    @on(Tree.NodeHighlighted)
    @on(Tree.NodeSelected)
    def _reached(self, event: Tree.NodeHighlighted | Tree.NodeSelected) -> None:
        # The cursor on "… more" (moving down the list, End, a click) brings the next notes.
        if event.node.data == ("more", "") and event.node.id in self._more:
            first = self.show_more(event.node)
            if first is not None:
                self.call_after_refresh(self._land, first)

    def _land(self, node: TreeNode[NodeData]) -> None:
        self.move_cursor(node)
        self.post_message(Tree.NodeHighlighted(node))

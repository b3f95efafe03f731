"""Hierarchical tags (``service/lambda``) as a tree of paths, and the tree widget that shows them
(home and browser)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from studyvpc.ui.tui.widgets.glyphs import GUTTER, cursor_gutter


@dataclass
class TagNode:
    name: str
    """The last segment (``lambda``)."""
    path: str
    """The full tag (``service/lambda``)."""
    children: dict[str, TagNode] = field(default_factory=dict)

    def sorted_children(self) -> list[TagNode]:
        return [self.children[k] for k in sorted(self.children, key=str.casefold)]


def tag_tree(tags: Iterable[str]) -> TagNode:
    """A root node whose descendants are every tag and every prefix of one."""
    root = TagNode("", "")
    for tag in tags:
        node = root
        for part in tag.split("/"):
            path = f"{node.path}/{part}" if node.path else part
            node = node.children.setdefault(part, TagNode(part, path))
    return root


class TagTree(Tree):
    """A tree whose branches open and close with → and ←, as in a file manager.

    Textual's Tree toggles a branch with Space only; people browsing nested tags press →
    to open one and ← to close it (or to go up to its parent). The row under the cursor
    has the cursor mark in front of it, not only its colour.
    """

    BINDINGS = [
        Binding("right", "open_branch", "Open", show=False,
                tooltip="Open the highlighted branch, or go to its first child"),
        Binding("left", "close_branch", "Close", show=False,
                tooltip="Close the highlighted branch, or go to its parent"),
    ]

    def render_label(self, node: TreeNode, base_style: Style, style: Style) -> Text:
        label = super().render_label(node, base_style, style)
        return Text.assemble((cursor_gutter(node is self.cursor_node), base_style + style),
                             label)

    def get_label_width(self, node: TreeNode) -> int:
        """The cells `render_label` takes, counted without rendering it: Textual asks for every
        row's width each time rows are added (for the horizontal scroll), and rendering each
        label only to measure it cost more than drawing the rows on screen."""
        if node.allow_expand:
            icon = self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE
            return GUTTER + cell_len(icon) + node.label.cell_len
        return GUTTER + node.label.cell_len

    def action_open_branch(self) -> None:
        node = self.cursor_node
        if node is None or not node.allow_expand:
            return  # a leaf (a branch may have no rows yet: it adds them when opened)
        if not node.is_expanded:
            node.expand()
        elif node.children:
            self.move_cursor(node.children[0])

    def action_close_branch(self) -> None:
        node = self.cursor_node
        if node is None:
            return
        if node.children and node.is_expanded:
            node.collapse()
        elif node.parent is not None and (not node.parent.is_root or self.show_root):
            self.move_cursor(node.parent)

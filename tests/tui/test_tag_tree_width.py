"""The tag trees (home's, and the browser's notes) give Textual each row's width without
rendering the row's label, and the width is the one the rendered label takes: leaves and
branches, open and closed, the cursor's row and the others, Korean and emoji (two cells),
Rich markup shown literally."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import App, ComposeResult

from studyvpc.ui.tui.widgets.tags import TagTree

LABELS = ["lambda", "게이트웨이 엔드포인트", "🎯 target", "[b]not markup[/b]", "", "a" * 300]


class Trees(App[None]):
    def compose(self) -> ComposeResult:
        tree = TagTree(Text("Tags"))
        tree.show_root = False
        for i, label in enumerate(LABELS):
            branch = tree.root.add(Text(label), expand=i % 2 == 0)
            branch.add_leaf(Text(label + " leaf"))
            branch.add(Text(label + " closed"))  # a branch without rows yet
        tree.root.add_leaf(Text("untagged"))
        yield tree


def rendered_width(tree: TagTree, node) -> int:
    return tree.render_label(node, Style(), Style()).cell_len


def all_nodes(node):
    for child in node.children:
        yield child
        yield from all_nodes(child)


async def test_each_row_is_measured_as_wide_as_it_is_drawn():
    app = Trees()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tree = app.query_one(TagTree)
        nodes = list(all_nodes(tree.root))
        assert len(nodes) == 3 * len(LABELS) + 1
        for node in nodes:
            tree.move_cursor(node)  # the cursor's row too
            await pilot.pause()
            for each in nodes:
                assert tree.get_label_width(each) == rendered_width(tree, each), each.label
        assert max(tree.get_label_width(n) for n in nodes) > 300  # the long label counts
        assert tree.virtual_size.width >= 300


class Counting(TagTree):
    rendered = 0

    def render_label(self, node, base_style, style):
        Counting.rendered += 1
        return super().render_label(node, base_style, style)


class Long(App[None]):
    def compose(self) -> ComposeResult:
        tree = Counting(Text("Notes"))
        tree.show_root = False
        yield tree

    def on_mount(self) -> None:
        branch = self.query_one(Counting).root.add(Text("All notes"), expand=True)
        for i in range(2000):
            branch.add_leaf(Text(f"note {i}"))


async def test_rows_off_screen_are_not_rendered_to_be_measured():
    """A list of 2,000 notes in a 24-line terminal: the rows drawn are rendered, the others
    only measured."""
    Counting.rendered = 0
    app = Long()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tree = app.query_one(Counting)
        assert tree.virtual_size.height == 2001
        assert 0 < Counting.rendered <= 3 * 24

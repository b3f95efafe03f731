"""What keeps the note browser quick in a large library (counted, not timed): the tree is built
as it is looked at, a filter keeps its rows, and opening a note reads no other note."""

from __future__ import annotations

from contextlib import asynccontextmanager

from shell_support import screen_name, widget_text
from textual.widgets import Input

import studyvpc.content.library as library
from studyvpc.content.library import Library
from studyvpc.content.model import Note, Option, Question, Section
from studyvpc.content.results import LoadResult
from studyvpc.ui.tui.app import make_app
from studyvpc.ui.tui.widgets.note_tree import PAGE, NoteTree

COUNT = 2 * PAGE + 50
WORDS = ("lambda", "subnet", "bucket", "gateway", "endpoint")


def big_note(i: int) -> Note:
    word = WORDS[i % len(WORDS)]
    nid = f"n{i:03}"
    return Note(
        id=nid, title=f"Note {i:03} {word}", tags=(f"t{i % 4}/s{i % 6}", f"t{i % 4}/s{i % 6}/x{i % 3}"),
        sections=(Section("s", f"about {word} and [[n{(i + 1) % COUNT:03}]]"),),
        questions=(Question(id=f"{nid}-q1", stem=f"{word}?", note_id=nid,
                            options=(Option("A", "yes", True, "w"), Option("B", "no", False, "w"))),))


def big_app():
    return make_app(LoadResult(Library(tuple(big_note(i) for i in range(COUNT)))), seed=1)


def tree_of(app) -> NoteTree:
    return app.screen.query_one(NoteTree)


def tops(tree: NoteTree) -> dict:
    return {node.data: node for node in tree.root.children}


@asynccontextmanager
async def browsing(size: tuple[int, int] = (80, 24)):
    """The big library's app with the browser open: (app, pilot, the browser's tree)."""
    app = big_app()
    async with app.run_test(size=size) as pilot:
        app.browse()
        await pilot.pause()
        yield app, pilot, tree_of(app)


async def test_the_browser_builds_one_page_of_notes_and_the_top_level_tags():
    async with browsing() as (app, pilot, tree):
        rows = tops(tree)
        assert set(rows) == {("all", "")} | {("tag", f"t{i}") for i in range(4)}
        listed = rows[("all", "")].children
        assert len(listed) == PAGE + 1 and listed[-1].data == ("more", "")
        assert all(not rows[("tag", f"t{i}")].children for i in range(4))  # made when opened
        assert tree.rows_added == len(rows) + PAGE + 1


async def test_opening_a_tag_builds_its_rows_only():
    async with browsing() as (app, pilot, tree):
        before = tree.rows_added
        t1 = tops(tree)[("tag", "t1")]
        t1.expand()
        await pilot.pause()
        assert [n.data for n in t1.children] == [("tag", "t1/s1"), ("tag", "t1/s3"),
                                                 ("tag", "t1/s5")]
        assert tree.rows_added - before == 3
        assert str(t1.label) == f"t1 ({sum(1 for i in range(COUNT) if i % 4 == 1)})"


async def test_typing_keeps_the_rows_and_builds_at_most_a_page():
    async with browsing() as (app, pilot, tree):
        first = tops(tree)
        await pilot.press("slash")
        for typed in ("n", "no", "not", "note 0", "note 012"):
            before = tree.rows_added
            app.screen.query_one("#filter", Input).value = typed
            await pilot.pause()
            rows = tops(tree)
            assert rows[("all", "")] is first[("all", "")]
            kept = set(rows) & set(first)
            assert all(rows[data] is first[data] for data in kept), typed
            assert tree.rows_added - before <= PAGE + 1 + len(rows), typed
        # Note 012, then the note that links to it: few enough to open every tag they are under.
        matches = [n.data[1] for n in rows[("all", "")].children]
        assert matches == ["n012", "n011"]
        assert all(node.is_expanded for data, node in rows.items() if data[0] == "tag")


async def test_a_filter_relabels_the_rows_of_the_list_instead_of_building_them():
    async with browsing() as (app, pilot, tree):
        listed = tops(tree)[("all", "")]
        page = list(listed.children)
        await pilot.press("slash")
        for typed in ("note", "n0", "note 01"):
            found = [n.id for n in app.library.search(typed)]
            before = tree.rows_added
            app.screen.query_one("#filter", Input).value = typed
            await pilot.pause()
            rows = listed.children
            assert all(a is b for a, b in zip(rows, page)), typed  # the same rows, relabelled
            assert tree.rows_added == before, typed  # fewer matches: no row built
            shown = [n.data[1] for n in rows if n.data[0] == "note"]
            assert shown == found[:PAGE], typed
            assert [str(n.label) for n in rows if n.data[0] == "note"] == [
                f"Note {i[1:]} {WORDS[int(i[1:]) % len(WORDS)]}" for i in shown]
            assert (rows[-1].data == ("more", "")) == (len(found) > PAGE), typed
        assert len(shown) < PAGE
        before = tree.rows_added
        app.screen.query_one("#filter", Input).value = ""
        await pilot.pause()
        assert tree.rows_added - before == PAGE + 1 - len(shown)  # only the rows it lacked


async def test_the_row_after_a_page_brings_the_next_page():
    async with browsing() as (app, pilot, tree):
        listed = tops(tree)[("all", "")]
        tree.move_cursor(listed.children[-1])  # "… 150 more notes"
        await pilot.pause()
        await pilot.pause()
        assert [n.data[1] for n in listed.children[PAGE:PAGE + 2]] == ["n100", "n101"]
        assert len(listed.children) == 2 * PAGE + 1 and listed.children[-1].data[0] == "more"
        assert tree.cursor_node is listed.children[PAGE]


async def test_keys_typed_together_are_shown_once():
    async with browsing() as (app, pilot, tree):
        shown = []
        real = tree.show
        tree.show = lambda notes, title, filtered: shown.append(len(notes)) or real(
            notes, title, filtered)
        box = app.screen.query_one("#filter", Input)
        for typed in ("g", "ga", "gat", "gate"):
            box.value = typed
        await pilot.pause()
        assert shown == [COUNT // len(WORDS)]
        assert box.value == "gate"


async def test_keys_that_keep_the_first_match_keep_its_preview():
    async with browsing((120, 30)) as (app, pilot, _):  # the preview beside the tree
        lib = app.library
        asked = []
        real = lib.get_note
        lib.get_note = lambda note_id: asked.append(note_id) or real(note_id)
        await pilot.press("slash")
        box = app.screen.query_one("#filter", Input)
        for typed in ("note 012", "note 012 ", "note 012 b", "note 012 bu"):
            box.value = typed
            await pilot.pause()
            await pilot.pause()
        # n012 is the first match of each: its note is read once.
        preview = app.screen.query_one("#preview")
        assert "Note 012 bucket" in widget_text(preview)
        assert asked == ["n012"]
        box.value = "note 013"
        await pilot.pause()
        await pilot.pause()
        assert asked == ["n012", "n013"] and "Note 013" in widget_text(preview)


async def test_opening_notes_reads_the_other_notes_once(monkeypatch):
    reads = []
    real = library.link_positions
    monkeypatch.setattr(library, "link_positions", lambda n, *a: reads.append(n) or real(n, *a))
    app = big_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_note("n005")
        await pilot.pause()
        assert screen_name(app) == "NoteScreen"
        assert [e.note.id for e in app.screen.view.links if e.kind == "backlink"] == ["n004"]
        once = len(reads)
        assert once == COUNT  # the backlinks: every note's links, once
        for other in ("n006", "n100", "n249"):
            await pilot.press("escape")
            app.open_note(other)
            await pilot.pause()
            assert app.screen.note.id == other
        assert len(reads) == once


async def test_a_filter_relabels_its_rows_without_a_callback_per_row():
    # Textual's `TreeNode.set_label` queues a repaint callback per node (a message, its
    # signature inspected each time): a page of them per key cost more than the labels.
    async with browsing() as (app, pilot, tree):
        queued = []
        real = tree.call_later
        tree.call_later = lambda *a, **k: queued.append(a[0]) or real(*a, **k)
        await pilot.press("slash")
        for typed in ("note", "n0", "note 01"):
            app.screen.query_one("#filter", Input).value = typed
            await pilot.pause()
        mine = [c for c in queued if not getattr(c, "__qualname__", "").startswith("Pilot.")]
        assert len(mine) <= 3, len(mine)  # not one per row relabelled (3 pages of them)
        assert tree.relabelled > 0
        rows = tops(tree)[("all", "")].children
        assert [str(n.label) for n in rows[:3]] == [n.title for n in app.library.search(typed)[:3]]


async def test_a_key_that_keeps_the_matches_relabels_no_row():
    # Typing on often keeps the same matches (lambd, lambda): their rows keep their lines,
    # drawn from the tree's cache instead of drawn again.
    async with browsing() as (app, pilot, tree):
        await pilot.press("slash")
        box = app.screen.query_one("#filter", Input)
        box.value = "lambd"
        await pilot.pause()
        before = tree.relabelled
        updates = [n._updates for n in tops(tree)[("all", "")].children[1:]]  # (not the cursor's)
        box.value = "lambda"
        await pilot.pause()
        assert tree.relabelled == before
        assert [n._updates for n in tops(tree)[("all", "")].children[1:]] == updates
        assert "50 of 250 notes match lambda" in str(app.screen.query_one("#browser-count").content)


async def test_the_browsers_first_frame_has_its_wide_layout_and_the_first_notes_preview():
    from studyvpc.ui.tui.screens.browser import BrowserScreen

    first_frame: dict = {}

    class Probe(BrowserScreen):
        def on_mount(self) -> None:  # runs before BrowserScreen's: its callback comes first
            self.call_after_refresh(self.look)

        def look(self) -> None:
            first_frame.update(wide=self.has_class("-wide"),
                               preview=widget_text(self.query_one("#preview")),
                               shown=self.query_one("#browser-preview").display)

    from textual.screen import Screen

    app = big_app()
    async with app.run_test(size=(120, 30)) as pilot:
        shown, mounted = [], []
        real, real_mount = BrowserScreen._show_preview, Screen._on_mount
        BrowserScreen._show_preview = lambda self, data: shown.append(data) or real(self, data)
        # Textual's own mount handler, the last to run: the class is there by then, before
        # any resize (in a real terminal the first resize comes after the first frame).
        Screen._on_mount = lambda self, event: (mounted.append(self.has_class("-wide")),
                                                real_mount(self, event))
        try:
            app.push_screen(Probe())
            await pilot.pause()
            await pilot.pause()
        finally:
            BrowserScreen._show_preview, Screen._on_mount = real, real_mount
        assert mounted == [True]
        # The preview of the first note is in the first frame, beside the tree.
        assert first_frame["wide"] and first_frame["shown"]
        assert "Note 000" in first_frame["preview"]
        # The tree's first line, highlighted as the tree fills, never replaced the preview.
        assert {data for data in shown} == {("note", "n000")}
        assert "Note 000" in widget_text(app.screen.query_one("#preview"))

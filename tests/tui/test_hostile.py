"""Hostile content: markup, escape sequences and odd Unicode show literally and crash nothing.

Every string of the shared hostile-strings.json (tests/fixtures/shared) goes into every field of a note
(title, aliases, tags, key point, sections, flow steps and arrow labels, layers, trade-off
cells, concepts, scenarios, caveats, see_also, a question) built directly from the model,
so the test exercises the presenters, not the loader's own checks.
"""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from shell_support import HOSTILE, note_opened, screen_name, table_cells, widget_text
from textual.command import CommandList
from textual.widgets import Tree

from studyvpc.content.library import Library
from studyvpc.content.results import LoadResult
from studyvpc.content.model import (
    Caveat, Component, Concept, Flow, FlowStep, Layer, Location, Note, Option, Question,
    Reference, Scenario, Section, TradeOff,
)
from studyvpc.content.textutil import one_line
from studyvpc.content.results import ContentError
from studyvpc.ui.tui.app import make_app
from studyvpc.ui.tui.screens.errors import ErrorsScreen
from studyvpc.ui.tui.screens.note import NoteScreen
from studyvpc.ui.tui.widgets.flow import FlowDiagram
from studyvpc.ui.tui.widgets.tradeoffs import TradeOffTable

STRINGS: list[tuple[str, str]] = [(e["name"], e["text"])
                                  for e in json.loads(HOSTILE.read_text(encoding="utf-8"))]
MARKUP = "[bold red]not bold[/bold red]"
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def squash(text: str) -> str:
    """Without whitespace: compares text regardless of where it wrapped."""
    return "".join(text.split())


def flow_parts(text: str) -> tuple[list[str], list[str]]:
    """A drawn flow's box contents and arrow labels, each re-joined across its lines."""
    boxes: list[str] = []
    labels: list[str] = []
    box: list[str] | None = None
    label: list[str] = []
    for raw in text.splitlines():
        s = raw.strip()
        if s.startswith("┌"):
            box = []
        elif s.startswith("└") and box is not None:
            boxes.append(" ".join(box))
            box = None
        elif box is not None:
            box.append(s[1:-1].strip())
        elif s.startswith("│"):
            label.append(s[1:].strip())
        elif s == "▼":
            labels.append(" ".join(x for x in label if x))
            label = []
    return boxes, labels


def hostile_note(i: int, s: str) -> Note:
    question = Question(
        id=f"h{i}-q1", stem=s or "stem", note_id=f"h{i}", explanation=s,
        options=(Option("A", s or "a", True, s or "why"), Option("B", "b", False, s or "why")))
    return Note(
        id=f"h{i}", title=s, key_point=s, aliases=(s,), tags=(s, f"x/{s}"),
        created=date(2025, 1, 1), sections=(Section(s, s),),
        flow=Flow((FlowStep(s), FlowStep("B " + s, arrow=s), FlowStep("end", arrow="→")), s),
        layers_title=s, layers=(Layer(s, (Component(s, s),)),),
        tradeoffs_title=s, tradeoffs=(TradeOff(s, (s,), (s,)), TradeOff("other", ("p",), (s,))),
        concepts_title=s, concepts=(Concept(s, s),), scenarios_title=s,
        scenarios=(Scenario(s, s),), caveats=(Caveat(s, about=s, references=(Reference(s, s),)),),
        see_also=("missing " + s,), questions=(question,))


def hostile_app():
    notes = tuple(hostile_note(i, s) for i, (_, s) in enumerate(STRINGS))
    return make_app(LoadResult(Library(notes)), seed=1)


def note_text(screen) -> str:
    return widget_text(screen.query_one("#note-view"))


@pytest.mark.parametrize("index", range(len(STRINGS)), ids=[name for name, _ in STRINGS])
async def test_every_field_of_a_hostile_note_renders_literally(index):
    name, s = STRINGS[index]
    app = hostile_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await note_opened(pilot, f"h{index}")
        assert isinstance(app.screen, NoteScreen)
        text = note_text(app.screen)
        assert not RAW_CONTROL.search(text), "a control character reached the screen"
        flat = one_line(s)
        title = widget_text(app.screen.query_one("#note-title"))
        assert squash(title) == squash(flat or f"h{index}")
        boxes, labels = flow_parts(widget_text(app.screen.query_one(FlowDiagram)))
        assert [squash(b) for b in boxes] == [squash(flat), squash("B " + flat), "end"]
        assert [squash(lb) for lb in labels] == [squash(flat), "→"]
        header, pros, cons = table_cells(widget_text(app.screen.query_one(TradeOffTable)))
        assert [squash(c) for c in header[-2:]] == [squash(flat), "other"]
        assert [squash(c) for c in pros[-2:]] == [squash("+" + flat), "+p"]
        assert [squash(c) for c in cons[-2:]] == [squash("−" + flat)] * 2
        if flat:
            meta = widget_text(app.screen.query_one("#note-meta"))
            assert squash(flat) in squash(meta)  # alias and tags
        # Scroll the whole note through the screen and come back: nothing may crash.
        # (No animation: Pilot would wait for it in real time.)
        view = app.screen.query_one("#note-view")
        view.scroll_end(animate=False)
        await pilot.pause()
        view.scroll_home(animate=False)
        await pilot.press("tab", "escape")
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"


async def test_markup_is_shown_as_characters_everywhere():
    index = next(i for i, (_, s) in enumerate(STRINGS) if s == MARKUP)
    app = hostile_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await note_opened(pilot, f"h{index}")
        screen = app.screen
        assert widget_text(screen.query_one("#note-title")) == MARKUP
        assert MARKUP in widget_text(screen.query_one("#note-key-point"))  # Markdown field
        flow = widget_text(screen.query_one(FlowDiagram))
        assert f"│ {MARKUP} │" in flow.replace("  ", " ").replace("  ", " ") or MARKUP in flow
        assert f"│  {MARKUP}" in flow  # the arrow label, beside its arrow
        table = widget_text(screen.query_one(TradeOffTable))
        assert f"+ {MARKUP}" in table and f"− {MARKUP}" in table
        assert MARKUP in widget_text(screen.query_one(".caveat"))
        assert f"#{MARKUP}" in widget_text(screen.query_one("#note-meta"))
        # see_also to a note that does not exist: listed, marked, not followable.
        links = widget_text(screen.query_one("#note-links"))
        assert f"✗ missing {MARKUP}" in links and "not in the library" in links
        await pilot.press("1")
        await pilot.pause()
        assert app.screen is screen


@pytest.mark.slow
async def test_escape_sequences_never_reach_the_terminal():
    app = hostile_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for i, (name, s) in enumerate(STRINGS):
            if not RAW_CONTROL.search(s):
                continue
            await note_opened(pilot, f"h{i}")
            text = note_text(app.screen)
            assert not RAW_CONTROL.search(text), name
            if "\x1b" in s:
                assert "␛" in widget_text(app.screen.query_one("#note-title")), name
            await pilot.press("escape")
            await pilot.pause()


async def test_actions_in_content_do_not_run():
    index = next(i for i, (_, s) in enumerate(STRINGS) if s.startswith("[@click"))
    app = hostile_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await note_opened(pilot, f"h{index}")
        title = app.screen.query_one("#note-title")
        assert widget_text(title) == "[@click=app.quit]quit[/]"
        await pilot.click(title)
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, NoteScreen)


async def test_hostile_tags_titles_in_home_browser_and_palette():
    app = hostile_app()
    async with app.run_test(size=(80, 24)) as pilot:
        home_tree = app.screen.query_one("#home-tags", Tree)
        assert any(n.label.plain.startswith("[bold red]not bold[") for n in home_tree.root.children)
        await pilot.press("b")
        await pilot.pause()
        tree = app.screen.query_one("#browser-tree", Tree)
        titles = [n.label.plain for n in tree.root.children[0].children]
        assert MARKUP in titles and "[/]" in titles
        assert not any(RAW_CONTROL.search(t) for t in titles)
        await pilot.press("slash", *"not bold")
        await pilot.pause()
        titles = [n.label.plain for n in tree.root.children[0].children]
        assert titles[0] == MARKUP
        await pilot.press("escape", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"not bold")
        for _ in range(50):
            await pilot.pause()
            hits = app.screen.query(CommandList)
            if hits and hits.first().option_count:
                break
        prompts = [str(hits.first().get_option_at_index(i).prompt)
                   for i in range(hits.first().option_count)]
        assert any(MARKUP in p for p in prompts)
        await pilot.press("escape")


async def test_error_messages_are_shown_literally():
    errors = [ContentError(Location(f"notes/{s[:20]}.yaml", 3, 5), s) for _, s in STRINGS]
    app = make_app(LoadResult(Library(()), errors))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ErrorsScreen)
        text = widget_text(app.screen.query_one("#errors"))
        assert MARKUP in text and "[@click=app.quit]quit[/]" in text
        assert not RAW_CONTROL.search(text)


async def test_html_and_markup_in_markdown_fields_show_literally():
    app = hostile_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for s in ("<script>alert(1)</script>", MARKUP, "[link=https://example.invalid]click[/link]"):
            index = next(i for i, (_, t) in enumerate(STRINGS) if t == s)
            await note_opened(pilot, f"h{index}")
            assert s in widget_text(app.screen.query_one("#note-key-point"))
            section = widget_text(app.screen.query_one(".markdown"))
            assert s in section
            assert s in widget_text(app.screen.query_one(".caveat"))
            await pilot.press("escape")
            await pilot.pause()


async def test_tag_trees_show_escape_sequences_as_symbols():
    """Home's "By tag" tree and the browser's tag tree: a tag with escape sequences (a model
    built directly, as a tampered cache could give it) never sends them to the terminal."""
    def labels(tree: Tree) -> list[str]:
        out, stack = [], list(tree.root.children)
        while stack:
            node = stack.pop()
            out.append(node.label.plain)
            stack.extend(node.children)
        return out

    app = hostile_app()
    async with app.run_test(size=(80, 24)) as pilot:
        home = labels(app.screen.query_one("#home-tags", Tree))
        assert any("␛" in t for t in home) and not any(RAW_CONTROL.search(t) for t in home)
        await pilot.press("b")
        await pilot.pause()
        browser = labels(app.screen.query_one("#browser-tree", Tree))
        assert any("␛" in t for t in browser)
        assert not any(RAW_CONTROL.search(t) for t in browser)

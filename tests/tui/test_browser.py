"""The note browser, the note view and link navigation, driven with Pilot."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from shell_support import (
    CONTENT, SHELL_FIXTURES, load, note_laid_out, note_opened, screen_name, table_cells,
    widget_text,
)
from support.screen import once_drawn
from textual.command import CommandList
from textual.widgets import Input, ListView, Tree

from studyvpc.study.quiz import Scope
from studyvpc.ui.tui.app import make_app
from studyvpc.ui.tui.screens.browser import BrowserScreen
from studyvpc.ui.tui.screens.note import NoteScreen
from studyvpc.ui.tui.widgets.flow import FlowDiagram
from studyvpc.ui.tui.widgets.tradeoffs import TradeOffTable

SEED = "lambda-vpc-s3-security"


def shell_app(**kw):
    return make_app(load(SHELL_FIXTURES), seed=1, **kw)


def seed_app():
    # The whole deck: the seed links to notes other writers add; if one is still missing,
    # the loader reports it and the app shows the error screen first, which Esc dismisses.
    return make_app(load(CONTENT), seed=1)


async def dismiss_errors(pilot) -> None:
    if screen_name(pilot.app) == "ErrorsScreen":
        await pilot.press("escape")
        await pilot.pause()


def match_ids(screen) -> list[str]:
    """The notes under the tree's first node ("All notes" / "Matches")."""
    tree = screen.query_one("#browser-tree", Tree)
    first = tree.root.children[0]
    return [child.data[1] for child in first.children]


async def palette_shows(pilot, text: str) -> None:
    """Wait (by pausing, not by time) until the palette's first hit shows ``text``."""
    for _ in range(50):  # the palette searches in a worker
        await pilot.pause()
        hits = pilot.app.screen.query(CommandList)
        if hits and hits.first().option_count:
            if text in str(hits.first().get_option_at_index(0).prompt):
                return
    raise AssertionError(f"the command palette did not show {text!r}")


async def filter_for(pilot, text: str) -> None:
    await pilot.press("slash")
    pilot.app.screen.query_one("#filter", Input).value = text
    await pilot.pause()


async def test_browse_to_the_seed_note_and_see_flow_and_tradeoffs():
    app = seed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await dismiss_errors(pilot)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        await pilot.press("slash", *"lambda-vpc-s3")
        await pilot.pause()
        tree = app.screen.query_one("#browser-tree", Tree)
        assert tree.cursor_node.data == ("note", SEED)  # the first match is highlighted
        await pilot.press("enter")  # Enter in the filter opens it
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen) and app.screen.note.id == SEED
        assert await once_drawn(pilot, lambda: note_laid_out(app.screen))

        flow = widget_text(app.screen.query_one(FlowDiagram))
        for step in ("외부 데이터 소스", "Lambda Function (VPC 내부)",
                     "VPC Endpoint (Gateway Type)", "S3 Bucket (VPC Endpoint만 허용)"):
            assert step in flow
        assert flow.count("┌") == 4 and flow.count("▼") == 3
        lines = flow.splitlines()
        # Each label sits beside its arrow, on the arrow's own line.
        assert any(ln.strip() == "│  실시간 ML 처리" for ln in lines)
        assert any(ln.strip() == "│  AWS 백본 네트워크" for ln in lines)
        # Korean counts two cells: every box line has the same width as its top border.
        boxes = [ln for ln in lines if ln.startswith(("┌", "│ ", "└"))]
        assert len({cell_len(ln) for ln in boxes}) == 1

        table = widget_text(app.screen.query_one(TradeOffTable))
        header, pros, cons = table_cells(table)
        assert header[1:] == ["VPC Endpoint", "대안 (퍼블릭 연결)"]  # side by side
        assert pros[0] == "Pros" and cons[0] == "Cons"
        assert pros[1] == ("+ 완전한 네트워크 격리로 데이터 보안 강화 + AWS 내부 네트워크 사용으로 "
                           "안정적인 성능 + 인터넷 게이트웨이 불필요로 공격 표면 축소 + 실시간 "
                           "데이터 처리 중 외부 노출 차단")
        assert pros[2] == "+ 구성 단순함 + 빠른 배포 가능"
        assert cons[1] == ("− 추가 네트워크 구성 복잡성 − VPC 내 Lambda는 콜드 스타트 시간 증가 "
                           "가능 − 디버깅 시 네트워크 추적 어려움")
        assert cons[2] == ("− 데이터가 인터넷을 통해 전송되어 보안 위험 − 네트워크 지연 및 불안정성 "
                           "− 규정 준수 요구사항 충족 어려움")


async def test_filter_finds_notes_by_korean_word_and_by_alias():
    app = seed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await dismiss_errors(pilot)
        await pilot.press("b")
        await filter_for(pilot, "백본")  # body text of the seed, in Korean
        assert SEED in match_ids(app.screen)
        await filter_for(pilot, "secure-lambda")  # an alias of the seed
        assert match_ids(app.screen)[0] == SEED
        await filter_for(pilot, "zzz-no-such-thing")
        assert match_ids(app.screen) == []
        assert "nothing found" in widget_text(app.screen.query_one("#browser-count"))
        await filter_for(pilot, "")
        assert len(match_ids(app.screen)) == len(app.library.notes)


async def test_filter_by_korean_alias_and_typing_in_the_filter():
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b", "slash", *"게이트웨이")
        await pilot.pause()
        assert app.screen.query_one("#filter", Input).value == "게이트웨이"
        assert match_ids(app.screen) == ["shell-gateway"]
        # Letters typed into the filter are text, not screen keys (p does not start a quiz).
        await pilot.press("space", "p")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)


async def test_tree_groups_notes_by_tag_path():
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("b")
        await pilot.pause()
        tree = app.screen.query_one("#browser-tree", Tree)
        tops = {n.data: n for n in tree.root.children}
        assert set(tops) == {("all", ""), ("tag", "security"), ("tag", "service")}
        # A tag's rows are made when it is opened.
        assert not tops[("tag", "service")].children

        async def opened(node):
            node.expand()
            await pilot.pause()
            return node.children

        service = {n.data: n for n in await opened(tops[("tag", "service")])}
        assert set(service) == {("tag", "service/s3"), ("tag", "service/vpc")}
        s3 = service[("tag", "service/s3")]
        assert [n.data for n in await opened(s3)] == [("note", "shell-gateway")]
        # A note appears under each of its tags.
        endpoint = (await opened(tops[("tag", "security")]))[0]
        assert {n.data[1] for n in await opened(endpoint)} == {"shell-gateway", "shell-interface"}


async def test_follow_a_link_by_number_and_go_back():
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await note_opened(pilot, "shell-gateway")
        view = app.screen
        body = "\n".join(widget_text(w) for w in view.query(".markdown"))
        assert "인터페이스 노트 [1]" in body  # [[shell-interface|인터페이스 노트]]
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen) and app.screen.note.id == "shell-interface"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is view
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("backspace")
        await pilot.pause()
        assert app.screen is view


async def test_follow_a_link_from_the_list_and_see_backlinks():
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await note_opened(pilot, "shell-interface")
        links = app.screen.query_one("#note-links", ListView)
        assert "S3 Gateway Endpoint 경로" in widget_text(links)
        backlinks = app.screen.query_one("#note-backlinks", ListView)
        assert "← S3 Gateway Endpoint 경로" in widget_text(backlinks)
        await pilot.press("l")
        await pilot.pause()
        assert links.has_focus
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.note.id == "shell-gateway"
        await pilot.press("q")
        await pilot.pause()
        assert app.screen.note.id == "shell-interface"
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"


async def test_note_view_parts():
    app = shell_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await note_opened(pilot, "gw-path")  # by alias
        s = app.screen
        assert widget_text(s.query_one("#note-title")) == "S3 Gateway Endpoint 경로"
        meta = widget_text(s.query_one("#note-meta"))
        assert "gw-path · 게이트웨이 경로" in meta and "#service/s3" in meta
        assert "created 2025-01-02 · modified 2025-01-03" in meta
        key_point = widget_text(s.query_one("#note-key-point"))
        assert "Key point" in key_point and key_point.startswith("╭")
        assert "route table에 S3 prefix list 경로를 추가해" in key_point
        caveat = widget_text(s.query_one(".caveat"))
        assert "⚠ 주의 / Caveat" in caveat
        assert "“Gateway endpoint에 security group을 붙인다”" in caveat
        assert "https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-s3.html" in caveat
        layers = widget_text(s.query_one("#note-layers"))
        assert "네트워크" in layers and "• Route table" in layers
        assert "Prefix list" in widget_text(s.query_one("#note-concepts"))
        assert "사설 배치 처리" in widget_text(s.query_one("#note-scenarios"))
        questions = widget_text(s.query_one("#note-questions"))
        assert "1. A company wants instances in a private subnet" in questions
        assert "press p" in questions.lower()


async def test_practise_this_note_and_the_palette(monkeypatch):
    app = shell_app()
    calls = []
    async with app.run_test(size=(80, 24)) as pilot:
        monkeypatch.setattr(app, "start_quiz", lambda scope=None: calls.append(scope))
        await note_opened(pilot, "shell-gateway")
        await pilot.press("p")
        assert calls == [Scope("note", "shell-gateway")]
        await pilot.press("escape")
        await pilot.pause()
        # The command palette finds a note by alias and opens it.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"if-endpoint")
        await palette_shows(pilot, "Interface Endpoint 기초")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen) and app.screen.note.id == "shell-interface"


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (60, 20)])
async def test_flow_and_table_fit_the_width(size):
    app = seed_app()
    async with app.run_test(size=size) as pilot:
        await dismiss_errors(pilot)
        await note_opened(pilot, SEED)
        for widget in (app.screen.query_one(FlowDiagram), app.screen.query_one(TradeOffTable)):
            text = widget_text(widget)
            assert max(cell_len(ln) for ln in text.splitlines()) <= widget.size.width


async def test_opened_at_a_tag_the_tag_and_its_notes_are_in_view():
    # From home, Enter on "cost": the browser's "All notes" list comes first, so "cost" sat
    # on the bottom line at 80x24 with every note under it below the screen.
    app = seed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await dismiss_errors(pilot)
        app.browse(tag="cost")
        await pilot.pause()
        await pilot.pause()
        tree = app.screen.query_one("#browser-tree", Tree)
        node = tree.cursor_node
        assert node.data == ("tag", "cost") and node.is_expanded
        top, height = tree.scroll_y, tree.scrollable_content_region.height
        assert top <= node.line < top + height
        last_child = node.children[-1]
        assert last_child.line < top + height, "the tag's children are below the screen"


async def test_note_question_list_shows_links_as_their_labels(tmp_path):
    text = (SHELL_FIXTURES / "shell-interface.yaml").read_text(encoding="utf-8").replace(
        "stem: Which endpoint type places",
        "stem: After reading [[shell-gateway|the gateway note]], which **endpoint** type places")
    (tmp_path / "shell-interface.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "shell-gateway.yaml").write_text(
        (SHELL_FIXTURES / "shell-gateway.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    result = load(tmp_path)
    assert result.ok, result.errors
    app = make_app(result, seed=1)
    async with app.run_test(size=(100, 30)) as pilot:
        await note_opened(pilot, "shell-interface")
        listed = " ".join(widget_text(app.screen.query_one("#note-questions")).split())
        assert "After reading the gateway note, which endpoint type places" in listed
        assert "[[" not in listed and "**" not in listed


async def test_escape_in_the_filter_clears_it_before_leaving():
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.browse()
        await pilot.pause()
        await pilot.press("slash", *"if-endpoint")
        await pilot.pause()
        box = app.screen.query_one("#filter", Input)
        assert box.value == "if-endpoint" and match_ids(app.screen) == ["shell-interface"]
        await pilot.press("escape")  # clears the filter: every note again, still browsing
        await pilot.pause()
        assert screen_name(app) == "BrowserScreen" and box.value == ""
        assert sorted(match_ids(app.screen)) == ["shell-gateway", "shell-interface"]
        await pilot.press("escape")  # nothing left to clear: back home
        await pilot.pause()
        assert screen_name(app) == "HomeScreen"


@pytest.mark.slow
async def test_links_past_nine_are_followed_from_the_list():
    # The seed note lists more than nine links: 1-9 follow the first nine, the hint says so,
    # and the tenth is followed from the list (l, then down to it, Enter).
    app = seed_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await dismiss_errors(pilot)
        await note_opened(pilot, SEED)
        view = app.screen.view
        assert len(view.links) > 9
        hint = " ".join(widget_text(app.screen.query_one("#note-links-hint")).split())
        assert "its number (1–9)" in hint and "l to go to the list" in hint
        tenth = view.entry(10)
        await pilot.press("l")
        await pilot.pause()
        lists = list(app.screen.query(ListView))
        for _ in range(9):
            await pilot.press("tab" if app.screen.focused is lists[0]
                              and lists[0].index == len(lists[0].children) - 1 else "down")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert screen_name(app) == "NoteScreen" and app.screen.note is tenth.note


async def test_the_preview_follows_the_first_match_of_a_filter():
    app = shell_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("b")
        preview = app.screen.query_one("#preview")
        assert "Interface Endpoint 기초" in await once_drawn(pilot, lambda: widget_text(preview))
        # The cursor stays on the list's first row while the row's note changes: the
        # preview shows the note now there, not the one the row held before the filter.
        await pilot.press("slash", *"게이트웨이")
        shown = await once_drawn(pilot, lambda: widget_text(preview),
                                 lambda text: "S3 Gateway Endpoint 경로" in text)
        assert "S3 Gateway Endpoint 경로" in shown and "Interface Endpoint" not in shown, shown

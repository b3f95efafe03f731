"""Home screen, help, themes, and starting with an empty or broken library."""

from __future__ import annotations

from shell_support import SHELL_FIXTURES, load, screen_name, widget_text
from support.screen import once_drawn
from textual.widgets import Tree

from studyvpc.content.results import LoadResult
from studyvpc.ui.tui.app import make_app
from studyvpc.ui.tui.screens.browser import BrowserScreen
from studyvpc.ui.tui.screens.errors import ErrorsScreen
from studyvpc.ui.tui.screens.help import HelpScreen
from studyvpc.ui.tui.screens.home import HomeScreen


def shell_app(**kw):
    return make_app(load(SHELL_FIXTURES), seed=1, **kw)


async def test_home_shows_the_library_by_tag():
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        summary = widget_text(app.screen.query_one("#home-summary"))
        assert "2 notes · 2 questions" in summary
        tree = app.screen.query_one("#home-tags", Tree)
        labels = {n.data: n.label.plain for n in tree.root.children}
        assert labels == {"security": "security  2 notes · 2 questions",
                          "service": "service  2 notes · 2 questions"}
        service = tree.root.children[1]
        assert [c.label.plain for c in service.children] == [
            "s3  1 note · 1 question", "vpc  1 note · 1 question"]
        progress = widget_text(app.screen.query_one("#home-progress"))
        assert "Due for review" in progress and "not yet recorded" in progress
        # The footer is rebuilt for the screen's bindings a refresh or two after it mounts.
        await once_drawn(pilot, lambda: all(k.region.width for k in app.screen.query("FooterKey"))
                         and any(k.key == "ctrl+p" for k in app.screen.query("FooterKey")))
        # At 80 columns every key of the footer fits on the screen, ? (the way to all the
        # others) included: with longer labels it was cut off on the first screen people see.
        keys = {k.key: k for k in app.screen.query("FooterKey")}
        palette = keys.pop("ctrl+p")  # docked at the right, over whatever reaches under it
        assert {"b", "p", "r", "e", "s", "q", "question_mark"} <= set(keys)
        for key in keys.values():
            assert key.region.width and key.region.right <= palette.region.x, key.key


async def test_home_keys(monkeypatch):
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        calls = []
        monkeypatch.setattr(app, "start_quiz", lambda scope=None: calls.append(("quiz", scope)))
        monkeypatch.setattr(app, "start_exam", lambda: calls.append(("exam", None)))
        monkeypatch.setattr(app, "show_stats", lambda: calls.append(("stats", None)))
        await pilot.press("p", "e", "s")
        # Practice asks for the scope (None); exam and stats are the app's to provide.
        assert calls == [("quiz", None), ("exam", None), ("stats", None)]
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_enter_on_a_tag_opens_the_browser_there():
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down", "enter")  # the second top-level tag: service
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)
        tree = app.screen.query_one("#browser-tree", Tree)
        assert tree.cursor_node.data == ("tag", "service")
        assert tree.cursor_node.is_expanded


async def test_help_lists_the_keys_of_the_current_screen():
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = widget_text(app.screen.query_one("#help-keys"))
        for expected in ("Browse", "Practice", "Exam", "Stats", "Quit", "Theme"):
            assert expected in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        app.open_note("shell-gateway")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        text = widget_text(app.screen.query_one("#help-keys"))
        assert "Practice note" in text and "Follow link" in text and "1–9" in text
        assert "Browse the notes" not in text
        await pilot.press("question_mark")  # ? closes it again
        await pilot.pause()
        assert screen_name(app) == "NoteScreen"


async def test_dark_and_light_themes():
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.current_theme.dark
        await pilot.press("ctrl+t")
        assert not app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark


async def test_broken_content_shows_located_errors_and_the_app_still_starts(tmp_path):
    (tmp_path / "good.yaml").write_text((SHELL_FIXTURES / "shell-interface.yaml").read_text(
        encoding="utf-8").replace("[[shell-gateway]]", "[[shell-interface]]"), encoding="utf-8")
    (tmp_path / "broken.yaml").write_text(
        "id: broken\n"
        "title: Broken\n"
        "titel: typo\n"
        "see_also: [no-such-note]\n", encoding="utf-8")
    result = load(tmp_path)
    assert result.errors  # the fixture must be broken for this test to mean anything
    app = make_app(result, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ErrorsScreen)
        text = widget_text(app.screen.query_one("#errors"))
        # A long temporary path folds at 80 columns (xdist's are longer): compare unfolded.
        assert "broken.yaml" in text.replace("\n", "")
        for err in result.errors:
            assert f"{err.location.line}:{err.location.column}" in text
        assert "titel" in text and "no-such-note" in text
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "2 notes" in widget_text(app.screen.query_one("#home-summary"))


async def test_unreadable_yaml_is_located(tmp_path):
    (tmp_path / "bad.yaml").write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    app = make_app(load(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ErrorsScreen)
        assert "bad.yaml" in widget_text(app.screen.query_one("#errors")).replace("\n", "")


async def test_empty_library_explains_itself(tmp_path):
    app = make_app(load(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ErrorsScreen)
        assert "No notes were loaded" in widget_text(app.screen.query_one("#errors"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "No notes are loaded" in widget_text(app.screen.query_one("#home-summary"))
        await pilot.press("b")  # browsing an empty library must not crash
        await pilot.pause()
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_many_errors_scroll(tmp_path):
    for i in range(40):
        (tmp_path / f"n{i:02}.yaml").write_text(f"id: n{i}\ntitle: N\nbogus: 1\n",
                                                encoding="utf-8")
    app = make_app(load(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        scroll = app.screen.query_one("#errors-scroll")
        assert scroll.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y


def test_make_app_contract():
    result = load(SHELL_FIXTURES)
    app = make_app(result, seed=7, start="home")
    assert app.library is result.library and app.context.load_result is result
    assert app.context.seed == 7 and app.context.request.screen == "home"
    assert callable(app.open_note) and callable(app.start_quiz) and callable(app.action_help)
    assert isinstance(LoadResult, type)


async def test_errors_screen_words_and_wrapped_messages(tmp_path):
    (tmp_path / "good.yaml").write_text((SHELL_FIXTURES / "shell-interface.yaml").read_text(
        encoding="utf-8").replace("[[shell-gateway]]", "[[shell-interface]]"), encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    result = load(tmp_path)
    assert len(result.library.notes) == 1 and result.errors
    app = make_app(result)
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ErrorsScreen)
        text = widget_text(app.screen.query_one("#errors"))
        assert "The note that loaded is still available" in " ".join(text.split())
        # The YAML parser's message is longer than the line: it wraps under itself, not
        # under the line:col column.
        lines = text.splitlines()
        first = next(i for i, line in enumerate(lines) if "YAML syntax error" in line)
        indent = lines[first].index("YAML")
        assert indent > 4
        assert lines[first + 1].strip() and lines[first + 1].startswith(" " * indent)
        # Esc goes on to the app: the footer says "Continue", not "Back".
        assert app.screen.active_bindings["escape"].binding.description == "Continue"


async def test_help_keys_read_in_order_and_generic_keys_are_not_the_screens():
    from studyvpc.study.quiz import Scope
    from studyvpc.ui.tui.screens.help import key_groups
    from studyvpc.ui.tui.screens.quiz import QuizScreen

    app = make_app(load(SHELL_FIXTURES.parent / "quiz"), seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = QuizScreen(app.library, Scope("ids", ids=("quiz-practice-multi",)), 1)
        await app.push_screen(screen)
        await pilot.pause()
        n = len(screen.session.current.options)
        groups = {g.title: g for g in key_groups(screen)}
        # Tab, Shift+Tab and copy are Textual's for every screen: not "this screen"'s keys.
        this = [r.description for r in groups["This screen"].rows]
        assert "Focus Next" not in this and "Copy selected text" not in this
        assert "Focus Next" in [r.description for r in groups["Everywhere"].rows]
        await pilot.press("question_mark")
        await pilot.pause()
        text = widget_text(app.screen.query_one("#help-keys"))
        assert n == 4
        # Letters then numbers, as ranges: not "1 2 3 a b c d 4" in the order bindings were
        # made (1-3 are also the rating keys, declared first).
        assert "a–d 1–4" in text and "1 2 3 a" not in text


async def test_right_and_left_open_and_close_tag_branches():
    app = shell_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        tree = app.screen.query_one("#home-tags", Tree)
        await pilot.press("down")  # service
        await pilot.pause()
        service = tree.cursor_node
        assert service.data == "service" and not service.is_expanded
        await pilot.press("right")  # opens it
        await pilot.pause()
        assert service.is_expanded and tree.cursor_node is service
        await pilot.press("right")  # into it: its first child
        await pilot.pause()
        assert tree.cursor_node.data == "service/s3"
        await pilot.press("left")  # a leaf: up to its parent
        await pilot.pause()
        assert tree.cursor_node is service
        await pilot.press("left")  # closes it
        await pilot.pause()
        assert not service.is_expanded and tree.cursor_node is service
        await pilot.press("left")  # a top-level tag has no parent to go to: nothing happens
        await pilot.pause()
        assert tree.cursor_node is service and isinstance(app.screen, HomeScreen)
        # The same in the browser's tree of tags and notes.
        await pilot.press("b")
        await pilot.pause()
        browser = app.screen.query_one("#browser-tree", Tree)
        browser.move_cursor(next(n for n in browser.root.children if n.data == ("tag", "service")))
        await pilot.pause()
        await pilot.press("right")
        await pilot.pause()
        assert browser.cursor_node.is_expanded


async def test_enter_on_a_tag_only_questions_carry_opens_practice_at_it():
    # "topic  0 notes · 37 questions" on home: the note browser has no such tag (it groups
    # notes), so Enter used to open it at nothing. It opens the practice setup at the tag.
    from textual.widgets import OptionList

    from studyvpc.ui.tui.screens.quiz_setup import QuizSetupScreen
    from shell_support import CONTENT

    app = make_app(load(CONTENT), seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        if isinstance(app.screen, ErrorsScreen):
            await pilot.press("escape")
            await pilot.pause()
        tree = app.screen.query_one("#home-tags", Tree)
        topic = next(n for n in tree.root.children if n.data == "topic")
        assert app.library.tag_counts("topic")[0] == 0 and app.library.tag_counts("topic")[1]
        tree.move_cursor(topic)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, QuizSetupScreen)
        scopes = app.screen.query_one("#setup-scope", OptionList)
        assert scopes.get_option_at_index(scopes.highlighted).id == "tag:topic"
        await pilot.press("escape")
        await pilot.pause()
        tree.move_cursor(next(n for n in tree.root.children if n.data == "service"))
        await pilot.press("enter")  # a tag notes carry still opens the browser there
        await pilot.pause()
        assert isinstance(app.screen, BrowserScreen)

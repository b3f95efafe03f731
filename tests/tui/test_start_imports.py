"""The app's start imports what its first frame (home) needs and nothing more: no other
command's module, no file format of interop, no scheduler library, no YAML on a warm start,
no Markdown, none of the screens and widgets home does not show. Each of them is imported when
first used (benchmarks/run.py times the start; this holds the invariant the time rests on).

Checked in a fresh interpreter that runs ``studyvpc`` headless and lists ``sys.modules`` once
the first frame has been painted (the app then starts, by itself, on what comes next)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from studyvpc import locations

SCRIPT = textwrap.dedent("""
    import sys
    {before}
    from textual.app import App

    from studyvpc.ui.cli.main import main

    seen = []
    run = App.run

    def run_to_the_first_frame(self, *args, **kwargs):
        async def first_frame(pilot):
            app = pilot.app

            def drawn():
                seen.append((type(app.screen).__name__, sorted(sys.modules)))
                app.exit(0)

            app.screen.call_after_refresh(drawn)  # runs once the screen has been painted

        kwargs.update(headless=True, auto_pilot=first_frame)
        return run(self, *args, **kwargs)

    App.run = run_to_the_first_frame
    code = main(["--content", {content!r}])
    [(screen, modules)] = seen
    print("SCREEN", screen)
    print("MODULES", " ".join(modules))
    sys.exit(code)
""")

NOT_AT_START = (
    # the other commands and what only they use
    "studyvpc.ui.cli.validate", "studyvpc.ui.cli.quiz", "studyvpc.ui.cli.exam",
    "studyvpc.ui.cli.review", "studyvpc.ui.cli.stats", "studyvpc.ui.cli.progress",
    "studyvpc.ui.cli.export", "studyvpc.ui.cli.import_notes", "studyvpc.ui.cli.paths",
    "studyvpc.ui.cli.shell", "studyvpc.ui.cli.plain", "studyvpc.interop",
    # libraries for what comes later: scheduling an answer, reading YAML (a warm start
    # reads the cache), Markdown (home shows none), an Anki package
    "fsrs", "yaml", "markdown_it", "rich.markdown", "pygments", "genanki",
    # the study sessions, the exam's lifecycle, the other screens
    "studyvpc.study.quiz", "studyvpc.study.exam", "studyvpc.progress.exams",
    "studyvpc.ui.tui.screens.browser", "studyvpc.ui.tui.screens.quiz",
    "studyvpc.ui.tui.screens.stats", "studyvpc.ui.tui.screens.note",
    # widgets home does not show
    "textual.widgets._data_table", "textual.widgets._selection_list",
    "textual.widgets._radio_button", "textual.widgets._tabs", "textual.widgets._markdown",
)


def start(tmp_path, before: str = "") -> set[str]:
    env = {**os.environ, "STUDYVPC_CACHE_DIR": str(tmp_path / "cache"),
           "STUDYVPC_DATA_DIR": str(tmp_path / "data")}
    env.pop("STUDYVPC_CONTENT", None)
    env.pop("STUDYVPC_EXIT_AFTER_FIRST_FRAME", None)
    script = SCRIPT.format(before=before, content=str(locations.bundled_content_dir()))
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "SCREEN HomeScreen" in proc.stdout  # the first frame was home's
    [line] = [ln for ln in proc.stdout.splitlines() if ln.startswith("MODULES ")]
    return set(line.split()[1:])


def not_needed(modules: set[str]) -> list[str]:
    return sorted(m for m in modules
                  if any(m == name or m.startswith(name + ".") for name in NOT_AT_START))


def test_the_warm_start_imports_only_what_home_needs(tmp_path):
    start(tmp_path)  # writes the parsed-content cache
    modules = start(tmp_path)
    assert "studyvpc.ui.tui.screens.home" in modules
    assert not_needed(modules) == []


def test_the_check_would_see_a_module_imported_at_start(tmp_path):
    start(tmp_path)
    modules = start(tmp_path, before="import studyvpc.ui.cli.export, textual.widgets._data_table")
    assert not_needed(modules) == ["studyvpc.ui.cli.export", "textual.widgets._data_table"]

"""README's quick start is what CI runs: keep the two in step."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section, flags=re.S)


def test_quick_start_is_two_commands():
    commands = quick_start_commands()
    assert len(commands) == 2
    assert all("\n" not in c for c in commands), "each quick-start step is one command"
    run, test = commands
    assert "pip install ." in run and "-e" not in run.split() and run.endswith("studyvpc")
    assert "'.[test]'" in test and test.endswith("pytest -n auto")  # parallel: pytest-xdist


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = quick_start_commands()[1]
    ci_lines = [line.strip() for line in ci.splitlines()]
    # CI may quieten pip; otherwise the command must be the README's, word for word.
    assert test_command.replace("pip install ", "pip install -q ") in ci_lines


def test_readme_documents_every_command_option_and_data_location():
    """Every command and subcommand, the options of review and stats, the keys of the app, and
    where data lives (with the variables that move it) are in README."""
    from studyvpc import locations
    from studyvpc.ui.cli.main import build_parser
    from studyvpc.ui.cli.shell import command_tree

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    usage = readme.split("## Usage", 1)[1].split("\n## ", 1)[0]
    for cmd in command_tree(build_parser()).walk():
        if cmd.path:
            assert cmd.path[-1] in usage, cmd.path
        if cmd.path in (("review",), ("stats",)):
            for option in cmd.options:
                if option.flags[-1] not in ("--help", "--content", "--data-dir"):
                    assert option.flags[-1] in usage, (cmd.path, option.flags)
    for key in ("`?`", "`ctrl+p`", "`ctrl+t`"):
        assert key in usage
    data = readme.split("## Where your data lives", 1)[1].split("\n## ", 1)[0]
    for name in (locations.ENV_DATA_DIR, locations.ENV_CACHE_DIR, locations.ENV_CONTENT,
                 "--data-dir", "studyvpc paths", "studyvpc progress restore", "progress.sqlite3",
                 "progress-backup-"):
        assert name in data, name


def test_readme_says_which_language_the_bundled_deck_is_in():
    """The bundled deck's questions and options are English, its explanations Korean: README
    says so, and the deck still is so."""
    import re

    from studyvpc import locations
    from studyvpc.content.loader import load_library

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "every question and option is in **English**" in readme
    assert "every explanation, note title and note text is in **Korean**" in readme
    hangul = re.compile("[\uac00-\ud7a3]")
    questions = load_library([locations.bundled_content_dir()]).library.questions
    assert questions
    assert not any(hangul.search(q.stem) or any(hangul.search(o.text) for o in q.options)
                   for q in questions)
    assert all(hangul.search(q.explanation) and all(hangul.search(o.why or "") for o in q.options)
               for q in questions)

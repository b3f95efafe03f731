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

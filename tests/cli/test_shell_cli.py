"""``studyvpc completion``, ``studyvpc man`` and ``studyvpc paths``: built from the parser, so
they name every command and option there is."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from studyvpc.ui.cli.main import build_parser, main
from studyvpc.ui.cli.shell import command_tree


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def complete(script: str, line: str) -> list[str]:
    """What bash offers after ``line`` with the generated script loaded."""
    words = line.split() + ([""] if line.endswith(" ") else [])
    program = (script + "\nCOMP_WORDS=(" + " ".join(f"'{w}'" for w in words) + ")\n"
               f"COMP_CWORD={len(words) - 1}\n_studyvpc\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n")
    done = subprocess.run(["bash", "--norc", "--noprofile"], input=program, text=True,
                          capture_output=True, check=True)
    return done.stdout.split()


@pytest.fixture(scope="module")
def bash_script():
    from studyvpc.ui.cli.shell import bash_script

    return bash_script(command_tree(build_parser()))


@pytest.mark.parametrize(("line", "expected"), [
    ("studyvpc progress re", ["reset", "restore"]),
    ("studyvpc --data-dir somewhere prog", ["progress"]),
    ("studyvpc quiz --li", ["--limit"]),
    ("studyvpc completion ", ["--content", "--data-dir", "-h", "--help", "bash", "zsh", "fish"]),
    ("studyvpc progress restore --", ["--help", "--yes", "--content", "--data-dir"]),
    ("studyvpc config --j", ["--json"]),
])
def test_bash_completion_offers_commands_options_and_choices(bash_script, line, expected):
    assert sorted(complete(bash_script, line)) == sorted(expected)


def test_bash_completion_leaves_option_values_to_file_names(bash_script):
    assert complete(bash_script, "studyvpc quiz --content ") == []


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_every_command_is_in_every_completion(shell, capsys):
    code, out, _ = run(capsys, "completion", shell)
    assert code == 0
    tree = command_tree(build_parser())
    for cmd in tree.walk():
        for name in cmd.children:
            assert name in out
        for option in cmd.options:
            assert option.flags[-1].lstrip("-") in out
    checker = {"bash": ["bash", "-n"], "zsh": ["zsh", "-n"], "fish": ["fish", "--no-execute"]}
    if shutil.which(shell):  # a syntax check where the shell is installed
        subprocess.run([*checker[shell], "-c" if shell != "fish" else "-c", out], check=True)


def test_man_page_is_roff_naming_every_command_and_option(capsys):
    code, out, _ = run(capsys, "man")
    assert code == 0
    assert out.startswith(".TH STUDYVPC 1 ")
    # Every line starting with . or ' is one of our requests (.TH, .SH, .TP, …), never text.
    assert all(re.match(r"\.[A-Z]{1,2}( |$)", line)
               for line in out.splitlines() if line.startswith((".", "'")))
    tree = command_tree(build_parser())
    for cmd in tree.walk():
        if cmd.path:
            assert "studyvpc " + " ".join(cmd.path).replace("-", "\\-") in out.lower()
        for option in cmd.options:
            assert option.flags[-1].replace("-", "\\-") in out
    if shutil.which("groff"):
        done = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z"], input=out, text=True,
                              capture_output=True, env={**os.environ, "LC_ALL": "C.UTF-8"})
        assert done.returncode == 0 and not done.stderr, done.stderr


def test_paths_prints_what_is_in_effect_and_why(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("STUDYVPC_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("STUDYVPC_CONTENT", raising=False)
    code, out, _ = run(capsys, "paths", "--data-dir", str(tmp_path / "d"), "--json")
    assert code == 0
    import json

    data = json.loads(out)
    assert data["data_dir"] == {"path": str(tmp_path / "d"), "from": "option"}
    assert data["database"]["path"] == str(tmp_path / "d" / "progress.sqlite3")
    assert data["backups"]["path"] == str(tmp_path / "d" / "progress-backup-*.sqlite3")
    assert data["cache_dir"] == {"path": str(tmp_path / "cache"), "from": "$STUDYVPC_CACHE_DIR"}
    assert data["content"]["from"] == "default: the bundled deck"
    code, out, _ = run(capsys, "config", "--data-dir", str(tmp_path / "d"))
    assert code == 0 and f"Data folder        {tmp_path / 'd'}  (option)" in out
    assert "studyvpc progress restore" in out

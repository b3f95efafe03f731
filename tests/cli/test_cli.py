"""The command line: help for every command, version, content discovery."""

import subprocess
import sys

import pytest

from studyvpc import __version__
from studyvpc.ui.cli.main import build_parser, main


def commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sorted(sub.choices)


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"studyvpc {__version__}"


@pytest.mark.parametrize("command", commands())
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: studyvpc {command}")


def test_python_dash_m_runs_the_cli():
    proc = subprocess.run([sys.executable, "-m", "studyvpc", "--version"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"studyvpc {__version__}"


def test_content_option_replaces_environment(tmp_path, monkeypatch, capsys):
    good = tmp_path / "good"
    good.mkdir()
    (good / "n.yaml").write_text("id: only\ntitle: Only note\n", encoding="utf-8")
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "n.yaml").write_text("id: [\n", encoding="utf-8")
    monkeypatch.setenv("STUDYVPC_CONTENT", str(bad))
    assert main(["validate"]) == 1
    capsys.readouterr()
    assert main(["validate", "--content", str(good)]) == 0
    assert "1 note, 0 questions" in capsys.readouterr().out


def test_bundled_content_validates(capsys, monkeypatch):
    monkeypatch.delenv("STUDYVPC_CONTENT", raising=False)
    assert main(["validate"]) == 0, capsys.readouterr().out
    assert "notes" in capsys.readouterr().out


def test_validating_one_file_resolves_links_to_its_neighbours(tmp_path, capsys):
    (tmp_path / "a.yaml").write_text("id: a\ntitle: A\nkey_point: see [[b]] and [[nowhere]]\n",
                                     encoding="utf-8")
    (tmp_path / "b.yaml").write_text("id: b\ntitle: B\n", encoding="utf-8")
    assert main(["validate", "--strict", str(tmp_path / "a.yaml")]) == 1
    out = capsys.readouterr().out
    assert f"{tmp_path / 'a.yaml'}:3:26: warning: link [[nowhere]] resolves to no note" in out
    assert "[[b]]" not in out

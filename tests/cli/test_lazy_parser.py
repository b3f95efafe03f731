"""A run builds only the parser of the command it names (the bare app: none), and that parser
reads the command line exactly as the parser of every command does: the same namespace, the
same help, the same errors."""

from __future__ import annotations

import contextlib
import io

import pytest

from studyvpc.ui.cli.main import COMMANDS, build_parser, commands_named

CASES = [
    [], ["-h"], ["--help"], ["--he"], ["--version"], ["--content", "x"], ["--cont", "x"],
    ["--content=x", "quiz"], ["--content", "quiz"], ["quiz"], ["quiz", "--limit", "3"],
    ["quiz", "-h"], ["-h", "quiz"], ["bogus"], ["--bogus"], ["--seed", "x"], ["--seed"],
    ["--seed", "3", "exam", "--count", "2"], ["progress", "export", "-"], ["config"],
    ["paths", "--json"], ["completion", "bash"], ["man"], ["import", "x"],
    ["export", "anki", "-o", "x"], ["validate", "--content", "y"], ["--data-dir", "d", "review"],
    ["--", "quiz"], ["quiz", "--", "x"], ["--content"], ["stats", "--bogus"], ["-x"],
    ["--seed", "1", "--seed", "2"], ["quiz", "--tag", "t", "extra"],
    ["--content", "a", "--content", "b"], ["stats", "--content", "a", "--data-dir", "d"],
]


def parsed(commands, argv: list[str]):
    """What the parser of ``commands`` makes of ``argv``: the namespace (the handler by name),
    or the exit code, and everything printed."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            args = vars(build_parser(commands).parse_args(argv))
            handler = args.pop("handler", None)
            result = (args, getattr(handler, "__qualname__", None),
                      getattr(handler, "__module__", None))
        except SystemExit as exc:
            result = ("exit", exc.code)
    return result, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv", CASES, ids=" ".join)
def test_the_named_command_is_parsed_as_by_the_whole_parser(argv):
    assert parsed(commands_named(argv), argv) == parsed(None, argv)


def test_each_command_is_found_by_its_name():
    for _, names in COMMANDS:
        for name in names:
            assert commands_named([name]) == {name}
            assert commands_named(["--content", "c", name, "--help"]) == {name}
    assert commands_named([]) == frozenset()  # the bare app: no command's parser
    assert commands_named(["--content", "quiz"]) == frozenset()  # a folder named quiz
    assert commands_named(["--help"]) is None
    assert commands_named(["nonsense"]) is None


def test_every_command_is_listed_with_its_module():
    """A command its module registers but `COMMANDS` does not list would still run (an unknown
    word gets every parser), only without the saving: the list is complete."""
    from studyvpc.ui.cli.shell import command_tree

    listed = sorted(name for _, names in COMMANDS for name in names)
    assert sorted(command_tree(build_parser()).children) == listed
    for module, names in COMMANDS:
        for name in names:  # the module listed is the one that registers the command
            assert sorted(command_tree(build_parser(frozenset({name}))).children) == \
                sorted(names)
            assert parsed(frozenset({name}), [name, "--help"])[0] == ("exit", 0)


def test_the_check_would_see_a_parser_missing():
    """Parsing `quiz` with only the `stats` parser differs: the comparison can tell."""
    assert parsed(frozenset({"stats"}), ["quiz"]) != parsed(None, ["quiz"])

"""``studyvpc completion bash|zsh|fish`` and ``studyvpc man``: both built from the argument parser.

Why it is built this way: the parser is the one description of the command line, so the shell
completions and the manual page are generated from it at run time and cannot fall behind a new
option. No dependency: the parser tree is read once (`command_tree`, the only place that looks
inside argparse's actions) and three small writers turn it into bash, zsh and fish scripts that
complete subcommands, options and option choices, and fall back to file names.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field

from studyvpc.ui.cli.main import add_common

SHELLS = ("bash", "zsh", "fish")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("completion", help="print a shell completion script (bash, zsh, fish)",
                       description="Print a completion script for SHELL. bash: "
                                   "eval \"$(studyvpc completion bash)\" in ~/.bashrc; zsh: "
                                   "eval \"$(studyvpc completion zsh)\" in ~/.zshrc (after "
                                   "compinit); fish: studyvpc completion fish > "
                                   "~/.config/fish/completions/studyvpc.fish")
    p.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash, zsh or fish")
    add_common(p)
    p.set_defaults(handler=run_completion)
    m = sub.add_parser("man", help="print the manual page (roff; view with: studyvpc man | "
                                   "man -l -)",
                       description="Print studyvpc's manual page in roff, built from the "
                                   "options of every command. View it with "
                                   "studyvpc man | man -l -")
    add_common(m)
    m.set_defaults(handler=run_man)


# --------------------------------------------------------------------------- the parser tree


@dataclass
class Option:
    flags: tuple[str, ...]
    help: str
    takes_value: bool
    choices: tuple[str, ...] = ()
    metavar: str = ""


@dataclass
class Command:
    path: tuple[str, ...]
    """("progress", "export"); () for studyvpc itself."""
    help: str
    description: str
    usage: str
    options: list[Option] = field(default_factory=list)
    positionals: list[Option] = field(default_factory=list)
    children: dict[str, Command] = field(default_factory=dict)
    """By name, aliases included."""

    def walk(self):
        """This command and every one below it, once each."""
        yield self
        seen: set[int] = set()
        for child in self.children.values():
            if id(child) not in seen:
                seen.add(id(child))
                yield from child.walk()

    def named(self, path: tuple[str, ...] = ()):
        """(the words that reach it, command) for this command and every one below it, once
        per name (an alias reaches the same command)."""
        yield path, self
        for name, child in self.children.items():
            yield from child.named((*path, name))


def command_tree(parser: argparse.ArgumentParser, path: tuple[str, ...] = (),
                 help: str = "") -> Command:
    """The commands, options and choices of ``parser`` and its subparsers."""
    cmd = Command(path, help, parser.description or "", parser.format_usage().strip())
    for action in parser._actions:  # argparse has no public way to list them
        if action.help == argparse.SUPPRESS:
            continue
        choices = tuple(str(c) for c in action.choices) if action.choices else ()
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help or "" for a in action._choices_actions}
            built: dict[int, Command] = {}
            for name, sub in action.choices.items():
                if id(sub) not in built:
                    built[id(sub)] = command_tree(sub, (*path, name), helps.get(name, ""))
                cmd.children[name] = built[id(sub)]
            continue
        takes = action.nargs != 0
        metavar = action.metavar if isinstance(action.metavar, str) else action.dest.upper()
        entry = Option(tuple(action.option_strings), action.help or "", takes, choices, metavar)
        (cmd.options if action.option_strings else cmd.positionals).append(entry)
    return cmd


def _tree() -> Command:
    from studyvpc.ui.cli.main import build_parser

    return command_tree(build_parser())


# --------------------------------------------------------------------------- completion


def bash_script(tree: Command) -> str:
    steps, values, lists = [], [], []
    for words_to, cmd in tree.named():
        here = " ".join(words_to)
        steps += [f'"{here}|{name}"' for name in cmd.children]
        words = [f for o in cmd.options for f in o.flags] + list(cmd.children)
        words += [c for p in cmd.positionals for c in p.choices]
        lists.append(f'        "{here}") words="{" ".join(words)}" ;;')
        for o in cmd.options:
            if o.takes_value:  # the option's value: its choices, or file names (the default)
                pattern = "|".join(f'"{here}|{f}"' for f in o.flags)
                values.append(f'        {pattern}) ' + (f'COMPREPLY=($(compgen -W "{" ".join(o.choices)}" -- "$cur")); return 0 ;;'
                                                       if o.choices else "return 0 ;;"))
    nl = "\n"
    return f"""# bash completion for studyvpc (generated by `studyvpc completion bash`)
_studyvpc() {{
    local cur="${{COMP_WORDS[COMP_CWORD]}}" prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    local path="" w i words=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        w="${{COMP_WORDS[i]}}"
        case "$path|$w" in
            {"|".join(steps)}) path="${{path:+$path }}$w" ;;
        esac
    done
    case "$path|$prev" in
{nl.join(values)}
    esac
    case "$path" in
{nl.join(lists)}
    esac
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
}}
complete -o default -F _studyvpc studyvpc
"""


def zsh_script(tree: Command) -> str:
    # zsh runs the bash function through its bash-completion layer: one completion logic.
    return ("#compdef studyvpc\n# zsh completion for studyvpc (generated by `studyvpc "
            "completion zsh`)\nautoload -U +X bashcompinit && bashcompinit\n"
            + bash_script(tree).split("\n", 1)[1])


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish_script(tree: Command) -> str:
    lines = ["# fish completion for studyvpc (generated by `studyvpc completion fish`)",
             "complete -c studyvpc -f"]
    for cmd in tree.walk():
        when = (f" -n {_fish_quote('__fish_seen_subcommand_from ' + cmd.path[-1])}"
                if cmd.path else "")
        if cmd.children:
            names = " ".join(cmd.children)
            before = (f"__fish_seen_subcommand_from {cmd.path[-1]}; and " if cmd.path else "")
            for name, child in cmd.children.items():
                cond = _fish_quote(f"{before}not __fish_seen_subcommand_from {names}")
                lines.append(f"complete -c studyvpc -n {cond} -a {name}"
                             f" -d {_fish_quote(_first_line(child.help))}")
        for o in cmd.options:
            flags = " ".join(f"-l {f[2:]}" if f.startswith("--") else f"-s {f[1:]}"
                             for f in o.flags)
            extra = (f" -x -a {_fish_quote(' '.join(o.choices))}" if o.choices
                     else " -r -F" if o.takes_value else "")
            lines.append(f"complete -c studyvpc{when} {flags}{extra}"
                         f" -d {_fish_quote(_first_line(o.help))}")
        for p in cmd.positionals:
            lines.append(f"complete -c studyvpc{when} "
                         + (f"-x -a {_fish_quote(' '.join(p.choices))}" if p.choices else "-F"))
    return "\n".join(lines) + "\n"


def _first_line(text: str) -> str:
    return " ".join(text.split())[:80]


def run_completion(args: argparse.Namespace) -> int:
    writer = {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}[args.shell]
    sys.stdout.write(writer(_tree()))
    return 0


# --------------------------------------------------------------------------- man page


def roff(text: str) -> str:
    """Text for a roff line: backslashes and hyphens escaped, no line taken for a request."""
    text = " ".join(text.replace("\\", "\\e").replace("-", "\\-").split())
    return "\\&" + text if text[:1] in (".", "'") else text


def man_page(tree: Command, version: str) -> str:
    out = [f'.TH STUDYVPC 1 "" "studyvpc {version}" "User Commands"',
           ".SH NAME", f"studyvpc \\- {roff(tree.description.split('.')[0].lower())}",
           ".SH SYNOPSIS", ".B studyvpc", "[\\fIOPTIONS\\fR] [\\fICOMMAND\\fR]",
           ".SH DESCRIPTION", roff(tree.description)]
    for cmd in tree.walk():
        if cmd.path:
            out += [f'.SH "{roff(" ".join(("studyvpc", *cmd.path)).upper())}"'
                    if len(cmd.path) == 1 else f'.SS "{roff(" ".join(("studyvpc", *cmd.path)))}"',
                    roff(cmd.description or cmd.help)]
        else:
            out.append(".SH OPTIONS")
        for o in [*cmd.positionals, *cmd.options]:
            head = ", ".join(f"\\fB{roff(f)}\\fR" for f in o.flags) or f"\\fI{roff(o.metavar)}\\fR"
            if o.flags and o.takes_value:
                head += f" \\fI{roff(o.metavar)}\\fR"
            out += [".TP", head, roff(o.help or "")]
    out += [".SH ENVIRONMENT",
            ".TP", "\\fBSTUDYVPC_DATA_DIR\\fR",
            "Where progress, its backups and an unfinished exam are kept (\\-\\-data\\-dir wins).",
            ".TP", "\\fBSTUDYVPC_CACHE_DIR\\fR", "Where the parsed\\-content cache is kept.",
            ".TP", "\\fBSTUDYVPC_CONTENT\\fR",
            "Content folders, separated like PATH (\\-\\-content wins).",
            ".SH FILES", "\\fBstudyvpc paths\\fR prints every folder and file in effect.",
            ".SH SEE ALSO", "\\fBstudyvpc completion\\fR for shell completion."]
    return "\n".join(out) + "\n"


def run_man(args: argparse.Namespace) -> int:
    from studyvpc import __version__

    sys.stdout.write(man_page(_tree(), __version__))
    return 0

"""Reading a question's ``options`` list, with located errors (see ``note_reader``).

An option without a ``why`` (or with an empty one) is a warning, not an error: learners'
notes usually explain only the wrong options, and the quiz says that no explanation was
written for the others.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from yaml.nodes import Node

from studyvpc.content import yamlread as yn
from studyvpc.content.model import Option
from studyvpc.content.yamlnodes import FileContext

OPTION_KEYS = ("key", "text", "correct", "why")
_KEY_RE = re.compile(r"^[A-Z]$")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_NO_WHY_WARNING = ("has no why: the quiz will say that no explanation was written for it "
          "(add `why:` to explain it)")


@dataclass
class ReadOptions:
    options: list[Option]
    """The options that were read without errors."""
    written: int
    """How many options the file gives (readable or not)."""
    marked_correct: int
    """How many of them say ``correct: true``."""
    correct_unknown: bool
    """Some ``correct:`` could not be read as true or false."""


def read_options(ctx: FileContext, markdown: Callable[..., str | None],
                 node: Node) -> ReadOptions | None:
    """``markdown(node, what, allow_empty=...)`` reads a Markdown field (recording its links)."""
    items = yn.sequence(ctx, node, "options")
    if items is None:
        return None
    out: list[Option] = []
    seen: dict[str, int] = {}
    marked = 0
    unknown = False
    for index, on in enumerate(items):
        m = yn.mapping(ctx, on, "an option", OPTION_KEYS, required=("key", "text"))
        if m is None:
            unknown = True
            continue
        key = None
        if "key" in m:
            kn = m["key"][1]
            key = yn.text(ctx, kn, "an option's key")
            expected = _LETTERS[index] if index < len(_LETTERS) else None
            if key is not None and not _KEY_RE.match(key):
                ctx.error(kn, f"option key {key!r} must be one capital letter (A, B, C…)")
                key = None
            elif key is not None and key in seen:
                ctx.error(kn, f"duplicate option key {key!r} (first on line {seen[key]})")
                key = None
            elif key is not None and key != expected:
                ctx.error(kn, f"option key {key!r} is out of order: option {index + 1} is {expected!r} "
                          "(keys go A, B, C… in the order written)")
                seen[key] = kn.start_mark.line + 1
                key = None
            elif key is not None:
                seen[key] = kn.start_mark.line + 1
        text = yn.text(ctx, m["text"][1], "an option's text") if "text" in m else None
        why = markdown(m["why"][1], "an option's why", allow_empty=True) if "why" in m else ""
        if why is not None and not why.strip():
            ctx.warn(m["why"][1] if "why" in m else on, f"option {key or index + 1} {_NO_WHY_WARNING}")
        correct = yn.boolean(ctx, m["correct"][1], "correct") if "correct" in m else False
        if correct is None:
            unknown = True
        marked += bool(correct)
        if key is not None and text is not None and why is not None and correct is not None:
            out.append(Option(key, text, correct, why.strip() and why))
    return ReadOptions(out, len(items), marked, unknown)

"""Typed readers over located YAML nodes: each records a located error instead of raising.

The loader reads a note with these: ``mapping`` checks keys (unknown with a "did you mean",
duplicate, missing), ``text`` takes unquoted numbers and booleans as written (``No`` stays
``No``), and every reader says what it expected and what it found, at the node.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import date, datetime

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from studyvpc.content.yamlnodes import (
    KIND_NAMES, TAG_BOOL, TAG_INT, TAG_NULL, TAG_STR, TAG_TS, FileContext,
)


def kind_of(node: Node) -> str:
    return KIND_NAMES.get(node.tag, "a " + type(node).__name__.replace("Node", "").lower())


def mapping(ctx: FileContext, node: Node, what: str, allowed: Iterable[str],
            required: Iterable[str] = ()) -> dict[str, tuple[ScalarNode, Node]] | None:
    """Read a mapping with the given keys; unknown, duplicate and missing keys are errors."""
    if not isinstance(node, MappingNode):
        ctx.error(node, f"{what} must be a mapping (key: value), not {kind_of(node)}")
        return None
    if type(allowed) is not tuple:
        allowed = tuple(allowed)
    out: dict[str, tuple[ScalarNode, Node]] = {}
    for pair in node.value:
        key_node = pair[0]
        # The usual case first, with the same tests as below: a new, allowed, plain key.
        if key_node.__class__ is ScalarNode and key_node.tag != TAG_NULL:
            key = key_node.value
            if key in allowed and key not in out:
                out[key] = pair
                continue
        value_node = pair[1]
        if not isinstance(key_node, ScalarNode) or key_node.tag in (TAG_NULL,):
            ctx.error(key_node, f"keys of {what} must be plain words, not {kind_of(key_node)}")
            continue
        key = key_node.value
        if key in out:
            first = out[key][0].start_mark.line + 1
            ctx.error(key_node, f"duplicate key {key!r} in {what} (first given on line {first})")
            continue
        if key not in allowed:
            hint = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else f"; allowed: {', '.join(allowed)}"
            ctx.error(key_node, f"unknown key {key!r} in {what}{suggestion}")
            continue
        out[key] = (key_node, value_node)
    for key in required:
        if key not in out:
            ctx.error(node, f"{what} is missing the required key {key!r}")
    return out


def text(ctx: FileContext, node: Node, what: str, *, allow_empty: bool = False) -> str | None:
    """A text value. Unquoted numbers and booleans are taken as written (``No`` stays ``No``)."""
    if not isinstance(node, ScalarNode):
        ctx.error(node, f"{what} must be text, not {kind_of(node)}")
        return None
    if node.tag == TAG_NULL and node.value in ("", "~", "null", "Null", "NULL"):
        if allow_empty:
            return ""
        ctx.error(node, f"{what} is empty")
        return None
    value = node.value
    if not allow_empty and not value.strip():
        ctx.error(node, f"{what} is empty")
        return None
    return value


def boolean(ctx: FileContext, node: Node, what: str) -> bool | None:
    if isinstance(node, ScalarNode) and node.tag == TAG_BOOL:
        return node.value.lower() in ("true", "yes", "on", "y")
    ctx.error(node, f"{what} must be true or false, not {kind_of(node)} {_shown(node)}")
    return None


def integer(ctx: FileContext, node: Node, what: str) -> int | None:
    if isinstance(node, ScalarNode) and node.tag == TAG_INT:
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            pass
    ctx.error(node, f"{what} must be a whole number, not {kind_of(node)} {_shown(node)}")
    return None


def a_date(ctx: FileContext, node: Node, what: str) -> date | None:
    if isinstance(node, ScalarNode) and node.tag in (TAG_TS, TAG_STR):
        raw = node.value.strip()
        try:
            return date.fromisoformat(raw)
        except ValueError:
            try:
                return datetime.fromisoformat(raw).date()
            except ValueError:
                pass
    ctx.error(node, f"{what} must be a date like 2025-08-20, not {_shown(node) or kind_of(node)}")
    return None


def sequence(ctx: FileContext, node: Node, what: str) -> list[Node] | None:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, ScalarNode) and node.tag == TAG_NULL:
        return []
    ctx.error(node, f"{what} must be a list, not {kind_of(node)}")
    return None


def text_list(ctx: FileContext, node: Node, what: str) -> list[tuple[str, Node]]:
    items = sequence(ctx, node, what)
    out: list[tuple[str, Node]] = []
    for item in items or ():
        value = text(ctx, item, f"each entry of {what}")
        if value is not None:
            out.append((value, item))
    return out


def _shown(node: Node) -> str:
    if isinstance(node, ScalarNode):
        v = node.value if len(node.value) <= 40 else node.value[:37] + "..."
        return repr(v)
    return ""

"""A note's body as markdown-it parses it: blocks with their source lines, under headings.

Only the block structure is parsed (markdown-it's inline pass is switched off: it is most of
the parsing time and the reader works on the source text). Every block remembers its line
range in the file, so the text that lands in a field is the note's own source, verbatim, and
problems are located at the line they are on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

_MARKER = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_OPEN_KINDS = {"paragraph_open": "paragraph", "bullet_list_open": "bullet_list",
               "ordered_list_open": "ordered_list", "blockquote_open": "blockquote",
               "table_open": "table", "heading_open": "heading"}
_LEAF_KINDS = {"fence": "fence", "code_block": "code", "html_block": "html", "hr": "hr"}


@dataclass
class Item:
    """One list item."""

    start: int
    """0-based line of the item's marker."""
    end: int
    first: str
    """The item's first paragraph (its lines joined by ``\\n``), without the marker."""
    text: str
    """The whole item as Markdown: the marker removed, continuation lines dedented."""
    number: int | None = None
    """The number of an ordered list's item."""


@dataclass
class Block:
    kind: str
    """paragraph, bullet_list, ordered_list, blockquote, heading, fence, code or hr"""
    start: int
    """0-based first line in the file."""
    end: int
    """0-based line after the block."""
    content: str = ""
    """A paragraph's or heading's text, a fence's or code block's contents."""
    info: str = ""
    """A fence's info string."""
    level: int = 0
    """A heading's level."""
    items: list[Item] = field(default_factory=list)
    """A list's items."""


@dataclass
class Part:
    """A heading (level 1-3) and what follows it up to the next heading of its level or above."""

    title: str
    level: int
    line: int
    """0-based line of the heading (-1 for the body before any heading)."""
    blocks: list[Block] = field(default_factory=list)
    children: list[Part] = field(default_factory=list)


@cache
def _parser():
    from markdown_it import MarkdownIt  # ships with Textual (rich)

    # Block structure only: no inline pass. Rules whose blocks the reader treats as plain
    # text are off (every rule is tried on every line): a table, raw HTML or a link
    # reference definition is read as a paragraph, its text kept verbatim all the same
    # (comments were blanked before parsing).
    md = MarkdownIt("commonmark")
    md.disable(["inline", "text_join", "reference", "html_block"])
    return md


def parse_blocks(lines: list[str], start: int) -> list[Block]:
    """The top-level blocks of ``lines[start:]`` (line numbers are those of ``lines``)."""
    tokens = _parser().parse("\n".join(lines[start:]))
    blocks: list[Block] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.level != 0 or tok.map is None:
            i += 1
            continue
        s, e = tok.map[0] + start, tok.map[1] + start
        if tok.type in _LEAF_KINDS:
            blocks.append(Block(_LEAF_KINDS[tok.type], s, e, tok.content, tok.info.strip()))
            i += 1
            continue
        kind = _OPEN_KINDS.get(tok.type)
        close = tok.type.replace("_open", "_close")
        j = i + 1
        while j < n and not (tokens[j].type == close and tokens[j].level == 0):
            j += 1
        block = Block(kind or tok.type, s, e)
        if kind in ("paragraph", "heading"):
            block.content = tokens[i + 1].content if i + 1 < j else ""
            block.level = int(tok.tag[1:]) if kind == "heading" else 0
        elif kind in ("bullet_list", "ordered_list"):
            block.items = _items(lines, tokens, i + 1, j, start)
        blocks.append(block)
        i = j + 1
    return blocks


def _items(lines: list[str], tokens, i: int, j: int, start: int) -> list[Item]:
    items = []
    for k in range(i, j):
        tok = tokens[k]
        if tok.type != "list_item_open" or tok.level != 1 or tok.map is None:
            continue
        s, e = tok.map[0] + start, tok.map[1] + start
        first = ""
        if k + 2 < j and tokens[k + 1].type == "paragraph_open" and tokens[k + 2].type == "inline":
            first = tokens[k + 2].content
        number = int(tok.info) if tok.info.isdigit() else None
        items.append(Item(s, e, first, item_text(lines[s:e]), number))
    return items


def item_text(lines: list[str]) -> str:
    """A list item's lines without the marker, continuation lines dedented to its content."""
    if not lines:
        return ""
    m = _MARKER.match(lines[0])
    width = len(m.group(0)) if m else 0
    out = [lines[0][width:]]
    for line in lines[1:]:
        pad = len(line) - len(line.lstrip(" "))
        out.append(line[min(pad, width):])
    while len(out) > 1 and not out[-1].strip():
        out.pop()
    return "\n".join(out).strip()


def outline(blocks: list[Block]) -> Part:
    """The blocks under their headings (levels 1-3; deeper headings stay in the text)."""
    root = Part("", 0, -1)
    stack = [root]
    for b in blocks:
        if b.kind == "heading" and b.level <= 3:
            while stack[-1].level >= b.level:
                stack.pop()
            part = Part(b.content.strip(), b.level, b.start)
            stack[-1].children.append(part)
            stack.append(part)
        else:
            stack[-1].blocks.append(b)
    return root


def source(lines: list[str], blocks: list[Block]) -> str:
    """The blocks' own text, verbatim, separated by blank lines."""
    return "\n\n".join("\n".join(lines[b.start: b.end]).strip("\n") for b in blocks).strip()

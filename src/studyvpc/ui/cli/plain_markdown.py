"""Markdown as plain text, for ``--plain`` output (screen readers, pipes, dumb terminals).

Content is written in Markdown (``**bold**``, backticks, lists, tables, ``[[links]]``); printed
as it is, a screen reader spells out every asterisk. The text is parsed with markdown-it-py
(CommonMark plus tables, the parser Rich uses for the app) and its tokens are written back as
text: emphasis and code marks dropped, a link as its label (its address after it in
parentheses), ``[[target|label]]`` as its label, list items with ``-`` or their number and
nested lists indented, tables one row per line with ``|`` between cells, code blocks indented.
Never a regular expression over Markdown: only the token stream decides what is a mark.
Raw HTML is text like any other. The caller still passes the result through
`studyvpc.content.textutil.visible` (control characters) before it reaches a terminal.
"""

from __future__ import annotations

from functools import lru_cache

from studyvpc.content.library import split_links


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _inline(children) -> str:
    """The text of an inline token's children, marks dropped, links as their labels."""
    out: list[str] = []
    hrefs: list[tuple[str | None, int]] = []
    for t in children or ():
        kind = t.type
        if kind in ("text", "code_inline", "html_inline"):
            out.append(t.content)
        elif kind in ("softbreak", "hardbreak"):
            out.append("\n")
        elif kind == "image":
            out.append(t.content or "".join(c.content for c in t.children or ()))
        elif kind == "link_open":
            hrefs.append((t.attrs.get("href") if t.attrs else None, len(out)))
        elif kind == "link_close" and hrefs:
            href, start = hrefs.pop()
            label = "".join(out[start:])
            if href and href != label and not href.startswith("#"):
                out.append(f" ({href})")
    # [[target|label]] is not Markdown: markdown-it leaves it as text, read here.
    return "".join(label for label, _target in split_links("".join(out)))


class _Writer:
    """Lines with the prefixes of the lists and quotes they are in."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.frames: list[list] = []
        """Per open list item or quote: [first-line prefix, later-lines prefix, used]."""
        self.lists: list[list] = []
        """Per open list: [ordered, next number, items so far]."""
        self.row: list[str] | None = None
        """The cells of the table row being read (None outside a table row)."""

    def gap(self, *, item: bool = False) -> None:
        """A blank line before the next block, unless it starts the text, or an item (but
        ``item``: the first block of an item of a loose list, after the first item)."""
        if not self.lines or not self.lines[-1]:
            return
        if self.frames and not self.frames[-1][2] and not item:
            return
        self.lines.append(self._prefix(blank=True).rstrip())

    def _prefix(self, blank: bool = False) -> str:
        parts = []
        for frame in self.frames:
            parts.append(frame[1] if frame[2] or blank else frame[0])
        return "".join(parts)

    def block(self, text: str) -> None:
        for line in text.split("\n"):
            self.lines.append(self._prefix() + line)
            for frame in self.frames:
                frame[2] = True


def to_plain(text: str) -> str:
    """``text`` (Markdown) as plain text; see the module docstring."""
    if not text:
        return text
    w = _Writer()
    tight = False  # the last paragraph was in a tight list (no blank lines between items)
    for t in _parser().parse(text):
        kind = t.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(t.attrs.get("start", 1)) if t.attrs else 1
            nested = bool(w.lists)
            w.lists.append([kind == "ordered_list_open", start, 0])
            if not (nested and tight):
                w.gap()
        elif kind in ("bullet_list_close", "ordered_list_close"):
            w.lists.pop()
        elif kind == "list_item_open":
            ordered, number, _ = w.lists[-1]
            marker = f"{number}. " if ordered else "- "
            w.lists[-1][1] += 1
            w.lists[-1][2] += 1
            w.frames.append([marker, " " * len(marker), False])
        elif kind == "blockquote_open":
            w.gap()
            w.frames.append(["> ", "> ", False])
        elif kind in ("list_item_close", "blockquote_close"):
            w.frames.pop()
        elif kind in ("paragraph_open", "heading_open"):
            tight = t.hidden
            if not t.hidden:
                w.gap(item=bool(w.lists) and w.lists[-1][2] > 1)
        elif kind == "inline" and w.row is not None:
            if w.row:
                w.row[-1] = " ".join(_inline(t.children).split())
        elif kind == "inline":
            w.block(_inline(t.children))
        elif kind in ("fence", "code_block"):
            w.gap()
            w.block("\n".join("    " + line for line in t.content.rstrip("\n").split("\n")))
        elif kind == "hr":
            w.gap()
            w.block("---")
        elif kind == "html_block":
            w.gap()
            w.block(t.content.rstrip("\n"))
        elif kind == "table_open":
            w.gap()
        elif kind == "tr_open":
            w.row = []
        elif kind == "tr_close":
            w.block(" | ".join(w.row or ()))
            w.row = None
        elif kind in ("th_open", "td_open") and w.row is not None:
            w.row.append("")
    return "\n".join(line.rstrip() for line in w.lines)

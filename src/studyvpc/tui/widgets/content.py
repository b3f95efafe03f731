"""Turning content strings into Rich renderables that show them literally.

Content is data, never markup: every string goes through ``visible()`` (control characters
become visible symbols) and into a ``rich.text.Text`` or a Markdown renderable, never into a
markup string. These helpers are shared by every screen that shows note or question text.
"""

from __future__ import annotations

from collections.abc import Callable

from markdown_it import MarkdownIt
from rich.markdown import Markdown
from rich.style import Style
from rich.text import Text

from studyvpc.domain.library import split_links
from studyvpc.domain.textutil import one_line, visible


def plain(text: str, style: str | Style = "") -> Text:
    """``text`` as a literal Rich Text (no markup), control characters made visible."""
    return Text(visible(text), style=style)


def line(text: str, style: str | Style = "", limit: int | None = None) -> Text:
    """``text`` on one line (whitespace collapsed), literal."""
    return Text(one_line(text, limit), style=style)


class ContentMarkdown(Markdown):
    """Rich's Markdown with raw HTML shown as text instead of being dropped.

    Rich parses with markdown-it's default ``html=True`` and then ignores the HTML tokens, so
    ``<script>x</script>`` or ``<b>`` in a note would silently vanish. Content must be shown
    literally, so we parse with ``html=False``: markdown-it then keeps such text as text.
    ``parsed`` is a public attribute of rich's Markdown (the token stream it renders).
    """

    def __init__(self, markup: str, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.markup = markup
        parser = MarkdownIt("commonmark", {"html": False}).enable("strikethrough").enable("table")
        self.parsed = parser.parse(markup)


def content_markdown(text: str, link_number: Callable[[str], int | None] | None = None,
                     ) -> ContentMarkdown:
    """Markdown from content, with ``[[links]]`` shown as their label plus a number.

    ``link_number(target)`` gives the number under which the note view lists that link (the
    reader presses the number to follow it); ``None`` shows the label alone.
    """
    return ContentMarkdown(visible(replace_links(text, link_number)))


def replace_links(text: str, link_number: Callable[[str], int | None] | None = None) -> str:
    """``[[target|label]]`` -> ``**label** [n]`` (or ``**label**``) for Markdown rendering."""
    if "[[" not in text:
        return text
    out = []
    for chunk, target in split_links(text):
        if target is None:
            out.append(chunk)
            continue
        n = link_number(target) if link_number else None
        label = chunk.strip() or target
        out.append(f"**{label}**" + (f" [{n}]" if n is not None else ""))
    return "".join(out)


def note_title(note) -> str:
    """A note's title on one line, or its id when the title is blank."""
    return one_line(note.title) or note.id

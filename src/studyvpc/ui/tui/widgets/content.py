"""Turning content strings into Rich renderables that show them literally.

Content is data, never markup: every string goes through ``visible()`` (control characters
become visible symbols) and into a ``rich.text.Text`` or a Markdown renderable, never into a
markup string. These helpers are shared by every screen that shows note or question text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

if TYPE_CHECKING:  # pragma: no cover
    from rich.markdown import Markdown

from studyvpc.content.library import split_links
from studyvpc.content.textutil import one_line, visible


def plain(text: str, style: str | Style = "") -> Text:
    """``text`` as a literal Rich Text (no markup), control characters made visible."""
    return Text(visible(text), style=style)


def line(text: str, style: str | Style = "", limit: int | None = None) -> Text:
    """``text`` on one line (whitespace collapsed), literal."""
    return Text(one_line(text, limit), style=style)


_content_markdown_class: type | None = None


def content_markdown_class() -> type[Markdown]:
    """``ContentMarkdown``: Rich's Markdown with raw HTML shown as text instead of dropped.

    Rich parses with markdown-it's default ``html=True`` and then ignores the HTML tokens, so
    ``<script>x</script>`` or ``<b>`` in a note would silently vanish. Content must be shown
    literally, so we parse with ``html=False``: markdown-it then keeps such text as text.
    ``parsed`` is a public attribute of rich's Markdown (the token stream it renders).

    Built on first use: the app's start (the home screen shows no Markdown) should not pay
    for importing markdown-it and rich's Markdown. One parser serves every renderable (a quiz
    answer shows up to a dozen; the answer latency rows of benchmarks/run.py measure it).
    """
    global _content_markdown_class
    if _content_markdown_class is None:
        from markdown_it import MarkdownIt
        from rich.markdown import Markdown

        parser = MarkdownIt("commonmark", {"html": False}).enable("strikethrough").enable("table")
        # What rich's Markdown.__init__ sets, once: it builds a MarkdownIt parser per object,
        # and an answer shows half a dozen Markdown fields.
        defaults = dict(vars(Markdown("")))

        class ContentMarkdown(Markdown):
            __doc__ = content_markdown_class.__doc__

            def __init__(self, markup: str, **kwargs) -> None:
                if kwargs:
                    super().__init__("", **kwargs)
                else:
                    self.__dict__.update(defaults)
                self.markup = markup
                self.parsed = parser.parse(markup)
                self._drawn: tuple[tuple, list] | None = None

            def __rich_console__(self, console, options):
                # Textual renders a widget's content once to measure its height and again to
                # draw it: the second time, at the same width, gives back the first's lines.
                # Not keyed by the height, which Markdown ignores (it renders at any height)
                # and which differs between the two (none to measure, the height found to
                # draw): keyed by it, every Markdown field was laid out twice per frame.
                key = (id(console), options.max_width, options.min_width, options.justify,
                       options.overflow, options.no_wrap, options.highlight, options.markup)
                if self._drawn is None or self._drawn[0] != key:
                    self._drawn = (key, list(super().__rich_console__(console, options)))
                yield from self._drawn[1]

        _content_markdown_class = ContentMarkdown
    return _content_markdown_class


def content_markdown(text: str, link_number: Callable[[str], int | None] | None = None,
                     ) -> Markdown:
    """Markdown from content, with ``[[links]]`` shown as their label plus a number.

    ``link_number(target)`` gives the number under which the note view lists that link (the
    reader presses the number to follow it), or None for a link to a note that is not in the
    library (shown as plain text); without ``link_number`` every label is shown in bold.
    """
    return content_markdown_class()(visible(replace_links(text, link_number)))


def replace_links(text: str, link_number: Callable[[str], int | None] | None = None) -> str:
    """``[[target|label]]`` -> ``**label** [n]`` (or ``**label**``) for Markdown rendering; a
    link ``link_number`` has no number for (it leads nowhere) -> ``label``, plain text."""
    if "[[" not in text:
        return text
    out = []
    for chunk, target in split_links(text):
        if target is None:
            out.append(chunk)
            continue
        n = link_number(target) if link_number else None
        label = chunk.strip() or target
        if link_number is not None and n is None:
            out.append(label)
        else:
            out.append(f"**{label}**" + (f" [{n}]" if n is not None else ""))
    return "".join(out)


_EMPHASIS_RE = re.compile(r"\*\*|__|`")


def stem_line(stem: str, limit: int | None = 300) -> str:
    """A Markdown stem on one line for a list row: links as labels, no emphasis markers."""
    return one_line(_EMPHASIS_RE.sub("", replace_links(stem)), limit)


def note_title(note) -> str:
    """A note's title on one line, or its id when the title is blank."""
    return one_line(note.title) or note.id

"""Content text as HTML for another tool's cards (Anki): text is data, never markup.

Why it is built this way:

- **Markdown as the app shows it.** Stems, whys, explanations and key points are Markdown (the
  app renders them so); an Anki card shows HTML, so they go through markdown-it-py in its
  CommonMark preset with raw HTML *off*: ``<script>`` written in a note comes out as the text
  ``<script>``, never as an element. Images are off (a card must not fetch from the network
  when shown), and only ``http``/``https`` URLs become links (``javascript:`` and friends stay
  text).
- **Plain fields stay plain.** Option texts and titles are shown by the app as written, so here
  they are escaped (quotes included) with their line breaks kept as ``<br>``.
- **Links between notes become their labels.** ``[[target]]`` and ``[[target|label]]`` point at
  notes Anki does not have; the card shows the label, as a reader of the sentence expects.
- **Control characters are made visible first** (`studyvpc.content.textutil.visible`), as in
  the app: an escape sequence or a right-to-left override in a note shows as a symbol.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from functools import lru_cache

from studyvpc.content.library import split_links
from studyvpc.content.model import Reference
from studyvpc.content.textutil import visible

LINK_SCHEMES = ("http://", "https://")
"""The only URLs that become ``<a href>``; anything else is shown as text."""


def link_labels(text: str) -> str:
    """``text`` with each ``[[target]]`` / ``[[target|label]]`` replaced by what it shows."""
    if "[[" not in text:
        return text
    return "".join(chunk for chunk, _target in split_links(text))


def is_web_url(url: str) -> bool:
    return url.strip().lower().startswith(LINK_SCHEMES)


@lru_cache(maxsize=1)
def _markdown():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    md.validateLink = is_web_url  # type: ignore[method-assign]  # links: http(s) only
    return md


def markdown_html(text: str) -> str:
    """A Markdown field as safe HTML (empty stays empty)."""
    if not text.strip():
        return ""
    return _markdown().render(visible(link_labels(text))).strip()


def plain_html(text: str) -> str:
    """A plain-text field, escaped, with its line breaks kept."""
    return "<br>".join(html.escape(visible(line), quote=True)
                       for line in link_labels(text).split("\n"))


def references_html(references: Iterable[Reference]) -> str:
    """A list of links; a reference whose URL is not http(s) shows its URL as text."""
    items = []
    for ref in references:
        title = plain_html(ref.title or ref.url)
        url = html.escape(visible(ref.url.strip()), quote=True)
        if is_web_url(ref.url):
            items.append(f'<li><a href="{url}">{title}</a></li>')
        else:
            items.append(f"<li>{title}" + (f" ({url})" if url and ref.title else "") + "</li>")
    return f"<ul>{''.join(items)}</ul>" if items else ""

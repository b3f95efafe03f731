"""Content text as card HTML: escaped, Markdown rendered without raw HTML, links as labels."""

from __future__ import annotations

import pytest

from studyvpc.content.model import Reference
from studyvpc.interop.html_text import link_labels, markdown_html, plain_html, references_html

from .export_support import HOSTILE, HtmlRead, squash


def test_links_between_notes_show_their_labels():
    assert link_labels("see [[vpc-flow-logs]] and [[s3-encryption|encryption]].") == (
        "see vpc-flow-logs and encryption.")
    assert "[[" not in markdown_html("see [[a|the note]]") and "the note" in markdown_html(
        "see [[a|the note]]")


def test_markdown_is_rendered_and_raw_html_is_text():
    assert markdown_html("**bold** and `a<b>`") == (
        "<p><strong>bold</strong> and <code>a&lt;b&gt;</code></p>")
    page = HtmlRead(markdown_html('<script>alert(1)</script> <img src=x onerror="alert(1)">'))
    assert [t for t, _ in page.tags] == ["p"]
    assert page.joined == '<script>alert(1)</script> <img src=x onerror="alert(1)">'


@pytest.mark.parametrize("source", [
    "[x](javascript:alert(1))", "[x](data:text/html,hi)", "[x](vbscript:x)", "[x](file:///etc)",
    "<javascript:alert(1)>", "![pixel](https://tracker.invalid/p.png)",
])
def test_only_web_links_become_links_and_no_image_is_fetched(source):
    tags = HtmlRead(markdown_html(source)).tags
    assert all(t != "img" for t, _ in tags)
    hrefs = [v for _, attrs in tags for k, v in attrs if k in ("href", "src")]
    assert all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
    assert "tracker" not in source or hrefs == ["https://tracker.invalid/p.png"]  # a link, not an <img>


def test_plain_text_is_escaped_with_its_line_breaks():
    assert plain_html('a "b" <c>\n& d') == "a &quot;b&quot; &lt;c&gt;<br>&amp; d"


def test_references_link_web_urls_only_and_escape_them():
    out = references_html([Reference("Doc <1>", 'https://e.invalid/?a=1&b="2"'),
                           Reference("Local", "javascript:alert(1)")])
    page = HtmlRead(out)
    assert [(t, a) for t, a in page.tags if t == "a"] == [
        ("a", [("href", 'https://e.invalid/?a=1&b="2"')])]
    assert page.joined == "Doc <1>Local (javascript:alert(1))"


@pytest.mark.parametrize("name,text", HOSTILE, ids=[n for n, _ in HOSTILE])
def test_hostile_strings_stay_text(name, text):
    for rendered in (plain_html(text), markdown_html(text)):
        page = HtmlRead(rendered)
        assert {t for t, _ in page.tags} <= {"p", "br", "pre", "code", "ul", "li", "hr"}
        assert not any(k.startswith("on") for _, attrs in page.tags for k, _ in attrs)
        assert not any(0 < ord(c) < 32 and c not in "\t\n" for c in page.joined), "raw control"
    if name != "YAML-looking text":  # Markdown: "- item" is a list item, "---" a rule
        assert squash(HtmlRead(markdown_html(text)).joined) == squash(
            HtmlRead(plain_html(text)).joined)

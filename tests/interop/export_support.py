"""For the export tests: the bundled deck, a deck of hostile strings, and HTML read as text."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from support.shared import HOSTILE_STRINGS

from studyvpc.content.library import Library
from studyvpc.content.loader import load_library
from studyvpc.content.model import Note, Option, Question, Reference
from studyvpc.locations import bundled_content_dir

HOSTILE: list[tuple[str, str]] = [(e["name"], e["text"])
                                  for e in json.loads(HOSTILE_STRINGS.read_text(encoding="utf-8"))]
HANGUL = re.compile("[\uac00-\ud7a3]")


def bundled_library() -> Library:
    result = load_library([bundled_content_dir()])
    assert result.ok, "\n".join(map(str, result.errors))
    return result.library


def hostile_library() -> Library:
    """One note per hostile string, the string in every field an export carries."""
    notes = []
    for i, (_name, s) in enumerate(HOSTILE):
        question = Question(
            id=f"h{i}-q1", stem=s or "stem", note_id=f"h{i}", explanation=s, tags=("hostile",),
            options=(Option("A", s or "a", True, s), Option("B", "b", False, "")),
            references=(Reference(s, s), Reference("js", "javascript:alert(1)"),
                        Reference(s or "t", 'https://example.invalid/?q="><script>x</script>')))
        notes.append(Note(id=f"h{i}", title=s, key_point=s, questions=(question,)))
    return Library(tuple(notes))


class HtmlRead(HTMLParser):
    """A page's text, its start tags and their attributes."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(page)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)

    @property
    def joined(self) -> str:
        return "".join(self.text)


def html_text(fragment: str) -> str:
    return HtmlRead(fragment).joined


def squash(text: str) -> str:
    """Without whitespace: compares text regardless of where lines were joined or broken."""
    return "".join(text.split())


def words(text: str) -> list[str]:
    """The runs of letters and digits, in order, read as if Markdown's emphasis and code marks
    (``*``, backticks) were not there: the same for a Markdown source and its HTML's text
    (``**AWS PrivateLink**는`` and ``<strong>AWS PrivateLink</strong>는`` both give ``AWS``,
    ``PrivateLink는``)."""
    return re.findall(r"\w+", text.replace("*", "").replace("`", ""))

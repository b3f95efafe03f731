"""Make content text safe to show: control characters become visible symbols.

Content is data. An escape sequence in a note must show as characters and never reach the
terminal (it could recolour, clear the screen or write the clipboard). Tabs and newlines keep
their meaning; every other C0/C1 control and DEL is replaced by its Unicode Control Picture
(ESC -> "␛", NUL -> "␀", CR -> "␍") or, for C1, by a ``\\x9b`` style escape.
Bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) are shown as
``<U+202E>``: a terminal that honours them would reorder the rest of the line, so that
``\u202egnp.exe`` could pass for ``exe.png``.
"""

from __future__ import annotations

import re

_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _picture(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code >= 0x202A:
        return f"<U+{code:04X}>"
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return f"\\x{code:02x}"


def visible(text: str) -> str:
    """``text`` with control characters (other than tab and newline) made visible."""
    if not _CONTROL_RE.search(text):
        return text
    return _CONTROL_RE.sub(_picture, text)


def visible_line(text: str, limit: int | None = None) -> str:
    """``text`` for one line of output (an error message, a file name): control characters
    made visible as `visible` does, and line breaks and tabs too ("␤", "␉"), so that nothing
    from content or a file name can start a line of its own and pass for one of ours."""
    text = visible(text)
    if "\n" in text or "\t" in text:
        text = text.replace("\n", "\u2424").replace("\t", "\u2409")
    if limit is not None and len(text) > limit:
        return text[: max(limit - 1, 0)] + "…"
    return text


def has_control(text: str) -> bool:
    """Whether ``text`` holds a control character (tab and newline included) or a
    bidirectional override: never acceptable in an id, a tag or an alias."""
    return bool(_CONTROL_RE.search(text)) or "\n" in text or "\t" in text


def one_line(text: str, limit: int | None = None) -> str:
    """Collapse whitespace to single spaces (for list rows and titles)."""
    flat = " ".join(visible(text).split())
    if limit is not None and len(flat) > limit:
        return flat[: max(limit - 1, 0)] + "…"
    return flat


def plural(n: int, word: str, many: str | None = None) -> str:
    """"1 question", "2 questions" ("many" for irregular plurals: plural(n, "entry", "entries"))."""
    return f"{n} {word if n == 1 else (many or word + 's')}"

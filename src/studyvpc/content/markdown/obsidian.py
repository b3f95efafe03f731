"""Obsidian's own Markdown: comments, callouts, embeds and inline tags.

- ``<!-- … -->`` and ``%% … %%`` comments are hidden in Obsidian; they are left out here too
  (blanked before parsing, so line numbers do not move).
- A callout ``> [!tip] Title`` becomes a quote that starts with **Tip: Title**.
- An embed ``![[diagram.png]]`` becomes a placeholder naming the file, ``(image: diagram.png)``;
  an embedded note ``![[other-note]]`` keeps its link: ``(embedded: [[other-note]])``.
- Inline ``#tags`` (``#service/lambda``) are the note's tags too; the text keeps them.

Code (fenced, indented or inline) is left exactly as written.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--[\s\S]*?-->|%%[\s\S]*?%%")
_CALLOUT = re.compile(r"^((?:[ \t]*>)+[ \t]*)\[!([^\]\s]+)\][+-]?[ \t]*(.*)$", re.M)
_EMBED = re.compile(r"!\[\[([^\[\]|#\n]+?)(#[^\[\]|\n]*)?(?:\|[^\[\]\n]*)?\]\]")
_MEDIA = {"png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "avif", "tif", "tiff", "heic",
          "pdf", "mp3", "wav", "m4a", "ogg", "flac", "mp4", "webm", "mov", "mkv", "excalidraw"}
_CODE_SPAN = re.compile(r"(`+)[\s\S]*?\1")
_TAG = re.compile(r"(?<![\w/#&])#([\w/-]*[^\W\d_][\w/-]*)")


def blank_comments(text: str) -> str:
    """``text`` with its comments replaced by as many line breaks as they held (outside
    fenced code)."""
    if "<!--" not in text and "%%" not in text:
        return text
    out: list[str] = []
    chunk: list[str] = []
    fence = None

    def flush() -> None:
        if chunk:
            out.append(_blank("\n".join(chunk)))
            chunk.clear()

    for line in text.split("\n"):
        m = _FENCE.match(line)
        if fence is None:
            if m:
                flush()
                fence = m.group(1)
                out.append(line)
            else:
                chunk.append(line)
            continue
        out.append(line)
        if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                and not line.strip().lstrip(fence[0]):
            fence = None
    flush()
    return "\n".join(out)


def _blank(text: str) -> str:
    return _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), text)


def prose(text: str) -> str:
    """Callouts and embeds of a block of Markdown (not code) made readable."""
    if "[!" in text:
        text = _CALLOUT.sub(_callout, text)
    if "![[" in text:
        text = _EMBED.sub(_embed, text)
    return text


def _callout(m: re.Match[str]) -> str:
    kind = m.group(2).replace("-", " ").replace("_", " ").strip()
    kind = kind[:1].upper() + kind[1:]
    title = m.group(3).strip()
    return f"{m.group(1)}**{kind}{': ' + title if title else ''}**"


def is_media(target: str) -> bool:
    """Whether ``target`` names an attachment (an image, a PDF…) rather than a note."""
    return "." in target and target.rsplit(".", 1)[-1].strip().casefold() in _MEDIA


def _embed(m: re.Match[str]) -> str:
    target = m.group(1).strip()
    ext = target.rsplit(".", 1)[-1].casefold() if "." in target else ""
    if ext in _MEDIA:
        kind = "image" if ext not in ("pdf", "mp3", "wav", "m4a", "ogg", "flac", "mp4", "webm",
                                      "mov", "mkv") else "attachment"
        return f"({kind}: {target})"
    return f"(embedded: [[{target}{m.group(2) or ''}]])"


def inline_tags(text: str) -> list[str]:
    """The ``#tags`` written in ``text`` (outside inline code), in order, without ``#``."""
    if "#" not in text:
        return []
    if "`" in text:
        text = _CODE_SPAN.sub(" ", text)
    return [t.strip("/") for t in _TAG.findall(text) if t.strip("/")]

"""A Markdown note's text: decoded, repaired, and split into frontmatter and body.

Decoding never refuses a note. A byte-order mark is dropped and line ends become ``\\n``
(CRLF and lone CR alike), so line numbers are what an editor shows. A file that is not UTF-8
but reads cleanly as CP949 (Korean Windows' code page) is read so; otherwise undecodable
bytes become ``�``. Text garbled by a wrong encoding (`studyvpc.content.mojibake`: UTF-8
Korean read as Windows-1252/1254 and saved again) is repaired where its bytes survive, ``�``
where they were lost, with a warning on each damaged line. (The module repairs more of the
damaged seed note than ``ftfy`` does: benchmarks/mojibake_vs_ftfy.py.)

The frontmatter is the block between a first line ``---`` and the next ``---`` (or ``...``)
line; blank lines may sit inside. It is read with YAML's safe loader (plain data only);
a problem in it is a located warning, and its text is then kept as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from studyvpc.content.model import Location
from studyvpc.content.mojibake import SUSPECT_UTF8_BYTES, find_garbled
from studyvpc.content.yamlnodes import FileContext

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

MAX_FRONTMATTER_CHARS = 64 * 1024
"""A longer frontmatter is kept as text, not parsed (a vault's properties are a few lines)."""


@dataclass
class Source:
    """A note's text as the reader works on it (line ends ``\\n``, repaired)."""

    lines: list[str]
    front: dict = field(default_factory=dict)
    """The frontmatter's mapping ({} without frontmatter or when it could not be read)."""
    front_text: str = ""
    """The frontmatter as written, when it could not be read (kept in a section)."""
    front_lines: tuple[int, int] = (0, 0)
    """0-based [start, end) of the frontmatter's own lines (between the ``---`` lines)."""
    body_start: int = 0
    """0-based index of the body's first line."""

    def key_location(self, path: str, key: str) -> Location:
        """Where the frontmatter gives ``key`` (the line it starts on), else its first line."""
        start, end = self.front_lines
        for i in range(start, end):
            if self.lines[i].startswith(f"{key}:"):
                return Location(path, i + 1, 1)
        return Location(path, max(start, 1), 1)


def decode(ctx: FileContext, data: bytes) -> str:
    """The text of ``data``, with the warnings of `Source`'s rules recorded in ``ctx``."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = _not_utf8(ctx, data, exc)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    ctx.text = text
    if any(b in data for b in SUSPECT_UTF8_BYTES):
        text = _repair(ctx, text)
    return text


def _not_utf8(ctx: FileContext, data: bytes, exc: UnicodeDecodeError) -> str:
    text = data.decode("utf-8", "replace")
    lost = text.count("\ufffd")
    if lost * 100 > len(text):  # most non-ASCII text fails: a whole file in another encoding
        try:
            korean = data.decode("cp949")
        except UnicodeDecodeError:
            pass
        else:
            ctx.warn_at(Location(ctx.path), "not UTF-8: read as CP949 (the Korean Windows "
                        "encoding); save the note as UTF-8")
            return korean
    ctx.text = data[: exc.start].decode("utf-8", "replace")
    where = ctx.loc_at_index(len(ctx.text))
    ctx.warn_at(where, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); {lost} undecodable "
                f"byte sequence{'s' * (lost != 1)} shown as \ufffd; save the note as UTF-8")
    return text


def _repair(ctx: FileContext, text: str) -> str:
    """``text`` with every garbled stretch repaired, a warning on each damaged line."""
    found = find_garbled(text)
    if not found:
        return text
    out, pos = [], 0
    for g in found:
        lost = "; \ufffd marks bytes lost for good (retype those words)" if "\ufffd" in g.meant else ""
        ctx.warn_at(ctx.loc_at_index(g.index), (
            f"garbled text (UTF-8 read as Windows-1252/1254): {_clip(g.garbled)!r} repaired to "
            f"{_clip(g.meant)!r}{lost}"))
        out += [text[pos: g.index], g.meant]
        pos = g.index + len(g.garbled)
    out.append(text[pos:])
    return "".join(out)


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def split(ctx: FileContext, text: str) -> Source:
    """Split off and read the frontmatter."""
    lines = text.split("\n")
    source = Source(lines)
    if not lines or lines[0].rstrip() != "---":
        return source
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:  # no closing line: Obsidian shows it all as text, and so do we
        return source
    source.front_lines, source.body_start = (1, end), end + 1
    raw = "\n".join(lines[1:end])
    if not raw.strip():
        return source
    problem, where = None, Location(ctx.path, 2, 1)
    if len(raw) > MAX_FRONTMATTER_CHARS:
        problem = f"frontmatter longer than {MAX_FRONTMATTER_CHARS:,} characters; not read"
    else:
        try:
            value = yaml.load(raw, Loader=_SafeLoader)  # noqa: S506 - a safe loader
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            if mark is not None:
                where = Location(ctx.path, mark.line + 2, mark.column + 1)
            what = " ".join(p for p in (getattr(exc, "context", None),
                                        getattr(exc, "problem", None)) if p)
            problem = f"frontmatter is not valid YAML ({what or exc})"
        except RecursionError:
            problem = "frontmatter is nested too deeply"
        else:
            if isinstance(value, dict):
                source.front = value
                return source
            problem = "frontmatter is not a list of 'key: value' lines"
    ctx.warn_at(where, f"{problem}; its text is kept as written in a section 'Properties'")
    source.front_text = raw
    return source

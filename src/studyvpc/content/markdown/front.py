"""A note's frontmatter properties as note fields.

``title``, ``created``, ``modified``, ``tags`` (a list, or one string of tags separated by
commas or spaces; hierarchical with ``/``; a leading ``#`` is dropped) and ``aliases`` (also
``alias`` and ``tag``, Obsidian's older names) are read; any other property is kept, as
``- **key**: value`` lines, in a section 'Properties' at the end of the note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from studyvpc.content.markdown.source import Source
from studyvpc.content.model import Location
from studyvpc.content.textutil import has_control
from studyvpc.content.yamlnodes import FileContext

PROPERTIES = "Properties"
"""The title of the section that keeps the properties studyvpc has no field for."""
_KNOWN = {"title", "created", "modified", "tags", "tag", "aliases", "alias"}
_SPLIT = re.compile(r"[,\s]+")
_TAG_SPACE = re.compile(r"\s+")
_SLASHES = re.compile(r"/{2,}")
_MAX_SHOWN = 2_000
"""Characters of one property's value shown in 'Properties' (a value is plain data, but an
alias-built structure could be huge when written out)."""


@dataclass
class Front:
    title: str = ""
    created: date | None = None
    modified: date | None = None
    tags: list[str] = field(default_factory=list)
    aliases: list[tuple[str, Location]] = field(default_factory=list)
    properties: list[str] = field(default_factory=list)
    """Markdown lines for the 'Properties' section."""


def read_front(ctx: FileContext, src: Source) -> Front:
    out = Front()
    meta = src.front
    if src.front_text:
        out.properties.append("```yaml\n" + src.front_text + "\n```")
    for raw_key, value in meta.items():
        key = str(raw_key)
        where = src.key_location(ctx.path, key)
        if key == "title" and _scalar(value):
            out.title = str(value).strip()
        elif key in ("created", "modified") and value is not None:
            day = _day(value)
            if day is None:
                ctx.warn_at(where, f"{key} {_shown(value)} is not a date like 2025-08-20; "
                            "kept in 'Properties'")
                out.properties.append(f"- **{key}**: {_shown(value)}")
            else:
                setattr(out, key, day)
        elif key in ("tags", "tag"):
            out.tags += [t for t in (_tag(x) for x in _clean(ctx, where, key, _strings(
                ctx, where, key, value))) if t]
        elif key in ("aliases", "alias"):
            out.aliases += [(a.strip(), where) for a in _clean(ctx, where, key, _strings(
                ctx, where, key, value, split=False)) if a.strip()]
        elif key not in _KNOWN or value is not None:
            out.properties.append(f"- **{key}**: {_shown(value)}")
    return out


def _clean(ctx: FileContext, where: Location, key: str, values: list[str]) -> list[str]:
    """``values`` without those holding a control character or a line break (warned about)."""
    out = []
    for v in values:
        if has_control(v.strip()):
            ctx.warn_at(where, f"{key} entry {v!r} holds a control character or a line break; "
                        "left out")
        else:
            out.append(v)
    return out


def _scalar(value) -> bool:
    return isinstance(value, (str, int, float, bool, date))


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        raw = value.strip()
        for text in (raw, raw[:10]):
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
    return None


def _strings(ctx: FileContext, where: Location, key: str, value, split: bool = True) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        if split:
            return [s for s in _SPLIT.split(value) if s]
        return [s.strip() for s in value.split(",")] if "," in value else [value.strip()]
    if isinstance(value, list):
        out = []
        for v in value:
            if _scalar(v):
                out.append(str(v).strip())
            else:
                ctx.warn_at(where, f"an entry of {key} is {_shown(v)}, not text; left out")
        return out
    if _scalar(value):
        return [str(value)]
    ctx.warn_at(where, f"{key} must be a list of text, not {_shown(value)}; left out")
    return []


def _tag(text: str) -> str:
    """A tag as the content format writes it: no ``#``, no slashes at the ends, no spaces."""
    return _SLASHES.sub("/", _TAG_SPACE.sub("-", text.strip().lstrip("#").strip("/").strip()))


def _shown(value, budget: list[int] | None = None, depth: int = 0) -> str:
    """``value`` written out for reading, at most `_MAX_SHOWN` characters (and 20 levels)."""
    budget = budget if budget is not None else [_MAX_SHOWN]
    if budget[0] <= 0 or depth > 20:
        return "…"
    if isinstance(value, dict):
        parts = []
        for k, v in value.items():
            parts.append(f"{k}: {_shown(v, budget, depth + 1)}")
            if budget[0] <= 0:
                break
        text = "{" + ", ".join(parts) + "}"
    elif isinstance(value, list):
        parts = []
        for v in value:
            parts.append(_shown(v, budget, depth + 1))
            if budget[0] <= 0:
                break
        text = "[" + ", ".join(parts) + "]"
    elif value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    budget[0] -= len(text)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"

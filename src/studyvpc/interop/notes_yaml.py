"""A note as a YAML content file (docs/content-format.md), written for people to edit.

Keys come in the documented order, empty fields are left out, text of more than one line (and
a long key point, section, stem, why or explanation) is a literal block (``|``), and other
text is plain unless YAML would read it as something else (then PyYAML quotes it). Loading what `note_yaml` writes gives the same note back
(tests/interop/test_notes_yaml.py).

A file written by ``studyvpc import`` starts with a comment header holding the SHA-256 of the
rest (`with_header`); `written_digest` and `body_digest` tell whether it was edited by hand
since.
"""

from __future__ import annotations

import hashlib
import re

import yaml

from studyvpc.content.model import Note, Question

try:
    from yaml import CSafeDumper as _Dumper
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper  # type: ignore[assignment]

DIGEST_KEY = "studyvpc-import"
_DIGEST_LINE = re.compile(rf"^# {DIGEST_KEY}: sha256=([0-9a-f]{{64}})$", re.M)


class _NoteDumper(_Dumper):  # type: ignore[misc, valid-type]
    """Block style, and a literal block for text of more than one line."""


class _Prose(str):
    """Markdown prose: a literal block once it is long, to edit as a paragraph."""


BLOCK_FROM = 60
"""Prose longer than this many characters is written as a block."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value.strip("\n") or (type(value) is _Prose and len(value) > BLOCK_FROM):
        # A literal block keeps every line as written (PyYAML falls back to a quoted scalar
        # for text a block cannot hold: trailing spaces on a line, control characters).
        return dumper.represent_scalar("tag:yaml.org,2002:str", str(value), style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", str(value))


_NoteDumper.add_representer(str, _text)
_NoteDumper.add_representer(_Prose, _text)


def note_data(note: Note) -> dict:
    """``note`` as the plain data of a content file, keys in the documented order."""
    d: dict = {"id": note.id, "title": note.title}
    if note.aliases:
        d["aliases"] = list(note.aliases)
    if note.tags:
        d["tags"] = list(note.tags)
    for key in ("created", "modified"):
        if getattr(note, key) is not None:
            d[key] = getattr(note, key)
    if note.key_point:
        d["key_point"] = _Prose(note.key_point)
    if note.sections:
        d["sections"] = [{"title": s.title, "body": _Prose(s.body)} for s in note.sections]
    if note.flow is not None:
        steps = [s.name if not s.arrow else {"name": s.name, "arrow": s.arrow}
                 for s in note.flow.steps]
        d["flow"] = _titled(note.flow.title, "steps", steps)
    if note.layers:
        d["layers"] = _titled(note.layers_title, "groups", [
            {"name": g.name, "components": [_pair("name", c.name, "role", c.role)
                                            for c in g.components]} for g in note.layers])
    if note.tradeoffs:
        d["tradeoffs"] = _titled(note.tradeoffs_title, "options", [
            {"name": t.option, **({"pros": list(t.pros)} if t.pros else {}),
             **({"cons": list(t.cons)} if t.cons else {})} for t in note.tradeoffs])
    if note.concepts:
        d["concepts"] = _titled(note.concepts_title, "items", [
            _pair("term", c.term, "description", c.description) for c in note.concepts])
    if note.scenarios:
        d["scenarios"] = _titled(note.scenarios_title, "items", [
            _pair("title", s.title, "description", s.description) for s in note.scenarios])
    if note.caveats:
        d["caveats"] = [{**({"about": c.about} if c.about else {}), "text": _Prose(c.text),
                         **({"references": _refs(c.references)} if c.references else {})}
                        for c in note.caveats]
    if note.see_also:
        d["see_also"] = list(note.see_also)
    if note.questions:
        d["questions"] = [_question(q, note.tags) for q in note.questions]
    return d


def _titled(title: str, key: str, items: list) -> dict:
    return {"title": title, key: items} if title else {key: items}


def _pair(k1: str, v1: str, k2: str, v2: str) -> dict:
    return {k1: v1, k2: v2} if v2 else {k1: v1}


def _refs(refs) -> list[dict]:
    return [{"title": r.title, "url": r.url} for r in refs]


def _question(q: Question, note_tags: tuple[str, ...]) -> dict:
    d: dict = {"id": q.id, "stem": _Prose(q.stem)}
    if q.choose != 1:
        d["choose"] = q.choose
    options = []
    for o in q.options:
        od: dict = {"key": o.key, "text": o.text}
        if o.correct:
            od["correct"] = True
        if o.why:
            od["why"] = _Prose(o.why)
        options.append(od)
    d["options"] = options
    if q.explanation:
        d["explanation"] = _Prose(q.explanation)
    own = [t for t in q.tags if t not in note_tags]  # the note's tags apply anyway
    if own:
        d["tags"] = own
    if q.difficulty:
        d["difficulty"] = q.difficulty
    if q.references:
        d["references"] = _refs(q.references)
    return d


def note_yaml(note: Note) -> str:
    """The YAML text of ``note``."""
    return yaml.dump(note_data(note), Dumper=_NoteDumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=1_000_000, indent=2)


def body_digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def with_header(body: str, source: str) -> str:
    """``body`` under the comment header of a file written by ``studyvpc import``."""
    return (f"# Imported from {_one_line(source)} by `studyvpc import`. Edit it freely: a new\n"
            "# import leaves a file edited since alone (unless --force).\n"
            f"# {DIGEST_KEY}: sha256={body_digest(body)}\n{body}")


def split_header(text: str) -> tuple[str | None, str]:
    """(the digest recorded in the header or None, the body after the header)."""
    lines = text.split("\n", 3)
    if len(lines) == 4 and lines[0].startswith("# Imported from "):
        m = _DIGEST_LINE.match(lines[2])
        if m:
            return m.group(1), lines[3]
    return None, text


def edited_since_written(text: str) -> bool:
    """Whether a file's text is not what ``studyvpc import`` wrote (edited, or never ours)."""
    digest, body = split_header(text)
    return digest is None or digest != body_digest(body)


def _one_line(text: str) -> str:
    return " ".join(text.split())

"""Reading one note file's node graph into a `Note`, with located errors.

The loader (``loader``) finds files, parses them and runs the checks that span files; this
module knows the shape of one note and its questions (docs/content-format.md) and records
every problem at its node. What it cannot check alone (ids across files, where ``[[links]]``
lead) it hands back in a `Pending` for the loader's cross-file pass.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from yaml.nodes import Node, ScalarNode

from studyvpc.content import yamlread as yn
from studyvpc.content.fileread import Link, Pending
from studyvpc.content.library import link_targets
from studyvpc.content.model import (
    Caveat, Component, Concept, Flow, FlowStep, Layer, Location, Note, Question, Reference,
    Scenario, Section, TradeOff,
)
from studyvpc.content.option_reader import read_options
from studyvpc.content.textutil import has_control
from studyvpc.content.yamlnodes import FileContext

DIFFICULTIES = ("easy", "medium", "hard")
_ID_RE = re.compile(r"[^\W_][\w.-]*")
"""Matched whole (``fullmatch``: ``$`` would also match before a final newline). Letters (of
any script), digits, ``_``, ``-`` and ``.``, starting with a letter or digit: a Markdown
note's id is its file name's `slug`, and file names are often Korean."""

NOTE_KEYS = ("id", "title", "aliases", "tags", "created", "modified", "key_point", "sections",
             "flow", "layers", "tradeoffs", "concepts", "scenarios", "caveats", "see_also",
             "questions")
QUESTION_KEYS = ("id", "stem", "choose", "options", "explanation", "tags", "difficulty",
                 "references")


class _NoteReader:
    def __init__(self, ctx: FileContext) -> None:
        self.ctx = ctx
        self.links: list[Link] = []

    def markdown(self, node: Node, what: str, allow_empty: bool = False) -> str | None:
        value = yn.text(self.ctx, node, what, allow_empty=allow_empty)
        if value and "[[" in value:
            self._locate_links(node, value)
        return value

    def _locate_links(self, node: Node, value: str) -> None:
        """Every ``[[link]]`` of ``value``, located at its ``[[`` in the source text.

        Links keep their order from source to value (plain, quoted and block scalars alike),
        so each is searched for after the one before it: one pass over the node's source,
        however many links it holds. A link the source does not hold literally (folded across
        lines, escaped) is located at its node."""
        pos, end = node.start_mark.index - 1, node.end_mark.index
        text = self.ctx.text
        for target, offset in link_targets(value):
            snippet = value[offset: value.index("]]", offset) + 2]
            found = text.find(snippet, pos + 1, end)
            if found < 0:
                location = self.ctx.loc(node)
            else:
                pos = found
                location = self.ctx.loc_at_index(found)
            self.links.append(Link(target, location, "link"))


def read_note(ctx: FileContext, root: Node) -> Pending | None:
    r = _NoteReader(ctx)
    m = yn.mapping(ctx, root, "a note", NOTE_KEYS, required=("id", "title"))
    if m is None:
        return None

    def get(key):
        return m[key][1] if key in m else None

    note_id = _an_id(ctx, get("id"), "the note's id") if "id" in m else None
    if note_id is not None:
        ctx.note_names.append(note_id)
    title = yn.text(ctx, get("title"), "title") if "title" in m else None
    fields: dict = {}
    alias_locs: list[tuple[str, Location]] = []
    if "aliases" in m:
        aliases = []
        for alias, anode in yn.text_list(ctx, get("aliases"), "aliases"):
            if has_control(alias):
                ctx.error(anode, f"alias {alias!r} holds a control character or a line break")
            else:
                aliases.append((alias.strip(), anode))
        fields["aliases"] = tuple(a for a, _ in aliases)
        alias_locs = [(a, ctx.loc(n)) for a, n in aliases]
        ctx.note_names.extend(fields["aliases"])
    if "tags" in m:
        fields["tags"] = _tags(ctx, get("tags"))
    for key in ("created", "modified"):
        if key in m:
            fields[key] = yn.a_date(ctx, get(key), key)
    if "key_point" in m:
        fields["key_point"] = r.markdown(get("key_point"), "key_point") or ""
    if "sections" in m:
        fields["sections"] = tuple(_items(ctx, get("sections"), "sections", "a section",
                                          ("title", "body"), lambda d: Section(
                                              _t(ctx, d, "title", "a section's title"),
                                              _md(r, d, "body", "a section's body"))))
    if "flow" in m:
        fields["flow"] = _flow(ctx, r, get("flow"))
    if "layers" in m:
        fields["layers_title"], fields["layers"] = _titled(
            ctx, get("layers"), "layers", "groups", lambda n: _layer(ctx, r, n))
    if "tradeoffs" in m:
        fields["tradeoffs_title"], fields["tradeoffs"] = _titled(
            ctx, get("tradeoffs"), "tradeoffs", "options", lambda n: _tradeoff(ctx, n))
    if "concepts" in m:
        fields["concepts_title"], fields["concepts"] = _titled(
            ctx, get("concepts"), "concepts", "items", lambda n: _pair(
                ctx, n, "a concept", ("term", "description"),
                lambda d: Concept(_t(ctx, d, "term", "term"), _md(r, d, "description", "description")),
                required=("term",)))
    if "scenarios" in m:
        fields["scenarios_title"], fields["scenarios"] = _titled(
            ctx, get("scenarios"), "scenarios", "items", lambda n: _pair(
                ctx, n, "a scenario", ("title", "description"),
                lambda d: Scenario(_t(ctx, d, "title", "title"), _md(r, d, "description", "description")),
                required=("title",)))
    if "caveats" in m:
        fields["caveats"] = tuple(_items(ctx, get("caveats"), "caveats", "a caveat",
                                         ("text", "about", "references"), lambda d: Caveat(
                                             _md(r, d, "text", "a caveat's text"),
                                             _t(ctx, d, "about", "about", optional=True),
                                             _refs(ctx, d.get("references"))),
                                         required=("text",)))
    if "see_also" in m:
        see = yn.text_list(ctx, get("see_also"), "see_also")
        fields["see_also"] = tuple(s for s, _ in see)
        r.links.extend(Link(s, ctx.loc(n), "see_also") for s, n in see)
    questions: list[Question] = []
    q_locs: list[Location] = []
    if "questions" in m:  # read (and report on) them even when the note's id is broken
        note_tags = fields.get("tags", ())
        for qn in yn.sequence(ctx, get("questions"), "questions") or ():
            read = _question(ctx, r, qn, note_id or "", note_tags)
            if read is not None:
                questions.append(read[0])
                q_locs.append(read[1])
    if note_id is None or title is None:
        return None
    note = Note(id=note_id, title=title, questions=tuple(questions), location=ctx.loc(root),
                **{k: v for k, v in fields.items() if v is not None})
    return Pending(note, ctx.loc(get("id")), q_locs, alias_locs, r.links)


def _an_id(ctx: FileContext, node: Node, what: str) -> str | None:
    value = yn.text(ctx, node, what)
    if value is None:
        return None
    if not _ID_RE.fullmatch(value):
        ctx.error(node, f"{what} {value!r} may hold only letters, digits, '-', '_' and '.', "
                  "and starts with a letter or digit")
        return None
    return value


def _tags(ctx: FileContext, node: Node) -> tuple[str, ...]:
    out = []
    for tag, tnode in yn.text_list(ctx, node, "tags"):
        clean = tag.strip().strip("/")
        if has_control(clean):
            ctx.error(tnode, f"tag {tag!r} holds a control character; tags are words joined "
                      "by '/'")
            continue
        if not clean or "//" in clean or any(c.isspace() for c in clean):
            ctx.error(tnode, f"tag {tag!r} must be words joined by '/', without spaces")
            continue
        out.append(clean)
    return tuple(dict.fromkeys(out))


def _t(ctx, d: dict, key: str, what: str, optional: bool = False) -> str:
    if key not in d:
        return ""
    return yn.text(ctx, d[key], what, allow_empty=optional) or ""


def _md(r: _NoteReader, d: dict, key: str, what: str) -> str:
    if key not in d:
        return ""
    return r.markdown(d[key], what) or ""


def _items(ctx, node, what_list, what_item, keys, build, required=None):
    out = []
    for item in yn.sequence(ctx, node, what_list) or ():
        obj = _pair(ctx, item, what_item, keys, build, required)
        if obj is not None:
            out.append(obj)
    return out


def _pair(ctx, node, what, keys, build, required=None):
    m = yn.mapping(ctx, node, what, keys, required=keys if required is None else required)
    if m is None:
        return None
    return build({k: v for k, (_, v) in m.items()})


def _titled(ctx, node, what, list_key, build_item):
    m = yn.mapping(ctx, node, what, ("title", list_key), required=(list_key,))
    if m is None:
        return "", ()
    title = yn.text(ctx, m["title"][1], f"{what} title", allow_empty=True) if "title" in m else ""
    items = []
    if list_key in m:
        for n in yn.sequence(ctx, m[list_key][1], f"{what}.{list_key}") or ():
            obj = build_item(n)
            if obj is not None:
                items.append(obj)
    return title or "", tuple(items)


def _flow(ctx: FileContext, r: _NoteReader, node: Node) -> Flow | None:
    def step(n: Node) -> FlowStep | None:
        if isinstance(n, ScalarNode):
            name = yn.text(ctx, n, "a flow step")
            return FlowStep(name) if name is not None else None
        return _pair(ctx, n, "a flow step", ("name", "arrow"),
                     lambda d: FlowStep(_t(ctx, d, "name", "a flow step's name"),
                                        _t(ctx, d, "arrow", "an arrow label", optional=True)),
                     required=("name",))

    title, steps = _titled(ctx, node, "flow", "steps", step)
    if steps and steps[0].arrow:
        ctx.error(node, "the first flow step has an arrow label, but no arrow leads into it")
    return Flow(steps, title) if steps else None


def _layer(ctx: FileContext, r: _NoteReader, node: Node) -> Layer | None:
    m = yn.mapping(ctx, node, "a layer", ("name", "components"), required=("name", "components"))
    if m is None or "name" not in m:
        return None
    comps = []
    if "components" in m:
        for cn in yn.sequence(ctx, m["components"][1], "components") or ():
            c = _pair(ctx, cn, "a component", ("name", "role"),
                      lambda d: Component(_t(ctx, d, "name", "a component's name"),
                                          _md(r, d, "role", "a component's role")),
                      required=("name",))
            if c is not None:
                comps.append(c)
    name = yn.text(ctx, m["name"][1], "a layer's name")
    return Layer(name, tuple(comps)) if name else None


def _tradeoff(ctx: FileContext, node: Node) -> TradeOff | None:
    m = yn.mapping(ctx, node, "a trade-off option", ("name", "pros", "cons"), required=("name",))
    if m is None or "name" not in m:
        return None
    name = yn.text(ctx, m["name"][1], "a trade-off option's name")
    pros = tuple(t for t, _ in yn.text_list(ctx, m["pros"][1], "pros")) if "pros" in m else ()
    cons = tuple(t for t, _ in yn.text_list(ctx, m["cons"][1], "cons")) if "cons" in m else ()
    if "pros" not in m and "cons" not in m:
        ctx.error(node, f"trade-off option {name!r} has neither pros nor cons")
    return TradeOff(name, pros, cons) if name else None


def _refs(ctx: FileContext, node: Node | None) -> tuple[Reference, ...]:
    if node is None:
        return ()
    out = []
    for rn in yn.sequence(ctx, node, "references") or ():
        m = yn.mapping(ctx, rn, "a reference", ("title", "url"), required=("title", "url"))
        if not m or "title" not in m or "url" not in m:
            continue
        title = yn.text(ctx, m["title"][1], "a reference's title")
        url = yn.text(ctx, m["url"][1], "a reference's url")
        if url is not None and not re.match(r"^https?://[^\s/]+", url):
            ctx.error(m["url"][1], f"reference url {url!r} must start with https:// and a host")
            continue
        if title and url:
            out.append(Reference(title, url))
    return tuple(out)


def _question(ctx: FileContext, r: _NoteReader, node: Node, note_id: str,
              note_tags: Sequence[str]) -> tuple[Question, Location] | None:
    """The question and the location of its id (where a duplicate id is reported)."""
    m = yn.mapping(ctx, node, "a question", QUESTION_KEYS, required=("id", "stem", "options"))
    if m is None:
        return None
    qid = _an_id(ctx, m["id"][1], "a question's id") if "id" in m else None
    stem = r.markdown(m["stem"][1], "a question's stem") if "stem" in m else None
    choose = 1
    choose_ok = True
    choose_node = m["choose"][1] if "choose" in m else None
    if choose_node is not None:
        value = yn.integer(ctx, choose_node, "choose")
        if value is not None and value < 1:
            ctx.error(choose_node, "choose must be 1 or more")
        elif value is not None:
            choose = value
        choose_ok = value is not None and value >= 1
    read = read_options(ctx, r.markdown, m["options"][1]) if "options" in m else None
    options = read.options if read is not None else None
    explanation = r.markdown(m["explanation"][1], "explanation", allow_empty=True) if "explanation" in m else ""
    extra_tags = _tags(ctx, m["tags"][1]) if "tags" in m else ()
    difficulty = None
    if "difficulty" in m:
        d = yn.text(ctx, m["difficulty"][1], "difficulty")
        if d is not None and d not in DIFFICULTIES:
            import difflib

            hint = difflib.get_close_matches(d, DIFFICULTIES, n=1)
            ctx.error(m["difficulty"][1], f"difficulty {d!r} must be one of {', '.join(DIFFICULTIES)}"
                      + (f" (did you mean {hint[0]!r}?)" if hint else ""))
        else:
            difficulty = d
    refs = _refs(ctx, m["references"][1]) if "references" in m else ()
    if read is not None:
        # Count what was *written*, not what was read without errors: an option missing its
        # `why` (already reported) must not also make the question look as if it had no
        # correct option. An unreadable `correct:` leaves the count unknown: say nothing more.
        n_options, n_correct = read.written, read.marked_correct
        where = m["options"][1]
        if n_options < 2:
            ctx.error(where, "a question needs at least two options")
        elif read.correct_unknown or not choose_ok:
            pass
        elif n_correct == 0:
            ctx.error(where, "no option is marked correct: true")
        elif choose_node is None and n_correct > 1:
            ctx.error(where, f"{n_correct} options are marked correct, but the question is not "
                      f"multi-answer (add 'choose: {n_correct}' if learners must pick {n_correct})")
        elif choose_node is not None and n_correct != choose:
            ctx.error(choose_node, f"choose is {choose}, but {n_correct} option(s) are marked correct")
        if choose_node is not None and choose >= n_options >= 2:
            ctx.error(choose_node, f"choose is {choose}, but there are only {n_options} options")
        if len(options) != n_options:  # some option is broken (reported): no usable question
            options = None
    if qid is None or stem is None or options is None:
        return None
    id_loc = ctx.loc(m["id"][1])
    return Question(id=qid, stem=stem, options=tuple(options), explanation=explanation or "",
                    tags=tuple(dict.fromkeys((*note_tags, *extra_tags))), difficulty=difficulty,
                    references=refs, choose=choose, note_id=note_id, location=ctx.loc(node)), id_loc

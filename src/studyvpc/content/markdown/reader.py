"""One Markdown note file -> a `Note` (and what the loader's cross-file checks need).

The note's id is its file name's `slug` (Obsidian names a note by its file); its title is
the H1, else the frontmatter's ``title``, else the file name. The body's parts are read by
their headings (`headings`); the structured ones by `parts` and `question`; every other
heading, and whatever a part holds besides what was recognised in it, becomes an
explanation section, so every line of the note lands in a field or a section.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from studyvpc.content.fileread import Link, Pending
from studyvpc.content.library import link_targets, slug
from studyvpc.content.markdown import headings as hd
from studyvpc.content.markdown import obsidian, parts
from studyvpc.content.markdown.blocks import Block, Part, outline, parse_blocks, source
from studyvpc.content.markdown.front import PROPERTIES, read_front
from studyvpc.content.markdown.question import Draft, split_questions
from studyvpc.content.markdown.source import decode, split
from studyvpc.content.model import (
    Concept, Location, Note, Option, Question, Scenario, Section,
)
from studyvpc.content.yamlnodes import FileContext

_CODE = ("fence", "code")
_ANY_LINK = re.compile(r"\[\[[^\[\]\n]*\]\]")
_NO_WHY = ("has no explanation: the quiz will say that no explanation was written for it "
           "(add a bullet '**Option {letter} (…)** - why' under 💡 추가 설명)")


def note_id_of(path: Path) -> str:
    """The id of the note in ``path``: its file name without ``.md``, as a `slug`."""
    return slug(path.stem) or "note-" + hashlib.sha256(path.stem.encode()).hexdigest()[:10]


class _Builder:
    def __init__(self, ctx: FileContext, lines: list[str], note_id: str) -> None:
        self.ctx = ctx
        self.lines = lines
        self.note_id = note_id
        self.f: dict = {}
        self.sections: list[Section] = []
        self.drafts: list[tuple[Draft, str]] = []
        self.see_also: list[Link] = []

    # -- text
    def md(self, blocks: list[Block]) -> str:
        out = []
        for b in blocks:
            text = "\n".join(self.lines[b.start: b.end]).strip("\n")
            out.append(text if b.kind in _CODE else obsidian.prose(text))
        return "\n\n".join(out).strip()

    def section(self, title: str, blocks: list[Block]) -> None:
        body = self.md([b for b in blocks if b.kind != "hr"])
        if body:
            self.sections.append(Section(hd.clean_title(title) or "Notes", body))

    # -- parts
    def top(self, part: Part) -> None:
        kind = hd.top_kind(hd.clean_title(part.title)) if part.level <= 2 else None
        title = hd.clean_title(part.title)
        if kind == hd.KEY_POINT and "key_point" not in self.f:
            self.f["key_point"] = self.md(part.blocks)
            self.explanation_children(part)
        elif kind == hd.CONCEPTS:
            self.concepts(part)
        elif kind == hd.QUESTION:
            self.questions(part)
        elif kind == hd.RELATED and part.blocks and self.related(part):
            self.explanation_children(part)
        elif part.level == 3:
            self.sub(part)
        else:
            if kind != hd.EXPLANATION or any(b.kind != "hr" for b in part.blocks):
                self.section(title, part.blocks)
            self.explanation_children(part)

    def explanation_children(self, part: Part) -> None:
        for child in part.children:
            self.sub(child)

    def sub(self, part: Part) -> None:
        """A ### subsection: a flow, layers, trade-offs, or an explanation section."""
        title = hd.clean_title(part.title)
        blocks = part.blocks
        fences = [b for b in blocks if b.kind in _CODE]
        if "flow" not in self.f and fences and (hd.is_flow(title) or len(fences) == 1):
            flow = parts.read_flow(fences[0], title)
            if flow is not None:
                self.f["flow"] = flow
                self.section(title, [b for b in blocks if b is not fences[0]])
                return
        labels = [lb for lb in map(parts.label, blocks) if lb]
        if "tradeoffs" not in self.f and (hd.is_tradeoffs(title) or any(map(parts.side, labels))):
            found, rest = parts.read_tradeoffs(blocks, title)
            if found:
                self.f["tradeoffs_title"], self.f["tradeoffs"] = title, tuple(found)
                self.section(title, rest)
                return
        if "layers" not in self.f and labels:
            layers, rest = parts.read_groups(blocks)
            if layers:
                self.f["layers_title"], self.f["layers"] = title, tuple(layers)
                self.section(title, rest)
                return
        self.section(title, blocks)

    def concepts(self, part: Part) -> None:
        titles, items, scenarios = [], [], []
        found, rest = parts.read_pairs(part.blocks, Concept)
        items += found
        self.section(part.title, rest)
        for child in part.children:
            title = hd.clean_title(child.title)
            if hd.is_scenarios(title) and "scenarios" not in self.f:
                scenarios, rest = parts.read_pairs(child.blocks, Scenario)
                if scenarios:
                    self.f["scenarios_title"], self.f["scenarios"] = title, tuple(scenarios)
                self.section(title, rest)
                continue
            found, rest = parts.read_pairs(child.blocks, Concept)
            if found:
                titles.append(title)
                items += found
            self.section(title, rest)
        if items:
            self.f["concepts_title"] = " · ".join(titles)
            self.f["concepts"] = tuple(self.f.get("concepts", ())) + tuple(items)

    def related(self, part: Part) -> bool:
        """A list of bare ``[[links]]``: the note's see-also."""
        if not all(b.kind in ("bullet_list", "ordered_list") for b in part.blocks):
            return False
        found = []
        for b in part.blocks:
            for it in b.items:
                targets = list(link_targets(it.text))
                if len(targets) != 1 or _ANY_LINK.sub("", it.text).strip(" ,-"):
                    return False
                col = self.lines[it.start].index("[[") + 1
                found.append(Link(targets[0][0], Location(self.ctx.path, it.start + 1, col),
                                  "see_also"))
        self.see_also += found
        return bool(found)

    def questions(self, part: Part) -> None:
        drafts, before = split_questions(part.blocks, self.lines)
        self.section(part.title, before)
        self.drafts += [(d, part.title) for d in drafts]
        for child in part.children:
            drafts, before = split_questions(child.blocks, self.lines)
            if drafts and not drafts[0].stem and not before:
                drafts[0].line = child.line
            self.section(child.title, before)
            self.drafts += [(d, child.title) for d in drafts]


def read_markdown_note(ctx: FileContext, data: bytes) -> Pending:
    """Read a Markdown note (warnings go to ``ctx``); never refuses the note."""
    path = Path(ctx.path)
    text = obsidian.blank_comments(decode(ctx, data))
    src = split(ctx, text)
    front = read_front(ctx, src)
    note_id = note_id_of(path)
    lines = src.lines
    root = outline(parse_blocks(lines, src.body_start))
    b = _Builder(ctx, lines, note_id)
    h1 = next((p for p in root.children if p.level == 1), None)
    title = hd.clean_title(h1.title) if h1 is not None else ""
    tops = [c for p in root.children for c in ([*p.children] if p is h1 else [p])]
    intro = root.blocks + (h1.blocks if h1 is not None else [])
    b.section(title or front.title or path.stem, intro)  # text before the first part
    for p in tops:
        b.top(p)
    if front.properties:
        b.sections.append(Section(PROPERTIES, "\n".join(front.properties)))
    title = title or front.title or path.stem.strip() or note_id
    aliases = [a for a, _ in front.aliases]
    if front.title and front.title not in (title, note_id, path.stem) and front.title not in aliases:
        aliases.append(front.title)  # the frontmatter's title, when the H1 is the title shown
    tags = list(dict.fromkeys([*front.tags, *_inline_tags(lines, root)]))
    ctx.note_names.extend([note_id, *aliases])
    questions, q_locs = _questions(ctx, b, tuple(tags))
    note = Note(id=note_id, title=title, aliases=tuple(dict.fromkeys(aliases)), tags=tuple(tags),
                created=front.created, modified=front.modified, sections=tuple(b.sections),
                see_also=tuple(dict.fromkeys(link.target for link in b.see_also)),
                questions=tuple(questions), location=Location(ctx.path, 1, 1), **b.f)
    alias_locs = [(a, w) for a, w in front.aliases]
    # A related-notes list's links are its see-also entries: each is reported once, as that.
    listed = {(link.location.line, link.target) for link in b.see_also}
    links = [link for link in _links(ctx.path, lines, src.body_start, root)
             if (link.location.line, link.target) not in listed] + b.see_also
    return Pending(note, Location(ctx.path, 1, 1), q_locs, alias_locs, links)


def _questions(ctx: FileContext, b: _Builder, tags: tuple[str, ...]
               ) -> tuple[list[Question], list[Location]]:
    out, locs = [], []
    for n, (d, part_title) in enumerate(b.drafts, 1):
        where = Location(ctx.path, d.line + 1, 1)
        q = _question(ctx, d, n, b.note_id, tags, where)
        if q is None:
            b.section(part_title, d.blocks)
            continue
        out.append(q)
        locs.append(where)
    return out, locs


def _question(ctx: FileContext, d: Draft, n: int, note_id: str, tags: tuple[str, ...],
              where: Location) -> Question | None:
    what = f"question {n}"
    letters = [k for k, _, _ in d.options]
    answer = d.answer or sorted(d.marked)
    problem = None
    if len(d.options) < 2:
        problem = "has fewer than two options ('- A) …' bullets)"
    elif not answer:
        problem = "has no answer line ('**정답: A) …**' or '**Answer:** A')"
    elif any(a not in letters for a in answer):
        problem = (f"answers {', '.join(answer)}, but its options are {', '.join(letters)}")
    elif len(set(answer)) >= len(letters):
        problem = "marks every option correct"
    elif len(set(letters)) != len(letters):
        problem = f"gives option {next(k for k in letters if letters.count(k) > 1)} twice"
    if problem:
        ctx.warn_at(where, f"{what} {problem}; kept as text, not asked")
        return None
    keys = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[: len(letters)]
    if letters != list(keys):
        ctx.warn_at(where, f"{what}: options lettered {', '.join(letters)} are read as "
                    f"{', '.join(keys)}")
    select = d.select()
    if select is not None and select != len(answer):
        ctx.warn_at(Location(ctx.path, d.answer_line + 1, 1), (
            f"{what} asks to select {select}, but the answer names {len(answer)}; "
            f"learners will pick {len(answer)}"))
    options = []
    for key, (letter, text, line) in zip(keys, d.options):
        why = obsidian.prose("\n\n".join(d.whys.get(letter, ())).strip())
        if not why:
            ctx.warn_at(Location(ctx.path, line + 1, 1),
                        f"{what}: option {key} " + _NO_WHY.format(letter=key))
        options.append(Option(key, text, letter in answer, why))
    explanation = obsidian.prose("\n\n".join(d.explanation).strip())
    stem = "\n\n".join(d.stem).strip()
    if not stem:
        ctx.warn_at(where, f"{what} has options but no question text ('**Question:** …')")
    return Question(id=f"{note_id}-q{n}", stem=stem or "(no question text)",
                    options=tuple(options), explanation=explanation, tags=tags,
                    choose=len(answer), note_id=note_id, location=where)


def _code_lines(root: Part) -> set[int]:
    out: set[int] = set()

    def walk(p: Part) -> None:
        for bl in p.blocks:
            if bl.kind in _CODE:
                out.update(range(bl.start, bl.end))
        for c in p.children:
            walk(c)

    walk(root)
    return out


def _links(path: str, lines: list[str], start: int, root: Part) -> list[Link]:
    """Every ``[[link]]`` of the body outside code, where it is written."""
    code = _code_lines(root)
    out = []
    for i in range(start, len(lines)):
        line = lines[i]
        if "[[" in line and i not in code:
            out += [Link(t, Location(path, i + 1, col + 1), "link")
                    for t, col in link_targets(line) if not obsidian.is_media(t)]
    return out


def _inline_tags(lines: list[str], root: Part) -> list[str]:
    code = _code_lines(root)
    found: list[str] = []
    for p in _walk(root):
        if p.level > 0:
            found += obsidian.inline_tags(p.title)
        for bl in p.blocks:
            if bl.kind not in _CODE and bl.kind != "html":
                found += obsidian.inline_tags("\n".join(
                    ln for i, ln in enumerate(lines[bl.start: bl.end], bl.start) if i not in code))
    return found


def _walk(p: Part):
    yield p
    for c in p.children:
        yield from _walk(c)

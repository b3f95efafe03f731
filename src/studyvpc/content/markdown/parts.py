"""The template's structured parts, read from a subsection's blocks.

Each reader returns what it recognised and the blocks it did not (the caller keeps those in
an explanation section, so nothing written is lost):

- `read_flow`: a fenced block of steps joined by ``↓`` lines (``↓ (label)`` labels the arrow
  into the next step; ``↑`` arrows keep their direction in the label), or ``A → B → C`` on
  one line; tree lines (``├──``, ``└──``) under a step are folded into that step's name.
- `read_groups`: ``**Group**:`` then ``- Name: role`` or ``- **Name**: role`` bullets (layers).
- `read_tradeoffs`: ``**<option> 장점**:`` / ``**<option> 단점**:`` (or Pros/Cons, either
  order, either side alone, any number of options) then bullets.
- `read_pairs`: ``- **term**: description`` bullets, numbered or not (concepts, scenarios);
  a bullet without a ``:`` is a term alone.
"""

from __future__ import annotations

import re

from studyvpc.content.markdown.blocks import Block
from studyvpc.content.model import (
    Component, Concept, Flow, FlowStep, Layer, Scenario, TradeOff,
)

_BOLD_PAIR = re.compile(r"^\*\*([^*\n]+?)\*\*[ \t]*[:：][ \t]*(.*)$"
                        r"|^\*\*([^*\n]+?)[:：]\*\*[ \t]*(.*)$"
                        r"|^\*\*([^*\n]+?)\*\*[ \t]+[-–—][ \t]+(.*)$", re.S)
_PLAIN_PAIR = re.compile(r"^([^:：*`\[\]\n]{1,80}?)[ \t]*[:：][ \t]+(\S.*)$", re.S)
_LABEL = re.compile(r"^\*\*([^*\n]+?)\*\*[ \t]*[:：]?[ \t]*$|^\*\*([^*\n]+?)[:：]\*\*[ \t]*$"
                    r"|^([^*:：\n]{1,60})[:：]$")
_PRO = r"장점|이점|강점|pros?|advantages?|benefits?|upsides?|strengths?"
_CON = r"단점|한계|약점|cons?|disadvantages?|drawbacks?|downsides?|weaknesses|limitations?"
_SIDE_AFTER = re.compile(rf"^(.*?)[ \t]*\(?({_PRO}|{_CON})\)?$", re.I)
_SIDE_BEFORE = re.compile(rf"^({_PRO}|{_CON})[ \t]*(?:of[ \t]+|[(:：-][ \t]*)?(.*?)\)?$", re.I)
_IS_PRO = re.compile(rf"^(?:{_PRO})$", re.I)
_ARROW = re.compile(r"^([↓⬇▼↑⬆▲])[ \t]*(.*)$")
_TREE = re.compile(r"^([ \t│|┃]*)(?:├──|└──|├─|└─|┣━|┗━|├|└)[─━ \t]*(.*)$")
_ACROSS = re.compile(r"[ \t]*(?:→|->|⇒|=>|⟶)[ \t]*")
_BOX_ONLY = re.compile(r"^[\s─━│┃┌┐└┘├┤┬┴┼═║╔╗╚╝+|-]*$")


def pair(text: str) -> tuple[str, str] | None:
    """``**Name**: rest`` (or ``**Name:** rest``, ``**Name** - rest``, ``Name: rest``)."""
    m = _BOLD_PAIR.match(text)
    if m:
        groups = m.groups()
        k = next(k for k in (0, 2, 4) if groups[k] is not None)
        name, rest = groups[k].strip(), groups[k + 1].strip()
    else:
        m = _PLAIN_PAIR.match(text)
        if not m:
            return None
        name, rest = m.group(1).strip(), m.group(2).strip()
    return (name, rest) if name else None


def label(block: Block) -> str | None:
    """The group label a paragraph is (``**Group**:``, ``**Group:**``, ``Group:``), if it is one."""
    if block.kind != "paragraph" or "\n" in block.content.strip():
        return None
    m = _LABEL.match(block.content.strip())
    if not m:
        return None
    return next(g for g in m.groups() if g is not None).strip() or None


def side(text: str) -> tuple[str, bool] | None:
    """``(option, is_pro)`` of a trade-off label such as ``VPC Endpoint 장점``."""
    for rx, opt_at, side_at in ((_SIDE_AFTER, 1, 2), (_SIDE_BEFORE, 2, 1)):
        m = rx.match(text.strip())
        if m:
            return m.group(opt_at).strip(" :：-"), bool(_IS_PRO.match(m.group(side_at)))
    return None


def _items_of(block: Block) -> list[str]:
    return [it.text for it in block.items if it.text.strip()]


def read_groups(blocks: list[Block]) -> tuple[list[Layer], list[Block]]:
    """Labelled bullet lists: the layers' groups of components."""
    layers: list[Layer] = []
    rest: list[Block] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        name = label(b)
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if name and nxt is not None and nxt.kind in ("bullet_list", "ordered_list"):
            comps = []
            for text in _items_of(nxt):
                p = pair(text)
                comps.append(Component(*p) if p else Component(text, ""))
            layers.append(Layer(name, tuple(comps)))
            i += 2
            continue
        rest.append(b)
        i += 1
    return layers, rest


def read_tradeoffs(blocks: list[Block], title: str) -> tuple[list[TradeOff], list[Block]]:
    """Pros and cons lists per option, in the order the options first appear."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    rest: list[Block] = []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        name = label(b)
        s = side(name) if name else None
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if s and nxt is not None and nxt.kind in ("bullet_list", "ordered_list"):
            option = s[0] or title or "Option"
            pros, cons = found.setdefault(option, ([], []))
            (pros if s[1] else cons).extend(_items_of(nxt))
            i += 2
            continue
        rest.append(b)
        i += 1
    return [TradeOff(o, tuple(p), tuple(c)) for o, (p, c) in found.items() if p or c], rest


def read_pairs(blocks: list[Block], kind: type) -> tuple[list, list[Block]]:
    """Concepts or scenarios from the list items of ``blocks``."""
    items: list = []
    rest: list[Block] = []
    for b in blocks:
        if b.kind not in ("bullet_list", "ordered_list"):
            rest.append(b)
            continue
        for text in _items_of(b):
            p = pair(text)
            items.append(kind(*p) if p else kind(text, ""))
    return items, rest


def read_flow(block: Block, title: str) -> Flow | None:
    """The steps of a fenced flow block, or None if it does not draw a flow."""
    steps: list[list] = []  # [name, arrow, children]
    arrow: str | None = None
    arrows = 0
    for raw in block.content.split("\n"):
        if not raw.strip() or _BOX_ONLY.match(raw):
            continue
        tree = _TREE.match(raw)
        if tree and steps and tree.group(2).strip():
            steps[-1][2].append((len(tree.group(1).expandtabs(4)), tree.group(2).strip()))
            continue
        s = raw.strip().strip("│|┃").strip()
        m = _ARROW.match(s)
        if m:
            arrows += 1
            text = m.group(2).strip()
            if text.startswith("(") and text.endswith(")"):
                text = text[1:-1].strip()
            if m.group(1) in "↑⬆▲":
                text = f"↑ {text}".strip()
            arrow = text if arrow is None else " / ".join(x for x in (arrow, text) if x)
            continue
        parts = [p for p in _ACROSS.split(s) if p]
        if len(parts) > 1:
            arrows += len(parts) - 1
        for k, part in enumerate(parts):
            steps.append([part, (arrow or "") if k == 0 else "", []])
            arrow = None
    if arrow and steps:  # an arrow out of the last step, into nothing: keep its label
        steps[-1][0] += f" ({arrow})"
    if arrows == 0 or len(steps) < 2:
        return None
    if steps[0][1]:  # an arrow into the first step, from nothing: keep its label
        steps[0][0] += f" ({steps[0][1]})"
        steps[0][1] = ""
    out = tuple(FlowStep(name + (f" — {_tree(children)}" if children else ""), a)
                for name, a, children in steps)
    return Flow(out, title)


def _tree(children: list[tuple[int, str]]) -> str:
    """Tree lines under a step on one line: siblings joined by ``;``, a child after ``›``."""
    top = min(indent for indent, _ in children)
    out = ""
    for indent, text in children:
        out += (text if not out else f" › {text}" if indent > top else f"; {text}")
    return out


def concept_items(blocks: list[Block]) -> tuple[list[Concept], list[Block]]:
    return read_pairs(blocks, Concept)


def scenario_items(blocks: list[Block]) -> tuple[list[Scenario], list[Block]]:
    return read_pairs(blocks, Scenario)

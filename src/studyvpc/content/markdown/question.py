"""The exam questions of a note's question section.

A question starts at a ``**Question:**`` (or ``**문제:**``, ``**Q1.**``) paragraph; its stem
runs to the options, ``- A) …`` bullets (``A.``, ``(A)`` too) after an optional
``**Options:**``. The answer is a ``정답:`` / ``Answer:`` paragraph naming one letter or,
for "(Select TWO)", several (``**정답: D) x, F) y**``). After it, ``💡 추가 설명:`` (or
``Explanation:``) leads the explanations: a bullet per option written as
``**Option B (name)** - why``, ``**옵션 B (name)** - why`` or ``**B) text** - why`` gives that
option's ``why`` (``name - why`` when it names the option); everything else there, free prose
included, is the question's explanation.

A question that cannot be asked (no answer, fewer than two options) is a warning and its text
stays in the note as a section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from studyvpc.content.markdown.blocks import Block

_Q_LABEL = re.compile(r"^\*\*(?:question|문제|q)[ \t]*\d*[ \t]*[:.：]?\*\*[ \t]*[:.：]?[ \t]*"
                      r"|^(?:question|문제)[ \t]*\d*[ \t]*[:：][ \t]*", re.I)
_OPTIONS_LABEL = re.compile(r"^\**[ \t]*(?:options|choices|선택지|보기)[ \t]*[:：]?[ \t]*\**"
                            r"[ \t]*[:：]?[ \t]*$", re.I)
_ANSWER = re.compile(r"^\**[ \t]*(?:정답|답|answers?|correct[ \t]+answers?)[ \t]*\**[ \t]*[:：]"
                     r"[ \t]*\**[ \t]*(.*?)[ \t]*\**[ \t]*$", re.I | re.S)
_EXPLAIN = re.compile(r"^(?:💡[ \t]*)?\**[ \t]*(?:추가[ \t]*설명|설명|해설|풀이|explanations?|why)"
                      r"[ \t]*\**[ \t]*[:：][ \t]*\**[ \t]*(.*)$", re.I | re.S)
_OPTION = re.compile(r"^(?:\*\*)?\(?([A-Za-z])[ \t]*[).:](?:\*\*)?[ \t]+(\S.*)$", re.S)
_LETTER_PAREN = re.compile(r"\b([A-Z])\)")
_LETTER_LIST = re.compile(r"^(?:(?:option|옵션)[ \t]*)?\(?[A-Za-z]\)?(?![A-Za-z])"
                          r"(?:[ \t]*(?:,|/|&|and|및|와|과)[ \t]*(?:(?:option|옵션)[ \t]*)?"
                          r"\(?[A-Za-z]\)?(?![A-Za-z]))*", re.I)
_LONE_LETTER = re.compile(r"(?<![A-Za-z])([A-Za-z])(?![A-Za-z])")
_SELECT = re.compile(r"(?:select|choose|pick)[ \t]+(two|three|four|2|3|4)\b"
                     r"|\b(2|3|4|두|세)[ \t]*개[ \t]*(?:를|을)?[ \t]*(?:선택|고르)", re.I)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "2": 2, "3": 3, "4": 4, "두": 2, "세": 3}
_OPT_WORD = r"(?:option|choice|옵션|선택지|보기)"
_WHY_BOLD = re.compile(r"^\*\*([^*\n]+?)\*\*[ \t]*(?:[-–—:：][ \t]*)?([\s\S]*)$")
_HEAD = re.compile(rf"^(?:{_OPT_WORD}[ \t]*\(?([A-Z])\)?[).:：]?|\(?([A-Z])[).:：]|\(([A-Z])\)|([A-Z]))"
                   r"(?:[ \t]+|$)(.*)$", re.I | re.S)
_WHY_PLAIN = re.compile(rf"^{_OPT_WORD}[ \t]*\(?([A-Z])\)?[ \t]*(\([^)\n]*\))?[ \t]*[-–—:：][ \t]*"
                        r"([\s\S]+)$", re.I)
_WHY_LETTER = re.compile(r"^\(?([A-Z])\)[ \t]*([^\n]*?)[ \t]+[-–—][ \t]+([\s\S]+)$")
_CORRECT_MARK = re.compile(r"[ \t]*(?:✅|✔️?|\((?:정답|correct)\)|\[(?:정답|correct)\])[ \t]*$",
                           re.I)


@dataclass
class Draft:
    """One question as written, before it is checked."""

    line: int
    """0-based line where it starts."""
    stem: list[str] = field(default_factory=list)
    options: list[tuple[str, str, int]] = field(default_factory=list)
    """(letter as written, text, 0-based line)"""
    marked: set[str] = field(default_factory=set)
    """Letters whose option text carried a correct mark (✅, (정답))."""
    answer: list[str] = field(default_factory=list)
    answer_line: int = -1
    whys: dict[str, list[str]] = field(default_factory=dict)
    explanation: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    """Every block of the question, for keeping it as a section when it cannot be asked."""
    state: str = "stem"

    def select(self) -> int | None:
        m = _SELECT.search(" ".join(self.stem))
        return _NUMBERS.get((m.group(1) or m.group(2)).lower()) if m else None


def split_questions(blocks: list[Block], lines: list[str]) -> tuple[list[Draft], list[Block]]:
    """The questions in ``blocks``, and the blocks before the first one."""
    drafts: list[Draft] = []
    before: list[Block] = []
    for b in blocks:
        text = "\n".join(lines[b.start: b.end]).strip()
        if b.kind == "paragraph" and _Q_LABEL.match(b.content.strip()):
            d = Draft(b.start)
            rest = _Q_LABEL.sub("", b.content.strip(), count=1).strip()
            if rest:
                d.stem.append(rest)
            d.blocks.append(b)
            drafts.append(d)
            continue
        if not drafts:
            if b.kind in ("bullet_list", "ordered_list") and _looks_like_options(b):
                drafts.append(Draft(b.start))  # options without a stem label: still a question
            else:
                before.append(b)
                continue
        d = drafts[-1]
        d.blocks.append(b)
        if b.kind != "hr":
            _feed(d, b, text)
    return drafts, before


def _looks_like_options(b: Block) -> bool:
    return len(b.items) >= 2 and all(_OPTION.match(it.first.strip() or it.text) for it in b.items)


def _feed(d: Draft, b: Block, text: str) -> None:
    content = b.content.strip()
    if b.kind == "paragraph":
        if _OPTIONS_LABEL.match(content) and not d.options:
            d.state = "options"
            return
        m = _ANSWER.match(content)
        if m and d.options and not d.answer:
            d.answer_line = b.start
            d.answer = _answer_letters(m.group(1), d.options)
            d.state = "answer"
            return
        m = _EXPLAIN.match(content)
        if m and d.state in ("answer", "whys"):
            d.state = "whys"
            if m.group(1).strip():
                d.explanation.append(m.group(1).strip())
            return
        lines = content.split("\n")
        if not d.options and d.state in ("stem", "options") and len(lines) >= 2 \
                and all(_OPTION.match(x.strip()) for x in lines):
            for k, x in enumerate(lines):
                _add_option(d, x.strip(), b.start + k)
            return
        if d.state in ("answer", "whys"):  # whys written one per line, without bullets
            letters = {k for k, _, _ in d.options}
            if all(_why(x.strip(), letters) for x in lines):
                for x in lines:
                    _add_why(d, x.strip())
                return
    if b.kind in ("bullet_list", "ordered_list"):
        if not d.options and d.state in ("stem", "options") and _looks_like_options(b):
            for it in b.items:
                _add_option(d, it.text, it.start)
            return
        if d.state in ("answer", "whys"):
            for it in b.items:
                _add_why(d, it.text, bullet=True)
            return
    (d.stem if d.state in ("stem", "options") and not d.options else d.explanation).append(text)


def _add_option(d: Draft, text: str, line: int) -> None:
    m = _OPTION.match(text)
    if not m:
        return
    letter, body = m.group(1).upper(), m.group(2).strip()
    marked = _CORRECT_MARK.search(body)
    if marked and body[: marked.start()].strip():
        body = body[: marked.start()].rstrip()
        d.marked.add(letter)
    d.options.append((letter, body, line))


def _answer_letters(text: str, options: list[tuple[str, str, int]]) -> list[str]:
    text = text.replace("**", "").strip()
    letters = _LETTER_PAREN.findall(text)
    if not letters:
        m = _LETTER_LIST.match(text)
        if m:
            letters = [x.upper() for x in _LONE_LETTER.findall(m.group())]
    if not letters:  # the answer given as an option's text
        flat = " ".join(text.split()).casefold()
        letters = [k for k, t, _ in options if " ".join(t.split()).casefold() == flat]
    return list(dict.fromkeys(letters))


def _add_why(d: Draft, text: str, bullet: bool = False) -> None:
    found = _why(text, {k for k, _, _ in d.options})
    if found is None:
        d.explanation.append("- " + text.replace("\n", "\n  ") if bullet else text)
        return
    letter, label, why = found
    option_text = dict((k, t) for k, t, _ in d.options)[letter]
    if label and _same(label, option_text):
        label = ""
    d.whys.setdefault(letter, []).append(f"{label} - {why}" if label and why else label or why)


def _same(label: str, text: str) -> bool:
    a, b = " ".join(label.split()).casefold().rstrip("…. "), " ".join(text.split()).casefold()
    return a == b or (len(a) >= 12 and b.startswith(a))


def _why(text: str, letters: set[str]) -> tuple[str, str, str] | None:
    """(letter, label, why) of an explanation bullet about one option."""
    m = _WHY_BOLD.match(text)
    if m:
        head = _HEAD.match(m.group(1).strip())
        if head:
            letter = next(g for g in head.groups()[:4] if g is not None).upper()
            label = head.group(5).strip()
            if letter in letters and (head.group(4) is None or not label):
                return letter, _unwrap(label), m.group(2).strip()
    m = _WHY_PLAIN.match(text) or _WHY_LETTER.match(text)
    if m and m.group(1).upper() in letters:
        return m.group(1).upper(), _unwrap((m.group(2) or "").strip()), m.group(3).strip()
    return None


def _unwrap(label: str) -> str:
    label = label.strip().rstrip(":：").strip()
    if label.startswith("(") and label.endswith(")") and label.count("(") == 1:
        label = label[1:-1].strip()
    return label

"""The seed study note survived its conversion to YAML, word for word.

`content/lambda-vpc-s3-security.yaml` was written from the Markdown seed note
`../shared/seed/lambda-vpc-s3-security.md` (copied into tests/fixtures/shared). The seed is Korean prose
with an English exam question. These tests read the seed itself, pull out every line that
carries Hangul (headings, sentences, bullets, flow boxes and arrow labels), and check that each
one is in the loaded note, and that the structured parts (flow, layers, trade-offs, concepts,
scenarios, question) sit in the right fields in the right order.

The seed's own prose must survive in the note's body: caveats quote the seed's claims (their
`about`), so caveat text is taken out of the corpus before looking for the seed's sentences.
Otherwise a sentence deleted from a section would still be "found" in the caveat quoting it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from support.shared import SEED_NOTE

from studyvpc.content.model import Note, question_texts

HERE = Path(__file__).resolve()
REPO = HERE.parents[2]
SEED = SEED_NOTE
CONTENT = REPO / "content" / "lambda-vpc-s3-security.yaml"
NOTE_ID = "lambda-vpc-s3-security"
QUESTION_ID = "lambda-vpc-s3-security-q1"

HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]")
ARROW = re.compile(r"^↓\s*(?:\((?P<label>.*)\))?$")
BULLET = re.compile(r"^(?:[-*+]\s+|\d+\.\s+)")
WHY_LINE = re.compile(r"^Option (?P<key>[A-Z]) \((?P<label>.+?)\) - (?P<text>.+)$")
PROS_CONS = re.compile(r"^(?P<option>.+) (?P<side>장점|단점)$")

# Headings that name a part of the note rather than say something; the YAML format represents
# each by a field (checked in test_structural_headings_are_represented), not by text.
STRUCTURAL = {"핵심 포인트", "설명", "주요개념", "관련 문제", "추가 설명"}


def norm(text: str) -> str:
    """Whitespace-normalised text: runs of spaces and newlines become one space."""
    return " ".join(text.split())


def has_hangul(text: str) -> bool:
    return bool(HANGUL.search(text))


# --------------------------------------------------------------------------------------------
# Reading the seed


@dataclass(frozen=True)
class Fragment:
    lineno: int
    raw: str
    kind: str  # heading | structural | prose | pair | why | flow | arrow | bullet
    pieces: tuple[str, ...]
    """The text that must be found in the note (a sentence, a heading, a name and its role…)."""


def read_seed() -> tuple[dict, list[str], int]:
    """Front matter, body lines, and the 1-based line number of the body's first line."""
    text = SEED.read_text(encoding="utf-8")
    m = re.match(r"\A---[ \t]*\n(?P<front>.*?)\n---[ \t]*\n", text, re.S)
    assert m, "the seed has no front matter"
    front = yaml.safe_load(m.group("front"))
    first = text[: m.end()].count("\n") + 1
    return front, text[m.end():].splitlines(), first


def clean(line: str) -> str:
    """Strip Markdown markers and emoji from one line, keeping the words."""
    s = EMOJI.sub("", line).strip()
    s = s.lstrip("#").strip()
    s = BULLET.sub("", s)
    s = s.replace("**", "").strip()
    return norm(s)


def sentences(text: str) -> list[str]:
    """Split prose after sentence-final punctuation ('다.', '요.', '.', '?', '!')."""
    return [p for p in re.split(r"(?<=[.?!])\s+", text) if p]


def seed_fragments() -> list[Fragment]:
    _, lines, first = read_seed()
    out: list[Fragment] = []
    in_code = False
    for i, raw in enumerate(lines, start=first):
        stripped = raw.strip()
        if stripped.startswith("```"):
            in_code = not in_code
            continue
        if not stripped or set(stripped) <= {"-", "*", "_"}:
            continue
        if in_code:
            arrow = ARROW.match(stripped)
            if arrow:
                if arrow.group("label"):
                    out.append(Fragment(i, raw, "arrow", (arrow.group("label").strip(),)))
                continue
            out.append(Fragment(i, raw, "flow", (norm(stripped),)))
            continue
        is_heading = stripped.startswith("#") or re.fullmatch(r"\*\*[^*]+\*\*:?", stripped)
        is_bullet = bool(BULLET.match(stripped))
        s = clean(stripped)
        if s.startswith("정답:"):
            out.append(Fragment(i, raw, "structural", (s,)))
            continue
        if is_heading or (s.endswith(":") and not is_bullet):
            s = s.rstrip(":").strip()
            kind = "structural" if s in STRUCTURAL or PROS_CONS.match(s) else "heading"
            out.append(Fragment(i, raw, kind, (s,)))
            continue
        if is_bullet:
            why = WHY_LINE.match(s)
            if why:
                out.append(Fragment(i, raw, "why", (f"{why['label']} - {why['text']}",)))
            elif ": " in s:
                name, role = s.split(": ", 1)
                out.append(Fragment(i, raw, "pair", (name, role)))
            else:
                out.append(Fragment(i, raw, "bullet", (s,)))
            continue
        out.append(Fragment(i, raw, "prose", tuple(sentences(s))))
    return out


def lines_under(title: str) -> list[str]:
    """The seed's body lines after the heading `title`, up to the next heading."""
    _, lines, _ = read_seed()
    for n, raw in enumerate(lines):
        if raw.lstrip().startswith("#") and clean(raw) == title:
            block = []
            for line in lines[n + 1:]:
                if line.lstrip().startswith("#"):
                    break
                block.append(line.rstrip())
            return block
    raise AssertionError(f"the seed has no heading {title!r}")


# --------------------------------------------------------------------------------------------
# Loading the note


LINK_TARGET = re.compile(r"\[\[([^\]|#]+)")


@pytest.fixture(scope="module")
def loaded():
    from studyvpc.content.loader import load_library

    # The whole deck, so that [[links]] and see_also to the other notes can resolve.
    return load_library([CONTENT.parent])


def _is_this_file(error) -> bool:
    location = getattr(error, "location", None)
    path = location.path if location is not None else str(error).split(":", 1)[0]
    return Path(path).resolve() == CONTENT.resolve()


def _unresolved_link(error, library) -> bool:
    """A link or see_also whose target note is simply not in the deck (yet)."""
    m = LINK_TARGET.search(str(error))
    return bool(m) and "resolves to no note" in str(error) and library.resolve(m.group(1)) is None


@pytest.fixture(scope="module")
def note(loaded) -> Note:
    # Errors in other files are not this test's business; missing link targets are checked
    # by test_links_resolve, so that the text checks still run while other notes are written.
    mine = [str(e) for e in loaded.errors
            if getattr(e, "severity", "error") == "error" and _is_this_file(e)
            and not _unresolved_link(e, loaded.library)]
    assert not mine, "the note does not load cleanly:\n" + "\n".join(mine)
    return loaded.library.note(NOTE_ID)


def test_links_resolve(loaded, note):
    from studyvpc.content.library import link_targets

    texts = note.texts() + [t for q in note.questions for t in question_texts(q)]
    targets = set(note.see_also) | {t for text in texts for t, _ in link_targets(text)}
    assert targets, "the note links to no other note"
    missing = sorted(t for t in targets if loaded.library.resolve(t) is None)
    if missing:
        pytest.skip(f"linked notes not in the deck yet: {', '.join(missing)}")


def body_corpus(n: Note) -> list[str]:
    """Every text of the note and its questions, minus the caveats (see the module docstring)."""
    caveat_texts = Counter(t for cv in n.caveats for t in (cv.about, cv.text) if t)
    texts = Counter(n.texts()) - caveat_texts
    out = [norm(t) for t in texts.elements()]
    for q in n.questions:
        out += [norm(t) for t in question_texts(q)]
    return out


def the_question(n: Note):
    qs = [q for q in n.questions if q.id == QUESTION_ID]
    assert len(qs) == 1, f"expected one question {QUESTION_ID!r}, found {len(qs)}"
    return qs[0]


# --------------------------------------------------------------------------------------------
# The extractor itself (so that the survival test cannot pass by seeing nothing)


def test_extractor_accounts_for_every_hangul_line():
    _, lines, first = read_seed()
    hangul_lines = {i for i, raw in enumerate(lines, start=first) if has_hangul(raw)}
    seen = {f.lineno for f in seed_fragments() if any(has_hangul(p) for p in f.pieces)}
    missed = sorted(hangul_lines - seen)
    assert not missed, f"seed lines with Hangul the extractor skipped: {missed}"
    assert len(hangul_lines) >= 45, "the seed looks truncated"


def test_extractor_splits_prose_into_sentences():
    prose = [f for f in seed_fragments() if f.kind == "prose" and has_hangul(f.raw)]
    assert sum(len(f.pieces) for f in prose) == 3  # the key point, and two in the explanation
    assert all(p.endswith("다.") for f in prose for p in f.pieces)


# --------------------------------------------------------------------------------------------
# Survival of the text


def test_every_hangul_line_of_the_seed_is_in_the_note(note):
    corpus = body_corpus(note)
    missing = []
    for frag in seed_fragments():
        if frag.kind == "structural":
            continue
        for piece in frag.pieces:
            if has_hangul(piece) and not any(norm(piece) in t for t in corpus):
                missing.append(f"seed line {frag.lineno} ({frag.kind}): {piece}")
    assert not missing, "seed text not found in the note:\n" + "\n".join(missing)


def test_structural_headings_are_represented(note):
    found = {f.pieces[0] for f in seed_fragments() if f.kind == "structural"}
    plain = {s for s in found if s in STRUCTURAL}
    assert plain == STRUCTURAL, f"the seed's structural headings changed: {sorted(plain)}"
    q = the_question(note)
    checks = {
        "핵심 포인트": bool(note.key_point.strip()),
        "설명": bool(note.sections),
        "주요개념": bool(note.concepts) and bool(note.scenarios),
        "관련 문제": bool(note.questions),
        "추가 설명": all(o.why.strip() for o in q.options),
    }
    assert all(checks.values()), f"parts missing from the note: {[k for k, v in checks.items() if not v]}"
    options = {t.option for t in note.tradeoffs}
    for s in found:
        m = PROS_CONS.match(s)
        if m:
            assert m["option"] in options, f"no trade-off option {m['option']!r} for {s!r}"
        elif s.startswith("정답:"):
            key, text = re.fullmatch(r"정답: ([A-Z])\) (.+)", s).groups()
            assert q.correct_keys == {key}
            assert norm(q.option(key).text) == norm(text)


# --------------------------------------------------------------------------------------------
# Front matter and the parts in their fields


def test_front_matter(note):
    front, lines, _ = read_seed()
    h1 = next(clean(line) for line in lines if re.match(r"#\s", line))
    assert note.id == front["title"] == NOTE_ID
    assert note.title == h1
    assert list(note.tags) == front["tags"]
    assert list(note.aliases) == front["aliases"]
    assert note.created == front["created"]
    assert note.modified == front["modified"]


def test_key_point_and_explanation(note):
    key_point = norm(" ".join(clean(x) for x in lines_under("핵심 포인트") if x.strip()))
    assert norm(note.key_point) == key_point
    title = "VPC Endpoint가 Lambda-S3 보안에 적합한 이유"
    body = norm(" ".join(clean(x) for x in lines_under(title) if x.strip()))
    sections = {s.title: norm(s.body) for s in note.sections}
    assert sections.get(title) == body


def test_flow(note):
    steps: list[tuple[str, str]] = []
    arrow = ""
    in_code = False
    for line in lines_under("아키텍처 플로우"):
        s = line.strip()
        if s.startswith("```"):
            in_code = not in_code
            continue
        if not in_code or not s:
            continue
        m = ARROW.match(s)
        if m:
            arrow = (m.group("label") or "").strip()
        else:
            steps.append((s, arrow))
            arrow = ""
    assert note.flow is not None
    assert note.flow.title == "아키텍처 플로우"
    assert [(st.name, st.arrow) for st in note.flow.steps] == steps
    # The arrow label goes on the step the arrow leads INTO.
    assert dict(steps)["VPC Endpoint (Gateway Type)"] == "실시간 ML 처리"


def test_layers(note):
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for line in lines_under("보안 레이어 구성"):
        s = line.strip()
        if re.fullmatch(r"\*\*[^*]+\*\*:", s):
            groups.append((clean(s).rstrip(":"), []))
        elif s.startswith("- "):
            name, role = clean(s).split(": ", 1)
            groups[-1][1].append((name, role))
    assert [g for g, _ in groups] == ["네트워크 레이어", "권한 레이어"]
    assert note.layers_title == "보안 레이어 구성"
    got = [(layer.name, [(c.name, c.role) for c in layer.components]) for layer in note.layers]
    assert got == groups


def test_tradeoffs(note):
    seed: dict[str, dict[str, list[str]]] = {}
    current = None
    for line in lines_under("Trade-offs 고려사항"):
        s = line.strip()
        m = PROS_CONS.match(clean(s).rstrip(":")) if s.startswith("**") else None
        if m:
            current = seed.setdefault(m["option"], {"장점": [], "단점": []})[m["side"]]
        elif s.startswith("- "):
            current.append(clean(s))
    assert list(seed) == ["VPC Endpoint", "대안 (퍼블릭 연결)"]
    assert note.tradeoffs_title == "Trade-offs 고려사항"
    got = {t.option: {"장점": list(t.pros), "단점": list(t.cons)} for t in note.tradeoffs}
    assert [t.option for t in note.tradeoffs] == list(seed)
    assert got == seed


def test_concepts(note):
    seed = [tuple(clean(x).split(": ", 1)) for x in lines_under("보안 구성 요소 비교") if x.strip()]
    assert len(seed) == 4
    assert note.concepts_title == "보안 구성 요소 비교"
    assert [(c.term, c.description) for c in note.concepts] == seed


def test_scenarios(note):
    seed = [tuple(clean(x).split(": ", 1)) for x in lines_under("실전 적용 시나리오") if x.strip()]
    assert len(seed) == 3 and seed[0][0] == "실시간 사기 탐지"
    assert note.scenarios_title == "실전 적용 시나리오"
    assert [(s.title, s.description) for s in note.scenarios] == seed


# --------------------------------------------------------------------------------------------
# The exam question


def test_question(note):
    block = lines_under("관련 문제")
    stem = next(clean(x).removeprefix("Question:").strip() for x in block if "**Question:**" in x)
    options = [re.match(r"- ([A-Z])\) (.+)", x.strip()).groups()
               for x in block if re.match(r"- [A-Z]\) ", x.strip())]
    answer = next(re.search(r"정답: ([A-Z])\)", x).group(1) for x in block if "정답:" in x)
    whys = {m["key"]: f"{m['label']} - {m['text']}"
            for m in (WHY_LINE.match(clean(x)) for x in block if x.strip().startswith("- **Option"))
            if m}

    q = the_question(note)
    assert len(options) == 4 and len(q.options) == 4
    assert norm(q.stem) == norm(stem)
    assert [(o.key, norm(o.text)) for o in q.options] == [(k, norm(t)) for k, t in options]
    assert answer == "A"
    assert q.correct_keys == {"A"}, "the seed's answer is A, and A alone"
    assert q.choose == 1
    assert all(o.why.strip() for o in q.options), "every option needs a why"
    assert set(whys) == {"B", "C", "D"}
    for key, text in whys.items():
        assert norm(text) in norm(q.option(key).why), f"option {key}'s why lost the seed's text"
    a_why = norm(q.option("A").why)
    assert has_hangul(a_why) and all(a_why != norm(q.option(k).why) for k in "BCD")
    assert has_hangul(q.explanation)
    assert q.difficulty == "medium"
    assert q.references and all(r.url.startswith("https://docs.aws.amazon.com/") for r in q.references)

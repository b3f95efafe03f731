"""Study libraries for the benchmarks and the tests.

``realistic_library(root, questions, dangling=0.05, seed=7)`` is the one to measure with: the
bundled deck's own notes (content/*.yaml, ~5 KB of YAML per question) multiplied with renamed
ids, a share of links dangling. ``realistic_markdown_library`` does the same with the seed
note in Markdown. ``cached_library`` keeps generated libraries under the temporary folder,
keyed by their parameters and the deck's bytes, so repeated runs do not write them again.

``make_library`` (below those) is the older, smaller synthetic note (~1.5 KB per question,
links always resolve); the loader's fast-path tests use it for its variety of YAML forms.

Deterministic (a seeded ``random.Random``), valid content (``studyvpc validate`` passes), and
shaped like the bundled deck: every note has a key point, sections with ``[[links]]`` to other
notes, a flow, trade-offs, concepts and ``see_also``; every question has four options with
their ``why``, an explanation, a difficulty and a reference. About 1.5 KB of YAML per
question, the size the issue's figures were measured on (1,000 questions ≈ 1.5 MB).
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DECK = ROOT / "content"
SEED_NOTE = ROOT / "tests" / "fixtures" / "shared" / "seed" / "lambda-vpc-s3-security.md"
MISSING = "missing-"
"""Every dangling link's target starts with this (no note's id or alias does)."""

_LINK = re.compile(r"\[\[([^\[\]|#\n]+)([^\[\]\n]*)\]\]")  # target, then "#part" / "|label"
_ITEM = re.compile(r"^(\s*-\s+)(\S.*?)(\s*)$")
_INLINE = re.compile(r"^(\w+:\s*\[)(.*)(\]\s*)$")


class _Deck:
    """The bundled notes, each cut into literal text and slots to fill per copy: its id, its
    aliases, its title, the names its links and ``see_also`` give, its question ids. Its
    questions (the last key of every bundled note) are kept apart, so a note can be cut short
    to reach an exact question count."""

    def __init__(self, folder: Path) -> None:
        self.files = sorted(folder.glob("*.yaml"))
        self.notes = [self._compile(f.read_text(encoding="utf-8")) for f in self.files]
        self.key = hashlib.sha256(b"".join(f.read_bytes() for f in self.files)).hexdigest()[:12]

    @staticmethod
    def _compile(text: str) -> tuple[str, list, list[list]]:
        head: list = []
        questions: list[list] = []
        note_id = re.search(r"^id:\s*(\S+)\s*$", text, re.M).group(1)
        block = None  # the top-level key whose block the line is in
        for line in text.splitlines(keepends=True):
            if line[:1].isalpha():
                block = line.split(":", 1)[0]
            out = questions[-1] if questions else head
            if block == "questions" and line.startswith("  - "):
                questions.append([])
                out = questions[-1]
            if line.startswith("id:"):
                out += ["id: ", ("name", note_id), "\n"]
            elif line.startswith("title:") and line[6:].strip()[:1] not in "\"'|>":
                out += [line.rstrip("\n"), ("title",), "\n"]
            elif block == "questions" and (m := re.match(r"^(  - id: )(\S+)(\s*)$", line)):
                qid = m.group(2)
                rest = qid[len(note_id):] if qid.startswith(note_id) else "-" + qid
                out += [m.group(1), ("name", note_id), rest + m.group(3)]
            elif block in ("aliases", "see_also") and (m := _ITEM.match(line) or _INLINE.match(line)):
                kind = "name" if block == "aliases" else "link"
                if m.re is _ITEM:
                    out += [m.group(1), (kind, m.group(2)), m.group(3)]
                else:
                    names = [n.strip() for n in m.group(2).split(",")]
                    out.append(m.group(1))
                    for i, name in enumerate(names):
                        out += [", "] * (i > 0) + [(kind, name)]
                    out.append(m.group(3))
            else:
                pos = 0
                for m in _LINK.finditer(line):
                    out += [line[pos:m.start(1)], ("link", m.group(1).strip())]
                    pos = m.end(1)
                out.append(line[pos:])
        return note_id, head, questions


_DECKS: dict[Path, _Deck] = {}


def _deck(folder: Path = DECK) -> _Deck:
    if folder not in _DECKS:
        _DECKS[folder] = _Deck(folder)
    return _DECKS[folder]


def _suffix(copy: int) -> str:
    return f"-x{copy:04d}"


def realistic_library(root: Path, questions: int, dangling: float = 0.05, seed: int = 7) -> Path:
    """Write a library of exactly ``questions`` questions under ``root`` and return ``root``.

    The bundled deck's notes (13 notes, 61 questions, ~5 KB of YAML per question, Korean and
    English as written) copied over and over: copy ``c`` renames every note id, alias and
    question id with the suffix ``-x{c:04d}`` (``aws-privatelink-x0003``,
    ``aws-privatelink-x0003-q2``) and adds `` · c`` to plain titles; its ``[[links]]`` and
    ``see_also`` entries point at the same copy of their note. With probability ``dangling``
    each link instead names a note that does not exist (``missing-…``), which the loader
    reports as a warning; nothing else is reported, even by ``validate --strict``. The last
    note may have fewer questions than its original so the count is exact. 10,000 questions
    are ~2,100 notes, ~50 MB. Deterministic for a given ``seed``.
    """
    deck = _deck()
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    index = {}
    for b, (note_id, head, _) in enumerate(deck.notes):
        for part in head:
            if isinstance(part, tuple) and part[0] == "name":
                index[part[1].casefold()] = b
    plan = []  # (bundle index, copy, question count)
    left, copy = questions, 0
    while left > 0:
        for b, (_, _, qs) in enumerate(deck.notes):
            n = min(len(qs), left)
            if n:
                plan.append((b, copy, n))
            left -= n
        copy += 1
    made = {(b, c) for b, c, _ in plan}
    for b, c, n in plan:
        note_id, head, qs = deck.notes[b]
        out = []
        for part in [*head, *(p for q in qs[:n] for p in q)]:
            if isinstance(part, str):
                out.append(part)
            elif part[0] == "name":
                out.append(part[1] + _suffix(c))
            elif part[0] == "title":
                out.append(f" · {c}")
            elif rng.random() < dangling:
                out.append(MISSING + part[1] + _suffix(c))
            else:  # a link: to the same copy of its note, else to the first copy
                target = index.get(part[1].casefold())
                to = c if (target, c) in made else 0
                out.append(part[1] + _suffix(to) if (target, to) in made else note_id + _suffix(c))
        (root / f"{note_id}{_suffix(c)}.yaml").write_bytes("".join(out).encode("utf-8"))
    return root


def realistic_markdown_library(root: Path, questions: int, dangling: float = 0.05,
                               seed: int = 7) -> Path:
    """The seed note (an Obsidian note as learners write it, one question) copied
    ``questions`` times as ``.md`` files under ``root``: copy ``c`` is
    ``lambda-vpc-s3-security-x{c:04d}.md`` with its title and aliases renamed the same way and a
    related-notes part linking three other copies (each dangling with probability
    ``dangling``). The seed's own warning (an option without its why) comes with every copy."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    text = SEED_NOTE.read_text(encoding="utf-8")
    stem = SEED_NOTE.stem
    aliases = re.search(r"^aliases: \[(.*)\]$", text, re.M)
    h1 = re.search(r"^# (.*)$", text, re.M)
    for c in range(questions):
        sfx = _suffix(c)
        links = []
        for _ in range(3):
            to = rng.randrange(questions)
            name = f"{stem}{_suffix(to)}"
            links.append(MISSING + name if rng.random() < dangling else name)
        names = ", ".join(f'"{a.strip().strip(chr(34))}{sfx}"' for a in aliases.group(1).split(","))
        note = (text[:aliases.start()] + f"aliases: [{names}]" + text[aliases.end():h1.start()]
                + f"# {h1.group(1)} · {c}" + text[h1.end():])
        note = note.replace(f"title: {stem}\n", f"title: {stem}{sfx}\n", 1)
        note += "\n\n## 관련 노트\n\n" + "".join(f"- [[{t}]]\n" for t in links)
        (root / f"{stem}{sfx}.md").write_bytes(note.encode("utf-8"))
    return root


def cached_library(questions: int, dangling: float = 0.05, seed: int = 7, *,
                   markdown: bool = False) -> Path:
    """``realistic_library`` (or ``realistic_markdown_library``) of these parameters, written
    once under the temporary folder and reused while the deck and this file are unchanged.
    Treat it as read-only."""
    deck = _deck()
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:8]
    kind = "md" if markdown else "yaml"
    key = f"{kind}-q{questions}-d{dangling:g}-s{seed}-{deck.key}-{code}"
    base = Path(tempfile.gettempdir()) / "studyvpc-synth"
    folder = base / key
    if (base / f"{key}.done").exists() and folder.is_dir():
        return folder
    work = base / f"{key}.{os.getpid()}.tmp"
    shutil.rmtree(work, ignore_errors=True)
    (realistic_markdown_library if markdown else realistic_library)(work, questions, dangling, seed)
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(work, folder)
    (base / f"{key}.done").touch()
    return folder


QUESTIONS_PER_NOTE = 10

EN = [
    "A gateway endpoint adds a prefix-list route to the route tables you choose",
    "Interface endpoints place an elastic network interface in each selected subnet",
    "The bucket policy can require aws:SourceVpce so only traffic through the endpoint is allowed",
    "Security groups are stateful, so return traffic is allowed automatically",
    "Network ACLs are stateless and evaluate rules in number order, lowest first",
    "The Lambda execution role decides what the function may call",
    "A resource-based policy decides who may invoke the function",
    "NAT gateways charge per hour and per gigabyte processed, in every Availability Zone",
    "VPC flow logs capture accepted and rejected traffic metadata, not packet payloads",
    "S3 Block Public Access overrides any policy or ACL that would grant public access",
    "SSE-KMS lets you audit every use of the key in CloudTrail",
    "PrivateLink exposes one service rather than a whole network, so CIDRs may overlap",
]
KO = [
    "게이트웨이 엔드포인트는 선택한 route table에 prefix list 경로를 추가한다",
    "인터페이스 엔드포인트는 선택한 subnet마다 ENI를 만든다",
    "버킷 정책에 aws:SourceVpce 조건을 두면 엔드포인트를 거친 요청만 허용된다",
    "보안 그룹은 상태 저장이라 응답 트래픽이 자동으로 허용된다",
    "네트워크 ACL은 상태 비저장이며 번호가 낮은 규칙부터 평가한다",
    "실행 역할은 함수가 무엇을 호출할 수 있는지 정한다",
    "NAT 게이트웨이는 가용 영역마다 시간 요금과 처리 요금이 붙는다",
    "흐름 로그는 패킷 내용이 아니라 메타데이터만 기록한다",
    "퍼블릭 액세스 차단은 공개 권한을 주는 정책과 ACL을 모두 무시한다",
    "PrivateLink는 네트워크가 아니라 서비스 하나를 사설로 연결한다",
]
TAGS = [f"{top}/{leaf}" for top, leaves in (
    ("service", ("s3", "vpc", "lambda", "kms", "iam", "cloudtrail", "elb", "privatelink")),
    ("security", ("network", "encryption", "vpc-endpoint", "identity", "data-protection")),
    ("ops", ("monitoring", "cost", "troubleshooting")),
    ("topic", ("networking", "storage", "compute", "governance")),
) for leaf in leaves]


def _sentence(rng: random.Random) -> str:
    # One sentence in three is Korean: the text mix of the real deck.
    return rng.choice(KO) if rng.random() < 1 / 3 else rng.choice(EN)


def _para(rng: random.Random, n: int) -> str:
    return ". ".join(_sentence(rng) for _ in range(n)) + "."


def _block(text: str, indent: int) -> str:
    pad = " " * indent
    return "|\n" + "\n".join(pad + line for line in text.splitlines()) + "\n"


def _q(s: str) -> str:
    """A double-quoted YAML scalar (safe for every generated string)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def note_yaml(i: int, n_notes: int, n_questions: int, rng: random.Random) -> str:
    nid = f"synthetic-note-{i:05d}"
    other = f"synthetic-note-{(i + 1) % n_notes:05d}"
    tags = rng.sample(TAGS, 3)
    out = [f"id: {nid}\n", f"title: {_q(f'Synthetic note {i}: ' + _sentence(rng))}\n",
           f"aliases: [{_q(f'syn-{i}')}]\n", f"tags: [{', '.join(tags)}]\n",
           "created: 2025-08-20\n",
           f"key_point: {_block(_para(rng, 2), 2)}",
           "sections:\n"]
    for s in range(2):
        body = _para(rng, 3) + (f" See [[{other}]]." if s == 0 and n_notes > 1 else "")
        out.append(f"  - title: {_q(f'Section {s + 1}')}\n    body: {_block(body, 6)}")
    out.append("flow:\n  title: Path\n  steps:\n    - Client\n"
               "    - {name: Endpoint, arrow: private route}\n    - {name: Service, arrow: AWS network}\n")
    out.append("tradeoffs:\n  options:\n")
    for name in ("Option one", "Option two"):
        out.append(f"    - name: {name}\n      pros: [{_q(_sentence(rng))}]\n"
                   f"      cons: [{_q(_sentence(rng))}]\n")
    out.append(f"concepts:\n  items:\n    - term: Term {i}\n      description: {_q(_sentence(rng))}\n")
    if n_notes > 1:
        out.append(f"see_also: [{other}]\n")
    out.append("questions:\n")
    for k in range(n_questions):
        correct = rng.randrange(4)
        out.append(f"  - id: {nid}-q{k + 1}\n    stem: {_block(_para(rng, 2) + ' Which option fits?', 6)}"
                   f"    difficulty: {rng.choice(('easy', 'medium', 'hard'))}\n    options:\n")
        for o in range(4):
            out.append(f"      - key: {'ABCD'[o]}\n        text: {_q(_sentence(rng))}\n"
                       + ("        correct: true\n" if o == correct else "")
                       + f"        why: {_block(_para(rng, 1), 10)}")
        out.append(f"    explanation: {_block(_para(rng, 2), 6)}"
                   "    references:\n      - title: AWS documentation\n"
                   f"        url: https://docs.aws.amazon.com/synthetic/{i}/{k}.html\n")
    return "".join(out)


def make_library(root: Path, questions: int, seed: int = 7) -> Path:
    """Write a library of ``questions`` questions under ``root``; returns ``root``."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    n_notes = max(1, -(-questions // QUESTIONS_PER_NOTE))
    left = questions
    for i in range(n_notes):
        n = min(QUESTIONS_PER_NOTE, left)
        left -= n
        (root / f"note-{i:05d}.yaml").write_text(note_yaml(i, n_notes, n, rng), encoding="utf-8")
    return root


if __name__ == "__main__":  # python benchmarks/synth.py DIR N
    import sys

    make_library(Path(sys.argv[1]), int(sys.argv[2]))

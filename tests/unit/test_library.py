"""The library: lookup by id and alias, search, tags, and links between notes."""

from __future__ import annotations

import pytest

from studyvpc.content.library import Library, link_targets, split_links
from studyvpc.content.model import Note, Option, Question, Section


def question(qid: str, note_id: str, stem: str, *, why: str = "w", tags=()) -> Question:
    return Question(id=qid, stem=stem, note_id=note_id, tags=tuple(tags), options=(
        Option("A", "yes", True, why), Option("B", "no", False, "아니다")))


LAMBDA = Note(
    id="lambda-vpc-s3-security", title="Lambda VPC Endpoint를 통한 S3 보안 연결",
    aliases=("Lambda-VPC", "vpc-endpoint-s3"), tags=("service/lambda", "service/s3", "security/vpc-endpoint"),
    key_point="데이터가 퍼블릭 인터넷을 거치지 않고 안전하게 처리된다.",
    sections=(Section("설명", "자세한 것은 [[sg-vs-nacl|보안 그룹]]과 [[flow-logs#대상]]을 보라."),),
    questions=(question("lambda-q1", "lambda-vpc-s3-security", "Which endpoint?",
                        tags=("service/lambda", "exam/saa")),),
)
SG = Note(
    id="sg-vs-nacl", title="Security group과 Network ACL", aliases=("방화벽",),
    tags=("security/network", "service/vpc"),
    key_point="Security group은 상태 저장(stateful) 방화벽이다.",
    see_also=("LAMBDA-VPC",),  # an alias, in another case
    questions=(question("sg-q1", "sg-vs-nacl", "Stateful?", tags=("security/network",)),
               question("sg-q2", "sg-vs-nacl", "Return traffic?")),
)
LOGS = Note(
    id="flow-logs", title="VPC Flow Logs", tags=("service/vpc/flow-logs", "servicemesh"),
    key_point="Flow log는 트래픽을 기록한다.",
    questions=(question("logs-q1", "flow-logs", "Where do logs go?",
                        why="[[Sg-Vs-Nacl]]의 거부도 기록된다"),),
)
LONELY = Note(id="lonely", title="Nobody links here", key_point="[[nowhere]]")


@pytest.fixture
def lib() -> Library:
    return Library((LAMBDA, SG, LOGS, LONELY))


# --------------------------------------------------------------------------- lookup

@pytest.mark.parametrize("target, expected", [
    ("lambda-vpc-s3-security", "lambda-vpc-s3-security"),
    ("LAMBDA-VPC-S3-Security", "lambda-vpc-s3-security"),  # ids ignore case too
    ("lambda-vpc", "lambda-vpc-s3-security"),  # alias written "Lambda-VPC"
    ("VPC-ENDPOINT-S3", "lambda-vpc-s3-security"),
    ("방화벽", "sg-vs-nacl"),
    ("  sg-vs-nacl ", "sg-vs-nacl"),
    ("ｓｇ-ｖｓ-ｎａｃｌ", "sg-vs-nacl"),  # full-width Latin folds (NFKC)
])
def test_resolve_by_id_and_alias_ignoring_case(lib, target, expected):
    note = lib.resolve(target)
    assert note is not None and note.id == expected


@pytest.mark.parametrize("target", ["nope", "lambda", "sg-vs", ""])
def test_resolve_unknown_is_none(lib, target):
    assert lib.resolve(target) is None


def test_ids_win_over_aliases():
    # (the loader reports such clashes as ambiguous; the library still answers predictably)
    a = Note(id="Alpha", title="A")
    b = Note(id="b", title="B", aliases=("alpha", "Gamma"))
    c = Note(id="gamma", title="C")
    lib = Library((b, a, c))
    assert lib.resolve("Alpha").id == "Alpha"
    assert lib.resolve("alpha").id == "Alpha"
    assert lib.resolve("Gamma").id == "gamma"


def test_note_and_question_lookup(lib):
    assert lib.note("flow-logs") is LOGS
    assert lib.get_note("missing") is None
    with pytest.raises(KeyError):
        lib.note("missing")
    assert [q.id for q in lib.questions] == ["lambda-q1", "sg-q1", "sg-q2", "logs-q1"]
    assert lib.question("sg-q2").stem == "Return traffic?"
    assert lib.get_question("nope") is None
    assert lib.note_of(lib.question("logs-q1")) is LOGS


def test_duplicate_ids_keep_the_first():
    twin = Note(id="flow-logs", title="Second copy")
    lib = Library((LOGS, twin))
    assert lib.notes == (LOGS,)
    assert lib.note("flow-logs").title == "VPC Flow Logs"


def test_suggest_a_close_name(lib):
    assert lib.suggest("sg-vs-nacll") == "sg-vs-nacl"
    assert lib.suggest("flowlogs") == "flow-logs"
    assert lib.suggest("completely different") is None


# --------------------------------------------------------------------------- search

@pytest.mark.parametrize("query, expected", [
    ("퍼블릭", ["lambda-vpc-s3-security"]),  # a Korean word from the key point
    ("상태 저장", ["sg-vs-nacl"]),  # every word must appear
    ("보안", ["lambda-vpc-s3-security"]),  # in the title (and a link label)
    ("flow logs", ["flow-logs", "lambda-vpc-s3-security"]),  # title first; then a link text
    ("방화벽", ["sg-vs-nacl"]),  # alias
    ("lambda-vpc", ["lambda-vpc-s3-security"]),  # alias (sg's see_also is not searched)
    ("security/network", ["sg-vs-nacl"]),  # tag
    ("Return traffic", ["sg-vs-nacl"]),  # a question's stem
    ("아니다", ["lambda-vpc-s3-security", "sg-vs-nacl", "flow-logs"]),  # an option's why
    ("퍼블릭 방화벽", []),
    ("no such words", []),
])
def test_search(lib, query, expected):
    assert [n.id for n in lib.search(query)] == expected


def test_search_puts_title_and_alias_hits_first(lib):
    # "vpc" is in all three texts; flow-logs has it in its title
    hits = [n.id for n in lib.search("vpc")]
    assert hits[0] in ("lambda-vpc-s3-security", "flow-logs")
    assert set(hits) == {"lambda-vpc-s3-security", "sg-vs-nacl", "flow-logs"}
    assert hits.index("sg-vs-nacl") == 2
    assert [n.id for n in lib.search("기록")] == ["flow-logs"]


def test_empty_search_lists_every_note(lib):
    assert [n.id for n in lib.search("   ")] == [n.id for n in lib.notes]


# --------------------------------------------------------------------------- tags

def test_tags_are_sorted_and_unique(lib):
    assert lib.tags == ("security/network", "security/vpc-endpoint", "service/lambda",
                        "service/s3", "service/vpc", "service/vpc/flow-logs", "servicemesh")


@pytest.mark.parametrize("tag, expected", [
    ("service", ["lambda-vpc-s3-security", "sg-vs-nacl", "flow-logs"]),  # not "servicemesh"
    ("service/vpc", ["sg-vs-nacl", "flow-logs"]),
    ("service/vpc/flow-logs", ["flow-logs"]),
    ("servicemesh", ["flow-logs"]),
    ("security", ["lambda-vpc-s3-security", "sg-vs-nacl"]),
    ("serv", []),  # a prefix of a word is not a parent tag
    ("service/lambda/x", []),
])
def test_notes_tagged_includes_children(lib, tag, expected):
    assert [n.id for n in lib.notes_tagged(tag)] == expected


def test_questions_tagged_and_counts(lib):
    assert [q.id for q in lib.questions_tagged("security")] == ["sg-q1"]
    assert [q.id for q in lib.questions_tagged("exam")] == ["lambda-q1"]
    assert lib.tag_counts("service/lambda") == (1, 1)
    assert lib.tag_counts("security/network") == (1, 1)


# --------------------------------------------------------------------------- links

def test_link_targets_with_label_and_part():
    text = "see [[a]], [[b|the B note]] and [[c#section two]] or [[ d #x|label ]]; not [[]] or [x]"
    assert list(link_targets(text)) == [("a", 4), ("b", 11), ("c", 32), ("d", 53)]
    for target, offset in link_targets(text):
        assert text.startswith("[[", offset)


def test_link_targets_do_not_cross_lines_or_nest():
    assert list(link_targets("[[a\nb]] [[[c]]]")) == [("c", 9)]


def test_split_links_gives_labels_and_targets():
    text = "앞 [[sg-vs-nacl|보안 그룹]] 중간 [[flow-logs#대상]] 끝 [[x]]"
    assert list(split_links(text)) == [
        ("앞 ", None), ("보안 그룹", "sg-vs-nacl"), (" 중간 ", None),
        ("flow-logs", "flow-logs"), (" 끝 ", None), ("x", "x"),
    ]
    assert "".join(chunk for chunk, _ in split_links("no links here")) == "no links here"
    assert list(split_links("")) == []


def test_backlinks(lib):
    # LAMBDA links to sg-vs-nacl in a section; LOGS links to it from a question's why
    assert [n.id for n in lib.backlinks("sg-vs-nacl")] == ["lambda-vpc-s3-security", "flow-logs"]
    # SG's see_also names LAMBDA by an alias
    assert [n.id for n in lib.backlinks("lambda-vpc-s3-security")] == ["sg-vs-nacl"]
    assert [n.id for n in lib.backlinks("flow-logs")] == ["lambda-vpc-s3-security"]
    assert lib.backlinks("lonely") == []

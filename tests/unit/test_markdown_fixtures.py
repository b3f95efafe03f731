"""Notes of the learners' template as they vary it (tests/fixtures/markdown), read directly.

Each fixture is a realistic note exercising some variations; the tests pin what it must
become: ids, titles, the parts found, every question's correct keys and whys, and the
warnings (as ``file:line``) it gives.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from studyvpc.content.loader import load_library
from studyvpc.content.model import Note

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "markdown"


@pytest.fixture(scope="module")
def loaded():
    return load_library([FIXTURES])


@pytest.fixture(scope="module")
def notes(loaded) -> dict[str, Note]:
    return {n.id: n for n in loaded.library.notes}


def warnings_of(loaded, name: str) -> list[str]:
    return [f"{e.location.line}: {e.message}" for e in loaded.errors
            if Path(e.location.path).name == name]


def whys(note: Note, n: int = 0) -> dict[str, str]:
    return {o.key: o.why for o in note.questions[n].options}


def test_every_fixture_loads_as_one_note_without_errors(loaded, notes):
    assert loaded.ok, [str(e) for e in loaded.errors if e.severity == "error"]
    assert len(list(FIXTURES.glob("*.md"))) >= 15
    assert sorted(notes) == sorted(p.stem for p in FIXTURES.glob("*.md"))


def test_no_frontmatter_title_from_h1_and_flow_with_labels(notes, loaded):
    n = notes["nat-gateway-basics"]
    assert n.title == "NAT Gateway 기본 동작" and n.tags == () and n.created is None
    assert [(s.name, s.arrow) for s in n.flow.steps] == [
        ("EC2 (private subnet)", ""), ("NAT Gateway (public subnet)", "0.0.0.0/0 경로"),
        ("Internet Gateway", ""), ("외부 API", "인터넷")]
    (q,) = n.questions
    assert q.id == "nat-gateway-basics-q1" and q.correct_keys == {"B"} and q.choose == 1
    assert whys(n) == {"A": "Internet Gateway - 인스턴스가 인터넷에서 직접 도달 가능해진다", "B": "",
                       "C": "Elastic IP - public IP를 주면 외부에서 접근할 수 있다",
                       "D": "Gateway endpoint - gateway endpoint는 S3와 DynamoDB 전용이다"}
    assert warnings_of(loaded, "nat-gateway-basics.md") == [
        "32: question 1: option B has no explanation: the quiz will say that no explanation "
        "was written for it (add a bullet '**Option B (…)** - why' under 💡 추가 설명)"]


def test_no_title_anywhere_uses_the_file_name_and_keeps_the_intro(notes):
    n = notes["security-group-rules"]
    assert n.title == "security-group-rules"
    assert n.sections[0].body == "Security group은 인스턴스 수준의 상태 저장 방화벽이다."
    assert str(n.created) == "2025-09-01" and n.tags == ("service/vpc", "security/network")
    # '**Answer:** B', options without '**Options:**', whys written as '**A)** why'
    assert n.questions[0].correct_keys == {"B"}
    assert whys(n) == {"A": "deny 규칙은 network ACL에만 있다", "B": "",
                       "C": "번호 순서 평가는 network ACL의 특징이다"}


def test_unknown_keys_go_to_properties_and_tags_may_be_a_string(notes, loaded):
    n = notes["vpc-flow-logs-overview"]
    assert n.tags == ("ops/monitoring", "service/vpc", "security/network")
    assert n.aliases == ("flow-logs", "흐름 로그")  # 'alias' and 'aliases' both read
    assert str(n.modified) == "2025-08-23"  # a date and a time: the date
    props = next(s for s in n.sections if s.title == "Properties")
    assert props.body.split("\n") == [
        "- **status**: draft",
        "- **source**: https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
        "- **reviewed**: false"]
    assert warnings_of(loaded, "vpc-flow-logs-overview.md") == []
    assert n.questions == ()


def test_english_headings(notes):
    n = notes["interface-endpoint-english"]
    assert n.key_point.startswith("An interface endpoint puts")
    assert [s.title for s in n.sections] == ["How it works"]
    assert n.flow.title == "Architecture flow" and len(n.flow.steps) == 3
    assert n.tradeoffs_title == "Trade-offs" and n.tradeoffs[0].option == "Interface endpoint"
    assert n.tradeoffs[0].cons == ("Charged per hour and per GB",)
    assert n.concepts_title == "Terms" and [c.term for c in n.concepts] == ["ENI", "Private DNS"]
    assert n.scenarios_title == "Scenarios" and n.scenarios[1].title == "Isolated VPC"
    assert n.questions[0].correct_keys == {"C"}
    # '**A) <the option's text>** - why': the text is not repeated in the why
    assert whys(n) == {"A": "gateway endpoints exist only for S3 and DynamoDB",
                       "B": "NAT gateway - a NAT gateway is for outbound internet traffic",
                       "C": "", "D": "Public VIF - that path is public, not private"}


def test_tree_shaped_flow_and_an_upward_arrow(notes):
    n = notes["alb-request-tree-flow"]
    assert [(s.name, s.arrow) for s in n.flow.steps] == [
        ("Client", ""),
        ("Application Load Balancer — Listener rule: /api/* › Target group A (ECS); "
         "Listener rule: /static/* › Target group B (EC2)", "HTTPS 443"),
        ("Target", ""), ("Client", "↑ 응답")]
    assert [s.title for s in n.sections] == ["동작 방식"]


def test_bold_component_names_and_prose_beside_the_groups(notes):
    n = notes["lambda-vpc-layers"]
    assert n.layers_title == "네트워크 구성 요소"
    assert [(g.name, [(c.name, c.role) for c in g.components]) for g in n.layers] == [
        ("연결 계층", [("Hyperplane ENI", "함수와 subnet을 잇는 공유 네트워크 인터페이스"),
                   ("Security Group", "ENI의 아웃바운드와 인바운드를 제어")]),
        ("권한 계층", [("Execution Role", "ec2:CreateNetworkInterface 등 ENI 관리 권한"),
                   ("Resource-based Policy", "함수를 호출할 수 있는 주체")])]
    # the sentence after the groups is kept, under the same title
    assert [(s.title, s.body) for s in n.sections] == [
        ("네트워크 구성 요소", "이 구성 요소들은 함수를 만들 때 한 번 준비된다.")]


def test_tradeoffs_with_one_side_only_and_three_options(notes):
    n = notes["endpoint-choices-tradeoffs"]
    assert [(t.option, len(t.pros), len(t.cons)) for t in n.tradeoffs] == [
        ("Gateway endpoint", 2, 0), ("Interface endpoint", 1, 1), ("NAT gateway", 0, 2)]


def test_select_two_with_six_options(notes, loaded):
    n = notes["multi-answer-select-two"]
    (q,) = n.questions
    assert len(q.options) == 6 and q.choose == 2 and q.correct_keys == {"D", "F"}
    assert whys(n)["C"] == "버전 관리 - 암호화와 무관하다"  # '**옵션 C (버전 관리)** - …'
    assert [w.split(":")[0] for w in warnings_of(loaded, "multi-answer-select-two.md")] == [
        "21", "23"]  # the two correct options are not explained


def test_whys_in_every_form_and_free_prose_after_them(notes):
    n = notes["why-forms-mixed"]
    assert whys(n) == {
        "A": "키 정책 - 키 정책이 계정 루트에 권한을 위임해야 IAM 정책이 효력을 가진다",
        "B": "다중 리전 - 다중 리전 키도 같은 권한 모델을 따른다",
        "C": "가져온 키 자료도 권한과 무관하다",  # '**C) <its text>** - why'
        "D": "CloudTrail - 로깅은 권한에 영향을 주지 않는다",
        "E": ""}
    assert n.questions[0].explanation == (
        "키 정책은 모든 KMS 권한의 출발점이다. IAM 정책은 키 정책이 허용할 때만 의미가 있다.")


def test_free_prose_after_the_marker_is_the_explanation(notes, loaded):
    n = notes["free-prose-explanation"]
    q = n.questions[0]
    assert q.explanation.startswith("명시적 Deny가 있으면") and not any(whys(n).values())
    assert len(warnings_of(loaded, "free-prose-explanation.md")) == 4


def test_no_question_and_spaced_concepts_heading(notes):
    n = notes["no-question-concepts"]
    assert n.questions == ()
    assert [(c.term, c.description) for c in n.concepts] == [
        ("CIDR", "IP 주소 범위를 접두사 길이로 나타내는 표기법"), ("Subnet", "VPC의 CIDR을 나눈 구간"),
        ("예약 주소", "")]
    assert n.scenarios_title == "실전 적용"
    assert [(s.title, s.description) for s in n.scenarios] == [
        ("사내망과 겹치지 않는 대역 고르기", ""), ("피어링 계획", "겹치는 CIDR은 피어링할 수 없다")]


def test_callouts_become_readable_quotes(notes):
    n = notes["callouts-and-quotes"]
    assert n.key_point.split("\n") == ["> **Important: 계정 수준 설정**",
                                       "> 계정 수준의 Block Public Access는 모든 버킷에 적용된다."]
    body = n.sections[0].body
    assert "> **Warning: 기존 정책**" in body and "> **Tip**" in body
    assert "> 일반 인용문도 그대로 남는다." in body and "[!" not in body


def test_links_embeds_tags_and_comments(notes, loaded):
    n = notes["obsidian-links-embeds"]
    assert "[[vpc-endpoint-policies|엔드포인트 정책]]" in n.key_point
    assert "[[s3-bucket-policy-conditions#aws:SourceVpce]]" in n.key_point
    body = n.sections[0].body
    assert "(image: endpoint-diagram.png)" in body
    assert "(embedded: [[NAT Gateway Basics]])" in body
    assert "이 주석" not in body and "숨긴 메모" not in body  # comments are hidden
    assert n.tags == ("service/vpc", "security/vpc-endpoint", "review")
    assert n.see_also == ("nat-gateway-basics", "Interface Endpoint English")
    lib = loaded.library
    # links name files: '[[Interface Endpoint English]]' is interface-endpoint-english.md
    assert lib.resolve("Interface Endpoint English").id == "interface-endpoint-english"
    assert lib.resolve("NAT Gateway Basics").id == "nat-gateway-basics"
    assert warnings_of(loaded, "obsidian-links-embeds.md") == [
        "10: link [[vpc-endpoint-policies]] resolves to no note",
        "10: link [[s3-bucket-policy-conditions]] resolves to no note"]  # not the image


def test_tables_and_code_blocks_are_kept_verbatim(notes):
    n = notes["tables-and-code"]
    table, code = n.sections
    assert table.body.split("\n")[:2] == ["| 항목 | Security Group | NACL |", "|---|---|---|"]
    assert code.body.startswith('```json\n{"RuleNumber": 100,')
    assert code.body.endswith("규칙 번호가 낮은 것부터 평가한다.")


def test_crlf_and_bom(notes, loaded):
    raw = (FIXTURES / "crlf-with-bom.md").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    n = notes["crlf-with-bom"]
    assert n.title == "CRLF와 BOM이 있는 노트" and n.tags == ("service/s3",)
    assert "\r" not in n.key_point + n.questions[0].stem
    assert whys(n) == {"A": "이 파일은 CRLF로 저장되었다", "B": ""}
    # located on the line an editor shows
    assert [w.split(":")[0] for w in warnings_of(loaded, "crlf-with-bom.md")] == ["17"]
    assert notes["bom-only"].title == "BOM만 있는 노트"


def test_two_questions_under_h3_headings_with_odd_spacing(notes):
    n = notes["two-questions-headings"]
    assert n.title == "Route 53 라우팅 정책"
    assert n.key_point == "Failover 정책은 health check가 실패하면 보조 레코드로 응답한다."
    assert [q.id for q in n.questions] == ["two-questions-headings-q1", "two-questions-headings-q2"]
    assert [q.correct_keys for q in n.questions] == [{"B"}, {"B"}]
    # '**Option D (Latency)**' names the option by its own text: not repeated in the why
    assert whys(n, 0)["D"] == "지연 시간이 가장 낮은 리전으로 보낸다"


def test_warnings_by_kind_over_the_fixtures(loaded):
    kinds = Counter("no explanation" if "has no explanation" in e.message else
                    "link" if "resolves to no note" in e.message else e.message
                    for e in loaded.errors)
    assert kinds == {"no explanation": 16, "link": 2}

"""The template's headings, in Korean and English, as learners vary them.

A heading is compared without its emoji, spaces, punctuation and case: ``## 🔍 주요개념``,
``## 주요 개념`` and ``## Key concepts`` all name the key concepts.
"""

from __future__ import annotations

import functools
import re
import unicodedata

KEY_POINT, EXPLANATION, CONCEPTS, QUESTION, RELATED = (
    "key_point", "explanation", "concepts", "question", "related")

_TOP = {
    KEY_POINT: ("핵심포인트", "핵심", "핵심요약", "keypoint", "keypoints", "keytakeaway",
                "keytakeaways", "takeaway", "tldr"),
    EXPLANATION: ("설명", "상세설명", "explanation", "details", "description"),
    CONCEPTS: ("주요개념", "핵심개념", "keyconcepts", "keyconcept", "concepts"),
    QUESTION: ("관련문제", "문제", "연습문제", "예상문제", "기출문제", "question", "questions",
               "practicequestion", "practicequestions", "examquestion", "examquestions",
               "quiz"),
    RELATED: ("관련노트", "관련문서", "연관노트", "참고노트", "seealso", "related",
              "relatednotes", "links"),
}
_TOP_BY_KEY = {k: kind for kind, keys in _TOP.items() for k in keys}

_FLOW_WORDS = ("플로우", "흐름", "flow", "아키텍처", "architecture")
_TRADEOFF_WORDS = ("tradeoff", "트레이드오프", "장단점", "고려사항", "prosandcons", "prosvscons")
_SCENARIO_WORDS = ("시나리오", "실전적용", "scenario", "usecase", "사용사례", "활용사례",
                   "적용사례")


def clean_title(title: str) -> str:
    """A heading as shown: without leading emoji or symbols, nor a trailing colon."""
    t = title.strip()
    i = 0
    while i < len(t) and (unicodedata.category(t[i])[0] in "SZC" or t[i] in "\ufe0f\u200d"):
        i += 1
    return t[i:].strip().rstrip(":：").strip() or t


def key(title: str) -> str:
    """``title`` folded for comparison: letters and digits only (and ``�``), case-folded."""
    return "".join(c for c in unicodedata.normalize("NFKC", title).casefold()
                   if c.isalnum() or c == LOST)


LOST = "\ufffd"
"""What a repaired heading shows where bytes were lost (`source`): it stands for any
syllable of a word looked for."""


@functools.cache
def _lossy(word: str) -> re.Pattern[str]:
    """``word``, each character of which may have been lost (one to three ``�``)."""
    return re.compile("".join(f"(?:{re.escape(c)}|{LOST}{{1,3}})" for c in word))


def _kept(match: re.Match[str] | None, word: str) -> bool:
    """A lossy match that kept at least half of the word's characters."""
    return match is not None and 2 * sum(c != LOST for c in match.group()) >= len(word)


def top_kind(title: str) -> str | None:
    """Which part of the template an H2 (or a lone H1 below the title) names, if any."""
    k = key(title)
    found = _TOP_BY_KEY.get(k)
    if found is None and LOST in k:
        found = next((kind for word, kind in _TOP_BY_KEY.items()
                      if _kept(_lossy(word).fullmatch(k), word)), None)
    return found


def _mentions(title: str, words: tuple[str, ...]) -> bool:
    k = key(title)
    return any(w in k for w in words) or (LOST in k and any(
        _kept(m, w) for w in words for m in _lossy(w).finditer(k)))


def is_flow(title: str) -> bool:
    return _mentions(title, _FLOW_WORDS)


def is_tradeoffs(title: str) -> bool:
    return _mentions(title, _TRADEOFF_WORDS)


def is_scenarios(title: str) -> bool:
    return _mentions(title, _SCENARIO_WORDS)

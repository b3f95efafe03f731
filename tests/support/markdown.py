"""Pieces of the learners' Markdown template, for the property tests that feed the reader
arbitrary notes made of them and of random text."""

from __future__ import annotations

SNIPPETS = [
    "---", "title: x", "tags: [a, b]", "aliases: [\"y\"]", "# Title", "## 🎯 핵심 포인트",
    "## 📝 설명", "### 아키텍처 플로우", "### Trade-offs 고려사항", "## 🔍 주요개념",
    "### 실전 적용 시나리오", "## 📝 관련 문제", "## Question", "**Question:** Why?",
    "**Options:**", "- A) one", "- B) two", "- C) three", "1. **t**: d", "**정답: A) one**",
    "**정답: B, C**", "💡 추가 설명:", "- **Option B (n)** - w", "- **B) two** - w",
    "```", "```mermaid", "    ↓ (label)", "↑", "├── child", "└── leaf", "**Group**:",
    "- Name: role", "**X 장점**:", "**X 단점**:", "> [!note] t", "![[a.png]]", "[[a|b]]",
    "[[#x]]", "<!--", "-->", "%%", "| a | b |", "|---|---|", "#tag", "\r", "\ufeff", "\ufffd",
    "ì¥ì", "í•µì‹¬", "", "  ", "\t- nested", "***", "<div>", "[[", "]]", "**", ":", "(Select TWO)",
    "aliases: [\"a\\tb\", \"\\e\"]", "tags: \"#x y/ /z\"", "- A) ✅", "- B) (정답)", "** **:",
    "- ", "**장점**:", "**Pros**:", "- **  **: x", "**정답: A, B, C**", "title: \"\"",
    "created: not a date", "tag: [[a]]", "- **Option Z (x)** - y", "## ", "### ",
]

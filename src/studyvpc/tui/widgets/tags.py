"""Hierarchical tags (``service/lambda``) as a tree of paths, for the home and browser trees."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass
class TagNode:
    name: str
    """The last segment (``lambda``)."""
    path: str
    """The full tag (``service/lambda``)."""
    children: dict[str, TagNode] = field(default_factory=dict)

    def sorted_children(self) -> list[TagNode]:
        return [self.children[k] for k in sorted(self.children, key=str.casefold)]


def tag_tree(tags: Iterable[str]) -> TagNode:
    """A root node whose descendants are every tag and every prefix of one."""
    root = TagNode("", "")
    for tag in tags:
        node = root
        for part in tag.split("/"):
            path = f"{node.path}/{part}" if node.path else part
            node = node.children.setdefault(part, TagNode(part, path))
    return root


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"

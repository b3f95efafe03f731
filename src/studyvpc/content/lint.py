"""The exam-writing linter behind ``studyvpc validate --strict``.

Exam writers make known mistakes that let a learner guess without knowing: the correct option
is the longest one, correct answers cluster on one letter, "all/none of the above" options,
unsourced questions, notes nobody is asked about. Each check returns located warnings.
"""

from __future__ import annotations

import re
from collections import Counter

from studyvpc.content.library import Library
from studyvpc.content.model import Question
from studyvpc.content.results import ContentError

LONGEST_SHARE = 0.5
"""Warn when the correct option is the strictly longest in more than this share of questions."""
LETTER_SHARE = 0.4
"""Warn when more than this share of single-answer questions put the answer on one letter."""
MIN_QUESTIONS_FOR_PATTERNS = 4
_CATCH_ALL = re.compile(r"\b(all|none|both|neither)\s+of\s+the\s+(above|options|answers)\b"
                        r"|\b(all|none)\s+the\s+above\b|모두 (정답|맞음|틀림)", re.IGNORECASE)


def warn(location, message: str) -> ContentError:
    return ContentError(location, message, severity="warning")


def _correct_is_longest(q: Question) -> bool:
    lengths = sorted(((len(o.text), o.correct) for o in q.options), reverse=True)
    return lengths[0][1] and (len(lengths) < 2 or lengths[0][0] > lengths[1][0]) and not q.is_multi


def _unclosed_bold(text: str) -> bool:
    """``**`code`**에`` is not bold in CommonMark (the closing ``**`` sits between punctuation
    and a letter), so the asterisks show as written. Parse and look for leftover ``**``."""
    for tok in _markdown().parse(text):
        for child in tok.children or ():
            if child.type == "text" and "**" in child.content:
                return True
    return False


_MD = None


def _markdown():
    global _MD
    if _MD is None:
        from markdown_it import MarkdownIt  # ships with rich

        _MD = MarkdownIt("commonmark")
    return _MD


def _markdown_fields(library: Library):
    for note in library.notes:
        yield note.location, f"note {note.id!r}", [note.key_point, *(s.body for s in note.sections),
                                                   *(c.text for c in note.caveats)]
        for q in note.questions:
            yield q.location, f"question {q.id!r}", [q.stem, q.explanation, *(o.why for o in q.options)]


def lint(library: Library) -> list[ContentError]:
    out: list[ContentError] = []
    questions = library.questions
    for note in library.notes:
        if not note.questions:
            out.append(warn(note.location, f"note {note.id!r} has no question"))
    for location, what, texts in _markdown_fields(library):
        if any("**" in t and _unclosed_bold(t) for t in texts):
            out.append(warn(location, f"{what}: '**' that Markdown will not read as bold (e.g. "
                            "**`code`** followed by a letter); the asterisks would show"))
    for q in questions:
        if not q.references:
            out.append(warn(q.location, f"question {q.id!r} has no reference"))
        texts = Counter(" ".join(o.text.casefold().split()) for o in q.options)
        for o in q.options:
            if _CATCH_ALL.search(o.text):
                out.append(warn(q.location, f"question {q.id!r}: option {o.key} is a catch-all "
                                f"({o.text.strip()[:40]!r}); write a real option"))
            if texts[" ".join(o.text.casefold().split())] > 1:
                out.append(warn(q.location, f"question {q.id!r}: option {o.key} repeats another option"))
    if len(questions) >= MIN_QUESTIONS_FOR_PATTERNS:
        singles = [q for q in questions if not q.is_multi]
        longest = [q for q in singles if _correct_is_longest(q)]
        if singles and len(longest) / len(singles) > LONGEST_SHARE:
            out.append(warn(longest[0].location, f"the correct option is the longest in "
                            f"{len(longest)} of {len(singles)} single-answer questions: "
                            "length gives the answer away"))
        letters = Counter(next(iter(q.correct_keys)) for q in singles)
        if singles and letters:
            letter, count = letters.most_common(1)[0]
            n_keys = max(len(q.options) for q in singles)
            if count / len(singles) > max(LETTER_SHARE, 1.5 / n_keys):
                where = next(q.location for q in singles if letter in q.correct_keys)
                out.append(warn(where, f"{count} of {len(singles)} single-answer questions have "
                                f"the answer on {letter}: spread the correct letters"))
    return out

"""Which questions an export takes: ``--tag`` and ``--note`` filters, checked before writing.

A tag selects the questions with it or a tag below it (``service`` takes ``service/s3``); a
note is named by id or alias, as everywhere in the app; several filters add up, and none means
every question. Questions keep the library's order. A name that matches nothing is an error
with the closest existing name as a suggestion, never an export that quietly takes less, and
an empty result is an error too: a learner who asked for an export wants to be told why there
is nothing in it.
"""

from __future__ import annotations

from collections.abc import Sequence

from studyvpc.content.library import Library
from studyvpc.content.model import Question
from studyvpc.content.suggest import NameIndex


class SelectionError(ValueError):
    """Filters that name nothing, or select no question; the message is for the learner."""


def normalize_tag(tag: str) -> str:
    """A tag as the content writes it: ``#service/s3`` and Anki's ``service::s3`` both
    become ``service/s3``."""
    return tag.strip().lstrip("#").replace("::", "/").strip("/")


def select_questions(library: Library, tags: Sequence[str] = (),
                     notes: Sequence[str] = ()) -> list[Question]:
    """The questions ``tags`` and ``notes`` select, in library order (all if both are empty)."""
    problems: list[str] = []
    wanted: set[str] = set()
    tag_index: NameIndex | None = None
    for raw in tags:
        tag = normalize_tag(raw)
        if tag and library.tag_counts(tag) != (0, 0):
            wanted.update(q.id for q in library.questions_tagged(tag))
            continue
        tag_index = tag_index or NameIndex(library.all_tags)
        hint = tag_index.suggest(tag) if tag else None
        problems.append(f"no tag {raw!r} in the content" + _did_you_mean(hint))
    for raw in notes:
        note = library.resolve(raw)
        if note is not None:
            wanted.update(q.id for q in note.questions)
            continue
        problems.append(f"no note {raw!r} in the content (by id or alias)"
                        + _did_you_mean(library.suggest(raw) if raw.strip() else None))
    if problems:
        raise SelectionError("; ".join(problems))
    if not tags and not notes:
        questions = list(library.questions)
        if not questions:
            raise SelectionError("no questions to export: the content has none")
        return questions
    questions = [q for q in library.questions if q.id in wanted]
    if not questions:
        asked = [*(f"--tag {t}" for t in tags), *(f"--note {n}" for n in notes)]
        raise SelectionError(f"no questions to export: {' '.join(asked)} select notes "
                             "without questions")
    return questions


def _did_you_mean(hint: str | None) -> str:
    return f" (did you mean {hint!r}?)" if hint else ""

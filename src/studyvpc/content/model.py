"""The content model: notes and their questions, as frozen typed records.

Never imports textual. Every object remembers where it came from (`Location`) so that
later checks (links, ids, the strict linter) can point at the exact line and column of the
YAML node they complain about.

Why `msgspec.Struct` rather than dataclasses: the parsed-content cache
(`studyvpc.content.cache`) decodes a whole library straight into these classes, with every
value's type checked on the way, and structs are what msgspec decodes fastest. They are
immutable like frozen dataclasses, compare and hash by value (every field, the location
too), and are positional (``array_like``: encoded as arrays, in field order; the cache key
holds the field lists, so reordering a class is a cache miss, never a misread).
``gc=False``: instances hold only text, numbers, dates and other model objects, so they
cannot be part of a reference cycle and the garbage collector need not track them (a large
library is ~15 objects per question).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Annotated

import msgspec


class Model(msgspec.Struct, frozen=True, gc=False, array_like=True, forbid_unknown_fields=True):
    """The base of every model class (the options above are inherited)."""


class Location(Model):
    """A position in a content file; line and column are 1-based."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


NOWHERE = Location("<memory>")


class Reference(Model):
    title: str
    url: str


NO_WHY = "No explanation written for this option."
"""What the quiz shows for an option whose `why` is empty (learners' notes often explain only
the wrong options)."""


class Option(Model):
    key: str
    """The letter as written in the content file (A, B, C…)."""
    text: str
    correct: bool
    why: str
    """Why this option is right, or why it is wrong; empty when the note does not say (the
    quiz then shows `NO_WHY`)."""


MAX_OPTIONS = 26
"""Options are lettered A-Z: the loader refuses more, and so does decoding a cached library
(a question with more would have no letter to be shown under)."""


class Question(Model):
    id: str
    stem: str
    options: Annotated[tuple[Option, ...], msgspec.Meta(max_length=MAX_OPTIONS)]
    explanation: str = ""
    tags: tuple[str, ...] = ()
    difficulty: str | None = None
    references: tuple[Reference, ...] = ()
    choose: Annotated[int, msgspec.Meta(ge=1, le=MAX_OPTIONS)] = 1
    """How many options the learner must pick (AWS's "choose two" is 2)."""
    note_id: str = ""
    location: Location = NOWHERE

    @property
    def correct_keys(self) -> frozenset[str]:
        return frozenset(o.key for o in self.options if o.correct)

    @property
    def is_multi(self) -> bool:
        return self.choose > 1

    def option(self, key: str) -> Option:
        for opt in self.options:
            if opt.key == key:
                return opt
        raise KeyError(key)

    @property
    def content_hash(self) -> str:
        """A short, stable digest of what the learner sees and is graded on.

        Progress is tracked by `id`; the hash tells when the text under an id changed.
        """
        payload = json.dumps(
            [self.stem, [(o.key, o.text, o.correct) for o in self.options], self.choose],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


class Section(Model):
    title: str
    body: str
    """Markdown."""


class FlowStep(Model):
    name: str
    arrow: str = ""
    """Label of the arrow that leads *into* this step from the previous one."""


class Flow(Model):
    steps: tuple[FlowStep, ...]
    title: str = ""


class Component(Model):
    name: str
    role: str


class Layer(Model):
    name: str
    components: tuple[Component, ...]


class TradeOff(Model):
    option: str
    pros: tuple[str, ...] = ()
    cons: tuple[str, ...] = ()


class Concept(Model):
    term: str
    description: str


class Scenario(Model):
    title: str
    description: str


class Caveat(Model):
    text: str
    """The correction or nuance (Markdown)."""
    about: str = ""
    """The claim of the note it corrects, if any."""
    references: tuple[Reference, ...] = ()


class Note(Model):
    id: str
    title: str
    key_point: str = ""
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    created: date | None = None
    modified: date | None = None
    sections: tuple[Section, ...] = ()
    flow: Flow | None = None
    layers_title: str = ""
    layers: tuple[Layer, ...] = ()
    tradeoffs_title: str = ""
    tradeoffs: tuple[TradeOff, ...] = ()
    concepts_title: str = ""
    concepts: tuple[Concept, ...] = ()
    scenarios_title: str = ""
    scenarios: tuple[Scenario, ...] = ()
    caveats: tuple[Caveat, ...] = ()
    see_also: tuple[str, ...] = ()
    questions: tuple[Question, ...] = ()
    location: Location = NOWHERE

    @property
    def question_count(self) -> int:
        """As `noteindex.NoteHead` has it: lists show a note or its head alike."""
        return len(self.questions)

    def texts(self) -> list[str]:
        """Every piece of prose in the note, for search and link checks."""
        out = [self.title, self.key_point, *self.aliases, *self.tags]
        for s in self.sections:
            out += [s.title, s.body]
        if self.flow:
            out.append(self.flow.title)
            for st in self.flow.steps:
                out += [st.name, st.arrow]
        out.append(self.layers_title)
        for layer in self.layers:
            out.append(layer.name)
            for c in layer.components:
                out += [c.name, c.role]
        out.append(self.tradeoffs_title)
        for t in self.tradeoffs:
            out += [t.option, *t.pros, *t.cons]
        out.append(self.concepts_title)
        for c in self.concepts:
            out += [c.term, c.description]
        out.append(self.scenarios_title)
        for sc in self.scenarios:
            out += [sc.title, sc.description]
        for cv in self.caveats:
            out += [cv.about, cv.text]
        return [t for t in out if t]


def question_texts(q: Question) -> list[str]:
    out = [q.stem, q.explanation]
    for o in q.options:
        out += [o.text, o.why]
    return [t for t in out if t]

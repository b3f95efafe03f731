""""Did you mean …?" for a link that resolves to no note, without comparing it to every name.

``difflib.get_close_matches`` compares the target with every note id and alias. One link costs
little, but a vault whose links point at notes not written yet has thousands of them, and
comparing each with thousands of names is quadratic (1,001 notes with 8,000 dangling links
took minutes). Here the names are indexed once by their character trigrams (``\0ab``, ``abc``,
…). A target looks up its rarest trigrams, counts which names share them, and of the few
names sharing the most, suggests the most similar one: similarity is the Dice coefficient of
the two trigram sets (twice the shared trigrams over both counts), as trigram search in
databases does, and a name must reach `CUTOFF`. Each distinct target is looked up once.

The hint is a hint: a name sharing none of the target's rarer trigrams may go unsuggested.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from itertools import chain

CUTOFF = 0.5
"""The lowest similarity (Dice coefficient of the trigram sets) that is suggested: one typo
in a ten-letter id keeps 0.7, two unrelated ids of the same words in another order stay
below."""
CANDIDATES = 8
"""Names compared with a target: those sharing the most of its rarer trigrams."""
POSTINGS_BUDGET = 1024
"""Index entries counted per target, its rarest trigrams first: bounds the cost of a target
made of trigrams that every name has (``not``, ``-th``)."""


def _trigrams(folded: str) -> frozenset[str]:
    padded = f"\0{folded}\0"
    return frozenset([padded[i: i + 3] for i in range(len(padded) - 2)])


class NameIndex:
    """The names links may use (note ids and aliases), indexed by trigram."""

    def __init__(self, names: Iterable[str]) -> None:
        self.names: list[str] = list(dict.fromkeys(names))
        self._grams = [_trigrams(n.casefold()) for n in self.names]
        postings: dict[str, list[int]] = {}
        for i, grams in enumerate(self._grams):
            for gram in grams:
                postings.setdefault(gram, []).append(i)
        self._postings = postings
        self._memo: dict[str, str | None] = {}

    def suggest(self, target: str) -> str | None:
        """The name most similar to ``target``, if it is similar enough (`CUTOFF`)."""
        key = target.casefold()
        if key not in self._memo:
            self._memo[key] = self._best(key)
        return self._memo[key]

    def _best(self, folded: str) -> str | None:
        grams = _trigrams(folded)
        lists = sorted(filter(None, map(self._postings.get, grams)), key=len)
        taken, budget = [], POSTINGS_BUDGET
        for p in lists:
            if taken and len(p) > budget:
                break
            taken.append(p)
            budget -= len(p)
        if len(taken) == 1:
            candidates = taken[0][:CANDIDATES]
        else:
            counts = Counter(chain.from_iterable(taken))  # counted and sorted in C
            candidates = sorted(counts, key=counts.__getitem__, reverse=True)[:CANDIDATES]
        size, all_grams, names = len(grams), self._grams, self.names
        scored = []
        for i in candidates:
            other = all_grams[i]
            score = 2 * len(grams & other) / (size + len(other))
            if score >= CUTOFF:
                scored.append((-score, names[i]))
        return min(scored)[1] if scored else None

"""Find text garbled by a wrong encoding (mojibake) and show what it was meant to say.

Notes arrive damaged: the seed note itself came as UTF-8 Korean that had been decoded as
Windows-1254 and saved again, so "핵심" had become "í•µì‹¬". Such text is valid UTF-8 and valid
YAML, so nothing else would stop it; a learner would study garbage. The pattern is
recognisable: each original character became one *lead* character (what the code page makes
of a UTF-8 lead byte, 0xC2-0xF4: "ì", "í", "ë", "ğ"…) followed by *continuation* characters
(the code page's 0x80-0xBF: "‹", "µ", "¤"…). Re-encoding such a run with the code page gives
the UTF-8 bytes back, and they decode to the character that was meant.

Windows-1252 (the most common culprit) and 1254 (the seed's) differ only in a few letters, so
both are recognised. Bytes those code pages leave undefined (0x81, 0x8D, 0x8E, 0x8F, 0x90,
0x9D) and the soft hyphen 0xAD (dropped by editors) are lost on the way: a run missing one
cannot be repaired and shows "�" in the preview, which is why this reports rather than fixes.

False alarms are kept rare: a text counts as garbled only when one of its runs decodes, as
UTF-8, to an assigned character other than U+FFFD ("é»" in a French quote decodes to nothing
and is left alone; "café", "naïve", Turkish or German text never form such runs).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

_CODE_PAGES = ("cp1254", "cp1252")


def _chars(first: int, last: int) -> str:
    """What the code pages make of the bytes first..last (each character once, escaped)."""
    seen: dict[str, None] = {}
    for cp in _CODE_PAGES:
        for b in range(first, last + 1):
            try:
                seen.setdefault(bytes([b]).decode(cp), None)
            except UnicodeDecodeError:
                pass
    return "".join(re.escape(c) for c in seen)


@functools.cache
def _run_pattern() -> re.Pattern[str]:
    """A lead character followed by continuation characters: a candidate garbled character.
    Built on first use: most content never needs it (`SUSPECT_UTF8_BYTES`)."""
    return re.compile(f"[{_chars(0xC2, 0xF4)}][{_chars(0x80, 0xBF)}]+")

SUSPECT_UTF8_BYTES = (b"\xc3", b"\xc4", b"\xc5")
"""In the UTF-8 of a file, every lead character above starts with one of these bytes
(U+00C2-U+00F4 and Turkish Ğ ğ İ ı Ş ş): a file without them holds no mojibake."""


@dataclass(frozen=True, slots=True)
class Garbled:
    """One line's garbled stretch: where it starts, as written, and as it was meant."""

    index: int
    """Offset of the first garbled character in the text."""
    garbled: str
    meant: str
    """The repaired stretch; "�" where a byte was lost and cannot be recovered."""


def _to_bytes(char: str) -> bytes:
    for cp in _CODE_PAGES:
        try:
            return char.encode(cp)
        except UnicodeEncodeError:
            pass
    return char.encode("utf-8")


def repair(text: str) -> str:
    """``text`` re-encoded with the code page and decoded as UTF-8 ("�" for lost bytes)."""
    return b"".join(map(_to_bytes, text)).decode("utf-8", "replace")


def _meaningful(run: str) -> bool:
    return any(c != "\ufffd" and unicodedata.category(c)[0] != "C" for c in repair(run))


def find_garbled(text: str) -> list[Garbled]:
    """Every line of ``text`` that holds mojibake, as one stretch per line (first to last run).

    Once one run proves the text garbled, runs that lost a byte count too: the seed's
    "ì¥ì\xa0" ("장점", both syllables short of a byte) decodes to nothing on its own.
    """
    runs = list(_run_pattern().finditer(text))
    if not any(_meaningful(m.group()) for m in runs):
        return []
    found: list[Garbled] = []
    start = end = -1
    for m in runs:
        if start >= 0 and "\n" not in text[start:m.start()]:
            end = m.end()
            continue
        if start >= 0:
            found.append(_stretch(text, start, end))
        start, end = m.start(), m.end()
    found.append(_stretch(text, start, end))
    return found


def _stretch(text: str, start: int, end: int) -> Garbled:
    garbled = text[start:end]
    return Garbled(start, garbled, repair(garbled))

"""Reading one JSON object whose big members are arrays, an element at a time.

A progress export is one object (``{"format": ..., "attempts": [...], ...}``) whose arrays can
hold millions of records: loading it whole would hold every record as Python objects at once
(gigabytes for two years of answers). `object_members` reads it from a binary stream in
chunks instead and hands out the members one at a time; the members named as streamed come as
their elements, one by one, so memory holds one chunk and one element, whatever the file's size.

Element by element is slow for millions of records (a Python call and a decoder call each), so
the elements are also handed out in runs: from the next element to the last line end in the
text read so far, when that text is a run of whole elements (msgspec checks it as the JSON
array it then makes, without building its values), it comes as one ``[...]`` text to decode at
once. An export writes one record a line, so nearly all of it comes in runs of a few thousand.
Anything else (a record over several lines, bad JSON, ``NaN``, which msgspec does not read) is
read element by element as before.

Each value read alone is decoded by the standard library's JSON decoder (``raw_decode``), so
what is accepted, and what an error says, is what ``json.loads`` would say, located in the whole
file (``line:column``). What does not fit:

- a single value (an element, or any other member) larger than ``max_value`` characters is
  refused: nothing studyvpc writes comes near it;
- a stream longer than ``max_bytes`` is refused (one that never ends, ``/dev/zero``);
- a member named twice is refused (``json.loads`` would silently keep the last).
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from typing import Any, BinaryIO

import msgspec

CHUNK = 1 << 20
_WHITESPACE = " \t\n\r"
_AFTER_VALUE = ",:]}" + _WHITESPACE
_TAIL = 16
"""A decoding error this close to the end of the text read may be the chunk's cut (``-Infinit``
of ``-Infinity``)."""
_decoder = json.JSONDecoder()
_check_run = msgspec.json.Decoder(list[msgspec.Raw]).decode


class StreamError(ValueError):
    """Why the stream is not the JSON asked for; ``where`` is ``line:column`` or ``byte N``."""

    def __init__(self, where: str | None, what: str) -> None:
        self.where = where
        self.what = what
        super().__init__(f"{where}: {what}" if where else what)


class Oversized(StreamError):
    """The stream, or one value in it, is larger than allowed."""


class _Text:
    """The stream's text, decoded as UTF-8 chunk by chunk, with a position in the whole."""

    def __init__(self, stream: BinaryIO, max_bytes: int) -> None:
        self.stream = stream
        self.max_bytes = max_bytes
        self.read_bytes = 0
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict")
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.lines_before = 0
        """Newlines in the text dropped before ``buf``."""
        self.col_before = 0
        """Characters since the last dropped newline, at the start of ``buf``."""
        self.lines_past = -1
        """Where in ``buf`` the text that was not a `run` ends: read element by element."""

    def more(self) -> bool:
        """Read another chunk (dropping what was consumed); False at the end of the stream."""
        if self.eof:
            return False
        want = min(CHUNK, self.max_bytes + 1 - self.read_bytes)
        raw = self.stream.read(want) if want > 0 else b""
        self.read_bytes += len(raw)
        if self.read_bytes > self.max_bytes:
            raise Oversized(None, f"larger than {self.max_bytes // 2**20} MiB")
        try:
            text = self.decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as e:
            raise StreamError(f"byte {self.read_bytes - len(raw) + e.start}",
                              "not UTF-8 text") from None
        if not raw:
            self.eof = True
        dropped = self.buf[: self.pos]
        newlines = dropped.count("\n")
        if newlines:
            self.lines_before += newlines
            self.col_before = len(dropped) - dropped.rfind("\n") - 1
        else:
            self.col_before += len(dropped)
        self.buf = self.buf[self.pos:] + text
        self.lines_past -= self.pos
        self.pos = 0
        return bool(raw)

    def where(self, pos: int) -> str:
        """``line:column`` (from 1) of ``buf[pos]`` in the whole text."""
        newlines = self.buf.count("\n", 0, pos)
        if newlines:
            column = pos - self.buf.rfind("\n", 0, pos)
            return f"{self.lines_before + newlines + 1}:{column}"
        return f"{self.lines_before + 1}:{self.col_before + pos + 1}"

    def peek(self) -> str:
        """The next character that is not white space ('' at the end), without taking it."""
        while True:
            buf, pos = self.buf, self.pos
            while pos < len(buf) and buf[pos] in _WHITESPACE:
                pos += 1
            self.pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self.more():
                return ""

    def run(self, max_value: int) -> str | None:
        """The whole elements of an array from here to the last line end read (at most
        ``max_value`` characters), as the text of a JSON array, taken; None (nothing taken) if
        that text is not a run of whole elements. Called where an element begins."""
        if self.peek() in ("", "]"):
            return None
        if self.lines_past > self.pos:  # this text failed already: elements one by one
            return None
        if len(self.buf) - self.pos < CHUNK // 2 and not self.eof:
            self.more()
        buf, pos = self.buf, self.pos
        stop = min(len(buf), pos + max_value)
        end = buf.find("\n ]", pos, stop)  # where an export's array ends
        if end < 0:
            end = buf.rfind("\n", pos, stop)
        piece = buf[pos:end].rstrip(_WHITESPACE) if end > pos else ""
        if piece.endswith(","):
            piece = piece[:-1]
        text = "[" + piece + "]"
        try:
            if not piece or len(_check_run(text)) == 0:
                raise msgspec.DecodeError
        except (msgspec.DecodeError, RecursionError):
            # A number cut at a line end cannot happen (the line end ends it), nor can an
            # element cut short pass: its brackets or quotes would be left open.
            self.lines_past = end
            return None
        self.pos = pos + len(piece)
        return text

    def expect(self, chars: str, what: str) -> str:
        found = self.peek()
        if not found or found not in chars:
            raise StreamError(self.where(self.pos), f"not JSON ({what})")
        self.pos += 1
        return found

    def value(self, max_value: int) -> Any:
        """The next JSON value, decoded whole."""
        self.peek()
        while True:
            try:
                value, end = _decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as e:
                # Cut off by the end of the chunk (an open string, or a few characters from
                # the end), or wrong: only more text tells, but wrong well before the end is
                # wrong (more text would only hide the place as "too large").
                cut = e.msg.startswith("Unterminated string") or e.pos >= len(self.buf) - _TAIL
                if cut and not self.eof and len(self.buf) - self.pos <= max_value:
                    self.more()
                    continue
                if cut and len(self.buf) - self.pos > max_value:
                    raise Oversized(self.where(self.pos),
                                    f"a value larger than {max_value} characters") from None
                raise StreamError(self.where(e.pos), f"not JSON ({e.msg})") from None
            except RecursionError:
                raise StreamError(self.where(self.pos), "nested too deeply") from None
            # A number cut short by the chunk's end ("0" of "0.5") decodes too: only a value
            # followed by what may follow a value is whole.
            whole = end < len(self.buf) and self.buf[end] in _AFTER_VALUE
            if not whole and not self.eof and len(self.buf) - self.pos <= max_value:
                self.more()
                continue
            if end - self.pos > max_value:
                raise Oversized(self.where(self.pos),
                                f"a value larger than {max_value} characters")
            self.pos = end
            return value


MEMBER, START, ELEMENT, ELEMENTS = "member", "start", "element", "elements"


def object_members(stream: BinaryIO, streamed: frozenset[str], *, max_bytes: int,
                   max_value: int) -> Iterator[tuple[str, str, Any]]:
    """The members of the JSON object in ``stream``, in the file's order, as (name, `MEMBER`,
    value); a member named in ``streamed`` whose value is an array comes as (name, `START`,
    None), even when it is empty, then its elements in the file's order: (name, `ELEMENT`,
    element) for one, (name, `ELEMENTS`, text) for a run, ``text`` the run as a JSON array
    (valid JSON, for ``json.loads`` or msgspec to decode whole). Anything but an
    object at the top is decoded whole (within ``max_value``) and given as ("", `MEMBER`,
    value). Raises `StreamError`."""
    text = _Text(stream, max_bytes)
    if text.peek() != "{":
        if text.peek() == "":
            raise StreamError(text.where(text.pos), "not JSON (Expecting value)")
        yield "", MEMBER, text.value(max_value)
        _end(text)
        return
    text.pos += 1
    seen: set[str] = set()
    if text.peek() == "}":
        text.pos += 1
        _end(text)
        return
    while True:
        if text.peek() != '"':
            raise StreamError(text.where(text.pos),
                              "not JSON (Expecting property name enclosed in double quotes)")
        name = text.value(max_value)
        if name in seen:
            raise StreamError(text.where(text.pos), f"not JSON as exported ({name!r} twice)")
        seen.add(name)
        text.expect(":", "Expecting ':' delimiter")
        if name in streamed and text.peek() == "[":
            text.pos += 1
            yield name, START, None
            if text.peek() == "]":
                text.pos += 1
            else:
                while True:
                    run = text.run(max_value)
                    if run is not None:
                        yield name, ELEMENTS, run
                    else:
                        yield name, ELEMENT, text.value(max_value)
                    if text.expect(",]", "Expecting ',' delimiter") == "]":
                        break
        else:
            yield name, MEMBER, text.value(max_value)
        if text.expect(",}", "Expecting ',' delimiter") == "}":
            break
    _end(text)


def _end(text: _Text) -> None:
    if text.peek():
        raise StreamError(text.where(text.pos), "not JSON (Extra data)")

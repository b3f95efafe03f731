"""What `json_stream.object_members` reads of a text cut into chunks of a given size, put
together as ``json.loads`` would give it (streamed arrays element by element or by runs)."""

from __future__ import annotations

import io
import json

from studyvpc.interop import json_stream


def members_read(text: str, chunk: int, streamed: frozenset[str]) -> dict:
    """The members of the JSON object ``text``, read ``chunk`` bytes at a time, the arrays
    of ``streamed`` element by element."""
    old = json_stream.CHUNK
    json_stream.CHUNK = chunk
    try:
        got: dict = {}
        for name, kind, value in json_stream.object_members(
                io.BytesIO(text.encode()), streamed, max_bytes=10**6, max_value=10**6):
            if kind == json_stream.START:
                got[name] = []
            elif kind == json_stream.ELEMENT:
                got[name].append(value)
            elif kind == json_stream.ELEMENTS:
                got[name].extend(json.loads(value))
            else:
                got[name] = value
    finally:
        json_stream.CHUNK = old
    return got

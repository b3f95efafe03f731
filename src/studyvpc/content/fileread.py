"""What reading one content file gives, before the checks that span files: a `FileRead`.

A file is read on its own: its note, where its ids, aliases and links stand, and its own
problems depend on its bytes and its path only. So a file's `FileRead` can be made in another
process (`parallel`) or kept in the parsed-content cache and used again while the file's
bytes are unchanged (`cache`); the checks across files (duplicate ids, where links lead) run
on the `FileRead`s of every file, whichever way each was made. msgspec Structs, so that both
travel as MessagePack with their types checked; no ``yaml`` here (the cache imports this).
"""

from __future__ import annotations

import msgspec

from studyvpc.content.model import Location, Note
from studyvpc.content.results import ContentError


class Link(msgspec.Struct, frozen=True, gc=False, array_like=True):
    """A ``[[link]]`` or a ``see_also`` entry of a note, located where it is written."""

    target: str
    location: Location
    origin: str  # "link" or "see_also"


class Pending(msgspec.Struct, array_like=True):
    """What one file's note contributes to the cross-file checks."""

    note: Note
    id_loc: Location
    question_id_locs: list[Location]
    alias_locs: list[tuple[str, Location]]
    links: list[Link]


class FileRead(msgspec.Struct, array_like=True):
    """One content file, read: its own problems, in the order found, and its note if one
    could be built; if not, the names (folded) its note meant to define, which links to it
    are not reported against (its own errors say what is wrong)."""

    errors: list[ContentError]
    pending: Pending | None = None
    unloaded: list[str] = []


ENCODE = msgspec.msgpack.Encoder().encode

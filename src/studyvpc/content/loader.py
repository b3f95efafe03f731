"""Content files -> the model, reporting every problem in every file as ``path:line:col``.

One file holds one note and its questions: YAML (see docs/content-format.md) or a Markdown
note as learners write them (docs/markdown-notes.md, `studyvpc.content.markdown`). Reading never stops
at the first problem: each file is read as far as it can be, then the checks that span files
(duplicate ids, ``[[links]]`` and ``see_also`` that resolve to nothing) run over everything.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from studyvpc.content import yamlnodes as yn
from studyvpc.content.fileread import FileRead, Link, Pending
from studyvpc.content.library import Library, fold
from studyvpc.content.model import Location, Note
from studyvpc.content.mojibake import SUSPECT_UTF8_BYTES, find_garbled
from studyvpc.content.note_reader import read_note
from studyvpc.content.results import (
    MARKDOWN_SUFFIXES, MAX_FILE_BYTES, ContentError, LoadResult, collector_paused, discover,
)
from studyvpc.content.yamlnodes import FileContext


# --------------------------------------------------------------------------- entry point

def load_library(paths: Iterable[str | os.PathLike[str]],
                 link_context: Library | None = None) -> LoadResult:
    """Load every content file under ``paths``.

    ``link_context``: notes outside ``paths`` that links may also resolve to (validating one
    file of a deck checks its links against the rest of the deck).
    """
    files, errors = discover(paths)
    return assemble(files, errors, read_files(files), link_context)


def read_files(files: Sequence[Path], known: Callable[[int], FileRead | None] | None = None,
               *, parallel: bool = False, progress: Callable[[int, int], None] | None = None,
               folded: Callable[[Note, bytes], None] | None = None) -> list[FileRead]:
    """Each file's `FileRead`, in the order of ``files``: ``known(i)`` when it has the
    ``i``-th file's (its bytes unchanged since it was read), else the file read now; with
    ``parallel``, a large library's files are read on every core (`parallel`).
    ``progress(done, total)`` is called as the files to read are read, ``folded`` with the
    search texts helpers made (`parallel.read_in_parallel`)."""
    reads: list[FileRead | None] = [None] * len(files)
    if known is not None:
        reads = [known(i) for i in range(len(files))]
    todo = [i for i, r in enumerate(reads) if r is None]
    # The parsed graph is large and acyclic in practice; a collection in the middle of a big
    # load only rescans it. Pausing the collector makes loads of thousands of questions linear.
    with collector_paused():
        helpers = 0
        if parallel and todo:
            from studyvpc.content import parallel as par

            sizes = [_size_of(files[i]) for i in todo]
            helpers = par.helper_count(sum(sizes))
        done = (lambda n: progress(n, len(todo))) if progress else (lambda n: None)
        if helpers:
            par.read_in_parallel(files, par.chunks(files, todo, sizes), helpers, read_one,
                                 reads, done, folded)
        else:
            for n, i in enumerate(todo, 1):
                reads[i] = read_one(files[i])
                done(n)
    if todo:
        # The parser's memo of scalar tags lives for one load: kept, its strings (made all
        # through the parse) would pin the parse's freed memory in place.
        yn.forget_resolved()
    return reads  # type: ignore[return-value]  # every None was replaced


def _size_of(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # read_one says why, located


def read_one(path: Path) -> FileRead:
    """One content file, read on its own (its bytes and its path are all it depends on)."""
    ctx, item = read_file(path)
    if item is not None:
        return FileRead(ctx.errors, item)
    return FileRead(ctx.errors, None, [fold(n) for n in _names_of_unloaded(ctx)])


def assemble(files: list[Path], errors: list[ContentError], reads: Sequence[FileRead],
             link_context: Library | None = None,
             warnings: list[list[ContentError]] | None = None) -> LoadResult:
    """The library of ``reads`` (one per file of ``files``, in order) with every problem:
    ``errors`` (finding the files), each file's own, then those across files. ``warnings``,
    if given, gets each read's link warnings (`link_warnings`; empty for a read without a
    note), in the order of ``reads``."""
    pending: list[Pending] = []
    unloaded: set[str] = set()
    for read in reads:
        errors.extend(read.errors)
        if read.pending is not None:
            pending.append(read.pending)
        else:
            unloaded.update(read.unloaded)
    library = Library(tuple(p.note for p in pending))
    errors.extend(id_checks([names_of(p) for p in pending]))
    for read in reads:
        found = ([] if read.pending is None
                 else link_warnings(read.pending.links, library, unloaded, link_context))
        errors.extend(found)
        if warnings is not None:
            warnings.append(found)
    return LoadResult(library, sort_errors(files, errors), files)


def sort_errors(files: Sequence[Path], errors: list[ContentError]) -> list[ContentError]:
    """Report file by file (in the order read), each file's problems from top to bottom."""
    order = {str(f): i for i, f in enumerate(files)}
    errors.sort(key=lambda e: (order.get(e.location.path, -1), e.location.line, e.location.column))
    return errors


_TOP_LEVEL_ID = re.compile(r"^id:[ \t]*[\"']?([A-Za-z0-9][A-Za-z0-9._-]*)[\"']?[ \t]*(?:#.*)?$", re.M)


def _names_of_unloaded(ctx: FileContext) -> list[str]:
    """The id and aliases a file meant to define, when its note could not be built.

    Links to such a note are not reported as resolving to nothing: the file's own errors say
    what is wrong, and a cascade of link errors in other files would only hide them.
    """
    if ctx.note_names:
        return ctx.note_names
    return _TOP_LEVEL_ID.findall(ctx.text)  # the file did not even parse: look for `id:`


def read_file(path: Path) -> tuple[FileContext, Pending | None]:
    ctx = FileContext(str(path))
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            ctx.errors.append(ContentError(Location(str(path)), f"file is {size:,} bytes; the limit "
                                           f"is {MAX_FILE_BYTES:,} (split the note)"))
            return ctx, None
        data = path.read_bytes()
    except OSError as exc:
        ctx.errors.append(ContentError(Location(str(path)), f"cannot read: {exc.strerror or exc}"))
        return ctx, None
    if path.suffix.lower() in MARKDOWN_SUFFIXES:
        from studyvpc.content.markdown.reader import read_markdown_note

        return ctx, read_markdown_note(ctx, data)
    if data.startswith(b"\xef\xbb\xbf"):  # a BOM: invisible in editors, so columns skip it
        data = data[3:]
    try:
        ctx.text = data.decode("utf-8")
        ctx.utf8 = data
    except UnicodeDecodeError as exc:
        ctx.text = data[: exc.start].decode("utf-8", "replace")
        loc = ctx.loc_at_index(len(ctx.text))
        ctx.errors.append(ContentError(loc, f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
                                       "save the file as UTF-8"))
        return ctx, None
    if any(b in data for b in SUSPECT_UTF8_BYTES):
        _report_garbled(ctx)
    root = yn.parse(ctx)
    if root is None:
        return ctx, None
    try:
        return ctx, read_note(ctx, root)
    except yn.TooManyErrors:
        ctx.errors.append(ContentError(Location(str(path)), "too many errors; stopped reading this file"))
        return ctx, None


MAX_GARBLED_LINES = 5
"""Garbled lines reported one by one in a file; the rest are counted in the last report."""


def _report_garbled(ctx: FileContext) -> None:
    """An error on each line that holds text garbled by a wrong encoding (`mojibake`)."""
    found = find_garbled(ctx.text)
    for n, g in enumerate(found[:MAX_GARBLED_LINES]):
        more = len(found) - MAX_GARBLED_LINES
        tail = (f" ({more} more garbled line{'s' * (more != 1)} in this file)"
                if n == MAX_GARBLED_LINES - 1 and more > 0 else "")
        lost = "; \ufffd marks bytes lost for good" if "\ufffd" in g.meant else ""
        ctx.errors.append(ContentError(ctx.loc_at_index(g.index), (
            f"garbled text: UTF-8 that was read as Windows-1252/1254 (mojibake): "
            f"{_clip(g.garbled)!r} was meant to read {_clip(g.meant)!r}{lost}; save the note "
            f"again from its original UTF-8 text, or retype these words{tail}")))


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --------------------------------------------------------------------------- across files

Names = tuple[str, Location, Sequence[str], Sequence[Location], Sequence[tuple[str, Location]]]
"""What the checks of ids across files need of a file's note: its id and where it stands,
its questions' ids and where they stand, its aliases and where they stand."""


def names_of(p: Pending) -> Names:
    return p.note.id, p.id_loc, [q.id for q in p.note.questions], p.question_id_locs, p.alias_locs


def id_checks(notes: Sequence[Names]) -> list[ContentError]:
    """Duplicate note and question ids, and aliases that clash, across ``notes`` (every file's
    note, in the order read)."""
    errors: list[ContentError] = []
    first_note: dict[str, Location] = {}
    for note_id, id_loc, _, _, _ in notes:
        if note_id in first_note:
            errors.append(ContentError(id_loc, f"duplicate note id {note_id!r} "
                                       f"(first defined at {first_note[note_id]})"))
        else:
            first_note[note_id] = id_loc
    first_q: dict[str, Location] = {}
    for _, _, question_ids, question_id_locs, _ in notes:
        for qid, id_loc in zip(question_ids, question_id_locs):
            if qid in first_q:
                errors.append(ContentError(id_loc, f"duplicate question id {qid!r} "
                                           f"(first defined at {first_q[qid]})"))
            else:
                first_q[qid] = id_loc
    # Links resolve ids and aliases case-insensitively, so clashes are found the same way.
    id_owner = {}
    for note_id, loc in first_note.items():
        id_owner.setdefault(fold(note_id), loc)
    alias_owner: dict[str, tuple[str, Location]] = {}
    for note_id, _, _, _, alias_locs in notes:
        for alias, loc in alias_locs:
            key = fold(alias)
            owner = id_owner.get(key)
            if owner is not None and key != fold(note_id):
                # A vault's notes may share a name: links still work (the first note wins),
                # so this is a warning, an error under --strict.
                errors.append(ContentError(loc, f"alias {alias!r} is already the id of the note "
                                           f"at {owner}; links to it go to that note",
                                           severity="warning"))
            elif key in alias_owner and alias_owner[key][0] != note_id:
                errors.append(ContentError(loc, f"alias {alias!r} is already an alias of note "
                                           f"{alias_owner[key][0]!r} (at {alias_owner[key][1]}); "
                                           "links to it go to that note", severity="warning"))
            else:
                alias_owner.setdefault(key, (note_id, loc))
    return errors


def link_warnings(links: Sequence[Link], library: Library, unloaded: set[str] | frozenset[str],
                  link_context: Library | None = None) -> list[ContentError]:
    """A warning for each of one file's ``links`` that resolves to no note of ``library`` (nor
    of ``link_context``) nor names a note that could not be read (``unloaded``, folded).

    A link to a note that is not in the library is a warning: a vault's links often point
    at notes not written (or not imported) yet, and the rest of the note is still good. What
    it says depends on the link and on the names of the library only (ids, aliases, the
    unloaded names), never on another file's locations: while those names are the same, a
    file's warnings stay the same (`cachepatch` keeps them)."""
    errors: list[ContentError] = []
    for link in links:
        if (library.resolve_head(link.target) is None and fold(link.target) not in unloaded
                and (link_context is None or link_context.resolve_head(link.target) is None)):
            what = "see_also entry" if link.origin == "see_also" else "link"
            hint = library.suggest(link.target)
            errors.append(ContentError(link.location, f"{what} [[{link.target}]] resolves to no "
                                       "note" + (f" (did you mean {hint!r}?)" if hint else ""),
                                       severity="warning"))
    return errors

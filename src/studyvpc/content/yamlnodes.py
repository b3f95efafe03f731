"""Safe YAML parsing into located nodes (the readers over them are in ``yamlread``).

Why nodes and not ``yaml.safe_load``: a loaded dict has forgotten where each value was, and
every error we report must point at the offending node (``file:line:col``). We compose the
node graph (libyaml's C parser when present), refuse anything that is not plain data and
bound alias expansion; ``yamlread`` then reads values, recording located errors instead of
raising. Nothing here constructs Python objects from tags.
"""

from __future__ import annotations

from bisect import bisect_right

import functools
import re
from collections.abc import Iterable

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:  # libyaml's C parser, when PyYAML was built with it (see benchmarks/run.py)
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

from studyvpc.content.model import Location
from studyvpc.content.results import ContentError

MAX_NODES = 200_000
MAX_ERRORS_PER_FILE = 200

_P = "tag:yaml.org,2002:"
TAG_STR, TAG_INT, TAG_FLOAT, TAG_BOOL, TAG_NULL, TAG_TS = (
    _P + "str", _P + "int", _P + "float", _P + "bool", _P + "null", _P + "timestamp",
)
TAG_SEQ, TAG_MAP = _P + "seq", _P + "map"
ALLOWED_TAGS = frozenset({TAG_STR, TAG_INT, TAG_FLOAT, TAG_BOOL, TAG_NULL, TAG_TS, TAG_SEQ, TAG_MAP})
KIND_NAMES = {TAG_INT: "a number", TAG_FLOAT: "a number", TAG_BOOL: "true/false", TAG_NULL: "nothing",
         TAG_TS: "a date", TAG_STR: "text", TAG_SEQ: "a list", TAG_MAP: "a mapping"}




class TooManyErrors(Exception):
    """Raised inside one file's reading when it has produced more errors than are useful."""


class FileContext:
    """The errors and source text of one file being read."""

    def __init__(self, path: str, text: str = "") -> None:
        self.path = path
        self.text = text
        self.errors: list[ContentError] = []
        self.note_names: list[str] = []
        """The id and aliases the file defines, as far as they could be read."""
        self.utf8: bytes | None = None
        """The bytes ``text`` was strictly decoded from, when known (a fast pre-check)."""
        self.n_errors = 0
        """Errors reported through `error` (warnings do not count towards the limit)."""
        self._line_starts: list[int] | None = None
        self._line_starts_of: str | None = None
        """The text the line starts were computed for (``text`` is set after construction)."""

    def loc(self, node: Node | None) -> Location:
        if node is None:
            return Location(self.path, 1, 1)
        mark = node.start_mark
        return Location(self.path, mark.line + 1, mark.column + 1)

    def loc_at_index(self, index: int) -> Location:
        """Location of a character offset in the source text (the line found by bisecting a
        table of line starts, built on the first call: a file with thousands of links stays
        linear)."""
        starts = self._line_starts
        if starts is None or self._line_starts_of is not self.text:
            text = self.text
            starts = [0]
            find = text.find
            i = find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = find("\n", i + 1)
            self._line_starts, self._line_starts_of = starts, text
        line = bisect_right(starts, index) - 1
        return Location(self.path, line + 1, index - starts[line] + 1)

    def error(self, node: Node | None, message: str) -> None:
        self.error_at(self.loc(node), message)

    def error_at(self, location: Location, message: str) -> None:
        self.errors.append(ContentError(location, message))
        self.n_errors += 1
        if self.n_errors >= MAX_ERRORS_PER_FILE:
            raise TooManyErrors

    def warn(self, node: Node | None, message: str) -> None:
        """A problem that does not stop the note from loading (``validate --strict`` fails)."""
        self.warn_at(self.loc(node), message)

    def warn_at(self, location: Location, message: str) -> None:
        self.errors.append(ContentError(location, message, severity="warning"))


# --------------------------------------------------------------------------- parsing

# Characters YAML 1.1 accepts in a stream (tab, newlines and the printable ranges); the
# readers refuse anything else. We look first, so the position is a character index for both
# parsers (libyaml reports a *byte* offset into the UTF-8 encoding).
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def uses_libyaml() -> bool:
    """Whether parsing goes through libyaml (the C loader) rather than the pure-Python one."""
    c_loader = getattr(yaml, "CSafeLoader", None)
    return c_loader is not None and issubclass(_Loader, c_loader)


_RESOLVE_CACHE_MAX = 4096
"""Tags of at most this many distinct short plain scalars are remembered per loader class."""


@functools.cache
def _fast_loader(base: type) -> type:
    """``base`` (the C or the pure-Python safe loader) with a cheaper tag resolver.

    Both composers call back into Python's ``resolve`` for every node (56,000 calls per 1,000
    questions). The answer depends only on the scalar (plain or not) and the implicit
    resolvers, which the safe loaders share and we never change: a quoted or block scalar is
    always text, and the tag of a short plain scalar (keys like ``id``, ``text``, ``why``,
    words like ``true``) is remembered instead of matched against the regular expressions
    again. Same tags as ``base`` gives (tests/unit/test_loader_errors.py runs both parsers);
    ~15% less composing time. Built from ``_Loader`` when first used, so replacing
    ``_Loader`` (the tests do) still picks the parser.
    """
    if base.yaml_path_resolvers:  # pragma: no cover - the safe loaders have none
        return base
    base_resolve = base.resolve
    str_tag = base.DEFAULT_SCALAR_TAG
    cache: dict[str, str] = {}

    class FastLoader(base):  # type: ignore[misc, valid-type]
        def resolve(self, kind, value, implicit):
            if kind is ScalarNode:
                if not implicit[0]:
                    return str_tag  # what base.resolve returns without path resolvers
                tag = cache.get(value)
                if tag is None:
                    tag = base_resolve(self, kind, value, implicit)
                    if len(value) <= 40 and len(cache) < _RESOLVE_CACHE_MAX:
                        cache[value] = tag
                return tag
            return base_resolve(self, kind, value, implicit)

        # Called around every node to track paths for path resolvers; there are none.
        def descend_resolver(self, current_node, current_index):
            pass

        def ascend_resolver(self):
            pass

    FastLoader.__name__ = FastLoader.__qualname__ = f"Fast{base.__name__}"
    return FastLoader


def forget_resolved() -> None:
    """Drop `_fast_loader`'s memo of tags (a new one starts with the next parse)."""
    _fast_loader.cache_clear()


# Every byte that starts a character `_NON_PRINTABLE` refuses, in UTF-8: the C0 controls but
# tab and line breaks, DEL, 0xC2 (U+0080-U+00BF: the C1 controls) and 0xEF (U+F000-U+FFFF:
# U+FFFE, U+FFFF). Strictly decoded UTF-8 holds no surrogates.
_SUSPECT_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F, 0xC2, 0xEF])


def _may_hold_bad_characters(ctx: FileContext) -> bool:
    """False when the file's bytes show no character `_NON_PRINTABLE` could match: deleting
    bytes runs at C speed, unlike the regular expression over the text."""
    data = ctx.utf8
    return data is None or len(data.translate(None, _SUSPECT_BYTES)) != len(data)


def _mark_location(ctx: FileContext, mark) -> Location:
    """Where a YAML error mark points, kept inside the file: at the end of input the parser's
    mark may be on a line the file does not have (``id: x\ntitle`` has no line 3; after a
    final newline the empty last line is one, as in an editor)."""
    if mark is None:
        return Location(ctx.path)
    lines = ctx.text.split("\n")
    if mark.line >= len(lines):
        return Location(ctx.path, len(lines), len(lines[-1]) + 1)
    return Location(ctx.path, mark.line + 1, mark.column + 1)


def parse(ctx: FileContext) -> Node | None:
    """Compose ``ctx.text`` into a node graph; record an error and return None on failure."""
    bad = _NON_PRINTABLE.search(ctx.text) if _may_hold_bad_characters(ctx) else None
    ctx.utf8 = None  # not needed any more
    if bad is not None:
        ctx.errors.append(ContentError(ctx.loc_at_index(bad.start()), _bad_character(bad.group())))
        return None
    loader = None
    try:
        # The pure-Python reader checks the characters in its constructor: keep it in the try.
        loader = _fast_loader(_Loader)(ctx.text)
        node = loader.get_single_node()
    except yaml.composer.ComposerError as exc:
        where = _mark_location(ctx, exc.problem_mark or exc.context_mark)
        if exc.problem and "another document" in exc.problem:
            message = ("a second YAML document starts here (a line '---'); a content file holds "
                       "exactly one document: one note")
        else:
            message = "YAML syntax error: " + (" ".join(p for p in (exc.context, exc.problem) if p)
                                               or "invalid YAML")
        ctx.errors.append(ContentError(where, message))
        return None
    except yaml.MarkedYAMLError as exc:
        where = _mark_location(ctx, exc.problem_mark or exc.context_mark)
        what = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        ctx.errors.append(ContentError(where, f"YAML syntax error: {what}"))
        return None
    except yaml.reader.ReaderError as exc:  # a fallback: _NON_PRINTABLE catches these first
        index = max(exc.position, 0)
        if loader is not None and uses_libyaml():  # libyaml counts bytes of the UTF-8 text
            index = len(ctx.text.encode("utf-8")[:index].decode("utf-8", "ignore"))
        ctx.errors.append(ContentError(ctx.loc_at_index(index),
                                       f"YAML syntax error: {_reader_problem(exc)}"))
        return None
    except yaml.YAMLError as exc:  # libyaml reports some problems without marks
        ctx.errors.append(ContentError(Location(ctx.path), f"YAML syntax error: {exc}"))
        return None
    except RecursionError:  # the pure-Python composer recurses once per nesting level
        get_mark = getattr(loader, "get_mark", None)
        mark = get_mark() if get_mark is not None else None
        where = Location(ctx.path, mark.line + 1, mark.column + 1) if mark else Location(ctx.path)
        ctx.errors.append(ContentError(where, "the document is nested too deeply; refused"))
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        ctx.errors.append(ContentError(Location(ctx.path), "the file is empty"))
        return None
    if not _check_graph(ctx, node):
        return None
    return node


def _bad_character(char: str) -> str:
    code = ord(char)
    kind = "a control character" if code < 0x20 or 0x7F <= code <= 0x9F else "not allowed in YAML"
    return (f"character U+{code:04X} ({kind}) is not allowed in a content file; remove it "
            "(escape it as \\x.. inside double quotes if it is meant)")


def _reader_problem(exc: yaml.reader.ReaderError) -> str:
    if isinstance(exc.character, int):
        return f"{exc.reason} #x{exc.character:04x}"
    return str(exc.reason)


def _check_graph(ctx: FileContext, root: Node) -> bool:
    """Refuse non-data tags, recursive aliases and alias-expansion bombs before reading.

    Nearly every file is a plain tree of data: `_plain_data` confirms that with a cheap walk;
    only when it cannot does the exact check run, which also finds what to report and where.
    """
    if _plain_data(root):
        return True
    return _check_graph_exactly(ctx, root)


def _plain_data(root: Node) -> bool:
    """True if ``root`` is a plain tree of allowed tags: no list or mapping reached twice
    (through an alias), at most `MAX_NODES` nodes, every tag in `ALLOWED_TAGS`.

    Then `_check_graph_exactly` would find nothing: without a shared list or mapping nothing
    can contain itself, and the expansion is the written tree, whose size is counted here and
    whose depth the parser has already bounded. Anything else (an alias of a list or a
    mapping, too many nodes, another tag) is left to the exact check. Aliases of single
    values are fine: they add a node each, counted.
    """
    allowed = ALLOWED_TAGS
    limit = MAX_NODES
    stack = [root]
    pop, push, extend = stack.pop, stack.append, stack.extend
    collections: set[int] = set()
    add = collections.add
    seen = 0
    while stack:
        node = pop()
        seen += 1
        if seen > limit or node.tag not in allowed:
            return False
        if node.__class__ is ScalarNode:
            continue
        key = id(node)  # the whole graph is alive: ids are unique
        if key in collections:
            return False
        add(key)
        if isinstance(node, MappingNode):
            for k, v in node.value:
                push(k)
                push(v)
        elif isinstance(node, SequenceNode):
            extend(node.value)
    return True


def _check_graph_exactly(ctx: FileContext, root: Node) -> bool:
    """`_check_graph` the slow way, reporting what is wrong.

    The expanded size is computed with memoisation, so a billion-laughs document costs time
    linear in its *written* size, and is refused long before anyone walks the expansion.
    """
    sizes: dict[int, int] = {}
    in_progress: set[int] = set()
    ok = True
    too_big: list[Node] = []  # the innermost node whose expansion crosses MAX_NODES

    def size(node: Node) -> int:
        nonlocal ok
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in in_progress:
            raise _Recursive(node)
        if node.tag not in ALLOWED_TAGS:
            ok = False
            ctx.errors.append(ContentError(ctx.loc(node), f"YAML tag {_short_tag(node.tag)!r} is not "
                                           "allowed: content is plain data (text, lists, mappings)"))
        total = 1
        if isinstance(node, (SequenceNode, MappingNode)):
            in_progress.add(key)
            children: Iterable[Node] = (
                node.value if isinstance(node, SequenceNode)
                else (n for pair in node.value for n in pair)
            )
            for child in children:
                total += size(child)
                if total > MAX_NODES:
                    if not too_big:
                        too_big.append(node)
                    break
            in_progress.discard(key)
        sizes[key] = total
        return total

    try:
        total = _iterative_guard(size, root)
    except _Recursive as rec:
        ctx.errors.append(ContentError(ctx.loc(rec.node), "recursive alias: a node contains itself"))
        return False
    except _TooDeep:
        ctx.errors.append(ContentError(ctx.loc(root), "the document is nested too deeply; refused"))
        return False
    if total > MAX_NODES:
        where = too_big[0] if too_big else root
        ctx.errors.append(ContentError(ctx.loc(where), f"this expands to more than {MAX_NODES:,} "
                                       "nodes through aliases (an alias-expansion bomb?); refused"))
        return False
    return ok


class _Recursive(Exception):
    def __init__(self, node: Node) -> None:
        self.node = node


class _TooDeep(Exception):
    pass


def _iterative_guard(fn, root):  # deep documents must not blow Python's stack into a traceback
    import sys

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(max(old, 20_000))
    try:
        return fn(root)
    except RecursionError:
        raise _TooDeep from None
    finally:
        sys.setrecursionlimit(old)


def _short_tag(tag: str) -> str:
    return "!!" + tag[len(_P):] if tag.startswith(_P) else tag

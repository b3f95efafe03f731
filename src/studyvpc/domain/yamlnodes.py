"""Safe YAML parsing into located nodes, and typed readers over them.

Why nodes and not ``yaml.safe_load``: a loaded dict has forgotten where each value was, and
every error we report must point at the offending node (``file:line:col``). We compose the
node graph (libyaml's C parser when present), refuse anything that is not plain data, bound
alias expansion, and read values with the readers below, which record located errors instead
of raising. Nothing here constructs Python objects from tags.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from datetime import date, datetime

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:  # libyaml's C parser: 10-20x faster than the pure-Python one.
    from yaml import CSafeLoader as _Loader

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

    HAVE_LIBYAML = False

from studyvpc.domain.model import Location
from studyvpc.domain.results import ContentError  # noqa: F401  (re-export)

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_NODES = 200_000
MAX_ERRORS_PER_FILE = 200

_P = "tag:yaml.org,2002:"
TAG_STR, TAG_INT, TAG_FLOAT, TAG_BOOL, TAG_NULL, TAG_TS = (
    _P + "str", _P + "int", _P + "float", _P + "bool", _P + "null", _P + "timestamp",
)
TAG_SEQ, TAG_MAP = _P + "seq", _P + "map"
ALLOWED_TAGS = frozenset({TAG_STR, TAG_INT, TAG_FLOAT, TAG_BOOL, TAG_NULL, TAG_TS, TAG_SEQ, TAG_MAP})
_KIND = {TAG_INT: "a number", TAG_FLOAT: "a number", TAG_BOOL: "true/false", TAG_NULL: "nothing",
         TAG_TS: "a date", TAG_STR: "text", TAG_SEQ: "a list", TAG_MAP: "a mapping"}


# ContentError lives in the yaml-free `results` module (the cached warm start needs it
# without yaml); it is re-exported here so `from ...yamlnodes import ContentError` works.


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
        self._line_starts: list[int] | None = None

    def loc(self, node: Node | None) -> Location:
        if node is None:
            return Location(self.path, 1, 1)
        mark = node.start_mark
        return Location(self.path, mark.line + 1, mark.column + 1)

    def loc_at_index(self, index: int) -> Location:
        """Location of a character offset in the source text."""
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]
        import bisect

        line = bisect.bisect_right(self._line_starts, index) - 1
        return Location(self.path, line + 1, index - self._line_starts[line] + 1)

    def error(self, node: Node | None, message: str) -> None:
        self.error_at(self.loc(node), message)

    def error_at(self, location: Location, message: str) -> None:
        self.errors.append(ContentError(location, message))
        if len(self.errors) >= MAX_ERRORS_PER_FILE:
            raise TooManyErrors


# --------------------------------------------------------------------------- parsing

# Characters YAML 1.1 accepts in a stream (tab, newlines and the printable ranges); the
# readers refuse anything else. We look first, so the position is a character index for both
# parsers (libyaml reports a *byte* offset into the UTF-8 encoding).
_NON_PRINTABLE = re.compile("[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def uses_libyaml() -> bool:
    """Whether parsing goes through libyaml (the C loader) rather than the pure-Python one."""
    c_loader = getattr(yaml, "CSafeLoader", None)
    return c_loader is not None and issubclass(_Loader, c_loader)


def parse(ctx: FileContext) -> Node | None:
    """Compose ``ctx.text`` into a node graph; record an error and return None on failure."""
    bad = _NON_PRINTABLE.search(ctx.text)
    if bad is not None:
        ctx.errors.append(ContentError(ctx.loc_at_index(bad.start()), _bad_character(bad.group())))
        return None
    loader = None
    try:
        # The pure-Python reader checks the characters in its constructor: keep it in the try.
        loader = _Loader(ctx.text)
        node = loader.get_single_node()
    except yaml.composer.ComposerError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(ctx.path, mark.line + 1, mark.column + 1) if mark else Location(ctx.path)
        if exc.problem and "another document" in exc.problem:
            message = ("a second YAML document starts here (a line '---'); a content file holds "
                       "exactly one document: one note")
        else:
            message = "YAML syntax error: " + (" ".join(p for p in (exc.context, exc.problem) if p)
                                               or "invalid YAML")
        ctx.errors.append(ContentError(where, message))
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(ctx.path, mark.line + 1, mark.column + 1) if mark else Location(ctx.path)
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


# --------------------------------------------------------------------------- readers

def kind_of(node: Node) -> str:
    return _KIND.get(node.tag, "a " + type(node).__name__.replace("Node", "").lower())


def mapping(ctx: FileContext, node: Node, what: str, allowed: Iterable[str],
            required: Iterable[str] = ()) -> dict[str, tuple[ScalarNode, Node]] | None:
    """Read a mapping with the given keys; unknown, duplicate and missing keys are errors."""
    if not isinstance(node, MappingNode):
        ctx.error(node, f"{what} must be a mapping (key: value), not {kind_of(node)}")
        return None
    allowed = tuple(allowed)
    out: dict[str, tuple[ScalarNode, Node]] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, ScalarNode) or key_node.tag in (TAG_NULL,):
            ctx.error(key_node, f"keys of {what} must be plain words, not {kind_of(key_node)}")
            continue
        key = key_node.value
        if key in out:
            first = out[key][0].start_mark.line + 1
            ctx.error(key_node, f"duplicate key {key!r} in {what} (first given on line {first})")
            continue
        if key not in allowed:
            hint = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else f"; allowed: {', '.join(allowed)}"
            ctx.error(key_node, f"unknown key {key!r} in {what}{suggestion}")
            continue
        out[key] = (key_node, value_node)
    for key in required:
        if key not in out:
            ctx.error(node, f"{what} is missing the required key {key!r}")
    return out


def text(ctx: FileContext, node: Node, what: str, *, allow_empty: bool = False) -> str | None:
    """A text value. Unquoted numbers and booleans are taken as written (``No`` stays ``No``)."""
    if not isinstance(node, ScalarNode):
        ctx.error(node, f"{what} must be text, not {kind_of(node)}")
        return None
    if node.tag == TAG_NULL and node.value in ("", "~", "null", "Null", "NULL"):
        if allow_empty:
            return ""
        ctx.error(node, f"{what} is empty")
        return None
    value = node.value
    if not allow_empty and not value.strip():
        ctx.error(node, f"{what} is empty")
        return None
    return value


def boolean(ctx: FileContext, node: Node, what: str) -> bool | None:
    if isinstance(node, ScalarNode) and node.tag == TAG_BOOL:
        return node.value.lower() in ("true", "yes", "on", "y")
    ctx.error(node, f"{what} must be true or false, not {kind_of(node)} {_shown(node)}")
    return None


def integer(ctx: FileContext, node: Node, what: str) -> int | None:
    if isinstance(node, ScalarNode) and node.tag == TAG_INT:
        try:
            return int(node.value.replace("_", ""), 0)
        except ValueError:
            pass
    ctx.error(node, f"{what} must be a whole number, not {kind_of(node)} {_shown(node)}")
    return None


def a_date(ctx: FileContext, node: Node, what: str) -> date | None:
    if isinstance(node, ScalarNode) and node.tag in (TAG_TS, TAG_STR):
        raw = node.value.strip()
        try:
            return date.fromisoformat(raw)
        except ValueError:
            try:
                return datetime.fromisoformat(raw).date()
            except ValueError:
                pass
    ctx.error(node, f"{what} must be a date like 2025-08-20, not {_shown(node) or kind_of(node)}")
    return None


def sequence(ctx: FileContext, node: Node, what: str) -> list[Node] | None:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, ScalarNode) and node.tag == TAG_NULL:
        return []
    ctx.error(node, f"{what} must be a list, not {kind_of(node)}")
    return None


def text_list(ctx: FileContext, node: Node, what: str) -> list[tuple[str, Node]]:
    items = sequence(ctx, node, what)
    out: list[tuple[str, Node]] = []
    for item in items or ():
        value = text(ctx, item, f"each entry of {what}")
        if value is not None:
            out.append((value, item))
    return out


def _shown(node: Node) -> str:
    if isinstance(node, ScalarNode):
        v = node.value if len(node.value) <= 40 else node.value[:37] + "..."
        return repr(v)
    return ""

"""The model <-> JSON-able lists, for the parsed-content cache.

Why not pickle: a cache file sits in a user-writable directory and must be safe to load;
decoding here can only ever build the model's own dataclasses, guided by their type hints,
and checks the type of every value on the way (a damaged or foreign file raises
`DecodeError`, never builds a half-typed model).

Why generated code: the warm start of a 10,000-question library decodes ~150,000 objects, and
a generic decoder (a closure call per field) spends most of its time dispatching. So for each
dataclass we generate, once per process, a small function that unpacks the positional list,
checks each value with ``type(x) is str`` (and friends) inline and calls the class. The source
of those functions is built only from the model's own field names and types, never from data.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import date

from studyvpc.content import model

CODEC_VERSION = 2
"""Bump whenever the encoded shape changes (field order, a new field, how a type is written)."""


class DecodeError(ValueError):
    """The data does not fit the model (a stale or damaged cache)."""


# --------------------------------------------------------------------------- code generation

def _fields(cls: type) -> list[tuple[str, typing.Any]]:
    hints = typing.get_type_hints(cls, vars(model))
    return [(f.name, hints[f.name]) for f in dataclasses.fields(cls)]


def _optional(tp: typing.Any) -> typing.Any | None:
    """``X`` for ``X | None``, else None."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1 and len(typing.get_args(tp)) == 2:
            return args[0]
        raise TypeError(f"unsupported union {tp!r}")
    return None


_SCALARS = {str: "str", bool: "bool", int: "int", float: "float"}


class _Generator:
    """Builds the decoder and encoder source for every dataclass reachable from a root."""

    def __init__(self) -> None:
        self.classes: dict[type, str] = {}
        self.order: list[type] = []

    def name(self, cls: type) -> str:
        if cls not in self.classes:
            self.classes[cls] = cls.__name__
            for _, tp in _fields(cls):
                self._visit(tp)
            self.order.append(cls)
        return self.classes[cls]

    def _visit(self, tp: typing.Any) -> None:
        inner = _optional(tp)
        if inner is not None:
            return self._visit(inner)
        if typing.get_origin(tp) is tuple:
            return self._visit(typing.get_args(tp)[0])
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            self.name(tp)

    # -- decoding: an expression that checks and converts `var` (a JSON value)
    def dec_expr(self, tp: typing.Any, var: str, depth: int = 0) -> tuple[list[str], str]:
        """Statements that check `var`, and the expression giving the model value."""
        inner = _optional(tp)
        if inner is not None:
            stmts, expr = self.dec_expr(inner, var, depth)
            if not stmts:
                return [], f"(None if {var} is None else {expr})"
            guarded = [f"if {var} is not None:"] + ["    " + s for s in stmts]
            return guarded, f"(None if {var} is None else {expr})"
        if tp in _SCALARS:
            return [f"if type({var}) is not {_SCALARS[tp]}: _bad({var}, {_SCALARS[tp]!r})"], var
        if tp is date:
            return [f"if type({var}) is not str: _bad({var}, 'date')"], f"_date({var})"
        if typing.get_origin(tp) is tuple:
            args = typing.get_args(tp)
            if len(args) != 2 or args[1] is not Ellipsis:
                raise TypeError(f"only tuple[X, ...] is supported, not {tp!r}")
            item = args[0]
            check = [f"if type({var}) is not list: _bad({var}, 'list')"]
            if item in _SCALARS:
                t = _SCALARS[item]
                check.append(f"for _x in {var}:")
                check.append(f"    if type(_x) is not {t}: _bad(_x, {t!r})")
                return check, f"tuple({var})"
            if isinstance(item, type) and dataclasses.is_dataclass(item):
                return check, f"tuple(map(dec_{self.name(item)}, {var}))"
            raise TypeError(f"no decoder for {tp!r}")
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            return [], f"dec_{self.name(tp)}({var})"
        raise TypeError(f"no decoder for {tp!r}")

    def enc_expr(self, tp: typing.Any, expr: str) -> str:
        inner = _optional(tp)
        if inner is not None:
            inner_expr = self.enc_expr(inner, "_v")
            if inner_expr == "_v":
                return expr
            return f"(lambda _v: None if _v is None else {inner_expr})({expr})"
        if tp in _SCALARS:
            return expr
        if tp is date:
            return f"{expr}.isoformat()"
        if typing.get_origin(tp) is tuple:
            item = typing.get_args(tp)[0]
            if item in _SCALARS:
                return f"list({expr})"
            return f"list(map(enc_{self.name(item)}, {expr}))"
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            return f"enc_{self.name(tp)}({expr})"
        raise TypeError(f"no encoder for {tp!r}")

    def source(self) -> str:
        out: list[str] = []
        for cls in list(self.order):
            fields = _fields(cls)
            name = self.classes[cls]
            names = [f"v{i}" for i in range(len(fields))]
            # decoder
            out.append(f"def dec_{name}(v):")
            out.append(f"    if type(v) is not list or len(v) != {len(fields)}: _bad(v, {name!r})")
            out.append(f"    {', '.join(names)}{',' if len(names) == 1 else ''} = v")
            exprs = []
            for var, (_, tp) in zip(names, fields):
                stmts, expr = self.dec_expr(tp, var)
                out.extend("    " + s for s in stmts)
                exprs.append(expr)
            if _settable(cls):
                # Frozen slotted dataclass: fill the slots directly (what its __init__ does,
                # minus a call to object.__setattr__ per field: ~40% faster).
                out.append(f"    o = _new({name})")
                out.extend(f"    _set_{name}_{i}(o, {e})" for i, e in enumerate(exprs))
                out.append("    return o")
            else:
                out.append(f"    return {name}({', '.join(exprs)})")
            # encoder
            out.append(f"def enc_{name}(o):")
            parts = [self.enc_expr(tp, f"o.{fname}") for fname, tp in fields]
            out.append(f"    return [{', '.join(parts)}]")
        return "\n".join(out) + "\n"


def _settable(cls: type) -> bool:
    """Whether objects of ``cls`` can be built by setting their slots (no __post_init__, no
    default factories run by __init__, every field a slot)."""
    slots = getattr(cls, "__slots__", ())
    return (not hasattr(cls, "__post_init__")
            and all(f.name in slots for f in dataclasses.fields(cls)))


def _setters(cls: type, name: str) -> dict[str, typing.Any]:
    return {f"_set_{name}_{i}": cls.__dict__[f.name].__set__
            for i, f in enumerate(dataclasses.fields(cls))}


def _bad(value: typing.Any, expected: str) -> typing.NoReturn:
    raise DecodeError(f"expected {expected}, got {type(value).__name__}")


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise DecodeError(f"not a date: {value[:40]!r}") from None


_NAMESPACE: dict[str, typing.Any] | None = None


def _namespace() -> dict[str, typing.Any]:
    global _NAMESPACE
    if _NAMESPACE is None:
        gen = _Generator()
        gen.name(model.Note)
        ns: dict[str, typing.Any] = {"_bad": _bad, "_date": _date, "_new": object.__new__}
        ns.update({name: cls for cls, name in gen.classes.items()})
        for cls, name in gen.classes.items():
            if _settable(cls):
                ns.update(_setters(cls, name))
        exec(compile(gen.source(), "<studyvpc.content.codec generated>", "exec"), ns)
        _NAMESPACE = ns
    return _NAMESPACE


def generated_source() -> str:
    """The generated decoders and encoders (for the curious and for tests)."""
    gen = _Generator()
    gen.name(model.Note)
    return gen.source()


# --------------------------------------------------------------------------- API

def encode(obj: typing.Any) -> typing.Any:
    """A model object (or a tuple/list of them) as JSON-able lists, positionally."""
    if isinstance(obj, (tuple, list)):
        return [encode(x) for x in obj]
    if dataclasses.is_dataclass(obj):
        return _namespace()[f"enc_{type(obj).__name__}"](obj)
    if isinstance(obj, date):
        return obj.isoformat()
    return obj


def note_encoder() -> typing.Callable[[model.Note], list]:
    """The function that encodes one note (what `encode_notes` applies to each)."""
    return _namespace()["enc_Note"]


def encode_notes(notes: typing.Iterable[model.Note]) -> list:
    enc = _namespace()["enc_Note"]
    return [enc(n) for n in notes]


def decode_notes(data: typing.Any) -> tuple[model.Note, ...]:
    """The notes encoded by `encode_notes`; `DecodeError` when the data does not fit."""
    if type(data) is not list:
        raise DecodeError("expected a list of notes")
    dec = _namespace()["dec_Note"]
    try:
        return tuple(map(dec, data))
    except DecodeError:
        raise
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise DecodeError(str(exc)) from None

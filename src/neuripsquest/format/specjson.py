"""Specs to JSON values and back, for the validated-world cache.

`decode` holds a value read back to the rules the spec classes' annotations state (exact
types, every key present and no other, name patterns, bounds, non-empty lists) and raises
`Invalid` on the first one broken: an entry from a damaged or foreign cache is then a miss,
never a crash and never a world `build` would not have been given. Readers are made once per
class from its annotations, so there is no second copy of the shape to drift.
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from neuripsquest.format.spec import Bounds, MinLen, Pattern

T = TypeVar("T")
Reader = Callable[[Any], Any]


class Invalid(ValueError):
    """A value that breaks the spec's shape."""


def _fail(what: str) -> typing.NoReturn:
    raise Invalid(what)


def decode(cls: type[T], value: Any) -> T:
    """`value` (as `encode` made it, read back from JSON) as a `cls`, or Invalid."""
    reader: Reader = _reader(cls)
    result: T = reader(value)
    return result


def read_written(cls: type[T], value: Any) -> T:
    """A file's data as the writer wrote it (keys left out, shorthands: `format/written.py`)
    as a `cls`, or Invalid. Anything but the plainest form of a value (`2.0` for 2, a key
    written `if_`) is Invalid too: pydantic's models then judge it and word what is wrong."""
    reader: Reader = _reader(cls, written=True)
    result: T = reader(value)
    return result


def encode(value: Any) -> Any:
    """A spec as JSON values: spec classes become objects, other tuples lists."""
    if type(value) in (str, int, bool) or value is None:
        return value
    if is_spec(type(value)):
        return {name: encode(v) for name, v in zip(value._fields, value, strict=True)}
    if isinstance(value, tuple):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    raise TypeError(f"not a spec value: {value!r}")


def is_spec(cls: Any) -> bool:
    """A spec class (format/spec.py: a NamedTuple record, its fields annotated)."""
    return isinstance(cls, type) and issubclass(cls, tuple) and hasattr(cls, "_fields")


def spec_fields(cls: type) -> list[tuple[str, Any]]:
    """A spec class's fields in order, each with its annotation (the object itself)."""
    hints = cls.__annotations__
    return [(name, hints[name]) for name in cls._fields]  # type: ignore[attr-defined]


_READERS: dict[tuple[Any, bool], Reader] = {}


def _reader(annotation: Any, written: bool = False) -> Reader:
    """The reader of `annotation`: of a cache entry's values, or (`written`) of a file's."""
    reader = _READERS.get((annotation, written))
    if reader is None:
        reader = _READERS[annotation, written] = _make(annotation, written)
    return reader


def _make(annotation: Any, written: bool) -> Reader:
    if isinstance(annotation, str):
        raise TypeError(f"spec annotations must be objects, not the text {annotation!r}")
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *rules = get_args(annotation)
        return _constrained(_reader(base, written), rules)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        if len(options) != 1:
            raise TypeError(f"only `X | None` unions are supported, not {annotation}")
        inner = _reader(options[0], written)
        return lambda v: None if v is None else inner(v)
    if origin is Literal:
        allowed = get_args(annotation)
        return lambda v: v if type(v) is str and v in allowed else _fail(f"not one of {allowed}")
    if origin is tuple:
        return _tuple(get_args(annotation), written)
    if origin is dict:
        key, item = (_reader(a, written) for a in get_args(annotation))
        return lambda v: (
            {key(k): item(x) for k, x in v.items()} if type(v) is dict else _fail("not an object")
        )
    if annotation in (str, int, bool):
        exact = annotation  # bool is not an int here, nor 1.0 an int
        return lambda v: v if type(v) is exact else _fail(f"not {exact.__name__}")
    if is_spec(annotation):
        return _written_record(annotation) if written else _record(annotation)
    raise TypeError(f"no reader for {annotation!r}")


def _tuple(args: tuple[Any, ...], written: bool) -> Reader:
    if len(args) == 2 and args[1] is Ellipsis:
        item = _reader(args[0], written)
        return lambda v: tuple(map(item, v)) if type(v) is list else _fail("not a list")
    parts = [_reader(a, written) for a in args]
    n = len(parts)
    return lambda v: (
        tuple(read(x) for read, x in zip(parts, v, strict=True))
        if type(v) is list and len(v) == n
        else _fail(f"not a list of {n}")
    )


def _constrained(read: Reader, rules: list[Any]) -> Reader:
    checks = [_check(rule) for rule in rules]

    def constrained(v: Any) -> Any:
        out = read(v)
        for check in checks:
            if not check(out):
                _fail("out of bounds")
        return out

    return constrained


def _check(rule: Any) -> Callable[[Any], bool]:
    if isinstance(rule, Pattern):
        # pydantic's `$` means the end of the text, not before a final line break
        match = re.compile(rule.regex.removesuffix("$") + r"\Z").match
        return lambda v: match(v) is not None
    if isinstance(rule, Bounds):
        lo, hi = rule.lo, rule.hi
        return lambda v: (lo is None or v >= lo) and (hi is None or v <= hi)
    if isinstance(rule, MinLen):
        n = rule.n
        return lambda v: len(v) >= n
    raise TypeError(f"unknown rule {rule!r}")


def _record(cls: type) -> Reader:
    fields = [(name, _reader(annotation)) for name, annotation in spec_fields(cls)]
    keys = {name for name, _ in fields}

    def read(v: Any) -> Any:
        if type(v) is not dict or v.keys() != keys:
            _fail(f"not a {cls.__name__}")
        return cls(*[field(v[name]) for name, field in fields])

    return read


_REQUIRED = object()


def _written_record(cls: type) -> Reader:
    from neuripsquest.format import written

    fields = [
        (
            written.key(name),
            _reader(annotation, written=True),
            written.DEFAULTS.get((cls, name), _REQUIRED),
            written.SHORTHANDS.get((cls, name)),
        )
        for name, annotation in spec_fields(cls)
    ]
    keys = {key for key, *_ in fields}
    whole = written.WHOLE_SHORTHANDS.get(cls)

    def field(v: Any, key: str, read: Reader, default: Any, short: Any) -> Any:
        if key in v:
            return read(v[key] if short is None else short(v[key]))
        if default is _REQUIRED:
            _fail(f"no {key}")
        return read(default)

    def read(v: Any) -> Any:
        if whole is not None:
            v = whole(v)
        if type(v) is not dict or not v.keys() <= keys:
            _fail(f"not a {cls.__name__}")
        return cls(*[field(v, *f) for f in fields])

    return read

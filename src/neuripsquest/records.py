"""`Record`: a base for NamedTuple classes that costs a tenth of `typing.NamedTuple` to set up.

    class Choice(Record):
        id: str
        text: str = ""

makes what `class Choice(NamedTuple)` makes (a tuple subclass with named fields, defaults,
keyword construction, `_replace`, `_asdict`, `_make`, `_fields`, `_field_defaults`, the same
repr, pickling and equality), and type checkers see exactly that: for them `Record` *is*
`typing.NamedTuple`. The difference is the time a class takes to make, which every start of
the game pays for each one it imports (about 75 of them, half before the title screen):
`typing.NamedTuple` compiles each string annotation into a `ForwardRef` and then has
`collections.namedtuple` compile a `__new__` from source, ~130 us a class here; a Record class
compiles nothing (~15 us): its `__new__` is one of the templates below with its arguments
renamed to the fields (`CodeType.replace`), and the rest of its methods are shared.

A Record class takes its fields from its annotations, in order, and has Record as its only
base; a field with a default needs every later field to have one (as with NamedTuple)."""

from __future__ import annotations

from collections.abc import Iterable
from types import FunctionType
from typing import TYPE_CHECKING, Any

__all__ = ["Record"]

_tuple_new = tuple.__new__


# __new__ for each number of fields. Their arguments are renamed to a class's fields, so their
# bodies must pass every argument, in order, and nothing else.
def _n0(_cls):
    return _tuple_new(_cls, ())


def _n1(_cls, a):
    return _tuple_new(_cls, (a,))


def _n2(_cls, a, b):
    return _tuple_new(_cls, (a, b))


def _n3(_cls, a, b, c):
    return _tuple_new(_cls, (a, b, c))


def _n4(_cls, a, b, c, d):
    return _tuple_new(_cls, (a, b, c, d))


def _n5(_cls, a, b, c, d, e):
    return _tuple_new(_cls, (a, b, c, d, e))


def _n6(_cls, a, b, c, d, e, f):
    return _tuple_new(_cls, (a, b, c, d, e, f))


def _n7(_cls, a, b, c, d, e, f, g):
    return _tuple_new(_cls, (a, b, c, d, e, f, g))


def _n8(_cls, a, b, c, d, e, f, g, h):
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h))


def _n9(_cls, a, b, c, d, e, f, g, h, i):
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i))


def _n10(_cls, a, b, c, d, e, f, g, h, i, j):
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j))


def _n11(_cls, a, b, c, d, e, f, g, h, i, j, k):
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k))


def _n12(_cls, a, b, c, d, e, f, g, h, i, j, k, m):
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, m))


def _n13(_cls, a, b, c, d, e, f, g, h, i, j, k, m, n):
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, m, n))


def _n14(_cls, a, b, c, d, e, f, g, h, i, j, k, m, n, o):
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, m, n, o))


def _n15(_cls, a, b, c, d, e, f, g, h, i, j, k, m, n, o, p):
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, m, n, o, p))


def _n16(_cls, a, b, c, d, e, f, g, h, i, j, k, m, n, o, p, q):
    return _tuple_new(_cls, (a, b, c, d, e, f, g, h, i, j, k, m, n, o, p, q))


# fmt: off
_TEMPLATES: tuple[Any, ...] = (
    _n0, _n1, _n2, _n3, _n4, _n5, _n6, _n7, _n8, _n9, _n10, _n11, _n12, _n13, _n14, _n15, _n16,
)
# fmt: on
MAX_FIELDS = len(_TEMPLATES) - 1

try:  # the C accessor collections.namedtuple uses for its fields
    from _collections import _tuplegetter  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - other Pythons
    from operator import itemgetter

    def _tuplegetter(index: int, doc: str) -> Any:
        return property(itemgetter(index), doc=doc)


# The methods every Record class shares, written as collections.namedtuple writes them.


def _make(cls: type, iterable: Iterable[Any]) -> Any:
    result: tuple[Any, ...] = _tuple_new(cls, iterable)
    if len(result) != len(cls._fields):  # type: ignore[attr-defined]
        raise TypeError(f"Expected {len(cls._fields)} arguments, got {len(result)}")  # type: ignore[attr-defined]
    return result


def _replace(self: Any, /, **kwds: Any) -> Any:
    result = self._make(map(kwds.pop, self._fields, self))
    if kwds:
        raise ValueError(f"Got unexpected field names: {list(kwds)!r}")
    return result


def _asdict(self: Any) -> dict[str, Any]:
    return dict(zip(self._fields, self, strict=True))


def _repr(self: Any) -> str:
    inner = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self, strict=True))
    return f"{self.__class__.__name__}({inner})"


def _getnewargs(self: Any) -> tuple[Any, ...]:
    return tuple(self)


_SHARED = {
    "__slots__": (),
    "_make": classmethod(_make),
    "_replace": _replace,
    "_asdict": _asdict,
    "__repr__": _repr,
    "__getnewargs__": _getnewargs,
}


class _RecordType(type):
    def __new__(mcls, name: str, bases: tuple[type, ...], ns: dict[str, Any]) -> Any:
        if not bases:  # Record itself
            return super().__new__(mcls, name, (tuple,), ns)
        if bases != (_Record,):
            raise TypeError(f"{name}: a Record class has Record as its only base")
        annotations = ns.get("__annotations__")
        if annotations is None:  # Python 3.14's lazy annotations: evaluated now, as typing does
            annotate = ns.get("__annotate__") or ns.get("__annotate_func__")
            annotations = annotate(1) if annotate is not None else {}  # 1: Format.VALUE
        fields = tuple(annotations or ())
        if len(fields) > MAX_FIELDS:
            raise TypeError(f"{name}: a Record has at most {MAX_FIELDS} fields")
        defaults = {f: ns[f] for f in fields if f in ns}
        if tuple(defaults) != fields[len(fields) - len(defaults) :]:
            raise TypeError(f"{name}: a field without a default follows one with a default")
        for f in fields:
            if f.startswith("_"):
                raise ValueError(f"{name}: field names cannot start with an underscore: {f!r}")
        code = _TEMPLATES[len(fields)].__code__.replace(
            co_varnames=("_cls", *fields), co_name="__new__", co_qualname=f"{name}.__new__"
        )
        new = FunctionType(code, _n0.__globals__, "__new__", tuple(defaults.values()) or None)
        new.__doc__ = f"Create new instance of {name}({', '.join(fields)})"
        body = {k: v for k, v in ns.items() if k not in defaults}
        body.update(_SHARED)
        body.update(
            __new__=new,
            _fields=fields,
            _field_defaults=defaults,
            __match_args__=fields,
        )
        for i, f in enumerate(fields):
            body[f] = _tuplegetter(i, f"Alias for field number {i}")
        body.setdefault("__doc__", f"{name}({', '.join(fields)})")
        # The class is a plain tuple subclass, as a NamedTuple is: not a _RecordType, and
        # without Record among its bases.
        return type.__new__(type, name, (tuple,), body)


class _Record(metaclass=_RecordType):
    __slots__ = ()


if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:
    Record = _Record

"""`records.Record` makes what `typing.NamedTuple` makes, without compiling anything: the same
fields, defaults, construction, methods, errors, repr, pickling and equality."""

import copy
import pickle
import sys
import typing

import pytest

from neuripsquest import records
from neuripsquest.records import Record


def _pair(n_fields: int, n_defaults: int) -> tuple[type, type]:
    """A Record class and a NamedTuple class with the same fields and defaults."""
    names = [f"f{i}" for i in range(n_fields)]
    ann = {name: int for name in names}
    ns = {"__annotations__": ann, "__module__": __name__, "__qualname__": "C"}
    for k, name in enumerate(names[n_fields - n_defaults :]):
        ns[name] = 100 + k
    rec = records._RecordType("C", (Record,), dict(ns))
    tup = typing.NamedTupleMeta("C", (typing._NamedTuple,), dict(ns))  # type: ignore[attr-defined]
    return rec, tup


@pytest.mark.parametrize("n", range(records.MAX_FIELDS + 1))
def test_every_size_builds_and_behaves_as_a_namedtuple(n):
    for n_defaults in sorted({0, n // 2, n}):
        rec, tup = _pair(n, n_defaults)
        required = n - n_defaults
        args = list(range(required))
        r, t = rec(*args), tup(*args)
        assert r == t and tuple(r) == tuple(t)
        assert repr(r) == repr(t)
        assert rec._fields == tup._fields and rec.__match_args__ == tup.__match_args__
        assert rec._field_defaults == tup._field_defaults
        assert r._asdict() == t._asdict()
        for i, name in enumerate(rec._fields):
            assert getattr(r, name) == getattr(t, name) == r[i]
        kwargs = {f"f{i}": -i for i in range(n)}
        assert rec(**kwargs) == tup(**kwargs)
        if n:
            assert r._replace(f0=7) == t._replace(f0=7)
            assert type(r._replace(f0=7)) is rec
        assert rec._make(range(n)) == tup._make(range(n))
        with pytest.raises(TypeError):
            rec(*range(n + 1))
        if required:
            with pytest.raises(TypeError, match="missing"):
                rec(*args[:-1])


def test_a_class_with_methods_keeps_them_and_is_a_plain_tuple_subclass():
    class Point(Record):
        """A point."""

        x: int
        y: int = 0

        @property
        def norm(self) -> int:
            return abs(self.x) + abs(self.y)

        def moved(self, d: int) -> "Point":
            return self._replace(x=self.x + d)

    p = Point(3, -4)
    assert p.norm == 7 and p.moved(1) == Point(4, -4) and Point(2) == (2, 0)
    assert Point.__mro__ == (Point, tuple, object)
    assert Point.__doc__ == "A point." and Point.__qualname__.endswith("Point")
    assert Point.__annotations__ == {"x": "int", "y": "int"} or Point.__annotations__ == {
        "x": int,
        "y": int,
    }
    with pytest.raises(AttributeError):
        p.z = 1  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        p.x = 1  # type: ignore[misc]
    with pytest.raises(ValueError, match="unexpected field names"):
        p._replace(z=1)
    with pytest.raises(TypeError, match="unexpected keyword"):
        Point(1, z=2)  # type: ignore[call-arg]


class Kept(Record):  # module level, so pickle finds it by name
    name: str
    items: tuple[int, ...] = ()


def test_pickles_copies_and_hashes_like_a_tuple():
    k = Kept("a", (1, 2))
    for proto in range(pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(k, proto))
        assert back == k and type(back) is Kept
    assert copy.copy(k) == k and copy.deepcopy(k) == k and type(copy.deepcopy(k)) is Kept
    assert hash(k) == hash(("a", (1, 2))) and {k: 1}[("a", (1, 2))] == 1


def test_mistakes_in_a_class_are_told():
    with pytest.raises(TypeError, match="without a default follows"):

        class Bad(Record):
            a: int = 0
            b: int

    with pytest.raises(TypeError, match="only base"):

        class Mixed(Record, Exception):  # type: ignore[misc]
            c: int

    with pytest.raises(ValueError, match="underscore"):

        class Under(Record):
            _a: int

    names = {f"f{i}": int for i in range(records.MAX_FIELDS + 1)}
    with pytest.raises(TypeError, match="at most"):
        records._RecordType("Wide", (Record,), {"__annotations__": names})


def test_making_a_class_compiles_nothing(monkeypatch):
    """The point of Record: no source is compiled when a class is made (typing.NamedTuple
    compiles its annotations and a __new__)."""
    calls = []
    real, real_eval = compile, eval
    monkeypatch.setattr("builtins.compile", lambda *a, **k: calls.append(a) or real(*a, **k))
    monkeypatch.setattr("builtins.eval", lambda *a, **k: calls.append(a) or real_eval(*a, **k))
    _pair(5, 2)  # makes a NamedTuple too, which does compile: the patches see it
    assert calls
    calls.clear()
    records._RecordType("D", (Record,), {"__annotations__": {"a": "int", "b": "str"}, "b": ""})
    assert calls == []
    assert sys.modules["neuripsquest.records"] is records

"""The one-closure conditions of lang/compile.py give what the nested closures they replace
give: the same value of the same type, for every state, and register the same names."""

from __future__ import annotations

import itertools
import types
from contextlib import contextmanager
from types import SimpleNamespace
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuripsquest.lang import compile as compiling
from neuripsquest.lang.compile import compile_expr
from neuripsquest.lang.names import Symbols
from neuripsquest.lang.parse import parse_condition

FLAGS = ("met", "danced", "read")
ITEMS = ("pretzel", "map")
SLOTS = ("morning", "noon", "evening")


def sym() -> Symbols:
    return Symbols(
        stats={"energy": 0, "clout": 1},
        stat_ranges=[(0, 5), (0, 6)],
        flags={n: 1 << i for i, n in enumerate(FLAGS)},
        items={n: 1 << i for i, n in enumerate(ITEMS)},
        slots={n: i for i, n in enumerate(SLOTS)},
        scenes={"a", "b"},
        nslots=len(SLOTS),
        ndays=3,
    )


@contextmanager
def unfused():
    """Compiling as before the fused shapes: every node its own closure."""
    with (
        mock.patch.object(compiling, "_fused", lambda e, sym: None),
        mock.patch.object(compiling, "_against_constant", lambda *a: None),
    ):
        yield


def both(src: str) -> tuple[object, object, Symbols, Symbols]:
    s1, s2 = sym(), sym()
    fused = compile_expr(parse_condition(src, s1), s1)
    with unfused():
        plain = compile_expr(parse_condition(src, s2), s2)
    return fused, plain, s1, s2


def registered(s: Symbols) -> tuple[object, ...]:
    return (list(s.visits.items()), s.used_stats, s.used_flags, s.used_items)


def states():
    """Every flag and item set, a spread of stats, visits and times."""
    for flags, items, en, cl, va, clock in itertools.product(
        range(8), range(4), (0, 3, 5), (0, 6), (0, 1, 2), (1, 8)
    ):
        yield SimpleNamespace(
            stats=(en, cl), flags=flags, items=items, visits=(va, 2 - va), clock=clock, turn=va
        )


ALL_STATES = list(states())
SOME_STATES = ALL_STATES[::7]  # 7 is prime to every count above: still every flag and item


def agree(src: str, some: list[SimpleNamespace] = ALL_STATES) -> None:
    fused, plain, s1, s2 = both(src)
    assert registered(s1) == registered(s2), src
    for st_ in some:
        a, b = fused(st_), plain(st_)
        assert a == b and type(a) is type(b), (src, vars(st_), a, b)


def calls_no_closure(fn) -> bool:
    """No Python function among what the closure holds: it makes no call to another."""
    return not any(isinstance(c.cell_contents, types.FunctionType) for c in fn.__closure__ or ())


# Every shape, both ways round, with a comparison of each kind.
SHAPES = [
    "met and danced",
    "met and not danced and not read",
    "has map and not has pretzel",
    "met and has map",
    "energy >= 3 and not danced",
    "not has map and clout < 2",
    "met and has pretzel and energy != 3",
    "visits(a) > 0 and not met",
    "has map and visits(b) == 1",
    "not read and has map and visits(a) <= 1",
    "met or danced or read",
    "not met or has pretzel",
    "not has pretzel or not has map",
    "energy <= 2 or danced",
    "has map or clout > 5",
    "met or not has map or energy == 0",
    "visits(a) >= 2 or not met",
    "has pretzel or visits(b) != 2",
    "read or has pretzel or visits(a) < 1",
]
# Left as written: a comparison alone, two comparisons, a bit tested both ways, deeper parts.
NOT_FUSED = [
    "met and not met",
    "has map or not has map",
    "energy >= 3 and clout >= 2",
    "met and (danced or read)",
    "met and energy + 1 >= 3",
    "met and day == 2",
]
SINGLE = [
    "energy >= 3",
    "visits(a) > 0",
    "day == 2",
    "slot >= noon",
    "turn < 2",
    "not has map",
    "not met",
    "has pretzel",
]


@pytest.mark.parametrize("src", SHAPES + NOT_FUSED + SINGLE)
def test_the_fused_closures_agree_with_the_nested_ones(src):
    agree(src)


@pytest.mark.parametrize("src", SHAPES + SINGLE)
def test_the_simple_shapes_are_one_closure(src):
    fused, _, _, _ = both(src)
    assert calls_no_closure(fused), src


@pytest.mark.parametrize("src", NOT_FUSED)
def test_other_shapes_are_not_fused(src):
    s = sym()
    e = parse_condition(src, s)
    compile_expr(e, s)
    assert compiling._fused(e, s) is None


LEAVES = [
    "met",
    "not met",
    "danced",
    "not danced",
    "read",
    "has pretzel",
    "not has pretzel",
    "has map",
    "not has map",
    "true",
]
NUMBERS = ["energy", "clout", "visits(a)", "visits(b)", "day", "slot", "turn"]
OPS = ["==", "!=", "<", "<=", ">", ">="]


@st.composite
def condition(draw, depth=2):
    kind = draw(st.sampled_from("llcc" + ("aon" if depth else "")))
    if kind == "l":
        return draw(st.sampled_from(LEAVES))
    if kind == "c":
        left = draw(st.sampled_from(NUMBERS))
        rights = ["0", "1", "2", "3", "-1", "(2 * 2)"] + (["noon"] if left == "slot" else [])
        return f"{left} {draw(st.sampled_from(OPS))} {draw(st.sampled_from(rights))}"
    if kind == "n":
        return f"not ({draw(condition(depth - 1))})"
    parts = draw(st.lists(condition(depth - 1), min_size=2, max_size=4))
    return "(" + (" and " if kind == "a" else " or ").join(parts) + ")"


@settings(max_examples=100, deadline=None, derandomize=True)
@given(condition())
def test_random_conditions_agree_fused_or_not(src):
    agree(src, SOME_STATES)

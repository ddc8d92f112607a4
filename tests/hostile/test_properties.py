"""Property tests of the expression language and the YAML reader: whatever the text, the
answer is a compiled closure or located problems, never another exception."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from neuripsquest.format import yamlsrc  # noqa: E402
from neuripsquest.lang.expr import (  # noqa: E402
    MAX_NUMBER,
    ExprError,
    compile_condition,
    compile_effect,
)
from neuripsquest.store.loader import load_world  # noqa: E402
from tests.conftest import MINI  # noqa: E402

# Compiling `visits(x)` registers x: a world of this module's own keeps others' untouched.
WORLD = load_world(MINI, use_cache=False)
SYM = WORLD.symbols
FAST = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

TOKENS = [
    "energy",
    "number",
    "met",
    "pretzel",
    "has",
    "not",
    "and",
    "or",
    "true",
    "false",
    "day",
    "slot",
    "turn",
    "morning",
    "evening",
    "visits",
    "visits(a)",
    "(",
    ")",
    "+",
    "-",
    "*",
    "/",
    "**",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "=",
    "+=",
    "-=",
    "0",
    "1",
    "16",
    "1_000",
    "0x10",
    "0o7",
    "0b1",
    "1.5",
    "1e3",
    "9" * 20,
    "'s'",
    "[",
    "]",
    "{",
    "}",
    ",",
    ":",
    "@",
    "~",
    "if",
    "else",
    "lambda",
    "x",
    "set",
    "clear",
    "give",
    "take",
    "advance",
    "to",
    " ",
    "\t",
    "\n",
    "é",
    "\x00",
]


def state(draw_stats=(3, 0)):
    return SimpleNamespace(
        stats=list(draw_stats), flags=0, items=0, clock=0, turn=0, visits=[0] * 64
    )


def compiled_or_located(src: str, kind: str):
    """The closure, or None after checking the ExprError points inside `src`."""
    compile_fn = compile_condition if kind == "condition" else compile_effect
    try:
        return compile_fn(src, SYM)
    except ExprError as exc:
        assert 0 <= exc.offset <= max(len(src), 1), (src, exc.offset)
        assert exc.message and "\n" not in exc.message
        return None


def evaluate(fn, kind: str) -> None:
    if fn is None:
        return
    if kind == "condition":
        assert fn(state()) in (True, False)
    else:
        w = state()
        fn[0](w)
        for v, (lo, hi) in zip(w.stats, WORLD.stat_ranges, strict=True):
            assert lo <= v <= hi


@FAST
@given(st.text(max_size=120), st.sampled_from(["condition", "effect"]))
def test_any_text(src, kind):
    evaluate(compiled_or_located(src, kind), kind)


@FAST
@given(
    st.lists(st.sampled_from(TOKENS), max_size=30),
    st.sampled_from([" ", ""]),
    st.sampled_from(["condition", "effect"]),
)
def test_token_soup(tokens, sep, kind):
    evaluate(compiled_or_located(sep.join(tokens), kind), kind)


NESTINGS = [
    lambda n: "not " * n + "met",
    lambda n: "(" * n + "1" + ")" * n + " > 0",
    lambda n: "-" * n + "1 > 0",
    lambda n: "1" + " + 1" * n + " > 0",
    lambda n: "energy" + " * energy" * n + " >= 0",
    lambda n: "(met and " * n + "met" + ")" * n,
    lambda n: "visits(" * n + "a" + ")" * n + " > 0",
    lambda n: "[" * n + "]" * n,
]


@settings(FAST, max_examples=120)
@given(st.integers(0, 3000), st.sampled_from(range(len(NESTINGS))), st.booleans())
def test_deep_nestings(n, which, as_effect):
    src = NESTINGS[which](n)
    t0 = time.perf_counter()
    if as_effect:
        fn = compiled_or_located("energy += " + src.rsplit(" ", 2)[0], "effect")
        evaluate(fn, "effect")
    else:
        evaluate(compiled_or_located(src, "condition"), "condition")
    assert time.perf_counter() - t0 < 1.0


# ------------------------------------------------------------ valid expressions

NUMBER_LEAVES = st.one_of(
    st.integers(0, MAX_NUMBER).map(str),
    st.integers(0, 10**6).map(lambda n: f"{n:_}"),
    st.sampled_from(["energy", "number", "day", "slot", "turn", "visits(a)", "morning"]),
)


def number_expr():
    return st.recursive(
        NUMBER_LEAVES,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            inner.map(lambda a: f"-{a}"),
        ),
        max_leaves=10,
    )


def condition_expr():
    comparison = st.tuples(
        number_expr(), st.sampled_from(["==", "!=", "<", "<=", ">", ">="]), number_expr()
    ).map(" ".join)
    leaves = st.one_of(st.sampled_from(["true", "false", "met", "has pretzel"]), comparison)
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(
                lambda t: f"({t[0]} {t[1]} {t[2]})"
            ),
            inner.map(lambda a: f"not {a}"),
        ),
        max_leaves=6,
    )


STATS = st.tuples(st.integers(0, 5), st.integers(0, 10**12))


@FAST
@given(condition_expr(), STATS, st.integers(0, 3), st.integers(0, 2**2))
def test_valid_conditions_compile_and_evaluate(src, stats, clock, bits):
    fn = compile_condition(src, SYM)
    s = state(stats)
    s.clock, s.flags, s.items, s.turn = clock, bits, bits, clock
    t0 = time.perf_counter()
    assert fn(s) in (True, False)
    assert time.perf_counter() - t0 < 0.05


@FAST
@given(st.sampled_from(["energy", "number"]), st.sampled_from(["+=", "-=", "="]), number_expr())
def test_valid_effects_compile_and_keep_stats_in_range(stat, op, rhs):
    try:
        fn = compile_effect(f"{stat} {op} {rhs}", SYM)
    except ExprError as exc:  # only a constant outside the stat's range is refused
        assert op == "=" and "is outside" in exc.message
        return
    evaluate(fn, "effect")


# ------------------------------------------------------------ YAML

YAML_CHARS = st.sampled_from(
    list("[]{}&*!|>-:?,#'\"\n \t\x00\x1b\x85\ufeffabc01%@`~") + ["&a ", "*a", "- ", ": "]
)


@FAST
@given(st.lists(YAML_CHARS, max_size=80).map("".join))
def test_any_yaml_reads_to_data_or_located_problems(text):
    for loader in (None, yamlsrc.PURE_LOADER):
        doc = yamlsrc.read("x.yaml", text, loader)
        for p in doc.problems:
            assert p.line >= 1 and p.column >= 1 and "\n" not in p.message, p

"""The language package: the trees the parser makes, and that the analyses the tools rely on
agree with what the compiled closures do."""

from __future__ import annotations

import copy
import itertools
import pickle
from types import SimpleNamespace

import pytest

from neuripsquest.lang import analyse, ir
from neuripsquest.lang.analyse import CLOCK, TURN, Bounds, F, Num, T
from neuripsquest.lang.compile import compile_effect_ir, compile_expr
from neuripsquest.lang.expr import ExprError, Symbols, compile_effect, condition
from neuripsquest.lang.parse import parse_condition, parse_effect

STATS = {"energy": (0, 5), "clout": (0, 6)}  # small, so that bounds often meet
FLAGS = ("met", "danced")
ITEMS = ("pretzel", "map")
SLOTS = ("morning", "noon", "evening")
NDAYS = 3
LAST = len(SLOTS) * NDAYS - 1


def sym() -> Symbols:
    return Symbols(
        stats={n: i for i, n in enumerate(STATS)},
        stat_ranges=list(STATS.values()),
        flags={n: 1 << i for i, n in enumerate(FLAGS)},
        items={n: 1 << i for i, n in enumerate(ITEMS)},
        slots={n: i for i, n in enumerate(SLOTS)},
        scenes={"a", "b", "é"},
        nslots=len(SLOTS),
        ndays=NDAYS,
    )


def state(stats=(3, 0), flags=0, items=0, clock=0, turn=0, visits=(0, 0, 0)):
    return SimpleNamespace(
        stats=list(stats), flags=flags, items=items, clock=clock, turn=turn, visits=list(visits)
    )


# ---------------------------------------------------------------- parse -> IR


def _cmp(a, op, b):
    return ir.Compare((a, b), (op,))


@pytest.mark.parametrize(
    "src, tree",
    [
        (
            "energy >= 3 and not met",
            ir.And((_cmp(ir.Stat("energy"), ">=", ir.Const(3)), ir.Not(ir.Flag("met")))),
        ),
        ("has  pretzel", ir.Has("pretzel")),
        ("met or danced or true", ir.Or((ir.Flag("met"), ir.Flag("danced"), ir.Const(True)))),
        ("visits(a) > 0", _cmp(ir.Visits("a"), ">", ir.Const(0))),
        (
            "day == 2 and slot >= evening",
            ir.And(
                (
                    _cmp(ir.Clock("day"), "==", ir.Const(2)),
                    _cmp(ir.Clock("slot"), ">=", ir.SlotName("evening", 2)),
                )
            ),
        ),
        (
            "-1 < energy - 4 * clout",
            _cmp(
                ir.Neg(ir.Const(1)),
                "<",
                ir.Arith("-", ir.Stat("energy"), ir.Arith("*", ir.Const(4), ir.Stat("clout"))),
            ),
        ),
        (
            "2 <= +energy <= 5",
            ir.Compare((ir.Const(2), ir.Stat("energy"), ir.Const(5)), ("<=", "<=")),
        ),
        (
            "met == (turn > 1_000)",
            _cmp(ir.Flag("met"), "==", _cmp(ir.Clock("turn"), ">", ir.Const(1000))),
        ),
    ],
)
def test_conditions_parse_to_trees(src, tree):
    assert parse_condition(src, sym()) == tree


@pytest.mark.parametrize(
    "src, tree",
    [
        ("set met", ir.SetFlag("met")),
        ("clear danced", ir.ClearFlag("danced")),
        ("give map", ir.Give("map")),
        ("take pretzel", ir.Take("pretzel")),
        ("energy -= 1", ir.StatAssign("energy", "-=", ir.Const(1))),
        (
            "clout = energy + 2",
            ir.StatAssign("clout", "=", ir.Arith("+", ir.Stat("energy"), ir.Const(2))),
        ),
        ("advance 1_0", ir.AdvanceBy(10)),
        ("advance to evening", ir.AdvanceTo("evening", 2)),
    ],
)
def test_effects_parse_to_trees(src, tree):
    assert parse_effect(src, sym()) == tree


def test_every_node_knows_where_it_is_written():
    src = "  energy >= 3 and has  pretzel"
    e = parse_condition(src, sym())
    assert isinstance(e, ir.And)
    spans = [src[p.at : p.end] for p in (e, *e.parts, *e.parts[0].operands)]
    assert spans == ["energy >= 3 and has  pretzel", "energy >= 3", "has  pretzel", "energy", "3"]
    eff = parse_effect(" clout += energy * 2 ", sym())
    assert isinstance(eff, ir.StatAssign)
    assert (eff.at, eff.end) == (1, 20)
    assert (eff.rhs.at, eff.rhs.end) == (10, 20)  # counted from the start of the effect


@pytest.mark.parametrize(
    "src, bad",
    [
        ("visits(é) > 0 and bogus", "bogus"),  # characters, not UTF-8 bytes
        ("(energy >= 3 and\n met and\n   bogus)", "bogus"),  # a later line of a block
        ("(energy >= 3 and\r\n   bogus)", "bogus"),
    ],
)
def test_problems_are_placed_by_character(src, bad):
    with pytest.raises(ExprError) as exc:
        parse_condition(src, sym())
    assert exc.value.offset == src.index(bad)


@pytest.mark.parametrize(
    "src, message, offset",
    [
        # problems of shape come first, wherever they are, as when they were checked first
        ("bogus == " + "-" * 40 + "1", "too deeply nested", 40),
        ("bogus > 0x10", "write numbers in decimal (0x10 is 16)", 8),
        ("(" + "-" * 40 + "1).real > 0", "too deeply nested", 31),
        ("[" + "-" * 900 + "1][0] > 0", "too deeply nested", 30),  # not a RecursionError
        ("(0x10).real > 0", "write numbers in decimal", 1),
        ("energy.real > 0", "'energy.real' is not allowed in a condition", 0),
    ],
)
def test_shape_problems_take_precedence(src, message, offset):
    with pytest.raises(ExprError) as exc:
        parse_condition(src, sym())
    assert message in exc.value.message
    assert exc.value.offset == offset


def test_nodes_are_values():
    e = parse_condition("energy >= 3 and met", sym())
    moved = parse_condition("   energy>=3   and met", sym())
    assert e == moved and hash(e) == hash(moved)  # positions take no part
    assert e != parse_condition("energy >= 3 and danced", sym())
    assert ir.Stat("met") != ir.Flag("met")
    with pytest.raises(AttributeError):
        e.at = 0
    for twin in (copy.copy(e), copy.deepcopy(e), pickle.loads(pickle.dumps(e))):
        assert twin == e and (twin.at, twin.end) == (e.at, e.end)
        assert twin.parts[1].at == e.parts[1].at


def test_a_world_reads_each_text_once():
    s = sym()
    first = condition("energy >= 3", s)
    assert condition("energy >= 3", s) is first
    compile_effect("set met", s)
    assert s.effects == {"set met": ir.SetFlag("met")}


# ---------------------------------------------------------------- effects and the clock


@pytest.mark.parametrize(
    "src, var, reads, replaces",
    [
        ("set met", ("flag", "met"), set(), True),
        ("clear met", ("flag", "met"), set(), True),
        ("give map", ("item", "map"), set(), True),
        ("take map", ("item", "map"), set(), True),
        ("energy = 3", ("stat", "energy"), set(), True),
        ("energy = clout + day", ("stat", "energy"), {("stat", "clout"), CLOCK}, True),
        ("energy += turn", ("stat", "energy"), {("stat", "energy"), TURN}, False),
        ("energy -= 1", ("stat", "energy"), {("stat", "energy")}, False),
        ("advance 2", CLOCK, {CLOCK}, False),
        ("advance to noon", CLOCK, {CLOCK}, False),
    ],
)
def test_what_an_effect_reads_and_writes(src, var, reads, replaces):
    e = parse_effect(src, sym())
    assert analyse.written(e) == var
    assert analyse.effect_reads(e) == reads
    assert analyse.replaces(e) is replaces
    assert compile_effect(src, sym())[1].kind == var[0]


ADVANCES = [
    "advance 0",
    "advance 1",
    "advance 4",
    "advance 99",
    *(f"advance to {s}" for s in SLOTS),
]


@pytest.mark.parametrize("n", [1, 2, 3])
def test_clock_analysis_is_what_the_effects_do(n):
    """For every clock of a small world and every run of `n` advances (with other effects
    between them), the analysis says where the clock ends up exactly as running does."""
    s = sym()
    for run in itertools.product([*ADVANCES, "energy += 1"], repeat=n):
        nodes = [parse_effect(src, s) for src in run]
        fns = [compile_effect_ir(e, s) for e in nodes]
        for clock in range(LAST + 1):
            w = state(clock=clock)
            for fn in fns:
                fn(w)
            assert analyse.clock_after(nodes, clock, len(SLOTS), LAST) == w.clock, (run, clock)


def test_the_clock_rule():
    s = sym()
    to_noon = parse_effect("advance to noon", s)
    assert isinstance(to_noon, ir.AdvanceTo)
    assert ir.clock_after(0, to_noon, 3, LAST) == 1  # morning -> noon
    assert ir.clock_after(1, to_noon, 3, LAST) == 4  # noon -> the next day's noon
    assert ir.clock_after(7, to_noon, 3, LAST) == LAST  # never past the last slot


# ---------------------------------------------------------------- what a condition can be


def bounds(energy=(0, 5), clout=(0, 6), flags=FLAGS, items=ITEMS, clocks=(0, LAST)):
    ns = len(SLOTS)
    cs = range(clocks[0], clocks[1] + 1)
    return Bounds(
        {
            "energy": Num(*energy, f"energy is {energy}"),
            "clout": Num(*clout, f"clout is {clout}"),
        },
        set(flags),
        set(items),
        Num(cs[0] // ns + 1, cs[-1] // ns + 1),
        Num(min(c % ns for c in cs), max(c % ns for c in cs)),
    )


@pytest.mark.parametrize(
    "src, b, want",
    [
        (
            "energy >= 5",
            bounds(energy=(3, 3)),
            (F, "`energy >= 5` is always false: energy is (3, 3)"),
        ),
        ("has  pretzel and met", bounds(items=()), (F, "item 'pretzel' is never given")),
        (
            "not (energy >= 0) or danced",
            bounds(flags=()),
            (F, "`energy >= 0` always holds: energy is (0, 5); flag 'danced' is never set"),
        ),
        ("not met", bounds(flags=()), (T, "`met` never holds (flag 'met' is never set)")),
        (
            "day == 1 and slot < evening",
            bounds(clocks=(0, 1)),
            (T, "`day == 1` always holds; `slot < evening` always holds"),
        ),
        ("energy > clout", bounds(), (3, "")),
    ],
)
def test_verdicts_quote_the_source(src, b, want):
    assert analyse.verdict(parse_condition(src, sym()), src, b) == want


TEMPLATES = [
    "energy {op} {c}",
    "{c} {op} energy",
    "-energy {op} -{c}",
    "energy {op} clout",
    "energy - clout {op} {c}",
    "(energy - 3) * (clout - 2) {op} {c}",
    "{c} <= energy {op} clout",
]
CMP = ["==", "!=", "<", "<=", ">", ">="]
SMALL = [(a, b) for a in range(5) for b in range(a, 5)]


def test_comparisons_are_judged_soundly_at_every_edge():
    """Exhaustively over small bounds: a comparison said to always hold (or never) does so in
    every state within the bounds, and one that can go either way does go both ways."""
    symbols = sym()
    for template, op, c in itertools.product(TEMPLATES, CMP, range(5)):
        src = template.format(op=op, c=c)
        e = parse_condition(src, symbols)
        fn = compile_expr(e, symbols)
        clouts = [(0, 0), (1, 3), (2, 2), (0, 4)] if "clout" in src else [(0, 0)]
        for en, cl in itertools.product(SMALL, clouts):
            seen = {
                fn(state((x, y))) for x in range(en[0], en[1] + 1) for y in range(cl[0], cl[1] + 1)
            }
            got = analyse.verdict(e, src, bounds(en, cl))[0]
            assert got & T or True not in seen, (src, en, cl)
            assert got & F or False not in seen, (src, en, cl)
            if "*" not in src and "clout" not in src:  # one variable: the reading is exact
                assert got == (T if True in seen else 0) | (F if False in seen else 0)


# ---------------------------------------------------------------- properties

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

NUM_LEAVES = [
    ("energy", {("stat", "energy")}),
    ("clout", {("stat", "clout")}),
    ("day", {CLOCK}),
    ("slot", {CLOCK}),
    ("turn", {TURN}),
    ("visits(a)", {("visits", "a")}),
    ("visits(b)", {("visits", "b")}),
    ("noon", set()),
]
BOOL_LEAVES = [
    ("met", {("flag", "met")}),
    ("danced", {("flag", "danced")}),
    ("has pretzel", {("item", "pretzel")}),
    ("has map", {("item", "map")}),
    ("true", set()),
    ("false", set()),
]


@st.composite
def number(draw, depth=2):
    # mostly leaves, so that comparisons are often decided by the bounds alone
    kind = draw(st.sampled_from("ccnnn-*" if depth else "cn"))
    if kind == "c":
        return str(draw(st.integers(0, 6))), set()
    if kind == "n":
        return draw(st.sampled_from(NUM_LEAVES))
    if kind == "-":
        text, names = draw(number(depth - 1))
        return f"(-{text})", names
    (a, na), (b, nb) = draw(number(depth - 1)), draw(number(depth - 1))
    return f"({a} {draw(st.sampled_from(['+', '-', '*']))} {b})", na | nb


@st.composite
def condition_text(draw, depth=2):
    kind = draw(st.sampled_from([0, 1, 1, 1, 2, 3, 4, 5] if depth else [0, 1, 1]))
    if kind == 0:
        return draw(st.sampled_from(BOOL_LEAVES))
    if kind == 1:
        parts = draw(st.lists(number(), min_size=2, max_size=3))
        ops = draw(st.lists(st.sampled_from(CMP), min_size=len(parts) - 1, max_size=len(parts) - 1))
        text = parts[0][0] + "".join(
            f" {op} {p}" for op, (p, _) in zip(ops, parts[1:], strict=True)
        )
        return f"({text})", set().union(*(n for _, n in parts))
    if kind == 2:
        text, names = draw(condition_text(depth - 1))
        return f"(not {text})", names
    if kind == 3:
        (a, na), (b, nb) = draw(condition_text(depth - 1)), draw(condition_text(depth - 1))
        return f"({a} {draw(st.sampled_from(['==', '!=']))} {b})", na | nb
    parts = draw(st.lists(condition_text(depth - 1), min_size=2, max_size=3))
    word = " and " if kind == 4 else " or "
    return "(" + word.join(t for t, _ in parts) + ")", set().union(*(n for _, n in parts))


@st.composite
def world_and_state(draw):
    """Bounds on every name, and a state that keeps within them."""
    ranges = {}
    values = []
    for name, (lo, hi) in STATS.items():
        a = draw(st.integers(lo, hi))
        b = draw(st.sampled_from([a, hi, draw(st.integers(a, hi))]))
        ranges[name] = (a, b)
        values.append(draw(st.integers(a, b)))
    flags_set = draw(st.sets(st.sampled_from(FLAGS)))
    items_given = draw(st.sets(st.sampled_from(ITEMS)))
    c0 = draw(st.integers(0, LAST))
    c1 = draw(st.integers(c0, LAST))
    b = bounds(ranges["energy"], ranges["clout"], flags_set, items_given, (c0, c1))
    flags = sum(1 << i for i, n in enumerate(FLAGS) if n in flags_set and draw(st.booleans()))
    items = sum(1 << i for i, n in enumerate(ITEMS) if n in items_given and draw(st.booleans()))
    s = state(
        values,
        flags,
        items,
        draw(st.integers(c0, c1)),
        draw(st.integers(0, 40)),
        draw(st.lists(st.integers(0, 5), min_size=3, max_size=3)),
    )
    return b, s


PROPS = settings(max_examples=500, deadline=None, derandomize=True)


@PROPS
@given(condition_text(), world_and_state())
def test_the_range_analysis_never_contradicts_running(cond, ws):
    src, _ = cond
    b, s = ws
    symbols = sym()
    e = parse_condition(src, symbols)
    value = compile_expr(e, symbols)(s)
    verdict, why = analyse.verdict(e, src, b)
    assert verdict & (T if value else F), (src, verdict, why, value)


@PROPS
@given(condition_text())
def test_reads_are_exactly_the_names_mentioned(cond):
    src, names = cond
    e = parse_condition(src, sym())
    assert analyse.reads(e) == names
    c = analyse.comparisons(e)
    assert set(c.compared) | c.complex <= names

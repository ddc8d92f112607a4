"""IR to closures over the game state: what the engine runs.

A checked tree becomes small nested closures, which is what makes the engine fast; the
commonest shapes get one closure with no inner call to another (a stat, a visit count or the
clock compared with a constant, `flag`, `not flag`, `has`, `not has`, an `and`/`or` of those
tests of flags and items with at most one such comparison, a constant change of a stat): a
call of a Python function costs more than the test it makes. Compiling also records in the
world's Symbols which names the story uses and which scenes' visits must be counted.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from neuripsquest.lang import ir
from neuripsquest.lang.names import Symbols

Getter = Callable[[Any], Any]
Effect = Callable[[Any], None]

_CMP: dict[str, Callable[[Getter, Getter], Getter]] = {
    "==": lambda a, b: lambda s: a(s) == b(s),
    "!=": lambda a, b: lambda s: a(s) != b(s),
    "<": lambda a, b: lambda s: a(s) < b(s),
    "<=": lambda a, b: lambda s: a(s) <= b(s),
    ">": lambda a, b: lambda s: a(s) > b(s),
    ">=": lambda a, b: lambda s: a(s) >= b(s),
}
_CMP_STAT_CONST: dict[str, Callable[[int, int], Getter]] = {
    "==": lambda i, c: lambda s: s.stats[i] == c,
    "!=": lambda i, c: lambda s: s.stats[i] != c,
    "<": lambda i, c: lambda s: s.stats[i] < c,
    "<=": lambda i, c: lambda s: s.stats[i] <= c,
    ">": lambda i, c: lambda s: s.stats[i] > c,
    ">=": lambda i, c: lambda s: s.stats[i] >= c,
}
# The same comparisons as functions written in C, for the one-closure shapes below: calling
# one costs a little more than an operator, much less than calling a closure.
_OP: dict[str, Callable[[int, int], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
_ARITH: dict[str, Callable[[Getter, Getter], Getter]] = {
    "+": lambda a, b: lambda s: a(s) + b(s),
    "-": lambda a, b: lambda s: a(s) - b(s),
    "*": lambda a, b: lambda s: a(s) * b(s),
}


def compile_expr(e: ir.Expr, sym: Symbols) -> Getter:
    """A closure state -> the value of `e` (bool or int)."""
    return _EXPR[type(e)](e, sym)


def _const(e: ir.Const | ir.SlotName, sym: Symbols) -> Getter:
    v = e.value
    return lambda s: v


def _stat(e: ir.Stat, sym: Symbols) -> Getter:
    sym.used_stats.add(e.name)
    i = sym.stats[e.name]
    return lambda s: s.stats[i]


def _flag(e: ir.Flag, sym: Symbols) -> Getter:
    sym.used_flags.add(e.name)
    bit = sym.flags[e.name]
    return lambda s: s.flags & bit != 0


def _has(e: ir.Has, sym: Symbols) -> Getter:
    sym.used_items.add(e.item)
    bit = sym.items[e.item]
    return lambda s: s.items & bit != 0


def _visits(e: ir.Visits, sym: Symbols) -> Getter:
    idx = sym.visits.setdefault(e.scene, len(sym.visits))
    return lambda s: s.visits[idx]


def _clock(e: ir.Clock, sym: Symbols) -> Getter:
    ns = sym.nslots
    if e.word == "day":
        return lambda s: s.clock // ns + 1
    if e.word == "slot":
        return lambda s: s.clock % ns
    return lambda s: s.turn


def _neg(e: ir.Neg, sym: Symbols) -> Getter:
    a = compile_expr(e.operand, sym)
    return lambda s: -a(s)


def _arith(e: ir.Arith, sym: Symbols) -> Getter:
    return _ARITH[e.op](compile_expr(e.left, sym), compile_expr(e.right, sym))


def _compare(e: ir.Compare, sym: Symbols) -> Getter:
    if len(e.ops) == 1:
        left, right = e.operands
        c = ir.fold(right, slots=True)
        if c is not None:
            one = _against_constant(left, e.ops[0], c, sym)
            if one is not None:
                return one
        return _CMP[e.ops[0]](compile_expr(left, sym), compile_expr(right, sym))
    fns = [compile_expr(o, sym) for o in e.operands]
    links = [_CMP[op](fns[i], fns[i + 1]) for i, op in enumerate(e.ops)]
    return lambda s: all(link(s) for link in links)


def _against_constant(left: ir.Expr, op: str, c: int, sym: Symbols) -> Getter | None:
    """`left OP c` as one closure when `left` is a stat, a visit count or a word of the
    clock (registered as compiling `left` would); None for anything else."""
    if isinstance(left, ir.Stat):
        sym.used_stats.add(left.name)
        return _CMP_STAT_CONST[op](sym.stats[left.name], c)
    test = _OP[op]
    if isinstance(left, ir.Visits):
        idx = sym.visits.setdefault(left.scene, len(sym.visits))
        return lambda s: test(s.visits[idx], c)
    if isinstance(left, ir.Clock):
        ns = sym.nslots
        if left.word == "day":
            return lambda s: test(s.clock // ns + 1, c)
        if left.word == "slot":
            return lambda s: test(s.clock % ns, c)
        return lambda s: test(s.turn, c)
    return None


def _not(e: ir.Not, sym: Symbols) -> Getter:
    if isinstance(e.operand, ir.Flag):
        sym.used_flags.add(e.operand.name)
        bit = sym.flags[e.operand.name]
        return lambda s: not s.flags & bit
    if isinstance(e.operand, ir.Has):
        sym.used_items.add(e.operand.item)
        bit = sym.items[e.operand.item]
        return lambda s: not s.items & bit
    a = compile_expr(e.operand, sym)
    return lambda s: not a(s)


def _and(e: ir.And, sym: Symbols) -> Getter:
    parts = [compile_expr(p, sym) for p in e.parts]  # registers the names, fused or not
    fused = _fused(e, sym)
    if fused is not None:
        return fused
    if len(parts) == 2:
        a, b = parts
        return lambda s: a(s) and b(s)
    return lambda s: all(p(s) for p in parts)


def _or(e: ir.Or, sym: Symbols) -> Getter:
    parts = [compile_expr(p, sym) for p in e.parts]
    fused = _fused(e, sym)
    if fused is not None:
        return fused
    if len(parts) == 2:
        a, b = parts
        return lambda s: a(s) or b(s)
    return lambda s: any(p(s) for p in parts)


# ---------------------------------------------------------------- fused and/or

# An `and` or `or` whose parts are all simple tests (`flag`, `not flag`, `has`, `not has`, and
# at most one stat or visit count compared with a constant) as one closure: the tests of
# flags become one mask, those of items another, the comparison a call of a C function. An
# `and` holds when every masked bit is as its test wants; an `or` when some masked bit differs
# from what would make every test fail, or the comparison holds. None of these tests can
# fail or has an effect, so testing the bits first gives what the parts in order give; each
# value is a bool, as the parts' are. Shapes: F flags, I items, S a stat, V a visit count.
_Shape = Callable[[int, int, int, int, Callable[[int, int], bool], int, int], Getter]
_ALL: dict[str, _Shape] = {
    "F": lambda fm, fw, im, iw, op, i, c: lambda s: s.flags & fm == fw,
    "I": lambda fm, fw, im, iw, op, i, c: lambda s: s.items & im == iw,
    "FI": lambda fm, fw, im, iw, op, i, c: lambda s: s.flags & fm == fw and s.items & im == iw,
    "FS": lambda fm, fw, im, iw, op, i, c: lambda s: s.flags & fm == fw and op(s.stats[i], c),
    "IS": lambda fm, fw, im, iw, op, i, c: lambda s: s.items & im == iw and op(s.stats[i], c),
    "FIS": lambda fm, fw, im, iw, op, i, c: (
        lambda s: s.flags & fm == fw and s.items & im == iw and op(s.stats[i], c)
    ),
    "FV": lambda fm, fw, im, iw, op, i, c: lambda s: s.flags & fm == fw and op(s.visits[i], c),
    "IV": lambda fm, fw, im, iw, op, i, c: lambda s: s.items & im == iw and op(s.visits[i], c),
    "FIV": lambda fm, fw, im, iw, op, i, c: (
        lambda s: s.flags & fm == fw and s.items & im == iw and op(s.visits[i], c)
    ),
}
_ANY: dict[str, _Shape] = {
    "F": lambda fm, fw, im, iw, op, i, c: lambda s: s.flags & fm != fw,
    "I": lambda fm, fw, im, iw, op, i, c: lambda s: s.items & im != iw,
    "FI": lambda fm, fw, im, iw, op, i, c: lambda s: s.flags & fm != fw or s.items & im != iw,
    "FS": lambda fm, fw, im, iw, op, i, c: lambda s: s.flags & fm != fw or op(s.stats[i], c),
    "IS": lambda fm, fw, im, iw, op, i, c: lambda s: s.items & im != iw or op(s.stats[i], c),
    "FIS": lambda fm, fw, im, iw, op, i, c: (
        lambda s: s.flags & fm != fw or s.items & im != iw or op(s.stats[i], c)
    ),
    "FV": lambda fm, fw, im, iw, op, i, c: lambda s: s.flags & fm != fw or op(s.visits[i], c),
    "IV": lambda fm, fw, im, iw, op, i, c: lambda s: s.items & im != iw or op(s.visits[i], c),
    "FIV": lambda fm, fw, im, iw, op, i, c: (
        lambda s: s.flags & fm != fw or s.items & im != iw or op(s.visits[i], c)
    ),
}


def _fused(e: ir.And | ir.Or, sym: Symbols) -> Getter | None:
    """`e` as one closure when its parts are all simple tests (see above), else None. Its
    names must be registered already (compiling the parts does it)."""
    every = isinstance(e, ir.And)
    masks = {"flags": [0, 0], "items": [0, 0]}  # bits tested, and the bits' values to match
    compared: tuple[str, int, str, int] | None = None
    for p in e.parts:
        tested = _bit_test(p, sym)
        if tested is not None:
            field, bit, holds = tested
            # an `or` matches against the bits that make every test fail
            value = holds if every else holds ^ bit
            mask = masks[field]
            if mask[0] & bit and mask[1] & bit != value:
                return None  # `met and not met`, `met or not met`: left as written
            mask[0] |= bit
            mask[1] |= value
            continue
        if compared is None:
            compared = _indexed_test(p, sym)
            if compared is not None:
                continue
        return None
    (fm, fw), (im, iw) = masks["flags"], masks["items"]
    if not fm | im:
        return None  # one comparison alone: compiled as it is
    shape = ("F" if fm else "") + ("I" if im else "")
    if compared is None:
        op, i, c = _OP["=="], 0, 0  # not read by the shape
    else:
        shape += "S" if compared[0] == "stats" else "V"
        op, i, c = _OP[compared[2]], compared[1], compared[3]
    return (_ALL if every else _ANY)[shape](fm, fw, im, iw, op, i, c)


def _bit_test(e: ir.Expr, sym: Symbols) -> tuple[str, int, int] | None:
    """`flag`, `not flag`, `has item`, `not has item` as (the field, its bit, the bit's value
    when the test holds); None for anything else."""
    negated = isinstance(e, ir.Not)
    inner = e.operand if isinstance(e, ir.Not) else e
    if isinstance(inner, ir.Flag):
        field, bit = "flags", sym.flags[inner.name]
    elif isinstance(inner, ir.Has):
        field, bit = "items", sym.items[inner.item]
    else:
        return None
    return field, bit, 0 if negated else bit


def _indexed_test(e: ir.Expr, sym: Symbols) -> tuple[str, int, str, int] | None:
    """`stat OP constant` or `visits(scene) OP constant` as (the field, the index in it, OP,
    the constant); None for anything else."""
    if not isinstance(e, ir.Compare) or len(e.ops) != 1:
        return None
    left, right = e.operands
    c = ir.fold(right, slots=True)
    if c is None:
        return None
    if isinstance(left, ir.Stat):
        return "stats", sym.stats[left.name], e.ops[0], c
    if isinstance(left, ir.Visits):
        return "visits", sym.visits[left.scene], e.ops[0], c
    return None


_EXPR: dict[type, Callable[[Any, Symbols], Getter]] = {
    ir.Const: _const,
    ir.SlotName: _const,
    ir.Stat: _stat,
    ir.Flag: _flag,
    ir.Has: _has,
    ir.Visits: _visits,
    ir.Clock: _clock,
    ir.Neg: _neg,
    ir.Arith: _arith,
    ir.Compare: _compare,
    ir.Not: _not,
    ir.And: _and,
    ir.Or: _or,
}


# ---------------------------------------------------------------- effects


def compile_effect_ir(e: ir.Effect, sym: Symbols) -> Effect:
    """A closure that applies `e` to a mutable scratch state."""
    if isinstance(e, ir.StatAssign):
        return _stat_effect(e, sym)
    if isinstance(e, ir.SetFlag):
        return _set_flag(sym.flags[e.flag])
    if isinstance(e, ir.ClearFlag):
        return _clear_flag(sym.flags[e.flag])
    if isinstance(e, ir.Give):
        return _give(sym.items[e.item])
    if isinstance(e, ir.Take):
        return _take(sym.items[e.item])
    return _advance(e, sym.nslots, sym.last_clock)


def _stat_effect(e: ir.StatAssign, sym: Symbols) -> Effect:
    i = sym.stats[e.stat]
    lo, hi = sym.stat_ranges[i]
    const = ir.fold(e.rhs, slots=True)
    # `energy -= 1` is the commonest effect: with a constant there is no inner call.
    if const is not None:
        if e.op == "=":
            v = lo if const < lo else hi if const > hi else const

            def eff(w: Any) -> None:
                w.stats[i] = v

            return eff
        delta = const if e.op == "+=" else -const

        def eff(w: Any) -> None:
            v = w.stats[i] + delta
            w.stats[i] = lo if v < lo else hi if v > hi else v

        return eff
    value = compile_expr(e.rhs, sym)
    if e.op == "+=":

        def eff(w: Any) -> None:
            v = w.stats[i] + value(w)
            w.stats[i] = lo if v < lo else hi if v > hi else v

    elif e.op == "-=":

        def eff(w: Any) -> None:
            v = w.stats[i] - value(w)
            w.stats[i] = lo if v < lo else hi if v > hi else v

    else:

        def eff(w: Any) -> None:
            v = value(w)
            w.stats[i] = lo if v < lo else hi if v > hi else v

    return eff


def _set_flag(bit: int) -> Effect:
    def eff(w: Any) -> None:
        w.flags |= bit

    return eff


def _clear_flag(bit: int) -> Effect:
    def eff(w: Any) -> None:
        w.flags &= ~bit

    return eff


def _give(bit: int) -> Effect:
    def eff(w: Any) -> None:
        w.items |= bit

    return eff


def _take(bit: int) -> Effect:
    def eff(w: Any) -> None:
        w.items &= ~bit

    return eff


def _advance(e: ir.AdvanceBy | ir.AdvanceTo, nslots: int, last: int) -> Effect:
    after = ir.clock_after

    def eff(w: Any) -> None:
        w.clock = after(w.clock, e, nslots, last)

    return eff

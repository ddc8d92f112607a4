"""IR to closures over the game state: what the engine runs.

A checked tree becomes small nested closures, which is what makes the engine fast; the
commonest shapes get one closure with no inner calls (a stat compared with a constant, two-way
`and`/`or`, `not flag`, a constant change of a stat). Compiling also records in the world's
Symbols which names the story uses and which scenes' visits must be counted.
"""

from __future__ import annotations

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
        if isinstance(left, ir.Stat):
            c = ir.fold(right, slots=True)
            if c is not None:
                sym.used_stats.add(left.name)
                return _CMP_STAT_CONST[e.ops[0]](sym.stats[left.name], c)
        return _CMP[e.ops[0]](compile_expr(left, sym), compile_expr(right, sym))
    fns = [compile_expr(o, sym) for o in e.operands]
    links = [_CMP[op](fns[i], fns[i + 1]) for i, op in enumerate(e.ops)]
    return lambda s: all(link(s) for link in links)


def _not(e: ir.Not, sym: Symbols) -> Getter:
    if isinstance(e.operand, ir.Flag):
        sym.used_flags.add(e.operand.name)
        bit = sym.flags[e.operand.name]
        return lambda s: not s.flags & bit
    a = compile_expr(e.operand, sym)
    return lambda s: not a(s)


def _and(e: ir.And, sym: Symbols) -> Getter:
    parts = [compile_expr(p, sym) for p in e.parts]
    if len(parts) == 2:
        a, b = parts
        return lambda s: a(s) and b(s)
    return lambda s: all(p(s) for p in parts)


def _or(e: ir.Or, sym: Symbols) -> Getter:
    parts = [compile_expr(p, sym) for p in e.parts]
    if len(parts) == 2:
        a, b = parts
        return lambda s: a(s) or b(s)
    return lambda s: any(p(s) for p in parts)


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

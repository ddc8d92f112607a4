"""The condition and effect language, parsed once at load time and never evaluated as Python:
what the world's loader and the front ends call.

Text is read into a typed tree by `parse` (where every problem is found and located), which
`compile` turns into closures over the game state; each world's Symbols keeps the tree of
every text it compiled, so tools and front ends read that instead of the text again.
"""

from __future__ import annotations

from neuripsquest.lang import ir
from neuripsquest.lang.analyse import minimums, written
from neuripsquest.lang.compile import Effect, Getter, compile_effect_ir, compile_expr
from neuripsquest.lang.names import RESERVED, Symbols
from neuripsquest.lang.parse import (
    MAX_CHARS,
    MAX_DEPTH,
    MAX_NUMBER,
    ExprError,
    parse_condition,
    parse_effect,
    parse_number,
)
from neuripsquest.records import Record

__all__ = [
    "MAX_CHARS",
    "MAX_DEPTH",
    "MAX_NUMBER",
    "RESERVED",
    "Effect",
    "EffectInfo",
    "ExprError",
    "Getter",
    "Symbols",
    "compile_condition",
    "compile_effect",
    "compile_number",
    "condition",
    "effect",
    "stat_minimums",
]


def condition(src: str, sym: Symbols) -> ir.Expr:
    """The tree of a condition, read once per world; or ExprError."""
    e = sym.conditions.get(src)
    if e is None:
        e = sym.conditions[src] = parse_condition(src, sym)
    return e


def effect(src: str, sym: Symbols) -> ir.Effect:
    """The tree of an effect, read once per world; or ExprError."""
    e = sym.effects.get(src)
    if e is None:
        e = sym.effects[src] = parse_effect(src, sym)
    return e


def compile_condition(src: str, sym: Symbols) -> Getter:
    """A closure state -> bool, or ExprError."""
    return compile_expr(condition(src, sym), sym)


def compile_number(src: str, sym: Symbols, offset: int = 0) -> Getter:
    """A closure state -> int (right-hand sides of `stat += ...`)."""
    return compile_expr(parse_number(src, sym, offset), sym)


class EffectInfo(Record):
    """What an effect writes, for the linter: kind is stat, flag, item or clock. (A record:
    this module is imported at every start, and a dataclass takes ~1 ms to make.)"""

    kind: str
    name: str


def compile_effect(src: str, sym: Symbols) -> tuple[Effect, EffectInfo]:
    """A closure that changes a mutable scratch state, or ExprError."""
    e = effect(src, sym)
    return compile_effect_ir(e, sym), EffectInfo(*written(e))


def stat_minimums(src: str, sym: Symbols) -> list[tuple[str, int]]:
    """`analyse.minimums` of a condition's text ([] when it cannot be read), so a front end
    can explain a locked choice."""
    try:
        return minimums(condition(src, sym))
    except ExprError:
        return []

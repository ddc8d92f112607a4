"""The expression language as data: what the parser produces and everything else reads.

A condition or number is a tree of `Expr` nodes, an effect one `Effect` node. Names are already
resolved (a `Stat` is a stat of the world, a `Has` one of its items) and types already checked
(an `And` holds only true-or-false parts), so readers need no error paths. Every node keeps
where it is written (`at`, `end`: character offsets into the text it came from) for messages;
positions take no part in equality, so two trees compare equal when they mean the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

CmpOp = Literal["==", "!=", "<", "<=", ">", ">="]
ArithOp = Literal["+", "-", "*"]
AssignOp = Literal["=", "+=", "-="]


def _pos() -> int:
    return field(default=0, compare=False)  # type: ignore[no-any-return]


# ---------------------------------------------------------------- expressions


@dataclass(frozen=True, slots=True)
class Const:
    """A whole number (`16`, `1_000`) or `true`/`false`."""

    value: int | bool
    at: int = _pos()
    end: int = _pos()


@dataclass(frozen=True, slots=True)
class Stat:
    name: str
    at: int = _pos()
    end: int = _pos()


@dataclass(frozen=True, slots=True)
class Flag:
    name: str
    at: int = _pos()
    end: int = _pos()


@dataclass(frozen=True, slots=True)
class Has:
    """`has ITEM`: whether the player carries the item."""

    item: str
    at: int = _pos()
    end: int = _pos()


@dataclass(frozen=True, slots=True)
class Visits:
    """`visits(scene)`: how often the scene was entered."""

    scene: str
    at: int = _pos()
    end: int = _pos()


@dataclass(frozen=True, slots=True)
class Clock:
    """`day` (1 for the first), `slot` (0 for the first slot of a day) or `turn`."""

    word: Literal["day", "slot", "turn"]
    at: int = _pos()
    end: int = _pos()


@dataclass(frozen=True, slots=True)
class SlotName:
    """A time slot's name, which stands for its place in the day (`slot >= evening`)."""

    name: str
    value: int
    at: int = _pos()
    end: int = _pos()


@dataclass(frozen=True, slots=True)
class Neg:
    operand: Expr
    at: int = _pos()
    end: int = _pos()


@dataclass(frozen=True, slots=True)
class Arith:
    op: ArithOp
    left: Expr
    right: Expr
    at: int = _pos()
    end: int = _pos()


@dataclass(frozen=True, slots=True)
class Compare:
    """A comparison or a chain of them: `2 <= energy <= 5` has three operands, two ops."""

    operands: tuple[Expr, ...]
    ops: tuple[CmpOp, ...]
    at: int = _pos()
    end: int = _pos()


@dataclass(frozen=True, slots=True)
class Not:
    operand: Expr
    at: int = _pos()
    end: int = _pos()


@dataclass(frozen=True, slots=True)
class And:
    parts: tuple[Expr, ...]
    at: int = _pos()
    end: int = _pos()


@dataclass(frozen=True, slots=True)
class Or:
    parts: tuple[Expr, ...]
    at: int = _pos()
    end: int = _pos()


Expr = (
    Const | Stat | Flag | Has | Visits | Clock | SlotName | Neg | Arith | Compare | Not | And | Or
)
BOOLEAN = (Flag, Has, Compare, Not, And, Or)  # with Const(True/False): the true-or-false kinds


def is_bool(e: Expr) -> bool:
    """Whether `e` is true-or-false (else it is a number)."""
    return isinstance(e, BOOLEAN) or (isinstance(e, Const) and type(e.value) is bool)


def fold(e: Expr, slots: bool = False) -> int | None:
    """The value of `e` when it is made of numbers alone (`16`, `-3`, `(2 * 8)`), else None.
    With `slots`, time slot names count as the numbers they stand for."""
    if isinstance(e, Const):
        return e.value if type(e.value) is int else None
    if isinstance(e, SlotName):
        return e.value if slots else None
    if isinstance(e, Neg):
        v = fold(e.operand, slots)
        return None if v is None else -v
    if isinstance(e, Arith):
        a, b = fold(e.left, slots), fold(e.right, slots)
        if a is None or b is None:
            return None
        return a + b if e.op == "+" else a - b if e.op == "-" else a * b
    return None


# ---------------------------------------------------------------- effects


@dataclass(frozen=True, slots=True)
class SetFlag:
    flag: str
    at: int = _pos()
    end: int = _pos()


@dataclass(frozen=True, slots=True)
class ClearFlag:
    flag: str
    at: int = _pos()
    end: int = _pos()


@dataclass(frozen=True, slots=True)
class Give:
    item: str
    at: int = _pos()
    end: int = _pos()


@dataclass(frozen=True, slots=True)
class Take:
    item: str
    at: int = _pos()
    end: int = _pos()


@dataclass(frozen=True, slots=True)
class StatAssign:
    """`stat = rhs`, `stat += rhs`, `stat -= rhs`; the result is clamped to the stat's range."""

    stat: str
    op: AssignOp
    rhs: Expr
    at: int = _pos()
    end: int = _pos()


@dataclass(frozen=True, slots=True)
class AdvanceBy:
    """`advance N`: N slots on."""

    n: int
    at: int = _pos()
    end: int = _pos()


@dataclass(frozen=True, slots=True)
class AdvanceTo:
    """`advance to SLOT`: on to the next slot of that name (the next day's if need be)."""

    slot: str
    value: int  # the slot's place in the day
    at: int = _pos()
    end: int = _pos()


Effect = SetFlag | ClearFlag | Give | Take | StatAssign | AdvanceBy | AdvanceTo


def clock_after(clock: int, e: AdvanceBy | AdvanceTo, nslots: int, last: int) -> int:
    """The clock rule, the one place it is written: where `e` moves the clock to. `advance to`
    a slot always moves on (to the same slot a day later when it is that slot now), and the
    clock never passes `last`, the last slot of the last day."""
    if isinstance(e, AdvanceBy):
        step = e.n
    else:
        step = (e.value - clock % nslots) % nslots or nslots
    return min(clock + step, last)

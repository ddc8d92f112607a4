"""The expression language as data: what the parser produces and everything else reads.

A condition or number is a tree of `Expr` nodes, an effect one `Effect` node. Names are already
resolved (a `Stat` is a stat of the world, a `Has` one of its items) and types already checked
(an `And` holds only true-or-false parts), so readers need no error paths. Every node keeps
where it is written (`at`, `end`: character offsets into the text it came from) for messages;
positions take no part in equality, so two trees compare equal when they mean the same.
"""

from __future__ import annotations

from typing import Any, Literal

CmpOp = Literal["==", "!=", "<", "<=", ">", ">="]
ArithOp = Literal["+", "-", "*"]
AssignOp = Literal["=", "+=", "-="]
_set = object.__setattr__


class Node:
    """A node: immutable and slotted, equal to another of the same kind and meaning.

    Written by hand rather than as frozen dataclasses, which cost about half a millisecond
    each to create when the module is imported, on the path of every start of the game."""

    __slots__ = ("at", "end")
    _meaning: tuple[str, ...] = ()  # the fields that say what the node means
    at: int
    end: int

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, f) for f in self._meaning)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self), self._values()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(map(repr, self._values()))})"

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:  # copy and pickle by constructor
        return type(self), (*self._values(), self.at, self.end)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")


# ---------------------------------------------------------------- expressions


class Const(Node):
    """A whole number (`16`, `1_000`) or `true`/`false`."""

    __slots__ = _meaning = ("value",)
    value: int | bool

    def __init__(self, value: int | bool, at: int = 0, end: int = 0):
        _set(self, "value", value)
        _set(self, "at", at)
        _set(self, "end", end)


class Stat(Node):
    __slots__ = _meaning = ("name",)
    name: str

    def __init__(self, name: str, at: int = 0, end: int = 0):
        _set(self, "name", name)
        _set(self, "at", at)
        _set(self, "end", end)


class Flag(Node):
    __slots__ = _meaning = ("name",)
    name: str

    def __init__(self, name: str, at: int = 0, end: int = 0):
        _set(self, "name", name)
        _set(self, "at", at)
        _set(self, "end", end)


class Has(Node):
    """`has ITEM`: whether the player carries the item."""

    __slots__ = _meaning = ("item",)
    item: str

    def __init__(self, item: str, at: int = 0, end: int = 0):
        _set(self, "item", item)
        _set(self, "at", at)
        _set(self, "end", end)


class Visits(Node):
    """`visits(scene)`: how often the scene was entered."""

    __slots__ = _meaning = ("scene",)
    scene: str

    def __init__(self, scene: str, at: int = 0, end: int = 0):
        _set(self, "scene", scene)
        _set(self, "at", at)
        _set(self, "end", end)


class Clock(Node):
    """`day` (1 for the first), `slot` (0 for the first slot of a day) or `turn`."""

    __slots__ = _meaning = ("word",)
    word: Literal["day", "slot", "turn"]

    def __init__(self, word: Literal["day", "slot", "turn"], at: int = 0, end: int = 0):
        _set(self, "word", word)
        _set(self, "at", at)
        _set(self, "end", end)


class SlotName(Node):
    """A time slot's name, which stands for its place in the day (`slot >= evening`)."""

    __slots__ = _meaning = ("name", "value")
    name: str
    value: int

    def __init__(self, name: str, value: int, at: int = 0, end: int = 0):
        _set(self, "name", name)
        _set(self, "value", value)
        _set(self, "at", at)
        _set(self, "end", end)


class Neg(Node):
    __slots__ = _meaning = ("operand",)
    operand: Expr

    def __init__(self, operand: Expr, at: int = 0, end: int = 0):
        _set(self, "operand", operand)
        _set(self, "at", at)
        _set(self, "end", end)


class Arith(Node):
    __slots__ = _meaning = ("op", "left", "right")
    op: ArithOp
    left: Expr
    right: Expr

    def __init__(self, op: ArithOp, left: Expr, right: Expr, at: int = 0, end: int = 0):
        _set(self, "op", op)
        _set(self, "left", left)
        _set(self, "right", right)
        _set(self, "at", at)
        _set(self, "end", end)


class Compare(Node):
    """A comparison or a chain of them: `2 <= energy <= 5` has three operands, two ops."""

    __slots__ = _meaning = ("operands", "ops")
    operands: tuple[Expr, ...]
    ops: tuple[CmpOp, ...]

    def __init__(
        self, operands: tuple[Expr, ...], ops: tuple[CmpOp, ...], at: int = 0, end: int = 0
    ):
        _set(self, "operands", operands)
        _set(self, "ops", ops)
        _set(self, "at", at)
        _set(self, "end", end)


class Not(Node):
    __slots__ = _meaning = ("operand",)
    operand: Expr

    def __init__(self, operand: Expr, at: int = 0, end: int = 0):
        _set(self, "operand", operand)
        _set(self, "at", at)
        _set(self, "end", end)


class And(Node):
    __slots__ = _meaning = ("parts",)
    parts: tuple[Expr, ...]

    def __init__(self, parts: tuple[Expr, ...], at: int = 0, end: int = 0):
        _set(self, "parts", parts)
        _set(self, "at", at)
        _set(self, "end", end)


class Or(Node):
    __slots__ = _meaning = ("parts",)
    parts: tuple[Expr, ...]

    def __init__(self, parts: tuple[Expr, ...], at: int = 0, end: int = 0):
        _set(self, "parts", parts)
        _set(self, "at", at)
        _set(self, "end", end)


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


class SetFlag(Node):
    __slots__ = _meaning = ("flag",)
    flag: str

    def __init__(self, flag: str, at: int = 0, end: int = 0):
        _set(self, "flag", flag)
        _set(self, "at", at)
        _set(self, "end", end)


class ClearFlag(Node):
    __slots__ = _meaning = ("flag",)
    flag: str

    def __init__(self, flag: str, at: int = 0, end: int = 0):
        _set(self, "flag", flag)
        _set(self, "at", at)
        _set(self, "end", end)


class Give(Node):
    __slots__ = _meaning = ("item",)
    item: str

    def __init__(self, item: str, at: int = 0, end: int = 0):
        _set(self, "item", item)
        _set(self, "at", at)
        _set(self, "end", end)


class Take(Node):
    __slots__ = _meaning = ("item",)
    item: str

    def __init__(self, item: str, at: int = 0, end: int = 0):
        _set(self, "item", item)
        _set(self, "at", at)
        _set(self, "end", end)


class StatAssign(Node):
    """`stat = rhs`, `stat += rhs`, `stat -= rhs`; the result is clamped to the stat's range."""

    __slots__ = _meaning = ("stat", "op", "rhs")
    stat: str
    op: AssignOp
    rhs: Expr

    def __init__(self, stat: str, op: AssignOp, rhs: Expr, at: int = 0, end: int = 0):
        _set(self, "stat", stat)
        _set(self, "op", op)
        _set(self, "rhs", rhs)
        _set(self, "at", at)
        _set(self, "end", end)


class AdvanceBy(Node):
    """`advance N`: N slots on."""

    __slots__ = _meaning = ("n",)
    n: int

    def __init__(self, n: int, at: int = 0, end: int = 0):
        _set(self, "n", n)
        _set(self, "at", at)
        _set(self, "end", end)


class AdvanceTo(Node):
    """`advance to SLOT`: on to the next slot of that name (the next day's if need be)."""

    __slots__ = _meaning = ("slot", "value")
    slot: str
    value: int  # the slot's place in the day

    def __init__(self, slot: str, value: int, at: int = 0, end: int = 0):
        _set(self, "slot", slot)
        _set(self, "value", value)
        _set(self, "at", at)
        _set(self, "end", end)


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

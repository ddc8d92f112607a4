"""What the writers' tools learn from a tree without running it: the names it reads and writes,
the constants it compares them with, what a condition can possibly be, where effects move the
clock, and the stat thresholds a locked choice is waiting for.
"""

from __future__ import annotations

from collections.abc import Iterable

from neuripsquest.lang import ir
from neuripsquest.records import Record

# A variable of the game state, by name: ("stat", "energy"), ("flag", "met_vc"),
# ("item", "pretzel"), ("visits", "scene_id"), ("used", "scene.choice"), ("clock", ""),
# ("turn", "").
Var = tuple[str, str]
CLOCK: Var = ("clock", "")
TURN: Var = ("turn", "")
# Kinds of variable that count, not just hold: used in arithmetic, they are "complex".
_COUNTS = ("stat", "visits", "turn", "clock")


def children(e: ir.Expr) -> tuple[ir.Expr, ...]:
    if isinstance(e, ir.Neg | ir.Not):
        return (e.operand,)
    if isinstance(e, ir.Arith):
        return (e.left, e.right)
    if isinstance(e, ir.Compare):
        return e.operands
    if isinstance(e, ir.And | ir.Or):
        return e.parts
    return ()


def var_of(e: ir.Expr) -> Var | None:
    """The state variable `e` stands for (None for anything else, constants included)."""
    if isinstance(e, ir.Stat):
        return ("stat", e.name)
    if isinstance(e, ir.Flag):
        return ("flag", e.name)
    if isinstance(e, ir.Has):
        return ("item", e.item)
    if isinstance(e, ir.Visits):
        return ("visits", e.scene)
    if isinstance(e, ir.Clock):
        return TURN if e.word == "turn" else CLOCK
    return None


def reads(e: ir.Expr) -> set[Var]:
    """Every variable `e` reads."""
    out: set[Var] = set()
    todo = [e]
    while todo:
        node = todo.pop()
        v = var_of(node)
        if v is not None:
            out.add(v)
        todo.extend(children(node))
    return out


class Comparisons(Record):
    """How a condition uses its numbers, for the explorer's abstraction and the amounts worth
    typing: which variables are only compared with constants (and with which), which are used
    otherwise (in arithmetic, compared with another variable), and every constant written."""

    compared: dict[Var, set[int]]
    complex: set[Var]
    constants: set[int]


def comparisons(e: ir.Expr) -> Comparisons:
    out = Comparisons({}, set(), set())
    _compared(e, out, False)
    return out


def _compared(e: ir.Expr, out: Comparisons, direct: bool) -> None:
    v = var_of(e)
    if v is not None:
        if not direct and v[0] in _COUNTS:
            out.complex.add(v)
        return
    k = ir.fold(e, slots=True)
    if k is not None:
        out.constants.add(k)
        return
    if isinstance(e, ir.Compare):
        vs = [var_of(o) for o in e.operands]
        ks = [ir.fold(o, slots=True) for o in e.operands]
        # `clout >= 5`, `2 <= energy <= 5`: one variable, compared only with constants.
        simple = sum(v is not None for v in vs) == 1 and all(
            v is not None or k is not None for v, k in zip(vs, ks, strict=True)
        )
        if simple:
            v = next(v for v in vs if v is not None)
            out.compared.setdefault(v, set()).update(k for k in ks if k is not None)
        for o in e.operands:
            _compared(o, out, simple)
        return
    for c in children(e):
        _compared(c, out, False)


# ---------------------------------------------------------------- effects


def written(e: ir.Effect) -> Var:
    """The one variable an effect changes."""
    if isinstance(e, ir.StatAssign):
        return ("stat", e.stat)
    if isinstance(e, ir.SetFlag | ir.ClearFlag):
        return ("flag", e.flag)
    if isinstance(e, ir.Give | ir.Take):
        return ("item", e.item)
    return CLOCK


def effect_reads(e: ir.Effect) -> set[Var]:
    """What an effect's result depends on: its right-hand side, and the old value of what it
    changes unless it replaces it outright."""
    if isinstance(e, ir.StatAssign):
        out = reads(e.rhs)
        if e.op != "=":
            out.add(("stat", e.stat))
        return out
    if isinstance(e, ir.AdvanceBy | ir.AdvanceTo):
        return {CLOCK}
    return set()


def replaces(e: ir.Effect) -> bool:
    """Whether the effect's result ignores the old value of what it changes."""
    if isinstance(e, ir.StatAssign):
        return e.op == "="
    return not isinstance(e, ir.AdvanceBy | ir.AdvanceTo)


def clock_after(effects: Iterable[ir.Effect], clock: int, nslots: int, last: int) -> int:
    """The clock after `effects` run from `clock` (only `advance` moves it)."""
    for e in effects:
        if isinstance(e, ir.AdvanceBy | ir.AdvanceTo):
            clock = ir.clock_after(clock, e, nslots, last)
    return clock


# ---------------------------------------------------------------- what a condition can be

T, F, TF = 1, 2, 3  # what a condition can be: true, false, either
BIG = 10**30  # "no upper bound" for turn and visit counts


class Num(Record):
    lo: int
    hi: int
    why: str = ""  # what limits it, for messages: "energy stays within 0..10"


class Bounds(Record):
    """What each name can possibly be, anywhere in the story (or at one time of the week)."""

    stats: dict[str, Num]
    flags_set: set[str]  # flags something sets: the others are always false
    items_given: set[str]  # items something gives
    day: Num
    slot: Num

    def at(self, day: int, slot: int) -> Bounds:
        """The same with the clock known."""
        return self._replace(day=Num(day, day), slot=Num(slot, slot))


def verdict(e: ir.Expr, src: str, bounds: Bounds) -> tuple[int, str]:
    """What condition `e` (read from `src`) can be over `bounds`: T, F or TF, and why when it
    cannot vary, quoting the source (an abstract interpretation: every F is certain)."""
    return _Verdict(bounds, src).cond(e)


class _Verdict:
    def __init__(self, bounds: Bounds, src: str):
        self.b = bounds
        self.src = src

    def seg(self, e: ir.Expr) -> str:
        return self.src[e.at : e.end]

    def num(self, e: ir.Expr) -> Num:
        if isinstance(e, ir.Const):
            return Num(int(e.value), int(e.value))
        if isinstance(e, ir.Stat):
            return self.b.stats[e.name]
        if isinstance(e, ir.SlotName):
            return Num(e.value, e.value)
        if isinstance(e, ir.Clock) and e.word != "turn":
            return self.b.day if e.word == "day" else self.b.slot
        if isinstance(e, ir.Clock | ir.Visits):  # turn and visit counts only grow
            return Num(0, BIG)
        if isinstance(e, ir.Neg):
            a = self.num(e.operand)
            return Num(-a.hi, -a.lo, a.why)
        if isinstance(e, ir.Arith):
            a, b = self.num(e.left), self.num(e.right)
            why = "; ".join(x for x in (a.why, b.why) if x)
            if e.op == "+":
                return Num(a.lo + b.lo, a.hi + b.hi, why)
            if e.op == "-":
                return Num(a.lo - b.hi, a.hi - b.lo, why)
            ps = [a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi]
            return Num(min(ps), max(ps), why)
        return Num(-BIG, BIG)  # pragma: no cover - types were checked

    def cond(self, e: ir.Expr) -> tuple[int, str]:
        """(T, F or TF, the reason when it is always one or the other)."""
        if isinstance(e, ir.Const):
            return (T, "it is `true`") if e.value else (F, "it is `false`")
        if isinstance(e, ir.Flag):
            n = e.name
            return (TF, "") if n in self.b.flags_set else (F, f"flag '{n}' is never set")
        if isinstance(e, ir.Has):
            n = e.item
            return (TF, "") if n in self.b.items_given else (F, f"item '{n}' is never given")
        if isinstance(e, ir.Not):
            m, why = self.cond(e.operand)
            if m == F:
                why = f"`{self.seg(e.operand)}` never holds ({why})"
            return {T: F, F: T, TF: TF}[m], why
        if isinstance(e, ir.And):
            parts = [self.cond(p) for p in e.parts]
            if any(m == F for m, _ in parts):
                return F, next(why for m, why in parts if m == F)
            if all(m == T for m, _ in parts):
                return T, "; ".join(why for _, why in parts)
            return TF, ""
        if isinstance(e, ir.Or):
            parts = [self.cond(p) for p in e.parts]
            if any(m == T for m, _ in parts):
                return T, next(why for m, why in parts if m == T)
            if all(m == F for m, _ in parts):
                return F, "; ".join(why for _, why in parts)
            return TF, ""
        if isinstance(e, ir.Compare):
            return self.compare(e)
        return TF, ""  # pragma: no cover - types were checked

    def compare(self, e: ir.Compare) -> tuple[int, str]:
        ops = e.operands
        masks = [self.pair(a, op, b) for a, op, b in zip(ops, e.ops, ops[1:], strict=False)]
        can_t = all(m & T for m in masks)
        can_f = any(m & F for m in masks)
        m = (T if can_t else 0) | (F if can_f else 0)
        if m == TF:
            return TF, ""
        whys = []
        for o in ops:
            if not isinstance(o, ir.Const) and not ir.is_bool(o):
                why = self.num(o).why
                if why and why not in whys:
                    whys.append(why)
        word = "always holds" if m == T else "is always false"
        because = f": {', '.join(whys)}" if whys else ""
        return m, f"`{self.seg(e)}` {word}{because}"

    def pair(self, a: ir.Expr, op: str, b: ir.Expr) -> int:
        if ir.is_bool(a) or ir.is_bool(b):
            ma, mb = self.cond(a)[0], self.cond(b)[0]
            same = bool((ma & T and mb & T) or (ma & F and mb & F))
            diff = bool((ma & T and mb & F) or (ma & F and mb & T))
            if op == "!=":
                same, diff = diff, same
            return (T if same else 0) | (F if diff else 0)
        x, y = self.num(a), self.num(b)
        if op == "<":
            t, f = x.lo < y.hi, x.hi >= y.lo
        elif op == "<=":
            t, f = x.lo <= y.hi, x.hi > y.lo
        elif op == ">":
            t, f = x.hi > y.lo, x.lo <= y.hi
        elif op == ">=":
            t, f = x.hi >= y.lo, x.lo < y.hi
        else:
            overlap = x.lo <= y.hi and y.lo <= x.hi
            single = x.lo == x.hi == y.lo == y.hi
            t, f = overlap, not single
            if op == "!=":
                t, f = f, t
        return (T if t else 0) | (F if f else 0)


# ---------------------------------------------------------------- locked choices


def minimums(e: ir.Expr) -> list[tuple[str, int]]:
    """The `STAT >= N` and `STAT > N` parts of a condition that must all hold, as (stat, the
    least value that passes), in the writer's order. Only the top level of an `and` (or a lone
    comparison) counts: under `or` or `not` no single number is what the player lacks."""
    out = []
    for part in e.parts if isinstance(e, ir.And) else (e,):
        if not (isinstance(part, ir.Compare) and len(part.ops) == 1):
            continue
        left, right = part.operands
        if not (isinstance(left, ir.Stat) and isinstance(right, ir.Const)):
            continue
        if type(right.value) is not int:
            continue
        if part.ops[0] == ">=":
            out.append((left.name, right.value))
        elif part.ops[0] == ">":
            out.append((left.name, right.value + 1))
    return out

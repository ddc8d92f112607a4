"""The condition and effect language, parsed once at load time and never evaluated as Python.

Conditions use a whitelisted subset of Python's expression grammar (parsed by the standard
`ast` module, so positions and syntax errors come from a well-tested parser) plus `has ITEM`,
which is rewritten to `has@ITEM` before parsing: the same length, so columns still match.
The checked tree is compiled into small closures over the game state, which is what makes the
engine fast; nothing here ever calls `eval` or `exec`.
"""

from __future__ import annotations

import ast
import keyword
import re
import warnings
from collections.abc import Callable, Container
from dataclasses import dataclass, field
from typing import Any

from neuripsquest.errors import QuestError
from neuripsquest.problems import did_you_mean

Getter = Callable[[Any], Any]
Effect = Callable[[Any], None]

_HAS = re.compile(r"\bhas(\s)(?=\s*[A-Za-z_])")
# Bounds that keep a hostile world from making a condition slow or the checker crash; far above
# anything a story needs (docs/world-format.md, "Numbers").
MAX_CHARS = 1_000  # of one condition or effect
MAX_DEPTH = 32  # operators nested inside each other (`1+1+1` is two deep)
MAX_NUMBER = 10**15  # largest number written in a condition or effect
# Words a stat, flag, item or time slot may not be called, because a condition could not name
# it: the language's own words, and Python's keywords (conditions are read with Python's
# parser, so a flag called `in` or `None` would break every condition that names it).
RESERVED = frozenset({"has", "day", "slot", "turn", "visits", "true", "false", *keyword.kwlist})


class ExprError(QuestError):
    """A problem in one expression; `offset` is the character where it starts."""

    def __init__(self, message: str, offset: int = 0):
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass
class Symbols:
    """Everything a name in an expression can mean, for one world."""

    stats: dict[str, int]
    stat_ranges: list[tuple[int, int]]
    flags: dict[str, int]
    items: dict[str, int]
    slots: dict[str, int]
    scenes: set[str]
    nslots: int
    ndays: int
    visits: dict[str, int] = field(default_factory=dict)  # scenes whose visits are counted
    used_stats: set[str] = field(default_factory=set)
    used_flags: set[str] = field(default_factory=set)
    used_items: set[str] = field(default_factory=set)

    def all_names(self) -> list[str]:
        return [*self.stats, *self.flags, *self.items, *self.slots, "day", "slot", "turn"]


# ---------------------------------------------------------------- conditions


def compile_condition(src: str, sym: Symbols) -> Getter:
    """A closure state -> bool, or ExprError."""
    fn, typ = _compile(_parse(src), sym, src)
    if typ is not bool:
        raise ExprError(f"a condition must be true or false, but '{src.strip()}' is a number", 0)
    return fn


def compile_number(src: str, sym: Symbols, offset: int = 0) -> Getter:
    """A closure state -> int (right-hand sides of `stat += ...`)."""
    return _compile_number(src, sym, offset)[0]


def _compile_number(src: str, sym: Symbols, offset: int) -> tuple[Getter, int | None]:
    """The closure and, when `src` is made of numbers alone, its value."""
    try:
        parsed = _parse(src)
        fn, typ = _compile(parsed, sym, src)
    except ExprError as exc:
        raise ExprError(exc.message, exc.offset + offset) from None
    if typ is not int:
        raise ExprError("a stat can only be set to a number", offset)
    return fn, _fold(parsed[0])


def _parse(src: str) -> tuple[ast.expr, int]:
    if len(src) > MAX_CHARS:
        raise ExprError(f"condition too long: more than {MAX_CHARS:,} characters", 0)
    text = _HAS.sub(lambda m: "has@", src)
    stripped = text.strip()
    if not stripped:
        raise ExprError("empty expression", 0)
    lead = len(text) - len(text.lstrip())
    try:
        # Warnings ("invalid decimal literal" in `1and x`) become errors with a place, rather
        # than lines on stderr with none.
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            tree = ast.parse(stripped, mode="eval").body
    except SyntaxError as exc:
        col = max((exc.offset or 1) - 1, 0) + lead
        msg = (exc.msg or "invalid syntax").split(". Maybe")[0]
        if "=" in stripped and "==" not in stripped and not re.search(r"[<>!]=", stripped):
            msg += " (use == to compare)"
        raise ExprError(f"cannot read condition: {msg}", col) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExprError("cannot read condition: too complex", lead) from None
    _check_shape(tree, stripped, lead)
    return tree, lead


def _check_shape(tree: ast.expr, stripped: str, lead: int) -> None:
    """Depth, and numbers written in decimal within MAX_NUMBER, checked without recursion so
    that compiling (which recurses) stays far from Python's limit."""
    raw = stripped.encode()
    # (node, depth, the nearest node with a place: operators like `not` have none)
    stack: list[tuple[ast.AST, int, ast.AST]] = [(tree, 1, tree)]
    while stack:
        node, depth, placed = stack.pop()
        if depth > MAX_DEPTH:
            raise ExprError(
                f"too deeply nested: more than {MAX_DEPTH} levels "
                "(each operator in a chain like 1+1+1 is one)",
                _pos(placed, stripped, lead),
            )
        if isinstance(node, ast.Constant) and type(node.value) is int:
            written = raw[node.col_offset : node.end_col_offset].decode(errors="replace")
            if written[:2].lower() in ("0x", "0o", "0b"):
                value = f" ({written} is {node.value:_})" if node.value <= MAX_NUMBER else ""
                raise ExprError(f"write numbers in decimal{value}", _pos(node, stripped, lead))
            if node.value > MAX_NUMBER:
                raise ExprError(
                    f"number too large: numbers here must be at most {MAX_NUMBER:_}",
                    _pos(node, stripped, lead),
                )
        # leftmost first, so that a long chain is reported where it starts
        for child in reversed(list(ast.iter_child_nodes(node))):
            if isinstance(child, ast.expr):
                stack.append((child, depth + 1, child))
            else:  # an operator, or a part like a keyword argument: not a level of its own
                stack.append((child, depth, child if hasattr(child, "col_offset") else placed))


_FOLD = {ast.Add: int.__add__, ast.Sub: int.__sub__, ast.Mult: int.__mul__}


def _fold(node: ast.AST) -> int | None:
    """The value of an expression of numbers alone (`16`, `-3`, `(2 * 8)`), else None."""
    if isinstance(node, ast.Constant):
        return node.value if type(node.value) is int else None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        v = _fold(node.operand)
        return None if v is None else -v if isinstance(node.op, ast.USub) else v
    if isinstance(node, ast.BinOp) and type(node.op) in _FOLD:
        a, b = _fold(node.left), _fold(node.right)
        return None if a is None or b is None else _FOLD[type(node.op)](a, b)
    return None


def _pos(node: ast.AST, src: str, lead: int) -> int:
    # ast columns count UTF-8 bytes; writers count characters.
    raw = src.strip().encode()[: getattr(node, "col_offset", 0)]
    return len(raw.decode(errors="ignore")) + lead


_CMP = {
    ast.Eq: lambda a, b: lambda s: a(s) == b(s),
    ast.NotEq: lambda a, b: lambda s: a(s) != b(s),
    ast.Lt: lambda a, b: lambda s: a(s) < b(s),
    ast.LtE: lambda a, b: lambda s: a(s) <= b(s),
    ast.Gt: lambda a, b: lambda s: a(s) > b(s),
    ast.GtE: lambda a, b: lambda s: a(s) >= b(s),
}
# A stat compared with a constant is the commonest condition: one closure, no inner calls.
_CMP_STAT_CONST = {
    ast.Eq: lambda i, c: lambda s: s.stats[i] == c,
    ast.NotEq: lambda i, c: lambda s: s.stats[i] != c,
    ast.Lt: lambda i, c: lambda s: s.stats[i] < c,
    ast.LtE: lambda i, c: lambda s: s.stats[i] <= c,
    ast.Gt: lambda i, c: lambda s: s.stats[i] > c,
    ast.GtE: lambda i, c: lambda s: s.stats[i] >= c,
}
_ARITH = {
    ast.Add: lambda a, b: lambda s: a(s) + b(s),
    ast.Sub: lambda a, b: lambda s: a(s) - b(s),
    ast.Mult: lambda a, b: lambda s: a(s) * b(s),
}
_OP_NAMES = {
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.LShift: "<<",
    ast.RShift: ">>",
}


def _compile(parsed: Any, sym: Symbols, src: str) -> tuple[Getter, type]:
    tree, lead = parsed

    def fail(node: ast.AST, msg: str) -> ExprError:
        return ExprError(msg, _pos(node, src, lead))

    def need(node: ast.AST, typ: type, what: str) -> Getter:
        fn, t = walk(node)
        if t is not typ:
            want = "true or false" if typ is bool else "a number"
            raise fail(node, f"{what} needs {want}")
        return fn

    def const(node: ast.AST) -> tuple[bool, Any]:
        if isinstance(node, ast.Constant) and type(node.value) is int:
            return True, node.value
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            ok, v = const(node.operand)
            return ok, -v if ok else None
        return False, None

    def name(node: ast.Name) -> tuple[Getter, type]:
        n = node.id
        if n in sym.stats:
            sym.used_stats.add(n)
            i = sym.stats[n]
            return (lambda s: s.stats[i]), int
        if n in sym.flags:
            sym.used_flags.add(n)
            bit = sym.flags[n]
            return (lambda s: s.flags & bit != 0), bool
        if n in sym.slots:
            v = sym.slots[n]
            return (lambda s: v), int
        if n == "day":
            ns = sym.nslots
            return (lambda s: s.clock // ns + 1), int
        if n == "slot":
            ns = sym.nslots
            return (lambda s: s.clock % ns), int
        if n == "turn":
            return (lambda s: s.turn), int
        if n in ("true", "false"):
            v = n == "true"
            return (lambda s: v), bool
        if n in sym.items:
            raise fail(node, f"'{n}' is an item: write 'has {n}'")
        raise fail(node, f"unknown name '{n}'{did_you_mean(n, sym.all_names())}")

    def walk(node: ast.AST) -> tuple[Getter, type]:
        if isinstance(node, ast.Constant):
            v = node.value
            if type(v) is bool:
                return (lambda s: v), bool
            if type(v) is int:
                return (lambda s: v), int
            raise fail(node, f"only whole numbers are allowed here, not {v!r}")
        if isinstance(node, ast.Name):
            return name(node)
        if isinstance(node, ast.BoolOp):
            parts = [need(v, bool, f"'{_word(node.op)}'") for v in node.values]
            if isinstance(node.op, ast.And):
                if len(parts) == 2:
                    a, b = parts
                    return (lambda s: a(s) and b(s)), bool
                return (lambda s: all(p(s) for p in parts)), bool
            if len(parts) == 2:
                a, b = parts
                return (lambda s: a(s) or b(s)), bool
            return (lambda s: any(p(s) for p in parts)), bool
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                inner = node.operand
                if isinstance(inner, ast.Name) and inner.id in sym.flags:
                    sym.used_flags.add(inner.id)
                    bit = sym.flags[inner.id]
                    return (lambda s: not s.flags & bit), bool
                a = need(node.operand, bool, "'not'")
                return (lambda s: not a(s)), bool
            if isinstance(node.op, ast.USub):
                a = need(node.operand, int, "'-'")
                return (lambda s: -a(s)), int
            if isinstance(node.op, ast.UAdd):
                return need(node.operand, int, "'+'"), int
            raise fail(node, "'~' is not allowed")
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.MatMult):
                return has(node)
            if type(node.op) in _ARITH:
                a = need(node.left, int, "arithmetic")
                b = need(node.right, int, "arithmetic")
                return _ARITH[type(node.op)](a, b), int
            op = _OP_NAMES.get(type(node.op), "this operator")
            raise fail(node, f"'{op}' is not allowed: use + - * and comparisons")
        if isinstance(node, ast.Compare):
            return compare(node)
        if isinstance(node, ast.Call):
            return call(node)
        raise fail(node, f"'{ast.unparse(node)}' is not allowed in a condition")

    def has(node: ast.BinOp) -> tuple[Getter, type]:
        if not (isinstance(node.left, ast.Name) and node.left.id == "has"):
            raise fail(node, "'@' is not allowed")
        if not isinstance(node.right, ast.Name):
            raise fail(node.right, "'has' needs an item name")
        n = node.right.id
        if n not in sym.items:
            hint = f": '{n}' is a flag, write just '{n}'" if n in sym.flags else ""
            raise fail(node.right, f"unknown item '{n}'{hint or did_you_mean(n, sym.items)}")
        sym.used_items.add(n)
        bit = sym.items[n]
        return (lambda s: s.items & bit != 0), bool

    def compare(node: ast.Compare) -> tuple[Getter, type]:
        for op in node.ops:
            if type(op) not in _CMP:
                raise fail(node, f"'{_word(op)}' is not allowed: use == != < <= > >=")
        operands = [node.left, *node.comparators]
        compiled = [walk(o) for o in operands]
        for (_, t), o, op in zip(compiled[1:], operands[1:], node.ops, strict=True):
            if t is not compiled[0][1] or (t is bool and type(op) not in (ast.Eq, ast.NotEq)):
                raise fail(o, "cannot compare a number with true/false")
        if len(node.ops) == 1:
            op = type(node.ops[0])
            left, right = operands
            ok, c = const(right)
            if ok and isinstance(left, ast.Name) and left.id in sym.stats:
                return _CMP_STAT_CONST[op](sym.stats[left.id], c), bool
            return _CMP[op](compiled[0][0], compiled[1][0]), bool
        links = [
            _CMP[type(op)](compiled[i][0], compiled[i + 1][0]) for i, op in enumerate(node.ops)
        ]
        return (lambda s: all(link(s) for link in links)), bool

    def call(node: ast.Call) -> tuple[Getter, type]:
        fname = node.func.id if isinstance(node.func, ast.Name) else ""
        if fname != "visits":
            raise fail(node, "the only function is visits(scene_id)")
        if len(node.args) != 1 or node.keywords or not isinstance(node.args[0], ast.Name):
            raise fail(node, "visits() takes one scene id")
        target = node.args[0].id
        if target not in sym.scenes:
            raise fail(node.args[0], f"unknown scene '{target}'{did_you_mean(target, sym.scenes)}")
        idx = sym.visits.setdefault(target, len(sym.visits))
        return (lambda s: s.visits[idx]), int

    return walk(tree)


def stat_minimums(src: str, stats: Container[str]) -> list[tuple[str, int]]:
    """The `STAT >= N` and `STAT > N` parts of a condition that must all hold, as (stat, the
    least value that passes), in the writer's order. Only the top level of an `and` (or a lone
    comparison) counts: under `or` or `not` no single number is what the player lacks. Reads
    the source without compiling it, so a front end can explain a locked choice."""
    try:
        tree, _ = _parse(src)  # type: ignore[misc]
    except ExprError:
        return []
    is_and = isinstance(tree, ast.BoolOp) and isinstance(tree.op, ast.And)
    parts = tree.values if is_and else [tree]
    out = []
    for part in parts:
        if not (isinstance(part, ast.Compare) and len(part.ops) == 1):
            continue
        left, op, right = part.left, part.ops[0], part.comparators[0]
        if not (isinstance(left, ast.Name) and left.id in stats):
            continue
        if not (isinstance(right, ast.Constant) and type(right.value) is int):
            continue
        if isinstance(op, ast.GtE):
            out.append((left.id, right.value))
        elif isinstance(op, ast.Gt):
            out.append((left.id, right.value + 1))
    return out


def _word(op: ast.AST) -> str:
    return {
        ast.And: "and",
        ast.Or: "or",
        ast.In: "in",
        ast.NotIn: "not in",
        ast.Is: "is",
        ast.IsNot: "is not",
    }.get(type(op), type(op).__name__)


# ---------------------------------------------------------------- effects

_ASSIGN = re.compile(r"^(\s*)([A-Za-z_]\w*)(\s*)(\+=|-=|=)(.*)$", re.S)
_VERB = re.compile(r"^(\s*)(set|clear|give|take)(\s+)([A-Za-z_]\w*)\s*$")
_ADVANCE = re.compile(r"^(\s*)advance(\s+)(?:(to)(\s+)([A-Za-z_]\w*)|([0-9][0-9_]*))\s*$")


@dataclass(frozen=True)
class EffectInfo:
    """What an effect writes, for the linter."""

    kind: str
    name: str


def compile_effect(src: str, sym: Symbols) -> tuple[Effect, EffectInfo]:
    """A closure that changes a mutable scratch state, or ExprError."""
    if len(src) > MAX_CHARS:
        raise ExprError(f"effect too long: more than {MAX_CHARS:,} characters", 0)
    m = _VERB.match(src)
    if m:
        lead, verb, gap, n = m.group(1), m.group(2), m.group(3), m.group(4)
        at = len(lead) + len(verb) + len(gap)
        table, kind = (sym.flags, "flag") if verb in ("set", "clear") else (sym.items, "item")
        if n not in table:
            other = sym.items if kind == "flag" else sym.flags
            hint = f": '{n}' is {'an item' if kind == 'flag' else 'a flag'}" if n in other else ""
            raise ExprError(f"unknown {kind} '{n}'{hint or did_you_mean(n, table)}", at)
        bit = table[n]
        if verb == "set":
            return _set_flag(bit), EffectInfo("flag", n)
        if verb == "clear":
            return _clear_flag(bit), EffectInfo("flag", n)
        if verb == "give":
            return _give(bit), EffectInfo("item", n)
        return _take(bit), EffectInfo("item", n)
    m = _ADVANCE.match(src)
    if m:
        ns, last = sym.nslots, sym.nslots * sym.ndays - 1
        if m.group(6) is not None:
            digits = m.group(6).replace("_", "")
            if len(digits) > len(str(MAX_NUMBER)) or int(digits) > MAX_NUMBER:
                at = len(m.group(1)) + len("advance") + len(m.group(2))
                raise ExprError(f"number too large: at most {MAX_NUMBER:_}", at)
            return _advance_by(int(digits), last), EffectInfo("clock", "")
        slot = m.group(5)
        if slot not in sym.slots:
            at = len(m.group(1)) + len("advance") + len(m.group(2)) + 2 + len(m.group(4))
            raise ExprError(f"unknown time slot '{slot}'{did_you_mean(slot, sym.slots)}", at)
        return _advance_to(sym.slots[slot], ns, last), EffectInfo("clock", "")
    m = _ASSIGN.match(src)
    if m:
        lead, n, gap, op, rhs = m.groups()
        if n not in sym.stats:
            if n in sym.flags:
                msg = f"'{n}' is a flag: write 'set {n}' or 'clear {n}'"
            elif n in sym.items:
                msg = f"'{n}' is an item: write 'give {n}' or 'take {n}'"
            else:
                msg = f"unknown stat '{n}'{did_you_mean(n, sym.stats)}"
            raise ExprError(msg, len(lead))
        i = sym.stats[n]
        lo, hi = sym.stat_ranges[i]
        value, c = _compile_number(rhs, sym, len(lead) + len(n) + len(gap) + len(op))
        if op == "=":
            if c is not None and not lo <= c <= hi:
                raise ExprError(
                    f"{c} is outside {n}'s range {lo}..{hi}",
                    len(lead) + len(n) + len(gap) + len(op) + (len(rhs) - len(rhs.lstrip())),
                )
        return _stat_effect(op, i, lo, hi, value, c), EffectInfo("stat", n)
    word = src.strip().split(" ")[0] if src.strip() else ""
    hint = ""
    if word:
        hint = did_you_mean(word, ["set", "clear", "give", "take", "advance"])
    raise ExprError(
        "cannot read effect: expected 'stat += n', 'stat -= n', 'stat = n', 'set flag', "
        f"'clear flag', 'give item', 'take item' or 'advance n'{hint}",
        len(src) - len(src.lstrip()),
    )


def _stat_effect(op: str, i: int, lo: int, hi: int, value: Getter, const: int | None) -> Effect:
    # `energy -= 1` is the commonest effect: with a constant there is no inner call.
    if const is not None and op != "=":
        delta = const if op == "+=" else -const

        def eff(w: Any) -> None:
            v = w.stats[i] + delta
            w.stats[i] = lo if v < lo else hi if v > hi else v

        return eff
    if op == "+=":

        def eff(w: Any) -> None:
            v = w.stats[i] + value(w)
            w.stats[i] = lo if v < lo else hi if v > hi else v

    elif op == "-=":

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


def _advance_by(n: int, last: int) -> Effect:
    def eff(w: Any) -> None:
        w.clock = min(w.clock + n, last)

    return eff


def _advance_to(slot: int, ns: int, last: int) -> Effect:
    def eff(w: Any) -> None:
        step = (slot - w.clock % ns) % ns or ns
        w.clock = min(w.clock + step, last)

    return eff

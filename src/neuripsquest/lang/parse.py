"""Text to IR: the one reader of conditions, numbers and effects, and the only code that sees
Python's `ast`.

Conditions use a whitelisted subset of Python's expression grammar, read by the standard `ast`
module (so positions and syntax errors come from a well-tested parser), plus `has ITEM`, which
is rewritten to `has@ITEM` before parsing: the same length, so columns still match. Names are
resolved and types checked here, so every problem is found, and located, before anything runs;
nothing here ever calls `eval` or `exec`. Effects are short fixed forms, read with patterns.
"""

from __future__ import annotations

import ast
import re
import warnings

from neuripsquest.errors import QuestError
from neuripsquest.lang import ir
from neuripsquest.lang.names import CLOCK_WORDS, HAS, TRUTH, VISITS, Symbols
from neuripsquest.problems import did_you_mean

# Bounds that keep a hostile world from making a condition slow or the checker crash; far above
# anything a story needs (docs/world-format.md, "Numbers").
MAX_CHARS = 1_000  # of one condition or effect
MAX_DEPTH = 32  # operators nested inside each other (`1+1+1` is two deep)
MAX_NUMBER = 10**15  # largest number written in a condition or effect


class ExprError(QuestError):
    """A problem in one expression; `offset` is the character where it starts."""

    def __init__(self, message: str, offset: int = 0):
        super().__init__(message)
        self.message = message
        self.offset = offset


def parse_condition(src: str, sym: Symbols) -> ir.Expr:
    """The tree of a condition (true or false), or ExprError."""
    e = _Reader.read(src, sym, 0)
    if not ir.is_bool(e):
        raise ExprError(f"a condition must be true or false, but '{src.strip()}' is a number", 0)
    return e


def parse_number(src: str, sym: Symbols, offset: int = 0) -> ir.Expr:
    """The tree of a number (the right-hand side of `stat += ...`), or ExprError; `src` starts
    at `offset` in a longer text, and positions and problems count from that text's start."""
    e = _Reader.read(src, sym, offset)
    if ir.is_bool(e):
        raise ExprError("a stat can only be set to a number", offset)
    return e


# ---------------------------------------------------------------- conditions and numbers

_HAS = re.compile(r"\bhas(\s)(?=\s*[A-Za-z_])")
_RADIX = re.compile(r"0[xXoObB]")  # a text without it has no hex, octal or binary number
_NEWLINE = re.compile(r"\r\n|\r|\n")  # what ends a line for Python's parser
_CMP: dict[type[ast.cmpop], ir.CmpOp] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}
_ARITH: dict[type[ast.operator], ir.ArithOp] = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*"}
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
_WORDS = {
    ast.And: "and",
    ast.Or: "or",
    ast.In: "in",
    ast.NotIn: "not in",
    ast.Is: "is",
    ast.IsNot: "is not",
}


class _Shape(Exception):
    """Too deep, or a number written wrong: `check_shape` says which, and where."""


class _Text:
    """The stripped text `ast` reads, and where its positions are in the writer's text.

    `ast` counts lines, and columns in UTF-8 bytes; writers count characters from the start of
    what they wrote (`base`, the stripped text's offset there)."""

    __slots__ = ("base", "lines", "stripped")

    def __init__(self, stripped: str, base: int):
        self.stripped = stripped
        self.base = base
        # (offset of the line's start, the line as UTF-8) when a byte is not a character
        self.lines: list[tuple[int, bytes]] | None = None
        if not stripped.isascii() or "\n" in stripped or "\r" in stripped:
            starts = [0, *(m.end() for m in _NEWLINE.finditer(stripped))]
            ends = [*(m.start() for m in _NEWLINE.finditer(stripped)), len(stripped)]
            self.lines = [(a, stripped[a:b].encode()) for a, b in zip(starts, ends, strict=True)]

    def pos(self, line: int, col: int) -> int:
        """The character offset of byte column `col` of line `line` (1-based)."""
        if self.lines is None:
            return self.base + col
        start, raw = self.lines[min(max(line, 1), len(self.lines)) - 1]
        return self.base + start + len(raw[:col].decode(errors="ignore"))

    def char_pos(self, line: int, col: int) -> int:
        """The offset of character column `col` of line `line` (SyntaxError counts so)."""
        if self.lines is None:
            return self.base + col
        return self.base + self.lines[min(max(line, 1), len(self.lines)) - 1][0] + col

    def at(self, node: ast.AST) -> int:
        return self.pos(getattr(node, "lineno", 1), getattr(node, "col_offset", 0))

    def span(self, node: ast.expr) -> tuple[int, int]:
        if self.lines is None:
            return self.base + node.col_offset, self.base + (node.end_col_offset or 0)
        return self.at(node), self.pos(node.end_lineno or 1, node.end_col_offset or 0)

    def segment(self, node: ast.expr) -> str:
        a, b = self.span(node)
        return self.stripped[a - self.base : b - self.base]


class _Reader:
    """One expression's tree from `ast` to IR, resolving names and checking types on the way.

    Depth and numbers are checked as the tree is read: `check_shape` (which walks the whole
    tree without recursion) runs only when something is wrong, so that its problems come first
    wherever they are, as they would if it always ran first."""

    __slots__ = ("radix", "sym", "text", "tree")

    @classmethod
    def read(cls, src: str, sym: Symbols, offset: int) -> ir.Expr:
        if len(src) > MAX_CHARS:
            raise ExprError(f"condition too long: more than {MAX_CHARS:,} characters", offset)
        # A line break reads as a space (the same length, so columns still match): a condition
        # may run over lines in a `|` block as it may in a folded one.
        text = _NEWLINE.sub(lambda m: " " * len(m.group()), _HAS.sub("has@", src))
        stripped = text.strip()
        if not stripped:
            raise ExprError("empty expression", offset)
        if "#" in stripped:
            # Python's reader would take the rest of the line as a comment and drop it unseen.
            msg = "'#' is not allowed in a condition: put a comment on its own line above"
            raise ExprError(msg, text.index("#") + offset)
        lead = len(text) - len(text.lstrip())
        where = _Text(stripped, lead + offset)
        try:
            # Warnings ("invalid decimal literal" in `1and x`) become errors with a place,
            # rather than lines on stderr with none.
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                tree = ast.parse(stripped, mode="eval").body
        except SyntaxError as exc:
            col = where.char_pos(exc.lineno or 1, max((exc.offset or 1) - 1, 0))
            msg = (exc.msg or "invalid syntax").split(". Maybe")[0]
            if "=" in stripped and "==" not in stripped and not re.search(r"[<>!]=", stripped):
                msg += " (use == to compare)"
            raise ExprError(f"cannot read condition: {msg}", col) from None
        except (RecursionError, MemoryError, ValueError):
            raise ExprError("cannot read condition: too complex", lead + offset) from None
        reader = cls(sym, where, tree)
        try:
            return reader.walk(tree, 1)
        except _Shape:
            reader.check_shape()
            raise AssertionError("check_shape finds what raised _Shape") from None
        except ExprError:
            reader.check_shape()  # a problem of shape comes first, wherever it is
            raise

    def __init__(self, sym: Symbols, text: _Text, tree: ast.expr):
        self.sym = sym
        self.text = text
        self.tree = tree
        self.radix = _RADIX.search(text.stripped) is not None

    def fail(self, node: ast.AST, msg: str) -> ExprError:
        return ExprError(msg, self.text.at(node))

    def need(self, node: ast.expr, depth: int, boolean: bool, what: str) -> ir.Expr:
        e = self.walk(node, depth)
        if ir.is_bool(e) is not boolean:
            raise self.fail(node, f"{what} needs {'true or false' if boolean else 'a number'}")
        return e

    def walk(self, node: ast.expr, depth: int) -> ir.Expr:
        if depth > MAX_DEPTH:  # (`_deep`, written out: this runs for every node)
            raise _Shape
        at, end = self.text.span(node)
        if isinstance(node, ast.Name):
            return self.name(node, at, end)
        if isinstance(node, ast.Compare):
            return self.compare(node, depth, at, end)
        if isinstance(node, ast.Constant):
            v = node.value
            if type(v) is bool:
                return ir.Const(v, at, end)
            if type(v) is int:
                if v > MAX_NUMBER or (
                    self.radix and self.text.segment(node)[:2].lower() in ("0x", "0o", "0b")
                ):
                    raise _Shape
                return ir.Const(v, at, end)
            raise self.fail(node, f"only whole numbers are allowed here, not {v!r}")
        if isinstance(node, ast.BoolOp):
            what = f"'{_word(node.op)}'"
            parts = tuple(self.need(v, depth + 1, True, what) for v in node.values)
            if isinstance(node.op, ast.And):
                return ir.And(parts, at, end)
            return ir.Or(parts, at, end)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return ir.Not(self.need(node.operand, depth + 1, True, "'not'"), at, end)
            if isinstance(node.op, ast.USub):
                return ir.Neg(self.need(node.operand, depth + 1, False, "'-'"), at, end)
            if isinstance(node.op, ast.UAdd):
                return self.need(node.operand, depth + 1, False, "'+'")
            raise self.fail(node, "'~' is not allowed")
        if isinstance(node, ast.BinOp):
            if isinstance(node.op, ast.MatMult):
                return self.has(node, depth, at, end)
            op = _ARITH.get(type(node.op))
            if op is not None:
                a = self.need(node.left, depth + 1, False, "arithmetic")
                b = self.need(node.right, depth + 1, False, "arithmetic")
                return ir.Arith(op, a, b, at, end)
            word = _OP_NAMES.get(type(node.op), "this operator")
            raise self.fail(node, f"'{word}' is not allowed: use + - * and comparisons")
        if isinstance(node, ast.Call):
            return self.call(node, depth, at, end)
        self.check_shape()  # before unparsing, which recurses as deep as the tree goes
        raise self.fail(node, f"'{ast.unparse(node)}' is not allowed in a condition")

    def name(self, node: ast.Name, at: int, end: int) -> ir.Expr:
        n, sym = node.id, self.sym
        if n in sym.stats:
            return ir.Stat(n, at, end)
        if n in sym.flags:
            return ir.Flag(n, at, end)
        if n in sym.slots:
            return ir.SlotName(n, sym.slots[n], at, end)
        if n in CLOCK_WORDS:
            return ir.Clock(n, at, end)  # type: ignore[arg-type]
        if n in TRUTH:
            return ir.Const(TRUTH[n], at, end)
        said = misnamed(n, sym)
        raise self.fail(node, said or f"unknown name '{n}'{did_you_mean(n, sym.all_names())}")

    def has(self, node: ast.BinOp, depth: int, at: int, end: int) -> ir.Expr:
        if not (isinstance(node.left, ast.Name) and node.left.id == HAS):
            raise self.fail(node, "'@' is not allowed")
        if not isinstance(node.right, ast.Name):
            raise self.fail(node.right, "'has' needs an item name")
        _deep(depth + 1)  # the item's name is a level of its own, as in check_shape
        n, sym = node.right.id, self.sym
        if n not in sym.items:
            said = misnamed(n, sym, wanted="item")
            raise self.fail(node.right, said or f"unknown item '{n}'{did_you_mean(n, sym.items)}")
        return ir.Has(n, at, end)

    def compare(self, node: ast.Compare, depth: int, at: int, end: int) -> ir.Expr:
        ops: list[ir.CmpOp] = []
        for cmpop in node.ops:
            word = _CMP.get(type(cmpop))
            if word is None:
                raise self.fail(node, f"'{_word(cmpop)}' is not allowed: use == != < <= > >=")
            ops.append(word)
        operands = [node.left, *node.comparators]
        walked = tuple(self.walk(o, depth + 1) for o in operands)
        boolean = ir.is_bool(walked[0])
        for e, o, op in zip(walked[1:], operands[1:], ops, strict=True):
            if ir.is_bool(e) is not boolean or (boolean and op not in ("==", "!=")):
                raise self.fail(o, "cannot compare a number with true/false")
        return ir.Compare(walked, tuple(ops), at, end)

    def call(self, node: ast.Call, depth: int, at: int, end: int) -> ir.Expr:
        fname = node.func.id if isinstance(node.func, ast.Name) else ""
        if fname != VISITS:
            raise self.fail(node, "the only function is visits(scene_id)")
        if len(node.args) != 1 or node.keywords or not isinstance(node.args[0], ast.Name):
            raise self.fail(node, "visits() takes one scene id")
        _deep(depth + 1)  # so is the scene's
        target = node.args[0].id
        if target not in self.sym.scenes:
            said = misnamed(target, self.sym, wanted="scene")
            hint = did_you_mean(target, self.sym.scenes)
            raise self.fail(node.args[0], said or f"unknown scene '{target}'{hint}")
        return ir.Visits(target, at, end)

    def check_shape(self) -> None:
        """Depth, and numbers written in decimal within MAX_NUMBER, checked without recursion
        over the whole tree; the first problem in the writer's order is raised."""
        text = self.text
        # (node, depth, the nearest node with a place: operators like `not` have none)
        stack: list[tuple[ast.AST, int, ast.AST]] = [(self.tree, 1, self.tree)]
        while stack:
            node, depth, placed = stack.pop()
            if depth > MAX_DEPTH:
                raise ExprError(
                    f"too deeply nested: more than {MAX_DEPTH} levels "
                    "(each operator in a chain like 1+1+1 is one)",
                    text.at(placed),
                )
            if isinstance(node, ast.Constant) and type(node.value) is int:
                written = text.segment(node)
                if written[:2].lower() in ("0x", "0o", "0b"):
                    value = f" ({written} is {node.value:_})" if node.value <= MAX_NUMBER else ""
                    raise ExprError(f"write numbers in decimal{value}", text.at(node))
                if node.value > MAX_NUMBER:
                    raise ExprError(
                        f"number too large: numbers here must be at most {MAX_NUMBER:_}",
                        text.at(node),
                    )
            # leftmost first, so that a long chain is reported where it starts
            for child in reversed(list(ast.iter_child_nodes(node))):
                if isinstance(child, ast.expr):
                    stack.append((child, depth + 1, child))
                else:  # an operator, or a part like a keyword argument: not a level of its own
                    stack.append((child, depth, child if hasattr(child, "col_offset") else placed))


def _deep(depth: int) -> None:
    """A node at `depth` is too deep: `check_shape` will say where."""
    if depth > MAX_DEPTH:
        raise _Shape


def _word(op: ast.AST) -> str:
    return _WORDS.get(type(op), type(op).__name__)


# ---------------------------------------------------------------- effects

_ASSIGN = re.compile(r"^(\s*)([A-Za-z_]\w*)(\s*)(\+=|-=|=)(.*)$", re.S)
_VERB = re.compile(r"^(\s*)(set|clear|give|take)(\s+)([A-Za-z_]\w*)\s*$")
_ADVANCE = re.compile(r"^(\s*)advance(\s+)(?:(to)(\s+)([A-Za-z_]\w*)|([0-9][0-9_]*))\s*$")
_VERBS: dict[str, type[ir.SetFlag | ir.ClearFlag | ir.Give | ir.Take]] = {
    "set": ir.SetFlag,
    "clear": ir.ClearFlag,
    "give": ir.Give,
    "take": ir.Take,
}


def parse_effect(src: str, sym: Symbols) -> ir.Effect:
    """The tree of one effect, or ExprError."""
    if len(src) > MAX_CHARS:
        raise ExprError(f"effect too long: more than {MAX_CHARS:,} characters", 0)
    at, end = len(src) - len(src.lstrip()), len(src.rstrip())
    m = _VERB.match(src)
    if m:
        lead, verb, gap, n = m.group(1), m.group(2), m.group(3), m.group(4)
        table, kind = (sym.flags, "flag") if verb in ("set", "clear") else (sym.items, "item")
        if n not in table:
            said = misnamed(n, sym, wanted=kind, effect=True)
            msg = said or f"unknown {kind} '{n}'{did_you_mean(n, table)}"
            raise ExprError(msg, len(lead) + len(verb) + len(gap))
        return _VERBS[verb](n, at, end)
    m = _ADVANCE.match(src)
    if m:
        gap = len(m.group(1)) + len("advance") + len(m.group(2))
        if m.group(6) is not None:
            digits = m.group(6).replace("_", "")
            if len(digits) > len(str(MAX_NUMBER)) or int(digits) > MAX_NUMBER:
                raise ExprError(f"number too large: at most {MAX_NUMBER:_}", gap)
            return ir.AdvanceBy(int(digits), at, end)
        slot = m.group(5)
        if slot not in sym.slots:
            said = misnamed(slot, sym, wanted="time slot", effect=True)
            msg = said or f"unknown time slot '{slot}'{did_you_mean(slot, sym.slots)}"
            raise ExprError(msg, gap + 2 + len(m.group(4)))
        return ir.AdvanceTo(slot, sym.slots[slot], at, end)
    m = _ASSIGN.match(src)
    if m:
        lead, n, gap, op, rhs = m.groups()
        if n not in sym.stats:
            said = misnamed(n, sym, effect=True)
            raise ExprError(said or f"unknown stat '{n}'{did_you_mean(n, sym.stats)}", len(lead))
        start = len(lead) + len(n) + len(gap) + len(op)
        value = parse_number(rhs, sym, start)
        c = ir.fold(value)  # numbers alone: a slot name is no amount of a stat
        lo, hi = sym.stat_ranges[sym.stats[n]]
        if op == "=" and c is not None and not lo <= c <= hi:
            at_rhs = start + len(rhs) - len(rhs.lstrip())
            raise ExprError(f"{c} is outside {n}'s range {lo}..{hi}", at_rhs)
        return ir.StatAssign(n, op, value, at, end)  # type: ignore[arg-type]
    word = src.strip().split(" ")[0] if src.strip() else ""
    hint = ""
    if word:
        hint = did_you_mean(word, ["set", "clear", "give", "take", "advance"])
    raise ExprError(
        "cannot read effect: expected 'stat += n', 'stat -= n', 'stat = n', 'set flag', "
        f"'clear flag', 'give item', 'take item' or 'advance n'{hint}",
        len(src) - len(src.lstrip()),
    )


# ---------------------------------------------------------------- a name used as another kind

_A = {
    "stat": "a stat",
    "flag": "a flag",
    "item": "an item",
    "time slot": "a time slot",
    "scene": "a scene",
    "place": "a place",
    "ending": "an ending",
}
_CLOCK = {"day": "the day number", "slot": "the time slot", "turn": "the turn count"}
# What to write instead, by what the name is: in a condition, and in an effect.
_IN_CONDITION = {
    "stat": "compare it, e.g. '{n} >= 1'",
    "flag": "write just '{n}'",
    "item": "write 'has {n}'",
    "time slot": "compare the clock, e.g. 'slot >= {n}'",
    "clock": "compare it, e.g. '{example}'",
    "scene": "write 'visits({n}) > 0' for whether the player has been there",
    "place": "a condition cannot name a place; ask 'visits(scene) > 0' of a scene there",
    "ending": "a condition cannot name an ending",
}
_IN_EFFECT = {
    "stat": "write '{n} += 1', '{n} -= 1' or '{n} = 0'",
    "flag": "write 'set {n}' or 'clear {n}'",
    "item": "write 'give {n}' or 'take {n}'",
    "time slot": "write 'advance to {n}'",
    "clock": "move it with 'advance 1' or 'advance to {slot}'",
    "scene": "an effect cannot move the player; write 'goto: {n}' on the choice",
    "place": "an effect cannot name a place",
    "ending": "an ending is reached through a scene with 'ending: {n}'",
}


def _kind(n: str, sym: Symbols) -> str | None:
    if n in sym.stats:
        return "stat"
    if n in sym.flags:
        return "flag"
    if n in sym.items:
        return "item"
    if n in sym.slots:
        return "time slot"
    if n in CLOCK_WORDS:
        return "clock"
    # a plain copy: while a file is unreadable, `scenes` claims to hold every id
    if n in frozenset(sym.scenes):
        return "scene"
    if n in sym.places:
        return "place"
    if n in sym.endings:
        return "ending"
    return None


def misnamed(n: str, sym: Symbols, wanted: str | None = None, effect: bool = False) -> str | None:
    """What `n` names in the world, said where it was used as a `wanted` it is not (or as a
    bare name), with what to write instead; None when it names nothing."""
    kind = _kind(n, sym)
    if kind is None:
        return None
    slot = next(iter(sym.slots), "morning")
    head = f"'{n}' is {_CLOCK.get(n, '') if kind == 'clock' else _A[kind]}"
    if wanted is not None:
        head += f", not {_A[wanted]}"
    example = f"slot >= {slot}" if n == "slot" else f"{n} >= 2"
    advice = (_IN_EFFECT if effect else _IN_CONDITION)[kind]
    return f"{head}: {advice.format(n=n, slot=slot, example=example)}"

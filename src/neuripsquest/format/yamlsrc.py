"""Safe YAML reading that remembers where every value came from.

Files are composed into YAML nodes (libyaml's C parser when present), then turned into plain
Python values by our own constructor, which only ever builds str, int, float, bool, None, list
and dict. The node tree is kept so an error found later (by pydantic or by a cross-reference
check) can be pointed at its exact line and column.
"""

from __future__ import annotations

import bisect
import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

# The node types are part of this module's answer (a Document's `root`): tools that walk the
# tree import them from here, so only format/ imports yaml.
from yaml.nodes import MappingNode as MappingNode
from yaml.nodes import Node as Node
from yaml.nodes import ScalarNode as ScalarNode
from yaml.nodes import SequenceNode as SequenceNode

from neuripsquest.format import yamlhelp
from neuripsquest.problems import Problem

try:  # libyaml is about ten times faster; the pure parser is the same safe grammar.
    from yaml import CSafeLoader as _SafeBase
    from yaml.cyaml import CParser as _C_PARSER  # type: ignore[attr-defined]  # stubs lack it
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeBase  # type: ignore[assignment]

    _C_PARSER = type(None)  # type: ignore[assignment, misc]

# Only a plain scalar starting with one of these can resolve to anything but a string
# (numbers, booleans, null, timestamps, merge and value keys).
_MAY_BE_TYPED = frozenset("0123456789+-.~nNtTfFyYoO<=")


def _fast_loader(base: type) -> type:
    class Loader(base):
        """The safe loader with a shortcut past the implicit-type regexes for ordinary prose,
        which is most of a world file: resolving tags was a third of the time to compose."""

        def resolve(self, kind, value, implicit):
            if kind is ScalarNode and implicit[0] and value and value[0] not in _MAY_BE_TYPED:
                return _STR
            return super().resolve(kind, value, implicit)

    return Loader


_Loader = _fast_loader(_SafeBase)
PURE_LOADER = _fast_loader(yaml.SafeLoader)  # what runs where libyaml is missing

_STR = "tag:yaml.org,2002:str"
_SAFE_SCALARS = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
# Values that look like dates stay strings: no field in our formats is a date.
_AS_TEXT = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:binary", _STR}
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"

_scalar_ctor = yaml.constructor.SafeConstructor()


@dataclass
class Document:
    """One YAML file: its plain data, its node tree and the problems met while reading it."""

    path: str
    data: Any
    root: Node | None
    problems: list[Problem] = field(default_factory=list)

    text: str = ""

    def where(self, loc: Sequence[Any], key: bool = False) -> tuple[int, int]:
        """1-based (line, column) of the value at `loc`, or of its key when `key` is set."""
        return locate(self.root, loc, key)

    def where_in(self, loc: Sequence[Any], offset: int) -> tuple[int, int]:
        """1-based (line, column) of character `offset` inside the string value at `loc`.

        A value written over several lines (a `|` or `>` block, a plain or quoted text that
        wraps) lost its indentation and, when folded, its line breaks as YAML read it: its
        characters are found again in the text written, so the place is the writer's line and
        column. Where an escape (`\\t` in double quotes) hides one, the value's start."""
        node = find(self.root, loc)
        if not isinstance(node, ScalarNode):
            return self.where(loc)
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        # libyaml says '' for a plain scalar where the pure parser says None.
        if node.style in (None, "", "'", '"') and node.start_mark.line == node.end_mark.line:
            return line, col + (1 if node.style else 0) + offset
        starts = _line_starts(self.text)
        first, last = node.start_mark, node.end_mark
        if last.line >= len(starts):
            return line, col
        a, b = starts[first.line] + first.column, starts[last.line] + last.column
        if node.style in ("|", ">"):  # the value starts on the line after the indicator
            nl = _BREAK.search(self.text, a, b)
            a = nl.end() if nl else b
        elif node.style:
            a += 1  # the opening quote
        at = _written_at(node.value, self.text, a, b, offset)
        if at is None:
            return line, col
        n = bisect.bisect_right(starts, at) - 1
        return n + 1, at - starts[n] + 1


class Placed:
    """A read document's places without its node tree or data, for when only problems still
    to be found need them (the loader keeps one of these per scene file once it is
    validated: the trees of a 10,000-scene world would otherwise all be alive at once).

    Where each top-level list item starts (a scene's place, asked for every scene) is kept;
    anything else reads the text again, once, the first time it is asked: the text was read
    cleanly before, so the same tree and the same places come back."""

    __slots__ = ("path", "text", "_items", "_doc")

    def __init__(self, doc: Document) -> None:
        self.path = doc.path
        self.text = doc.text
        root = doc.root
        items = root.value if isinstance(root, SequenceNode) else []
        self._items = [(n.start_mark.line + 1, n.start_mark.column + 1) for n in items]
        self._doc: Document | None = None

    def where(self, loc: Sequence[Any], key: bool = False) -> tuple[int, int]:
        if len(loc) == 1 and isinstance(loc[0], int) and 0 <= loc[0] < len(self._items):
            return self._items[loc[0]]  # as locate() answers: an item's key is itself
        return self._full().where(loc, key)

    def where_in(self, loc: Sequence[Any], offset: int) -> tuple[int, int]:
        return self._full().where_in(loc, offset)

    def _full(self) -> Document:
        if self._doc is None:
            self._doc = Document(
                self.path, None, yaml.compose(self.text, Loader=_Loader), text=self.text
            )
        return self._doc


# Limits that keep a hostile file from hanging or exhausting the loader (docs/world-format.md).
MAX_DEPTH = 50  # collections inside collections; the shipped world needs about eight
ALIAS_ALLOWANCE = 100_000  # values aliases may add beyond what a file's length could hold
MAX_WHOLE = 10**18  # largest whole number a file may hold (stats have a tighter range)
_INT = "tag:yaml.org,2002:int"
_MAX_INT_CHARS = 100  # room for any number within MAX_WHOLE, in any base, with _ separators
# What YAML refuses to read (the same class as PyYAML's reader).
_NON_PRINTABLE = re.compile(
    r"[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]"
)
_TOO_DEEP = f"YAML: nested more than {MAX_DEPTH} levels deep"
_TOO_MANY = (
    "YAML: aliases expand this file past {:,} values (the limit that stops 'billion laughs' "
    "files): write the values out"
)


class NodeBudget:
    """How many values the files read with it may still build, aliases counted every time
    they are used: a few hundred bytes of nested aliases ("billion laughs") would otherwise
    expand to billions. Each file read adds twice its length in characters, more than any
    file without aliases can hold, so only alias expansion can run a budget out."""

    def __init__(self, allowance: int = ALIAS_ALLOWANCE):
        self.left = allowance

    def grant(self, text: str) -> None:
        self.left += 2 * len(text)


class _Refused(Exception):
    """Building stopped at `node`: too deep, or out of budget."""


def read(
    path: str, text: str, loader: type | None = None, budget: NodeBudget | None = None
) -> Document:
    """Parse `text` (the contents of `path`); syntax errors become located problems.

    `budget` is shared by the files of one world; without one, the file gets its own.
    """
    loader = loader or _Loader
    if budget is None:
        budget = NodeBudget()
    budget.grant(text)

    def refused(line: int, col: int, message: str) -> Document:
        return Document(path, None, None, [Problem(path, line, col, message)])

    if not issubclass(loader, _C_PARSER):
        # The pure parser takes quadratic time over nested flow collections (2 s for 2,000
        # '['): find the place in the text before the nesting gets that deep.
        cut = _deep_flow(text)
        if cut is not None:
            with contextlib.suppress(yaml.YAMLError):
                found = _scan(text[:cut], loader, budget.left)
                if found is not None:
                    return refused(*found)
    try:
        root = yaml.compose(text, Loader=loader)
    except yaml.MarkedYAMLError as exc:
        hint = yamlhelp.explain(text, exc, loader)
        if hint is not None:
            return refused(*hint)
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        msg = exc.problem or "invalid YAML"
        if exc.context:
            msg = f"{msg} ({exc.context})"
        return refused(line, col, f"YAML syntax: {msg}")
    except yaml.YAMLError as exc:  # a reader error: a character YAML does not allow
        bad = _NON_PRINTABLE.search(text)
        if bad is None:  # pragma: no cover - every reader error is such a character
            return refused(1, 1, f"YAML: {' '.join(str(exc).split())}")
        return refused(*_line_col(text, bad.start()), _bad_character(bad.group()))
    except RecursionError:  # the pure parser composes recursively; libyaml stops at 1,000
        found = _scan(text, loader, budget.left)
        return refused(*(found or (1, 1, f"YAML: nested more than {MAX_DEPTH} levels deep")))
    doc = Document(path, None, root, text=text)
    if root is not None:
        before = budget.left
        try:
            doc.data = _build(root, doc, budget)
        except _Refused as exc:
            # Out of budget, a bomb file may not leave the next files less than their own
            # length's worth; exactly where to blame comes from the event stream.
            budget.left = 0
            found = _scan(text, loader, before)
            if found is None:  # pragma: no cover - the scan counts as the build does
                m = exc.args[0].start_mark
                found = (m.line + 1, m.column + 1, exc.args[1] or _TOO_MANY.format(before))
            return refused(*found)
    return doc


_BRACKETS = re.compile(r"[\[\]{}]")


def _deep_flow(text: str) -> int | None:
    """Where brackets, counted crudely (quotes and comments too), first nest four times
    deeper than YAML may: the real nesting limit, if any, is met before this point."""
    depth = 0
    for m in _BRACKETS.finditer(text):
        depth += 1 if m.group() in "[{" else -1
        if depth > 4 * MAX_DEPTH:
            return m.end()
        depth = max(depth, 0)
    return None


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _bad_character(ch: str) -> str:
    code = ord(ch)
    kind = "control character" if code < 0x20 or 0x7F <= code < 0xA0 else "character"
    return f"YAML: {kind} U+{code:04X} is not allowed"


def _mark(ev: Any) -> tuple[int, int]:
    """An event's place, 1-based (the parser always marks the events it hands out)."""
    m = ev.start_mark
    return (m.line + 1, m.column + 1) if m is not None else (1, 1)


def _scan(text: str, loader: type, allowed: int) -> tuple[int, int, str] | None:
    """Where the file first nests too deeply, or where an alias first takes it past `allowed`
    values, counting as `_build` does; read from the event stream, which needs no recursion."""
    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # [anchor, values so far] of each open collection
    total = 0
    for ev in yaml.parse(text, Loader=loader):
        if isinstance(ev, yaml.AliasEvent):
            n = sizes.get(ev.anchor or "", 1)
            total += n
            if total > allowed:
                return (*_mark(ev), _TOO_MANY.format(max(allowed, 0)))
        elif isinstance(ev, yaml.ScalarEvent):
            n = 1
            total += 1
            if ev.anchor:
                sizes[ev.anchor] = 1
        elif isinstance(ev, yaml.CollectionStartEvent):
            if len(stack) >= MAX_DEPTH:
                return (*_mark(ev), _TOO_DEEP)
            total += 1
            stack.append([ev.anchor, 1])
            continue
        elif isinstance(ev, yaml.CollectionEndEvent):
            anchor, n = stack.pop()
            if anchor:
                sizes[anchor] = n
        else:
            continue
        if stack:
            stack[-1][1] += n
    return None


def _build(root: Node, doc: Document, budget: NodeBudget) -> Any:
    builder = _Builder(doc, budget.left)
    try:
        return builder.build(root, 0)
    finally:
        budget.left = max(builder.left, 0)


class _Builder:
    """Nodes to plain values. A class rather than a closure: a recursive closure is a
    reference cycle that would keep the node tree alive until the next garbage collection."""

    __slots__ = ("doc", "left", "active")

    def __init__(self, doc: Document, left: int):
        self.doc = doc
        self.left = left
        self.active: set[int] = set()  # collections being built: an alias to one recurses

    def build(self, node: Node, depth: int) -> Any:
        self.left -= 1
        if self.left < 0:
            raise _Refused(node, "")  # read() says where and how many
        if isinstance(node, ScalarNode):
            tag = node.tag
            if tag in _AS_TEXT:
                return node.value
            if tag == _INT:
                return _whole(node, self.doc)
            if tag in _SAFE_SCALARS:
                return _scalar_ctor.yaml_constructors[tag](_scalar_ctor, node)
            _bad_tag(node, self.doc)
            return node.value
        if depth >= MAX_DEPTH:
            raise _Refused(node, _TOO_DEEP)
        key = id(node)
        doc = self.doc
        if key in self.active:  # an alias that contains itself
            doc.problems.append(_at(doc, node, "YAML: a recursive alias is not allowed here"))
            return None
        self.active.add(key)
        depth += 1
        build = self.build
        try:
            if isinstance(node, SequenceNode):
                if node.tag != _SEQ:
                    _bad_tag(node, doc)
                return [build(item, depth) for item in node.value]
            if isinstance(node, MappingNode):
                if node.tag != _MAP:
                    _bad_tag(node, doc)
                out: dict[Any, Any] = {}
                for knode, vnode in node.value:
                    if not isinstance(knode, ScalarNode):
                        doc.problems.append(_at(doc, knode, "YAML: a key must be a plain value"))
                        continue
                    k = build(knode, depth)
                    if not isinstance(k, str):
                        k = knode.value
                    if k in out:
                        doc.problems.append(_at(doc, knode, f"duplicate key '{k}'"))
                    out[k] = build(vnode, depth)
                return out
        finally:
            self.active.discard(key)
        return None  # pragma: no cover - composer only makes the three node kinds


def _whole(node: ScalarNode, doc: Document) -> Any:
    """An integer scalar, refused (kept as its text) when it is too large to be meant."""
    if len(node.value) <= _MAX_INT_CHARS:
        try:
            value = _scalar_ctor.construct_yaml_int(node)
        except ValueError:  # pragma: no cover - the resolver only tags well-formed numbers
            value = MAX_WHOLE + 1
        if -MAX_WHOLE <= value <= MAX_WHOLE:
            return value
    doc.problems.append(
        _at(doc, node, f"number too large: whole numbers must lie within ±{MAX_WHOLE:_}")
    )
    return node.value


def _bad_tag(node: Node, doc: Document) -> None:
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    doc.problems.append(
        _at(doc, node, f"YAML tag '{tag}' is not allowed: world files hold plain data")
    )


def _at(doc: Document, node: Node, message: str) -> Problem:
    m = node.start_mark
    return Problem(doc.path, m.line + 1, m.column + 1, message)


def locate(root: Node | None, loc: Sequence[Any], key: bool = False) -> tuple[int, int]:
    """Follow `loc` (keys and list indexes) as far as it goes and return that node's place.

    Parts that do not name a child (pydantic adds type names to union locations) are skipped,
    so the answer is the deepest node the path reaches: for a missing key, the mapping that
    lacks it.
    """
    if root is None:
        return (1, 1)
    node = root
    key_node: Node | None = None
    for part in loc:
        key_node = None
        if isinstance(node, MappingNode):
            for k, v in node.value:
                if isinstance(k, ScalarNode) and k.value == str(part):
                    node, key_node = v, k
                    break
        elif isinstance(node, SequenceNode) and isinstance(part, int):
            if 0 <= part < len(node.value):
                node = node.value[part]
    target = key_node if key and key_node is not None else node
    m = target.start_mark
    return (m.line + 1, m.column + 1)


def find(root: Node | None, loc: Sequence[Any]) -> Node | None:
    """The node at `loc`, or the deepest one the path reaches."""
    node = root
    for part in loc:
        if isinstance(node, MappingNode):
            node = next((v for k, v in node.value if k.value == str(part)), node)
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
    return node


def mapping_entries(node: Node | None) -> list[tuple[str, Node]]:
    """A mapping node's (key text, value node) pairs; none for anything else."""
    if not isinstance(node, MappingNode):
        return []
    return [(k.value, v) for k, v in node.value if isinstance(k, ScalarNode)]


def span(node: Node) -> tuple[int, int]:
    """Where a node's text starts and ends, as offsets into the file's text."""
    return node.start_mark.index, node.end_mark.index


# What YAML counts as a line break (marks count lines by these).
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_BLANK = " \t\r\n\x85\u2028\u2029"


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in _BREAK.finditer(text))]


def _written_at(value: str, text: str, a: int, b: int, offset: int) -> int | None:
    """Where character `offset` of `value` was written in `text[a:b]`, the scalar's source.

    The two are walked side by side: equal characters pair up; the value's blank stands for
    a run of blanks and line breaks (the indentation YAML strips, the breaks it folds), so
    the source's extra blanks are skipped; any other source character is quoting (`''`, a
    backslash) and skipped too. None when the source runs out first."""
    j = a
    for i in range(min(offset, len(value)) + 1):
        ch = value[i] if i < len(value) else None
        while j < b and ch is not None and text[j] != ch:
            if ch in _BLANK and text[j] in _BLANK:
                break  # this blank is the start of a folded or stripped run
            j += 1
        if j >= b:
            return None if ch is not None else b
        if i == offset:
            return j
        j += 1
    return None

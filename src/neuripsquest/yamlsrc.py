"""Safe YAML reading that remembers where every value came from.

Files are composed into YAML nodes (libyaml's C parser when present), then turned into plain
Python values by our own constructor, which only ever builds str, int, float, bool, None, list
and dict. The node tree is kept so an error found later (by pydantic or by a cross-reference
check) can be pointed at its exact line and column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem

try:  # libyaml is about ten times faster; the pure parser is the same safe grammar.
    from yaml import CSafeLoader as _SafeBase
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _SafeBase  # type: ignore[assignment]

# Only a plain scalar starting with one of these can resolve to anything but a string
# (numbers, booleans, null, timestamps, merge and value keys).
_MAY_BE_TYPED = frozenset("0123456789+-.~nNtTfFyYoO<=")


def _fast_loader(base: type) -> type:
    class Loader(base):  # type: ignore[misc, valid-type]
        """The safe loader with a shortcut past the implicit-type regexes for ordinary prose,
        which is most of a world file: resolving tags was a third of the time to compose."""

        def resolve(self, kind, value, implicit):  # type: ignore[no-untyped-def]
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

        Exact for one-line values and literal (`|`) blocks; elsewhere, the value's start.
        """
        node = find(self.root, loc)
        if not isinstance(node, ScalarNode):
            return self.where(loc)
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        before = node.value[:offset]
        # libyaml says '' for a plain scalar where the pure parser says None.
        if node.style in (None, "", "'", '"') and node.start_mark.line == node.end_mark.line:
            return line, col + (1 if node.style else 0) + offset
        if node.style == "|":
            k = before.count("\n")
            lines = self.text.splitlines()
            src_line = line + 1 + k
            if 0 < src_line <= len(lines):
                raw = lines[src_line - 1]
                indent = len(raw) - len(raw.lstrip(" "))
                return src_line, indent + 1 + len(before) - (before.rfind("\n") + 1)
        return line, col


def read(path: str, text: str, loader: type | None = None) -> Document:
    """Parse `text` (the contents of `path`); syntax errors become located problems."""
    try:
        root = yaml.compose(text, Loader=loader or _Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        msg = exc.problem or "invalid YAML"
        if exc.context:
            msg = f"{msg} ({exc.context})"
        return Document(path, None, None, [Problem(path, line, col, f"YAML syntax: {msg}")])
    except yaml.YAMLError as exc:  # e.g. a reader error on a control character
        mark = getattr(exc, "position", None)
        return Document(path, None, None, [Problem(path, 1, 1, f"YAML: {exc}")])
    doc = Document(path, None, root, text=text)
    if root is not None:
        doc.data = _build(root, doc, set())
    return doc


def _build(node: Node, doc: Document, active: set[int]) -> Any:
    if isinstance(node, ScalarNode):
        tag = node.tag
        if tag in _AS_TEXT:
            return node.value
        if tag in _SAFE_SCALARS:
            return _scalar_ctor.yaml_constructors[tag](_scalar_ctor, node)
        _bad_tag(node, doc)
        return node.value
    key = id(node)
    if key in active:  # an alias that contains itself
        doc.problems.append(_at(doc, node, "YAML: a recursive alias is not allowed here"))
        return None
    active.add(key)
    try:
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                _bad_tag(node, doc)
            return [_build(item, doc, active) for item in node.value]
        if isinstance(node, MappingNode):
            if node.tag != _MAP:
                _bad_tag(node, doc)
            out: dict[Any, Any] = {}
            for knode, vnode in node.value:
                if not isinstance(knode, ScalarNode):
                    doc.problems.append(_at(doc, knode, "YAML: a key must be a plain value"))
                    continue
                k = _build(knode, doc, active)
                if not isinstance(k, str):
                    k = knode.value
                if k in out:
                    doc.problems.append(_at(doc, knode, f"duplicate key '{k}'"))
                out[k] = _build(vnode, doc, active)
            return out
    finally:
        active.discard(key)
    return None  # pragma: no cover - composer only makes the three node kinds


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

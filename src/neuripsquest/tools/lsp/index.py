"""Where every name of a world is declared and used, read from its files' YAML node trees.

Each file is indexed on its own (and the index kept while its text is unchanged); `Index`
puts the files together. Names are found in the source text of each value, not in the parsed
value, so that every place is exact enough to rename: an occurrence whose place cannot be
confirmed (the text there is not the name) is left out rather than guessed.

Namespaces: scene ids; stats, flags, items and clock slots (one namespace, as in the world
format, called "var" here); places; endings; and each scene's choice ids ("choice:SCENE").
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from neuripsquest.format.yamlsrc import MappingNode, Node, ScalarNode, SequenceNode
from neuripsquest.lang.expr import RESERVED
from neuripsquest.lang.names import PLACEHOLDER

SCENE, VAR, PLACE, ENDING = "scene", "var", "place", "ending"
CHOICE = "choice:"  # + scene id

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_HAS = re.compile(r"\bhas\s+([A-Za-z_][A-Za-z0-9_]*)")
_VISITS = re.compile(r"\bvisits\s*\(\s*([A-Za-z_][A-Za-z0-9_]*)")
_NUMBER = re.compile(r"[0-9][0-9_]*")
_LEAD = r"^[\"']?\s*"  # an effect may be written in quotes
_VERB = re.compile(_LEAD + r"(set|clear|give|take)\s+([A-Za-z_][A-Za-z0-9_]*)")
_ADVANCE_TO = re.compile(_LEAD + r"advance\s+to\s+([A-Za-z_][A-Za-z0-9_]*)")
_ASSIGN = re.compile(_LEAD + r"([A-Za-z_][A-Za-z0-9_]*)\s*(?:\+=|-=|=)")
# Words of the language that are not names (stats, flags and items may not use them).
_WORDS = RESERVED | {"advance", "to", "set", "clear", "give", "take"}


@dataclass(frozen=True, slots=True)
class Span:
    """A place on one line: 0-based line, and columns [start, end) in characters."""

    line: int
    start: int
    end: int

    def contains(self, line: int, col: int) -> bool:
        return line == self.line and self.start <= col <= self.end


@dataclass(frozen=True, slots=True)
class Ref:
    ns: str
    name: str
    span: Span
    decl: bool = False


@dataclass
class FileIndex:
    """One file's names: every declaration and use, and what hovering over a name shows."""

    refs: list[Ref] = field(default_factory=list)
    # (namespace, name) -> Markdown shown on hover, for what this file declares
    info: dict[tuple[str, str], str] = field(default_factory=dict)
    old_scene_ids: set[str] = field(default_factory=set)  # renamed_from of its scenes
    is_world: bool = False


class _Text:
    """A file's text with its line starts: node marks and offsets to (line, column)."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0]
        self.starts.extend(m.end() for m in re.finditer("\n", text))

    def offset(self, line: int, column: int) -> int:
        if line >= len(self.starts):
            return len(self.text)
        return self.starts[line] + column

    def span(self, begin: int, end: int) -> Span:
        line = bisect.bisect_right(self.starts, begin) - 1
        return Span(line, begin - self.starts[line], end - self.starts[line])

    def raw(self, node: Node) -> tuple[int, str]:
        """Where a node's source begins, and its source text."""
        begin = self.offset(node.start_mark.line, node.start_mark.column)
        end = self.offset(node.end_mark.line, node.end_mark.column)
        return begin, self.text[begin:end]


class _Indexer:
    def __init__(self, text: str):
        self.t = _Text(text)
        self.out = FileIndex()
        self.seen: set[int] = set()  # an alias (*name) shows the same place again

    def add(self, ns: str, name: str, begin: int, decl: bool = False) -> None:
        end = begin + len(name)
        if self.t.text[begin:end] != name or begin in self.seen:  # not there, or seen
            return
        self.seen.add(begin)
        span = self.t.span(begin, end)
        self.out.refs.append(Ref(ns, name, span, decl))

    def scalar(self, ns: str, node: Node | None, decl: bool = False) -> str | None:
        """A value that is a name as a whole (`goto: x`, a mapping key)."""
        if not isinstance(node, ScalarNode) or not node.value:
            return None
        begin, raw = self.t.raw(node)
        skip = 1 if raw[:1] in ("'", '"') else 0
        self.add(ns, node.value, begin + skip, decl)
        return str(node.value)

    def condition(self, node: Node | None) -> None:
        if isinstance(node, ScalarNode):
            begin, raw = self.t.raw(node)
            self._expression(begin, raw)

    def _expression(self, begin: int, raw: str) -> None:
        taken: set[int] = set()
        for m in _HAS.finditer(raw):
            self.add(VAR, m.group(1), begin + m.start(1))
            taken.add(m.start(1))
        for m in _VISITS.finditer(raw):
            self.add(SCENE, m.group(1), begin + m.start(1))
            taken.add(m.start(1))
        for m in _NAME.finditer(raw):
            if m.start() in taken or m.group() in _WORDS:
                continue
            if m.start() > 0 and (raw[m.start() - 1].isdigit() or raw[m.start() - 1] == "_"):
                continue  # the tail of a number like 1_000
            self.add(VAR, m.group(), begin + m.start())

    def effects(self, node: Node | None) -> None:
        items = node.value if isinstance(node, SequenceNode) else [node]
        for item in items:
            if not isinstance(item, ScalarNode):
                continue
            begin, raw = self.t.raw(item)
            m = _VERB.match(raw) or _ADVANCE_TO.match(raw)
            if m:
                self.add(VAR, m.group(m.lastindex or 1), begin + m.start(m.lastindex or 1))
                continue
            m = _ASSIGN.match(raw)
            if m:
                self.add(VAR, m.group(1), begin + m.start(1))
                self._expression(begin + m.end(), raw[m.end() :])

    def placeholders(self, node: Node | None) -> None:
        if not isinstance(node, ScalarNode):
            return
        begin, raw = self.t.raw(node)
        for m in PLACEHOLDER.finditer(raw):
            if m.group(1) not in ("day", "slot"):
                self.add(VAR, m.group(1), begin + m.start(1))


def _pairs(node: Node | None) -> dict[str, tuple[ScalarNode, Node]]:
    if not isinstance(node, MappingNode):
        return {}
    return {k.value: (k, v) for k, v in node.value if isinstance(k, ScalarNode)}


def _value(node: Node | None, key: str) -> Node | None:
    got = _pairs(node).get(key)
    return got[1] if got else None


def _text(node: Node | None) -> str:
    return str(node.value) if isinstance(node, ScalarNode) else ""


def _items(node: Node | None) -> list[Node]:
    return list(node.value) if isinstance(node, SequenceNode) else []


def index_world_file(root: Node | None, text: str) -> FileIndex:
    ix = _Indexer(text)
    ix.out.is_world = True
    ix.scalar(SCENE, _value(root, "start"))
    clock = _value(root, "clock")
    for slot in _items(_value(clock, "slots")):
        if ix.scalar(VAR, slot, decl=True):
            ix.out.info[(VAR, _text(slot))] = f"time slot `{_text(slot)}`"
    ix.scalar(VAR, _value(_value(clock, "start"), "slot"))
    for section, ns in (
        ("stats", VAR),
        ("flags", VAR),
        ("items", VAR),
        ("places", PLACE),
        ("endings", ENDING),
    ):
        node = _value(root, section)
        # flags may also be a plain list of names
        entries: list[tuple[Node, Node | None]] = [(k, None) for k in _items(node)]
        entries += list(_pairs(node).values())
        for key, decl in entries:
            name = ix.scalar(ns, key, decl=True)
            if name:
                ix.out.info[(ns, name)] = _describe(section, name, decl)
    return ix.out


def _describe(section: str, name: str, decl: Node | None) -> str:
    """What hovering over a declared name shows: its declaration, in words."""
    fields = {k: _text(v) for k, (_, v) in _pairs(decl).items()}
    if section == "stats":
        label = fields.get("label") or name
        lo, hi, init = fields.get("min", "?"), fields.get("max", "?"), fields.get("initial", "?")
        return f"stat `{name}`: **{label}**, from {init}, within {lo}..{hi}"
    if section == "flags":
        note = _text(decl) if isinstance(decl, ScalarNode) else fields.get("note", "")
        return f"flag `{name}`" + (f": {note}" if note else " (bookkeeping, not in the recap)")
    if section == "items":
        out = f"item `{name}`: **{fields.get('name', name)}**"
        return out + (f"\n\n{fields['description']}" if fields.get("description") else "")
    if section == "places":
        return f"place `{name}`: **{fields.get('name', name)}**"
    return f"ending `{name}`: **{fields.get('title', name)}**"


# Keys of a scene, a choice, a random outcome and an input outcome whose texts show
# placeholders (as `world.build` checks them).
_SCENE_TEXTS = ("text", "revisit")


def index_scene_file(root: Node | None, text: str) -> FileIndex:
    ix = _Indexer(text)
    for scene in _items(root):
        sid = ix.scalar(SCENE, _value(scene, "id"), decl=True)
        if sid:
            body = _text(_value(scene, "text")).strip().splitlines()
            first = "\n".join(body[:4]) + ("\n…" if len(body) > 4 else "")
            ix.out.info[(SCENE, sid)] = (
                f"**{_text(_value(scene, 'title')) or sid}** (scene `{sid}`)\n\n{first}"
            )
        earlier = _value(scene, "renamed_from")  # one id, or a list of them
        for old in _items(earlier) or ([earlier] if earlier is not None else []):
            if _text(old):
                ix.out.old_scene_ids.add(_text(old))
        ix.scalar(PLACE, _value(scene, "place"))
        ix.scalar(ENDING, _value(scene, "ending"))
        for key in _SCENE_TEXTS:
            ix.placeholders(_value(scene, key))
        for extra in _items(_value(scene, "extra")):
            ix.condition(_value(extra, "if"))
            ix.placeholders(_value(extra, "text"))
        ix.effects(_value(scene, "on_enter"))
        for choice in _items(_value(scene, "choices")):
            cid = ix.scalar(CHOICE + (sid or ""), _value(choice, "id"), decl=True)
            if sid and cid:
                said = _text(_value(choice, "text"))
                ix.out.info[(CHOICE + sid, cid)] = f"choice `{cid}` of scene `{sid}`: {said}"
            ix.scalar(SCENE, _value(choice, "goto"))
            ix.condition(_value(choice, "if"))
            ix.effects(_value(choice, "do"))
            ix.placeholders(_value(choice, "reply"))
            for outcome in _items(_value(choice, "random")):
                ix.scalar(SCENE, _value(outcome, "goto"))
                ix.effects(_value(outcome, "do"))
                ix.placeholders(_value(outcome, "text"))
        inp = _value(scene, "input")
        ix.scalar(VAR, _value(inp, "store"))
        for outcome in _items(_value(inp, "outcomes")):
            ix.condition(_value(outcome, "if"))
            ix.scalar(SCENE, _value(outcome, "goto"))
            ix.effects(_value(outcome, "do"))
            ix.placeholders(_value(outcome, "reply"))
    return ix.out


class Index:
    """The names of a whole world: its files' indexes, by path."""

    def __init__(self, files: dict[str, FileIndex]):
        self.files = files
        self._by_name: dict[tuple[str, str], list[tuple[str, Ref]]] = {}
        for path, fi in files.items():
            for ref in fi.refs:
                self._by_name.setdefault((ref.ns, ref.name), []).append((path, ref))

    def at(self, path: str, line: int, col: int) -> Ref | None:
        fi = self.files.get(path)
        if fi is None:
            return None
        return next((r for r in fi.refs if r.span.contains(line, col)), None)

    def refs(self, ns: str, name: str) -> list[tuple[str, Ref]]:
        return list(self._by_name.get((ns, name), []))

    def decls(self, ns: str, name: str) -> list[tuple[str, Ref]]:
        return [(p, r) for p, r in self.refs(ns, name) if r.decl]

    def names(self, ns: str, kind: str | None = None) -> list[str]:
        """Declared names of a namespace; for VAR, `kind` picks stats, flags, items or slots."""
        out = {
            name
            for (n, name), refs in self._by_name.items()
            if n == ns and any(r.decl for _, r in refs)
        }
        if kind is not None:
            out = {n for n in out if self.info(ns, n).startswith(kind)}
        return sorted(out)

    def info(self, ns: str, name: str) -> str:
        for fi in self.files.values():
            got = fi.info.get((ns, name))
            if got is not None:
                return got
        return ""

    def taken(self, ns: str) -> set[str]:
        """Names a rename may not choose in a namespace: those in use, and earlier scene ids."""
        used = {name for (n, name) in self._by_name if n == ns}
        if ns == SCENE:
            for fi in self.files.values():
                used |= fi.old_scene_ids
        return used

    def walk(self) -> Iterator[tuple[str, Ref]]:
        for path, fi in self.files.items():
            for ref in fi.refs:
                yield path, ref


def index_file(root: Any, text: str, is_world: bool) -> FileIndex:
    return index_world_file(root, text) if is_world else index_scene_file(root, text)

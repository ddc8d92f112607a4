"""What names fit where the cursor is, read from the line being typed.

The file is usually not valid YAML while a writer types, so the context comes from the text
before the cursor on its line (and, for an item of a block list, the key the list is under),
not from the parsed document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from neuripsquest.tools.lsp.index import ENDING, PLACE, SCENE, VAR, Index


@dataclass(frozen=True)
class Item:
    label: str
    kind: str  # scene, stat, flag, item, slot, place, ending, keyword, verb
    detail: str = ""
    insert: str | None = None  # when it differs from the label


_W = r"[a-z0-9_]*"
# The last `key: value` on the line: its value runs to the cursor.
_NAME_KEY = re.compile(r"(?:^|[\s{,])(goto|start|place|ending|store):\s*([\"']?)(" + _W + r")$")
_IF_KEY = re.compile(r"(?:^|[\s{,])if:\s*(.*)$")
_DO_KEY = re.compile(r"(?:^|[\s{,])(do|on_enter):\s*(.*)$")
_LIST_ITEM = re.compile(r"^(\s*)-\s+(.*)$")
_KEY_LINE = re.compile(r"^(\s*)(?:-\s+)?([a-z_]+):\s*(?:#.*)?$")
# `{` that opens a flow mapping (after `- `, `: `, `[` or `,`), not a placeholder in prose
_FLOW = re.compile(r"(?:^\s*(?:-\s*)?|:\s*|[\[,]\s*)\{" + _W + r"$")
_PLACEHOLDER = re.compile(r"\{(" + _W + r")$")


def complete(index: Index, lines: list[str], line: int, col: int) -> list[Item]:
    if line >= len(lines):
        return []
    prefix = lines[line][:col]
    m = _NAME_KEY.search(prefix)
    if m:
        key = m.group(1)
        if key in ("goto", "start"):
            return _scenes(index)
        if key == "store":
            return _vars(index, "stat")
        ns = PLACE if key == "place" else ENDING
        return [Item(n, ns, index.info(ns, n)) for n in index.names(ns)]
    m = _IF_KEY.search(prefix)
    if m:
        return condition(index, m.group(1))
    m = _DO_KEY.search(prefix)
    if m:
        value = m.group(2)
        return effect(index, re.split(r"[\[,]", value)[-1])
    m = _LIST_ITEM.match(prefix)
    if m and _parent_key(lines, line, len(m.group(1))) in ("do", "on_enter"):
        return effect(index, m.group(2))
    if _PLACEHOLDER.search(prefix) and not _FLOW.search(prefix):
        out = _vars(index, "stat")
        out += [
            Item("day", "keyword", "the day's name"),
            Item("slot", "keyword", "the slot's name"),
        ]
        return out
    return []


def _parent_key(lines: list[str], line: int, indent: int) -> str | None:
    """The key a block list item at `indent` belongs to: the nearest line above that is less
    indented (or a `key:` line at the same indent, as YAML allows) and ends with `key:`."""
    for k in range(line - 1, -1, -1):
        text = lines[k]
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        m = _KEY_LINE.match(text)
        own = len(text) - len(text.lstrip())
        if m and own <= indent:
            return m.group(2)
        if own < indent or (own == indent and not text.lstrip().startswith("-")):
            return None
    return None


def condition(index: Index, expr: str) -> list[Item]:
    if re.search(r"\bhas\s+" + _W + "$", expr):
        return _vars(index, "item")
    if re.search(r"\bvisits\s*\(\s*" + _W + "$", expr):
        return _scenes(index)
    if re.search(r"\bslot\s*(?:==|!=|<=|>=|<|>)\s*" + _W + "$", expr):
        return _vars(index, "time slot")
    out = _vars(index, "stat") + _vars(index, "flag")
    out += [
        Item("has", "keyword", "has ITEM: the player carries it", "has "),
        Item("visits", "keyword", "visits(scene): how often it was entered", "visits("),
        Item("day", "keyword", "the day, 1 for the first"),
        Item("slot", "keyword", "the time slot (compare with slot names)"),
        Item("turn", "keyword", "steps taken so far"),
    ]
    out += [Item(w, "keyword") for w in ("not", "and", "or", "true", "false")]
    return out


_VERBS = [
    Item("set", "verb", "set FLAG", "set "),
    Item("clear", "verb", "clear FLAG", "clear "),
    Item("give", "verb", "give ITEM", "give "),
    Item("take", "verb", "take ITEM", "take "),
    Item("advance", "verb", "advance N, or advance to SLOT", "advance "),
]


def effect(index: Index, text: str) -> list[Item]:
    """Names for the effect being typed: `text` is what comes before the cursor."""
    text = text.lstrip(" \"'")
    if re.match(r"(?:set|clear)\s+" + _W + "$", text):
        return _vars(index, "flag")
    if re.match(r"(?:give|take)\s+" + _W + "$", text):
        return _vars(index, "item")
    if re.match(r"advance\s+to\s+" + _W + "$", text):
        return _vars(index, "time slot")
    if re.match(r"advance\s+" + _W + "$", text):
        return [Item("to", "keyword", "advance to SLOT", "to ")]
    m = re.match(r"[A-Za-z_]\w*\s*(?:\+=|-=|=)(.*)$", text)
    if m:
        return _vars(index, "stat")
    if re.match(_W + "$", text):
        return _VERBS + _vars(index, "stat")
    return []


def _scenes(index: Index) -> list[Item]:
    out = []
    for sid in index.names(SCENE):
        title = index.info(SCENE, sid).split("\n", 1)[0]
        out.append(Item(sid, "scene", title))
    return out


def _vars(index: Index, kind: str) -> list[Item]:
    word = kind.split()[-1]  # "time slot" -> "slot"
    return [Item(n, word, index.info(VAR, n)) for n in index.names(VAR, kind)]

"""Translation files: what one may contain, read with a place for every entry, and written.

A translation file is a YAML mapping from a string's key (see `core/localise.py`) to

    from: 3f2a9c1e        # the short hash of the English it was translated from
    text: 展覽大廳         # the translation
    todo: true            # optional: not translated yet (`text` is still the English)

`from` lets `l10n status` tell a translation whose English changed since (stale) from one
that is current, without keeping a copy of the English in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from neuripsquest.format import yamlsrc
from neuripsquest.problems import Problem

HASH_LENGTH = 8
_HASH = re.compile(rf"^[0-9a-f]{{{HASH_LENGTH}}}$")
_KEY = re.compile(r"^[a-z0-9_]+(\.[A-Za-z0-9_]+)+$")
FIELDS = ("from", "text", "todo")


def short_hash(text: str) -> str:
    """What a translation records of the English it was made from."""
    import hashlib  # not at import: OpenSSL's start is 3 ms of every start of the game

    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LENGTH]


@dataclass(frozen=True, slots=True)
class Entry:
    key: str
    text: str
    source: str  # the `from` hash
    todo: bool
    path: str
    line: int  # of the key
    column: int

    def where(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


def read(path: str, text: str) -> tuple[list[Entry], list[Problem]]:
    """The entries of one translation file, in file order, and its problems, located."""
    doc = yamlsrc.read(path, text)
    if doc.problems:
        return [], list(doc.problems)
    if doc.data is None:
        return [], []
    if not isinstance(doc.data, dict):
        line, col = doc.where([])
        return [], [Problem(path, line, col, "a translation file is a mapping of keys")]
    entries: list[Entry] = []
    problems: list[Problem] = []
    for key, value in doc.data.items():
        line, col = doc.where([key], key=True)

        def bad(message: str, loc: list[Any], line: int = line, col: int = col) -> None:
            at = doc.where(loc) if loc else (line, col)
            problems.append(Problem(path, at[0], at[1], message))

        if not isinstance(key, str) or not _KEY.match(key):
            bad(f"'{key}' is not a string key (like scene.text or scene.choice.id.text)", [])
            continue
        if not isinstance(value, dict):
            bad(f"{key}: expected 'from' and 'text'", [key])
            continue
        unknown = [k for k in value if k not in FIELDS]
        if unknown:
            bad(f"{key}: unknown field '{unknown[0]}' (expected from, text, todo)", [key])
            continue
        source, shown, todo = value.get("from"), value.get("text"), value.get("todo", False)
        if not isinstance(shown, str):
            bad(f"{key}: 'text' must be text", [key, "text"] if "text" in value else [key])
            continue
        if not isinstance(source, str) or not _HASH.match(source):
            where = [key, "from"] if "from" in value else [key]
            bad(f"{key}: 'from' must be the {HASH_LENGTH}-character hash of the English", where)
            continue
        if not isinstance(todo, bool):
            bad(f"{key}: 'todo' must be true or false", [key, "todo"])
            continue
        entries.append(Entry(key, shown, source, todo, path, line, col))
    return entries, problems


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Prose keeps its lines as written (a literal block) so a translator edits it in place.
    style = "|" if "\n" in value.rstrip("\n") or value.endswith("\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def entry_text(key: str, english: str, todo: bool = True) -> str:
    """The YAML of a new entry: the English as a visible TODO."""
    body: dict[str, Any] = {"from": short_hash(english)}
    if todo:
        body["todo"] = True
    body["text"] = english
    return yaml.dump({key: body}, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)

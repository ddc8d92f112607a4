"""The shape of validated world files as `model.py`'s pydantic models dump them, checked in
plain code, for entries of the validated-world cache.

The cache exists so that starting the game does not import pydantic; an entry read back is
held to the same shape rules here (types, required keys, no unknown keys, name patterns,
`weight >= 1`, non-empty lists), and `world.build` then runs every cross-file check on it.
The rules may be stricter than pydantic's, never looser: tests compare the two, and check
that every model field is listed here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]
_IDENT = re.compile(r"[a-z][a-z0-9_]*").fullmatch  # pydantic's `$` is end of text


def _text(v: Any) -> bool:
    return type(v) is str


def _ident(v: Any) -> bool:
    return type(v) is str and _IDENT(v) is not None


def _whole(v: Any) -> bool:
    return type(v) is int


def _at_least(n: int) -> Check:
    return lambda v: type(v) is int and v >= n


def _flag(v: Any) -> bool:
    return type(v) is bool


def _optional(check: Check) -> Check:
    return lambda v: v is None or check(v)


def _list(check: Check, min_length: int = 0) -> Check:
    return lambda v: type(v) is list and len(v) >= min_length and all(map(check, v))


def _table(key: Check, value: Check, min_length: int = 0) -> Check:
    return lambda v: (
        type(v) is dict and len(v) >= min_length and all(key(k) and value(x) for k, x in v.items())
    )


class Obj:
    """A model's dump: exactly these keys, each value passing its check."""

    def __init__(self, model: str, fields: dict[str, Check]):
        self.model = model
        self.fields = fields
        self._keys = set(fields)
        self._items = tuple(fields.items())

    def __call__(self, v: Any) -> bool:
        return (
            type(v) is dict
            and v.keys() == self._keys
            and all(check(v[k]) for k, check in self._items)
        )


CLOCK_START = Obj("ClockStart", {"day": _at_least(1), "slot": _optional(_ident)})
CLOCK = Obj("Clock", {"days": _list(_text, 1), "slots": _list(_ident, 1), "start": CLOCK_START})
PLACE = Obj("Place", {"name": _text, "description": _text})
_OLD_NAMES = _list(_ident)
STAT = Obj(
    "Stat",
    {
        "initial": _whole,
        "min": _whole,
        "max": _whole,
        "label": _optional(_text),
        "renamed_from": _OLD_NAMES,
    },
)
ITEM = Obj("Item", {"name": _text, "description": _text, "renamed_from": _OLD_NAMES})
FLAG = Obj("Flag", {"note": _text, "renamed_from": _OLD_NAMES})
ENDING = Obj("Ending", {"title": _text, "description": _text})
WORLD_FILE = Obj(
    "WorldFile",
    {
        "title": _text,
        "start": _ident,
        "clock": CLOCK,
        "places": _table(_ident, PLACE),
        "stats": _table(_ident, STAT),
        "flags": _table(_ident, lambda v: _text(v) or FLAG(v)),
        "items": _table(_ident, ITEM),
        "endings": _table(_ident, ENDING, 1),
    },
)
EXTRA = Obj("Extra", {"if_": _text, "text": _text})
OUTCOME = Obj(
    "Outcome", {"weight": _at_least(1), "goto": _ident, "do": _list(_text), "text": _text}
)
CHOICE = Obj(
    "Choice",
    {
        "id": _optional(_ident),
        "text": _text,
        "if_": _optional(_text),
        "disabled": _optional(_text),
        "once": _flag,
        "do": _list(_text),
        "reply": _text,
        "goto": _optional(_ident),
        "random": _optional(_list(OUTCOME, 1)),
    },
)
INPUT_OUTCOME = Obj(
    "InputOutcome",
    {"if_": _optional(_text), "goto": _ident, "do": _list(_text), "reply": _text},
)
INPUT = Obj(
    "Input",
    {
        "kind": lambda v: v == "money" and type(v) is str,
        "prompt": _text,
        "hint": _text,
        "store": _ident,
        "outcomes": _list(INPUT_OUTCOME, 1),
    },
)
SCENE = Obj(
    "Scene",
    {
        "id": _ident,
        "title": _text,
        "place": _optional(_ident),
        "text": _text,
        "revisit": _optional(_text),
        "extra": _list(EXTRA),
        "on_enter": _list(_text),
        "choices": _list(CHOICE),
        "input": _optional(INPUT),
        "ending": _optional(_ident),
        "renamed_from": _OLD_NAMES,
        "checkpoint": _flag,
    },
)
MODELS = (
    CLOCK_START,
    CLOCK,
    PLACE,
    STAT,
    ITEM,
    FLAG,
    ENDING,
    WORLD_FILE,
    EXTRA,
    OUTCOME,
    CHOICE,
    INPUT_OUTCOME,
    INPUT,
    SCENE,
)


def _file(v: Any) -> bool:
    return type(v) is list and len(v) == 2 and _text(v[0]) and _list(SCENE)(v[1])


CONTENTS = Obj(
    "cache entry",
    {"fingerprint": _text, "world_path": _text, "world": WORLD_FILE, "files": _list(_file)},
)

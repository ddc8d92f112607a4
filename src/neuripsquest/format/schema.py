"""`neuripsquest schema`: JSON Schemas of the world files, generated from the pydantic models.

Editors with the YAML language server complete and check world files against them: the
shipped files start with a `# yaml-language-server: $schema=...` comment pointing at the
copies in `schema/` (`neuripsquest schema --write schema` regenerates them, and a test keeps
them in step with the models).

The models accept a few shorthands through validators that a generated schema cannot see
(`do: energy -= 1` for a one-effect list, `if: true` as a YAML boolean, flags as a plain list,
`renamed_from: old_id` for a list of one earlier name);
those fields are widened here to what the loader really accepts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

DIALECT = "https://json-schema.org/draft/2020-12/schema"
FILES = {
    "world": "world.schema.json",
    "scenes": "scenes.schema.json",
    "playthrough": "playthrough.schema.json",
}

_EFFECTS = {
    "anyOf": [
        {"type": "string"},
        {"type": "array", "items": {"type": "string"}},
        {"type": "null"},
    ],
    "description": "effects, e.g. `energy -= 1`, `set met_vc`, `give pretzel`, `advance 1`: "
    "a list, or one effect as a string",
}
_OLD_NAMES_HELP = (
    "earlier names (one, or a list): saves made when it had them still load; an earlier "
    "name must be one no longer in use"
)
_CONDITION = {
    "anyOf": [{"type": "string"}, {"type": "boolean"}],
    "description": "a condition, e.g. `energy >= 3 and not met_hinton`, `has pretzel`, "
    "`day == 3 and slot >= evening`",
}

# Help shown by editors on hover, for fields the models leave undescribed.
_HELP = {
    ("WorldFile", "title"): "the game's title",
    ("WorldFile", "places"): "where scenes happen; the map and the graph group by these",
    ("WorldFile", "stats"): "whole numbers, always clamped into [min, max]",
    ("WorldFile", "flags"): "true/false facts, all false at the start; name: what it records "
    "(or name: {note: ..., renamed_from: ...})",
    ("WorldFile", "items"): "things the player carries",
    ("WorldFile", "endings"): "every ending scene names one of these",
    ("Scene", "id"): "unique across the whole world: lower-case letters, digits and _",
    ("Scene", "text"): "Markdown prose; {stat} shows a stat, {day} and {slot} the time",
    ("Scene", "extra"): "paragraphs shown only when their condition holds",
    ("Scene", "choices"): "a scene has exactly one of choices, input or ending",
    ("Scene", "input"): "ask the player to type an amount of money",
    ("Scene", "ending"): "the id of an ending declared in world.yaml",
    ("Scene", "place"): "the id of a place declared in world.yaml",
    ("Flag", "note"): "what the flag records",
    ("Choice", "id"): "optional when the choice's goto is unique in its scene",
    ("Choice", "once"): "the choice disappears once it has been taken",
    ("Choice", "goto"): "the id of the scene this choice leads to",
    ("Choice", "random"): "a weighted draw from the game's seeded random generator",
    ("Outcome", "weight"): "relative chance of this outcome",
    ("InputOutcome", "if"): "the first outcome whose condition holds wins; the last has none",
}


def _widen(schema: dict[str, Any], models: list[type[BaseModel]]) -> dict[str, Any]:
    """Describe the validator shorthands the models accept, and add the help texts."""
    from neuripsquest.format import model

    defs = schema.get("$defs", {})
    for cls in models:
        name = cls.__name__
        target = schema if defs.get(name) is None and schema.get("title") == name else defs[name]
        props = target.get("properties", {})
        for field, info in cls.model_fields.items():
            key = info.alias or field
            if key not in props:
                continue
            funcs = {getattr(m, "func", None) for m in info.metadata}
            for arg in getattr(info.annotation, "__args__", ()) or ():
                funcs |= {getattr(m, "func", None) for m in getattr(arg, "__metadata__", ())}
            prop = props[key]
            if model._as_list in funcs:
                props[key] = {**_EFFECTS, "default": []}
            elif model._as_text in funcs:
                optional = "anyOf" in prop and {"type": "null"} in prop["anyOf"]
                cond = json.loads(json.dumps(_CONDITION))
                if optional:
                    cond["anyOf"].append({"type": "null"})
                props[key] = cond
            elif model._as_names in funcs:
                name_schema = {"type": "string", **_item_pattern(prop)}
                props[key] = {
                    "anyOf": [
                        name_schema,
                        {"type": "array", "items": name_schema},
                        {"type": "null"},
                    ],
                    "default": [],
                    "description": _OLD_NAMES_HELP,
                }
            elif model._flags in funcs:
                props[key] = {
                    "anyOf": [
                        prop,
                        {"type": "array", "items": {"type": "string", **_name_pattern(prop)}},
                    ],
                    "description": _HELP[("WorldFile", "flags")],
                }
            help_text = _HELP.get((name, key))
            if help_text and "description" not in props[key]:
                props[key]["description"] = help_text
    return schema


def _item_pattern(prop: dict[str, Any]) -> dict[str, str]:
    pattern = prop.get("items", {}).get("pattern")
    return {"pattern": pattern} if pattern else {}


def _name_pattern(prop: dict[str, Any]) -> dict[str, str]:
    for pattern in prop.get("patternProperties", {}):
        return {"pattern": pattern}
    return {}


def generate(kind: str) -> dict[str, Any]:
    from pydantic import TypeAdapter

    from neuripsquest.format import model, playthrough

    models: list[type[BaseModel]] = [
        model.WorldFile,
        model.Stat,
        model.Flag,
        model.Item,
        model.Scene,
        model.Choice,
        model.Outcome,
        model.Extra,
        model.Input,
        model.InputOutcome,
    ]
    if kind == "world":
        schema = model.WorldFile.model_json_schema(by_alias=True)
        title = "NeurIPS Quest world.yaml"
    elif kind == "scenes":
        schema = TypeAdapter(list[model.Scene]).json_schema(by_alias=True)
        schema["description"] = "A scene file: a list of scenes."
        title = "NeurIPS Quest scene file"
    elif kind == "playthrough":
        schema = playthrough.PlaythroughFile.model_json_schema(by_alias=True)
        title = "NeurIPS Quest playthrough"
        models = []
    else:
        raise ValueError(f"unknown schema kind {kind!r}")
    schema = _widen(schema, [m for m in models if _mentions(schema, m.__name__)])
    return {"$schema": DIALECT, "$id": FILES[kind], **schema, "title": title}


def _mentions(schema: dict[str, Any], name: str) -> bool:
    return name in schema.get("$defs", {}) or schema.get("title") == name


def text(kind: str) -> str:
    return json.dumps(generate(kind), indent=2, ensure_ascii=False) + "\n"


def run(kind: str, write: str | None, check: str | None, out: IO[str], err: IO[str]) -> int:
    if check is not None:
        stale = []
        for k, name in FILES.items():
            path = Path(check) / name
            try:
                current = path.read_text(encoding="utf-8")
            except OSError:
                current = ""
            if current != text(k):
                stale.append(str(path))
        for shown in stale:
            err.write(f"{shown}: out of date (run `neuripsquest schema --write {check}`)\n")
        return 1 if stale else 0
    if write is not None:
        folder = Path(write)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for k, name in FILES.items():
                (folder / name).write_text(text(k), encoding="utf-8")
        except OSError as exc:
            err.write(f"{write}: cannot write: {exc.strerror or exc}\n")
            return 1
        err.write(f"Wrote {', '.join(str(folder / n) for n in FILES.values())}\n")
        return 0
    out.write(text(kind))
    return 0

"""Endings discovered across runs, per world, in `_endings.json` in the saves folder.

A damaged file counts as empty and is replaced on the next discovery; the leading underscore
keeps it out of the save-slot list and safe from a slot of the same name.
"""

from __future__ import annotations

import json
from pathlib import Path

from neuripsquest.store import saves

ENDINGS_FILE = "_endings.json"
_FORMAT = "neuripsquest-endings"


def _read(folder: Path) -> dict[str, list[str]]:
    try:
        blob = json.loads((folder / ENDINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    if not isinstance(blob, dict) or blob.get("format") != _FORMAT:
        return {}
    worlds = blob.get("worlds")
    if not isinstance(worlds, dict):
        return {}
    return {
        str(title): [e for e in found if isinstance(e, str)]
        for title, found in worlds.items()
        if isinstance(found, list)
    }


def discovered(folder: Path, world_title: str) -> set[str]:
    return set(_read(folder).get(world_title, []))


def record(folder: Path, world_title: str, ending: str) -> set[str]:
    """Add an ending; returns the endings found so far. Raises saves.SaveError on a write error."""
    worlds = _read(folder)
    found = worlds.setdefault(world_title, [])
    if ending not in found:
        found.append(ending)
        saves.write_json_atomic(
            folder / ENDINGS_FILE, {"format": _FORMAT, "version": 1, "worlds": worlds}
        )
    return set(found)

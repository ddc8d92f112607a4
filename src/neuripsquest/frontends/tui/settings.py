"""Player settings, kept as JSON in the saves folder. Pure: no Textual here.

The file is `_settings.json`: the leading underscore keeps it out of the save-slot list
(`saves.list_slots` only lists names that start with a letter or digit) and means no save
slot can ever overwrite it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, Literal

from neuripsquest.store import saves

SETTINGS_FILE = "_settings.json"
TextSpeed = Literal["instant", "typewriter"]
SPEEDS: tuple[TextSpeed, ...] = ("typewriter", "instant")
Panel = Literal["auto", "shown", "hidden"]
PANELS: tuple[Panel, ...] = ("auto", "shown", "hidden")
DEFAULT_THEME = "textual-dark"


@dataclass(frozen=True)
class Settings:
    theme: str = DEFAULT_THEME
    text_speed: TextSpeed = "typewriter"
    reduced_motion: bool = False
    panel: Panel = "auto"  # the side panel: shown from 100 columns, or as the player set it

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @property
    def instant_text(self) -> bool:
        return self.text_speed == "instant" or self.reduced_motion


def load(folder: Path) -> Settings:
    """The saved settings; a missing, damaged or odd file gives the defaults for what is odd."""
    try:
        blob = json.loads((folder / SETTINGS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return Settings()
    if not isinstance(blob, dict):
        return Settings()
    base = Settings()
    theme = blob.get("theme")
    speed = blob.get("text_speed")
    motion = blob.get("reduced_motion")
    panel = blob.get("panel")
    return Settings(
        theme=theme if isinstance(theme, str) and theme else base.theme,
        text_speed=speed if speed in SPEEDS else base.text_speed,
        reduced_motion=motion if isinstance(motion, bool) else base.reduced_motion,
        panel=panel if panel in PANELS else base.panel,
    )


def save(folder: Path, settings: Settings) -> None:
    """Write atomically; raises saves.SaveError with a one-line message."""
    saves.write_json_atomic(folder / SETTINGS_FILE, asdict(settings))

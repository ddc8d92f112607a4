"""Player settings, kept as JSON in the saves folder. Pure: no Textual here.

The file is `_settings.json`: the leading underscore keeps it out of the save-slot list
(`saves.list_slots` only lists names that start with a letter or digit) and means no save
slot can ever overwrite it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from neuripsquest import i18n
from neuripsquest.records import Record
from neuripsquest.store import saves

SETTINGS_FILE = saves.SETTINGS_FILE
TextSpeed = Literal["instant", "typewriter"]
SPEEDS: tuple[TextSpeed, ...] = ("typewriter", "instant")
Panel = Literal["auto", "shown", "hidden"]
PANELS: tuple[Panel, ...] = ("auto", "shown", "hidden")
DEFAULT_THEME = "textual-dark"


class Settings(Record):
    """What the player chose (a record, not a dataclass: read before the title screen's
    first frame, where a dataclass takes ~0.5 ms to make)."""

    theme: str = DEFAULT_THEME
    text_speed: TextSpeed = "typewriter"
    reduced_motion: bool = False
    panel: Panel = "auto"  # the side panel: shown from 100 columns, or as the player set it
    # The interface language (i18n.LANGUAGES), or None: not chosen here, so --lang or the
    # environment decides. Read at start-up (cli), so a change applies from the next start.
    language: str | None = None

    def with_(self, **changes: Any) -> Settings:
        return self._replace(**changes)

    @property
    def instant_text(self) -> bool:
        return self.text_speed == "instant" or self.reduced_motion


def load(folder: Path) -> Settings:
    """The saved settings; a missing, damaged or odd file gives the defaults for what is odd."""
    blob = saves.settings_blob(folder)
    base = Settings()
    theme = blob.get("theme")
    speed = blob.get("text_speed")
    motion = blob.get("reduced_motion")
    panel = blob.get("panel")
    lang = blob.get("language")
    return Settings(
        theme=theme if isinstance(theme, str) and theme else base.theme,
        text_speed=speed if speed in SPEEDS else base.text_speed,
        reduced_motion=motion if isinstance(motion, bool) else base.reduced_motion,
        panel=panel if panel in PANELS else base.panel,
        language=lang if lang in i18n.LANGUAGES else None,
    )


def save(folder: Path, settings: Settings) -> None:
    """Write atomically; raises saves.SaveError with a one-line message."""
    blob: dict[str, Any] = settings._asdict()
    if blob["language"] is None:  # not chosen: no key, and the locale decides at each start
        del blob["language"]
    saves.write_json_atomic(folder / SETTINGS_FILE, blob)

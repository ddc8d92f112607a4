"""Every key the game answers to, in one table: the bindings and the help screen use it."""

from __future__ import annotations

# (key as shown to the player, what it does)
GAME_KEYS: list[tuple[str, str]] = [
    ("1 – 9", "Take that choice"),
    ("↑ ↓ Enter", "Move through the choices and take one (or click it)"),
    ("u", "Undo the last step (again and again, as far as the history goes)"),
    ("s", "Save to a named slot"),
    ("l", "Load a slot (d deletes one)"),
    ("j", "Journal: everything that happened so far"),
    ("m", "Map of San Diego: where you have been"),
    ("p", "Show or hide the side panel (stats, items)"),
    ("o", "Settings: theme, text speed, reduced motion"),
    ("?", "This help"),
    ("q", "Quit (asks first; your progress is autosaved)"),
    ("Ctrl+P", "Command palette: every command by name"),
    ("PgUp PgDn", "Scroll a long scene (the choices stay where they are)"),
    ("Esc", "Close a window; at a typed answer, leave the box for the keys above"),
    ("Tab", "Back into the answer box"),
    ("Ctrl+Z", "Undo, even while typing an answer"),
    ("Space", "Show the rest of a scene that is still typing out (Enter and Esc too)"),
]

ENDING_KEYS: list[tuple[str, str]] = [
    ("n", "New game"),
    ("u", "Undo: go back before the ending"),
    ("j", "Journal of the run"),
    ("l", "Load a saved game"),
    ("m", "Map of where you went"),
    ("q", "Quit"),
]

# Only with play --debug (the help screen lists them then).
DEBUG_KEYS: list[tuple[str, str]] = [
    ("Shift+D", "Debug window: every value, set them (name=value), jump to a scene"),
    ("Esc", "At a typed answer, leave the box first: there D is a letter"),
]

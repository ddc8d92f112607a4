"""Every key the game answers to, in one table: the bindings and the help screen use it."""

from __future__ import annotations

from neuripsquest.i18n import N_

# (key as shown to the player, what it does)
GAME_KEYS: list[tuple[str, str]] = [
    (
        "1 – 9",
        N_("Take that choice; with ten or more, type both digits (1 2 for 12), or 1 and Enter"),
    ),
    ("↑ ↓ Enter", N_("Move through the choices and take one (or click it)")),
    ("u", N_("Undo the last step (again and again, as far as the history goes)")),
    ("s", N_("Save to a named slot")),
    ("l", N_("Load a slot (d deletes one)")),
    ("j", N_("Journal: everything that happened so far")),
    ("m", N_("Map of San Diego: where you have been")),
    ("p", N_("Show or hide the side panel (stats, items)")),
    ("o", N_("Settings: theme, text speed, reduced motion, language")),
    ("?", N_("This help")),
    ("q", N_("Quit (asks first; your progress is autosaved)")),
    ("Ctrl+P", N_("Command palette: every command by name")),
    ("PgUp PgDn", N_("Scroll a long scene (the choices stay where they are)")),
    ("Esc", N_("Close a window; at a typed answer, leave the box for the keys above")),
    ("Tab", N_("Back into the answer box")),
    ("Ctrl+Z", N_("Undo, even while typing an answer")),
    ("Space", N_("Show the rest of a scene that is still typing out (Enter and Esc too)")),
]

ENDING_KEYS: list[tuple[str, str]] = [
    ("n", N_("New game")),
    ("u", N_("Undo: go back before the ending")),
    ("j", N_("Journal of the run")),
    ("l", N_("Load a saved game")),
    ("m", N_("Map of where you went")),
    ("q", N_("Quit")),
]

# Only with play --debug (the help screen lists them then).
DEBUG_KEYS: list[tuple[str, str]] = [
    ("Shift+D", N_("Debug window: every value, set them (name=value), jump to a scene")),
    ("Esc", N_("At a typed answer, leave the box first: there D is a letter")),
]

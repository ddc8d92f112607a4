"""The map of downtown San Diego and the bay, with the world's places marked. Pure Rich text.

Markers in the drawing are `[X]` (a capital letter naming a place id in `MARKERS`). A place
the player has visited is drawn bold, the current one in reverse video; places the world has
but the drawing does not are listed under it, so any world gets a usable map.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rich.text import Text

from neuripsquest.i18n import _

ART = r"""
 ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ │ LITTLE ITALY          N
  ~ ~  SAN DIEGO BAY  ~ ~ ~ ~  │          [N]          │
 ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ │   [O]          [H]
  ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~[M]═══╪═══ Broadway ═══════════
 ~ ~ ~ ~[Y]~ ~ ~ ~ ~ ~ ~ ~ ~ ~ │ GASLAMP    EAST VILLAGE
  ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ╲    [R]
 ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ╲═[X]═══[D]═══ railway ═
  ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ┌───────────────────────┐
 ~ CORONADO ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ │  [C]    [E]    [P]    │
  ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ │  [T]    [W]    [F]    │
 ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ ~ └── CONVENTION CENTER ──┘
""".strip("\n").splitlines()

MARKERS: dict[str, str] = {
    "R": "rooftop",
    "O": "hotel",
    "C": "convention",
    "E": "expo",
    "P": "posters",
    "T": "talks",
    "W": "workshop",
    "M": "midway",
    "H": "houseparty",
    "Y": "yacht",
    "N": "number_party",
    "X": "crossing",
    "D": "dark_path",
    "F": "closing",
}
_TOKEN = re.compile(r"\[([A-Z])\]")

WATER = "blue"
VISITED = "bold green"
CURRENT = "bold reverse yellow"
UNVISITED = "dim"


def draw(places: Mapping[str, str], visited: set[str], current: str | None) -> Text:
    """The drawing with markers styled; `places` is the world's id -> name."""
    out = Text()
    for n, line in enumerate(ART):
        if n:
            out.append("\n")
        pos = 0
        for m in _TOKEN.finditer(line):
            _plain(out, line[pos : m.start()])
            pid = MARKERS.get(m.group(1), "")
            out.append(m.group(0), style=_style(pid, places, visited, current))
            pos = m.end()
        _plain(out, line[pos:])
    return out


def _plain(out: Text, chunk: str) -> None:
    for part in re.split(r"([~]+)", chunk):
        if part:
            out.append(part, style=WATER if part[0] == "~" else "")


def _style(pid: str, places: Mapping[str, str], visited: set[str], current: str | None) -> str:
    if pid not in places:
        return UNVISITED
    if pid == current:
        return CURRENT
    return VISITED if pid in visited else UNVISITED


def legend(places: Mapping[str, str], visited: set[str], current: str | None) -> Text:
    """Every place of the world, on the drawing or not, with its marker and whether visited."""
    letter = {pid: key for key, pid in MARKERS.items()}
    out = Text()
    for pid in places:  # the world's own order: the shipped one reads like the week
        mark = f"[{letter[pid]}]" if pid in letter else " · "
        if out:
            out.append("\n")
        style = _style(pid, places, visited, current)
        out.append(mark, style=style)
        out.append(f" {places[pid]}", style="bold" if pid == current else "")
        if pid == current:
            out.append(_("  ◀ you are here"), style="bold yellow")
        elif pid in visited:
            out.append(_("  ✓ visited"), style="green")
        if pid not in letter:
            out.append(_("  (not on the map)"), style="dim italic")
    return out

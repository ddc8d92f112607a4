"""Title-screen art: the USS Midway in holiday lights on San Diego bay, and the name in
block letters. Pure Rich text; every line is at most 52 cells wide so it fits at 60x20."""

from __future__ import annotations

from rich.text import Text

CARRIER = r"""
   .      *       .       *       .       *      .
                       *   _|_   *
                *    *    _|[]|_    *    *
    ____*_______*_______|______|_______*_______*__
    \__*___*___*___*___*___*___*___*___*___*___*__/
  ~~~~~~~~~~~~~~~~~~~~ USS MIDWAY ~~~~~~~~~~~~~~~~~~~~
""".strip("\n").splitlines()

LETTERS = {
    "N": ("█▄ █", "█ ▀█", "▀  ▀"),
    "E": ("█▀▀", "█▀▀", "▀▀▀"),
    "U": ("█ █", "█ █", "▀▀▀"),
    "R": ("█▀█", "█▀▄", "▀ ▀"),
    "I": ("█", "█", "▀"),
    "P": ("█▀█", "█▀▀", "▀  "),
    "S": ("█▀▀", "▀▀█", "▀▀▀"),
    "Q": ("█▀█", "█ █", "▀▀▄"),
    "T": ("▀█▀", " █ ", " ▀ "),
    " ": ("  ", "  ", "  "),
}
_LIGHTS = ("bold yellow", "bold red", "bold green", "bold cyan")


def block_title(word: str = "NEURIPS QUEST") -> list[str]:
    rows = ["", "", ""]
    for ch in word.upper():
        glyph = LETTERS.get(ch, LETTERS[" "])
        for i in range(3):
            rows[i] += glyph[i] + " "
    width = max(len(r.rstrip()) for r in rows)
    return [r.rstrip().ljust(width) for r in rows]


def carrier() -> Text:
    """The carrier with its string of lights; the lights cycle through four colours."""
    out = Text()
    n = 0
    width = max(len(line) for line in CARRIER)
    for row, line in enumerate(line.ljust(width) for line in CARRIER):
        if row:
            out.append("\n")
        for ch in line:
            if ch == "*":
                out.append(ch, style=_LIGHTS[n % len(_LIGHTS)])
                n += 1
            elif ch == "~":
                out.append(ch, style="blue")
            elif ch == ".":
                out.append(ch, style="dim")
            else:
                out.append(ch, style="bold" if ch.isalpha() else "")
    return out


def title() -> Text:
    return Text("\n".join(block_title()), style="bold")

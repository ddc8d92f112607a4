"""What a name can mean in the language: the words it keeps for itself, and a world's names.

The one list of reserved words is here; the loader refuses a stat, flag, item or time slot
called by one of them, and the parser is the only other reader of the words themselves.
"""

from __future__ import annotations

import keyword
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from neuripsquest.lang import ir

CLOCK_WORDS = ("day", "slot", "turn")
TRUTH = {"true": True, "false": False}
HAS = "has"
VISITS = "visits"  # the one function
# Words a stat, flag, item or time slot may not be called, because a condition could not name
# it: the language's own words, and Python's keywords (conditions are read with Python's
# parser, so a flag called `in` or `None` would break every condition that names it).
RESERVED = frozenset({HAS, VISITS, *CLOCK_WORDS, *TRUTH, *keyword.kwlist})

# `{energy}`, `{day}`, `{slot}` in a scene's text: shown as the value when the text is.
PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class Symbols:
    """Everything a name in an expression can mean, for one world; compiling also records
    here what the world uses, and keeps each text's tree so that tools read it, not again
    the text. (A plain class, not a dataclass: this module is imported at every start, and
    making a dataclass compiles its methods, ~1 ms.)"""

    __slots__ = (
        "stats",
        "stat_ranges",
        "flags",
        "items",
        "slots",
        "scenes",
        "nslots",
        "ndays",
        "places",
        "endings",
        "visits",
        "used_stats",
        "used_flags",
        "used_items",
        "conditions",
        "effects",
    )

    def __init__(
        self,
        stats: dict[str, int],
        stat_ranges: list[tuple[int, int]],
        flags: dict[str, int],
        items: dict[str, int],
        slots: dict[str, int],
        scenes: set[str],
        nslots: int,
        ndays: int,
        # Named only so that a condition or effect naming one can be told what it named.
        places: frozenset[str] = frozenset(),
        endings: frozenset[str] = frozenset(),
    ):
        self.stats = stats
        self.stat_ranges = stat_ranges
        self.flags = flags
        self.items = items
        self.slots = slots
        self.scenes = scenes
        self.nslots = nslots
        self.ndays = ndays
        self.places = places
        self.endings = endings
        self.visits: dict[str, int] = {}  # scenes whose visits are counted
        self.used_stats: set[str] = set()
        self.used_flags: set[str] = set()
        self.used_items: set[str] = set()
        self.conditions: dict[str, ir.Expr] = {}  # text -> tree
        self.effects: dict[str, ir.Effect] = {}

    def all_names(self) -> list[str]:
        return [*self.stats, *self.flags, *self.items, *self.slots, *CLOCK_WORDS]

    @property
    def last_clock(self) -> int:
        """The last slot of the last day: the clock never moves past it."""
        return self.nslots * self.ndays - 1

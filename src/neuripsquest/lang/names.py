"""What a name can mean in the language: the words it keeps for itself, and a world's names.

The one list of reserved words is here; the loader refuses a stat, flag, item or time slot
called by one of them, and the parser is the only other reader of the words themselves.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass, field
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


@dataclass
class Symbols:
    """Everything a name in an expression can mean, for one world; compiling also records
    here what the world uses, and keeps each text's tree so that tools read it, not again
    the text."""

    stats: dict[str, int]
    stat_ranges: list[tuple[int, int]]
    flags: dict[str, int]
    items: dict[str, int]
    slots: dict[str, int]
    scenes: set[str]
    nslots: int
    ndays: int
    # Named only so that a condition or effect naming one can be told what it named.
    places: frozenset[str] = frozenset()
    endings: frozenset[str] = frozenset()
    visits: dict[str, int] = field(default_factory=dict)  # scenes whose visits are counted
    used_stats: set[str] = field(default_factory=set)
    used_flags: set[str] = field(default_factory=set)
    used_items: set[str] = field(default_factory=set)
    conditions: dict[str, ir.Expr] = field(default_factory=dict, repr=False)  # text -> tree
    effects: dict[str, ir.Effect] = field(default_factory=dict, repr=False)

    def all_names(self) -> list[str]:
        return [*self.stats, *self.flags, *self.items, *self.slots, *CLOCK_WORDS]

    @property
    def last_clock(self) -> int:
        """The last slot of the last day: the clock never moves past it."""
        return self.nslots * self.ndays - 1

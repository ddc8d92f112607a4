"""Goals an episode can be given: an ending family, or one ending by its id.

The world's endings carry a title and a description but no family, so the families are
derived from the ending ids here, in one place: the shipped world names its industry endings
`joined_*`, its Hinton ending `hinton_*` and its number ending `*number*`. A world whose ids
give a family no ending makes that goal an error when it is asked for, not a goal that can
never be met.
"""

from __future__ import annotations

from collections.abc import Callable

from neuripsquest.core.world import World
from neuripsquest.errors import QuestError

FAMILIES: dict[str, tuple[str, Callable[[str], bool]]] = {
    "industry": (
        "join industry: a frontier lab, a quant firm, a superintelligence team",
        lambda e: e.startswith("joined_"),
    ),
    "hinton": ("chase Hinton", lambda e: "hinton" in e),
    "number": ("name your number", lambda e: "number" in e),
    "any": ("any ending", lambda e: True),
}


class GoalError(QuestError, ValueError):
    """A goal the world cannot give."""


def goal_names(world: World) -> list[str]:
    """Every goal the world accepts: the families, then its ending ids."""
    return [*FAMILIES, *world.endings]


def endings_for(world: World, goal: str) -> frozenset[str]:
    """The ending ids that meet `goal`."""
    if goal in FAMILIES:
        found = frozenset(e for e in world.endings if FAMILIES[goal][1](e))
        if not found:
            raise GoalError(f"goal '{goal}': this world has no ending of that family")
        return found
    if goal in world.endings:
        return frozenset((goal,))
    raise GoalError(f"unknown goal '{goal}': one of {', '.join(goal_names(world))}")

"""The one wording of the game clock, wherever a time is shown ("Wednesday morning"): in a
scene header, a save's note, the plain prompt."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from neuripsquest.core.state import State
    from neuripsquest.core.world import World


def day_name(world: World, clock: int) -> str:
    return world.days[clock // len(world.slots)]


def slot_name(world: World, clock: int) -> str:
    return world.shown_slots[clock % len(world.slots)]


def when(world: World, state: State) -> str:
    return when_clock(world, state.clock)


def when_clock(world: World, clock: int) -> str:
    """The one wording of a time wherever one is shown: "Wednesday morning"."""
    return f"{day_name(world, clock)} {slot_name(world, clock)}"

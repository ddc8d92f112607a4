"""The one wording of the game clock, wherever a time is shown ("Wednesday morning"): in a
scene header, a save's note, the plain prompt."""

from __future__ import annotations

from typing import TYPE_CHECKING

from neuripsquest.i18n import is_wide

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
    day, slot = day_name(world, clock), slot_name(world, clock)
    # Chinese runs the two together (週三晚上); a space only between Latin words
    joint = "" if is_wide(day[-1:]) and is_wide(slot[:1]) else " "
    return f"{day}{joint}{slot}"

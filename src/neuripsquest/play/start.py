"""How a game begins, other than plainly at the writer's start: at a chosen scene with chosen
values (`play --from SCENE --set NAME=VALUE`, for writers), or from the autosave. The
debugger (play/debug.py) sets values mid-game with the same `assign`.

One rule for both front ends: the command line builds the state here and hands it to the TUI
or plain mode. A mistake on the command line is a StartError with one line for the writer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from neuripsquest.core import engine
from neuripsquest.core.state import State
from neuripsquest.core.world import World
from neuripsquest.errors import QuestError
from neuripsquest.problems import did_you_mean
from neuripsquest.store import saves

_WHOLE = re.compile(r"[+-]?[0-9]+(?:_[0-9]+)*", re.ASCII)
_TRUE, _FALSE = {"true", "1", "yes"}, {"false", "0", "no"}


class StartError(QuestError):
    """A bad --from or --set; the message is one line."""


def start_at(world: World, seed: int, scene: str, assignments: Iterable[str]) -> State:
    """A new game entered at `scene` with `assignments` ("NAME=VALUE", see `assign`) applied
    first, so the scene's entry effects then apply as they would on arrival. The clock stays
    at the world's start unless `day=N` or `slot=NAME` move it."""
    if scene not in world.scenes:
        raise StartError(f"--from: no scene '{scene}'{did_you_mean(scene, world.scenes)}")
    blank = assign(world, engine.blank_state(world, seed), assignments)
    blank = blank._replace(scene=scene, trail=((blank.clock, blank.stats),))
    return engine.begin(world, blank)


def assign(world: World, state: State, assignments: Iterable[str], said: str = "--set") -> State:
    """`state` with the values `assignments` name ("NAME=VALUE"), all or none: stats take
    whole numbers within their range, flags and items true/false (1/0, yes/no); `day=N` and
    `slot=NAME` set the clock. Only those values change (no scene is entered, no step taken:
    the callers decide that). A mistake is a StartError whose one line starts with `said`,
    the command the writer typed (`--set`, or the debugger's `set`)."""
    stats = list(state.stats)
    flags, items = state.flags, state.items
    nslots = len(world.slots)
    day, slot = divmod(state.clock, nslots)
    for text in assignments:
        name, value = _split(text, said)
        if name in world.symbols.stats:
            i = world.symbols.stats[name]
            stats[i] = _whole(said, name, value, *world.stat_ranges[i])
        elif name in world.symbols.flags:
            flags = _bit(flags, world.symbols.flags[name], _truth(said, "flag", name, value))
        elif name in world.symbols.items:
            items = _bit(items, world.symbols.items[name], _truth(said, "item", name, value))
        elif name == "day":
            day = _whole(said, name, value, 1, len(world.days)) - 1
        elif name == "slot":
            if value not in world.slots:
                raise StartError(
                    f"{said} slot: no time slot '{value}'{did_you_mean(value, world.slots)} "
                    f"(the slots are {', '.join(world.slots)})"
                )
            slot = world.slots.index(value)
        else:
            known = [*world.symbols.stats, *world.symbols.flags, *world.symbols.items]
            raise StartError(
                f"{said}: no stat, flag or item named '{name}'"
                f"{did_you_mean(name, [*known, 'day', 'slot'])}"
            )
    return state._replace(stats=tuple(stats), flags=flags, items=items, clock=day * nslots + slot)


def _split(text: str, said: str) -> tuple[str, str]:
    name, eq, value = text.partition("=")
    if not eq or not name.strip() or not value.strip():
        raise StartError(f"{said} wants NAME=VALUE, like energy=3 or met=true; not '{text}'")
    return name.strip(), value.strip()


def _whole(said: str, name: str, value: str, lo: int, hi: int) -> int:
    if not _WHOLE.fullmatch(value):
        raise StartError(f"{said} {name}: '{value}' is not a whole number")
    n = int(value)
    if not lo <= n <= hi:
        raise StartError(f"{said} {name}: {n} is outside its range {lo} to {hi}")
    return n


def _truth(said: str, kind: str, name: str, value: str) -> bool:
    word = value.lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise StartError(f"{said} {name}: {kind} '{name}' takes true or false, not '{value}'")


def _bit(bits: int, bit: int, on: bool) -> int:
    return bits | bit if on else bits & ~bit


def continue_autosave(world: World, folder: Path) -> tuple[saves.Loaded | None, str]:
    """The autosave to play on from, or None. An autosave that cannot be played (damaged, from
    another world, no longer fitting this one) is moved aside, never written over; the second
    value then says so in one line."""
    try:
        if not (folder / f"{saves.AUTOSAVE}.json").is_file():
            return None, ""
    except OSError:
        pass  # e.g. no permission to look: read() below says so in its own words
    try:
        return saves.read(folder, saves.AUTOSAVE, world), ""
    except saves.SaveError as exc:
        problem = str(exc)
    try:
        kept = saves.set_aside(folder, saves.AUTOSAVE)
    except saves.SaveError as exc:
        return None, (
            f"The autosave cannot be continued: {problem}. It cannot be moved aside either "
            f"({exc}), so this game's autosave will replace it."
        )
    return None, (
        f"The autosave cannot be continued: {problem}. It is kept as the save '{kept}'; "
        "starting a new game."
    )

"""How a game begins, other than plainly at the writer's start: at a chosen scene with chosen
values (`play --from SCENE --set NAME=VALUE`, for writers), or from the autosave.

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
    """A new game entered at `scene` with `assignments` ("NAME=VALUE") applied first, so the
    scene's entry effects then apply as they would on arrival. Stats take whole numbers within
    their range, flags and items true/false (1/0, yes/no); `day=N` and `slot=NAME` set the
    clock, which otherwise stays at the world's start."""
    if scene not in world.scenes:
        raise StartError(f"--from: no scene '{scene}'{did_you_mean(scene, world.scenes)}")
    blank = engine.blank_state(world, seed)
    stats = list(blank.stats)
    flags, items = blank.flags, blank.items
    nslots = len(world.slots)
    day, slot = divmod(blank.clock, nslots)
    for text in assignments:
        name, value = _split(text)
        if name in world.symbols.stats:
            i = world.symbols.stats[name]
            stats[i] = _whole(name, value, *world.stat_ranges[i])
        elif name in world.symbols.flags:
            flags = _bit(flags, world.symbols.flags[name], _truth("flag", name, value))
        elif name in world.symbols.items:
            items = _bit(items, world.symbols.items[name], _truth("item", name, value))
        elif name == "day":
            day = _whole(name, value, 1, len(world.days)) - 1
        elif name == "slot":
            if value not in world.slots:
                raise StartError(
                    f"--set slot: no time slot '{value}'{did_you_mean(value, world.slots)} "
                    f"(the slots are {', '.join(world.slots)})"
                )
            slot = world.slots.index(value)
        else:
            known = [*world.symbols.stats, *world.symbols.flags, *world.symbols.items]
            raise StartError(
                f"--set: no stat, flag or item named '{name}'"
                f"{did_you_mean(name, [*known, 'day', 'slot'])}"
            )
    clock = day * nslots + slot
    blank = blank._replace(
        scene=scene,
        stats=tuple(stats),
        flags=flags,
        items=items,
        clock=clock,
        trail=((clock, tuple(stats)),),
    )
    return engine.begin(world, blank)


def _split(text: str) -> tuple[str, str]:
    name, eq, value = text.partition("=")
    if not eq or not name.strip() or not value.strip():
        raise StartError(f"--set wants NAME=VALUE, like energy=3 or met=true; not '{text}'")
    return name.strip(), value.strip()


def _whole(name: str, value: str, lo: int, hi: int) -> int:
    if not _WHOLE.fullmatch(value):
        raise StartError(f"--set {name}: '{value}' is not a whole number")
    n = int(value)
    if not lo <= n <= hi:
        raise StartError(f"--set {name}: {n} is outside its range {lo} to {hi}")
    return n


def _truth(kind: str, name: str, value: str) -> bool:
    word = value.lower()
    if word in _TRUE or word in _FALSE:
        return word in _TRUE
    raise StartError(f"--set {name}: {kind} '{name}' takes true or false, not '{value}'")


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

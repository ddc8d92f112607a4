"""The naive engine the speed figures measure ours against (`engine_speed.py` times it; this
module only defines it): the speed a plain Python version of the same rules gets, with none of
what ours promises (immutable states, undo, events, the trail).

The world's data become dicts of tuples; conditions and effects are our World's compiled
closures (precompiled lambdas over a state's fields, so both engines pay the same for them);
the state is one mutable object changed in place. The rules are ours: a choice's effects, the
same splitmix64 draw for a random choice, its outcome's effects, then the target's visit count
and entry effects; a turn per step. `walk_ours` and `walk_naive` pick among the enabled choices
with the same random stream, so both take the same path (`same_path` checks it; a test does
too). This is the stricter of the two naive engines the benchmarks once had: the other built
a new tuple a step and left out the rules the synthetic world does not use.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("NEURIPSQUEST_CACHE", "off")

from neuripsquest.core import engine  # noqa: E402

_MASK = (1 << 64) - 1

# A choice: (once_bit, cond or None, effects, goto or None, outcomes, total_weight);
# an outcome: (weight, goto, effects); a scene: (choices, on_enter, visit index or -1).
NaiveWorld = dict


def naive_world(world) -> dict:
    """Our World as dicts of tuples, plus what a new game starts from."""
    scenes = {}
    for sid, sc in world.scenes.items():
        choices = tuple(
            (
                c.once_bit,
                c.cond,
                c.effects,
                c.goto,
                tuple((o.weight, o.goto, o.effects) for o in c.outcomes),
                c.total_weight,
            )
            for c in sc.choices
        )
        scenes[sid] = (choices, sc.on_enter, world.visit_index.get(sid, -1))
    return {
        "scenes": scenes,
        "start": world.start,
        "stats": world.stat_initial,
        "nvisits": len(world.visit_names),
        "clock": world.start_clock,
    }


class NaiveState:
    """Everything conditions and effects read or write, changed in place."""

    __slots__ = ("scene", "stats", "flags", "items", "visits", "used", "clock", "rng", "turn")


def naive_new_game(nw: dict, seed: int) -> NaiveState:
    s = NaiveState()
    s.stats = list(nw["stats"])
    s.flags = s.items = s.used = 0
    s.visits = [0] * nw["nvisits"]
    s.clock = nw["clock"]
    s.rng = seed & _MASK
    s.turn = 0
    _naive_enter(nw["scenes"], s, nw["start"])
    return s


def _naive_enter(scenes: dict, s: NaiveState, target: str) -> None:
    s.scene = target
    _, on_enter, vi = scenes[target]
    if vi >= 0:
        s.visits[vi] += 1
    for eff in on_enter:
        eff(s)


def naive_choose(scenes: dict, s: NaiveState, ch: tuple) -> None:
    once_bit, _, effects, goto, outcomes, total = ch
    s.turn += 1
    for eff in effects:
        eff(s)
    s.used |= once_bit
    if goto is None:
        x = s.rng = (s.rng + 0x9E3779B97F4A7C15) & _MASK
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
        pick = (x ^ (x >> 31)) % total
        for oc in outcomes:
            pick -= oc[0]
            if pick < 0:
                break
        _, goto, oc_effects = oc
        for eff in oc_effects:
            eff(s)
    _naive_enter(scenes, s, goto)


def walk_naive(nw: dict, steps: int, seed: int = 1, path: list | None = None) -> int:
    """`steps` steps of the random walk; an ending (no enabled choice) starts a new game with a
    seed from the walk's stream. Returns the number of restarts; `path` gets, after each step,
    the values both engines keep: scene, stats, flags, items, visits, used, clock, rng, turn."""
    pick = random.Random(seed)
    rand = pick.random
    scenes = nw["scenes"]
    s = naive_new_game(nw, seed)
    restarts = 0
    for _ in range(steps):
        used = s.used
        options = [
            ch for ch in scenes[s.scene][0] if not ch[0] & used and (ch[1] is None or ch[1](s))
        ]
        if not options:
            s = naive_new_game(nw, pick.getrandbits(32))
            restarts += 1
        else:
            naive_choose(scenes, s, options[int(rand() * len(options))])
        if path is not None:
            path.append(
                (s.scene, tuple(s.stats), s.flags, s.items, tuple(s.visits), s.used, s.clock)
                + (s.rng, s.turn)
            )
    return restarts


def walk_ours(
    world, steps: int, seed: int = 1, path: list | None = None, events: bool = True
) -> int:
    """The same walk on our engine: the choices open come from `engine.open_choices` (what
    our walkers and agents call), then a step through `engine.step` (events and undo history
    included), or with `events` off through `engine.advance` (the same states, no events)."""
    pick = random.Random(seed)
    rand = pick.random
    step, new_game, open_choices = engine.step, engine.new_game, engine.open_choices
    advance = None if events else engine.advance
    s = new_game(world, seed)
    restarts = 0
    for _ in range(steps):
        options = open_choices(world, s)
        if not options:
            s = new_game(world, pick.getrandbits(32))
            restarts += 1
        elif events:
            s = step(world, s, options[int(rand() * len(options))])[0]
        else:
            s = advance(world, s, options[int(rand() * len(options))])
        if path is not None:
            path.append(s[:9])  # scene, stats, flags, items, visits, used, clock, rng, turn
    return restarts


def same_path(world, steps: int, seed: int = 1) -> bool:
    """Whether both walks go through the same states (not only the same scenes)."""
    ours: list[tuple] = []
    naive: list[tuple] = []
    walk_ours(world, steps, seed, ours)
    walk_naive(naive_world(world), steps, seed, naive)
    return ours == naive

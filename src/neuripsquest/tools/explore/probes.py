"""What backs up a walk cut short by its bound: probe runs (random playthroughs that prefer
what has not been done yet) to show that the rest can be reached and to meet softlocks beyond
the bound, and a Go-Explore search for what neither the walk nor the probes reached."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from neuripsquest.core import engine
from neuripsquest.core.state import State
from neuripsquest.core.world import World
from neuripsquest.tools.explore.softlocks import Softlock
from neuripsquest.tools.explore.walk import Walker, ways
from neuripsquest.tools.lint import Possible
from neuripsquest.tools.randomtest import Player, Run, Tally

Step = str | dict[str, str]  # a playthrough step: a choice id or {"type": amount}


@dataclass
class Backup:
    """What the probe runs and the search found beyond the walk."""

    tally: Tally  # the probe runs
    reached: set[str]  # scenes
    taken: set[tuple[str, str]]  # (scene, choice id or "#j")
    searched: set[str]  # endings the search reached
    softlocks: list[Softlock]
    unsure: list[Run]  # probe runs that never ended, not shown to be softlocks


def back_up(
    walker: Walker,
    proof: Possible,
    reached: set[str],
    taken: set[tuple[str, str]],
    probes: int,
    verify_states: int,
    search_steps: int,
) -> Backup:
    """Play `probes` runs; walk on from where each never-ending one stopped, up to
    `verify_states`, to tell a loop with no way out from a long way round; then search for
    the scenes and choices nobody reached that the static reading (`proof`) cannot rule out."""
    world = walker.world
    player = Player(world, walker.inputs, avoid_used=True)
    master = random.Random(0)
    for n in range(probes):
        player.play(n + 1, master.getrandbits(32), random.Random(master.getrandbits(64)), 1000)
    tally = player.tally
    out = Backup(tally, set(), set(), set(), [], [])
    out.reached = {s for s, n in tally.scenes.items() if n}
    out.taken = {k for k, n in tally.choices.items() if n}
    out.softlocks += _probe_locks(world, tally.stuck, "stuck")
    for run in tally.limit:
        verdict = walker.walk(verify_states, run.state)
        if not verdict.bound_hit and not any(
            world.scenes[g2].ending for g2 in {verdict.scene_names[x] for x in verdict.scene}
        ):
            out.softlocks += _probe_locks(world, [run], "loop")
        elif verdict.bound_hit:
            out.unsure.append(run)
    missing = {
        m
        for m in _missing(world, reached | out.reached, taken | out.taken)
        if (m in proof.scenes if isinstance(m, str) else m in proof.choices)
    }
    if missing:
        found = search(world, walker.inputs, missing, steps=search_steps)
        out.reached |= found.scenes
        out.taken |= found.taken
        out.searched = found.endings
        out.softlocks += found.stuck
    return out


def _missing(world: World, reached: set[str], taken: set[tuple[str, str]]) -> set[Any]:
    out: set[Any] = {sid for sid in world.scenes if sid not in reached}
    for sid, sc in world.scenes.items():
        out |= {(sid, k) for k in ways(sc) if (sid, k) not in taken}
    return out


def _probe_locks(world: World, runs: list[Run], kind: str) -> list[Softlock]:
    out = []
    for r in runs:
        scenes = [r.state.scene] if kind == "stuck" else _loop_scenes(world, r)
        out.append(Softlock(kind, scenes, 0, list(r.steps), r.seed, None, "probe"))
    return out


def _loop_scenes(world: World, run: Run) -> list[str]:
    """The scenes a never-ending run keeps going round: those of its last 50 steps."""
    s = engine.new_game(world, run.seed)
    seen: list[str] = []
    for st in run.steps:
        action = engine.Type(st["type"]) if isinstance(st, dict) else engine.Choose(st)
        s, _ = engine.step(world, s, action)
        seen.append(s.scene)
    return sorted(set(seen[-50:]))


def merge(locks: list[Softlock]) -> list[Softlock]:
    """One softlock per (kind, scenes): the walk's (shortest path) over a probe's."""
    best: dict[tuple[str, tuple[str, ...]], Softlock] = {}
    for s in locks:
        k = (s.kind, tuple(s.scenes))
        old = best.get(k)
        if old is None or (old.found_by == "probe" and s.found_by == "walk"):
            if old is not None:
                s.states += old.states
            best[k] = s
        elif s.found_by == old.found_by == "walk":
            old.states += s.states
    return list(best.values())


# ---------------------------------------------------------------- the search


@dataclass
class Found:
    scenes: set[str] = field(default_factory=set)
    taken: set[tuple[str, str]] = field(default_factory=set)
    endings: set[str] = field(default_factory=set)
    stuck: list[Softlock] = field(default_factory=list)


class _Archive:
    """Distinct situations (scene, clock, flags, items), each with the first state met in it
    and the steps that got there from the situation it was reached from, and whether that
    way replays from its seed (no random draw was changed on it)."""

    def __init__(self) -> None:
        self.cells: dict[tuple[Any, ...], int] = {}
        self.states: list[State] = []
        self.parents: list[tuple[int, list[Step]]] = []
        self.pure: list[bool] = []

    @staticmethod
    def cell_of(s: State) -> tuple[Any, ...]:
        return (s.scene, s.clock, s.flags, s.items)

    def add(self, s: State, parent: int, path: list[Step], pure: bool = True) -> int:
        self.cells[self.cell_of(s)] = len(self.states)
        self.states.append(tuple.__new__(State, (*s[:10], (), ())))
        self.parents.append((parent, path))
        self.pure.append(pure)
        return len(self.states) - 1

    def path_to(self, c: int, extra: list[Step]) -> list[Step]:
        out = list(extra)
        while c >= 0:
            p, seg = self.parents[c]
            out = seg + out
            c = p
        return out


def search(
    world: World,
    inputs: dict[str, list[int]],
    targets: set[Any],
    steps: int = 300_000,
    seed: int = 0,
    walk_len: int = 25,
) -> Found:
    """Look for the scenes and choices in `targets` the Go-Explore way: keep an archive of
    distinct situations with the first state and path that got there, and keep going back to a
    random one of them and playing on at random from it. Rare situations (still holding a
    pretzel at a late party) are kept as soon as they are met, so the search does not have to
    be lucky twice. Each softlock it reports is a real path from the start.

    A state's random draws follow from its seed, so going back to the same situation would
    draw the same outcome each time: half the time the search goes back with another draw
    to come (the walk counts every outcome of a random choice as a way on, whatever the
    seed). What it then reaches counts as reached; a player stuck there is left to the walk
    and the proof, since the steps there no longer replay from the seed."""
    rng = random.Random(seed)
    found = Found()
    archive = _Archive()
    archive.add(engine.new_game(world, 0), -1, [])
    left = set(targets)
    done = 0
    while done < steps and left:
        c = rng.randrange(len(archive.states))
        s = archive.states[c]
        pure = archive.pure[c]
        if rng.random() < 0.5:
            s = tuple.__new__(State, (*s[:7], rng.getrandbits(64), *s[8:]))  # State.rng
            pure = False
        path: list[Step] = []
        for _ in range(walk_len):
            ending = world.scenes[s.scene].ending
            if ending is not None:
                found.endings.add(ending)
                break
            options = _options(world, inputs, s)
            if not options:
                if pure:
                    where = archive.path_to(c, path)
                    found.stuck.append(
                        Softlock("stuck", [s.scene], 0, list(where), s.seed, None, "search")
                    )
                break
            fresh = [o for o in options if (s.scene, o[0]) in left]
            key, shown, action = (fresh or options)[rng.randrange(len(fresh or options))]
            found.taken.add((s.scene, key))
            left.discard((s.scene, key))
            s, _ = engine.step(world, s, action)
            done += 1
            path.append(shown)
            found.scenes.add(s.scene)
            left.discard(s.scene)
            if archive.cell_of(s) not in archive.cells:
                c = archive.add(s, c, path, pure)
                path = []
    return found


def _options(
    world: World, inputs: dict[str, list[int]], s: State
) -> list[tuple[str, Step, engine.Action]]:
    """The ways on from `s`: (what `taken` counts, the playthrough step, the engine's action);
    each representative typed amount (`tools.amounts`) at an input scene: amounts that take
    the same outcome still differ in the amount kept, which a later condition may read."""
    sc = world.scenes[s.scene]
    if sc.input is None:
        return [(a.choice, a.choice, a) for a in engine.open_choices(world, s)]
    options: list[tuple[str, Step, engine.Action]] = []
    for a in inputs[s.scene]:
        j = engine.input_outcome(world, s, a)
        options.append((f"#{j}", {"type": str(a)}, engine.Type(str(a))))
    return options

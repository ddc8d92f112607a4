"""`neuripsquest randomtest`: many seeded random playthroughs, and what they saw.

Each run starts a new game with its own seed and picks among the choices a player could take
(uniformly, or with `--avoid-used` preferring the choices taken least so far across all runs,
which spreads the runs over the story, as ChoiceScript's randomtest does). Typed-input scenes
get one of the amounts that make a difference to their outcomes. A run ends at an ending, when
no choice can be taken (stuck: a softlock), or after `--max-steps` steps.

Everything is drawn from one generator seeded by `--seed`: the same seed gives the same runs.
"""

from __future__ import annotations

import json
import random
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import IO, Any

from neuripsquest.core import engine
from neuripsquest.core.state import State
from neuripsquest.core.world import World
from neuripsquest.problems import number, plural

DEFAULT_MAX_STEPS = 1000


@dataclass
class Run:
    number: int
    seed: int  # the game's seed: replaying `steps` with it gives the same run
    steps: list[Any]  # playthrough steps: choice ids and {"type": amount}
    state: State
    result: str  # "ending", "stuck" or "limit"

    @property
    def playthrough(self) -> dict[str, Any]:
        return {"seed": self.seed, "steps": self.steps}


@dataclass
class Tally:
    """What all the runs saw together."""

    runs: int = 0
    scenes: Counter[str] = field(default_factory=Counter)  # entries
    reached: Counter[str] = field(default_factory=Counter)  # runs that entered it at least once
    choices: Counter[tuple[str, str]] = field(default_factory=Counter)  # (scene, id or "#j")
    endings: Counter[str] = field(default_factory=Counter)
    stats_at: dict[str, list[tuple[int, ...]]] = field(default_factory=dict)  # ending -> stats
    stuck: list[Run] = field(default_factory=list)
    limit: list[Run] = field(default_factory=list)
    steps: int = 0


class Player:
    """Plays random runs over one world; `amounts` gives the typed inputs worth trying."""

    def __init__(self, world: World, amounts: dict[str, list[int]], avoid_used: bool = False):
        self.world = world
        self.avoid_used = avoid_used
        self.tally = Tally()
        self.outcome_amounts: dict[str, list[int]] = amounts

    def play(self, number: int, seed: int, pick: random.Random, max_steps: int) -> Run:
        world, tally = self.world, self.tally
        hits = tally.choices
        state = engine.new_game(world, seed)
        tally.scenes[state.scene] += 1
        seen = {state.scene}
        steps: list[Any] = []
        result = "limit"
        for _ in range(max_steps):
            scene = world.scenes[state.scene]
            if scene.ending is not None:
                result = "ending"
                break
            if scene.input is not None:
                options = self._amounts(state)
                if self.avoid_used:
                    least = min(hits[(scene.id, f"#{j}")] for j, _ in options)
                    options = [o for o in options if hits[(scene.id, f"#{o[0]}")] == least]
                j, some = options[int(pick.random() * len(options))]
                amount = some[int(pick.random() * len(some))] if len(some) > 1 else some[0]
                hits[(scene.id, f"#{j}")] += 1
                state, _ = engine.step(world, state, engine.Type(str(amount)))
                steps.append({"type": str(amount)})
            else:
                ids = [a.choice for a in engine.open_choices(world, state)]
                if not ids:
                    result = "stuck"
                    break
                if self.avoid_used and len(ids) > 1:
                    least = min(hits[(scene.id, c)] for c in ids)
                    ids = [c for c in ids if hits[(scene.id, c)] == least]
                cid = ids[int(pick.random() * len(ids))]
                hits[(scene.id, cid)] += 1
                state, _ = engine.step(world, state, engine.Choose(cid))
                steps.append(cid)
            tally.scenes[state.scene] += 1
            seen.add(state.scene)
        else:
            if world.scenes[state.scene].ending is not None:
                result = "ending"
        tally.runs += 1
        tally.reached.update(seen)
        tally.steps += len(steps)
        run = Run(number, seed, steps, state._replace(history=()), result)
        if result == "ending":
            ending = world.scenes[state.scene].ending
            assert ending is not None
            tally.endings[ending] += 1
            tally.stats_at.setdefault(ending, []).append(state.stats)
        elif result == "stuck":
            tally.stuck.append(run)
        else:
            tally.limit.append(run)
        return run

    def _amounts(self, state: State) -> list[tuple[int, list[int]]]:
        """(outcome, amounts): the candidates by the outcome they reach from here. A run picks
        an outcome, then one of its amounts: they differ in the amount kept, which a later
        condition may read (`cash > 0` after typing 0 or 499)."""
        out: dict[int, list[int]] = {}
        for a in self.outcome_amounts.get(state.scene, [0]):
            out.setdefault(engine.input_outcome(self.world, state, a), []).append(a)
        return sorted(out.items())


def run_many(
    world: World,
    amounts: dict[str, list[int]],
    runs: int,
    seed: int,
    avoid_used: bool = False,
    max_steps: int = DEFAULT_MAX_STEPS,
) -> Tally:
    """`runs` playthroughs, all drawn from `random.Random(seed)`."""
    master = random.Random(seed)
    player = Player(world, amounts, avoid_used)
    for n in range(runs):
        game_seed = master.getrandbits(32)
        pick = random.Random(master.getrandbits(64))
        player.play(n + 1, game_seed, pick, max_steps)
    return player.tally


def play_world(
    src: Any,
    runs: int,
    seed: int,
    avoid_used: bool = False,
    max_steps: int = DEFAULT_MAX_STEPS,
) -> Tally:
    """`run_many` over a loaded world (`facts.Sources`), trying the typed amounts that matter:
    the counts `randomtest` reports, for any tool that shows them."""
    return run_many(src.world, input_amounts(src), runs, seed, avoid_used, max_steps)


def choice_keys(world: World) -> list[tuple[str, str]]:
    """Every (scene, key) a Tally counts in `choices`: each choice's id, and `#j` for outcome j
    of a typed input."""
    return [(sid, ch.id) for sid, sc in world.scenes.items() for ch in sc.choices] + [
        (sid, f"#{j}")
        for sid, sc in world.scenes.items()
        if sc.input is not None
        for j in range(len(sc.input.outcomes))
    ]


def input_amounts(src: Any) -> dict[str, list[int]]:
    from neuripsquest.tools.amounts import amounts

    world = src.world
    return {sid: amounts(src, sid) for sid, sc in world.scenes.items() if sc.input is not None}


# ---------------------------------------------------------------- the report


def spread(values: list[int]) -> dict[str, float | int]:
    qs = statistics.quantiles(values, n=4, method="inclusive") if len(values) > 1 else values * 3
    return {
        "min": min(values),
        "p25": qs[0],
        "median": statistics.median(values),
        "p75": qs[2],
        "max": max(values),
        "mean": round(statistics.fmean(values), 2),
    }


def _num(x: float | int) -> str:
    return number(x)


def to_json(world: World, t: Tally, seed: int, avoid_used: bool) -> dict[str, Any]:
    all_choices = choice_keys(world)
    return {
        "runs": t.runs,
        "seed": seed,
        "avoid_used": avoid_used,
        "steps": t.steps,
        "endings": {e: t.endings.get(e, 0) for e in world.endings},
        "stuck": [r.playthrough | {"run": r.number, "scene": r.state.scene} for r in t.stuck],
        "step_limit": [r.playthrough | {"run": r.number, "scene": r.state.scene} for r in t.limit],
        "scenes": {sid: t.scenes.get(sid, 0) for sid in world.scenes},
        "choices": {f"{s}.{c}": t.choices.get((s, c), 0) for s, c in all_choices},
        "stats_at_endings": {
            e: {name: spread([v[i] for v in vals]) for i, name in enumerate(world.stat_names)}
            for e, vals in t.stats_at.items()
        },
    }


def write_text(world: World, t: Tally, seed: int, avoid_used: bool, out: IO[str]) -> None:
    how = ", avoiding used choices" if avoid_used else ""
    out.write(f"{plural(t.runs, 'run')} (seed {seed}{how}), {plural(t.steps, 'step')}.\n")
    out.write("Endings:\n")
    width = max((len(e) for e in world.endings), default=0)
    for e in world.endings:
        n = t.endings.get(e, 0)
        share = 100 * n / t.runs if t.runs else 0
        out.write(f"  {e:<{width}}  {n:>6}  {share:5.1f}%\n")
    if t.stuck:
        out.write(
            f"  {'(stuck)':<{width}}  {len(t.stuck):>6}  {100 * len(t.stuck) / t.runs:5.1f}%\n"
        )
    if t.limit:
        out.write(
            f"  {'(no end)':<{width}}  {len(t.limit):>6}  {100 * len(t.limit) / t.runs:5.1f}%\n"
        )
    for label, runs in (("stuck (no choice can be taken)", t.stuck), ("never ended", t.limit)):
        for r in runs[:3]:
            out.write(
                f"Run {r.number} {label} in scene '{r.state.scene}' after "
                f"{plural(len(r.steps), 'step')}; "
                f"replay it with: seed: {r.seed}, steps: {json.dumps(r.steps)}\n"
            )
        if len(runs) > 3:
            out.write(f"... and {len(runs) - 3} more runs {label}\n")
    if t.stats_at:
        out.write("Stats at each ending (min / 25% / median / 75% / max, mean):\n")
        sw = max(len(n) for n in world.stat_names) if world.stat_names else 0
        for e in world.endings:
            vals = t.stats_at.get(e)
            if not vals:
                continue
            out.write(f"  {e} ({plural(len(vals), 'run')})\n")
            for i, name in enumerate(world.stat_names):
                s = spread([v[i] for v in vals])
                out.write(
                    f"    {name:<{sw}}  {_num(s['min'])} / {_num(s['p25'])} / "
                    f"{_num(s['median'])} / {_num(s['p75'])} / {_num(s['max'])}, "
                    f"mean {_num(s['mean'])}\n"
                )
    sw = max(len(s) for s in world.scenes)
    out.write("Scenes (times entered):\n")
    for sid in world.scenes:
        n = t.scenes.get(sid, 0)
        out.write(f"  {sid:<{sw}}  {n:>8}{'  NEVER' if n == 0 else ''}\n")
    out.write("Choices (times taken):\n")
    for sid, sc in world.scenes.items():
        keys = [(ch.id, ch.id) for ch in sc.choices]
        if sc.input is not None:
            keys += [(f"#{j}", f"input outcome {j + 1}") for j in range(len(sc.input.outcomes))]
        for key, label in keys:
            n = t.choices.get((sid, key), 0)
            out.write(f"  {sid}.{label}  {n}{'  NEVER' if n == 0 else ''}\n")


def run(
    root: Any,
    runs: int,
    seed: int,
    avoid_used: bool,
    max_steps: int,
    fmt: str,
    out: IO[str],
    err: IO[str],
) -> int:
    from neuripsquest.tools.facts import load_or_report

    src = load_or_report(root, err, "random play")
    if src is None or src.world is None:
        return 1
    world = src.world
    t = play_world(src, runs, seed, avoid_used, max_steps)
    if fmt == "json":
        out.write(json.dumps(to_json(world, t, seed, avoid_used), indent=2) + "\n")
    else:
        write_text(world, t, seed, avoid_used, out)
    return 1 if t.stuck or t.limit else 0

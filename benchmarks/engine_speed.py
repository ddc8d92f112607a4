"""Engine speed against a naive engine, a front end's turn against the bare step, and a step's
cost and memory over a long run. All on a synthetic world (default 10,000 scenes).

    python benchmarks/engine_speed.py [--scenes N] [--rounds R] [--steps S] [--long L] [--quick]

1. Headline: the whole walk, choosing included. A walker picks uniformly among the choices
   whose condition holds (as a player could) and steps; an ending restarts the walk with a
   fresh seed. Side by side, round by round (benchmarks/paired.py, collector on as in play):
   our `engine.step` (undo history, events, the compiled world) and the naive engine below,
   which reads the same YAML files itself into a dict of tuples with precompiled lambdas and
   keeps no history and no events. Both play the same walk: the same choices in the same
   order, with the same splitmix64 draws for `random:` choices; this is checked step by step
   on a prefix and by the final state of every timed round. Target: ours >= 0.5x the naive
   engine's speed.
2. A front end's turn (`view.text` + `view.choices` + `engine.step`) against the bare
   `engine.step`, over the same recorded (state, action) pairs. Target: >= 0.7x.
3. A long walk (default 500,000 steps; `--long 10000000` for the ten million of the issue)
   sampled at ten checkpoints: microseconds a step and resident memory at each, and their
   slopes. Targets: the median cost a step of the later five segments <= 1.2x that of the
   first five, and memory growing by <= 1 MB a million steps after the first checkpoint
   (undo history is bounded).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("NEURIPSQUEST_CACHE", "off")

from paired import Table, paired, spread  # noqa: E402
from synth import make_world  # noqa: E402

from neuripsquest.core import engine  # noqa: E402
from neuripsquest.play import view  # noqa: E402
from neuripsquest.store.loader import load_world  # noqa: E402

_MASK = (1 << 64) - 1


# ---------------------------------------------------------------- the naive engine


class Naive:
    """The smallest engine that plays the synthetic world by the same rules: a state is a
    flat tuple (scene, rng, stats..., flags, items, clock); a scene is a tuple of choices
    (id, condition, effects, goto, outcomes, total weight); conditions and effects are
    closures compiled once from the YAML text. It knows only the forms synth.py writes and
    refuses anything else, so a change there cannot make it quietly play a different game."""

    def __init__(self, root: Path) -> None:
        load = yaml.CSafeLoader
        top = yaml.load((root / "world.yaml").read_text(encoding="utf-8"), Loader=load)
        self.stat_names = list(top["stats"])
        self.flag_names = list(top["flags"])
        self.item_names = list(top["items"])
        n = len(self.stat_names)
        self.index = {name: 2 + i for i, name in enumerate(self.stat_names)}
        self.flags_at, self.items_at, self.clock_at = 2 + n, 3 + n, 4 + n
        self.ranges = {s: (v.get("min", 0), v.get("max", 10**9)) for s, v in top["stats"].items()}
        self.last_clock = len(top["clock"]["days"]) * len(top["clock"]["slots"]) - 1
        if "start" in top["clock"]:
            raise ValueError("naive engine: clock.start is not supported")
        self.start = top["start"]
        self.initial = tuple(top["stats"][s]["initial"] for s in self.stat_names)
        self.scenes: dict[str, tuple[tuple[Any, ...], ...]] = {}
        for path in sorted((root / "scenes").glob("*.yaml")):
            for sc in yaml.load(path.read_text(encoding="utf-8"), Loader=load):
                unknown = set(sc) - {"id", "title", "place", "text", "ending", "choices"}
                if unknown:
                    raise ValueError(f"naive engine: scene keys {unknown} are not supported")
                self.scenes[sc["id"]] = tuple(self._choice(c) for c in sc.get("choices", ()))

    def new_game(self, seed: int) -> tuple[Any, ...]:
        return (self.start, seed & _MASK, *self.initial, 0, 0, 0)

    def _choice(self, c: dict[str, Any]) -> tuple[Any, ...]:
        cond = self._cond(c["if"]) if "if" in c else None
        effects = tuple(self._effect(e) for e in c.get("do", ()))
        outcomes = tuple(
            (o["weight"], o["goto"], tuple(self._effect(e) for e in o.get("do", ())))
            for o in c.get("random", ())
        )
        return (c["id"], cond, effects, c.get("goto"), outcomes, sum(o[0] for o in outcomes))

    def _cond(self, src: str) -> Callable[[tuple[Any, ...]], bool]:
        terms = [self._term(t.strip()) for t in src.split(" and ")]
        if len(terms) == 1:
            return terms[0]
        a, b = terms
        return lambda s: a(s) and b(s)

    def _term(self, t: str) -> Callable[[tuple[Any, ...]], bool]:
        m = re.fullmatch(r"(\w+) (>=|<=|>|<|==) (\d+)", t)
        if m and m.group(1) in self.index:
            i, k = self.index[m.group(1)], int(m.group(3))
            ops: dict[str, Callable[[tuple[Any, ...]], bool]] = {
                ">=": lambda s: s[i] >= k,
                "<=": lambda s: s[i] <= k,
                ">": lambda s: s[i] > k,
                "<": lambda s: s[i] < k,
                "==": lambda s: s[i] == k,
            }
            return ops[m.group(2)]
        negate, name = (True, t[4:]) if t.startswith("not ") else (False, t)
        if name in self.flag_names:
            bit, at = 1 << self.flag_names.index(name), self.flags_at
            return (lambda s: not s[at] & bit) if negate else (lambda s: s[at] & bit != 0)
        raise ValueError(f"naive engine: condition {t!r} is not supported")

    def _effect(self, e: str) -> Callable[[list[Any]], None]:
        m = re.fullmatch(r"(\w+) ([+-])= (\d+)", e)
        if m and m.group(1) in self.index:
            i = self.index[m.group(1)]
            lo, hi = self.ranges[m.group(1)]
            d = int(m.group(3)) * (1 if m.group(2) == "+" else -1)

            def stat(v: list[Any]) -> None:
                v[i] = min(max(v[i] + d, lo), hi)

            return stat
        verb, _, name = e.partition(" ")
        if verb == "advance" and name.isdigit():
            n, last, at = int(name), self.last_clock, self.clock_at

            def advance(v: list[Any]) -> None:
                v[at] = min(v[at] + n, last)

            return advance
        table = {"set": (self.flag_names, self.flags_at), "give": (self.item_names, self.items_at)}
        if verb in table and name in table[verb][0]:
            names, at = table[verb]
            bit = 1 << names.index(name)

            def gain(v: list[Any]) -> None:
                v[at] |= bit

            return gain
        raise ValueError(f"naive engine: effect {e!r} is not supported")

    def step(self, state: tuple[Any, ...], choice: tuple[Any, ...]) -> tuple[Any, ...]:
        _, cond, effects, goto, outcomes, total = choice
        if cond is not None and not cond(state):
            return state
        v = list(state)
        for eff in effects:
            eff(v)
        if goto is None:
            x = (v[1] + 0x9E3779B97F4A7C15) & _MASK  # splitmix64, as the real engine draws
            z = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
            z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
            v[1] = x
            pick = (z ^ (z >> 31)) % total
            for weight, goto, outcome_effects in outcomes:  # noqa: B007
                pick -= weight
                if pick < 0:
                    break
            for eff in outcome_effects:
                eff(v)
        v[0] = goto
        return tuple(v)

    def summary(self, state: tuple[Any, ...]) -> tuple[Any, ...]:
        """The state by names, to compare with ours."""
        n = len(self.stat_names)
        return (
            state[0],
            state[1],
            dict(zip(self.stat_names, state[2 : 2 + n], strict=True)),
            tuple(f for i, f in enumerate(self.flag_names) if state[self.flags_at] >> i & 1),
            tuple(f for i, f in enumerate(self.item_names) if state[self.items_at] >> i & 1),
            state[self.clock_at],
        )


def ours_summary(world: Any, s: engine.State) -> tuple[Any, ...]:
    return (
        s.scene,
        s.rng,
        dict(zip(world.stat_names, s.stats, strict=True)),
        tuple(f for i, f in enumerate(world.flag_names) if s.flags >> i & 1),
        tuple(f for i, f in enumerate(world.item_names) if s.items >> i & 1),
        s.clock,
    )


# ---------------------------------------------------------------- the two walks


def menus(world: Any) -> dict[str, list[tuple[Any, engine.Choose]]]:
    """Each scene's (condition, action) list, built once, as the naive engine's scene tuples
    are: neither walk pays for its tables inside the timing."""
    return {
        sid: [(c.cond, engine.Choose(c.id)) for c in sc.choices] for sid, sc in world.scenes.items()
    }


def walk_ours(world: Any, actions: Any, steps: int, seed: int = 1) -> tuple[Any, int]:
    pick = random.Random(seed)
    rand = pick.random
    step, new_game = engine.step, engine.new_game
    state = new_game(world, seed)
    restarts = 0
    for _ in range(steps):
        options = [a for cond, a in actions[state.scene] if cond is None or cond(state)]
        if not options:
            state = new_game(world, pick.getrandbits(32))
            restarts += 1
            continue
        state, _events = step(world, state, options[int(rand() * len(options))])
    return state, restarts


def walk_naive(naive: Naive, steps: int, seed: int = 1) -> tuple[Any, int]:
    pick = random.Random(seed)
    rand = pick.random
    step, new_game, scenes = naive.step, naive.new_game, naive.scenes
    state = new_game(seed)
    restarts = 0
    for _ in range(steps):
        options = [c for c in scenes[state[0]] if c[1] is None or c[1](state)]
        if not options:
            state = new_game(pick.getrandbits(32))
            restarts += 1
            continue
        state = step(state, options[int(rand() * len(options))])
    return state, restarts


def lockstep(world: Any, naive: Naive, steps: int, seed: int = 5) -> None:
    """Both engines side by side, one chooser: the same choices open and the same state after
    every step, or the comparison is off."""
    pick = random.Random(seed)
    ours, theirs = engine.new_game(world, seed), naive.new_game(seed)
    for k in range(steps):
        a = [c.id for c in world.scenes[ours.scene].choices if c.cond is None or c.cond(ours)]
        b = [c for c in naive.scenes[theirs[0]] if c[1] is None or c[1](theirs)]
        if a != [c[0] for c in b]:
            raise SystemExit(f"step {k}: choices differ at {ours.scene}: {a} vs {b}")
        if not a:
            seed = pick.getrandbits(32)
            ours, theirs = engine.new_game(world, seed), naive.new_game(seed)
            continue
        i = pick.randrange(len(a))
        ours, _ = engine.step(world, ours, engine.Choose(a[i]))
        theirs = naive.step(theirs, b[i])
        if ours_summary(world, ours) != naive.summary(theirs):
            raise SystemExit(f"step {k}: states differ after {a[i]}")


# ---------------------------------------------------------------- front-end turn


def record(world: Any, steps: int, seed: int = 1) -> list[tuple[engine.State, engine.Choose]]:
    """(state, action) pairs of a random walk, to time a step alone and a turn on them."""
    pick = random.Random(seed)
    state = engine.new_game(world, seed)
    out = []
    while len(out) < steps:
        options = [
            engine.Choose(c.id)
            for c in world.scenes[state.scene].choices
            if c.cond is None or c.cond(state)
        ]
        if not options:
            state = engine.new_game(world, pick.getrandbits(32))
            continue
        action = options[pick.randrange(len(options))]
        out.append((state, action))
        state, _ = engine.step(world, state, action)
    return out


def bare_steps(world: Any, pairs: list[Any]) -> None:
    step = engine.step
    for state, action in pairs:
        step(world, state, action)


def turns(world: Any, pairs: list[Any]) -> None:
    step, text, choices = engine.step, view.text, view.choices
    for state, action in pairs:
        text(world, state)
        choices(world, state)
        step(world, state, action)


# ---------------------------------------------------------------- the long run


def resident_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except OSError:  # not Linux: the peak, which cannot show a fall but does show growth
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def slope(xs: list[float], ys: list[float]) -> float:
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den if den else 0.0


def long_run(world: Any, total: int, checkpoints: int = 10) -> list[tuple[int, float, float]]:
    """(steps so far, microseconds a step in the segment, resident MB) at each checkpoint. One
    walk, continued across segments (the state carries over), collector on as in play."""
    pick = random.Random(11)
    rand = pick.random
    step, new_game = engine.step, engine.new_game
    actions = menus(world)
    state = new_game(world, 11)
    seg = max(total // checkpoints, 1)
    out = []
    done = 0
    for _ in range(checkpoints):
        t0 = time.perf_counter()
        for _ in range(seg):
            options = [a for cond, a in actions[state.scene] if cond is None or cond(state)]
            if not options:
                state = new_game(world, pick.getrandbits(32))
                continue
            state, _events = step(world, state, options[int(rand() * len(options))])
        dt = time.perf_counter() - t0
        done += seg
        out.append((done, dt / seg * 1e6, resident_mb()))
    return out


# ---------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenes", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--steps", type=int, default=100_000, help="steps a round")
    ap.add_argument("--long", type=int, default=500_000, help="steps of the long run")
    ap.add_argument("--quick", action="store_true", help="a tiny run, to see the script works")
    args = ap.parse_args()
    if args.quick:
        args.scenes, args.rounds, args.steps, args.long = 200, 2, 3_000, 20_000
    table = Table(f"engine_speed: {args.scenes:,}-scene synthetic world")
    with tempfile.TemporaryDirectory() as tmp:
        root = make_world(args.scenes, Path(tmp) / "w")
        world = load_world(root, use_cache=False)
        naive = Naive(root)
    lockstep(world, naive, min(args.steps, 20_000))
    print(f"world: {args.scenes:,} scenes; the two engines agree step by step (lockstep)")

    # 1. the whole walk, choosing included
    finals: list[tuple[Any, Any]] = []
    actions = menus(world)

    def ours() -> None:
        state, restarts = walk_ours(world, actions, args.steps)
        finals.append(("ours", (ours_summary(world, state), restarts)))

    def theirs() -> None:
        state, restarts = walk_naive(naive, args.steps)
        finals.append(("naive", (naive.summary(state), restarts)))

    pair = paired(theirs, ours, args.rounds)
    if len({repr(f) for _, f in finals}) != 1:
        raise SystemExit("the two walks ended in different states: not the same walk")
    walk = spread(pair.speedups)
    ours_rate, naive_rate = args.steps / pair.median_b(), args.steps / pair.median_a()
    print(
        f"whole walk, {args.steps:,} steps a round: ours {ours_rate:,.0f} steps/s, "
        f"naive {naive_rate:,.0f} steps/s; ours/naive speed {walk}"
    )
    table.add(
        "whole walk: ours / naive engine speed",
        f"{walk.median:.2f}x",
        ">= 0.50x",
        walk.median >= 0.5,
    )
    table.add_spread(walk)
    table.add("whole walk, ours", f"{ours_rate:,.0f} steps/s")
    table.add("whole walk, naive engine", f"{naive_rate:,.0f} steps/s")

    # 2. a front end's turn against the bare step
    pairs = record(world, args.steps // 2)
    front = paired(lambda: bare_steps(world, pairs), lambda: turns(world, pairs), args.rounds)
    turn = spread(front.speedups)
    step_rate = len(pairs) / front.median_a()
    print(f"front-end turn / bare step speed {turn}; bare engine.step {step_rate:,.0f}/s")
    table.add(
        "front-end turn / bare step speed", f"{turn.median:.2f}x", ">= 0.70x", turn.median >= 0.7
    )
    table.add_spread(turn)
    table.add("engine.step alone (recorded walk)", f"{step_rate:,.0f} steps/s")

    # 3. the long run
    points = long_run(world, args.long)
    print(f"long walk, {args.long:,} steps, by checkpoint (steps, us/step, resident MB):")
    for n, us, mb in points:
        print(f"  {n:>11,}  {us:6.2f}  {mb:7.1f}")
    millions = [n / 1e6 for n, _, _ in points]
    cost = slope(millions, [us for _, us, _ in points])
    growth = slope(millions[1:], [mb for _, _, mb in points[1:]])
    # Halves rather than the first and last segment: one segment can meet a busy moment.
    half = len(points) // 2
    late = statistics.median(us for _, us, _ in points[half:]) / statistics.median(
        us for _, us, _ in points[:half]
    )
    print(f"slopes: {cost:+.3f} us/step and {growth:+.2f} MB per million steps")
    table.add("long walk: late / early half, cost a step", f"{late:.2f}x", "<= 1.20x", late <= 1.2)
    table.add("long walk: cost slope", f"{cost:+.3f} us/step per M steps")
    table.add(
        "long walk: memory slope after 1st checkpoint",
        f"{growth:+.2f} MB per M steps",
        "<= 1.00",
        growth <= 1.0,
    )
    table.print()


if __name__ == "__main__":
    main()

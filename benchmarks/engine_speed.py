"""Engine throughput: choice steps per second on a random walk of the 10,000-scene world.

    python benchmarks/engine_speed.py [N_SCENES] [STEPS]

The walker picks uniformly among the choices whose condition holds (as a player could) and
calls the real `engine.step`, undo history and events included; an ending restarts the walk.
Two figures: `engine.step` alone, replaying a recorded walk (what the target is about: at
least 200,000 steps per second), and the whole walk, the walker's own choosing included.
Also shows that a step's cost does not grow with the length of the run.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
os.environ.setdefault("NEURIPSQUEST_CACHE", "off")

from synth import make_world  # noqa: E402

from neuripsquest.core import engine  # noqa: E402
from neuripsquest.store.loader import load_world  # noqa: E402


def walk(world, steps: int, seed: int = 1) -> tuple[float, int]:
    pick = random.Random(seed)
    Choose, step, scenes = engine.Choose, engine.step, world.scenes
    state = engine.new_game(world, seed)
    actions = {sid: [(c.cond, Choose(c.id)) for c in sc.choices] for sid, sc in scenes.items()}
    restarts = 0
    rand = pick.random
    t0 = time.perf_counter()
    for _ in range(steps):
        options = [a for cond, a in actions[state.scene] if cond is None or cond(state)]
        if not options:
            state = engine.new_game(world, pick.getrandbits(32))
            restarts += 1
            continue
        state, _events = step(world, state, options[int(rand() * len(options))])
    return time.perf_counter() - t0, restarts


def record(world, steps: int, seed: int = 1) -> list:
    """(state, action) pairs of a random walk, to time the engine alone on them."""
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


def time_steps(world, pairs: list) -> float:
    step = engine.step
    t0 = time.perf_counter()
    for state, action in pairs:
        step(world, state, action)
    return time.perf_counter() - t0


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 300_000
    with tempfile.TemporaryDirectory() as tmp:
        world = load_world(make_world(n, Path(tmp) / "w"), use_cache=False)
    walk(world, 20_000)  # warm up
    pairs = record(world, steps)
    engine_rates = sorted(steps / time_steps(world, pairs) for _ in range(5))
    rates = sorted(steps / walk(world, steps)[0] for _ in range(3))
    print(f"world: {n} scenes; {steps:,} steps a run")
    print(
        f"engine.step on a recorded random walk: median {engine_rates[2]:,.0f}/s, "
        f"best {engine_rates[-1]:,.0f}/s (target 200,000/s)"
    )
    print(f"whole walk, choosing included: median {rates[1]:,.0f}/s, best {rates[-1]:,.0f}/s")
    # Cost per step early in a run vs late: history is bounded, so they should match.
    short, _ = walk(world, 10_000, seed=7)
    long_, _ = walk(world, 200_000, seed=7)
    early, late = short / 10_000 * 1e6, long_ / 200_000 * 1e6
    print(f"per step: first 10k {early:.2f} us, over 200k {late:.2f} us")
    tracemalloc.start()
    walk(world, 50_000, seed=3)
    cur, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"memory during a 50k-step walk: peak {peak / 1e6:.1f} MB above the loaded world")


if __name__ == "__main__":
    main()

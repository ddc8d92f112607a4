"""A front end's turn against the bare step: the scene's text, its choice list and the step,
against `engine.step` alone, on the same recorded random walk.

    python benchmarks/turn_speed.py [N_SCENES|world DIR] [STEPS] [ROUNDS]

Prints turn / step speed (1.0: showing a scene costs nothing; the target is at least 0.7), in
alternating rounds with GC off while timing, median and spread.
"""

from __future__ import annotations

import gc
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from naive_engine import _load  # noqa: E402

from neuripsquest.core import engine  # noqa: E402
from neuripsquest.play import view  # noqa: E402


def record(world, steps: int, seed: int = 1) -> list:
    """(state, action) pairs of a random walk among the choices a player could pick."""
    pick = random.Random(seed)
    state = engine.new_game(world, seed)
    out: list = []
    while len(out) < steps:
        open_ = [c.id for c in view.choices(world, state) if c.enabled]
        if not open_:
            state = engine.new_game(world, pick.getrandbits(32))
            continue
        action = engine.Choose(open_[pick.randrange(len(open_))])
        out.append((state, action))
        state, _ = engine.step(world, state, action)
    return out


def time_steps(world, pairs: list) -> float:
    step = engine.step
    t0 = time.perf_counter()
    for state, action in pairs:
        step(world, state, action)
    return time.perf_counter() - t0


def time_turns(world, pairs: list) -> float:
    step, text, choices = engine.step, view.text, view.choices
    t0 = time.perf_counter()
    for state, action in pairs:
        text(world, state)
        choices(world, state)
        step(world, state, action)
    return time.perf_counter() - t0


def compare(world, steps: int = 100_000, rounds: int = 7) -> dict:
    pairs = record(world, steps)
    time_turns(world, pairs[:5_000])  # warm up, and fill the view's tables as play would
    ratios, step_rates, turn_rates = [], [], []
    gc.disable()
    try:
        for _ in range(rounds):
            a = time_steps(world, pairs)
            b = time_turns(world, pairs)
            ratios.append(a / b)
            step_rates.append(steps / a)
            turn_rates.append(steps / b)
    finally:
        gc.enable()
    return {
        "step": statistics.median(step_rates),
        "turn": statistics.median(turn_rates),
        "ratio": statistics.median(ratios),
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
    }


def main() -> None:
    where = sys.argv[1] if len(sys.argv) > 1 else "10000"
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    r = compare(_load(where), steps, rounds)
    print(f"world: {where}; {steps:,} recorded steps, {rounds} rounds")
    print(f"engine.step alone:             {r['step']:,.0f}/s (median)")
    print(f"text + choices + engine.step:  {r['turn']:,.0f}/s (median)")
    print(
        f"turn / step: median {r['ratio']:.2f}x, spread {r['ratio_min']:.2f}-{r['ratio_max']:.2f}"
        " (target 0.7x)"
    )


if __name__ == "__main__":
    main()

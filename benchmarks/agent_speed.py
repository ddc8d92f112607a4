"""Environment steps per second through the Python API: NeurIPS Quest's Gymnasium environment
(`gymnasium.make("NeuripsQuest-v0")`, with its default wrappers) against TextWorldExpress on
its simplest game (Coin Collector, one room, no distractors, no doors), round by round,
alternating which goes first (`paired`).

Both sides play the same policy: a uniformly random valid action, from a seeded
`random.Random`, resetting when an episode ends. Ours is measured twice: with the full
observation (the scene as text, the numbered actions, and the structured part) and with the
structured part only (`observation="structured"`; the valid actions still come in `info`).

Targets (issue 16): full observation at least TextWorldExpress's rate; structured only at least
5x it. TextWorldExpress needs its PyPI package (`pip install textworld-express`) and a Java
runtime (Debian: default-jre-headless); without either, its side is skipped, said so, and only
our rates are shown.

    PYTHONPATH=src python benchmarks/agent_speed.py [STEPS] [ROUNDS]
"""

from __future__ import annotations

import importlib.util
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from paired import Table, paired, spread  # noqa: E402

TWX_GAME = "coin"
TWX_PARAMS = "numLocations=1,numDistractorItems=0,includeDoors=0,limitInventorySize=0"


def ours(observation: str, steps: int):
    import gymnasium as gym

    import neuripsquest.agents.env  # noqa: F401  (registers NeuripsQuest-v0)

    env = gym.make("NeuripsQuest-v0", observation=observation)

    def run() -> float:
        rng = random.Random(0)
        _, info = env.reset(seed=0)
        t0 = time.perf_counter()
        for _ in range(steps):
            k = rng.choice(info["valid_actions"])[0]
            _, _, term, trunc, info = env.step(k)
            if term or trunc:
                _, info = env.reset()
        return time.perf_counter() - t0

    return run


def twx_missing() -> str:
    if importlib.util.find_spec("textworld_express") is None:
        return "TextWorldExpress is not installed (pip install textworld-express)"
    if shutil.which("java") is None:
        return "no Java runtime on PATH (Debian: apt-get install default-jre-headless)"
    return ""


def twx(steps: int):
    from textworld_express import TextWorldExpressEnv

    env = TextWorldExpressEnv(envStepLimit=100)
    env.load(TWX_GAME, TWX_PARAMS)

    def run() -> float:
        rng = random.Random(0)
        _, infos = env.reset(seed=0, gameFold="train")
        t0 = time.perf_counter()
        for _ in range(steps):
            _, _, done, infos = env.step(rng.choice(infos["validActions"]))
            if done:
                _, infos = env.reset(seed=0, gameFold="train")
        return time.perf_counter() - t0

    return run, env


def main() -> None:
    steps = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    full, structured = ours("full", steps), ours("structured", steps)
    table = Table(f"agent environment speed, {steps:,} steps a round")
    missing = twx_missing()
    if missing:
        print(f"TextWorldExpress side skipped: {missing}")
        for name, run in (("full", full), ("structured", structured)):
            rates = [steps / run() for _ in range(rounds)]
            table.add(f"ours, {name} observation (steps/s, median)", f"{spread(rates).median:,.0f}")
        table.print()
        return
    theirs, env = twx(steps)
    try:
        vs_full = paired(theirs, full, rounds)
        vs_structured = paired(theirs, structured, rounds)
    finally:
        env.close()
    their_rate = statistics_median([steps / t for t in vs_full.a + vs_structured.a])
    table.add("TextWorldExpress coin, 1 room (steps/s, median)", f"{their_rate:,.0f}")
    table.add(
        "ours, full observation (steps/s, median)",
        f"{statistics_median([steps / t for t in vs_full.b]):,.0f}",
    )
    table.add(
        "ours, structured only (steps/s, median)",
        f"{statistics_median([steps / t for t in vs_structured.b]):,.0f}",
    )
    s_full, s_struct = spread(vs_full.speedups), spread(vs_structured.speedups)
    table.add(
        "full observation / TextWorldExpress", f"{s_full.median:.2f}x", ">= 1x", s_full.median >= 1
    )
    table.add_spread(s_full)
    table.add(
        "structured only / TextWorldExpress",
        f"{s_struct.median:.2f}x",
        ">= 5x",
        s_struct.median >= 5,
    )
    table.add_spread(s_struct)
    table.print()


def statistics_median(values: list[float]) -> float:
    import statistics

    return statistics.median(values)


if __name__ == "__main__":
    main()

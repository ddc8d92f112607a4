"""The baselines table of docs/agents.md: every agent on every goal family, made by the same
`baselines.evaluate` that `neuripsquest agents eval` runs. `benchmarks/agents_table.py` writes
it between the markers below; a test checks the doc still holds what this produces."""

from __future__ import annotations

import random
from pathlib import Path

from neuripsquest.agents import baselines, goals

BEGIN = "<!-- agents-table:begin -->"
END = "<!-- agents-table:end -->"
EPISODES = 20
SEED = 0
MAX_STEPS = baselines.DEFAULT_MAX_STEPS


def table(world_dir: Path, episodes: int = EPISODES, seed: int = SEED) -> str:
    from neuripsquest.store.loader import load_world

    world = load_world(world_dir)
    planner = baselines.make_planner(world_dir)
    rows = [
        f"| Goal | Agent | Success | Mean steps | Mean steps to win | Endings "
        f"({episodes} episodes, seeds {seed} to {seed + episodes - 1}) |",
        "| --- | --- | ---: | ---: | ---: | --- |",
    ]
    for goal in goals.FAMILIES:
        wanted = goals.endings_for(world, goal)
        for name in baselines.AGENTS:
            agent = baselines.make_agent(
                name, world_dir, world, wanted, random.Random(seed), planner
            )
            s = baselines.evaluate(world, agent, name, goal, episodes, seed, MAX_STEPS)
            win = "" if s.mean_win_steps is None else f"{s.mean_win_steps:.1f}"
            mix = ", ".join(f"{e or 'step limit'} {n}" for e, n in sorted(s.endings.items()))
            rows.append(
                f"| {goal} | {name} | {s.success:.0%} | {s.mean_steps:.1f} | {win} | {mix} |"
            )
    return "\n".join(rows) + "\n"


def in_doc(text: str) -> str:
    """The table between the markers of a doc's text ("" when it has none)."""
    if BEGIN not in text or END not in text:
        return ""
    return text.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def replace_in_doc(text: str, new_table: str) -> str:
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{new_table}{END}{tail}"

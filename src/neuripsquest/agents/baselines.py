"""Baseline agents and `neuripsquest agents eval`: success rate, mean steps and how the
episodes ended, per agent and goal.

Episode i of an evaluation plays the game seeded `seed + i`; the agents' own choices draw
from a generator seeded by `seed` too, so an evaluation is the same every time it runs. The
agents play through `game` (what the environment wraps), so an evaluation needs no Gymnasium.

- random: any open action, uniformly.
- novelty: the open action tried least often so far in this scene (over all the episodes of
  the evaluation), ties broken at random: it spreads its episodes over the story.
- oracle: follows the shortest winning path it finds (`oracle`); the upper bound.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

from neuripsquest.agents import game, goals
from neuripsquest.core import engine
from neuripsquest.core.state import State
from neuripsquest.core.world import World

AGENTS = ("random", "novelty", "oracle")
DEFAULT_MAX_STEPS = 500


class Agent(Protocol):
    def begin(self, state: State) -> None: ...

    def pick(self, state: State, options: list[game.Slot]) -> int: ...


class RandomAgent:
    def __init__(self, rng: random.Random):
        self.rng = rng

    def begin(self, state: State) -> None:
        pass

    def pick(self, state: State, options: list[game.Slot]) -> int:
        open_ = [k for k, s in enumerate(options) if s.enabled]
        return open_[self.rng.randrange(len(open_))]


class NoveltyAgent:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.tried: Counter[tuple[str, int]] = Counter()

    def begin(self, state: State) -> None:
        pass

    def pick(self, state: State, options: list[game.Slot]) -> int:
        open_ = [k for k, s in enumerate(options) if s.enabled]
        least = min(self.tried[(state.scene, k)] for k in open_)
        fresh = [k for k in open_ if self.tried[(state.scene, k)] == least]
        k = fresh[self.rng.randrange(len(fresh))]
        self.tried[(state.scene, k)] += 1
        return k


class OracleAgent:
    """Plays its planned path; where it has none (no known path wins with this seed), or the
    game leaves the plan, it plays at random."""

    def __init__(self, planner: Any, goal: frozenset[str], rng: random.Random):
        self.planner, self.goal, self.rng = planner, goal, rng
        self.path: tuple[int, ...] = ()
        self.at = 0

    def begin(self, state: State) -> None:
        self.path = self.planner.plan(self.goal, state.seed) or ()
        self.at = 0

    def pick(self, state: State, options: list[game.Slot]) -> int:
        if self.at < len(self.path) and options[self.path[self.at]].enabled:
            self.at += 1
            return self.path[self.at - 1]
        self.path = ()
        open_ = [k for k, s in enumerate(options) if s.enabled]
        return open_[self.rng.randrange(len(open_))]


@dataclass
class Summary:
    agent: str
    goal: str
    episodes: int
    seed: int
    wins: int = 0
    steps: list[int] = field(default_factory=list)
    win_steps: list[int] = field(default_factory=list)
    endings: Counter[str] = field(default_factory=Counter)  # "" for the step limit

    @property
    def success(self) -> float:
        return self.wins / self.episodes if self.episodes else 0.0

    @property
    def mean_steps(self) -> float:
        return sum(self.steps) / len(self.steps) if self.steps else 0.0

    @property
    def mean_win_steps(self) -> float | None:
        return sum(self.win_steps) / len(self.win_steps) if self.win_steps else None

    def to_json(self) -> dict[str, Any]:
        return {
            "agent": self.agent,
            "goal": self.goal,
            "episodes": self.episodes,
            "seed": self.seed,
            "success_rate": self.success,
            "mean_steps": self.mean_steps,
            "mean_steps_to_win": self.mean_win_steps,
            "endings": {e or "step limit": n for e, n in sorted(self.endings.items())},
        }


def make_agent(
    name: str,
    world_dir: Path,
    world: World,
    goal: frozenset[str],
    rng: random.Random,
    planner: Any = None,
) -> Agent:
    if name == "random":
        return RandomAgent(rng)
    if name == "novelty":
        return NoveltyAgent(rng)
    if name == "oracle":
        return OracleAgent(planner or make_planner(world_dir), goal, rng)
    raise ValueError(f"unknown agent '{name}': one of {', '.join(AGENTS)}")


def make_planner(world_dir: Path) -> Any:
    from neuripsquest.agents import oracle, walkthroughs

    world, memo = oracle.explorer_key(world_dir)
    return oracle.Oracle(world, memo, walkthroughs.references(world))


def evaluate(
    world: World,
    agent: Agent,
    name: str,
    goal: str,
    episodes: int,
    seed: int,
    max_steps: int = DEFAULT_MAX_STEPS,
) -> Summary:
    wanted = goals.endings_for(world, goal)
    out = Summary(name, goal, episodes, seed)
    for i in range(episodes):
        state = engine.new_game(world, seed + i)
        agent.begin(state)
        steps = 0
        while steps < max_steps and game.ending(world, state) is None:
            options = game.slots(world, state)
            state, _, _ = game.act(world, state, agent.pick(state, options))
            steps += 1
        end = game.ending(world, state) or ""
        out.steps.append(steps)
        out.endings[end] += 1
        if end in wanted:
            out.wins += 1
            out.win_steps.append(steps)
    return out


def run_eval(
    world_dir: Path,
    agent: str,
    goal: str,
    episodes: int,
    seed: int,
    max_steps: int,
    fmt: str,
    out: IO[str],
    err: IO[str],
) -> int:
    """`neuripsquest agents eval`."""
    from neuripsquest.problems import WorldError
    from neuripsquest.store.loader import load_world

    try:
        world = load_world(world_dir)
        wanted = goals.endings_for(world, goal)
    except WorldError as exc:
        for p in exc.problems:
            print(p, file=err)
        return 1
    except goals.GoalError as exc:
        print(f"neuripsquest agents eval: {exc}", file=err)
        return 2
    rng = random.Random(seed)
    summary = evaluate(
        world,
        make_agent(agent, world_dir, world, wanted, rng),
        agent,
        goal,
        episodes,
        seed,
        max_steps,
    )
    if fmt == "json":
        out.write(json.dumps(summary.to_json(), indent=2) + "\n")
    else:
        out.write(describe(summary))
    return 0


def describe(s: Summary) -> str:
    win = "" if s.mean_win_steps is None else f" (winning episodes: {s.mean_win_steps:.1f})"
    mix = ", ".join(f"{e or 'step limit'} {n}" for e, n in s.endings.most_common())
    return (
        f"agent {s.agent}, goal {s.goal}, {s.episodes} episodes from seed {s.seed}\n"
        f"success rate  {s.success:.1%} ({s.wins} of {s.episodes})\n"
        f"mean steps    {s.mean_steps:.1f}{win}\n"
        f"endings       {mix}\n"
    )

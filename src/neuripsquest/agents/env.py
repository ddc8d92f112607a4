"""`NeuripsQuest-v0`: the game as a Gymnasium environment (the `rl` extra; docs/agents.md).

Observation: a Dict of the scene as text with its numbered actions (`text`, left out with
`observation="structured"`), the scene's number, the clock, the stats, and the flags and items
as 0/1 vectors. Action: `Discrete(max actions)`, action k being the k-th numbered action of
`game.slots`; `info["action_mask"]` marks the open ones and `info["valid_actions"]` words
them. Reward: 1 on reaching an ending the goal names, 0 on any other ending, minus
`step_cost` per step. `get_state`/`set_state` clone a run exactly and cheaply (the engine's
state is an immutable value).
"""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any, Literal

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from neuripsquest.agents import game, goals
from neuripsquest.core import engine
from neuripsquest.core.money import format_money
from neuripsquest.core.state import State
from neuripsquest.core.world import World
from neuripsquest.records import Record

ENV_ID = "NeuripsQuest-v0"
_SEED_LIMIT = 2**63  # a drawn game seed: any the engine takes (it keeps 64 bits)


class EnvState(Record):
    """A snapshot for `set_state`: the game's state, the steps taken, what the last step said."""

    state: State
    steps: int
    heard: tuple[str, ...]


class NeuripsQuestEnv(gym.Env[dict[str, Any], np.int64]):
    metadata = {"render_modes": ["ansi"]}

    def __init__(
        self,
        world: World | None = None,
        world_dir: str | Path | None = None,
        goal: str = "any",
        max_steps: int = 500,
        step_cost: float = 0.0,
        observation: Literal["full", "structured"] = "full",
        render_mode: str | None = None,
    ):
        if world is None:
            from neuripsquest.store.loader import load_world, resolve_world_dir

            world = load_world(resolve_world_dir(world_dir))
        if observation not in ("full", "structured"):
            raise ValueError("observation is 'full' or 'structured'")
        if render_mode not in (None, "ansi"):
            raise ValueError("render_mode is None or 'ansi'")
        self.world = world
        self.goal = goal
        self.goal_endings = goals.endings_for(world, goal)
        self.max_steps = max_steps
        self.step_cost = float(step_cost)
        self.full = observation == "full"
        self.render_mode = render_mode
        self.scene_ids = tuple(world.scenes)
        self._scene_number = {s: i for i, s in enumerate(self.scene_ids)}
        self.n_actions = game.max_actions(world)
        self.action_space = spaces.Discrete(self.n_actions)
        lows = np.array([lo for lo, _ in world.stat_ranges], dtype=np.int64)
        highs = np.array([hi for _, hi in world.stat_ranges], dtype=np.int64)
        parts: dict[str, spaces.Space[Any]] = {
            "scene": spaces.Discrete(len(self.scene_ids)),
            "clock": spaces.Discrete(world.last_clock + 1),
            "stats": spaces.Box(lows, highs, dtype=np.int64),
            "flags": spaces.MultiBinary(len(world.flag_names)),
            "items": spaces.MultiBinary(len(world.item_names)),
        }
        if self.full:
            chars, longest = _text_bounds(world)
            parts["text"] = spaces.Text(longest, charset=chars)
        self.observation_space = spaces.Dict(parts)
        self._run = EnvState(engine.new_game(world, 0), 0, ())
        self._slots = game.slots(world, self._run.state)  # the current state's, kept
        self._bit_arrays: dict[tuple[int, int], np.ndarray] = {}

    # ---- the Gymnasium API

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """A new game. With `seed`, the game's own seed is `seed` (so a recorded walkthrough's
        seed replays it); without, one drawn from the environment's generator."""
        super().reset(seed=seed)
        game_seed = seed if seed is not None else int(self.np_random.integers(_SEED_LIMIT))
        self._run = EnvState(engine.new_game(self.world, game_seed), 0, ())
        return self._observe(), self._info(accepted=True)

    def step(self, action: Any) -> tuple[dict[str, Any], float, bool, bool, dict[str, Any]]:
        state, steps, _ = self._run
        try:
            k = int(action)
        except (TypeError, ValueError):
            k = -1
        new, events, accepted = game.act(self.world, state, k, self._slots)
        # What the step said is text: worked out only for the full observation.
        heard = game.said(self.world, new, events) if self.full else ()
        self._run = EnvState(new, steps + 1, heard)
        end = game.ending(self.world, new)
        terminated = end is not None
        reward = 0.0 - self.step_cost  # (not -0.0 when steps are free)
        if terminated and accepted:
            reward += 1.0 if end in self.goal_endings else 0.0
        truncated = not terminated and steps + 1 >= self.max_steps
        return self._observe(), reward, terminated, truncated, self._info(accepted)

    def render(self) -> str | None:
        if self.render_mode != "ansi":
            return None
        state, _, heard = self._run
        return game.render(self.world, state, heard)

    # ---- for search agents and tools

    def get_state(self) -> EnvState:
        """The run as it stands; immutable, so keeping it costs nothing and copies nothing."""
        return self._run

    def set_state(self, snapshot: EnvState) -> tuple[dict[str, Any], dict[str, Any]]:
        """Go back to a snapshot from `get_state`; the observation and info there."""
        if not isinstance(snapshot, EnvState) or snapshot.state.scene not in self.world.scenes:
            raise ValueError("set_state takes what get_state returned, for this world")
        self._run = snapshot
        return self._observe(), self._info(accepted=True)

    @property
    def state(self) -> State:
        return self._run.state

    def valid_actions(self) -> list[tuple[int, str]]:
        """The open actions as (number, text)."""
        return [
            (k, s.text) for k, s in enumerate(game.slots(self.world, self._run.state)) if s.enabled
        ]

    def action_mask(self) -> np.ndarray:
        mask = np.zeros(self.n_actions, dtype=np.int8)
        for k, s in enumerate(game.slots(self.world, self._run.state)):
            mask[k] = s.enabled
        return mask

    # ---- observation

    def _bits(self, bits: int, n: int) -> np.ndarray:
        """A bit set as a 0/1 vector; a copy, since an agent may keep or change what it got."""
        made = self._bit_arrays.get((bits, n))
        if made is None:
            if len(self._bit_arrays) > 100_000:  # a long run meets many sets: stay bounded
                self._bit_arrays.clear()
            made = self._bit_arrays[(bits, n)] = np.array(
                [bits >> i & 1 for i in range(n)], dtype=np.int8
            )
        return made.copy()

    def _observe(self) -> dict[str, Any]:
        world, (state, _, heard) = self.world, self._run
        obs: dict[str, Any] = {
            "scene": self._scene_number[state.scene],
            "clock": state.clock,
            "stats": np.array(state.stats, dtype=np.int64),
            "flags": self._bits(state.flags, len(world.flag_names)),
            "items": self._bits(state.items, len(world.item_names)),
        }
        if self.full:
            obs["text"] = game.render(world, state, heard)
        return obs

    def _info(self, accepted: bool) -> dict[str, Any]:
        world, (state, steps, heard) = self.world, self._run
        options = self._slots = game.slots(world, state)
        mask = np.zeros(self.n_actions, dtype=np.int8)
        mask[: len(options)] = [s.enabled for s in options]
        return {
            "action_mask": mask,
            "valid_actions": [(k, s.text) for k, s in enumerate(options) if s.enabled],
            "scene_id": state.scene,
            "ending": game.ending(world, state),
            "accepted": accepted,
            "said": heard,
            "steps": steps,
        }


def _text_bounds(world: World) -> tuple[str, int]:
    """The characters an observation's text can hold and its greatest length, from every
    string of the world the text can show, so the Text space contains every observation."""
    chars = set(string.printable)
    chars.update(format_money(10**18 - 1), "–—…’“”·")
    longest = 0
    said = 0  # the longest things a step can say, said above the scene
    places = max((len(p) for p in world.places.values()), default=0)
    for sc in world.scenes.values():
        texts = [sc.title, sc.text, sc.revisit or "", *(t for _, t in sc.extras)]
        for c in sc.choices:
            texts += [c.text, c.disabled or "", c.reply, *(o.text for o in c.outcomes)]
            said = max(said, len(c.reply) + max((len(o.text) for o in c.outcomes), default=0))
        if sc.input is not None:
            texts += [sc.input.prompt, sc.input.hint, *(o.reply for o in sc.input.outcomes)]
            said = max(said, max(len(o.reply) for o in sc.input.outcomes))
        for t in texts:
            chars.update(t)
        body = len(sc.title) + places + len(sc.text) + len(sc.revisit or "")
        body += sum(len(t) + 2 for _, t in sc.extras)
        body += sum(len(c.text) + len(c.disabled or "") + 200 for c in sc.choices)
        if sc.input is not None:
            body += (
                len(sc.input.prompt) + len(sc.input.hint) + sum(len(a) + 8 for a in game.AMOUNTS)
            )
        body += 24 * sum(t.count("{") for t in texts)  # a placeholder says at most a long amount
        longest = max(longest, body)
    for group in (
        world.places.values(),
        world.endings.values(),
        world.days,
        world.slots,
        world.stat_labels,
        world.item_titles.values(),
    ):
        for t in group:
            chars.update(t)
    # Besides the replies and outcomes: a line per stat, item, and the time (view.describe).
    lines = 80 * (len(world.stat_names) + len(world.item_names) + 2)
    return "".join(sorted(chars)), longest + said + lines + 200


def register() -> None:
    """Make `gymnasium.make("NeuripsQuest-v0")` work; importing this module does it."""
    if ENV_ID not in gym.registry:
        gym.register(id=ENV_ID, entry_point="neuripsquest.agents.env:NeuripsQuestEnv")


register()

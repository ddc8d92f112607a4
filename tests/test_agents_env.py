"""The Gymnasium environment: Gymnasium's own checker, determinism, the mask against what the
front ends show, state clones, walkthroughs replayed for reward, vector environments."""

import random

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

from neuripsquest.agents import game, goals, walkthroughs
from neuripsquest.agents.env import ENV_ID, NeuripsQuestEnv
from neuripsquest.play import view

from .conftest import ROOT, WORLD


@pytest.fixture(scope="module")
def world():
    from neuripsquest.store.loader import load_world

    return load_world(WORLD, use_cache=False)


@pytest.fixture(scope="module")
def refs(world):
    return walkthroughs.references(world, ROOT / "tests" / "playthroughs")


def random_run(env, seed, steps, pick_seed=0):
    """Observations and rewards of `steps` random open actions after reset(seed)."""
    rng = random.Random(pick_seed)
    obs, info = env.reset(seed=seed)
    seen = [obs]
    for _ in range(steps):
        open_ = np.flatnonzero(info["action_mask"])
        obs, reward, term, trunc, info = env.step(int(rng.choice(open_)))
        seen.append((obs, reward))
        if term or trunc:
            obs, info = env.reset()
            seen.append(obs)
    return seen


def same(a, b):
    from gymnasium.utils.env_checker import data_equivalence

    return data_equivalence(a, b, exact=True)


@pytest.mark.parametrize("mode", ["full", "structured"])
def test_gymnasiums_checker_passes(world, mode):
    check_env(NeuripsQuestEnv(world, observation=mode), skip_render_check=True)


def test_made_by_its_id_with_a_goal():
    env = gym.make(ENV_ID, goal="number", max_steps=7)
    env.reset(seed=1)
    assert env.unwrapped.goal_endings == {"named_number"}
    with pytest.raises(goals.GoalError, match="unknown goal 'nope'"):
        gym.make(ENV_ID, goal="nope")


def test_same_seed_same_actions_same_observations(world):
    a = random_run(NeuripsQuestEnv(world), 5, 1500)
    b = random_run(NeuripsQuestEnv(world), 5, 1500)
    assert same(a, b)
    c = random_run(NeuripsQuestEnv(world), 6, 1500)
    assert not same(a, c)  # the seed reaches the game: another seed, another run


def test_observations_stay_in_their_space(world):
    env = NeuripsQuestEnv(world)
    for obs in random_run(env, 2, 400, pick_seed=3):
        obs = obs[0] if isinstance(obs, tuple) else obs
        assert env.observation_space.contains(obs), obs["text"][:200]


def test_the_mask_is_what_the_front_ends_show(world):
    """Action k is the k-th choice play/view shows, open exactly when view says so; at the
    money prompt, the fixed amounts."""
    env = NeuripsQuestEnv(world)
    rng = random.Random(1)
    obs, info = env.reset(seed=11)
    checked = prompts = locked = 0
    for _ in range(3000):
        state = env.state
        scene = world.scenes[state.scene]
        mask = info["action_mask"]
        if scene.input is not None:
            assert mask.tolist() == [1] * len(game.AMOUNTS) + [0] * (len(mask) - len(game.AMOUNTS))
            prompts += 1
        else:
            shown = view.choices(world, state)
            want = [int(c.enabled) for c in shown] + [0] * (len(mask) - len(shown))
            assert mask.tolist() == want
            for c in shown:
                assert f"{c.number}. " in obs["text"] and c.text in obs["text"]
            locked += sum(not c.enabled for c in shown)
        assert [k for k, _ in info["valid_actions"]] == np.flatnonzero(mask).tolist()
        checked += 1
        obs, _, term, trunc, info = env.step(int(rng.choice(np.flatnonzero(mask))))
        if term or trunc:
            obs, info = env.reset()
    assert prompts and locked  # both kinds of scene were met


def test_a_masked_action_changes_nothing(world):
    env = NeuripsQuestEnv(world, step_cost=0.01)
    obs, info = env.reset(seed=0)
    closed = np.flatnonzero(info["action_mask"] == 0)[0]
    before = env.get_state()
    obs, reward, term, trunc, info = env.step(int(closed))
    assert env.state is before.state and not info["accepted"] and reward == -0.01
    assert info["said"] and "no action" in info["said"][0]


def test_get_and_set_state_round_trip(world):
    env = NeuripsQuestEnv(world)
    obs, info = env.reset(seed=4)
    for k in (0, 0, 0):
        env.step(int(np.flatnonzero(info["action_mask"])[k]))
    snap = env.get_state()
    here = env.set_state(snap)
    first = random_run_from(env, 60)
    again = env.set_state(snap)
    assert same(here, again)
    assert same(first, random_run_from(env, 60))
    with pytest.raises(ValueError):
        env.set_state("not a snapshot")


def random_run_from(env, steps):
    rng = random.Random(9)
    seen = []
    info = env._info(True)
    for _ in range(steps):
        obs, r, term, trunc, info = env.step(int(rng.choice(np.flatnonzero(info["action_mask"]))))
        seen.append((obs, r, term))
        if term:
            break
    return seen


def test_walkthroughs_replayed_through_the_env_win_their_goal(world, refs):
    endings = {r.ending for r in refs}
    assert endings >= {"named_number", "hinton_walk", "joined_lab"}  # all ten files load
    for ref in refs:
        env = NeuripsQuestEnv(world, goal=ref.ending)
        env.reset(seed=ref.seed)
        total = 0.0
        for n, k in enumerate(ref.actions):
            _, reward, term, trunc, info = env.step(k)
            total += reward
            assert info["accepted"], (ref.name, n)
            assert term == (n == len(ref.actions) - 1)
        assert total == 1.0 and info["ending"] == ref.ending


def test_reward_is_zero_on_another_ending_and_steps_cost(world, refs):
    ref = next(r for r in refs if r.ending == "named_number")
    env = NeuripsQuestEnv(world, goal="industry", step_cost=0.5)
    env.reset(seed=ref.seed)
    rewards = [env.step(k)[1] for k in ref.actions]
    assert rewards == [-0.5] * len(ref.actions)


def test_max_steps_truncates(world):
    env = NeuripsQuestEnv(world, max_steps=3)
    _, info = env.reset(seed=0)
    flags = []
    for _ in range(3):
        _, _, term, trunc, info = env.step(int(np.flatnonzero(info["action_mask"])[0]))
        flags.append((term, trunc))
    assert flags == [(False, False), (False, False), (False, True)]


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_vector_envs(kind):
    make = gym.make_vec if kind == "sync" else None
    n = 2
    if kind == "sync":
        envs = make(ENV_ID, num_envs=n, vectorization_mode="sync", observation="structured")
    else:
        envs = gym.vector.AsyncVectorEnv(
            [lambda: gym.make(ENV_ID, observation="structured") for _ in range(n)]
        )
    try:
        obs, info = envs.reset(seed=[3, 4])
        assert obs["scene"].shape == (n,) and info["action_mask"].shape[0] == n
        for _ in range(20):
            acts = [int(np.flatnonzero(m)[0]) for m in info["action_mask"]]
            obs, reward, term, trunc, info = envs.step(np.array(acts))
        assert obs["stats"].shape == (n, len(envs.unwrapped.single_observation_space["stats"].low))
        # each copy plays its own seed: the same as one environment alone
        one = NeuripsQuestEnv()
        _, i1 = one.reset(seed=3)
        for _ in range(20):
            _, _, _, _, i1 = one.step(int(np.flatnonzero(i1["action_mask"])[0]))
        assert obs["scene"][0] == one._scene_number[one.state.scene]
    finally:
        envs.close()

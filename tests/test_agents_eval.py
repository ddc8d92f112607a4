"""`neuripsquest agents eval` and the baselines table of docs/agents.md."""

import json
import random
import subprocess
import sys

import pytest

from neuripsquest.agents import baselines, goals, table, walkthroughs

from .conftest import ROOT, WORLD


def agents_eval(*args):
    out = subprocess.run(
        [sys.executable, "-m", "neuripsquest", "agents", "eval", "--world", str(WORLD), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert "Traceback" not in out.stderr, out.stderr
    return out


@pytest.fixture(scope="module")
def world():
    from neuripsquest.store.loader import load_world

    return load_world(WORLD, use_cache=False)


def test_eval_prints_success_steps_and_endings_and_is_deterministic():
    a = agents_eval("--agent", "random", "--goal", "number", "--episodes", "6", "--seed", "3")
    assert a.returncode == 0
    lines = a.stdout.splitlines()
    assert lines[0] == "agent random, goal number, 6 episodes from seed 3"
    assert lines[1].startswith("success rate  ") and "of 6)" in lines[1]
    assert lines[2].startswith("mean steps    ") and lines[3].startswith("endings       ")
    ended = sum(int(part.rsplit(" ", 1)[1]) for part in lines[3][14:].split(", "))
    assert ended == 6
    b = agents_eval("--agent", "random", "--goal", "number", "--episodes", "6", "--seed", "3")
    assert a.stdout == b.stdout
    c = agents_eval("--agent", "random", "--goal", "number", "--episodes", "6", "--seed", "4")
    assert c.stdout != a.stdout


def test_eval_json_and_a_bad_goal():
    out = agents_eval("--agent", "novelty", "--goal", "any", "--episodes", "3", "--format", "json")
    data = json.loads(out.stdout)
    assert data["success_rate"] == 1.0 and data["episodes"] == 3
    assert sum(data["endings"].values()) == 3
    bad = agents_eval("--goal", "fame")
    assert bad.returncode == 2 and "unknown goal 'fame'" in bad.stderr


def test_episode_i_plays_the_game_seeded_seed_plus_i(world):
    from neuripsquest.agents import game
    from neuripsquest.core import engine

    s = baselines.evaluate(world, baselines.RandomAgent(random.Random(5)), "random", "any", 2, 40)
    rng = random.Random(5)
    steps = []
    for i in range(2):
        state, n = engine.new_game(world, 40 + i), 0
        while game.ending(world, state) is None:
            options = game.slots(world, state)
            state, _, _ = game.act(world, state, baselines.RandomAgent(rng).pick(state, options))
            n += 1
        steps.append(n)
    assert s.steps == steps


def test_families_come_from_the_ending_ids(world):
    assert goals.endings_for(world, "industry") == {
        "joined_lab",
        "joined_quant",
        "joined_superintel",
    }
    assert goals.endings_for(world, "hinton") == {"hinton_walk"}
    assert goals.endings_for(world, "number") == {"named_number"}
    assert goals.endings_for(world, "any") == set(world.endings)
    assert goals.endings_for(world, "joined_quant") == {"joined_quant"}


def test_the_oracle_wins_with_real_paths_no_longer_than_the_walkthroughs(world):
    planner = baselines.make_planner(WORLD)
    refs = walkthroughs.references(world, ROOT / "tests" / "playthroughs")
    wanted = goals.endings_for(world, "number")
    ref = next(r for r in refs if r.ending == "named_number")
    s = baselines.evaluate(
        world,
        baselines.make_agent("oracle", WORLD, world, wanted, random.Random(0), planner),
        "oracle",
        "number",
        3,
        ref.seed,
    )
    assert s.success == 1.0
    assert max(s.steps) < len(ref.actions)  # the cutting shortened the walkthrough
    rnd = baselines.evaluate(
        world, baselines.RandomAgent(random.Random(0)), "random", "number", 3, ref.seed
    )
    assert s.mean_steps < rnd.mean_steps


def test_the_docs_table_is_what_the_script_makes():
    doc = (ROOT / "docs" / "agents.md").read_text(encoding="utf-8")
    assert table.in_doc(doc) == table.table(WORLD), (
        "docs/agents.md is out of date: run benchmarks/agents_table.py"
    )


def _oracle_eval(world, goal, episodes, seed, repair_nodes=None):
    planner = baselines.make_planner(WORLD)
    if repair_nodes is not None:
        planner.repair_nodes = repair_nodes
    wanted = goals.endings_for(world, goal)
    agent = baselines.make_agent("oracle", WORLD, world, wanted, random.Random(seed), planner)
    return baselines.evaluate(world, agent, "oracle", goal, episodes, seed), planner


def test_the_oracle_repairs_paths_a_random_outcome_broke(world):
    # With seeds 0 and 7 (among others) the house party's rumour goes another way on the
    # Hinton walkthrough: no known path wins, and without the repair the oracle loses them.
    unrepaired, _ = _oracle_eval(world, "hinton", 10, 0, repair_nodes=0)
    assert unrepaired.success < 1.0
    s, planner = _oracle_eval(world, "hinton", 10, 0)
    assert s.success == 1.0 and s.endings == {"hinton_walk": 10}
    # every path it keeps wins with its seed when replayed from the start
    from neuripsquest.core import engine

    wanted = frozenset(goals.endings_for(world, "hinton"))
    for seed, path in planner.won[wanted]:
        assert planner._replay(engine.new_game(planner.world, seed), path, wanted) is not None


def test_the_repair_finds_the_card_a_guess_who_game_drew(world):
    # Seed 7 draws another card than the walkthrough's: its questions lead elsewhere, so the
    # repair has to play a different game of Guess Who and find its way back to the ending.
    unrepaired, _ = _oracle_eval(world, "guesswho_champion", 1, 7, repair_nodes=0)
    assert unrepaired.success == 0.0
    s, _ = _oracle_eval(world, "guesswho_champion", 1, 7)
    assert s.success == 1.0

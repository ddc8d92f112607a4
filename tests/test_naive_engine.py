"""The benchmark's naive engine plays by our rules: on the same seeded walk both engines go
through the same states, so "ours / naive" compares two engines doing the same work."""

import sys

import pytest

from neuripsquest.core import engine
from neuripsquest.store.loader import load_world
from tests.conftest import MINI, ROOT, WORLD

sys.path.insert(0, str(ROOT / "benchmarks"))

import naive_engine  # noqa: E402


@pytest.fixture(scope="module")
def shipped():
    return load_world(WORLD, use_cache=False)


def walks(world, steps, seed, events=True):
    ours: list[tuple] = []
    naive: list[tuple] = []
    restarts_ours = naive_engine.walk_ours(world, steps, seed, ours, events=events)
    restarts_naive = naive_engine.walk_naive(naive_engine.naive_world(world), steps, seed, naive)
    return ours, naive, restarts_ours, restarts_naive


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_states_on_the_mini_world(mini, seed):
    ours, naive, r1, r2 = walks(mini, 2_000, seed)
    assert len(ours) == 2_000
    assert ours == naive and r1 == r2
    assert r1 > 10  # the walk reached endings and input scenes, and started again
    assert {t[0] for t in ours} == {"a", "b", "ask"}  # all but `rich`, which needs typing


def test_same_states_on_the_shipped_world(shipped):
    ours, naive, r1, r2 = walks(shipped, 5_000, 7)
    assert ours == naive and r1 == r2
    assert len({t[0] for t in ours}) > 40  # far into the story, not round one scene
    # random choices, stat changes, flags, visits and the clock all took part
    assert len({t[7] for t in ours}) > 1  # the random state moved
    assert len({t[4] for t in ours}) > 10 and len({t[6] for t in ours}) > 3


def test_advance_walks_the_same_states_as_step(shipped):
    with_events, _, _, _ = walks(shipped, 3_000, 5)
    without, naive, _, _ = walks(shipped, 3_000, 5, events=False)
    assert with_events == without == naive


def test_the_comparison_can_tell_walks_apart(mini, shipped):
    ours, _, _, _ = walks(mini, 500, 1)
    _, other, _, _ = walks(mini, 500, 2)
    assert ours != other
    # a naive engine that forgot one rule (counting visits) is caught
    ours, _, _, _ = walks(shipped, 2_000, 7)
    nw = naive_engine.naive_world(shipped)
    nw["scenes"] = {sid: (c, e, -1) for sid, (c, e, _) in nw["scenes"].items()}
    broken: list[tuple] = []
    naive_engine.walk_naive(nw, 2_000, 7, broken)
    assert broken != ours


def test_same_path_helper_reports_agreement(mini):
    assert naive_engine.same_path(mini, 1_000, 3)
    assert engine.advance(mini, engine.new_game(mini, 1), engine.Choose("eat")).scene == "a"


def test_the_walk_is_the_one_in_the_module(tmp_path):
    # the benchmark's own check on a world built from files, as its __main__ does
    world = load_world(MINI, use_cache=False)
    assert naive_engine.same_path(world, 300, 9)

"""Undo history over long runs: bounded in memory whatever the length of the run, and every
step a player can take back gives exactly the state they were in."""

import random
import textwrap

import pytest

from neuripsquest.core import engine
from neuripsquest.core.engine import Choose, Undo
from neuripsquest.core.state import HISTORY_LIMIT, from_json, history_len, iter_history, to_json
from neuripsquest.store.loader import load_world

WORLD = """\
title: Loop
start: a
clock: {days: [One], slots: [morning, evening]}
stats:
  energy: {initial: 3, min: 0, max: 9}
flags:
  met: met
items:
  coin: {name: Coin}
endings:
  done: {title: Done}
"""

SCENES = """\
- id: a
  title: A
  text: Here.
  revisit: Here again.
  choices:
    - {id: go, text: Go, do: [energy += 1, give coin], goto: b}
    - {id: rest, text: Rest, do: [energy -= 2, clear met], goto: a}
- id: b
  title: B
  text: There.
  choices:
    - {id: back, text: Back, do: [set met, take coin], goto: a}
    - id: toss
      text: Toss
      random:
        - {weight: 1, goto: a, do: [energy -= 1]}
        - {weight: 2, goto: b, do: [advance 1]}
"""


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    root = tmp_path_factory.mktemp("loop")
    (root / "scenes").mkdir()
    (root / "world.yaml").write_text(textwrap.dedent(WORLD), encoding="utf-8")
    (root / "scenes" / "main.yaml").write_text(SCENES, encoding="utf-8")
    return load_world(root, use_cache=False)


def without_history(state):
    return state._replace(history=())


def run(world, steps, seed):
    """A random walk that never ends; every state it went through, oldest first."""
    pick = random.Random(seed)
    s = engine.new_game(world, seed)
    seen = [s]
    for _ in range(steps):
        ids = [c.id for c in world.scenes[s.scene].choices]
        s, events = engine.step(world, s, Choose(pick.choice(ids)))
        assert isinstance(events[-1], engine.Entered)
        seen.append(s)
    return seen


@pytest.mark.parametrize(
    "steps", [HISTORY_LIMIT - 1, 2 * HISTORY_LIMIT + 1, 7 * HISTORY_LIMIT + 13]
)
def test_history_stays_bounded_and_undo_is_exact(loop, steps):
    seen = run(loop, steps, seed=steps)
    s = seen[-1]
    for k, st in enumerate(seen):  # never more than three times the limit kept
        assert history_len(st.history) <= 3 * HISTORY_LIMIT, k
    # at least HISTORY_LIMIT steps can be taken back (all of them in a short run) ...
    back = min(steps, HISTORY_LIMIT)
    assert history_len(s.history) >= back
    # ... and each gives back exactly the state of that step
    for k in range(1, back + 1):
        s, events = engine.step(loop, s, Undo())
        assert events == [engine.Undone(s.scene)]
        assert without_history(s) == without_history(seen[-1 - k])
    if steps < HISTORY_LIMIT:
        assert s == seen[0]  # all the way back to the start, history and all
        assert engine.step(loop, s, Undo())[0] is s


def test_undo_then_step_again_is_the_same_as_never_undoing(loop):
    seen = run(loop, 3 * HISTORY_LIMIT + 5, seed=4)
    s = seen[-1]
    for _ in range(10):
        s, _ = engine.step(loop, s, Undo())
    assert without_history(s) == without_history(seen[-11])
    assert [without_history(h) for h in iter_history(s.history)][:5] == [
        without_history(h) for h in seen[-12:-17:-1]
    ]


def test_a_long_history_saves_and_loads_with_its_limit(loop):
    s = run(loop, 5 * HISTORY_LIMIT + 3, seed=2)[-1]
    blob = to_json(loop, s)
    assert len(blob["history"]) == HISTORY_LIMIT
    back = from_json(loop, blob)
    assert to_json(loop, back) == blob
    assert history_len(back.history) == HISTORY_LIMIT
    assert without_history(back) == without_history(s)
    for a, b in zip(iter_history(back.history), iter_history(s.history), strict=False):
        assert without_history(a) == without_history(b)

"""An explore that proves: the reduced walk finds exactly what the full walk finds, the walk
gives the same answer whatever `--jobs` is, and the report says whether it was exhaustive."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from neuripsquest.tools import explore, facts
from neuripsquest.tools.explore import walk
from tests.conftest import MINI, ROOT
from tests.test_explore import random_world, rich_world

WORLDS = Path(__file__).parent / "worlds"
sys.path.insert(0, str(ROOT / "benchmarks"))

HEAD = (
    "title: {title}\nstart: hub\nclock: {{days: [One, Two], slots: [am, pm]}}\n"
    "stats:\n  energy: {{initial: 3, min: 0, max: 5}}\n  fame: {{initial: 0, min: 0, max: 9}}\n"
    "flags: [a, b, c, d]\nitems: {{key: {{name: Key}}}}\n"
    "endings: {{win: {{title: Win}}, lose: {{title: Lose}}, never: {{title: Never}}}}\n"
)

# The endings HEAD declares, as scenes: the made worlds end with them.
ENDINGS = """- id: won
  title: Won
  text: Won.
  ending: win
- id: lost
  title: Lost
  text: Lost.
  ending: lose
- id: nowhere
  title: Nowhere
  text: Never.
  ending: never
"""

# Once-only side activities at a hub, in any order: each sets its own flag and comes back.
# Leaving with a but not b runs into a dead end; with c and d, into a loop with no way out;
# `magic` needs a flag nothing sets, so it and the `never` ending cannot be reached.
SIDE = """
- id: hub
  title: Hub
  text: The hub.
  choices:
    - {id: do_a, text: A, once: true, do: [set a, energy -= 1], goto: hub}
    - {id: do_b, text: B, once: true, do: [set b, fame += 1], goto: hub}
    - {id: do_c, text: C, once: true, do: [set c, advance 1], goto: hub}
    - {id: do_d, text: D, once: true, do: [set d, give key], goto: hub}
    - {id: leave, text: Leave, goto: gate}
- id: gate
  title: Gate
  text: The gate.
  choices:
    - {id: win, text: Win, if: b or not a, goto: won}
    - {id: maze, text: Maze, if: c and d, goto: maze}
    - {id: magic, text: Magic, if: fame >= 9, goto: nowhere}
    - {id: coin, text: Coin, if: not a, random: [{weight: 1, goto: won}, {weight: 1, goto: lost}]}
- id: maze
  title: Maze
  text: Round and round.
  choices:
    - {id: onward, text: Onward, goto: maze2}
- id: maze2
  title: Maze 2
  text: And round.
  choices:
    - {id: back, text: Back, do: [energy -= 1], goto: maze}
- id: nowhere
  title: Nowhere
  text: Never.
  ending: never
- id: won
  title: Won
  text: Won.
  ending: win
- id: lost
  title: Lost
  text: Lost.
  ending: lose
"""

# A typed amount decides the way; a counter only going up is compared with a constant.
TYPED = (
    """
- id: hub
  title: Hub
  text: The hub.
  choices:
    - {id: rest, text: Rest, if: energy < 5, do: [energy += 1, fame += 1], goto: hub}
    - {id: ask, text: Ask, goto: ask}
- id: ask
  title: Ask
  text: How much?
  input:
    kind: money
    prompt: How much?
    hint: A number.
    store: fame
    outcomes:
      - {if: fame >= 7, goto: won}
      - {if: fame == 3, goto: stuck}
      - {goto: hub, do: [energy -= 1]}
- id: stuck
  title: Stuck
  text: No way on.
  choices:
    - {id: never, text: Never, if: fame >= 9 and energy < 0, goto: won}
"""
    + ENDINGS
)


def written(tmp_path, name, scenes):
    root = tmp_path / name
    root.mkdir()
    (root / "world.yaml").write_text(HEAD.format(title=name))
    (root / "scenes.yaml").write_text(scenes)
    return root


def findings(r):
    """What a walk finds, as the report states it: unreached scenes, untaken ways on, the
    endings reached, each softlock with the length of its shortest path."""
    return (
        sorted(r.unreached),
        sorted(r.untaken),
        {e: v["states"] > 0 for e, v in r.endings.items()},
        sorted((s.kind, tuple(s.scenes), len(s.path)) for s in r.softlocks),
    )


def small_worlds(tmp_path):
    out = [MINI, WORLDS / "softlocks", WORLDS / "lint_problems"]
    out += [written(tmp_path, "side", SIDE), written(tmp_path, "typed", TYPED)]
    return out


def test_handmade_worlds_find_what_they_were_made_with(tmp_path):
    side = explore.explore(facts.load(written(tmp_path, "side", SIDE)))
    assert side.complete
    assert [(s, c) for s, c, _ in side.untaken] == [("gate", "magic")]
    assert [s for s, _ in side.unreached] == ["nowhere"]
    assert {(s.kind, tuple(s.scenes)) for s in side.softlocks} == {
        ("stuck", ("gate",)),
        ("loop", ("maze", "maze2")),
    }
    # Shortest ways into each: do_a then leave (2 steps); do_c, do_d, leave, maze (4 steps).
    assert sorted(len(s.path) for s in side.softlocks) == [2, 4]
    typed = explore.explore(facts.load(written(tmp_path, "typed", TYPED)))
    assert typed.complete and [(s.kind, tuple(s.scenes)) for s in typed.softlocks] == [
        ("stuck", ("stuck",))
    ]


# Typing 0 or 6 takes the same outcome, but only 6 leaves something to pay with at the bar.
KEPT = (
    """
- id: hub
  title: Hub
  text: The hub.
  choices:
    - {id: ask, text: Ask, goto: ask}
- id: ask
  title: Ask
  text: How much?
  input:
    kind: money
    prompt: How much?
    hint: A number.
    store: fame
    outcomes:
      - {if: fame >= 7, goto: won}
      - {goto: bar}
- id: bar
  title: Bar
  text: The bar.
  choices:
    - {id: pay, text: Pay, if: fame > 0, goto: lost}
"""
    + ENDINGS
)


def test_the_walk_types_every_amount_a_later_condition_tells_apart(tmp_path):
    # It used to type one amount per outcome (6, the first for the bar): the player who
    # types 0 and is stuck at the bar went unseen, in every walk and every probe.
    src = facts.load(written(tmp_path, "kept", KEPT))
    for jobs in (1, 2):
        r = explore.explore(src, probes=0, jobs=jobs)
        assert r.complete and [(s.kind, tuple(s.scenes)) for s in r.softlocks] == [
            ("stuck", ("bar",))
        ], jobs
        assert r.softlocks[0].path[-1].amount == 0
    # (`nowhere` is never reached, so the search goes on for all its steps.)
    found = explore.probes.search(src.world, {"ask": [7, 6, 8, 0]}, {"nowhere"}, steps=200)
    assert any(s.scenes == ["bar"] for s in found.stuck)


def test_reduced_walk_finds_exactly_what_the_full_walk_finds(tmp_path):
    """Same unreachable scenes and ways on, same endings, same softlocks with shortest paths
    of the same length, and never more states."""
    roots = small_worlds(tmp_path)
    roots += [random_world(tmp_path / f"random{seed}", seed, n=11) for seed in range(40)]
    compared = smaller = 0
    for root in roots:
        src = facts.load(root)
        reduced = explore.explore(src, max_states=20_000, probes=0)
        full = explore.explore(src, max_states=20_000, exact=True, probes=0)
        assert reduced.complete, root
        if not full.complete:  # an uncapped visit count in a loop: full keys never end
            continue
        compared += 1
        assert findings(reduced) == findings(full), root
        assert reduced.graph.states <= full.graph.states
        smaller += reduced.graph.states < full.graph.states
    assert compared >= 35 and smaller >= 20


def test_reduced_walk_finds_exactly_what_the_full_walk_finds_with_every_feature(tmp_path):
    """As above, on `rich_world`s. In seeds 12 and 291 a condition reads the turn count, which
    the full walk left out of its states: a wait until `turn > 6` looked endless to it."""
    compared = 0
    for seed in [*range(60), 291]:
        src = facts.load(rich_world(tmp_path / f"r{seed}", seed, n=11))
        reduced = explore.explore(src, max_states=20_000, probes=0)
        full = explore.explore(src, max_states=20_000, exact=True, probes=0)
        assert reduced.complete, seed
        if not full.complete:
            continue
        compared += 1
        assert findings(reduced) == findings(full), seed
        assert reduced.graph.states <= full.graph.states, seed
    assert compared >= 50, compared


def blob(root, *args):
    out = subprocess.run(
        [sys.executable, "-m", "neuripsquest", "explore", str(root), "--format", "json", *args],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "src"), "NEURIPSQUEST_CACHE": "off", "PATH": ""},
    )
    assert out.returncode in (0, 1), out.stderr
    data = json.loads(out.stdout)
    del data["seconds"]
    return data


@pytest.mark.parametrize("small", [1, 40])
def test_the_walk_is_the_same_whatever_the_jobs(tmp_path, monkeypatch, small):
    """Every level shared out (small=1), or the first few walked here and handed over
    (small=40), to two and three workers, with states handed between them to even out their
    shares: the same graph, node for node, as in one process. Workers walk only through the
    engine (a walker without the shortcut); with it, `jobs` is one process, the same graph."""
    from synth import make_world

    monkeypatch.setattr(walk, "SMALL_LEVEL", small)
    roots = [*small_worlds(tmp_path), make_world(300, tmp_path / "synth", 0)]
    roots += [random_world(tmp_path / f"random{seed}", seed, n=11) for seed in range(5)]
    roots += [rich_world(tmp_path / f"rich{seed}", seed, n=11) for seed in range(5)]
    for root in roots:
        w = explore.Walker(facts.load(root))
        shortcut = w.walk(5_000, jobs=2)
        w.steps = None
        one = w.walk(5_000)
        for field in ("scene", "parent", "via", "eoff", "etgt", "incomplete"):
            assert getattr(shortcut, field) == getattr(one, field), (root, field)
        for jobs in (2, 3):
            many = w.walk(5_000, jobs=jobs)
            for field in ("scene", "parent", "via", "eoff", "etgt", "incomplete"):
                assert getattr(many, field) == getattr(one, field), (root, jobs, field)
            assert many.taken == one.taken and many.bound_hit == one.bound_hit


@pytest.mark.slow
def test_cli_output_is_the_same_whatever_the_jobs(tmp_path):
    from synth import make_world

    root = make_world(1000, tmp_path / "synth", 0)
    assert blob(root, "--jobs", "2") == blob(root, "--jobs", "1")
    soft = WORLDS / "softlocks"
    assert blob(soft, "--jobs", "2") == blob(soft, "--jobs", "1")


def test_the_report_says_whether_the_walk_was_exhaustive(tmp_path):
    src = facts.load(written(tmp_path, "side", SIDE))
    r = explore.explore(src)
    buf = io.StringIO()
    explore.write_text(src, r, buf)
    line = buf.getvalue().splitlines()[1]
    assert line.startswith(f"All {r.graph.states:,} reachable states explored: the walk is ")
    assert "exhaustive" in line and "no softlocks but those listed" in line
    blob = explore.to_json(src, r)
    assert blob["exhaustive"] is True and blob["verdict"] == line

    cut = explore.explore(src, max_states=5, probes=0)
    buf = io.StringIO()
    explore.write_text(src, cut, buf)
    line = buf.getvalue().splitlines()[1]
    assert line.startswith("Stopped at the bound of 5 states: the walk is not exhaustive")
    assert explore.to_json(src, cut)["exhaustive"] is False

    clean = explore.explore(facts.load(MINI))
    assert clean.complete and not clean.softlocks
    assert explore.verdict(clean).endswith("exact: no softlock is possible.")

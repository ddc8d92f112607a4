"""The walk's shortcut (tools/explore/keysteps.py) finds the very graph the walk through the
engine finds: node for node, edge for edge, on worlds made to hit what it relies on (effects
that read other values, the clock moved to a slot, visits counted at entry, once-only choices,
entry effects, counters that are capped, the turn, typed input)."""

import random
import sys

import pytest

from neuripsquest.tools import explore, facts
from neuripsquest.tools.explore import keysteps
from tests.conftest import MINI, ROOT
from tests.test_explore import SOFT, random_world

sys.path.insert(0, str(ROOT / "benchmarks"))

FIELDS = ("scene", "parent", "via", "eoff", "etgt", "incomplete")

CONDS = [
    "energy >= 2",
    "energy < 1",
    "fame >= 3",
    "fame + energy > 4",
    "a",
    "not a",
    "has key",
    "visits(s1) > 0",
    "visits(s2) >= 2",
    "slot == pm",
    "day == 2",
    "turn > 6",
    "cash > 100",
    "true",
]
EFFECTS = [
    "energy -= 1",
    "energy += 1",
    "fame += 1",
    "fame = energy",
    "energy += fame",
    "set a",
    "clear a",
    "give key",
    "take key",
    "advance 1",
    "advance to am",
    "noise += 1",
]


def varied_world(dest, seed, n=10):
    rng = random.Random(seed)
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "world.yaml").write_text(
        "title: Varied\nstart: s0\nclock: {days: [One, Two, Three], slots: [am, pm]}\n"
        "stats:\n  energy: {initial: 2, min: 0, max: 5}\n  fame: {initial: 0, min: 0, max: 7}\n"
        "  cash: {initial: 0, min: 0, max: 1000}\n  noise: {initial: 0, min: 0, max: 3}\n"
        "flags: [a]\nitems: {key: {name: Key}}\n"
        "endings: {win: {title: Win}, lose: {title: Lose}}\n"
    )

    def effects():
        return ", ".join(rng.sample(EFFECTS, rng.randint(0, 2)))

    out = []
    for i in range(n):
        out.append(f"- id: s{i}\n  title: S{i}\n  text: Scene {i}.\n")
        if rng.random() < 0.3:
            out.append(f"  on_enter: [{effects()}]\n")
        if i >= n - 2:
            out.append(f"  ending: {'win' if i == n - 1 else 'lose'}\n")
            continue
        if i == 4:
            out.append(
                "  input:\n    kind: money\n    prompt: How much?\n    hint: A number.\n"
                "    store: cash\n    outcomes:\n"
                f"      - {{if: cash >= 500, goto: s{n - 1}}}\n"
                f"      - {{goto: s{rng.randrange(n)}, do: [fame += 1]}}\n"
            )
            continue
        out.append("  choices:\n")
        for k in range(rng.randint(1, 3)):
            line = f"    - id: c{k}\n      text: Choice {k}\n"
            if rng.random() < 0.6:
                line += f"      if: {rng.choice(CONDS)}\n"
            if rng.random() < 0.3:
                line += "      once: true\n"
            line += f"      do: [{effects()}]\n"
            if rng.random() < 0.3:
                line += (
                    f"      random:\n        - {{weight: 2, goto: s{rng.randrange(n)}}}\n"
                    f"        - {{weight: 1, goto: s{rng.randrange(n)}, do: [{effects()}]}}\n"
                )
            else:
                line += f"      goto: s{rng.randrange(n)}\n"
            out.append(line)
    (dest / "scenes.yaml").write_text("".join(out))
    return dest


HEAD = (
    "title: {title}\nstart: s0\nclock: {{days: [One], slots: [am]}}\n"
    "stats:\n  energy: {{initial: 0, min: 0, max: 5}}\n  fame: {{initial: 0, min: 0, max: 5}}\n"
    "endings: {{won: {{title: Won}}, lost: {{title: Lost}}}}\n"
)
END = (
    "- {id: won, title: Won, text: Won., ending: won}\n"
    "- {id: lost, title: Lost, text: Lost., ending: lost}\n"
)

# The same effect read by two ways: at `a` nothing reads its result (the bits it reads are
# none), at `b` the next scene does. A table shared by the two would hand `b`, with energy and
# fame 0, what `a` found from its fame of 3.
READS = """
- id: s0
  title: S0
  text: Start.
  choices:
    - {id: famous, text: Famous, do: [fame += 3], goto: a}
    - {id: strong, text: Strong, do: [energy += 3], goto: b}
- id: a
  title: A
  text: A.
  choices:
    - {id: add, text: Add, do: [energy += fame], goto: m}
- id: m
  title: M
  text: M.
  choices:
    - {id: reset, text: Reset, do: [energy = 0, fame = 0], goto: b}
- id: b
  title: B
  text: B.
  choices:
    - {id: add, text: Add, do: [energy += fame], goto: c}
- id: c
  title: C
  text: C.
  choices:
    - {id: win, text: Win, if: energy >= 3, goto: won}
    - {id: lose, text: Lose, goto: lost}
"""

# Ways alike but for the scene they enter, whose visits are counted and read later: from the
# detour, a table shared by them would hand `to_a` the state `to_b` entered at the hub.
VISITS = """
- id: s0
  title: Hub
  text: Hub.
  choices:
    - {id: to_a, text: A, goto: a}
    - {id: to_b, text: B, goto: b}
    - {id: detour, text: Detour, goto: d}
- id: d
  title: Detour
  text: Detour.
  choices:
    - {id: to_a, text: A, goto: a}
    - {id: to_b, text: B, goto: b}
- id: a
  title: A
  text: A.
  choices:
    - {id: back, text: Back, if: visits(a) < 2, goto: s0}
    - {id: end, text: End, goto: won}
- id: b
  title: B
  text: B.
  choices:
    - {id: back, text: Back, if: visits(b) < 3, goto: s0}
    - {id: end, text: End, goto: lost}
"""


def handmade(tmp_path, name, scenes):
    root = tmp_path / name
    root.mkdir()
    (root / "world.yaml").write_text(HEAD.format(title=name))
    (root / "scenes.yaml").write_text(scenes + END)
    return root


@pytest.mark.parametrize("name", ["READS", "VISITS"])
def test_ways_alike_but_for_what_they_read_or_enter_keep_apart(tmp_path, name):
    fast, plain = walks(handmade(tmp_path, name, globals()[name]), 1_000)
    assert_same(fast, plain, name)


def walks(root, bound):
    """The walk with the shortcut and the walk through the engine alone, of one world."""
    src = facts.load(root)
    assert src.world is not None, (root, src.problems)
    w = explore.Walker(src)
    fast = w.walk(bound)
    w.steps = None
    return fast, w.walk(bound)


def assert_same(fast, plain, root):
    for field in FIELDS:
        assert getattr(fast, field) == getattr(plain, field), (root, field)
    assert fast.taken == plain.taken and fast.bound_hit == plain.bound_hit, root


def test_the_shortcut_finds_the_engines_graph_on_made_worlds(tmp_path):
    from synth import make_world

    roots = [MINI, SOFT, make_world(200, tmp_path / "synth", 0)]
    roots += [varied_world(tmp_path / f"varied{seed}", seed) for seed in range(60)]
    roots += [random_world(tmp_path / f"random{seed}", seed, n=11) for seed in range(20)]
    edges = 0
    for root in roots:
        fast, plain = walks(root, 3_000)
        assert_same(fast, plain, root)
        edges += fast.edges
    assert edges > 15_000  # the worlds are not all trivially small


def test_the_shortcut_finds_the_engines_graph_on_the_shipped_world():
    fast, plain = walks(ROOT / "world", 15_000)
    assert fast.bound_hit and fast.states == 15_000
    assert_same(fast, plain, "world")


def test_the_shortcut_answers_most_states_and_builds_few(tmp_path, monkeypatch):
    """What makes it fast: most states are never built. Counted through the engine's entry
    the shortcut calls to build one (and the walk through the engine calls for every state)."""
    from synth import make_world

    built = []
    real = keysteps.engine.choice_results

    def counting(world, state, cid):
        built.append(cid)
        return real(world, state, cid)

    monkeypatch.setattr(keysteps.engine, "choice_results", counting)
    fast, plain = walks(make_world(300, tmp_path / "synth", 0), 100_000)
    assert_same(fast, plain, "synth")
    assert 0 < len(built) < fast.states // 4, (len(built), fast.states)


@pytest.mark.parametrize("bound", [1, 2, 50])
def test_the_shortcut_stops_at_the_bound_as_the_engine_does(bound):
    fast, plain = walks(ROOT / "world", bound)
    assert_same(fast, plain, bound)

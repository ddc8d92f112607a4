"""The proof that no softlock is possible (tools/explore/escape.py) must never be wrong: on
every small world the full walk can finish, a world the proof calls safe has no softlock in
the full walk, and the proof is not so weak that it never says so. Also what makes a report
exact when the walk stops short: the proof's may graph, the proof aimed at what nothing
played, and the search that plays it."""

import json

from neuripsquest.tools import explore, facts
from neuripsquest.tools.explore.escape import prove
from tests.conftest import MINI
from tests.test_explore import random_world, rich_world
from tests.test_explore_proof import ENDINGS, SIDE, TYPED, WORLDS, written

SAFE = (
    """
- id: hub
  title: Hub
  text: The hub.
  choices:
    - {id: rest, text: Rest, if: energy < 5, once: true, do: [energy += 1], goto: hub}
    - {id: work, text: Work, if: energy >= 2, do: [energy -= 2, fame += 1], goto: hub}
    - {id: flip, text: Flip, random: [{weight: 1, goto: hub, do: [set a]}, {weight: 1, goto: gate}]}
    - {id: leave, text: Leave, if: visits(hub) >= 3 or a, goto: gate}
- id: gate
  title: Gate
  text: The gate.
  choices:
    - {id: rich, text: Rich, if: fame >= 2, goto: won}
    - {id: poor, text: Poor, if: fame < 2 and not a, goto: lost}
    - {id: flagged, text: Flagged, if: fame < 2 and a, goto: won}
"""
    + ENDINGS
)

# Stuck at `gate` with energy 2 (5 - 3, after a coin that may have taken 1 before). A stat
# changed later on must not be lumped with its neighbours: 4 and 5 pass and fail the same
# conditions, but not after `energy -= 3`.
LUMPED = (
    """
- id: hub
  title: Hub
  text: The hub.
  choices:
    - id: coin
      text: Coin
      random: [{weight: 1, goto: mid, do: [energy -= 1]}, {weight: 1, goto: mid}]
- id: mid
  title: Mid
  text: The middle.
  choices:
    - {id: go, text: Go, do: [energy -= 3], goto: gate}
- id: gate
  title: Gate
  text: The gate.
  choices:
    - {id: low, text: Low, if: energy < 2, goto: won}
    - {id: high, text: High, if: energy >= 3, goto: won}
"""
    + ENDINGS
)


# A player waits in `queue` until the turn count lets them in; `door` is open only early on,
# and `queue` can be reached early or late: safe only by the turn count, which the proof must
# track (capped past 6: every later turn passes and fails the same conditions).
WAITING = (
    """
- id: hub
  title: Hub
  text: The hub.
  choices:
    - {id: door, text: Door, if: turn <= 2, goto: won}
    - {id: stroll, text: Stroll, goto: hub}
    - {id: queue, text: Queue, goto: queue}
- id: queue
  title: Queue
  text: The queue.
  choices:
    - {id: wait, text: Wait, if: turn <= 6, goto: queue}
    - {id: in, text: In, if: turn > 6, goto: won}
"""
    + ENDINGS
)


def exact_softlocks(src):
    """The walk's answer, with its reductions (shown to find what the full walk finds by
    tests/test_explore_proof.py), which cap visit counts that would make the full walk
    endless."""
    walk = explore.explore(src, max_states=50_000, probes=0)
    return walk.complete, len(walk.softlocks)


def test_a_world_made_safe_by_cases_is_proven_and_made_worlds_with_softlocks_are_not(tmp_path):
    # `gate` is safe only case by case (fame >= 2, or not, with a or not): the proof has to
    # learn to track fame and a there.
    safe = facts.load(written(tmp_path, "safe", SAFE))
    assert exact_softlocks(safe) == (True, 0)
    proof = prove(safe)
    assert proof.proven, proof.reason
    lumped = written(tmp_path, "lumped", LUMPED)
    head = (lumped / "world.yaml").read_text()
    (lumped / "world.yaml").write_text(
        head.replace("{initial: 3, min: 0, max: 5}", "{initial: 5, min: 0, max: 5}")
    )
    made = [written(tmp_path, "side", SIDE), written(tmp_path, "typed", TYPED), lumped]
    for root in made:
        src = facts.load(root)
        complete, locks = exact_softlocks(src)
        assert complete and locks > 0
        proof = prove(src)
        assert not proof.proven and proof.unsafe, root


def test_the_proof_tracks_the_turn_count_where_it_decides_a_way_out(tmp_path):
    # Before, a condition on the turn count was never decided, so `queue` never showed safe.
    safe = facts.load(written(tmp_path, "waiting", WAITING))
    assert exact_softlocks(safe) == (True, 0)
    proof = prove(safe)
    assert proof.proven, proof.reason
    assert ("turn", "") in proof.learnt["queue"]
    # Cut the way in short of the turn it needs: stuck in the queue, and the proof says so.
    stuck = WAITING.replace("if: turn <= 6, goto: queue", "if: turn <= 4, goto: queue")
    src = facts.load(written(tmp_path, "stuck", stuck))
    assert exact_softlocks(src)[1] > 0
    proof = prove(src)
    assert not proof.proven and ("queue", 0) in proof.unsafe, proof.unsafe


def test_the_proof_finds_exactly_what_the_full_walk_finds_on_small_worlds(tmp_path):
    """Random small worlds with every feature the proof reads (stats, flags set and cleared,
    items, once-only choices, visit counts, the clock, random outcomes, typed amounts) and
    the dead ends and loops that happen to arise: proven exactly when the full walk finds no
    softlock. Never wrong (proven with a softlock), and never short of an answer the walk
    has (a loop left only by a lucky coin, a scene reached only through a choice two steps
    back whose condition nothing tracked yet: seeds 14 and 328)."""
    roots = [MINI, WORLDS / "softlocks", WORLDS / "lint_problems"]
    seeds = [*range(40), 84, 106, 328, 531, 722, 784]
    roots += [random_world(tmp_path / f"r{seed}", seed, n=10) for seed in seeds]
    proven, refused = proven_when_safe(roots)
    # Both answers were given often enough for the comparison to mean something.
    assert proven >= 10 and refused >= 10, (proven, refused)


def proven_when_safe(roots):
    """How often the proof held and did not, on the worlds the full walk finishes; each time
    exactly when the walk finds no softlock."""
    proven = refused = 0
    for root in roots:
        src = facts.load(root)
        complete, locks = exact_softlocks(src)
        if not complete:
            continue
        proof = prove(src, max_states=200_000)
        assert proof.proven == (locks == 0), (root, proof.reason)
        proven += proof.proven
        refused += not proof.proven
    return proven, refused


def test_the_proof_finds_what_the_full_walk_finds_on_worlds_with_every_feature(tmp_path):
    """As above, on `rich_world`s (the turn count, arithmetic, entry effects, stats changed by
    stats, a third slot). Seeds 150 and 213 are safe only by the turn count, which the proof
    did not track; in seed 240 a player who types 0 is stuck, which the walk did not see; in
    seed 1427 `energy += fame` left energy unknown, and fame had to be tracked before it."""
    seeds = [*range(100), 150, 213, 240, 1427]
    proven, refused = proven_when_safe([rich_world(tmp_path / f"r{s}", s) for s in seeds])
    assert proven >= 15 and refused >= 15, (proven, refused)


def test_explore_says_what_the_proof_shows_when_its_walk_stops_short(tmp_path, capsys):
    from neuripsquest import cli

    safe = written(tmp_path, "safe", SAFE)
    side = written(tmp_path, "side", SIDE)
    args = ["--max-states", "3", "--probes", "0", "--format", "json"]
    # (`nowhere` is unreachable on purpose, so both runs fail on that, not on softlocks.)
    cli.main(["explore", str(safe), *args])
    blob = json.loads(capsys.readouterr().out)
    assert not blob["exhaustive"] and blob["proof"]["proven"] and blob["no_softlock_proven"]
    assert "But no softlock is possible: proven over" in blob["verdict"]
    # Not exact: with no probe runs, scenes past the third state were never seen.
    assert not blob["exact"] and "exhaustive walk would find" not in blob["verdict"]
    cli.main(["explore", str(safe), "--max-states", "3", "--format", "json"])
    blob = json.loads(capsys.readouterr().out)
    assert blob["exact"] and "what an exhaustive walk would find" in blob["verdict"]
    # A proof held to fewer abstract states than it needs gives up, and says why, whether
    # it runs here or in a second process.
    for jobs in ("1", "2"):
        cli.main(["explore", str(safe), *args, "--max-abstract", "2", "--jobs", jobs])
        blob = json.loads(capsys.readouterr().out)
        assert not blob["proof"]["proven"] and not blob["no_softlock_proven"]
        assert blob["proof"]["reason"] == "more than 2 abstract states", jobs
    # No proof asked for: nothing claimed.
    cli.main(["explore", str(safe), *args, "--no-proof"])
    blob = json.loads(capsys.readouterr().out)
    assert blob["proof"] is None and not blob["no_softlock_proven"]
    # A world with softlocks: the proof gives up and says where a player may be caught.
    cli.main(["explore", str(side), *args[:4]])
    text = capsys.readouterr().out
    assert "The proof that no softlock is possible gave up" in text and "'gate'" in text


def _graphs(rd):
    """What a round built, comparable between two rounds (node numbers included)."""
    ways = [[(mv.label, sure, succ, unknown) for mv, sure, succ, unknown in w] for w in rd.ways]
    havoc = {n: {(v, x) for x, got in pairs for v in got} for n, pairs in rd.havoc.items()}
    return rd.keys, ways, rd.must, rd.preds, havoc, rd.demand, rd.too_big


def test_a_round_built_from_the_last_rounds_expansions_is_the_round_built_afresh(
    tmp_path, monkeypatch
):
    """`_Round.build` takes an abstract state's expansion from the round before when what is
    tracked at its scene and where it goes is unchanged: every round of these proofs is
    built both ways and compared, node for node."""
    from neuripsquest.tools.explore import escape

    made, real_build = [], escape._Round.build
    real_get = escape._Memo.get
    hits = []

    def get(self, mkey, expand, key):
        hits.append(mkey in self.last)
        return real_get(self, mkey, expand, key)

    def build(self, memo=None):
        real_build(self, memo)
        fresh = escape._Round(*self.made_with)
        real_build(fresh, None)
        assert _graphs(self) == _graphs(fresh)
        made.append(1)

    real_init = escape._Round.__init__

    def init(self, *args):
        real_init(self, *args)
        self.made_with = args

    monkeypatch.setattr(escape._Round, "__init__", init)
    monkeypatch.setattr(escape._Round, "build", build)
    monkeypatch.setattr(escape._Memo, "get", get)
    roots = [written(tmp_path, "safe", SAFE), written(tmp_path, "typed", TYPED)]
    roots += [written(tmp_path, "side", SIDE), WORLDS / "softlocks", MINI]
    roots += [random_world(tmp_path / f"r{seed}", seed, n=10) for seed in range(12)]
    for root in roots:
        prove(facts.load(root), max_states=200_000)
    # many rounds, and thousands of their states taken from the round before
    assert len(made) >= 30 and sum(hits) >= 5000, (len(made), sum(hits), len(hits))


def test_a_walk_cut_short_finds_what_the_full_walk_finds_when_it_says_it_is_exact(tmp_path):
    """A walk stopped after 3 states, backed by probe runs and the proof: when the report
    says it is exact, its unreached scenes, untaken ways on and endings are the full walk's.
    The proof's may graph proves out of reach what the static reading could not (a choice
    whose condition no state reaching it meets), and that is what made most of them exact."""
    from neuripsquest.tools.lint import possible

    def seen(r):
        return (
            sorted(s for s, _ in r.unreached),
            sorted((s, c) for s, c, _ in r.untaken),
            {e: bool(v["states"] or v["runs"] or v["search"]) for e, v in r.endings.items()},
        )

    exact = by_proof = 0
    for seed in range(110):
        src = facts.load(random_world(tmp_path / f"r{seed}", seed, n=10))
        full = explore.explore(src, max_states=50_000, probes=0)
        if not full.complete or full.softlocks:
            continue
        cut = explore.explore(src, max_states=3, probes=20, search_steps=2_000, jobs=1)
        if cut.complete or not cut.exact:
            continue
        exact += 1
        assert seen(cut) == seen(full), seed
        static = possible(src)
        by_proof += any(s in static.scenes for s, _ in cut.unreached) or any(
            (s, c) in static.choices for s, c, _ in cut.untaken
        )
    assert exact >= 10 and by_proof >= 5, (exact, by_proof)


# `secret` needs energy 5, and energy starts at 3 with one once-only +1: out of reach, which
# neither the static reading nor the proof needs to know to show no softlock.
FAR = (
    """
- id: hub
  title: Hub
  text: The hub.
  choices:
    - {id: rest, text: Rest, once: true, do: [energy += 1], goto: hub}
    - {id: go, text: Go, goto: gate}
- id: gate
  title: Gate
  text: The gate.
  choices:
    - {id: win, text: Win, goto: won}
    - {id: lose, text: Lose, goto: lost}
    - {id: secret, text: Secret, if: energy >= 5, goto: nowhere}
"""
    + ENDINGS
)


def test_a_proof_aimed_at_what_nothing_played_shows_it_out_of_reach(tmp_path):
    from neuripsquest.tools.lint import possible

    src = facts.load(written(tmp_path, "far", FAR))
    static = possible(src)
    assert ("gate", "secret") in static.choices and "nowhere" in static.scenes
    plain = prove(src)
    assert plain.proven and ("gate", "secret") in plain.taken and "nowhere" in plain.scenes
    aimed = prove(src, start=plain.learnt, aim=[("gate", "secret"), ("nowhere", None)])
    assert aimed.proven and ("gate", "secret") not in aimed.taken
    assert "nowhere" not in aimed.scenes and "gate" in aimed.scenes
    # Out of time after the round that held: that round's answer, the choice still open.
    hurried = prove(src, start=plain.learnt, aim=[("gate", "secret")], seconds=0.0)
    assert hurried.proven and hurried.rounds == 1 and ("gate", "secret") in hurried.taken
    # No room to track more: the same.
    cramped = prove(src, max_states=plain.states, start=plain.learnt, aim=[("gate", "secret")])
    assert cramped.proven and ("gate", "secret") in cramped.taken
    # The explorer aims its proof so when its walk stops short: the report is then exact,
    # and finds what the full walk finds.
    full = explore.explore(src, probes=0)
    cut = explore.explore(src, max_states=2, probes=20, search_steps=2_000, jobs=1)
    assert full.complete and not cut.complete and cut.exact
    assert cut.unreached == full.unreached == [("nowhere", True)]
    assert cut.untaken == full.untaken == [("gate", "secret", True)]


# One draw in a hundred leads on from the flip; every other ends the game.
RARE = (
    """
- id: hub
  title: Hub
  text: The hub.
  choices:
    - id: flip
      text: Flip
      random: [{weight: 99, goto: won}, {weight: 1, goto: inner}]
- id: inner
  title: Inner
  text: The inner room.
  choices:
    - {id: prize, text: Prize, goto: won}
"""
    + ENDINGS
)


def test_the_search_draws_again_where_a_random_outcome_is_rare(tmp_path):
    """A state's draws follow from its seed, so a search going back to the same situation
    drew the same outcome each time, and never saw what a rare one leads to."""
    from neuripsquest.core import engine
    from neuripsquest.tools.explore.probes import search
    from neuripsquest.tools.explore.walk import Walker

    walker = Walker(facts.load(written(tmp_path, "rare", RARE)))
    world = walker.world
    first = engine.step(world, engine.new_game(world, 0), engine.Choose("flip"))[0]
    assert first.scene == "won"  # the search's own start never reaches `inner`
    found = search(world, walker.inputs, {"inner", ("inner", "prize")}, steps=5_000)
    assert "inner" in found.scenes and ("inner", "prize") in found.taken
    assert not found.stuck

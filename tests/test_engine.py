"""The pure engine on the small test world."""

import json

from neuripsquest.core import engine
from neuripsquest.core.engine import Choose, Type, Undo
from neuripsquest.core.state import HISTORY_LIMIT, from_json, history_len, iter_history, to_json
from neuripsquest.play import view


def play(world, seed, actions):
    s = engine.new_game(world, seed)
    log = []
    for a in actions:
        s, ev = engine.step(world, s, a)
        log.append(ev)
    return s, log


def test_start_state(mini):
    s = engine.new_game(mini, 1)
    assert s.scene == "a" and s.turn == 0 and s.stats == (3, 0)
    assert view.text(mini, s) == "You have 3 energy on Mon morning."


def test_choice_effects_events_and_extra_text(mini):
    s, (ev,) = play(mini, 1, [Choose("eat")])
    assert s.stats[0] == 4 and s.items == 1 and s.turn == 1
    assert engine.StatChanged("energy", 3, 4) in ev and engine.ItemChanged("pretzel", True) in ev
    assert "A pretzel is in your pocket." in view.text(mini, s)
    assert [c.id for c in view.choices(mini, s)] == ["meet", "tired", "coin", "ask"]


def test_disabled_choice_is_shown_with_reason_and_refused(mini):
    s = engine.new_game(mini, 1)
    tired = next(c for c in view.choices(mini, s) if c.id == "tired")
    assert not tired.enabled and tired.reason == "You need 5 energy."
    s2, ev = engine.step(mini, s, Choose("tired"))
    assert s2 is s and ev == [engine.Rejected("You need 5 energy.")]


def test_unknown_choice_is_refused_not_raised(mini):
    s = engine.new_game(mini, 1)
    s2, ev = engine.step(mini, s, Choose("fly"))
    assert s2 is s and isinstance(ev[0], engine.Rejected)


def test_once_only_choice_disappears(mini):
    s, _ = play(mini, 1, [Choose("meet")])
    assert "meet" not in [c.id for c in view.choices(mini, s)]
    s2, ev = engine.step(mini, s, Choose("meet"))
    assert s2 is s and ev[0].reason == "You have already done that."


def test_same_seed_same_run_and_seeds_differ(mini):
    runs = {}
    for seed in range(40):
        s, log = play(mini, seed, [Choose("coin")])
        again, log2 = play(mini, seed, [Choose("coin")])
        assert s == again and log == log2
        runs.setdefault(s.scene, 0)
        runs[s.scene] += 1
    # both outcomes of the 50/50 draw happen across seeds
    assert set(runs) == {"b", "ask"} and min(runs.values()) >= 8


def test_random_outcome_effects_and_clock(mini):
    for seed in range(20):
        s, (ev,) = play(mini, seed, [Choose("coin")])
        if s.scene == "ask":
            assert s.stats[0] == 2 and s.clock == 1
            assert engine.Narration("Tails.") in ev and engine.ClockMoved(0, 1) in ev
            assert view.when(mini, s) == "Mon evening"
            assert view.describe(mini, engine.ClockMoved(0, 1)) == "Time passes: it is Mon evening."
            return
    raise AssertionError("tails never came up")


def test_typed_money_input(mini):
    s, _ = play(mini, 1, [Choose("ask")])
    bad, ev = engine.step(mini, s, Type("lots of money"))
    assert bad is s and ev[0].hint == "Like $100M."
    s2, ev = engine.step(mini, s, Type("$100M"))
    assert s2.scene == "rich" and ev[0] == engine.Accepted(100_000_000, "$100 million")
    assert engine.Ended("rich", "Rich") in ev and engine.is_over(mini, s2)
    s3, _ = engine.step(mini, s, Type("250k"))
    assert s3.scene == "b" and s3.stats[1] == 250_000
    # an ending takes no more choices
    s4, ev = engine.step(mini, s2, Choose("eat"))
    assert s4 is s2 and ev[0].reason == "The story has ended."


def test_typed_input_only_where_asked(mini):
    s = engine.new_game(mini, 1)
    s2, ev = engine.step(mini, s, Type("$5"))
    assert s2 is s and isinstance(ev[0], engine.Rejected)


def test_undo_steps_back_through_history(mini):
    s, _ = play(mini, 1, [Choose("eat"), Choose("meet"), Choose("ask")])
    s, ev = engine.step(mini, s, Undo())
    assert s.scene == "a" and s.flags == 1 and ev == [engine.Undone("a")]
    s, _ = engine.step(mini, s, Undo())
    s, _ = engine.step(mini, s, Undo())
    assert s == engine.new_game(mini, 1)
    s2, ev = engine.step(mini, s, Undo())
    assert s2 is s and ev[0].reason == "There is nothing to undo."


def test_history_is_bounded(mini):
    s = engine.new_game(mini, 1)
    for _ in range(3 * HISTORY_LIMIT + 50):
        s, _ = engine.step(mini, s, Choose("eat"))
        s, _ = engine.step(mini, s, Undo())
        s, _ = engine.step(mini, s, Choose("eat"))
        s = s._replace(items=0)  # eat again next round
    assert HISTORY_LIMIT <= history_len(s.history) <= 3 * HISTORY_LIMIT
    turns = [h.turn for h in iter_history(s.history)]  # each one step before the one after
    assert turns == list(range(s.turn - 1, s.turn - 1 - len(turns), -1))
    # a player can always take back at least HISTORY_LIMIT steps
    for _ in range(HISTORY_LIMIT):
        s, ev = engine.step(mini, s, Undo())
        assert isinstance(ev[0], engine.Undone)


def test_saved_history_keeps_the_limit(mini):
    s = engine.new_game(mini, 1)
    for _ in range(3 * HISTORY_LIMIT):
        s, _ = engine.step(mini, s, Choose("eat"))
        s = s._replace(items=0)
    blob = to_json(mini, s)
    assert len(blob["history"]) == HISTORY_LIMIT
    back = from_json(mini, blob)
    assert history_len(back.history) == HISTORY_LIMIT
    assert [h.turn for h in iter_history(back.history)] == [
        h.turn for _, h in zip(range(HISTORY_LIMIT), iter_history(s.history), strict=False)
    ]


def test_state_round_trips_through_json(mini):
    s, _ = play(mini, 9, [Choose("eat"), Choose("meet"), Choose("ask"), Type("1.5 billion")])
    blob = json.loads(json.dumps(to_json(mini, s)))
    assert blob["stats"] == {"energy": 4, "number": 1_500_000_000}
    assert blob["flags"] == ["met"] and blob["items"] == ["pretzel"]
    assert blob["used"] == ["a.meet"]
    assert from_json(mini, blob) == s


def test_recap_lists_decisions_and_stat_moves(mini):
    s, _ = play(mini, 1, [Choose("meet"), Choose("ask"), Type("$100M")])
    r = view.recap(mini, s)
    assert r.ending == "rich" and r.title == "Rich"
    assert r.decisions == ["You met someone"]
    assert ("Number", 0, 100_000_000) in r.stats


def test_the_recap_lists_deeds_not_bookkeeping(tmp_path):
    """A flag with an empty note (the hidden Guess Who card) is not one of the player's deeds."""
    from neuripsquest.play import view
    from neuripsquest.store.loader import load_world
    from tests.conftest import WORLD

    world = load_world(WORLD, use_cache=False)
    state = engine.new_game(world, 1)
    bits = world.symbols.flags
    state = state._replace(flags=bits["card_hinton"] | bits["met_vc"])
    assert view.recap(world, state).decisions == [world.flag_notes["met_vc"]]


def test_expand_gives_what_step_outcomes_give():
    """engine.expand, the explorer's entry point, against step_outcomes (and so step) on states
    met on seeded walks through the shipped world: the same choices, outcomes and states, with
    no undo history and the trail left as it was."""
    import random

    from neuripsquest.store.loader import load_world
    from tests.conftest import WORLD

    world = load_world(WORLD, use_cache=False)
    rng = random.Random(3)
    checked = 0
    for seed in range(30):
        s = engine.new_game(world, seed)
        for _ in range(60):
            if world.scenes[s.scene].ending is not None or world.scenes[s.scene].input:
                break
            want = [
                (ch.id, k if ch.goto is None else -1, new[:10])
                for ch in world.scenes[s.scene].choices
                for k, (_w, new, _ev) in enumerate(engine.step_outcomes(world, s, ch.id))
            ]
            got = engine.expand(world, s)
            assert [(c, k, new[:10]) for c, k, new in got] == want
            assert all(new.history == () and new.trail == s.trail for _, _, new in got)
            checked += len(got)
            s, _ = engine.step(world, s, engine.Choose(rng.choice(got)[0]))
    assert checked > 1000


def _shipped_walks(games, steps, seed, visit):
    """Seeded games through the shipped world, each to an ending, a typed question or `steps`
    steps: `visit(world, state, rng)` checks a state and returns the next one."""
    import random

    from neuripsquest.store.loader import load_world
    from tests.conftest import WORLD

    world = load_world(WORLD, use_cache=False)
    rng = random.Random(seed)
    for game in range(games):
        s = engine.new_game(world, game)
        for _ in range(steps):
            sc = world.scenes[s.scene]
            if sc.ending is not None or sc.input:
                break
            s = visit(world, s, rng)


def test_step_gives_one_of_step_outcomes():
    """`step` works out entering a scene itself (the hot path, written out) rather than through
    `_enter`, which step_outcomes uses, and draws a random outcome with rng_next written out:
    on seeded walks through the shipped world, the state a step reaches, undo history and
    trail included, and its events are those of one of the choice's outcomes, and for a
    random choice the one rng_next's draw picks."""
    seen = {"checked": 0, "clock moves": 0, "visits counted": 0, "drawn": 0}

    def visit(world, s, rng):
        sc = world.scenes[s.scene]
        cid = rng.choice([c.id for c in sc.choices if engine.step_outcomes(world, s, c.id)])
        new, events = engine.step(world, s, engine.Choose(cid))
        # step_outcomes leaves out the choice's reply, which step tells first
        reply = [engine.Narration(r) for r in [sc.choice_by_id[cid].reply] if r]
        outcomes = [(st, reply + ev) for _w, st, ev in engine.step_outcomes(world, s, cid)]
        assert (new, list(events)) in outcomes
        ch = sc.choice_by_id[cid]
        if ch.goto is None:  # random: the outcome rng_next's draw picks, by weight
            pick = engine.rng_next(s.rng)[1] % ch.total_weight
            k = next(k for k, o in enumerate(ch.outcomes) if (pick := pick - o.weight) < 0)
            assert (new, list(events)) == outcomes[k]
            seen["drawn"] += 1
        seen["checked"] += 1
        seen["clock moves"] += new.clock != s.clock
        seen["visits counted"] += new.visits != s.visits
        return new

    _shipped_walks(40, 80, 5, visit)
    # the walks went through what the written-out entering does
    assert seen["checked"] > 1000 and seen["clock moves"] > 50 and seen["visits counted"] > 50
    assert seen["drawn"] >= 10  # the shipped world has few random choices


def test_open_choices_are_the_choices_step_takes():
    """`open_choices` states the rule `step` tests inline: on seeded walks through the
    shipped world (once-only choices, conditions), every choice it lists is taken and every
    other choice of the scene is refused. And each state's scene is the scene's own id object
    (the key the plan's tables hold, found there by identity), not a goto's equal copy."""
    seen = {"listed": 0, "refused": 0}

    def visit(world, s, rng):
        choices = world.scenes[s.scene].choices
        open_ = engine.open_choices(world, s)
        taken = []
        for c in choices:
            _, events = engine.step(world, s, engine.Choose(c.id))
            if not any(isinstance(e, engine.Rejected) for e in events):
                taken.append(engine.Choose(c.id))
        assert open_ == taken
        seen["listed"] += len(open_)
        seen["refused"] += len(choices) - len(open_)
        new, _ = engine.step(world, s, rng.choice(open_))
        assert new.scene is world.scenes[new.scene].id
        return new

    _shipped_walks(30, 80, 3, visit)
    assert seen["listed"] > 2000 and seen["refused"] > 500

"""A step's events are worked out only when read (engine.Events), and then are exactly the
events the rules say: checked against an oracle written here from the states' named JSON
form and the world's text, on every step of every playthrough and on random walks."""

import copy
import pickle
import random
import sys

import pytest

from neuripsquest.core import engine
from neuripsquest.core.money import declines, format_money, parse_money
from neuripsquest.core.state import to_json
from neuripsquest.play import replay, view
from neuripsquest.store.loader import load_world
from tests.conftest import ROOT, WORLD

PLAYTHROUGHS = sorted((ROOT / "tests" / "playthroughs").glob("*.yaml"))


@pytest.fixture(scope="module")
def shipped():
    return load_world(WORLD, use_cache=False)


def expected(world, before, action, after):
    """The events of `action` from `before` to `after`, from the world's text and the two
    states by name: what a step that went somewhere must report, in its order."""
    head = []
    if type(action) is engine.Choose:
        c = world.scenes[before.scene].choice_by_id[action.choice]
        if c.reply:
            head.append(engine.Narration(c.reply))
        if c.outcomes:  # the draw, as the rules make it
            _, bits = engine.rng_next(before.rng)
            pick = bits % c.total_weight
            for oc in c.outcomes:
                pick -= oc.weight
                if pick < 0:
                    break
            if oc.text:
                head.append(engine.Narration(oc.text))
    else:
        amount = parse_money(action.text)
        shown = "no number" if declines(action.text) else format_money(amount)
        head.append(engine.Accepted(amount, shown))
        spec = world.scenes[before.scene].input
        oc = spec.outcomes[engine.input_outcome(world, before, amount)]
        if oc.reply:
            head.append(engine.Narration(oc.reply))
    a, b = to_json(world, before, False), to_json(world, after, False)
    changes = [
        engine.StatChanged(n, a["stats"][n], b["stats"][n])
        for n in world.stat_names
        if a["stats"][n] != b["stats"][n]
    ]
    for key, names, kind in (
        ("flags", world.flag_names, engine.FlagChanged),
        ("items", world.item_names, engine.ItemChanged),
    ):
        changes += [kind(n, n in b[key]) for n in names if (n in a[key]) != (n in b[key])]
    if a["clock"] != b["clock"]:
        changes.append(engine.ClockMoved(a["clock"], b["clock"]))
    arrival = [engine.Entered(after.scene)]
    ending = world.scenes[after.scene].ending
    if ending is not None:
        arrival.append(engine.Ended(ending, world.endings[ending]))
    return [*head, *changes, *arrival]


def check_step(world, before, action):
    """Step, and check the events against the oracle and as a list would behave."""
    after, events = engine.step(world, before, action)
    if type(action) is engine.Undo or after is before:
        assert type(events) is list  # refusals and undo: one small list, built at once
        return after, events
    assert type(events) is engine.Events
    want = expected(world, before, action, after)
    assert events == want and want == events and not events != want
    assert list(events) == want and len(events) == len(want) and bool(events)
    assert events[0] == want[0] and events[-1] == want[-1] and events[1:] == want[1:]
    assert list(reversed(events)) == want[::-1] and repr(events) == repr(want)
    assert all(e in events for e in want) and engine.Undone("x") not in events
    return after, events


def test_every_step_of_every_playthrough(shipped):
    kinds = set()
    for path in PLAYTHROUGHS:
        pt = replay.load(str(path))
        world = shipped if pt.world is None else load_world(replay.world_for(pt, WORLD))
        state = engine.new_game(world, pt.seed)
        for st in pt.steps:
            state, events = check_step(world, state, st.action)
            kinds |= {type(e).__name__ for e in events}
    # the playthroughs exercised every kind of event a step reports
    assert kinds >= {
        "Narration",
        "StatChanged",
        "FlagChanged",
        "ItemChanged",
        "ClockMoved",
        "Accepted",
        "Entered",
        "Ended",
    }


@pytest.mark.parametrize("seed", [3, 4])
def test_random_walks(shipped, mini, seed):
    pick = random.Random(seed)
    for world in (mini, shipped):
        state = engine.new_game(world, seed)
        for _ in range(600):
            scene = world.scenes[state.scene]
            if scene.ending is not None:
                state = engine.new_game(world, pick.getrandbits(32))
                continue
            if scene.input is not None:
                action = engine.Type(pick.choice(["$100M", "none", "5", "$2B", "lots"]))
            else:
                open_ = [engine.Choose(c.id) for c in view.choices(world, state) if c.enabled]
                action = pick.choice([*open_, engine.Undo()])
            state, _ = check_step(world, state, action)


def test_a_walk_that_never_reads_events_never_builds_them(shipped, monkeypatch):
    built = []
    real = engine._worked_out
    monkeypatch.setattr(engine, "_worked_out", lambda *a: built.append(a) or real(*a))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import naive_engine

    naive_engine.walk_ours(shipped, 3_000, seed=5)
    assert built == []
    # ...while events that are read are built, once
    state = engine.new_game(shipped, 5)
    action = engine.Choose(next(c.id for c in view.choices(shipped, state) if c.enabled))
    _, events = engine.step(shipped, state, action)
    assert built == []
    assert len(events) >= 1 and list(events) == events[:]
    assert len(built) == 1


def test_a_copy_or_a_pickle_is_the_plain_list(mini):
    state = engine.new_game(mini, 1)
    _, events = engine.step(mini, state, engine.Choose("eat"))
    for other in (copy.copy(events), copy.deepcopy(events), pickle.loads(pickle.dumps(events))):
        assert type(other) is list and other == events
    assert events + [engine.Undone("a")] == [*events, engine.Undone("a")]
    assert [engine.Undone("a")] + events == [engine.Undone("a"), *events]
    assert events.index(events[-1]) == len(events) - 1 and events.count(events[0]) == 1
    with pytest.raises(TypeError):
        hash(events)


def test_walks_are_unchanged_by_reading_events(shipped):
    """Reading the events (or not) leaves the states of a walk as they were."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import naive_engine

    quiet, read = [], []
    naive_engine.walk_ours(shipped, 1_000, 9, quiet)
    pick = random.Random(9)
    s = engine.new_game(shipped, 9)
    for _ in range(1_000):
        options = engine.open_choices(shipped, s)
        if not options:
            s = engine.new_game(shipped, pick.getrandbits(32))
        else:
            s, events = engine.step(shipped, s, options[int(pick.random() * len(options))])
            assert list(events)
        read.append(s[:9])
    assert quiet == read

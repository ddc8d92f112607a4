"""What the front ends say about time and locked choices: one wording, decided in view."""

import pytest

from neuripsquest.core import engine
from neuripsquest.lang.expr import Symbols, stat_minimums
from neuripsquest.play import view
from neuripsquest.store.loader import load_world
from tests.conftest import WORLD


def toy_symbols():
    return Symbols(
        stats={"energy": 0, "clout": 1},
        stat_ranges=[(0, 10), (0, 10)],
        flags={"met": 1},
        items={"pretzel": 1},
        slots={"morning": 0},
        scenes=set(),
        nslots=1,
        ndays=1,
    )


@pytest.mark.parametrize(
    "src, want",
    [
        ("energy >= 3", [("energy", 3)]),
        ("energy > 2", [("energy", 3)]),
        ("has pretzel and energy >= 2 and not met and clout >= 5", [("energy", 2), ("clout", 5)]),
        ("energy >= 3 or clout >= 2", []),  # either would do: no single number is lacking
        ("not energy >= 3", []),
        ("(energy >= 3 or met) and clout > 4", [("clout", 5)]),
        ("energy == 3", []),
        ("energy >= clout", []),
        ("slot >= 2", []),  # only stats
        ("energy >= ", []),  # unreadable: nothing, not an exception
    ],
)
def test_stat_minimums_reads_the_top_level_of_a_condition(src, want):
    assert stat_minimums(src, toy_symbols()) == want


@pytest.fixture(scope="module")
def world():
    return load_world(WORLD, use_cache=False)


def at(world, scene, **stats):
    s = engine.new_game(world, 1)
    values = list(s.stats)
    for name, v in stats.items():
        values[world.symbols.stats[name]] = v
    return s._replace(scene=scene, stats=tuple(values))


def locked(world, state, cid):
    return next(c for c in view.choices(world, state) if c.id == cid)


def test_needs_lists_only_what_is_not_yet_met(world):
    # expo_suits corbin_ticket: met_vc and clout >= 5 and day <= 3 and not has yacht_ticket
    c = locked(world, at(world, "expo_suits", clout=2), "corbin_ticket")
    assert not c.enabled and c.needs == ("Clout 5",)
    # talks_hallway hand_cards: has business_cards and energy >= 2; energy is fine here
    c = locked(world, at(world, "talks_hallway", energy=5), "hand_cards")
    assert not c.enabled and c.needs == ()
    assert c.locked_line == "You'd need business cards and a little energy to work a room."


def test_locked_line_is_the_writers_reason_then_the_needs(world):
    c = locked(world, at(world, "rooftop_vc_napkin", clout=0), "pitch_poster")
    assert c.reason == "He is already glancing past you for somebody louder."
    assert c.locked_line == "He is already glancing past you for somebody louder. Needs Clout 3."


def test_locked_line_composes_without_brackets():
    c = view.ChoiceView(1, "x", "Go", False, "Too tired", ("Energy 3", "Clout 5", "Compute 2"))
    assert c.locked_line == "Too tired. Needs Energy 3, Clout 5 and Compute 2."
    assert view.ChoiceView(1, "x", "Go", False, "", ("Energy 3",)).locked_line == "Needs Energy 3."
    assert view.ChoiceView(1, "x", "Go", False, "  ").locked_line.startswith("That is not")


@pytest.mark.parametrize(
    "text, want",
    [
        ("Go", "Go."),
        ("Go.", "Go."),
        ("Is this person Canadian?", "Is this person Canadian?"),
        ('He said "no."', 'He said "no."'),
        ("(A pretzel would help.)", "(A pretzel would help.)"),
        ("Run (fast)", "Run (fast)."),
        ("", ""),
    ],
)
def test_sentence(text, want):
    assert view.sentence(text) == want


def test_no_hand_written_stat_suffix_repeats_the_automatic_needs(world):
    state = at(world, world.start, energy=0, clout=0)
    for scene in world.scenes.values():
        for ch in scene.choices:
            if ch.disabled is None:
                continue
            needs = view.unmet(world, state, ch.cond_src or "")
            for need in needs:
                assert f"({need})" not in ch.disabled, (scene.id, ch.id)
            assert "((" not in ch.disabled and "))" not in ch.disabled


def test_one_wording_of_the_time(world, mini):
    s = engine.new_game(world, 1)._replace(clock=4)
    assert view.when(world, s) == "Wednesday morning"
    assert view.describe(world, engine.ClockMoved(3, 4)) == "Time passes: it is Wednesday morning."
    assert view.when(mini, engine.new_game(mini, 1)) == "Mon morning"


def test_money_stats_are_known_by_their_range(world):
    by_name = {st.name: st for st in view.stats(world, engine.new_game(world, 1))}
    assert by_name["their_number"].money and not by_name["energy"].money


def test_the_wake_up_scenes_are_at_the_hotel(world):
    for sid in ("day2_morning", "day3_morning", "day4_morning", "day5_morning"):
        assert view.place(world, at(world, sid)) == "Your hotel", sid

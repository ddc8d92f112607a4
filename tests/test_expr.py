"""The expression language: what it accepts, what it refuses, and where it says so."""

import pytest

from neuripsquest.lang.expr import ExprError, Symbols, compile_condition, compile_effect


class S:
    def __init__(self, stats=(3, 0), flags=0, items=0, visits=(0,), clock=0, turn=0):
        self.stats = list(stats)
        self.flags, self.items, self.visits, self.clock, self.turn = (
            flags,
            items,
            visits,
            clock,
            turn,
        )


def sym():
    return Symbols(
        stats={"energy": 0, "clout": 1},
        stat_ranges=[(0, 10), (0, 20)],
        flags={"met": 1, "danced": 2},
        items={"pretzel": 1},
        slots={"morning": 0, "evening": 1},
        scenes={"a", "b"},
        nslots=2,
        ndays=3,
    )


@pytest.mark.parametrize(
    "src, state, want",
    [
        ("energy >= 3", S(), True),
        ("energy > 3", S(), False),
        ("energy >= 3 and not met", S(flags=1), False),
        ("met or danced", S(flags=2), True),
        ("has pretzel", S(items=1), True),
        ("not has pretzel and energy == 3", S(), True),
        ("has  pretzel", S(items=1), True),
        ("2 <= energy <= 5", S(), True),
        ("energy + clout * 2 == 13", S(stats=(3, 5)), True),
        ("-1 < energy - 4", S(), False),
        ("(met or danced) and energy < 10", S(flags=1), True),
        ("day == 2 and slot >= evening", S(clock=3), True),
        ("day == 1", S(clock=1), True),
        ("visits(a) == 0", S(), True),
        ("true", S(), True),
        ("false or turn > 4", S(turn=5), True),
        ("met == danced", S(flags=3), True),
    ],
)
def test_conditions(src, state, want):
    assert compile_condition(src, sym())(state) is want


@pytest.mark.parametrize(
    "src, message, offset",
    [
        ("enrgy >= 3", "unknown name 'enrgy' (did you mean 'energy'?)", 0),
        ("energy >= 3 and pretzel", "'pretzel' is an item: write 'has pretzel'", 16),
        ("has met", "'met' is a flag, not an item: write just 'met'", 4),
        ("energy + 1", "a condition must be true or false", 0),
        ("energy and met", "'and' needs true or false", 0),
        ("energy = 3", "use == to compare", None),
        ("energy >= 3 &&", "cannot read condition", None),
        ("__import__('os')", "the only function is visits(scene_id)", 0),
        ("energy.real > 1", "is not allowed in a condition", 0),
        ("energy / 2 > 1", "'/' is not allowed", 0),
        ("visits(c) > 1", "unknown scene 'c'", 7),
        ("energy > 'x'", "only whole numbers", 9),
        ("met < danced", "cannot compare", 6),
        ("energy in clout", "'in' is not allowed", 0),
        ("", "empty expression", 0),
    ],
)
def test_bad_conditions_are_located(src, message, offset):
    with pytest.raises(ExprError) as exc:
        compile_condition(src, sym())
    assert message in exc.value.message
    if offset is not None:
        assert exc.value.offset == offset


def run(effects, state=None):
    s = state or S()
    for e in effects:
        compile_effect(e, sym())[0](s)
    return s


def test_effects_and_clamping():
    s = run(["energy += 20", "clout -= 5", "set met", "give pretzel", "advance 1"])
    assert s.stats == [10, 0] and s.flags == 1 and s.items == 1 and s.clock == 1
    s = run(["clear met", "take pretzel", "clout = energy + 2"], S(flags=3, items=1))
    assert s.flags == 2 and s.items == 0 and s.stats[1] == 5


def test_advance_to_a_slot_goes_forward_and_stops_at_the_week_end():
    assert run(["advance to evening"], S(clock=0)).clock == 1
    assert run(["advance to evening"], S(clock=1)).clock == 3  # evening again: the next one
    assert run(["advance to morning"], S(clock=1)).clock == 2
    assert run(["advance 99"], S(clock=0)).clock == 5  # the last slot of the last day


@pytest.mark.parametrize(
    "src, message, offset",
    [
        ("set pretzel", "'pretzel' is an item, not a flag: write 'give pretzel'", 4),
        ("give met", "'met' is a flag, not an item: write 'set met'", 5),
        ("enrgy += 1", "unknown stat 'enrgy' (did you mean 'energy'?)", 0),
        ("met = 1", "'met' is a flag: write 'set met'", 0),
        ("energy = 11", "11 is outside energy's range 0..10", 9),
        ("energy += met", "a stat can only be set to a number", 9),
        ("energy += bogus", "unknown name 'bogus'", 10),
        ("advance to noon", "unknown time slot 'noon'", 11),
        ("sett met", "cannot read effect", 0),
    ],
)
def test_bad_effects_are_located(src, message, offset):
    with pytest.raises(ExprError) as exc:
        compile_effect(src, sym())
    assert message in exc.value.message
    assert exc.value.offset == offset


def world_sym():
    """sym() with a place and an ending, which only ever appear misused in conditions."""
    s = sym()
    s.places = frozenset({"rooftop"})
    s.endings = frozenset({"joined_lab"})
    return s


@pytest.mark.parametrize(
    "src, message, offset",
    [
        ("has clout", "'clout' is a stat, not an item: compare it, e.g. 'clout >= 1'", 4),
        ("has evening", "'evening' is a time slot, not an item: compare the clock, e.g. 'slot", 4),
        ("has day", "'day' is the day number, not an item: compare it, e.g. 'day >= 2'", 4),
        ("has a", "'a' is a scene, not an item: write 'visits(a) > 0'", 4),
        ("has rooftop", "'rooftop' is a place, not an item: a condition cannot name a place", 4),
        ("has joined_lab", "'joined_lab' is an ending, not an item", 4),
        ("has nothing", "unknown item 'nothing'", 4),
        ("met and b", "'b' is a scene: write 'visits(b) > 0'", 8),
        ("rooftop", "'rooftop' is a place: a condition cannot name a place", 0),
        ("visits(clout) > 1", "'clout' is a stat, not a scene: compare it", 7),
        ("visits(rooftop) > 1", "'rooftop' is a place, not a scene", 7),
    ],
)
def test_a_name_of_another_kind_is_said_for_what_it_is(src, message, offset):
    with pytest.raises(ExprError) as exc:
        compile_condition(src, world_sym())
    assert exc.value.message.startswith(message)
    assert exc.value.offset == offset


@pytest.mark.parametrize(
    "src, message",
    [
        ("give clout", "'clout' is a stat, not an item: write 'clout += 1', 'clout -= 1'"),
        ("set clout", "'clout' is a stat, not a flag: write 'clout += 1'"),
        ("take a", "'a' is a scene, not an item: an effect cannot move the player; write 'goto"),
        ("set joined_lab", "'joined_lab' is an ending, not a flag"),
        ("advance to met", "'met' is a flag, not a time slot: write 'set met'"),
        ("day = 2", "'day' is the day number: move it with 'advance 1'"),
        ("rooftop += 1", "'rooftop' is a place: an effect cannot name a place"),
    ],
)
def test_an_effect_naming_another_kind_says_what_it_is(src, message):
    with pytest.raises(ExprError) as exc:
        compile_effect(src, world_sym())
    assert exc.value.message.startswith(message)

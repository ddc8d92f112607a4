"""view.shown (and view.choices and view.text, its two halves) keeps what it built for a
scene: over a long walk through the shipped world it still says what working everything out
afresh says."""

import random
import re

import pytest

from neuripsquest.core import engine
from neuripsquest.play import view
from neuripsquest.store.loader import load_world
from tests.conftest import WORLD


@pytest.fixture(scope="module")
def shipped():
    return load_world(WORLD, use_cache=False)


def choices_afresh(world, state):
    out = []
    for ch in world.scenes[state.scene].choices:
        if ch.once_bit & state.used:
            continue
        if ch.cond is None or ch.cond(state):
            out.append((len(out) + 1, ch.id, ch.text, True, "", ()))
        elif ch.disabled is not None:
            needs = view.unmet(world, state, ch.cond_src or "")
            out.append((len(out) + 1, ch.id, ch.text, False, ch.disabled, needs))
    return out


def text_afresh(world, state):
    scene = world.scenes[state.scene]
    parts = [scene.text.strip()]
    if scene.revisit is not None and state.visits[world.visit_index[scene.id]] > 1:
        parts = [scene.revisit.strip()]
    parts.extend(t.strip() for cond, t in scene.extras if cond(state))
    body = "\n\n".join(parts)
    return re.sub(r"\{([a-z_][a-z0-9_]*)\}", lambda m: fill_afresh(world, state, m), body)


def fill_afresh(world, state, m):
    """One placeholder's value, worked out here rather than by the view's own fill."""
    name = m.group(1)
    if name == "day":
        return world.days[state.clock // len(world.slots)]
    if name == "slot":
        return world.slots[state.clock % len(world.slots)]
    if name in world.stat_names:
        return view.show_number(state.stats[world.stat_names.index(name)])
    return m.group(0)


def test_a_long_walk_shows_what_working_it_out_afresh_shows(shipped):
    pick = random.Random(3)
    s = engine.new_game(shipped, 3)
    locked = revisits = extras = filled = many_tests = 0
    needs_seen: dict[tuple, set] = {}  # the same choices shown, with what locked ones need
    for _ in range(4_000):
        text, shown = view.shown(shipped, s)
        assert [tuple(c) for c in shown] == choices_afresh(shipped, s)
        assert text == text_afresh(shipped, s)
        assert (view.text(shipped, s), view.choices(shipped, s)) == (text, shown)
        scene = shipped.scenes[s.scene]
        # choices with something to test (a condition, once-only): the view chains them
        many_tests += sum(1 for c in scene.choices if c.once_bit or c.cond is not None) >= 3
        locked += any(not c.enabled for c in shown)
        same = (s.scene, tuple((c.id, c.enabled) for c in shown))
        needs_seen.setdefault(same, set()).add(tuple(c.needs for c in shown))
        revisits += scene.revisit is not None and text.startswith(scene.revisit.strip())
        extras += any(cond(s) for cond, _ in scene.extras)
        filled += "{" in scene.text
        open_ = [c for c in shown if c.enabled]
        if not open_:
            s = engine.new_game(shipped, pick.getrandbits(32))
            continue
        s, _ = engine.step(shipped, s, engine.Choose(pick.choice(open_).id))
    # the walk met every case the tables distinguish
    assert locked > 50 and revisits > 50 and extras > 50 and filled > 0 and many_tests > 50
    # ... including the same choices locked for different reasons (needs are not kept)
    assert any(len(needs) > 1 for needs in needs_seen.values())


def test_choice_views_are_values_no_caller_can_change(mini):
    # The kept tuple itself is handed out: it must be one a caller cannot change for the next.
    s = engine.new_game(mini, 1)
    a = view.choices(mini, s)
    assert type(a) is tuple and all(type(c) is view.ChoiceView for c in a)
    b = view.choices(mini, s)
    assert b and b == a and [tuple(c) for c in b] == choices_afresh(mini, s)
    assert b[0] == view.ChoiceView(1, b[0].id, b[0].text, True, "")


def test_the_list_shown_last_is_not_shown_for_another_state(mini):
    # Each scene keeps the list it showed last: going back and forth between states that
    # show the same scene differently must give each its own list every time.
    s = engine.new_game(mini, 1)
    states = [s._replace(stats=(energy, *s.stats[1:])) for energy in (0, 5, 0, 9, 9, 1, 5)]
    shown = [tuple(tuple(c) for c in view.choices(mini, t)) for t in states]
    assert shown == [tuple(choices_afresh(mini, t)) for t in states]
    assert len(set(shown)) > 1  # the states really do show the scene differently


def test_fill_says_each_placeholder_and_leaves_other_braces_alone(mini):
    s = engine.new_game(mini, 1)._replace(clock=3, stats=(4, 2_500_000))
    got = view.fill(mini, s, "{day} {slot}: {energy}/{number} {nobody} {Energy} {{x}} { }")
    assert got == "Tue evening: 4/$2.5 million {nobody} {Energy} {{x}} { }"
    assert view.fill(mini, s, "no placeholder") == "no placeholder"
    assert view.fill(mini, s, "{energy}{energy}") == "44"


def test_the_table_of_scenes_shown_is_a_plain_dict_and_an_unknown_scene_is_a_key_error(mini):
    # A dict subclass with __missing__ is subscripted through a Python-level __getitem__ call,
    # which cost a turn more than the rest of the lookup: the table must stay an exact dict.
    s = engine.new_game(mini, 1)
    view.text(mini, s)
    view.choices(mini, s)
    assert type(mini.derived["view"]) is dict and s.scene in mini.derived["view"]
    with pytest.raises(KeyError):
        view.choices(mini, s._replace(scene="nowhere"))
    with pytest.raises(KeyError):
        view.text(mini, s._replace(scene="nowhere"))

"""The rules: `step(world, state, action) -> (state, events)`, pure and deterministic.

No I/O, no globals, no clock but the game's: randomness comes only from the splitmix64 state
carried in the State, so the same seed and the same actions always give the same run. A
player's mistake (a choice that is not there, an amount that does not parse) is answered with
a `Rejected` event and the unchanged state, never an exception.
"""

from __future__ import annotations

from typing import NamedTuple

from neuripsquest.core.money import MoneyError, declines, format_money, parse_money
from neuripsquest.core.state import State, push_history
from neuripsquest.core.world import InputSpec, World

_MASK = (1 << 64) - 1


# ---------------------------------------------------------------- actions


class Choose(NamedTuple):
    choice: str  # the choice's id in the current scene


class Type(NamedTuple):
    text: str  # typed input for an `input:` scene


class Undo(NamedTuple):
    pass


Action = Choose | Type | Undo


# ---------------------------------------------------------------- events


class Entered(NamedTuple):
    scene: str


class StatChanged(NamedTuple):
    name: str
    old: int
    new: int


class FlagChanged(NamedTuple):
    name: str
    value: bool


class ItemChanged(NamedTuple):
    name: str
    gained: bool


class ClockMoved(NamedTuple):
    old: int
    new: int


class Narration(NamedTuple):
    text: str  # what a random outcome says happened


class Accepted(NamedTuple):
    amount: int
    shown: str  # the amount as the game says it back: "$100 million"


class Rejected(NamedTuple):
    reason: str
    hint: str = ""


class Undone(NamedTuple):
    scene: str


class Ended(NamedTuple):
    ending: str
    title: str


Event = (
    Entered
    | StatChanged
    | FlagChanged
    | ItemChanged
    | ClockMoved
    | Narration
    | Accepted
    | Rejected
    | Undone
    | Ended
)


# ---------------------------------------------------------------- randomness


def rng_next(x: int) -> tuple[int, int]:
    """splitmix64: (new state, 64 random bits). Tiny, fast and stable across Python versions."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return x, z ^ (z >> 31)


# ---------------------------------------------------------------- the step


class _Scratch:
    """The mutable working copy one step changes; conditions read it like a State."""

    __slots__ = ("stats", "flags", "items", "visits", "clock", "turn")

    def __init__(self, s: State):
        self.stats = list(s.stats)
        self.flags = s.flags
        self.items = s.items
        self.visits = s.visits
        self.clock = s.clock
        self.turn = s.turn + 1


def new_game(world: World, seed: int = 0) -> State:
    """The state at the start scene, its entry effects applied."""
    return begin(world, blank_state(world, seed))


def blank_state(world: World, seed: int = 0) -> State:
    """Before the first scene: the world's initial values, nothing entered yet."""
    return State(
        scene=world.start,
        stats=world.stat_initial,
        flags=0,
        items=0,
        visits=(0,) * len(world.visit_names),
        used=0,
        clock=world.start_clock,
        rng=seed & _MASK,
        turn=-1,
        seed=seed,
        trail=((world.start_clock, world.stat_initial),),
        history=(),
    )


def begin(world: World, blank: State) -> State:
    """Enter `blank.scene` as a game's first step (its entry effects apply, its visit is
    counted, turn 0, nothing to undo). `blank` is blank_state, perhaps changed by a writer's
    `play --from/--set`."""
    state, _ = _enter(world, blank, _Scratch(blank), blank.scene, blank.rng, 0, [], False)
    return state


def enter(world: World, state: State, scene: str) -> tuple[State, list[Event]]:
    """Go from `state` to `scene` as a goto with no choice before it would: the scene's entry
    effects apply, its visit is counted, it takes a turn and can be undone. No story can do
    this; the debugger's jump does (play/debug.py). `scene` must be one of the world's."""
    return _enter(world, state, _Scratch(state), scene, state.rng, state.used, [])


def step(world: World, state: State, action: Action) -> tuple[State, list[Event]]:
    # `type(...) is` rather than isinstance: a step is the hot path, and mypy narrows both.
    if type(action) is Choose:
        return _choose(world, state, action.choice)
    if type(action) is Type:
        return _type(world, state, action.text)
    if type(action) is Undo:
        return undo(state)
    return state, [Rejected(f"unknown action {action!r}")]


def _choose(world: World, state: State, cid: str) -> tuple[State, list[Event]]:
    scene = world.scenes[state.scene]
    ch = scene.choice_by_id.get(cid)
    if ch is None:
        if scene.ending is not None:
            return state, [Rejected("The story has ended.")]
        return state, [Rejected(f"There is no choice '{cid}' here.")]
    if ch.once_bit & state.used:
        return state, [Rejected("You have already done that.")]
    if ch.cond is not None and not ch.cond(state):
        return state, [Rejected(ch.disabled or "That is not possible right now.")]
    w = _Scratch(state)
    for eff in ch.effects:
        eff(w)
    rng = state.rng
    events: list[Event] = [Narration(ch.reply)] if ch.reply else []
    target = ch.goto
    if target is None:
        rng, bits = rng_next(rng)
        pick = bits % ch.total_weight
        for oc in ch.outcomes:
            pick -= oc.weight
            if pick < 0:
                break
        for eff in oc.effects:
            eff(w)
        target = oc.goto
        if oc.text:
            events.append(Narration(oc.text))
    return _enter(world, state, w, target, rng, state.used | ch.once_bit, events)


def _type(world: World, state: State, text: str) -> tuple[State, list[Event]]:
    spec = world.scenes[state.scene].input
    if spec is None:
        return state, [Rejected("This scene does not ask for typed input.")]
    try:
        amount = parse_money(text)
    except MoneyError as exc:
        return state, [Rejected(str(exc), spec.hint)]
    w = _Scratch(state)
    lo, hi = world.stat_ranges[spec.store]
    w.stats[spec.store] = min(max(amount, lo), hi)
    oc = spec.outcomes[_pick_input(spec, w)]
    for eff in oc.effects:
        eff(w)
    said = "no number" if declines(text) else format_money(amount)
    events: list[Event] = [Accepted(amount, said)]
    if oc.reply:
        events.append(Narration(oc.reply))
    return _enter(world, state, w, oc.goto, state.rng, state.used, events)


def _pick_input(spec: InputSpec, w: _Scratch) -> int:
    """The first input outcome whose condition holds (the last one has none)."""
    for k, oc in enumerate(spec.outcomes):
        if oc.cond is None or oc.cond(w):
            return k
    return len(spec.outcomes) - 1


def _enter(
    world: World,
    old: State,
    w: _Scratch,
    target: str,
    rng: int,
    used: int,
    events: list[Event],
    remember: bool = True,
) -> tuple[State, list[Event]]:
    # The hot path of every step: written for speed (plain loops, no _replace), since the
    # explorer and random tests call it millions of times.
    scene = world.scenes[target]
    vi = world.visit_index.get(target)
    if vi is not None:
        v = list(w.visits)
        v[vi] += 1
        w.visits = tuple(v)
    for eff in scene.on_enter:
        eff(w)
    stats = tuple(w.stats)
    clock = w.clock
    old_stats = old.stats
    trail = old.trail
    if clock != old.clock:
        trail = (*trail, (clock, stats))
    history = push_history(old.history, _new_state(State, (*old[:-1], ()))) if remember else ()
    new = _new_state(
        State,
        (
            target,
            stats,
            w.flags,
            w.items,
            w.visits,
            used,
            clock,
            rng,
            w.turn,
            old.seed,
            trail,
            history,
        ),
    )
    if stats != old_stats:
        names = world.stat_names
        for i, b in enumerate(stats):
            a = old_stats[i]
            if a != b:
                events.append(_new_event(StatChanged, (names[i], a, b)))
    if w.flags != old.flags:
        events.extend(_bit_events(old.flags, w.flags, world.flag_names, FlagChanged))
    if w.items != old.items:
        events.extend(_bit_events(old.items, w.items, world.item_names, ItemChanged))
    if clock != old.clock:
        events.append(_new_event(ClockMoved, (old.clock, clock)))
    events.append(_new_event(Entered, (target,)))
    if scene.ending is not None:
        events.append(Ended(scene.ending, world.endings[scene.ending]))
    return new, events


# NamedTuple's own __new__ is a Python function; building the tuple directly is 3x faster.
_new_state = _new_event = tuple.__new__


def _bit_events(old: int, new: int, names: tuple[str, ...], make: type) -> list[Event]:
    out = []
    diff = old ^ new
    while diff:
        low = diff & -diff
        out.append(make(names[low.bit_length() - 1], bool(new & low)))
        diff ^= low
    return out


def undo(state: State) -> tuple[State, list[Event]]:
    if not state.history:
        return state, [Rejected("There is nothing to undo.")]
    prev = state.history[0]._replace(history=state.history[1])
    return prev, [Undone(prev.scene)]


def is_over(world: World, state: State) -> bool:
    return world.scenes[state.scene].ending is not None


# ---------------------------------------------------------------- for tools


def step_outcomes(
    world: World, state: State, choice_id: str
) -> list[tuple[int, State, list[Event]]]:
    """Every way `Choose(choice_id)` can turn out, with its weight: one entry (weight 1) for a
    plain choice; one per outcome of a `random:` choice, each as if the draw had picked it (the
    random state moves on as the draw would). [] when the choice is not available. The
    explorer follows every branch with it instead of searching for seeds."""
    ch = world.scenes[state.scene].choice_by_id.get(choice_id)
    if ch is None or ch.once_bit & state.used or (ch.cond is not None and not ch.cond(state)):
        return []
    used = state.used | ch.once_bit
    if ch.goto is not None:
        w = _Scratch(state)
        for eff in ch.effects:
            eff(w)
        return [(1, *_enter(world, state, w, ch.goto, state.rng, used, []))]
    rng, _ = rng_next(state.rng)
    out: list[tuple[int, State, list[Event]]] = []
    for oc in ch.outcomes:
        w = _Scratch(state)
        for eff in ch.effects:
            eff(w)
        for eff in oc.effects:
            eff(w)
        events: list[Event] = [Narration(oc.text)] if oc.text else []
        out.append((oc.weight, *_enter(world, state, w, oc.goto, rng, used, events)))
    return out


def input_outcome(world: World, state: State, amount: int) -> int:
    """The index of the outcome that typing `amount` in the current (input) scene leads to."""
    spec = world.scenes[state.scene].input
    if spec is None:
        raise ValueError(f"scene '{state.scene}' does not ask for typed input")
    w = _Scratch(state)
    lo, hi = world.stat_ranges[spec.store]
    w.stats[spec.store] = min(max(amount, lo), hi)
    return _pick_input(spec, w)

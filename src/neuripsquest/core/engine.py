"""The rules: `step(world, state, action) -> (state, events)`, pure and deterministic.

No I/O, no globals, no clock but the game's: randomness comes only from the splitmix64 state
carried in the State, so the same seed and the same actions always give the same run. A
player's mistake (a choice that is not there, an amount that does not parse) is answered with
a `Rejected` event and the unchanged state, never an exception.
"""

from __future__ import annotations

from typing import NamedTuple

from neuripsquest.core.money import MoneyError, declines, format_money, parse_money
from neuripsquest.core.state import HISTORY_LIMIT, State, bounded
from neuripsquest.core.world import Effect, InputSpec, World
from neuripsquest.lang.expr import Getter

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


# ---------------------------------------------------------------- the plan


class _Entry(NamedTuple):
    """What entering a scene does, worked out once per world."""

    scene: str
    visit: int  # the scene's place in State.visits, or -1 when its visits are not counted
    on_enter: tuple[Effect, ...]
    arrival: tuple[Event, ...]  # Entered, and Ended for an ending


class _Branch(NamedTuple):
    """One outcome of a random choice."""

    weight: int
    effects: tuple[Effect, ...]
    said: tuple[Event, ...]  # its Narration, or ()
    entry: _Entry


class _Way(NamedTuple):
    """One choice, as a step takes it."""

    once_bit: int
    cond: Getter | None
    effects: tuple[Effect, ...]
    said: tuple[Event, ...]  # the reply's Narration, or ()
    entry: _Entry | None  # the goto's; None for a random choice
    branches: tuple[_Branch, ...]
    total_weight: int


class _Entries(dict[str, _Entry]):
    """Scene id -> how entering it goes, worked out the first time a scene is entered: a world
    loaded lazily from the cache compiles a scene only when the game reaches it."""

    def __init__(self, world: World):
        super().__init__()
        self.world = world

    def __missing__(self, sid: str) -> _Entry:
        world = self.world
        sc = world.scenes[sid]  # an unknown scene stays the KeyError it always was
        ended = () if sc.ending is None else (Ended(sc.ending, world.endings[sc.ending]),)
        entry = self[sid] = _Entry(
            sid, world.visit_index.get(sid, -1), sc.on_enter, (Entered(sid), *ended)
        )
        return entry

    def of_target(self, sid: str) -> _Entry:
        return self[sid] if sid in self.world.scenes else _gone(sid)


class _Ways(dict[str, dict[str, _Way]]):
    """Scene id -> choice id -> way, each goto resolved, worked out when first asked for."""

    def __init__(self, world: World, entries: _Entries):
        super().__init__()
        self.world, self.entries = world, entries

    def __missing__(self, sid: str) -> dict[str, _Way]:
        target = self.entries.of_target
        ways = self[sid] = {
            c.id: _Way(
                c.once_bit,
                c.cond,
                c.effects,
                (Narration(c.reply),) if c.reply else (),
                None if c.goto is None else target(c.goto),
                tuple(
                    _Branch(
                        o.weight,
                        o.effects,
                        (Narration(o.text),) if o.text else (),
                        target(o.goto),
                    )
                    for o in c.outcomes
                ),
                c.total_weight,
            )
            for c in self.world.scenes[sid].choices
        }
        return ways


class _Plan(NamedTuple):
    ways: _Ways
    entries: _Entries


def _plan(world: World) -> _Plan:
    """The world's scenes with every goto resolved and every fixed event built, so that a step
    looks nothing up by name but the choice it is given; kept with the world, each scene's
    part made when the game first needs it."""
    plan = world.derived.get("engine")
    if plan is not None:
        return plan
    entries = _Entries(world)
    plan = world.derived["engine"] = _Plan(_Ways(world, entries), entries)
    return plan


def _gone(sid: str) -> _Entry:
    """A goto to a scene the world has not (only a world changed by hand, as tests do, can
    have one): entering it is the KeyError looking the scene up always was."""

    def fail(w: object) -> None:
        raise KeyError(sid)

    return _Entry(sid, -1, (fail,), ())


# ---------------------------------------------------------------- the step


class _Scratch:
    """The mutable working copy one step changes; conditions read it like a State. Made by
    _scratch: a class without __init__ is made without a Python call, which a step notices."""

    __slots__ = ("stats", "flags", "items", "visits", "clock", "turn")
    stats: list[int]
    flags: int
    items: int
    visits: tuple[int, ...]
    clock: int
    turn: int


def _scratch(s: State) -> _Scratch:
    _, stats, flags, items, visits, _, clock, _, turn, _, _, _ = s  # see _enter
    w = _Scratch()
    w.stats = list(stats)
    w.flags = flags
    w.items = items
    w.visits = visits
    w.clock = clock
    w.turn = turn + 1
    return w


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
    entry = _plan(world).entries[blank.scene]
    state, _ = _enter(world, blank, _scratch(blank), entry, blank.rng, 0, [], False)
    return state


def enter(world: World, state: State, scene: str) -> tuple[State, list[Event]]:
    """Go from `state` to `scene` as a goto with no choice before it would: the scene's entry
    effects apply, its visit is counted, it takes a turn and can be undone. No story can do
    this; the debugger's jump does (play/debug.py). `scene` must be one of the world's."""
    entry = _plan(world).entries[scene]
    return _enter(world, state, _scratch(state), entry, state.rng, state.used, [])


def step(world: World, state: State, action: Action) -> tuple[State, list[Event]]:
    # `type(...) is` rather than isinstance: a step is the hot path, and mypy narrows both.
    if type(action) is Choose:
        return _choose(world, state, action.choice, [])
    if type(action) is Type:
        return _type(world, state, action.text)
    if type(action) is Undo:
        return undo(state)
    return state, [Rejected(f"unknown action {action!r}")]


def advance(world: World, state: State, action: Action) -> State:
    """`step`'s state without its events, for callers that never read them (a random walk,
    a search): a choice then costs less, as no event is worked out."""
    if type(action) is Choose:
        return _choose(world, state, action.choice, None)[0]
    return step(world, state, action)[0]


def _choose(
    world: World, state: State, cid: str, events: list[Event] | None
) -> tuple[State, list[Event]]:
    """`events` is the list to add to, or None to work none out (see advance)."""
    try:
        ways = world.derived["engine"].ways
    except KeyError:
        ways = _plan(world).ways
    way = ways[state.scene].get(cid)
    if way is None:
        if world.scenes[state.scene].ending is not None:
            return state, [Rejected("The story has ended.")]
        return state, [Rejected(f"There is no choice '{cid}' here.")]
    once_bit, cond, effects, said, entry, branches, total = way
    if once_bit & state.used:
        return state, [Rejected("You have already done that.")]
    if cond is not None and not cond(state):
        disabled = world.scenes[state.scene].choice_by_id[cid].disabled
        return state, [Rejected(disabled or "That is not possible right now.")]
    rng = state.rng
    if events is not None:
        events += said
    w = None
    if effects:
        w = _scratch(state)
        for eff in effects:
            eff(w)
    if entry is None:
        rng, bits = rng_next(rng)
        pick = bits % total
        for branch in branches:
            pick -= branch.weight
            if pick < 0:
                break
        if branch.effects:
            w = w or _scratch(state)
            for eff in branch.effects:
                eff(w)
        if events is not None:
            events += branch.said
        entry = branch.entry
    return _enter(world, state, w, entry, rng, state.used | once_bit, events)


def _type(world: World, state: State, text: str) -> tuple[State, list[Event]]:
    spec = world.scenes[state.scene].input
    if spec is None:
        return state, [Rejected("This scene does not ask for typed input.")]
    try:
        amount = parse_money(text)
    except MoneyError as exc:
        return state, [Rejected(str(exc), spec.hint)]
    w = _scratch(state)
    lo, hi = world.stat_ranges[spec.store]
    w.stats[spec.store] = min(max(amount, lo), hi)
    oc = spec.outcomes[_pick_input(spec, w)]
    for eff in oc.effects:
        eff(w)
    said = "no number" if declines(text) else format_money(amount)
    events: list[Event] = [Accepted(amount, said)]
    if oc.reply:
        events.append(Narration(oc.reply))
    entry = _plan(world).entries[oc.goto]
    return _enter(world, state, w, entry, state.rng, state.used, events)


def _pick_input(spec: InputSpec, w: _Scratch) -> int:
    """The first input outcome whose condition holds (the last one has none)."""
    for k, oc in enumerate(spec.outcomes):
        if oc.cond is None or oc.cond(w):
            return k
    return len(spec.outcomes) - 1


def _enter(
    world: World,
    old: State,
    w: _Scratch | None,
    entry: _Entry,
    rng: int,
    used: int,
    events: list[Event] | None,
    remember: bool = True,
    keep_trail: bool = True,
) -> tuple[State, list[Event]]:
    """The state after `old` at `entry`'s scene, with the changes `w` holds (None: none yet);
    `events` gets what changed, unless it is None."""
    # The hot path of every step: written for speed (plain loops, no _replace, no scratch
    # when nothing changes), since the explorer and random tests call it millions of times.
    target, vi, on_enter, arrival = entry
    # One unpacking instead of a dozen field reads: a NamedTuple's fields are read through
    # a descriptor, several times slower than a local.
    _, stats, flags0, items0, visits, _, clock0, _, turn, seed, trail, _ = old
    if on_enter and w is None:
        w = _scratch(old)
    if w is not None:
        visits = w.visits
    if vi >= 0:
        v = list(visits)
        v[vi] += 1
        visits = tuple(v)
        if w is not None:
            w.visits = visits  # before the entry effects, whose conditions may count it
    for eff in on_enter:
        eff(w)
    if w is None:
        flags, items, clock, turn = flags0, items0, clock0, turn + 1
    else:
        flags, items, clock, turn = w.flags, w.items, w.clock, w.turn
        new_stats = tuple(w.stats)
        if new_stats != stats:  # else keep sharing the unchanged tuple
            if events is not None:
                # zip without strict=: the lengths are the world's, and strict= costs 5%
                for name, a, b in zip(world.stat_names, stats, new_stats):  # noqa: B905
                    if a != b:
                        events.append(_new_event(StatChanged, (name, a, b)))
            stats = new_stats
        if events is not None:
            if flags != flags0:
                events += _bit_events(flags0, flags, world.flag_names, FlagChanged)
            if items != items0:
                events += _bit_events(items0, items, world.item_names, ItemChanged)
        if clock != clock0 and keep_trail:
            trail = (*trail, (clock, stats))
            if events is not None:
                events.append(_new_event(ClockMoved, (clock0, clock)))
    if events is not None:
        events += arrival
    # push_history, inlined: it is the identity but once every HISTORY_LIMIT turns
    history = (old if turn % HISTORY_LIMIT else bounded(old)) if remember else ()
    new = _new_state(
        State,
        (target, stats, flags, items, visits, used, clock, rng, turn, seed, trail, history),
    )
    return new, events  # type: ignore[return-value]  # None only for advance, which drops it


# NamedTuple's own __new__ is a Python function; building the tuple directly is 3x faster.
_new_state = _new_event = tuple.__new__


def _bit_events(old: int, new: int, names: tuple[str, ...], make: type) -> list[Event]:
    out: list[Event] = []
    diff = old ^ new
    while diff:
        low = diff & -diff
        out.append(_new_event(make, (names[low.bit_length() - 1], bool(new & low))))
        diff ^= low
    return out


def undo(state: State) -> tuple[State, list[Event]]:
    prev = state.history
    if not prev:
        return state, [Rejected("There is nothing to undo.")]
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
    way = _plan(world).ways[state.scene].get(choice_id)
    if way is None or way.once_bit & state.used or (way.cond is not None and not way.cond(state)):
        return []
    used = state.used | way.once_bit
    if way.entry is not None:
        w = _scratch(state)
        for eff in way.effects:
            eff(w)
        return [(1, *_enter(world, state, w, way.entry, state.rng, used, []))]
    rng, _ = rng_next(state.rng)
    out: list[tuple[int, State, list[Event]]] = []
    for branch in way.branches:
        w = _scratch(state)
        for eff in way.effects:
            eff(w)
        for eff in branch.effects:
            eff(w)
        events: list[Event] = [*branch.said]
        out.append((branch.weight, *_enter(world, state, w, branch.entry, rng, used, events)))
    return out


def expand(world: World, state: State) -> list[tuple[str, int, State]]:
    """Every way on by a choice from `state`, for the explorer: (choice id, outcome index or
    -1 for a plain choice, the state after), in the scene's choice order; the states are
    those `step_outcomes` gives (and `step` for the outcome drawn), with no undo history and
    the trail left as it was, which no condition reads. No events are worked out: the
    explorer calls this for every state it walks."""
    try:
        ways = world.derived["engine"].ways
    except KeyError:
        ways = _plan(world).ways
    out: list[tuple[str, int, State]] = []
    used0, rng0 = state.used, state.rng
    for cid, way in ways[state.scene].items():
        once_bit, cond, effects, _said, entry, branches, _total = way
        if once_bit & used0 or (cond is not None and not cond(state)):
            continue
        used = used0 | once_bit
        if entry is not None:
            w = None
            if effects:
                w = _scratch(state)
                for eff in effects:
                    eff(w)
            new = _enter(world, state, w, entry, rng0, used, None, False, False)[0]
            out.append((cid, -1, new))
            continue
        rng, _ = rng_next(rng0)
        for k, branch in enumerate(branches):
            w = None
            if effects or branch.effects:
                w = _scratch(state)
                for eff in effects:
                    eff(w)
                for eff in branch.effects:
                    eff(w)
            new = _enter(world, state, w, branch.entry, rng, used, None, False, False)[0]
            out.append((cid, k, new))
    return out


def input_outcome(world: World, state: State, amount: int) -> int:
    """The index of the outcome that typing `amount` in the current (input) scene leads to."""
    spec = world.scenes[state.scene].input
    if spec is None:
        raise ValueError(f"scene '{state.scene}' does not ask for typed input")
    w = _scratch(state)
    lo, hi = world.stat_ranges[spec.store]
    w.stats[spec.store] = min(max(amount, lo), hi)
    return _pick_input(spec, w)

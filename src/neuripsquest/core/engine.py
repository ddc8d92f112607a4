"""The rules: `step(world, state, action) -> (state, events)`, pure and deterministic.

No I/O, no globals, no clock but the game's: randomness comes only from the splitmix64 state
carried in the State, so the same seed and the same actions always give the same run. A
player's mistake (a choice that is not there, an amount that does not parse) is answered with
a `Rejected` event and the unchanged state, never an exception.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, overload

from neuripsquest.core.money import MoneyError, declines, format_money, parse_money
from neuripsquest.core.state import HISTORY_LIMIT, State, bounded
from neuripsquest.core.world import Effect, InputSpec, World
from neuripsquest.lang.expr import Getter
from neuripsquest.records import Record

_MASK = (1 << 64) - 1


# ---------------------------------------------------------------- actions


class Choose(Record):
    choice: str  # the choice's id in the current scene


class Type(Record):
    text: str  # typed input for an `input:` scene


class Undo(Record):
    pass


Action = Choose | Type | Undo


# ---------------------------------------------------------------- events


class Entered(Record):
    scene: str


class StatChanged(Record):
    name: str
    old: int
    new: int


class FlagChanged(Record):
    name: str
    value: bool


class ItemChanged(Record):
    name: str
    gained: bool


class ClockMoved(Record):
    old: int
    new: int


class Narration(Record):
    text: str  # what a random outcome says happened


class Accepted(Record):
    amount: int
    shown: str  # the amount as the game says it back: "$100 million"


class Rejected(Record):
    reason: str
    hint: str = ""


class Undone(Record):
    scene: str


class Ended(Record):
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


class Events(Sequence[Event]):
    """A step's events, worked out the first time they are read (iterated, indexed, compared,
    counted, printed), then kept; a list in all but name, compared equal to the same list.
    A random walk, a search or a test of states never reads them, so a step leaves them
    unbuilt: building them was an eighth of a step's cost.

    While the step that makes it runs, the same object is that step's working copy (see
    `_scratch`): a step then makes one object, not two, which is a twentieth of its cost.
    Made without a call to `__init__` (which a step would notice), its slots set one by one."""

    __slots__ = (
        # the working copy: what effects change and conditions read, as on a State
        "stats", "flags", "items", "visits", "clock", "turn",
        # what entering needs of the state before, so that a step unpacks it once
        "was_stats", "was_clock", "seed", "trail",
        # what the events are worked out from, and the list once it is
        "_world", "_old", "_new", "_head", "_arrival", "_built",
    )  # fmt: skip
    stats: list[int]
    flags: int
    items: int
    visits: tuple[int, ...]
    clock: int
    turn: int
    was_stats: tuple[int, ...]
    was_clock: int
    seed: int
    trail: tuple[tuple[int, tuple[int, ...]], ...]
    _world: World
    _old: State
    _new: State
    _head: tuple[Event, ...]  # what comes before the changes: a reply, an amount taken
    _arrival: tuple[Event, ...]  # Entered, and Ended for an ending
    _built: list[Event]

    def _list(self) -> list[Event]:
        try:
            return self._built
        except AttributeError:  # not read before: the one time it is worked out
            built = self._built = _worked_out(
                self._world, self._old, self._new, self._head, self._arrival
            )
            return built

    def __len__(self) -> int:
        return len(self._list())

    @overload
    def __getitem__(self, i: int) -> Event: ...
    @overload
    def __getitem__(self, i: slice) -> list[Event]: ...
    def __getitem__(self, i: int | slice) -> Event | list[Event]:
        return self._list()[i]

    def __iter__(self) -> Iterator[Event]:
        return iter(self._list())

    def __reversed__(self) -> Iterator[Event]:
        return reversed(self._list())

    def __contains__(self, e: object) -> bool:
        return e in self._list()

    def __eq__(self, other: object) -> bool:
        return self._list() == (other._list() if isinstance(other, Events) else other)

    __hash__ = None  # type: ignore[assignment]  # as a list's: equal to one, so unhashable

    def __add__(self, other: list[Event]) -> list[Event]:
        return self._list() + list(other)

    def __radd__(self, other: list[Event]) -> list[Event]:
        return list(other) + self._list()

    def __repr__(self) -> str:
        return repr(self._list())

    def __reduce__(self) -> tuple[Any, ...]:
        # a copy or a pickle is the plain list, not the two states and the world behind it
        return (list, (self._list(),))


def _worked_out(
    world: World, old: State, new: State, head: tuple[Event, ...], arrival: tuple[Event, ...]
) -> list[Event]:
    """The events of a step from `old` to `new` that entered a scene: `head`, what changed
    (stats, flags, items in the world's order, then the clock), then `arrival`."""
    out = list(head)
    if new.stats != old.stats:
        # zip without strict=: the lengths are the world's
        for name, a, b in zip(world.stat_names, old.stats, new.stats):  # noqa: B905
            if a != b:
                out.append(StatChanged(name, a, b))
    if new.flags != old.flags:
        out += _bit_events(old.flags, new.flags, world.flag_names, FlagChanged)
    if new.items != old.items:
        out += _bit_events(old.items, new.items, world.item_names, ItemChanged)
    if new.clock != old.clock:
        out.append(ClockMoved(old.clock, new.clock))
    out += arrival
    return out


# ---------------------------------------------------------------- randomness


def rng_next(x: int) -> tuple[int, int]:
    """splitmix64: (new state, 64 random bits). Tiny, fast and stable across Python versions."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    z = x
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return x, z ^ (z >> 31)


# ---------------------------------------------------------------- the plan


# The plan's parts are plain tuples, not NamedTuples: a step unpacks them, and only an exact
# tuple unpacks without an iterator (twice as fast) and indexes without a descriptor.

# What entering a scene does, worked out once per world: (scene id, its place in
# State.visits or -1 when its visits are not counted, its entry effects, its arrival events:
# Entered, and Ended for an ending).
_Entry = tuple[str, int, tuple[Effect, ...], tuple[Event, ...]]

# One outcome of a random choice: (weight, effects, its Narration or (), entry).
_Branch = tuple[int, tuple[Effect, ...], tuple[Event, ...], _Entry]

# One choice, as a step takes it: (once-only bit, condition or None, effects, the reply's
# Narration or (), the goto's entry or None for a random choice, the branches, their total
# weight, the Choose that takes it, the choice's id).
_Way = tuple[
    int,
    Getter | None,
    tuple[Effect, ...],
    tuple[Event, ...],
    _Entry | None,
    tuple[_Branch, ...],
    int,
    Choose,
    str,
]


class _Entries(dict[str, _Entry]):
    """Scene id -> how entering it goes, worked out the first time a scene is entered: a world
    loaded lazily from the cache compiles a scene only when the game reaches it."""

    def __init__(self, world: World):
        super().__init__()
        self.world = world

    def __missing__(self, sid: str) -> _Entry:
        world = self.world
        sc = world.scenes[sid]  # an unknown scene stays the KeyError it always was
        # The scene's own id object, not the goto's equal copy: every state's `scene` is then
        # the key the plan's and the view's tables hold, and a lookup in them is found by
        # identity, without reading the strings (on a large world, cold memory: about 1.05x
        # a walk on 10,000 scenes).
        sid = sc.id
        ended = () if sc.ending is None else (Ended(sc.ending, world.endings[sc.ending]),)
        entry = self[sid] = (
            sid,
            world.visit_index.get(sid, -1),
            sc.on_enter,
            (Entered(sid), *ended),
        )
        return entry

    def of_target(self, sid: str) -> _Entry:
        return self[sid] if sid in self.world.scenes else _gone(sid)


class _Ways(dict[str, tuple[_Way, ...]]):
    """Scene id -> its ways in the writer's order, each goto resolved, worked out when first
    asked for. A tuple, searched for a choice's id, not a dict by id: a scene has a few
    choices, and on a large world the dict was several more lines of cold memory a step."""

    def __init__(self, world: World, entries: _Entries):
        super().__init__()
        self.world, self.entries = world, entries

    def __missing__(self, sid: str) -> tuple[_Way, ...]:
        target = self.entries.of_target
        ways = self[sid] = tuple(
            (
                c.once_bit,
                c.cond,
                c.effects,
                (Narration(c.reply),) if c.reply else (),
                None if c.goto is None else target(c.goto),
                tuple(
                    (
                        o.weight,
                        o.effects,
                        (Narration(o.text),) if o.text else (),
                        target(o.goto),
                    )
                    for o in c.outcomes
                ),
                c.total_weight,
                Choose(c.id),
                c.id,
            )
            for c in self.world.scenes[sid].choices
        )
        return ways


class _Plan(Record):
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
    world.derived["engine.ways"] = plan.ways  # what a step reads, one lookup away
    return plan


def _gone(sid: str) -> _Entry:
    """A goto to a scene the world has not (only a world changed by hand, as tests do, can
    have one): entering it is the KeyError looking the scene up always was."""

    def fail(w: object) -> None:
        raise KeyError(sid)

    return (sid, -1, (fail,), ())


# ---------------------------------------------------------------- the step


# The mutable working copy one step changes (conditions read it like a State): an Events,
# which the step then hands out as its events.
_Scratch = Events


def _scratch(s: State) -> _Scratch:
    """The working copy of `s` for a step to change. `step` makes the same in place from
    the fields it has unpacked already (a call fewer on the hot path): change both together
    (a slot one of them leaves unset fails every test that steps)."""
    # One unpacking instead of a dozen field reads: a NamedTuple's fields are read through
    # a descriptor, several times slower than a local.
    _, stats, flags, items, visits, _, clock, _, turn, seed, trail, _ = s
    w = _Scratch()
    w.stats = list(stats)
    w.flags = flags
    w.items = items
    w.visits = visits
    w.clock = clock
    w.turn = turn + 1
    w.was_stats = stats
    w.was_clock = clock
    w.seed = seed
    w.trail = trail
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
    return _enter(world, blank, _scratch(blank), entry, blank.rng, 0, False)


def enter(world: World, state: State, scene: str) -> tuple[State, list[Event]]:
    """Go from `state` to `scene` as a goto with no choice before it would: the scene's entry
    effects apply, its visit is counted, it takes a turn and can be undone. No story can do
    this; the debugger's jump does (play/debug.py). `scene` must be one of the world's."""
    entry = _plan(world).entries[scene]
    new = _enter(world, state, _scratch(state), entry, state.rng, state.used)
    return new, _worked_out(world, state, new, (), entry[3])


def step(world: World, state: State, action: Action) -> tuple[State, Sequence[Event]]:
    """The state after `action`, and its events: for a step that went somewhere an `Events`,
    worked out only when read."""
    # `type(...) is` rather than isinstance: a step is the hot path, and mypy narrows both.
    if type(action) is not Choose:
        if type(action) is Type:
            return _type(world, state, action.text)
        if type(action) is Undo:
            return undo(state)
        return state, [Rejected(f"unknown action {action!r}")]
    # Choosing: the hot path of every walk, written out here rather than in a helper.
    try:
        ways = world.derived["engine.ways"]
    except KeyError:
        ways = _plan(world).ways
    # One unpacking instead of field reads: a NamedTuple's fields are read through a
    # descriptor, several times slower than a local (and the choice id by index, for that).
    scene, stats, flags, items, visits, used, clock, rng, turn, seed, trail, _ = state
    cid = action[0]
    for way in ways[scene]:  # _way, written out: the hot path
        if way[8] == cid:
            break
    else:
        return state, [_refusal(world, state, action.choice, False)]
    once_bit, cond, effects, said, entry, branches, total, _, _ = way
    if once_bit & used or (cond is not None and not cond(state)):
        return state, [_refusal(world, state, action.choice, once_bit & used)]
    # The working copy, as _scratch makes it but from the locals above; it is also the
    # step's events (see Events). What only entering needs of the state before (its stats,
    # clock, seed, trail) stays in locals: `_enter`'s work is written out below.
    w = Events()
    w.stats = list(stats)
    w.flags = flags
    w.items = items
    w.visits = visits
    w.clock = clock
    w.turn = turn + 1
    # `if` before each loop: most ways have no effects, most scenes no entry effects, and a
    # loop over an empty tuple still makes (and frees) an iterator.
    if effects:
        for eff in effects:
            eff(w)
    if entry is None:
        # rng_next written out (a call was a fortieth of a step): the tests that hold step to
        # step_outcomes, which calls it, check every random outcome's state, rng included.
        rng = (rng + 0x9E3779B97F4A7C15) & _MASK
        bits = ((rng ^ (rng >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        bits = ((bits ^ (bits >> 27)) * 0x94D049BB133111EB) & _MASK
        pick = (bits ^ (bits >> 31)) % total
        for branch in branches:
            pick -= branch[0]
            if pick < 0:
                break
        _, more, told, entry = branch
        if more:
            for eff in more:
                eff(w)
        said += told
    # _enter(world, state, w, entry, rng, used | once_bit), written out: a call and a second
    # unpacking were a twentieth of its instructions. Change both together (a test compares
    # them: test_engine.test_step_gives_one_of_step_outcomes).
    target, vi, on_enter, arrival = entry
    if vi >= 0:
        v = list(w.visits)
        v[vi] += 1
        w.visits = tuple(v)  # before the entry effects, whose conditions may count it
    if on_enter:
        for eff in on_enter:
            eff(w)
    new_stats = tuple(w.stats)
    if new_stats != stats:  # else keep sharing the unchanged tuple
        stats = new_stats
    new_clock = w.clock
    if new_clock != clock:
        trail = trail + ((new_clock, stats),)  # one copy, not a list and a tuple
    turn = w.turn
    new = _new_state(
        State,
        (
            target,
            stats,
            w.flags,
            w.items,
            w.visits,
            used | once_bit,
            new_clock,
            rng,
            turn,
            seed,
            trail,
            state if turn % HISTORY_LIMIT else bounded(state),
        ),
    )
    # what _worked_out needs, if the events are ever read
    w._world = world
    w._old = state
    w._new = new
    w._head = said
    w._arrival = arrival
    return new, w


def open_choices(world: World, state: State) -> list[Choose]:
    """The choices that can be taken from `state`, as the actions that take them, in the
    writer's order: those not taken already if once-only, whose condition holds. Every one
    of them `step` accepts and every other choice it refuses (a test holds the two alike:
    `step` tests the same rule inline). For walkers, searches and agents; a front end shows
    `view.choices`, which also keeps the locked ones, dimmed. The actions come from the plan
    `step` reads next, so a walk that picks one here finds the step's table warm."""
    try:
        ways = world.derived["engine.ways"]
    except KeyError:
        ways = _plan(world).ways
    used = state[5]  # state.used, by index as in `step`
    # A loop, not a comprehension: before Python 3.12 a comprehension is a call of its own.
    out = []
    for way in ways[state[0]]:
        if not way[0] & used and (way[1] is None or way[1](state)):
            out.append(way[7])
    return out


def advance(world: World, state: State, action: Action) -> State:
    """`step`'s state without its events, for callers that never read them (a random walk,
    a search). A step no longer works out events nobody reads, so this is `step(...)[0]`."""
    return step(world, state, action)[0]


def _refusal(world: World, state: State, cid: str, done: int) -> Rejected:
    """Why `Choose(cid)` is refused in `state`: `done` when it was a once-only choice taken
    already; otherwise no such choice or its condition does not hold."""
    scene = world.scenes[state.scene]
    if cid not in scene.choice_by_id:
        if scene.ending is not None:
            return Rejected("The story has ended.")
        return Rejected(f"There is no choice '{cid}' here.")
    if done:
        return Rejected("You have already done that.")
    return Rejected(scene.choice_by_id[cid].disabled or "That is not possible right now.")


def _type(world: World, state: State, text: str) -> tuple[State, Sequence[Event]]:
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
    head: tuple[Event, ...] = (Accepted(amount, said),)
    if oc.reply:
        head += (Narration(oc.reply),)
    entry = _plan(world).entries[oc.goto]
    new = _enter(world, state, w, entry, state.rng, state.used)
    w._world, w._old, w._new, w._head, w._arrival = world, state, new, head, entry[3]
    return new, w


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
    remember: bool = True,
    keep_trail: bool = True,
) -> State:
    """The state after `old` at `entry`'s scene, with the changes `w` holds (None: none yet).
    What changed is not worked out here: `_worked_out` reads it off the two states."""
    # The hot path of every step: written for speed (plain loops, no _replace, no scratch
    # when nothing changes), since the explorer and random tests call it millions of times.
    target, vi, on_enter, _ = entry
    if w is None and (on_enter or vi >= 0):
        w = _scratch(old)
    if w is None:  # nothing changes but the scene and the turn
        _, stats, flags, items, visits, _, clock, _, turn, seed, trail, _ = old
        turn += 1
    else:
        if vi >= 0:
            v = list(w.visits)
            v[vi] += 1
            w.visits = tuple(v)  # before the entry effects, whose conditions may count it
        for eff in on_enter:
            eff(w)
        stats = w.was_stats
        new_stats = tuple(w.stats)
        if new_stats != stats:  # else keep sharing the unchanged tuple
            stats = new_stats
        clock, trail = w.clock, w.trail
        if clock != w.was_clock and keep_trail:
            trail = trail + ((clock, stats),)
        # one by one: more than three names at once would build and unpack a tuple
        flags = w.flags
        items = w.items
        visits = w.visits
        turn = w.turn
        seed = w.seed
    # push_history, inlined: it is the identity but once every HISTORY_LIMIT turns
    history = (old if turn % HISTORY_LIMIT else bounded(old)) if remember else ()
    return _new_state(
        State,
        (target, stats, flags, items, visits, used, clock, rng, turn, seed, trail, history),
    )


# NamedTuple's own __new__ is a Python function; building the tuple directly is 3x faster.
_new_state = tuple.__new__


def _bit_events(old: int, new: int, names: tuple[str, ...], make: type) -> list[Event]:
    out: list[Event] = []
    diff = old ^ new
    while diff:
        low = diff & -diff
        out.append(make(names[low.bit_length() - 1], bool(new & low)))
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
    way = _way(world, state.scene, choice_id)
    if way is None:
        return []
    once_bit, cond, effects, _, entry, branches, _, _, _ = way
    if once_bit & state.used or (cond is not None and not cond(state)):
        return []
    used = state.used | once_bit
    if entry is not None:
        w = _scratch(state)
        for eff in effects:
            eff(w)
        new = _enter(world, state, w, entry, state.rng, used)
        return [(1, new, _worked_out(world, state, new, (), entry[3]))]
    rng, _ = rng_next(state.rng)
    out: list[tuple[int, State, list[Event]]] = []
    for weight, more, told, target in branches:
        w = _scratch(state)
        for eff in effects:
            eff(w)
        for eff in more:
            eff(w)
        new = _enter(world, state, w, target, rng, used)
        out.append((weight, new, _worked_out(world, state, new, told, target[3])))
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
    for way in ways[state.scene]:
        cid = way[8]
        if way[0] & used0 or (way[1] is not None and not way[1](state)):
            continue
        if way[4] is not None:
            out.append((cid, -1, _results(world, state, way, used0, rng0)[0]))
        else:
            out += [(cid, k, new) for k, new in enumerate(_results(world, state, way, used0, rng0))]
    return out


def choice_results(world: World, state: State, choice_id: str) -> list[State]:
    """What taking `choice_id` would do from `state`, whether or not it may be taken there
    (its condition and once-only mark are not looked at): one state for a plain choice, one
    per outcome of a `random:` choice, as `expand` gives them. For the explorer's proof
    (tools/explore/escape.py), which asks what a choice does from a state standing for many,
    only some of which may take it."""
    way = _way(world, state.scene, choice_id)
    if way is None:
        raise KeyError(choice_id)
    return _results(world, state, way, state.used, state.rng)


def _way(world: World, scene: str, choice_id: str) -> _Way | None:
    """The way of `choice_id` in `scene`, or None when the scene has no such choice."""
    return next((way for way in _plan(world).ways[scene] if way[8] == choice_id), None)


def _results(world: World, state: State, way: Any, used0: int, rng0: int) -> list[State]:
    """The states after `way` from `state`, as `expand` gives them: no undo history, the
    trail as it was, no events."""
    _, _, effects, _, entry, branches, _, _, _ = way
    used = used0 | way[0]
    if entry is not None:
        w = None
        if effects:
            w = _scratch(state)
            for eff in effects:
                eff(w)
        return [_enter(world, state, w, entry, rng0, used, False, False)]
    rng, _ = rng_next(rng0)
    out = []
    for _, more, _, target in branches:
        w = None
        if effects or more:
            w = _scratch(state)
            for eff in effects:
                eff(w)
            for eff in more:
                eff(w)
        out.append(_enter(world, state, w, target, rng, used, False, False))
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

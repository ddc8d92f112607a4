"""The abstraction the walk works in: which part of a state can still matter at each scene,
packed into one int key per state, so that states with the same future are walked once.

What goes into the key (`--exact` turns all this off):

- the scene, and of the rest only what some condition can still read later on: a *liveness*
  analysis over the scene graph drops a flag once no condition reachable from here reads it
  before it is set again, a stat once nothing reads it, the clock once no condition asks for
  the day or slot, and so on. Two states that differ only in such values have the same future,
  so keeping one of them loses nothing;
- counters that only ever go up (visit counts, `turn`, a stat only ever increased) and are only
  compared with constants are capped just past the largest constant: 9 and 12 are the same to
  `clout >= 8`.

Never in the key: the random state, the turn counter (unless read), undo history, the trail.
The exact keys (`--exact`) hold every value but these, the turn counter capped when it is read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from neuripsquest.core.state import State
from neuripsquest.core.world import World
from neuripsquest.lang.analyse import CLOCK, TURN, Var
from neuripsquest.lang.ir import StatAssign
from neuripsquest.tools.facts import Effect, Sources


@dataclass
class Layout:
    """How a state at one scene is turned into its key."""

    flags: int = 0  # masks of the bits that matter here
    items: int = 0
    used: int = 0
    clock: bool = False
    stats: list[tuple[int, int, int]] = field(default_factory=list)  # (index, mode, bound)
    visits: list[tuple[int, int, int]] = field(default_factory=list)
    turn: tuple[int, int] | None = None  # (mode, bound)


def _back(effects: list[Effect], live: set[Var], matter: list[Effect] | None = None) -> set[Var]:
    """What must be known before `effects` run for `live` to be known after them. Effects
    whose result is still needed afterwards are added to `matter`."""
    live = set(live)
    for e in reversed(effects):
        v = e.var
        if v not in live:  # an effect on what nothing needs does not matter
            continue
        if matter is not None:
            matter.append(e)
        if e.replaces:  # set, clear, give, take, `stat = ...`: the old value is not needed
            live.discard(v)
        live |= e.reads  # a `stat += ...` or `advance` reads the old value too
    return live


@dataclass
class Flow:
    live: dict[str, set[Var]]  # scene -> variables that can still change what happens
    writes: list[Effect]  # effects whose result can still be read (the others are moot)


def liveness(src: Sources) -> Flow:
    """For each scene, the variables whose value can still change what happens later: read
    by a condition on some way on before anything sets them again (classic live variables,
    over the scene graph)."""
    local: dict[str, set[Var]] = {}
    # Each way on: (read before it, set by the step before its effects, set at its end,
    # effects, target). Typing an amount sets the stored stat before the outcomes' conditions
    # read it; taking a once-only choice marks it used as the step ends.
    steps: dict[str, list[tuple[set[Var], set[Var], set[Var], list[Effect], str]]] = {}
    for sid, sf in src.scenes.items():
        reads: set[Var] = set()
        out: list[tuple[set[Var], set[Var], set[Var], list[Effect], str]] = []
        for cf in sf.choices:
            if cf.cond is not None:
                reads |= cf.cond.reads
            used: set[Var] = set()
            if cf.choice.once_bit:
                used = {("used", f"{sid}.{cf.choice.id}")}
                reads |= used
            for b in cf.branches:
                out.append((set(), set(), used, b.effects, b.goto))
        if sf.input is not None:
            store: Var = ("stat", sf.input.store)
            seen: set[Var] = set()
            for c, b in zip(sf.input.conds, sf.input.branches, strict=True):
                if c is not None:
                    seen |= c.reads
                out.append((set(seen), {store}, set(), b.effects, b.goto))
        local[sid] = reads
        steps[sid] = out
    entry = {sid: sf.on_enter for sid, sf in src.scenes.items()}
    live = {sid: set(r) for sid, r in local.items()}
    changed = True
    order = list(reversed(list(src.scenes)))
    while changed:
        changed = False
        for sid in order:
            acc = set(live[sid])
            for before, set_first, set_last, effects, target in steps[sid]:
                after = _back(entry[target], live[target]) - set_last
                acc |= (_back(effects, after) | before) - set_first
            if acc != live[sid]:
                live[sid] = acc
                changed = True
    matter: list[Effect] = []
    for sid in src.scenes:
        _back(entry[sid], live[sid], matter)
        for _before, _first, set_last, effects, target in steps[sid]:
            _back(effects, _back(entry[target], live[target]) - set_last, matter)
    return Flow(live, matter)


def saturation(src: Sources, flow: Flow) -> dict[Var, tuple[int, int]]:
    """Counters that only move one way while anything still reads them, and are only ever
    compared with constants: var -> (mode, bound). Mode +1 caps values above `bound` (they all
    pass and fail the same comparisons, and stay above it), -1 floors values below it.
    A change nothing reads afterwards (the last `clout -= 1` of the story) does not count."""
    world = src.world
    assert world is not None
    compared: dict[Var, set[int]] = {}
    complex_: set[Var] = set()
    for sf in src.scenes.values():
        conds = [cf.cond for cf in sf.choices] + (sf.input.conds if sf.input else [])
        for c in conds:
            if c is None:
                continue
            complex_ |= c.complex
            for v, ks in c.compared.items():
                compared.setdefault(v, set()).update(ks)
    stores = {("stat", sf.input.store) for sf in src.scenes.values() if sf.input is not None}
    rhs_reads: set[Var] = set()
    writes: dict[Var, list[Effect]] = {}
    for e in flow.writes:
        writes.setdefault(e.var, []).append(e)
        rhs_reads |= {v for v in e.reads if v != e.var}
    out: dict[Var, tuple[int, int]] = {}
    candidates: list[Var] = [("visits", n) for n in world.visit_names]
    candidates += [("stat", n) for n in world.stat_names] + [TURN]
    for v in candidates:
        if v in complex_ or v in rhs_reads or v in stores or v not in compared:
            continue
        if v[0] == "stat":
            ways = set()
            for e in writes.get(v, []):
                node = e.node
                if not isinstance(node, StatAssign) or node.op == "=" or e.const is None:
                    ways.add(0)
                    break
                d = e.const if node.op == "+=" else -e.const
                ways.add(1 if d > 0 else -1 if d < 0 else 1)
            if ways == {-1}:
                out[v] = (-1, min(compared[v]) - 1)
                continue
            if ways - {1}:
                continue
        out[v] = (1, max(compared[v]) + 1)
    return out


def layouts(src: Sources, exact: bool = False) -> dict[str, Layout]:
    return analysed(src, exact)[0]


def analysed(src: Sources, exact: bool = False) -> tuple[dict[str, Layout], Layout]:
    """Each scene's layout, and one holding every value, capped as the scenes' are (what a
    successor's key is cut from in `keysteps`)."""
    world = src.world
    assert world is not None
    all_vars: set[Var] = {("stat", n) for n in world.stat_names}
    all_vars |= {("flag", n) for n in world.flag_names} | {("item", n) for n in world.item_names}
    all_vars |= {("visits", n) for n in world.visit_names} | {("used", k) for k in world.once_keys}
    all_vars |= {CLOCK, TURN}
    flow = liveness(src)
    live, sat = flow.live, saturation(src, flow)
    if exact:
        # Every value, but the turn count only where a condition reads it (else every walk
        # would be endless), and capped then, as the turns past the largest constant pass
        # and fail the same conditions: without it, `wait` until `turn > 6` looked endless.
        read = {TURN} if any(TURN in vs for vs in live.values()) else set()
        live = {sid: (all_vars - {TURN}) | read for sid in world.scenes}
        sat = {TURN: sat[TURN]} if TURN in sat else {}
    lays = {sid: _layout(world, vs, sat) for sid, vs in live.items()}
    return lays, _layout(world, all_vars, sat)


def _layout(world: World, vs: set[Var], sat: dict[Var, tuple[int, int]]) -> Layout:
    sym = world.symbols
    once = {k: 1 << i for i, k in enumerate(world.once_keys)}
    lay = Layout()
    for v in sorted(vs):
        kind, name = v
        mode, bound = sat.get(v, (0, 0))
        if kind == "stat":
            lay.stats.append((sym.stats[name], mode, bound))
        elif kind == "flag":
            lay.flags |= sym.flags[name]
        elif kind == "item":
            lay.items |= sym.items[name]
        elif kind == "used":
            lay.used |= once[name]
        elif kind == "visits" and name in world.visit_index:
            lay.visits.append((world.visit_index[name], mode, bound))
        elif v == CLOCK:
            lay.clock = True
        elif v == TURN:
            lay.turn = (mode, bound)
    return lay


def _bits(n: int) -> int:
    return max(n, 1).bit_length()


@dataclass(frozen=True)
class Packing:
    """Where each value goes in a key: the same bit positions at every scene, so keys of
    different scenes never clash."""

    flags: int
    items: int
    used: int
    clock: int
    stats: list[int]  # stat index -> position
    stat_lo: list[int]  # stat index -> its lowest value, stored as 0
    visits: list[int]
    visit_bits: list[int]
    turn: int


def packing(world: World, every: Layout | None = None) -> Packing:
    """The scene's number in the low bits, then every value a key can hold. A visit count
    capped everywhere (in `every`, the layout holding every value) takes the bits its cap
    needs, any other 32: a short key is quicker to hash and to mask."""
    fs = _bits(len(world.scenes))
    is_ = fs + len(world.flag_names)
    us = is_ + len(world.item_names)
    cs = us + len(world.once_keys)
    pos = cs + _bits(world.last_clock)
    stat_pos = []
    for lo, hi in world.stat_ranges:
        stat_pos.append(pos)
        pos += _bits(hi - lo) + 1
    width = [32] * len(world.visit_names)
    for i, mode, bound in every.visits if every is not None else ():
        if mode > 0:
            width[i] = _bits(bound) + 1
    visit_pos = []
    for w in width:
        visit_pos.append(pos)
        pos += w
    stat_lo = [lo for lo, _ in world.stat_ranges]
    return Packing(fs, is_, us, cs, stat_pos, stat_lo, visit_pos, width, pos)


def key_functions(
    world: World, lays: dict[str, Layout], every: Layout | None = None
) -> dict[str, Callable[[State], int]]:
    """One function per scene packing a state into an int."""
    at = packing(world, every)
    return {sid: _make_key(n, lays[sid], at) for n, sid in enumerate(world.scenes)}


def full_key(world: World, every: Layout) -> Callable[[State], int]:
    """A state's key with every value in it, without the scene's number."""
    return _make_key(0, every, packing(world, every))


def _make_key(n: int, lay: Layout, at: Packing) -> Callable[[State], int]:
    # Everything the key reads is unpacked into the closure first, as plain ints and tuples:
    # it runs once for every successor of every state walked.
    fm, im, um, clock = lay.flags, lay.items, lay.used, lay.clock
    fs, is_, us, cs, turn_pos = at.flags, at.items, at.used, at.clock, at.turn
    sfields = tuple((i, m, b, at.stat_lo[i], at.stats[i]) for i, m, b in lay.stats)
    vfields = tuple((i, m, b, at.visits[i]) for i, m, b in lay.visits)
    turn = lay.turn

    def key(s: State) -> int:
        k = n | (s.flags & fm) << fs | (s.items & im) << is_ | (s.used & um) << us
        if clock:
            k |= s.clock << cs
        st = s.stats
        for i, mode, bound, lo, sh in sfields:
            v = st[i]
            if mode > 0 and v > bound:
                v = bound
            elif mode < 0 and v < bound:
                v = bound
            k |= (v - lo) << sh
        if vfields:
            vs = s.visits
            for i, mode, bound, sh in vfields:
                v = vs[i]
                if mode > 0 and v > bound:
                    v = bound
                k |= v << sh
        if turn is not None:
            v = s.turn
            if turn[0] > 0 and v > turn[1]:
                v = turn[1]
            k |= v << turn_pos
        return k

    return key


def field_mask(world: World, vs: set[Var], at: Packing) -> int:
    """The bits of a key that hold the values `vs` (where those values are kept at all)."""
    return layout_mask(_layout(world, vs, {}), at)


def layout_mask(lay: Layout, at: Packing) -> int:
    """The bits of a key that a scene with layout `lay` fills in, beside the scene's number."""
    m = lay.flags << at.flags | lay.items << at.items | lay.used << at.used
    if lay.clock:
        m |= (1 << (at.stats[0] if at.stats else at.visits[0] if at.visits else at.turn)) - (
            1 << at.clock
        )
    for i, _, _ in lay.stats:
        m |= (1 << _stat_width(i, at)) - 1 << at.stats[i]
    for i, _, _ in lay.visits:
        m |= (1 << at.visit_bits[i]) - 1 << at.visits[i]
    if lay.turn is not None:
        m |= (1 << 64) - 1 << at.turn
    return m


def _stat_width(i: int, at: Packing) -> int:
    nxt = at.stats[i + 1] if i + 1 < len(at.stats) else at.visits[0] if at.visits else at.turn
    return nxt - at.stats[i]

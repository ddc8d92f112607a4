"""`neuripsquest explore`: play every reachable game state, and say what cannot be reached and
where a player can get stuck.

The walk is breadth first from the start, over states memoised by a compact key, so each state
is expanded once and the first path found to any state is a shortest one. Every choice that is
available is taken; a random choice is followed down every outcome (`engine.step_outcomes`);
a typed-input scene gets one representative amount per outcome that can happen (amounts next
to the constants its conditions compare with, 0 and a very large one).

What goes into the key (the abstraction; `--exact` turns it off):

- the scene, and of the rest only what some condition can still read later on: a *liveness*
  analysis over the scene graph drops a flag once no condition reachable from here reads it
  before it is set again, a stat once nothing reads it, the clock once no condition asks for
  the day or slot, and so on. Two states that differ only in such values have the same future,
  so keeping one of them loses nothing;
- counters that only ever go up (visit counts, `turn`, a stat only ever increased) and are only
  compared with constants are capped just past the largest constant: 9 and 12 are the same to
  `clout >= 8`.

Never in the key: the random state, the turn counter (unless read), undo history, the trail.

After the walk, one pass of Tarjan's algorithm over the recorded graph gives, for every state,
which endings it can still reach: states that can reach none are softlocks. The sink groups of
those (a state with no way on, or a loop with no way out) are reported with the shortest path
to them from the start, and the point of no return on that path.
"""

from __future__ import annotations

import json
import random
import time
from array import array
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any, NamedTuple

from neuripsquest.core import engine
from neuripsquest.core.state import State
from neuripsquest.core.world import World
from neuripsquest.lang.analyse import CLOCK, TURN, Var
from neuripsquest.lang.ir import StatAssign
from neuripsquest.problems import plural
from neuripsquest.tools.amounts import amounts
from neuripsquest.tools.facts import Effect, Sources

DEFAULT_MAX_STATES = 200_000
DEFAULT_PROBES = 2000

# ---------------------------------------------------------------- the abstraction


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
        out = []
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
    world = src.world
    assert world is not None
    all_vars: set[Var] = {("stat", n) for n in world.stat_names}
    all_vars |= {("flag", n) for n in world.flag_names} | {("item", n) for n in world.item_names}
    all_vars |= {("visits", n) for n in world.visit_names} | {("used", k) for k in world.once_keys}
    all_vars |= {CLOCK, TURN}
    if exact:
        live, sat = {sid: all_vars - {TURN} for sid in world.scenes}, {}
    else:
        flow = liveness(src)
        live, sat = flow.live, saturation(src, flow)
    sym = world.symbols
    once = {k: 1 << i for i, k in enumerate(world.once_keys)}
    out = {}
    for sid, vs in live.items():
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
        out[sid] = lay
    return out


def _bits(n: int) -> int:
    return max(n, 1).bit_length()


def key_functions(world: World, lays: dict[str, Layout]) -> dict[str, Callable[[State], int]]:
    """One function per scene packing a state into an int: the scene's number in the low bits,
    then every kept value at a fixed position (the same for all scenes, so keys never clash)."""
    names = list(world.scenes)
    shift = _bits(len(names))
    fs = shift
    is_ = fs + len(world.flag_names)
    us = is_ + len(world.item_names)
    cs = us + len(world.once_keys)
    pos = cs + _bits(world.last_clock)
    stat_pos = []
    for lo, hi in world.stat_ranges:
        stat_pos.append(pos)
        pos += _bits(hi - lo) + 1
    visit_pos = []
    for _ in world.visit_names:
        visit_pos.append(pos)
        pos += 32
    turn_pos = pos
    stat_lo = [lo for lo, _ in world.stat_ranges]
    out = {}
    for n, sid in enumerate(names):
        lay = lays[sid]
        fm, im, um, clock = lay.flags, lay.items, lay.used, lay.clock
        sfields = tuple((i, m, b, stat_lo[i], stat_pos[i]) for i, m, b in lay.stats)
        vfields = tuple((i, m, b, visit_pos[i]) for i, m, b in lay.visits)
        turn = lay.turn
        out[sid] = _make_key(
            n, fm, im, um, clock, fs, is_, us, cs, sfields, vfields, turn, turn_pos
        )
    return out


def _make_key(n, fm, im, um, clock, fs, is_, us, cs, sfields, vfields, turn, turn_pos):  # type: ignore[no-untyped-def]
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


# ---------------------------------------------------------------- the walk


class Action(NamedTuple):
    """One recorded way from a state to the next."""

    scene: str
    kind: str  # "choose" or "type"
    choice: str  # choice id, or "" for typed input
    outcome: int  # random outcome or input outcome index; -1 for a plain choice
    amount: int = 0

    def step(self) -> str | dict[str, str]:
        """As a playthrough step."""
        return self.choice if self.kind == "choose" else {"type": str(self.amount)}

    def label(self, world: World) -> str:
        if self.kind == "type":
            return f"type {self.amount}"
        ch = world.scenes[self.scene].choice_by_id[self.choice]
        if ch.outcomes:
            return f"{self.choice} (outcome {self.outcome + 1} of {len(ch.outcomes)})"
        return self.choice


@dataclass
class Graph:
    """The explored state graph, compactly: node n's edges are etgt[eoff[n]:eoff[n+1]]."""

    world: World
    scene_names: list[str]
    scene: array  # node -> scene number
    parent: array  # node -> the node it was first reached from (-1 for the start)
    via: array  # node -> action code of that first step
    eoff: array
    etgt: array
    actions: list[Action]
    incomplete: array  # 1 where some successor was left out because of the bound
    bound_hit: bool
    seconds: float
    taken: dict[tuple[str, str], int]  # (scene, choice id or "#j" for input outcome j) -> count

    @property
    def states(self) -> int:
        return len(self.scene)

    @property
    def edges(self) -> int:
        return len(self.etgt)

    def path(self, node: int) -> list[Action]:
        out = []
        while self.parent[node] >= 0:
            out.append(self.actions[self.via[node]])
            node = self.parent[node]
        return out[::-1]


class Walker:
    """Breadth-first walks over one world's states, memoised by the reduced keys."""

    def __init__(self, src: Sources, exact: bool = False):
        world = src.world
        assert world is not None
        self.src = src
        self.world = world
        self.keyfn = key_functions(world, layouts(src, exact))
        self.inputs = {
            sid: amounts(src, sid) for sid, sc in world.scenes.items() if sc.input is not None
        }

    def walk(self, max_states: int = DEFAULT_MAX_STATES, start: State | None = None) -> Graph:
        world, keyfn, inputs = self.world, self.keyfn, self.inputs
        t0 = time.perf_counter()
        names = list(world.scenes)
        number = {sid: i for i, sid in enumerate(names)}
        scenes = world.scenes
        step_outcomes, step, input_outcome = (
            engine.step_outcomes,
            engine.step,
            engine.input_outcome,
        )
        Type, new_state = engine.Type, tuple.__new__

        index: dict[int, int] = {}
        scene_of = array("H")
        parent = array("i")
        via = array("i")
        incomplete = array("B")
        eoff = array("I", [0])
        etgt = array("I")
        actions: list[Action] = []
        action_code: dict[Action, int] = {}
        taken: dict[tuple[str, str], int] = {}

        if start is None:
            start = engine.new_game(world, 0)
        start = new_state(State, (*start[:10], (), ()))
        index[keyfn[start.scene](start)] = 0
        scene_of.append(number[start.scene])
        parent.append(-1)
        via.append(-1)
        incomplete.append(0)
        queue: deque[State] = deque([start])
        bound_hit = False
        node = -1
        while queue:
            s = queue.popleft()
            node += 1
            sid = s.scene
            sc = scenes[sid]
            succ: list[tuple[Action, State]] = []
            if sc.ending is not None:
                pass
            elif sc.input is None:
                for ch in sc.choices:
                    if ch.once_bit & s.used or (ch.cond is not None and not ch.cond(s)):
                        continue
                    cid = ch.id
                    if ch.goto is not None:
                        new = step_outcomes(world, s, cid)[0][1]
                        succ.append((Action(sid, "choose", cid, -1), new))
                    else:
                        for k, (_w, new, _ev) in enumerate(step_outcomes(world, s, cid)):
                            succ.append((Action(sid, "choose", cid, k), new))
                    tk = (sid, cid)
                    taken[tk] = taken.get(tk, 0) + 1
            else:
                seen_out: set[int] = set()
                for a in inputs[sid]:
                    j = input_outcome(world, s, a)
                    if j in seen_out:
                        continue
                    seen_out.add(j)
                    new, _ev = step(world, s, Type(str(a)))
                    succ.append((Action(sid, "type", "", j, a), new))
                    tk = (sid, f"#{j}")
                    taken[tk] = taken.get(tk, 0) + 1
            for act, new in succ:
                k = keyfn[new.scene](new)
                target = index.get(k)
                if target is None:
                    if len(scene_of) >= max_states:
                        bound_hit = True
                        incomplete[node] = 1
                        continue
                    target = len(scene_of)
                    index[k] = target
                    scene_of.append(number[new.scene])
                    parent.append(node)
                    code = action_code.get(act)
                    if code is None:
                        code = action_code[act] = len(actions)
                        actions.append(act)
                    via.append(code)
                    incomplete.append(0)
                    queue.append(new_state(State, (*new[:10], (), ())))
                etgt.append(target)
            eoff.append(len(etgt))
        return Graph(
            world,
            names,
            scene_of,
            parent,
            via,
            eoff,
            etgt,
            actions,
            incomplete,
            bound_hit,
            time.perf_counter() - t0,
            taken,
        )


def walk(src: Sources, max_states: int = DEFAULT_MAX_STATES, exact: bool = False) -> Graph:
    return Walker(src, exact).walk(max_states)


# ---------------------------------------------------------------- what can reach what


@dataclass
class Analysis:
    mask: array  # per component: bit e+1 set when ending e can be reached; bit 0: unknown
    comp: array  # node -> component
    sinks: list[list[int]]  # components that reach no ending and have no way out
    ending_bits: dict[str, int]


def analyse(g: Graph) -> Analysis:
    """Tarjan's strongly connected components over the state graph, iteratively; components
    come out sinks first, so each one's reachable endings are known from its successors'.
    A state cut short by the bound counts as reaching everything (bit 0): no false alarms."""
    world = g.world
    ending_bits = {e: 1 << (i + 1) for i, e in enumerate(world.endings)}
    own = [0] * len(g.scene_names)
    for i, sid in enumerate(g.scene_names):
        e = world.scenes[sid].ending
        if e is not None:
            own[i] = ending_bits[e]
    n = g.states
    eoff, etgt, scene_of, incomplete = g.eoff, g.etgt, g.scene, g.incomplete
    index = array("i", [-1]) * n
    low = array("i", [0]) * n
    comp = array("i", [-1]) * n
    ptr = array("I", eoff[:-1]) if n else array("I")
    mask: list[int] = []
    sinks: list[list[int]] = []
    stack: list[int] = []
    counter = 0
    for root in range(n):
        if index[root] != -1:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        call = [root]
        while call:
            v = call[-1]
            p, end = ptr[v], eoff[v + 1]
            descended = False
            while p < end:
                w = etgt[p]
                p += 1
                if index[w] == -1:
                    ptr[v] = p
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    call.append(w)
                    descended = True
                    break
                if comp[w] == -1 and index[w] < low[v]:
                    low[v] = index[w]
            if descended:
                continue
            ptr[v] = p
            call.pop()
            if call:
                u = call[-1]
                if low[v] < low[u]:
                    low[u] = low[v]
            if low[v] != index[v]:
                continue
            c = len(mask)
            members = []
            while True:
                x = stack.pop()
                comp[x] = c
                members.append(x)
                if x == v:
                    break
            m = 0
            leaves = False
            for x in members:
                m |= own[scene_of[x]] | incomplete[x]
                for q in range(eoff[x], eoff[x + 1]):
                    cy = comp[etgt[q]]
                    if cy != c:
                        m |= mask[cy]
                        leaves = True
            mask.append(m)
            if m == 0 and not leaves:
                sinks.append(members)
    return Analysis(array("Q", mask), comp, sinks, ending_bits)


# ---------------------------------------------------------------- softlocks


@dataclass
class Softlock:
    """States from which no ending can be reached, grouped by where the player is caught."""

    kind: str  # "stuck" (no choice can be taken) or "loop" (ways on, none out)
    scenes: list[str]
    states: int  # explored states in the group (0 when found by a probe run)
    path: list[Action | str | dict[str, str]]  # shortest known way there from the start
    seed: int | None  # a seed under which `path` plays out as listed (None: none found)
    no_return: tuple[int, str, str] | None  # (step, scene, what was done): the fatal step
    found_by: str  # "walk" or "probe"


def from_graph(g: Graph, a: Analysis) -> list[Softlock]:
    grouped: dict[tuple[str, tuple[str, ...]], list[Any]] = {}
    for members in a.sinks:
        scenes = tuple(sorted({g.scene_names[g.scene[x]] for x in members}))
        has_edges = any(g.eoff[x + 1] > g.eoff[x] for x in members)
        kind = "loop" if has_edges else "stuck"
        first = min(members)
        slot = grouped.setdefault((kind, scenes), [0, first])
        slot[0] += len(members)
        slot[1] = min(slot[1], first)
    out = []
    for (kind, scenes), (count, first) in grouped.items():
        node = first
        while g.parent[node] >= 0 and a.mask[a.comp[g.parent[node]]] == 0:
            node = g.parent[node]
        path = g.path(first)
        nr = g.path(node)
        no_return = (len(nr), nr[-1].scene, nr[-1].label(g.world)) if nr else None
        seed, ok = playable(g.world, path)
        out.append(
            Softlock(kind, list(scenes), count, list(path), seed if ok else None, no_return, "walk")
        )
    return out


def playable(world: World, path: list[Action], tries: int = 5000) -> tuple[int, bool]:
    """A seed under which the path's random outcomes come out as on the path (True), or
    (0, False) when none of the first `tries` seeds does."""
    if not any(p.kind == "choose" and p.outcome >= 0 for p in path):
        return 0, True
    for seed in range(tries):
        s = engine.new_game(world, seed)
        for p in path:
            if p.kind == "type":
                s, _ = engine.step(world, s, engine.Type(str(p.amount)))
                continue
            new, _ = engine.step(world, s, engine.Choose(p.choice))
            if p.outcome >= 0:
                want = engine.step_outcomes(world, s, p.choice)[p.outcome][1]
                if new[:10] != want[:10]:
                    break
            s = new
        else:
            return seed, True
    return 0, False


# ---------------------------------------------------------------- the whole exploration


@dataclass
class Report:
    graph: Graph
    complete: bool  # every reachable state was walked: the answers are exact
    reached: set[str]  # scenes
    taken: set[tuple[str, str]]  # (scene, choice id or "#j")
    endings: dict[str, dict[str, int]]  # ending -> {"states", "reach", "runs"}
    unreached: list[tuple[str, bool]]  # (scene, proven unreachable)
    untaken: list[tuple[str, str, bool]]  # (scene, choice, proven)
    softlocks: list[Softlock]
    unsure_loops: list[Any]  # probe runs that never ended, not shown to be softlocks
    probes: Any  # randomtest.Tally, when probe runs were needed
    coverage: dict[str, int]

    @property
    def failed(self) -> bool:
        unreached_ending = any(
            not (v["states"] or v["runs"] or v["search"]) for v in self.endings.values()
        )
        return bool(self.unreached or self.untaken or unreached_ending or self.softlocks)


def explore(
    src: Sources,
    max_states: int = DEFAULT_MAX_STATES,
    exact: bool = False,
    probes: int = DEFAULT_PROBES,
    verify_states: int = 50_000,
    search_steps: int = 300_000,
) -> Report:
    """Walk every state up to the bound. If the bound is hit, back the partial walk up with
    probe runs (random playthroughs that prefer what has not been done yet) to show that the
    rest can be reached, and with the linter's static reading to show what cannot."""
    from neuripsquest.tools.lint import possible
    from neuripsquest.tools.randomtest import Player

    world = src.world
    assert world is not None
    walker = Walker(src, exact)
    g = walker.walk(max_states)
    a = analyse(g)
    coverage = dict.fromkeys(g.scene_names, 0)
    for sn in g.scene:
        coverage[g.scene_names[sn]] += 1
    reached = {sid for sid, n in coverage.items() if n}
    taken = set(g.taken)
    endings: dict[str, dict[str, int]] = {
        e: {"states": 0, "reach": 0, "runs": 0, "search": 0} for e in world.endings
    }
    ending_of = [world.scenes[sid].ending for sid in g.scene_names]
    for sn in g.scene:
        e = ending_of[sn]
        if e is not None:
            endings[e]["states"] += 1
    for e, bit in a.ending_bits.items():
        endings[e]["reach"] = sum(1 for c in a.comp if a.mask[c] & bit)
    locks = from_graph(g, a)
    tally = None
    unsure: list[Any] = []
    proof = possible(src) if g.bound_hit else None
    if g.bound_hit and probes > 0:
        player = Player(world, walker.inputs, avoid_used=True)
        master = random.Random(0)
        for n in range(probes):
            player.play(n + 1, master.getrandbits(32), random.Random(master.getrandbits(64)), 1000)
        tally = player.tally
        reached |= {s for s, n in tally.scenes.items() if n}
        taken |= {k for k, n in tally.choices.items() if n}
        for e, n in tally.endings.items():
            endings[e]["runs"] = n
        locks += _probe_locks(world, tally.stuck, "stuck")
        for run in tally.limit:
            verdict = walker.walk(verify_states, run.state)
            if not verdict.bound_hit and not any(
                world.scenes[g2].ending for g2 in {verdict.scene_names[x] for x in verdict.scene}
            ):
                locks += _probe_locks(world, [run], "loop")
            elif verdict.bound_hit:
                unsure.append(run)
        assert proof is not None
        missing = {
            m
            for m in _missing(world, reached, taken)
            if (m in proof.scenes if isinstance(m, str) else m in proof.choices)
        }
        if missing:
            found = search(world, walker.inputs, missing, steps=search_steps)
            reached |= found.scenes
            taken |= found.taken
            for e in found.endings:
                endings[e]["search"] = 1
            locks += found.stuck

    def proven(scene: str, key: str | None = None) -> bool:
        if proof is None:
            return True
        if key is None:
            return scene not in proof.scenes
        return (scene, key) not in proof.choices

    unreached = [(sid, proven(sid)) for sid in world.scenes if sid not in reached]
    untaken = []
    for sid, sc in world.scenes.items():
        if sid not in reached:
            continue
        keys = [c.id for c in sc.choices]
        keys += [f"#{j}" for j in range(len(sc.input.outcomes))] if sc.input else []
        untaken += [(sid, k, proven(sid, k)) for k in keys if (sid, k) not in taken]
    return Report(
        g,
        not g.bound_hit,
        reached,
        taken,
        endings,
        unreached,
        untaken,
        _merge(locks),
        unsure,
        tally,
        coverage,
    )


def _missing(world: World, reached: set[str], taken: set[tuple[str, str]]) -> set[Any]:
    out: set[Any] = {sid for sid in world.scenes if sid not in reached}
    for sid, sc in world.scenes.items():
        keys = [c.id for c in sc.choices]
        keys += [f"#{j}" for j in range(len(sc.input.outcomes))] if sc.input else []
        out |= {(sid, k) for k in keys if (sid, k) not in taken}
    return out


@dataclass
class Found:
    scenes: set[str] = field(default_factory=set)
    taken: set[tuple[str, str]] = field(default_factory=set)
    endings: set[str] = field(default_factory=set)
    stuck: list[Softlock] = field(default_factory=list)


def search(
    world: World,
    inputs: dict[str, list[int]],
    targets: set[Any],
    steps: int = 300_000,
    seed: int = 0,
    walk_len: int = 25,
) -> Found:
    """Look for the scenes and choices in `targets` the Go-Explore way: keep an archive of
    distinct situations (scene, clock, flags, items) with the first state and path that got
    there, and keep going back to a random one of them and playing on at random from it. Rare
    situations (still holding a pretzel at a late party) are kept as soon as they are met, so
    the search does not have to be lucky twice. Each find is a real path from the start."""
    rng = random.Random(seed)
    found = Found()
    start = engine.new_game(world, 0)
    cells: dict[tuple[Any, ...], int] = {}
    states: list[State] = []
    parents: list[tuple[int, list[Any]]] = []  # (cell it was reached from, steps from there)

    def cell_of(s: State) -> tuple[Any, ...]:
        return (s.scene, s.clock, s.flags, s.items)

    def add(s: State, parent: int, path: list[Any]) -> int:
        cells[cell_of(s)] = len(states)
        states.append(tuple.__new__(State, (*s[:10], (), ())))
        parents.append((parent, path))
        return len(states) - 1

    def path_to(c: int, extra: list[Any]) -> list[Any]:
        out = list(extra)
        while c >= 0:
            p, seg = parents[c]
            out = seg + out
            c = p
        return out

    add(start, -1, [])
    left = set(targets)
    done = 0
    while done < steps and left:
        c = rng.randrange(len(states))
        s = states[c]
        path: list[Any] = []
        for _ in range(walk_len):
            sc = world.scenes[s.scene]
            if sc.ending is not None:
                found.endings.add(sc.ending)
                break
            if sc.input is not None:
                options = []
                seen: set[int] = set()
                for a in inputs[s.scene]:
                    j = engine.input_outcome(world, s, a)
                    if j not in seen:
                        seen.add(j)
                        options.append((f"#{j}", {"type": str(a)}, engine.Type(str(a))))
            else:
                options = [
                    (ch.id, ch.id, engine.Choose(ch.id))
                    for ch in sc.choices
                    if not ch.once_bit & s.used and (ch.cond is None or ch.cond(s))
                ]
            if not options:
                lock = Softlock("stuck", [s.scene], 0, path_to(c, path), s.seed, None, "search")
                found.stuck.append(lock)
                break
            fresh = [o for o in options if (s.scene, o[0]) in left]
            key, shown, action = (fresh or options)[rng.randrange(len(fresh or options))]
            found.taken.add((s.scene, key))
            left.discard((s.scene, key))
            s, _ = engine.step(world, s, action)
            done += 1
            path.append(shown)
            found.scenes.add(s.scene)
            left.discard(s.scene)
            if cell_of(s) not in cells:
                c = add(s, c, path)
                path = []
    return found


def _probe_locks(world: World, runs: list[Any], kind: str) -> list[Softlock]:
    out = []
    for r in runs:
        scenes = [r.state.scene] if kind == "stuck" else _loop_scenes(world, r)
        out.append(Softlock(kind, scenes, 0, list(r.steps), r.seed, None, "probe"))
    return out


def _loop_scenes(world: World, run: Any) -> list[str]:
    """The scenes a never-ending run keeps going round: those of its last 50 steps."""
    s = engine.new_game(world, run.seed)
    seen: list[str] = []
    for st in run.steps:
        action = engine.Type(st["type"]) if isinstance(st, dict) else engine.Choose(st)
        s, _ = engine.step(world, s, action)
        seen.append(s.scene)
    return sorted(set(seen[-50:]))


def _merge(locks: list[Softlock]) -> list[Softlock]:
    """One softlock per (kind, scenes): the walk's (shortest path) over a probe's."""
    best: dict[tuple[str, tuple[str, ...]], Softlock] = {}
    for s in locks:
        k = (s.kind, tuple(s.scenes))
        old = best.get(k)
        if old is None or (old.found_by == "probe" and s.found_by == "walk"):
            if old is not None:
                s.states += old.states
            best[k] = s
        elif s.found_by == old.found_by == "walk":
            old.states += s.states
    return list(best.values())


# ---------------------------------------------------------------- the report


def _where(src: Sources, sid: str, choice: str | None = None) -> str:
    sf = src.scenes[sid]
    if choice is None:
        line, col = src.where(sf.path, [*sf.loc, "id"])
    elif choice.startswith("#"):
        line, col = src.where(sf.path, [*sf.loc, "input", "outcomes", int(choice[1:])])
    else:
        k = next(i for i, cf in enumerate(sf.choices) if cf.choice.id == choice)
        line, col = src.where(sf.path, sf.choices[k].loc)
    return f"{sf.path}:{line}:{col}"


def _steps(path: list[Any]) -> list[Any]:
    return [p.step() if isinstance(p, Action) else p for p in path]


def _path_text(world: World, path: list[Any]) -> str:
    if not path:
        return f"{world.start} (the start)"
    if isinstance(path[0], Action):
        return " -> ".join(f"{p.scene}: {p.label(world)}" for p in path)
    return ", ".join(p if isinstance(p, str) else f"type {p['type']}" for p in path)


def write_text(src: Sources, r: Report, out: IO[str], coverage: bool = False) -> None:
    g, world = r.graph, r.graph.world
    rate = g.states / g.seconds if g.seconds > 0 else 0.0
    out.write(
        f"Walked {g.states:,} states and {g.edges:,} transitions in {g.seconds:.2f} s "
        f"({rate:,.0f} states/s).\n"
    )
    if r.complete:
        out.write("That is every reachable state: what follows is exact.\n")
    else:
        runs = r.probes.runs if r.probes is not None else 0
        out.write(
            f"The bound of {g.states:,} states was hit before the walk was complete, so "
            f"{runs:,} probe runs (random playthroughs preferring what was not done yet) "
            "looked further, and the static reading of the files shows what can never "
            "happen. Softlocks below are certain; one the walk and the probes did not meet "
            "may still exist.\n"
        )
    nsc = len(world.scenes)
    out.write(f"Scenes: {nsc - len(r.unreached)} of {nsc} reached.\n")
    for sid, sure in r.unreached:
        why = "can never be reached" if sure else "was not reached (it may be reachable)"
        out.write(f"{_where(src, sid)}: scene '{sid}' {why}\n")
    nch = sum(
        len(sc.choices) + (len(sc.input.outcomes) if sc.input else 0)
        for sc in world.scenes.values()
    )
    gone = sum(
        len(world.scenes[s].choices)
        + (len(world.scenes[s].input.outcomes) if world.scenes[s].input else 0)
        for s, _ in r.unreached
    )
    out.write(f"Choices: {nch - gone - len(r.untaken)} of {nch} taken.\n")
    for sid, cid, sure in r.untaken:
        what = (
            f"input outcome {int(cid[1:]) + 1} of scene '{sid}'"
            if cid.startswith("#")
            else f"choice '{cid}' in scene '{sid}'"
        )
        why = "can never be taken" if sure else "was never taken (it may be possible)"
        if cid.startswith("#"):
            why = "can never happen" if sure else "never happened (it may be possible)"
        out.write(f"{_where(src, sid, cid)}: {what} {why}\n")
    out.write("Endings:\n")
    width = max((len(e) for e in r.endings), default=0)
    for e, v in r.endings.items():
        if not (v["states"] or v["runs"] or v["search"]):
            out.write(f"  {e:<{width}}  NEVER REACHED\n")
            continue
        parts = []
        if v["states"]:
            lead = "leads" if v["reach"] == 1 else "lead"
            parts.append(
                f"reached in {plural(v['states'], 'state')}; "
                f"{plural(v['reach'], 'state')} {lead} to it"
            )
        elif v["reach"]:
            lead = "leads" if v["reach"] == 1 else "lead"
            parts.append(f"{plural(v['reach'], 'walked state')} {lead} to it")
        if r.probes is not None:
            parts.append(f"{v['runs']:,} of {r.probes.runs:,} probe runs end here")
        if v["search"] and not v["runs"]:
            parts.append("reached by the search")
        out.write(f"  {e:<{width}}  {'; '.join(parts)}\n")
    if not r.softlocks:
        if r.complete:
            out.write("Softlocks: none: an ending can be reached from every state.\n")
        else:
            out.write("Softlocks: none found.\n")
    else:
        out.write(
            f"Softlocks: {plural(len(r.softlocks), 'place')} where no ending can be reached:\n"
        )
        for s in r.softlocks:
            names = ", ".join(f"'{x}'" for x in s.scenes)
            if s.kind == "stuck":
                head = f"stuck in scene {names}: no choice can be taken"
            else:
                head = f"no way out of scenes {names}: they lead only to each other"
            count = f" ({plural(s.states, 'state')})" if s.states else ""
            out.write(f"{_where(src, s.scenes[0])}: {head}{count}\n")
            steps = plural(len(s.path), "step")
            out.write(f"  shortest known path ({steps}): {_path_text(world, s.path)}\n")
            if s.no_return is not None:
                step, scene, what = s.no_return
                out.write(
                    f"  point of no return: step {step}, in '{scene}': {what}; "
                    "no ending can be reached after it\n"
                )
            if s.seed is not None:
                out.write(
                    f"  as a playthrough: seed: {s.seed}, steps: {json.dumps(_steps(s.path))}\n"
                )
    for run in r.unsure_loops[:3]:
        out.write(
            f"Probe run {run.number} did not end within 1000 steps (at '{run.state.scene}'); "
            f"replay it with seed: {run.seed}, steps: {json.dumps(run.steps)}\n"
        )
    if coverage:
        out.write("Coverage (walked states per scene):\n")
        width = max(len(s) for s in r.coverage)
        for sid, n in r.coverage.items():
            extra = ""
            if r.probes is not None:
                extra = f"  {r.probes.scenes.get(sid, 0):>9,} probe visits"
            out.write(f"  {sid:<{width}}  {n:>9,}{extra}\n")


def to_json(src: Sources, r: Report, coverage: bool = False) -> dict[str, Any]:
    g = r.graph
    blob: dict[str, Any] = {
        "states": g.states,
        "transitions": g.edges,
        "seconds": round(g.seconds, 3),
        "complete": r.complete,
        "probe_runs": r.probes.runs if r.probes is not None else 0,
        "unreached_scenes": [
            {"scene": s, "where": _where(src, s), "proven": p} for s, p in r.unreached
        ],
        "untaken_choices": [
            {"scene": s, "choice": c, "where": _where(src, s, c), "proven": p}
            for s, c, p in r.untaken
        ],
        "endings": r.endings,
        "softlocks": [
            {
                "kind": s.kind,
                "scenes": s.scenes,
                "states": s.states,
                "where": _where(src, s.scenes[0]),
                "path": _steps(s.path),
                "seed": s.seed,
                "point_of_no_return": (
                    dict(zip(("step", "scene", "action"), s.no_return, strict=True))
                    if s.no_return
                    else None
                ),
                "found_by": s.found_by,
            }
            for s in r.softlocks
        ],
        "ok": not r.failed,
    }
    if coverage:
        blob["coverage"] = r.coverage
    return blob


def run(
    root: Any,
    max_states: int,
    exact: bool,
    coverage: bool,
    fmt: str,
    out: IO[str],
    err: IO[str],
    probes: int = DEFAULT_PROBES,
) -> int:
    from neuripsquest.tools.facts import load_or_report

    src = load_or_report(root, err)
    if src is None:
        return 1
    r = explore(src, max_states, exact, probes)
    if fmt == "json":
        out.write(json.dumps(to_json(src, r, coverage), indent=2) + "\n")
    else:
        write_text(src, r, out, coverage)
    return 1 if r.failed else 0

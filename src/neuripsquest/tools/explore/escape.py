"""A proof that no player can be caught: from every state the game can reach, some ending can
still be reached. It does not need every state of the week (tens of millions on the shipped
world, more than a walk can visit), only enough of each to tell where the player can go.

An *abstract state* is a scene, the clock and the values of a few variables tracked at that
scene (`tracked[scene]`); it stands for every state that agrees with it there, whatever its
other values. Two graphs are built over them, each by the engine's own rules
(`engine.choice_results`, `engine.step`) played from one concrete state per abstract state:

- the *may* graph over-approximates what can happen: a choice whose condition reads an
  untracked variable may be taken; a value the step leaves unknown (an untracked variable
  read, or one that becomes tracked at the next scene) may be any in its range. Every state
  the game can reach is stood for by an abstract state reachable in it;
- the *must* moves under-approximate what is possible: a choice counts only where its
  condition reads tracked values alone and holds, and it is not a once-only choice perhaps
  used already. Its result must hold for every value a step leaves unknown (all of them are
  successors). Each outcome of a random choice is a way on by itself: every outcome can
  happen (weights are positive), and the walk counts a state from which some outcome leads
  to an ending as one that can reach it.

An abstract state is *safe* when it is an ending, or one of its must moves has an outcome
with only safe successors (a least fixpoint, so a loop is safe only with a way out). If every
abstract state reachable in the may graph is safe, every reachable state of the game can reach
an ending by the must moves, which it can take: no softlock is possible. The proof is
exhaustive over the abstract states, never cut short by a bound (it gives up instead, and
says so).

What to track is learnt (counterexample-guided refinement): at first nothing; where an
abstract state is not shown safe, the variables its choices' conditions read are tracked at
its scene; where that adds nothing, the tracked values it got as unknown from a scene before
it are tracked there too, back towards the start, where everything is known, and last the
conditions of ways all the way back from it (a choice whose condition nothing tracked made a
scene look reachable). A round that adds nothing more ends the search: the states still not
shown safe are where a softlock may be, for the explicit walk to look at. On 3,000 random
10-scene worlds with every feature of the language (`tests.test_explore.rich_world`) the proof
holds exactly when the full walk finds no softlock.

Counters that only go up and are compared with constants only (visit counts, the turn count)
are capped just past their largest constant (`abstraction.saturation`): the capped values pass
and fail the same conditions. Typed amounts are the explorer's representatives (`tools.amounts`).
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from neuripsquest import collector
from neuripsquest.core import engine
from neuripsquest.core.state import State
from neuripsquest.lang.analyse import CLOCK, TURN, Var, clock_after
from neuripsquest.records import Record
from neuripsquest.tools.amounts import amounts
from neuripsquest.tools.explore.abstraction import Flow, liveness, saturation
from neuripsquest.tools.facts import Effect, Sources

WIDEST = 256  # a stat with a wider range is never tried in all its values
# Values a step leaves unknown are tried in all their combinations, up to this many; past it,
# they are tracked at the scene before instead.
HAVOC = 1024
DECIDE = 4096  # combinations tried to see whether a condition depends on untracked values
SPREAD = 4  # refinements taken together: up to this many times the cheapest
HOPS = 4  # how far back from an unsafe state to look for where its values became unknown
# Past this many abstract states the proof gives up: 33,060 prove the shipped week, and a
# round keeps 8-26 KB a state (measured), so this bounds a proof at a few GB.
DEFAULT_MAX_ABSTRACT = 150_000
DEFAULT_ROUNDS = 200

Key = tuple[str, int, tuple[int, ...]]  # scene, clock, tracked values in `tracked` order
_At = tuple[str, int, tuple[Var, ...], tuple[int, ...]]  # scene, clock, what is tracked, values


@dataclass
class Proof:
    proven: bool
    states: int  # abstract states in the may graph of the last round
    rounds: int
    seconds: float
    tracked: int  # (scene, variable) pairs tracked in the last round
    unsafe: list[tuple[str, int]] = field(default_factory=list)  # (scene, clock) not shown safe
    reason: str = ""  # why it gave up, when not proven
    # what the last round tracked, scene by scene: a start for the next proof (`prove`'s start)
    learnt: dict[str, list[Var]] = field(default_factory=dict)
    started_from: int = 0  # (scene, variable) pairs taken from a start that were trackable
    # When proven, what the last round's may graph reaches: every scene and way on (choice id,
    # or "#j" for outcome j of typed input) the game can reach is among them, so what is not
    # can never happen.
    scenes: frozenset[str] = frozenset()
    taken: frozenset[tuple[str, str]] = frozenset()


@dataclass
class _Move:
    """One way on from a scene: a choice (all its outcomes) or one typed amount."""

    label: str  # choice id, or "type N"
    reads: frozenset[Var]  # what its condition reads (typed input: what the outcome's does)
    once: Var | None  # its once-only mark
    branches: list[tuple[list[Effect], str]]  # per outcome: effects, target scene
    amount: int | None = None


class _Values:
    """Reading and writing one variable of a State, and its range."""

    def __init__(self, src: Sources, flow: Flow):
        world = src.world
        assert world is not None
        self.world = world
        sym = world.symbols
        self.once = {k: i for i, k in enumerate(world.once_keys)}
        self.cap: dict[Var, int] = {}
        for v, (mode, bound) in saturation(src, flow).items():
            if v[0] in ("visits", "turn") and mode > 0:
                self.cap[v] = bound
        self.sym = sym
        self._domains: dict[Var, range | None] = {}
        # (scene, clock, tracked, values, choice) -> _Round._decide's answer: the same
        # abstract states come back round after round.
        self.decided: dict[tuple[str, int, tuple[Var, ...], tuple[int, ...], str], bool | None] = {}

    def getter(self, v: Var) -> Callable[[State], int]:
        kind, name = v
        sym, world = self.sym, self.world
        if kind == "stat":
            i = sym.stats[name]
            return lambda s: s.stats[i]
        if kind == "flag":
            b = sym.flags[name]
            return lambda s: 1 if s.flags & b else 0
        if kind == "item":
            b = sym.items[name]
            return lambda s: 1 if s.items & b else 0
        if kind == "used":
            u = 1 << self.once[name]
            return lambda s: 1 if s.used & u else 0
        if kind == "visits":
            j = world.visit_index.get(name)
            if j is None:  # a scene whose visits nothing counts: always 0 in the state
                return lambda s: 0
            cap = self.cap.get(v)
            if cap is None:
                return lambda s: s.visits[j]
            return lambda s: min(s.visits[j], cap)
        if v == TURN and v in self.cap:  # read only against constants: capped like a visit
            top = self.cap[v]
            return lambda s: min(s.turn, top)
        raise ValueError(f"cannot track {v}")

    def domain(self, v: Var) -> range | None:
        """Every value `v` can have (capped), or None when there are too many to try."""
        try:
            return self._domains[v]
        except KeyError:
            dom = self._domains[v] = self._domain(v)
            return dom

    def _domain(self, v: Var) -> range | None:
        kind, name = v
        if kind in ("flag", "item", "used"):
            return range(2)
        if kind == "stat":
            lo, hi = self.world.stat_ranges[self.sym.stats[name]]
            return range(lo, hi + 1) if hi - lo < WIDEST else None
        if kind in ("visits", "turn"):
            cap = self.cap.get(v)
            return range(cap + 1) if cap is not None and cap < WIDEST else None
        return None

    def trackable(self, reads: Iterable[Var]) -> frozenset[Var]:
        """Of `reads`, what a round can track: not the clock (always in the key), nor the
        turn count unless it is capped."""
        return frozenset(v for v in reads if v != CLOCK and (v != TURN or self.domain(v)))

    def state(
        self, scene: str, clock: int, tracked: tuple[Var, ...], vals: tuple[int, ...]
    ) -> State:
        """One concrete state the abstract state stands for: its tracked values, the others
        at their first values (nothing the must moves read)."""
        world, sym = self.world, self.sym
        stats = list(world.stat_initial)
        visits = [0] * len(world.visit_names)
        flags = items = used = turn = 0
        for (kind, name), x in zip(tracked, vals, strict=True):
            if kind == "stat":
                stats[sym.stats[name]] = x
            elif kind == "flag":
                flags |= sym.flags[name] if x else 0
            elif kind == "item":
                items |= sym.items[name] if x else 0
            elif kind == "used":
                used |= (1 << self.once[name]) if x else 0
            elif kind == "visits":
                j = world.visit_index.get(name)
                if j is not None:
                    visits[j] = x
            elif kind == "turn":
                turn = x
        return State(
            scene, tuple(stats), flags, items, tuple(visits), used, clock, 0, turn, 0, (), ()
        )


def _moves(src: Sources) -> dict[str, list[_Move]]:
    out: dict[str, list[_Move]] = {}
    for sid, sf in src.scenes.items():
        moves = []
        for cf in sf.choices:
            reads = frozenset(cf.cond.reads) if cf.cond is not None else frozenset()
            once = ("used", f"{sid}.{cf.choice.id}") if cf.choice.once_bit else None
            branches = [(b.effects, b.goto) for b in cf.branches]
            moves.append(_Move(cf.choice.id, reads, once, branches))
        if sf.input is not None:
            inp = sf.input
            # The outcome a typed amount leads to: read with the amount in the store.
            reads = frozenset().union(*(c.reads for c in inp.conds if c is not None))
            reads = reads - {("stat", inp.store)}
            for a in amounts(src, sid):
                moves.append(_Move(f"type {a}", reads, None, [], a))
        out[sid] = moves
    return out


class _Edge(Record):
    """One way from a scene to the next, as the scene graph sees it."""

    move: _Move | None  # None for an outcome of typed input
    effects: list[Effect]  # its own, then the target's entry effects
    goto: str
    writes: set[Var]  # everything it can change: effects, the visit, once mark, store, turn


def _edges(src: Sources, moves: dict[str, list[_Move]]) -> dict[str, list[_Edge]]:
    out: dict[str, list[_Edge]] = {}
    for sid, sf in src.scenes.items():
        mine: list[_Edge] = []
        ways: list[tuple[_Move | None, list[Effect], str]]
        ways = [(mv, eff, goto) for mv in moves[sid] for eff, goto in mv.branches]
        if sf.input is not None:
            ways += [(None, b.effects, b.goto) for b in sf.input.branches]
        for mv, eff, goto in ways:
            effects = [*eff, *src.scenes[goto].on_enter]
            w = {e.var for e in effects} | {("visits", goto), TURN}
            if mv is None:
                assert sf.input is not None
                w.add(("stat", sf.input.store))
            elif mv.once is not None:
                w.add(mv.once)
            mine.append(_Edge(mv, effects, goto, w))
        out[sid] = mine
    return out


def _pristine(
    src: Sources, edges: dict[str, list[_Edge]], values: _Values
) -> dict[tuple[str, int], frozenset[Var]]:
    """For each scene and time, the variables no way from the start to it can have changed:
    still at their first values there, so known without being tracked (the Guess Who cards
    before the draw, say). Changed means written by an effect, a visit counted, a once-only
    choice taken or an amount typed, on any way through the scene graph followed with the
    clock (a way whose condition reads only the clock is followed only when it holds; only
    `advance` moves the clock, and it never depends on anything else)."""
    world = src.world
    assert world is not None
    nslots, last = len(world.slots), world.last_clock
    everything: set[Var] = {TURN}
    for sid, sf in src.scenes.items():
        for edge in edges[sid]:
            everything |= edge.writes
            if edge.move is not None:
                everything |= edge.move.reads
        everything |= {e.var for e in sf.on_enter}
    start = engine.new_game(world, 0)
    first = (start.scene, start.clock)
    written: dict[tuple[str, int], set[Var]] = {
        first: {e.var for e in src.scenes[start.scene].on_enter} | {("visits", start.scene), TURN}
    }
    todo = [first]
    while todo:
        x = todo.pop()
        sid, clock = x
        here = values.state(sid, clock, (), ())
        for way, eff, goto, w in edges[sid]:
            if way is not None and way.reads <= {CLOCK}:
                cond = world.scenes[sid].choice_by_id[way.label].cond
                if cond is not None and not cond(here):
                    continue
            nodes = (e.node for e in eff if e.node is not None)
            y = (goto, clock_after(nodes, clock, nslots, last))
            more = written[x] | w
            have = written.get(y)
            if have is None or not more <= have:
                written[y] = more if have is None else have | more
                todo.append(y)
    return {x: frozenset(everything - w - {CLOCK}) for x, w in written.items()}


def _classes(
    src: Sources, edges: dict[str, list[_Edge]], values: _Values, live: dict[str, set[Var]]
) -> dict[str, dict[Var, list[int]]]:
    """For each scene, the counters and stats that nothing can change from there on, read
    only by comparisons with constants: their values fall into classes (between one constant
    and the next) that pass and fail the same conditions for the rest of the game, so one
    value of each class stands for all (`compute < 4` tells 0-3 from 4-20, nothing more)."""
    world = src.world
    assert world is not None
    consts: dict[Var, set[int]] = {}
    odd: set[Var] = set()  # read otherwise: in arithmetic, against another variable, by an effect
    for sf in src.scenes.values():
        conds = [cf.cond for cf in sf.choices] + (sf.input.conds if sf.input else [])
        for c in conds:
            if c is None:
                continue
            odd |= c.complex
            for v, ks in c.compared.items():
                consts.setdefault(v, set()).update(ks)
        effects = [e for cf in sf.choices for b in cf.branches for e in b.effects]
        effects += [e for b in (sf.input.branches if sf.input else []) for e in b.effects]
        effects += sf.on_enter
        for e in effects:
            odd |= {v for v in e.reads if v != e.var}
    # What can still be written from each scene on, where the new value can still be read
    # (a write after the last read changes nothing): a fixpoint back over the scene graph.
    step = {
        sid: [(e.goto, e.writes & _read_at(src, live, e.goto)) for e in out]
        for sid, out in edges.items()
    }
    later: dict[str, set[Var]] = {sid: set() for sid in world.scenes}
    changed = True
    while changed:
        changed = False
        for sid, out in step.items():
            acc = set(later[sid])
            for goto, w in out:
                acc |= w | later[goto]
            if acc != later[sid]:
                later[sid] = acc
                changed = True
    result: dict[str, dict[Var, list[int]]] = {}
    for sid in world.scenes:
        mine: dict[Var, list[int]] = {}
        for v, ks in consts.items():
            if v in odd or v in later[sid] or v[0] not in ("stat", "visits"):
                continue
            dom = values.domain(v)
            if dom is None:
                continue
            cuts = {dom.start} | {k for k in ks if k in dom} | {k + 1 for k in ks if k + 1 in dom}
            mine[v] = sorted(cuts)
        result[sid] = mine
    return result


def _read_at(src: Sources, live: dict[str, set[Var]], sid: str) -> set[Var]:
    """What can still be read on arriving at `sid`: live there, or read by its entry effects."""
    out = set(live[sid])
    for e in src.scenes[sid].on_enter:
        out |= e.reads
    return out


def _known_after(known: set[Var], effects: list[Effect], on_enter: list[Effect]) -> set[Var]:
    """Which variables a step leaves known, from those known before: an effect's result is
    known when everything it reads is. The visit counted on entering is known exactly when it
    was before (`+= 1`), so it changes nothing here."""
    known = set(known)
    for e in [*effects, *on_enter]:
        if e.reads <= known and (e.replaces or e.var in known):
            known.add(e.var)
        else:
            known.discard(e.var)
    return known


# One way on in an expansion (`_Round._expand`): a demand (variables to track before), or
# (move, sure, complete, [(successor's key, tracked values it got as unknown)], left unknown).
_Step = Any


class _Memo:
    """Expansions kept from one round to the next (`_Round.build`), by abstract state and the
    tracking they depend on. Only the last round's are kept: a round's expansions are what
    the next is most likely to meet again, and the memory stays that of two rounds."""

    def __init__(self) -> None:
        self.last: dict[Any, list[_Step]] = {}
        self.now: dict[Any, list[_Step]] = {}
        self._numbers: dict[Any, int] = {}

    def number(self, signature: Any) -> int:
        """A small int for a signature (tuples of tuples, slow to hash at every state)."""
        return self._numbers.setdefault(signature, len(self._numbers))

    def get(self, mkey: Any, expand: Callable[[Key], list[_Step]], key: Key) -> list[_Step]:
        """The last round's expansion, else a new one; kept for the next round either way (a
        round expands each abstract state once, so only the last round's can answer)."""
        got = self.last.get(mkey)
        if got is None:
            got = expand(key)
        self.now[mkey] = got
        return got

    def next_round(self) -> None:
        self.last, self.now = self.now, {}


class _Round:
    """One round: the may graph and the must moves for the variables tracked now."""

    def __init__(
        self,
        src: Sources,
        values: _Values,
        moves: dict[str, list[_Move]],
        tracked: dict[str, tuple[Var, ...]],
        max_states: int,
        pristine: dict[tuple[str, int], frozenset[Var]],
        classes: dict[str, dict[Var, list[int]]],
    ):
        self.src, self.values, self.moves, self.tracked = src, values, moves, tracked
        self.world = values.world
        self.max_states = max_states
        self.getters = {sid: [values.getter(v) for v in vs] for sid, vs in tracked.items()}
        self.index: dict[Key, int] = {}
        self.keys: list[Key] = []
        # node -> must moves' outcomes -> successor nodes (an outcome of a random choice
        # whose successors are all safe is a way out by itself)
        self.must: list[list[list[int]]] = []
        # node -> every move it may take: (the move, sure, successors per outcome, values
        # left unknown)
        self.ways: list[list[tuple[_Move, bool, list[list[int]], frozenset[Var]]]] = []
        self.preds: list[set[int]] = []  # node -> nodes with a may edge to it
        self.taken: set[tuple[str, str]] = set()  # (scene, choice id or "#j") of the may edges
        # Learnt while building: variables to track at a scene, for the next round.
        self.demand: dict[str, set[Var]] = {}
        # node -> [(from node, tracked values it got as unknown from there)]: kept as the
        # expansion gave them, the pairs only made for the few nodes `_refine` looks at
        self.havoc: dict[int, list[tuple[int, tuple[Var, ...]]]] = {}
        self.too_big = False
        self.pristine = pristine
        self.on_enter = {sid: sf.on_enter for sid, sf in src.scenes.items()}
        # per scene: position in its tracked values -> the first value of each class
        self.cuts: dict[str, list[tuple[int, list[int]]]] = {
            sid: [(i, classes[sid][v]) for i, v in enumerate(vs) if v in classes[sid]]
            for sid, vs in tracked.items()
        }

    def node(self, key: Key) -> int:
        n = self.index.get(key)
        if n is None:
            n = self.index[key] = len(self.keys)
            self.keys.append(key)
            self.must.append([])
            self.ways.append([])
            self.preds.append(set())
        return n

    def build(self, memo: _Memo | None = None) -> None:
        """The graphs, breadth first from the new game. `memo` keeps each abstract state's
        expansion between rounds: a round tracks more at a few scenes, and at every other
        scene the same abstract states expand the same way (see `_expand`)."""
        world = self.world
        start = engine.new_game(world, 0)
        first = tuple(self._classed(start.scene, [g(start) for g in self.getters[start.scene]]))
        self.node((start.scene, start.clock, first))
        # What an expansion depends on besides its state: what is tracked at its scene and at
        # each scene it can go to (the successors' keys and what they get as unknown).
        signature: dict[str, Any] = {}
        if memo is not None:
            for sid, mvs in self.moves.items():
                goes = {goto for mv in mvs for _, goto in mv.branches}
                inp = self.src.scenes[sid].input
                if inp is not None:  # a typed amount's move goes where its outcome does
                    goes |= {b.goto for b in inp.branches}
                signature[sid] = memo.number(
                    (self.tracked[sid], *(self.tracked[g] for g in sorted(goes)))
                )
        at = 0
        while at < len(self.keys):
            if len(self.keys) > self.max_states:
                self.too_big = True
                return
            here = at
            key = self.keys[at]
            at += 1
            scene = key[0]
            if world.scenes[scene].ending is not None:
                continue
            if memo is None:
                steps = self._expand(key)
            else:
                steps = memo.get((key, signature[scene]), self._expand, key)
            self._apply(here, scene, steps)

    def _apply(self, here: int, scene: str, steps: list[_Step]) -> None:
        """Add an expansion's ways on from node `here` to the graphs: the nodes it reaches
        (numbered as they are first met), their predecessors, what they got as unknown."""
        for step in steps:
            if type(step) is frozenset:
                self.demand.setdefault(scene, set()).update(step)
                continue
            mv, sure, ok, outcomes, unknown, way = step
            nodes: list[list[int]] = []
            for targets in outcomes:
                succs: list[int] = []
                for key, havoc in targets:
                    n = self.node(key)
                    self.preds[n].add(here)
                    if havoc:
                        self.havoc.setdefault(n, []).append((here, havoc))
                    succs.append(n)
                nodes.append(succs)
            if ok:
                self.taken.add((scene, way))
                self.ways[here].append((mv, sure, nodes, unknown))
                if sure:  # each outcome happens sometimes: any one all safe is a way out
                    self.must[here].extend(nodes)

    def _expand(self, key: Key) -> list[_Step]:
        """Every way on from the abstract state `key`, by the engine's rules, as steps for
        `_apply`: a frozenset of variables to track at this scene before (a demand), or
        (move, sure, whether it is complete, per outcome the successors' keys each with the
        tracked values it got as unknown, what the move left unknown, the way's name as the
        walk counts it: the choice's id or "#j" for outcome j of typed input). Depends only
        on `key` and on what is tracked at this scene and the scenes it goes to, never on
        node numbers, so a later round with the same tracking there can take it as it is."""
        world, values = self.world, self.values
        on_enter = self.on_enter
        scene, clock, vals = key
        out: list[_Step] = []
        mine = self.tracked[scene]
        known0 = {*mine, CLOCK} | self.pristine.get((scene, clock), frozenset())
        s = values.state(scene, clock, mine, vals)
        for mv in self.moves[scene]:
            decided = mv.reads <= known0
            if mv.amount is not None:
                if not decided:  # which outcome is not known: track what it reads
                    out.append(values.trackable(mv.reads))
                    continue
                new = engine.step(world, s, engine.Type(str(mv.amount)))[0]
                j = engine.input_outcome(world, s, mv.amount)
                inp = self.src.scenes[scene].input
                assert inp is not None
                eff, goto = inp.branches[j].effects, inp.branches[j].goto
                known = _known_after(known0 | {("stat", inp.store)}, eff, on_enter[goto])
                targets = self._successors(new, known, out)
                if targets is not None:
                    left = self._unknown(new, known)
                    out.append((mv, True, True, [targets], left, f"#{j}"))
                continue
            if decided:
                cond = world.scenes[scene].choice_by_id[mv.label].cond
                if cond is not None and not cond(s):
                    continue
            else:
                verdict = self._decide(scene, clock, mine, vals, mv, known0)
                if verdict is False:
                    continue
                decided = verdict is True
            if (
                mv.once is not None
                and mv.once in known0
                and s.used & (1 << values.once[mv.once[1]])
            ):
                continue
            sure = decided and (mv.once is None or mv.once in known0)
            after = engine.choice_results(world, s, mv.label)
            reached: list[list[tuple[Key, tuple[Var, ...]]]] = []  # per outcome
            unknown: set[Var] = set()
            ok = True
            for new, (eff, goto) in zip(after, mv.branches, strict=True):
                start_known = known0 | ({mv.once} if mv.once else set())
                known = _known_after(start_known, eff, on_enter[goto])
                got = self._successors(new, known, out)
                if got is None:
                    ok = False
                    continue
                reached.append(got)
                unknown |= self._unknown(new, known)
            out.append((mv, sure, ok, reached, frozenset(unknown), mv.label))
        return out

    def _decide(
        self,
        scene: str,
        clock: int,
        mine: tuple[Var, ...],
        vals: tuple[int, ...],
        mv: _Move,
        known: set[Var],
    ) -> bool | None:
        """Whether a choice's condition holds whatever the values it reads that are not
        tracked here (True), fails whatever they are (False), or depends on them (None):
        `not any_offer or compute < 4` holds with no offer, whatever the compute. Tried in
        every value of their ranges, when there are few enough."""
        # The same abstract states come back round after round: answered once.
        key = (scene, clock, mine, vals, mv.label)
        cache = self.values.decided
        if key not in cache:
            cache[key] = self._decide_now((scene, clock, mine, vals), mv, known)
        return cache[key]

    def _decide_now(self, at: _At, mv: _Move, known: set[Var]) -> bool | None:
        scene, clock, mine, vals = at
        unknown = sorted(mv.reads - known)
        ranges = []
        size = 1
        for v in unknown:
            dom = self.values.domain(v)
            if dom is None:
                return None
            size *= len(dom)
            ranges.append(dom)
        if size > DECIDE:
            return None
        cond = self.world.scenes[scene].choice_by_id[mv.label].cond
        assert cond is not None
        seen = set()
        names = (*mine, *unknown)
        for combo in itertools.product(*ranges):
            seen.add(bool(cond(self.values.state(scene, clock, names, (*vals, *combo)))))
            if len(seen) > 1:
                return None
        return seen.pop()

    def _classed(self, scene: str, vals: list[int]) -> list[int]:
        for i, cuts in self.cuts[scene]:
            x = vals[i]
            vals[i] = max((c for c in cuts if c <= x), default=cuts[0])
        return vals

    def _unknown(self, new: State, known: set[Var]) -> frozenset[Var]:
        return frozenset(v for v in self.tracked[new.scene] if v not in known)

    def _successors(
        self, new: State, known: set[Var], out: list[_Step]
    ) -> list[tuple[Key, tuple[Var, ...]]] | None:
        """The abstract states `new` stands for at its scene, every unknown tracked value
        tried in its whole range, each with the tracked values it got as unknown; None (and a
        demand in `out` to track more before) when a range is too wide to try."""
        target = new.scene
        tracked = self.tracked[target]
        vals = self._classed(target, [g(new) for g in self.getters[target]])
        cuts = dict(self.cuts[target])
        unknown = [i for i, v in enumerate(tracked) if v not in known]
        if not unknown:
            return [((target, new.clock, tuple(vals)), ())]
        ranges: list[Sequence[int]] = []
        size = 1
        for i in unknown:
            dom = cuts.get(i) or self.values.domain(tracked[i])
            if dom is None:
                size = HAVOC + 1
                break
            size *= len(dom)
            ranges.append(dom)
        if size > HAVOC:  # too many to try: know them before instead
            out.append(frozenset(tracked[i] for i in unknown))
            return None
        got = tuple(tracked[i] for i in unknown)
        reached = []
        for combo in itertools.product(*ranges):
            for i, x in zip(unknown, combo, strict=True):
                vals[i] = x
            reached.append(((target, new.clock, tuple(vals)), got))
        return reached

    def safe(self) -> list[bool]:
        """Least fixpoint: endings, then every state with a must move's outcome all of whose
        successors are safe."""
        world = self.world
        n = len(self.keys)
        safe = [world.scenes[k[0]].ending is not None for k in self.keys]
        # (node, move) waiting on how many successors; successor -> moves waiting on it
        left: list[int] = []
        owner: list[int] = []
        waiting: list[list[int]] = [[] for _ in range(n)]
        todo = [x for x in range(n) if safe[x]]
        for x in range(n):
            for succ in self.must[x]:
                m = len(left)
                distinct = set(succ)
                left.append(len(distinct))
                owner.append(x)
                for y in distinct:
                    waiting[y].append(m)
                if not distinct and not safe[x]:
                    safe[x] = True
                    todo.append(x)
        while todo:
            y = todo.pop()
            for m in waiting[y]:
                left[m] -= 1
                if left[m] == 0:
                    x = owner[m]
                    if not safe[x]:
                        safe[x] = True
                        todo.append(x)
        return safe


@collector.pausing  # a round keeps a million small objects to its end
def prove(
    src: Sources,
    max_states: int = DEFAULT_MAX_ABSTRACT,
    rounds: int = DEFAULT_ROUNDS,
    progress: Callable[[int, int, int], None] | None = None,
    start: Mapping[str, Iterable[Var]] | None = None,
    aim: Collection[tuple[str, str | None]] = (),
    seconds: float | None = None,
) -> Proof:
    """Try to prove that no softlock is possible (see the module's text). `progress` is told
    each round's number, abstract states and states not shown safe (-1: more to track).

    `aim`: scenes (scene, None) and ways on (scene, choice id or "#j") that nothing has
    played yet. Once the proof holds, it goes on tracking more where that can show them out
    of reach (the may graph no longer taking them), for as long as that holds and adds
    something; the answer is the last round that held.

    `seconds`: no round starts after this long (the answer is then the last round that held,
    or the proof gives up).

    `start`: what to track from the first round (an earlier proof's `learnt`, perhaps of an
    older version of the world), so a proof run again needs one round, not a dozen. What is
    tracked only decides how precise the rounds are, never whether their answer is sound, so
    any start is safe to take; one that makes the proof give up (too many abstract states)
    is dropped and the proof starts again without it."""
    t0 = time.perf_counter()
    deadline = None if seconds is None else t0 + seconds
    if start:
        got = _prove(src, max_states, rounds, progress, start, aim, deadline)
        if got.proven:
            got.seconds = time.perf_counter() - t0
            return got
    got = _prove(src, max_states, rounds, progress, None, aim, deadline)
    got.seconds = time.perf_counter() - t0
    return got


def _prove(
    src: Sources,
    max_states: int,
    rounds: int,
    progress: Callable[[int, int, int], None] | None,
    start: Mapping[str, Iterable[Var]] | None,
    aim: Collection[tuple[str, str | None]] = (),
    deadline: float | None = None,
) -> Proof:
    world = src.world
    assert world is not None
    t0 = time.perf_counter()
    flow = liveness(src)
    values = _Values(src, flow)
    moves = _moves(src)
    tracked: dict[str, set[Var]] = {sid: set() for sid in world.scenes}
    # An input scene's outcome is always worked out (the typed amount is the player's).
    for sid, mvs in moves.items():
        for mv in mvs:
            if mv.amount is not None:
                tracked[sid] |= values.trackable(mv.reads)
    taken = 0
    for sid, vs in (start or {}).items():
        if sid in tracked:
            for v in vs:
                if _trackable(values, v) and v not in tracked[sid]:
                    tracked[sid].add(v)
                    taken += 1

    held: Proof | None = None  # the last round that held, while aiming (see `prove`)

    def give_up(rd: _Round, r: int, why: str, unsafe: list[tuple[str, int]]) -> Proof:
        if held is not None:
            return held
        size = sum(len(v) for v in tracked.values())
        took = time.perf_counter() - t0
        return Proof(False, len(rd.keys), r, took, size, unsafe, why, started_from=taken)

    # What does not depend on what is tracked, worked out once.
    edges = _edges(src, moves)
    pristine = _pristine(src, edges, values)
    classes = _classes(src, edges, values, flow.live)
    rd: _Round | None = None
    memo = _Memo()
    for r in range(1, rounds + 1):
        if deadline is not None and rd is not None and time.perf_counter() > deadline:
            return give_up(rd, r - 1, "out of time", [])
        order = {sid: tuple(sorted(vs)) for sid, vs in tracked.items()}
        rd = _Round(src, values, moves, order, max_states, pristine, classes)
        rd.build(memo)
        memo.next_round()
        if rd.too_big:
            return give_up(rd, r, f"more than {max_states:,} abstract states", [])
        if rd.demand:
            # Some step's results were too many to try (and left out of this round's graphs,
            # so this round proves nothing): track what they need before them, and go again.
            grew = False
            for sid, vs in rd.demand.items():
                if not vs <= tracked[sid]:
                    tracked[sid] |= vs
                    grew = True
            if not grew:
                return give_up(rd, r, "a step's results could not be told apart", [])
            if progress is not None:
                progress(r, len(rd.keys), -1)
            continue
        safe = rd.safe()
        bad = [x for x, ok in enumerate(safe) if not ok]
        if progress is not None:
            progress(r, len(rd.keys), len(bad))
        if not bad:
            size = sum(len(v) for v in order.values())
            learnt = {sid: list(vs) for sid, vs in order.items() if vs}
            took = time.perf_counter() - t0
            held = Proof(
                True,
                len(rd.keys),
                r,
                took,
                size,
                learnt=learnt,
                started_from=taken,
                scenes=frozenset(k[0] for k in rd.keys),
                taken=frozenset(rd.taken),
            )
            left = [a for a in aim if (a in held.taken if a[1] else a[0] in held.scenes)]
            if not left or not _toward(rd, left, tracked):
                return held
            continue
        if not _refine(rd, safe, bad, tracked):
            unsafe = sorted({(rd.keys[x][0], rd.keys[x][1]) for x in bad})
            return give_up(rd, r, "nothing left to track that could show the rest safe", unsafe)
    assert rd is not None
    return give_up(rd, rounds, f"{rounds} rounds", [])


def _trackable(values: _Values, v: Any) -> bool:
    """Whether `v` is a variable of this world that a round can track (a start may name
    anything: it may come from an older world, or from a damaged file)."""
    if type(v) is not tuple or len(v) != 2 or not all(type(x) is str for x in v):
        return False
    try:
        values.getter(v)
    except (KeyError, ValueError):
        return False
    return values.domain(v) is not None


class _Offers:
    """Variables to track more of, each offer a kind (lower first), at a scene; `take` adds
    the first kind offered and in it the cheapest (fewest values to tell apart), with those
    up to SPREAD times dearer."""

    def __init__(self, rd: _Round, tracked: dict[str, set[Var]]):
        self.rd, self.tracked = rd, tracked
        self.found: list[tuple[int, int, str, set[Var]]] = []
        self._feeds: dict[str, dict[Var, set[Var]]] = {}

    def offer(self, kind: int, scene: str, want: set[Var]) -> None:
        want = want - self.tracked[scene]
        if want:
            n = 1
            for v in want:
                dom = self.rd.values.domain(v)
                n *= len(dom) if dom is not None else 1 << 20
            self.found.append((kind, n, scene, want))

    def unknown_from(self, kind: int, x: int, v: Var) -> None:
        """`v`, at the scene of node `x`, where a step left it unknown; and what the step's
        effects on it read there (`energy += fame` leaves energy unknown while fame is)."""
        scene = self.rd.keys[x][0]
        feeds = self._feeds.get(scene)
        if feeds is None:
            feeds = self._feeds[scene] = {}
            rd = self.rd
            ways = [b for mv in rd.moves[scene] for b in mv.branches]
            inp = rd.src.scenes[scene].input
            ways += [(b.effects, b.goto) for b in inp.branches] if inp is not None else []
            for eff, goto in ways:
                for e in [*eff, *rd.on_enter[goto]]:
                    feeds.setdefault(e.var, set()).update(rd.values.trackable(e.reads - {e.var}))
        self.offer(kind, scene, {v} | feeds.get(v, set()))

    def decides(self, scene: str, mv: _Move, kind: int = 1) -> None:
        """What decides whether `mv` can be taken, at its scene."""
        want = set(self.rd.values.trackable(mv.reads)) | ({mv.once} if mv.once else set())
        self.offer(kind, scene, want)

    def back_to_start(self, kind: int, nodes: Iterable[int]) -> None:
        """On every way back from `nodes` to the start: what decides the ways there that may
        not exist, and the values got as unknown."""
        rd = self.rd
        back = set(nodes)
        edge = set(back)
        while edge:
            edge = {x for y in edge for x in rd.preds[y]} - back
            back |= edge
        for y in back:
            for x in rd.preds[y]:
                for mv, sure, outcomes, _unknown in rd.ways[x]:
                    if not sure and any(y in succ for succ in outcomes):
                        self.decides(rd.keys[x][0], mv, kind)
            for x, v in {(x, v) for x, got in rd.havoc.get(y, ()) for v in got}:
                self.unknown_from(kind, x, v)

    def take(self) -> bool:
        if not self.found:
            return False
        best = min((kind, c) for kind, c, _, _ in self.found)
        for kind, c, scene, want in self.found:
            if kind == best[0] and c <= best[1] * SPREAD:
                self.tracked[scene] |= want
        return True


def _refine(rd: _Round, safe: list[bool], bad: list[int], tracked: dict[str, set[Var]]) -> bool:
    """Track more where it can make an unsafe abstract state safe, or show it cannot happen:
    0. where a move's successors are safe for some of the values it left unknown: those
       values, at the move's scene (known before it, only the real ones remain);
    1. where a move it may take (undecided) leads only to safe states, or a move that may
       not exist leads into an unsafe state: what decides the move, at its scene;
    2. else, where the unsafe state or one a few steps before it got values unknown: those
       values, where they became unknown, and what the effects that changed them read there
       (only values that cannot happen may be the trouble);
    3. else, the same two, 1 and 2, anywhere on the way back from it to the start.
    Of these, the first kind found and in it the cheapest (fewest values to tell apart) are
    taken each round: a loop's way out by a visit count before one by six flags and a stat,
    and unsafe states nearer the endings before the states that lead to them."""
    offers = _Offers(rd, tracked)
    for x in bad:
        scene = rd.keys[x][0]
        for mv, sure, outcomes, unknown in rd.ways[x]:
            if unknown and any(safe[y] for succ in outcomes for y in succ):
                offers.offer(0, scene, set(unknown))
            elif not sure and any(succ and all(safe[y] for y in succ) for succ in outcomes):
                offers.decides(scene, mv)
    for y in bad:
        for x in rd.preds[y]:
            for mv, sure, outcomes, _unknown in rd.ways[x]:
                if not sure and any(y in succ for succ in outcomes):
                    offers.decides(rd.keys[x][0], mv)
    back: set[int] = set(bad)
    edge = set(bad)
    for _ in range(HOPS):
        edge = {x for y in edge for x in rd.preds[y]} - back
        back |= edge
    for y in back:
        for x, v in {(x, v) for x, got in rd.havoc.get(y, ()) for v in got}:
            offers.unknown_from(2, x, v)
    if not offers.found:
        # Last, the whole way back to the start (a scene two choices off the start reached
        # only by a choice whose condition nothing tracked yet), ways and values alike.
        offers.back_to_start(3, bad)
    return offers.take()


def _toward(rd: _Round, left: list[tuple[str, str | None]], tracked: dict[str, set[Var]]) -> bool:
    """Track more where it can show the scenes and ways on in `left` out of reach: what
    decides such a way at its scene, else what `back_to_start` offers from the abstract
    states at their scenes."""
    offers = _Offers(rd, tracked)
    scenes = {s for s, _ in left}
    ways = {(s, w) for s, w in left if w is not None}
    here = [x for x, k in enumerate(rd.keys) if k[0] in scenes]
    for x in here:
        scene = rd.keys[x][0]
        for mv, sure, _outcomes, _unknown in rd.ways[x]:
            if not sure and (scene, mv.label) in ways:
                offers.decides(scene, mv)
    if not offers.found:
        offers.back_to_start(1, here)
    return offers.take()

"""The breadth-first walk over a world's states, memoised by the abstraction's keys, so each
state is expanded once and the first path found to any state is a shortest one. Every choice
that is available is taken; a random choice is followed down every outcome (`engine.expand`);
a typed-input scene gets one representative amount (`tools.amounts`) per outcome that can
happen and state it leads to (the amount kept may be read later).

The walk goes level by level (all states at distance d, then d + 1). In one process it takes
the shortcut of `keysteps` (a successor's key from its parent's, the engine asked only what
the shortcut's tables cannot answer yet). Without it (`--full-keys`) and with `jobs` > 1 the
states of a level are shared out to worker processes, which play them through the engine and
send back each successor's key (and the successor itself, the first time they meet a key not
walked before); the main process numbers the new states in the order the one-process walk
would, so the graph, and so every finding and shortest path, is the same whatever `jobs` is."""

from __future__ import annotations

import multiprocessing
import os
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from neuripsquest.core import engine
from neuripsquest.core.state import State
from neuripsquest.core.world import Scene, World
from neuripsquest.records import Record
from neuripsquest.tools.amounts import amounts
from neuripsquest.tools.explore.abstraction import analysed, key_functions
from neuripsquest.tools.explore.keysteps import KeySteps
from neuripsquest.tools.facts import Sources

DEFAULT_MAX_STATES = 200_000


class Action(Record):
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


def ways(scene: Scene) -> list[str]:
    """The ways on from a scene as `Graph.taken` counts them: its choice ids, and "#j" for
    outcome j of its typed input."""
    keys = [c.id for c in scene.choices]
    if scene.input is not None:
        keys += [f"#{j}" for j in range(len(scene.input.outcomes))]
    return keys


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


Successors = Callable[[State], list[tuple[int, int, State]]]
# What a level's walk gives back for each state: (action code, key, successor), the
# successor None where a worker knew the key was walked before, and (scene, ticket) for one a
# worker keeps.
Row = list[tuple[int, int, Any]]


# States a worker walks before sending their rows on.
PIECE = 512
# Levels are walked in the main process until one has this many states: sharing out a small
# level costs more than it saves. From then on the workers hold the states.
SMALL_LEVEL = 1024


def default_jobs() -> int:
    return os.cpu_count() or 1


class Walker:
    """Breadth-first walks over one world's states, memoised by the reduced keys."""

    def __init__(self, src: Sources, exact: bool = False):
        world = src.world
        assert world is not None
        self.src = src
        self.world = world
        lays, every = analysed(src, exact)
        self.keyfn = key_functions(world, lays, every)
        self.inputs = {
            sid: amounts(src, sid) for sid, sc in world.scenes.items() if sc.input is not None
        }
        # Every action a walk can record, numbered once per world, so that a worker process
        # and the main process name an action by the same number.
        self.actions: list[Action] = []
        self.offers: list[tuple[str, str] | None] = []  # code -> what `taken` counts it as
        self.base: dict[str, dict[str, int]] = {}  # scene -> choice id -> its first code
        self.typed: dict[str, dict[tuple[int, int], int]] = {}  # (amount, outcome) -> code
        for sid, sc in world.scenes.items():
            if sc.input is not None:
                tab = self.typed[sid] = {}
                for a in self.inputs[sid]:
                    for j in range(len(sc.input.outcomes)):
                        tab[a, j] = self._add(Action(sid, "type", "", j, a), (sid, f"#{j}"))
                continue
            first = self.base[sid] = {}
            for ch in sc.choices:
                if ch.goto is not None:
                    first[ch.id] = self._add(Action(sid, "choose", ch.id, -1), (sid, ch.id))
                    continue
                first[ch.id] = len(self.actions)
                for k in range(len(ch.outcomes)):
                    self._add(Action(sid, "choose", ch.id, k), None if k else (sid, ch.id))
        # The one-process walk's shortcut (keysteps.py); None: every state through the engine.
        self.steps: KeySteps | None = None
        if not exact:
            try:
                self.steps = KeySteps(src, lays, every, self.base)
            except ValueError:  # a value the shortcut does not know: the engine does it all
                pass

    def _add(self, act: Action, offer: tuple[str, str] | None) -> int:
        self.actions.append(act)
        self.offers.append(offer)
        return len(self.actions) - 1

    def successors(self) -> Successors:
        """A function giving every way on from a state as (action code, key, state after). A
        closure over locals, since it runs once for every state walked."""
        world, base, typed, inputs, keyfn = (
            self.world,
            self.base,
            self.typed,
            self.inputs,
            self.keyfn,
        )
        expand, step, input_outcome, Type = (
            engine.expand,
            engine.step,
            engine.input_outcome,
            engine.Type,
        )
        new_state = tuple.__new__

        def successors(s: State) -> list[tuple[int, int, State]]:
            sid = s.scene
            first = base.get(sid)
            if first is not None:
                return [
                    (first[cid] + k if k >= 0 else first[cid], keyfn[new[0]](new), new)
                    for cid, k, new in expand(world, s)
                ]
            codes = typed[sid]
            out: list[tuple[int, int, State]] = []
            # Amounts that take the same outcome differ in the amount kept, which a later
            # condition may read (`cash > 0` after typing 0 or 499): one per outcome and key.
            seen: set[tuple[int, int]] = set()
            for a in inputs[sid]:
                j = input_outcome(world, s, a)
                new = step(world, s, Type(str(a)))[0]
                # As engine.expand gives them: no undo history, the trail as it was.
                new = new_state(State, (*new[:10], s.trail, ()))
                k = keyfn[new[0]](new)
                if (j, k) not in seen:
                    seen.add((j, k))
                    out.append((codes[a, j], k, new))
            return out

        return successors

    def walk(
        self,
        max_states: int = DEFAULT_MAX_STATES,
        start: State | None = None,
        jobs: int = 1,
        big: Callable[[], None] | None = None,
    ) -> Graph:
        """Every state reachable from `start` (the new game's by default), up to `max_states`.
        A state kept out by the bound marks the state it came from `incomplete`. `jobs` > 1
        shares each level out to that many worker processes when the walk goes through the
        engine alone (no shortcut); the graph is the same. `big` is called once, at the end
        of the first level that takes the walk past a tenth of its bound."""
        # One piece, with the graph's arrays in locals: its loop runs for every successor of
        # every state, up to millions of times.
        world, keyfn = self.world, self.keyfn
        t0 = time.perf_counter()
        names = list(world.scenes)
        number = {sid: i for i, sid in enumerate(names)}
        successors = self.successors()
        new_state = tuple.__new__
        if start is None:
            start = engine.new_game(world, 0)
        # States are kept without their undo history and trail, which the key never reads.
        start = new_state(State, (*start[:10], (), ()))
        index: dict[int, int] = {keyfn[start.scene](start): 0}
        scene_of = array("H", [number[start.scene]])
        parent = array("i", [-1])
        via = array("i", [-1])
        incomplete = array("B", [0])
        eoff = array("I", [0])
        etgt = array("I")
        counts = [0] * len(self.actions)
        bound_hit = False

        # Workers only for a walk through the engine alone: with the shortcut, what is left
        # of a state's cost is the numbering this process does whatever the workers do.
        steps = self.steps
        parallel = jobs > 1 and can_fork() and steps is None
        if steps is not None:
            steps.clear()
            graph = (scene_of, parent, via, incomplete, eoff, etgt, counts)
            bound_hit = self._walk_keys(steps, start, index, graph, max_states, big)
            return self._graph(names, graph, bound_hit, time.perf_counter() - t0)
        pool: _Pool | None = None  # from the first level worth sharing out, to the end
        # The states of the next level: States in this process; with workers, (scene,
        # ticket) for a state a worker holds.
        frontier: list[Any] = [start]
        added = [*index]  # keys numbered since the workers last heard
        node = 0
        try:
            while frontier:
                if pool is None and parallel and len(frontier) >= SMALL_LEVEL:
                    pool = _Pool(self, jobs)
                if pool is not None:
                    rows: Iterable[Row] = pool.level(frontier, added)
                    added = []
                else:
                    rows = map(successors, frontier)
                nxt: list[Any] = []
                for row in rows:
                    for code, k, new in row:
                        counts[code] += 1
                        target = index.get(k)
                        if target is None:
                            if len(scene_of) >= max_states:
                                bound_hit = True
                                incomplete[node] = 1
                                continue
                            # A key not numbered yet comes with its state (or a worker's
                            # ticket for it): the first time a worker meets a key it had not
                            # heard of, it keeps the state and sends a ticket.
                            assert new is not None
                            target = len(scene_of)
                            index[k] = target
                            if parallel:
                                added.append(k)
                            scene_of.append(number[new[0]])
                            parent.append(node)
                            via.append(code)
                            incomplete.append(0)
                            nxt.append(new)
                        etgt.append(target)
                    eoff.append(len(etgt))
                    node += 1
                frontier = nxt
                if big is not None and len(scene_of) * 10 > max_states:
                    big()
                    big = None
        finally:
            if pool is not None:
                pool.close()
        graph = (scene_of, parent, via, incomplete, eoff, etgt, counts)
        return self._graph(names, graph, bound_hit, time.perf_counter() - t0)

    def _walk_keys(
        self,
        steps: KeySteps,
        start: State,
        index: dict[int, int],
        graph: tuple[array, array, array, array, array, array, list[int]],
        max_states: int,
        big: Callable[[], None] | None,
    ) -> bool:
        """The one-process walk with the shortcut: the same graph as the walk through the
        engine, built into `graph`'s arrays; whether the bound was hit. A state the shortcut
        answers for is kept as a recipe (keysteps.Recipe) and built only if it is needed."""
        scene_of, parent, via, incomplete, eoff, etgt, counts = graph
        row_of, learn, build, successors = steps.row, steps.learn, steps.build, self.successors()
        bound_hit = False
        frontier: list[tuple[int, Any]] = [(next(iter(index)), [start, None, -1])]
        scene_bits = steps.scene_bits
        node = 0
        while frontier:
            nxt: list[tuple[int, Any]] = []
            for key, recipe in frontier:
                row = row_of(key)
                made = None
                if row is None:  # the engine's turn: the plain walk's step, and learn from it
                    found = successors(recipe[0] or build(recipe))
                    learn(key, found)
                    row = [(code, k) for code, k, _ in found]
                    made = {code: new for code, _, new in found}
                for code, k in row:
                    counts[code] += 1
                    target = index.get(k)
                    if target is None:
                        if len(scene_of) >= max_states:
                            bound_hit = True
                            incomplete[node] = 1
                            continue
                        target = len(scene_of)
                        index[k] = target
                        scene_of.append(k & scene_bits)
                        parent.append(node)
                        via.append(code)
                        incomplete.append(0)
                        if made is None:
                            nxt.append((k, [None, recipe, code]))
                        else:
                            nxt.append((k, [made[code], None, code]))
                    etgt.append(target)
                eoff.append(len(etgt))
                node += 1
            frontier = nxt
            if big is not None and len(scene_of) * 10 > max_states:
                big()
                big = None
        return bound_hit

    def _graph(
        self,
        names: list[str],
        graph: tuple[array, array, array, array, array, array, list[int]],
        bound_hit: bool,
        seconds: float,
    ) -> Graph:
        scene_of, parent, via, incomplete, eoff, etgt, counts = graph
        taken: dict[tuple[str, str], int] = {}
        for code, n in enumerate(counts):
            offer = self.offers[code]
            if n and offer is not None:
                taken[offer] = taken.get(offer, 0) + n
        return Graph(
            self.world,
            names,
            scene_of,
            parent,
            via,
            eoff,
            etgt,
            self.actions,
            incomplete,
            bound_hit,
            seconds,
            taken,
        )


def can_fork() -> bool:
    # The workers inherit the compiled world (closures, which cannot be pickled) by forking.
    return "fork" in multiprocessing.get_all_start_methods()


class _Pool:
    """Worker processes. Each keeps the states it found that became new states of the walk,
    and walks them at the next level, so a state crosses between processes only when the
    levels' shares are evened out; and each keeps the keys walked so far, so that it sends
    back a ticket only for a successor that may be new."""

    def __init__(self, walker: Walker, jobs: int):
        ctx = multiprocessing.get_context("fork")
        self.conns: list[Connection] = []
        self.procs: list[Any] = []
        for me in range(jobs):
            mine, theirs = ctx.Pipe()
            proc = ctx.Process(target=_serve, args=(walker, theirs, me, jobs), daemon=True)
            proc.start()
            theirs.close()
            self.conns.append(mine)
            self.procs.append(proc)

    def level(self, frontier: list[Any], added: list[int]) -> Iterator[Row]:
        """The rows of a level's states, in the frontier's order. Each worker walks its
        states in that order too, so the first time the main process meets a key not
        numbered yet, it is the first time the worker that sent it met it, and it comes with
        a ticket."""
        jobs = len(self.conns)
        share = -(-len(frontier) // jobs)
        load = [0] * jobs
        give: list[list[int]] = [[] for _ in range(jobs)]  # tickets a worker hands over
        # position -> (worker, its ticket) when it keeps the state, else (-1, where from)
        plan: list[tuple[int, Any]] = []
        for item in frontier:
            if len(item) == 2:  # (scene, ticket)
                ticket, w = divmod(item[1], jobs)
                if load[w] < share:
                    load[w] += 1
                    plan.append((w, ticket))
                    continue
                plan.append((-1, (w, len(give[w]))))
                give[w].append(ticket)
            else:
                plan.append((-1, item[:10]))  # a State this process walked to
        # The states over a worker's share go to those under theirs, in order.
        order: list[list[int]] = [[] for _ in range(jobs)]  # ticket, or -1 - j: j-th sent
        sent: list[list[Any]] = [[] for _ in range(jobs)]
        owner = array("H")  # position -> the worker walking it
        w = 0
        for keeper, what in plan:
            if keeper < 0:
                while load[w] >= share:
                    w += 1
                load[w] += 1
                order[w].append(-1 - len(sent[w]))
                sent[w].append(what)
                keeper = w
            else:
                order[keeper].append(what)
            owner.append(keeper)
        for w, conn in enumerate(self.conns):
            conn.send((added, order[w], give[w], len(sent[w])))
        given = [_recv(conn) if give[w] else [] for w, conn in enumerate(self.conns)]
        for w, conn in enumerate(self.conns):
            if sent[w]:
                conn.send([o if len(o) == 10 else given[o[0]][o[1]] for o in sent[w]])
        # The workers send their rows in pieces as they go, and this process numbers the
        # states of the first pieces while the workers walk on.
        streams = [_rows(conn, len(order[w])) for w, conn in enumerate(self.conns)]
        for w in owner:
            yield next(streams[w])

    def close(self) -> None:
        for conn in self.conns:
            try:
                conn.send(None)
            except OSError:
                pass  # that worker is gone already
            conn.close()
        for proc in self.procs:
            proc.join(5)
            if proc.is_alive():
                proc.kill()


def _rows(conn: Connection, states: int) -> Iterator[Row]:
    """A worker's rows for `states` states, read piece by piece."""
    while states:
        lens, codes, keys, found = _recv(conn)
        at = 0
        for n in lens:
            yield list(zip(codes[at : at + n], keys[at : at + n], found[at : at + n], strict=True))
            at += n
        states -= len(lens)


def _recv(conn: Connection) -> Any:
    got = conn.recv()
    if isinstance(got, str):
        raise RuntimeError(f"an explore worker failed: {got}")
    return got


def _serve(walker: Walker, conn: Connection, me: int, jobs: int) -> None:
    """Worker `me` of `jobs`: walk the states it is told to keep and those it is sent, level
    by level, until it is sent None. States go between processes as plain tuples without the
    (empty) trail and history: a NamedTuple pickles through Python code, two to three times
    slower."""
    successors = walker.successors()
    new_state = tuple.__new__
    seen: set[int] = set()
    found: list[State] = []  # this level's successors not seen before, by ticket // jobs
    try:
        while True:
            msg = conn.recv()
            if msg is None:
                return
            added, order, give, incoming = msg
            seen.update(added)
            if give:
                conn.send([found[c][:10] for c in give])
            got = [new_state(State, (*t, (), ())) for t in conn.recv()] if incoming else []
            states = [found[c] if c >= 0 else got[-1 - c] for c in order]
            found = []
            # Rows go back flat (lengths, codes, keys, tickets), PIECE states at a time.
            for at in range(0, len(states), PIECE):
                lens, codes, keys = array("I"), array("i"), []
                tickets: list[tuple[str, int] | None] = []
                for s in states[at : at + PIECE]:
                    row = successors(s)
                    lens.append(len(row))
                    for code, k, new in row:
                        codes.append(code)
                        keys.append(k)
                        if k in seen:
                            tickets.append(None)
                        else:
                            seen.add(k)
                            tickets.append((new[0], len(found) * jobs + me))
                            found.append(new)
                conn.send((lens, codes, keys, tickets))
    except Exception as exc:  # noqa: BLE001  # told to the main process, which raises it
        conn.send(f"{type(exc).__name__}: {exc}")
    finally:
        conn.close()

"""The breadth-first walk over a world's states, memoised by the abstraction's keys, so each
state is expanded once and the first path found to any state is a shortest one. Every choice
that is available is taken; a random choice is followed down every outcome
(`engine.step_outcomes`); a typed-input scene gets one representative amount per outcome that
can happen (`tools.amounts`)."""

from __future__ import annotations

import time
from array import array
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from neuripsquest.core import engine
from neuripsquest.core.state import State
from neuripsquest.core.world import Scene, World
from neuripsquest.tools.amounts import amounts
from neuripsquest.tools.explore.abstraction import key_functions, layouts
from neuripsquest.tools.facts import Sources

DEFAULT_MAX_STATES = 200_000


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
        """Every state reachable from `start` (the new game's by default), up to `max_states`.
        A state kept out by the bound marks the state it came from `incomplete`."""
        # One piece, with the graph's arrays in locals: its loop runs for every successor of
        # every state, up to millions of times.
        world, keyfn = self.world, self.keyfn
        t0 = time.perf_counter()
        names = list(world.scenes)
        number = {sid: i for i, sid in enumerate(names)}
        new_state = tuple.__new__
        taken: dict[tuple[str, str], int] = {}
        successors = self._successors(taken)

        index: dict[int, int] = {}
        scene_of = array("H")
        parent = array("i")
        via = array("i")
        incomplete = array("B")
        eoff = array("I", [0])
        etgt = array("I")
        actions: list[Action] = []
        action_code: dict[Action, int] = {}

        if start is None:
            start = engine.new_game(world, 0)
        # States are kept without their undo history and trail, which the key never reads.
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
            for act, new in successors(s):
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
        seconds = time.perf_counter() - t0
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
            seconds,
            taken,
        )

    def _successors(
        self, taken: dict[tuple[str, str], int]
    ) -> Callable[[State], list[tuple[Action, State]]]:
        """A function giving every way on from a state, and counting each choice and input
        outcome in `taken` as it is offered. A closure over locals, since it runs once for every
        state walked."""
        world, scenes, inputs = self.world, self.world.scenes, self.inputs
        step_outcomes, step, input_outcome = (
            engine.step_outcomes,
            engine.step,
            engine.input_outcome,
        )
        Type = engine.Type

        def successors(s: State) -> list[tuple[Action, State]]:
            sid = s.scene
            sc = scenes[sid]
            succ: list[tuple[Action, State]] = []
            if sc.ending is not None:
                return succ
            if sc.input is None:
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
                return succ
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
            return succ

        return successors

"""The oracle baseline: it knows the game, and plays the shortest winning path it can find.

The whole state space is far too large to search breadth-first from the start (the explorer's
walk fills its 200,000-state bound by depth 14, and endings lie 30 and more steps in), so the
oracle does not prove a path shortest. It starts from every winning path it knows (the
reference walkthroughs, and paths it found for other seeds), each replayed with the episode's
own seed, and cuts them short: from each state on the path a breadth-first search through
`core/engine` of up to `DEPTH` steps looks for a state the explorer's abstraction
(`tools/explore`) cannot tell from one further along, or for a goal ending, and splices in the
shortcut. The result is the shortest of those paths, with no detour of up to `DEPTH` steps left
in it; every splice is replayed before it is kept, so a path is always a real one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from neuripsquest.agents import game
from neuripsquest.agents.walkthroughs import Reference
from neuripsquest.core import engine
from neuripsquest.core.state import State
from neuripsquest.core.world import World

DEPTH = 5  # steps of a shortcut search
NODES = 1000  # states one shortcut search may visit

Key = Callable[[State], object]


class Oracle:
    def __init__(self, world: World, key: Key, references: list[Reference]):
        self.world = world
        self.key = key  # two states with one key have the same futures
        self.known: list[tuple[int, ...]] = [r.actions for r in references]
        self.found: dict[frozenset[str], list[tuple[int, ...]]] = {}  # per goal, shortest first

    def plan(self, goal: frozenset[str], seed: int) -> tuple[int, ...] | None:
        """The shortest winning path found for a game with `seed`, as action numbers. A path
        found for an earlier seed that wins with this one too is taken as it is: cutting
        costs a search at every step, and the paths differ only where a random draw does."""
        start = engine.new_game(self.world, seed)
        for found in self.found.get(goal, []):
            if self._replay(start, found, goal) is not None:
                return found
        best: tuple[int, ...] | None = None
        for known in sorted(set(self.known), key=len):
            states = self._replay(start, known, goal)
            if states is None:
                continue
            path = self._shorten(list(known), states, goal)
            if best is None or len(path) < len(best):
                best = tuple(path)
        if best is not None:
            self.found.setdefault(goal, []).append(best)
            self.found[goal].sort(key=len)
        return best

    def _replay(
        self, start: State, actions: tuple[int, ...] | list[int], goal: frozenset[str]
    ) -> list[State] | None:
        """The states along `actions` from `start`, or None when it does not end in `goal`."""
        states = [start]
        s = start
        for k in actions:
            if game.ending(self.world, s) is not None:
                return None
            s, _, taken = game.act(self.world, s, k)
            if not taken:
                return None
            states.append(s)
        return states if game.ending(self.world, s) in goal else None

    def _shorten(self, path: list[int], states: list[State], goal: frozenset[str]) -> list[int]:
        i = 0
        while i < len(path):
            cut = self._shortcut(states, i, goal)
            if cut is None:
                i += 1
                continue
            j, detour = cut
            candidate = path[:i] + detour + path[j:]
            replayed = self._replay(states[0], candidate, goal)
            if replayed is None or len(candidate) >= len(path):
                i += 1
                continue
            path, states = candidate, replayed
        return path

    def _shortcut(
        self, states: list[State], i: int, goal: frozenset[str]
    ) -> tuple[int, list[int]] | None:
        """(j, actions): a way from states[i] that rejoins the path at j (or ends in the goal,
        j = len(path)) in fewer steps than the path takes; the one saving most."""
        world, key = self.world, self.key
        n = len(states) - 1
        later = {key(s): j for j, s in enumerate(states) if j > i}
        best: tuple[int, list[int]] | None = None
        saving = 0
        seen = {key(states[i])}
        queue: deque[tuple[State, list[int]]] = deque([(states[i], [])])
        visited = 0
        while queue and visited < NODES:
            s, way = queue.popleft()
            if len(way) >= DEPTH:
                continue
            for k, slot in enumerate(game.slots(world, s)):
                if not slot.enabled:
                    continue
                new = engine.advance(world, s, slot.action)
                visited += 1
                route = [*way, k]
                end = game.ending(world, new)
                if end is not None:
                    if end in goal and n - i - len(route) > saving:
                        saving, best = n - i - len(route), (n, route)
                    continue
                kk = key(new)
                j = later.get(kk)
                if j is not None and j - i - len(route) > saving:
                    saving, best = j - i - len(route), (j, route)
                if kk not in seen:
                    seen.add(kk)
                    queue.append((new, route))
        return best


def explorer_key(world_dir: object) -> tuple[World, Key]:
    """The world as the explorer reads it, and its state key with the random state added
    (the explorer follows every random outcome, so its key leaves the draw out)."""
    from neuripsquest.tools import facts
    from neuripsquest.tools.explore import Walker

    src = facts.load(world_dir)  # type: ignore[arg-type]
    walker = Walker(src)
    keyfn = walker.keyfn
    return walker.world, lambda s: (keyfn[s.scene](s), s.rng)

"""Which endings each walked state can still reach, and the softlocks: states that can reach
none. One pass over the state graph's strongly connected components, sinks first, gives every
component its reachable endings from those of the components it leads to. The sink groups of
the softlocked states (a state with no way on, or a loop with no way out) are reported with the
shortest path to them from the start, and the point of no return on that path."""

from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import Any

from neuripsquest.core import engine
from neuripsquest.core.world import World
from neuripsquest.tools.explore.walk import Action, Graph
from neuripsquest.tools.graphs import components


@dataclass
class Analysis:
    mask: array[int]  # per component: bit e+1 set when ending e can be reached; bit 0: unknown
    comp: array[int]  # node -> component
    sinks: list[list[int]]  # components that reach no ending and have no way out
    ending_bits: dict[str, int]


def analyse(g: Graph) -> Analysis:
    """The endings each component can reach: its own states' and those of every component it
    leads to, which come before it. A state cut short by the bound counts as reaching
    everything (bit 0): no false alarms."""
    world = g.world
    ending_bits = {e: 1 << (i + 1) for i, e in enumerate(world.endings)}
    own = [0] * len(g.scene_names)
    for i, sid in enumerate(g.scene_names):
        e = world.scenes[sid].ending
        if e is not None:
            own[i] = ending_bits[e]
    eoff, etgt, scene_of, incomplete = g.eoff, g.etgt, g.scene, g.incomplete
    parts = components(eoff, etgt)
    comp, members, start = parts.of, parts.members, parts.start
    mask: list[int] = []
    sinks: list[list[int]] = []
    pos = 0
    for c in range(len(parts)):
        first, end = pos, start[c + 1]
        m = 0
        leaves = False
        while pos < end:
            x = members[pos]
            pos += 1
            m |= own[scene_of[x]] | incomplete[x]
            for q in range(eoff[x], eoff[x + 1]):
                cy = comp[etgt[q]]
                if cy != c:
                    m |= mask[cy]
                    leaves = True
        mask.append(m)
        if m == 0 and not leaves:
            sinks.append(members[first:end])
    return Analysis(array("Q", mask), comp, sinks, ending_bits)


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
    group_of: dict[int, int] = {}  # sink component -> its group's number
    for members in a.sinks:
        scenes = tuple(sorted({g.scene_names[g.scene[x]] for x in members}))
        has_edges = any(g.eoff[x + 1] > g.eoff[x] for x in members)
        kind = "loop" if has_edges else "stuck"
        slot = grouped.setdefault((kind, scenes), [0, len(grouped)])
        slot[0] += len(members)
        group_of[a.comp[members[0]]] = slot[1]
    where = [{g.scene_names.index(sid) for sid in scenes} for _kind, scenes in grouped]
    firsts = _first_caught(g, a, group_of, where)
    out = []
    for (kind, scenes), (count, number) in grouped.items():
        first = firsts[number]
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


def _first_caught(
    g: Graph, a: Analysis, group_of: dict[int, int], where: list[set[int]]
) -> list[int]:
    """For each group of sinks, the first state walked (so one nearest the start) in one of
    the group's scenes from which no ending can be reached and one of the group's sinks can:
    where the player is first caught in those scenes, not where they end up going round. A
    loop that wears a stat down on its way round counts from its first turn, whether or not
    the walk tells its turns apart, so the path is as long with the reductions as without."""
    groups = len(where)
    first = [len(g.scene)] * groups
    if not groups:
        return first
    reach: dict[int, int] = {}  # caught component -> bit set of the groups it leads to
    eoff, etgt, comp = g.eoff, g.etgt, a.comp
    # Components are numbered sinks first: those a component leads to come before it.
    for x in sorted(range(len(comp)), key=comp.__getitem__):
        c = comp[x]
        if a.mask[c]:
            continue
        bits = reach.get(c, 0)
        if c in group_of:
            bits |= 1 << group_of[c]
        for q in range(eoff[x], eoff[x + 1]):
            cy = comp[etgt[q]]
            if cy != c:
                bits |= reach.get(cy, 0)
        reach[c] = bits
    left = (1 << groups) - 1
    scene_of = g.scene
    for x in range(len(comp)):  # in the order walked: the first met is one nearest the start
        bits = reach.get(comp[x], 0) & left
        while bits:
            low = bits & -bits
            k = low.bit_length() - 1
            if scene_of[x] in where[k]:
                first[k] = x
                left ^= low
            bits ^= low
        if not left:
            break
    return first


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

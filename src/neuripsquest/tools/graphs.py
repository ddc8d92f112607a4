"""Strongly connected components, written once for every tool that needs them: lint's scene
graph (a few hundred names) and explore's state graph (hundreds of thousands of states held in
int arrays, which is why the algorithm works on dense int ids and keeps its own state in arrays
rather than dicts)."""

from __future__ import annotations

from array import array
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


@dataclass
class Components:
    """A graph's strongly connected components, numbered sinks first: an edge that leaves
    component c leads to a component numbered below c, so a pass over them in number order
    meets every component after all it can reach."""

    of: array[int]  # node -> the number of its component
    members: list[int]  # the nodes, component by component
    start: array[int]  # component c is members[start[c]:start[c + 1]]

    def __len__(self) -> int:
        return len(self.start) - 1

    def nodes(self, c: int) -> list[int]:
        return self.members[self.start[c] : self.start[c + 1]]


def components(eoff: Sequence[int], etgt: Sequence[int]) -> Components:
    """Tarjan's algorithm over nodes 0 .. len(eoff) - 2, node v's edges going to
    etgt[eoff[v]:eoff[v + 1]]. Roots are taken in node order. Iterative, with an explicit call
    stack and a per-node position in its edge list, so a path of a million states does not hit
    the recursion limit; one loop because the state graph makes it hot."""
    n = len(eoff) - 1
    index = array("i", [-1]) * n  # visiting order; -1: not visited yet
    low = array("i", [0]) * n
    of = array("i", [-1]) * n  # -1 while the node is still on the stack
    ptr = array("I", eoff[:-1])  # the next edge of each node to follow
    members: list[int] = []
    start = array("I", [0])
    stack: list[int] = []
    counter = 0
    c = 0
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
                if of[w] == -1 and index[w] < low[v]:
                    low[v] = index[w]
            if descended:
                continue
            call.pop()
            if call:
                u = call[-1]
                if low[v] < low[u]:
                    low[u] = low[v]
            if low[v] != index[v]:
                continue
            while True:
                x = stack.pop()
                of[x] = c
                members.append(x)
                if x == v:
                    break
            start.append(len(members))
            c += 1
    return Components(of, members, start)


def strongly_connected(graph: Mapping[N, Iterable[N]]) -> list[set[N]]:
    """The components of a graph given as node -> successors, sinks first. Nodes are numbered,
    and roots taken, in the mapping's order; a successor that is not a key is a node with no
    way out."""
    ids: dict[N, int] = {}
    names: list[N] = []
    for node in graph:
        ids[node] = len(names)
        names.append(node)
    eoff = [0]
    etgt: list[int] = []
    i = 0
    while i < len(names):  # grows when a successor is not a key
        for nxt in graph.get(names[i], ()):
            k = ids.get(nxt)
            if k is None:
                k = ids[nxt] = len(names)
                names.append(nxt)
            etgt.append(k)
        eoff.append(len(etgt))
        i += 1
    parts = components(eoff, etgt)
    return [{names[x] for x in parts.nodes(c)} for c in range(len(parts))]

"""The one Tarjan lint and explore share: known graphs, sinks first, no recursion limit, and
agreement with the definition (two nodes share a component when each reaches the other)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from neuripsquest.tools.graphs import components, strongly_connected


def as_sets(comps):
    return sorted(sorted(c) for c in comps)


def assert_sinks_first(graph, comps):
    """Every edge leaving a component goes to one listed before it."""
    where = {n: i for i, c in enumerate(comps) for n in c}
    for a, succ in graph.items():
        for b in succ:
            assert where[b] <= where[a], (a, b, comps)


def test_a_dag_is_all_singletons_listed_sinks_first():
    graph = {"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []}
    comps = strongly_connected(graph)
    assert as_sets(comps) == [["a"], ["b"], ["c"], ["d"]]
    assert comps[0] == {"d"} and comps[-1] == {"a"}
    assert_sinks_first(graph, comps)


def test_a_cycle_is_one_component():
    graph = {1: [2], 2: [3], 3: [1]}
    assert strongly_connected(graph) == [{1, 2, 3}]


def test_two_components_with_an_edge_between_come_sink_first():
    graph = {"a": ["b"], "b": ["a", "c"], "c": ["d"], "d": ["c"]}
    assert strongly_connected(graph) == [{"c", "d"}, {"a", "b"}]


def test_a_self_loop_is_its_own_component():
    graph = {"x": ["x", "y"], "y": []}
    assert strongly_connected(graph) == [{"y"}, {"x"}]


def test_a_successor_that_is_not_a_key_is_a_node():
    assert strongly_connected({"a": ["b"]}) == [{"b"}, {"a"}]


def test_a_long_chain_needs_no_recursion():
    n = 100_000
    eoff = list(range(n)) + [n - 1]  # node i -> i + 1, the last node has no edge
    etgt = list(range(1, n))
    parts = components(eoff, etgt)
    assert len(parts) == n
    assert list(parts.members) == list(range(n - 1, -1, -1))  # the end of the chain first
    assert list(parts.of[:3]) == [n - 1, n - 2, n - 3]


def test_a_long_cycle_is_one_component():
    n = 100_000
    parts = components(list(range(n + 1)), [(i + 1) % n for i in range(n)])
    assert len(parts) == 1
    assert sorted(parts.nodes(0)) == list(range(n))
    assert set(parts.of) == {0}


def test_dense_ids_give_components_and_offsets():
    # 0 -> 1 <-> 2, 3 alone: node v's edges are etgt[eoff[v]:eoff[v + 1]]
    parts = components([0, 1, 2, 3, 3], [1, 2, 1])
    assert [sorted(parts.nodes(c)) for c in range(len(parts))] == [[1, 2], [0], [3]]
    assert list(parts.of) == [1, 0, 0, 2]


def reach(graph, a):
    seen, todo = {a}, [a]
    while todo:
        for b in graph[todo.pop()]:
            if b not in seen:
                seen.add(b)
                todo.append(b)
    return seen


graphs = st.integers(0, 12).flatmap(
    lambda n: st.lists(
        st.lists(st.integers(0, max(n - 1, 0)), max_size=4) if n else st.just([]),
        min_size=n,
        max_size=n,
    )
)


@settings(max_examples=300, deadline=None)
@given(graphs)
def test_components_are_the_mutually_reachable_sets(adj):
    graph = dict(enumerate(adj))
    comps = strongly_connected(graph)
    reaches = {a: reach(graph, a) for a in graph}
    expected = {frozenset(b for b in graph if b in reaches[a] and a in reaches[b]) for a in graph}
    assert {frozenset(c) for c in comps} == expected
    assert sum(len(c) for c in comps) == len(graph)  # each node in exactly one
    assert_sinks_first(graph, comps)

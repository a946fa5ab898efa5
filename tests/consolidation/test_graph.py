from __future__ import annotations

import networkx as nx
import pytest

from consolidation._examples import build_landscape
from consolidation.graph import DependencyCycleError, Group, dependency_graph, group_dag, move_groups


def _graph(edges, crit=None):
    G = nx.DiGraph()
    for u, v in edges:
        G.add_node(u, kind="system")
        G.add_node(v, kind="system")
        G.add_edge(u, v, kind="depends", criticality=(crit or {}).get((u, v), "mittel"))
    return G


def test_move_groups_cycle_moves_together():
    G = _graph([("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")])
    groups = move_groups(G)
    assert [(g.systems, g.reason) for g in groups] == [(("a", "b", "c"), "cycle"), (("d",), "single")]
    assert list(group_dag(G, groups).edges()) == [("g.a", "g.d")]


def test_move_groups_tight_coupling_merges_ends():
    G = _graph([("fv", "dms"), ("dms", "iam")], crit={("fv", "dms"): "hoch"})
    groups = move_groups(G)
    assert [(g.id, g.systems, g.reason) for g in groups] == [
        ("g.dms", ("dms", "fv"), "tight-coupling"), ("g.iam", ("iam",), "single")]


def test_group_dag_rejects_groups_that_split_a_cycle():
    G = _graph([("a", "b"), ("b", "a")])
    with pytest.raises(DependencyCycleError) as exc:
        group_dag(G, [Group("g.a", ("a",)), Group("g.b", ("b",))])
    assert sorted(exc.value.cycle) == ["g.a", "g.b"]


def test_dependency_graph_has_systems_hosts_and_dependencies():
    L = build_landscape([{"id": "x.a", "org": "x", "domain": "e-mail"}, {"id": "x.b", "org": "x", "domain": "iam"}],
                        [{"source": "x.a", "target": "x.b"}])
    G = dependency_graph(L)
    assert sorted(G.nodes(data="kind")) == [("x.a", "system"), ("x.b", "system")]
    assert list(G.edges(data="kind")) == [("x.a", "x.b", "depends")]


def _reference(nodes, edges, crit):
    """move_groups + group_dag edges on the networkx graph, as group indexes."""
    G = nx.DiGraph()
    G.add_nodes_from(nodes, kind="system")
    for (u, v), c in zip(edges, crit):
        G.add_edge(u, v, kind="depends", criticality=c)
    groups = move_groups(G)
    ix = {g.id: i for i, g in enumerate(groups)}
    return groups, sorted((ix[p], ix[s]) for p, s in group_dag(G, groups).edges())


@pytest.mark.parametrize("seed", range(40))
def test_condense_agrees_with_move_groups_and_group_dag(seed):
    import random

    import numpy as np

    from consolidation.condense import DependencyArrays, condense

    rng = random.Random(seed)
    n = rng.randint(1, 30)
    nodes = [f"s{rng.randint(0, 99):02d}-{k}" for k in range(n)]
    rng.shuffle(nodes)
    edges, crit = [], []
    for _ in range(rng.randint(0, 3 * n)):
        edges.append((rng.randrange(n), rng.randrange(n)))  # self-loops and duplicates included
        crit.append(rng.choice(["niedrig", "mittel", "hoch", "hoch"] if seed % 2 else ["mittel"] * 5 + ["hoch"]))
    # the DiGraph keeps one edge per pair with the last criticality; DependencyArrays does the same
    last = {}
    for e, c in zip(edges, crit):
        last.pop(e, None)
        last[e] = c
    named = [(nodes[u], nodes[v]) for u, v in last]
    groups, dag = _reference(nodes, named, list(last.values()))
    A = DependencyArrays(nodes=tuple(nodes), source=np.array([u for u, _ in last], np.int64).reshape(-1),
                         target=np.array([v for _, v in last], np.int64).reshape(-1),
                         criticality=tuple(last.values()))
    c = condense(A)
    assert list(c.groups) == groups
    assert c.edges.tolist() == [list(e) for e in dag]
    assert [c.groups[g].id for g in c.group_of.tolist()] == [
        next(g.id for g in groups if x in g.systems) for x in nodes]


def test_dependency_arrays_match_dependency_graph():
    from consolidation._examples import tiny_landscape
    from consolidation.condense import dependency_arrays

    L = build_landscape([{"id": f"x.{k}", "org": "x", "domain": "e-mail"} for k in "abcd"],
                        [{"source": "x.a", "target": "x.b"}, {"source": "x.b", "target": "x.c", "criticality": "hoch"},
                         {"source": "x.c", "target": "x.d"},
                         # a second interface between the same systems: the last one listed wins, as in the DiGraph
                         {"source": "x.a", "target": "x.b", "kind": "datei", "criticality": "hoch"},
                         {"source": "x.b", "target": "x.c", "kind": "datei", "criticality": "niedrig"}])
    for landscape, keep in ((L, None), (L, ["x.a", "x.b", "x.d"]), (tiny_landscape(), None)):
        G = dependency_graph(landscape, systems=keep, hosts=False)
        A = dependency_arrays(landscape, systems=keep)
        assert A.nodes == tuple(G.nodes)
        assert sorted((A.nodes[u], A.nodes[v], c) for u, v, c in zip(A.source.tolist(), A.target.tolist(),
                                                                     A.criticality)) == sorted(G.edges(data="criticality"))


@pytest.mark.parametrize("seed", range(5))
def test_scc_labels_agree_with_networkx_on_large_sparse_graphs(seed):
    import numpy as np

    from consolidation.condense import _scc_labels

    rng = np.random.default_rng(seed)
    n = 3000
    a, b = rng.integers(0, n, 3300), rng.integers(0, n, 3300)
    label = _scc_labels(n, a, b)
    G = nx.DiGraph()
    G.add_nodes_from(range(n))
    G.add_edges_from(zip(a.tolist(), b.tolist()))
    expected = sorted(sorted(c) for c in nx.strongly_connected_components(G))
    got: dict[int, list[int]] = {}
    for x, c in enumerate(label.tolist()):
        got.setdefault(c, []).append(x)
    assert sorted(got.values()) == expected

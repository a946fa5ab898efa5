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

"""Step 1 — the dependency graph, move groups and their precedence.

Nodes are ids; the inventory record is a node attribute. A dependency ``source → target``
("source uses target") becomes the edge ``target → source`` in the *precedence* sense: the
used system moves first. Cycles are allowed but their members move together, and so do
the ends of a tightly coupled dependency (criticality ``hoch`` by default): the strongly
connected components of the graph after contracting tight couplings are the **move
groups**, and the condensation is the precedence DAG between groups.

Everything here is linear in systems + dependencies (union-find, one SCC pass). The
networkx functions are the reference API; :mod:`consolidation.condense` computes the same
move groups and precedence edges from integer arrays, which the planner uses at Germany scale
(450,000 systems) where a networkx graph costs seconds and gigabytes.

>>> import networkx as nx
>>> G = nx.DiGraph()
>>> G.add_nodes_from(["iam", "dms", "ewo", "wahl"], kind="system")
>>> G.add_edge("ewo", "dms", kind="depends", criticality="mittel")
>>> G.add_edge("dms", "iam", kind="depends", criticality="mittel")
>>> G.add_edge("wahl", "ewo", kind="depends", criticality="hoch")
>>> groups = move_groups(G)
>>> [(g.id, g.systems, g.reason) for g in groups]
[('g.dms', ('dms',), 'single'), ('g.ewo', ('ewo', 'wahl'), 'tight-coupling'), ('g.iam', ('iam',), 'single')]
>>> sorted(group_dag(G, groups).edges())
[('g.dms', 'g.ewo'), ('g.iam', 'g.dms')]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from common.errors import PlanningError
from inventory.models import Landscape

__all__ = [
    "DependencyCycleError",
    "Group",
    "dependency_graph",
    "group_dag",
    "group_id",
    "move_groups",
    "precedence_levels",
]


class DependencyCycleError(PlanningError, nx.NetworkXUnfeasible):
    """A cycle where none may be (e.g. in a hand-built group DAG); ``cycle`` holds its nodes."""

    def __init__(self, cycle: list):
        self.cycle = cycle
        super().__init__("dependency cycle: " + " -> ".join(map(str, cycle)))


@dataclass(frozen=True, slots=True)
class Group:
    """A move group: systems that migrate in the same quarter."""

    id: str
    systems: tuple[str, ...]
    reason: str = "single"


def dependency_graph(landscape: Landscape, *, systems: Iterable[str] | None = None,
                     hosts: bool = True) -> nx.DiGraph:
    """Systems, hosts and dependencies of ``landscape`` as a directed graph.

    Parameters
    ----------
    landscape : Landscape
    systems : iterable of str, optional
        Restrict to these system ids (dependencies with an end outside are dropped).
    hosts : bool, default True
        Add host nodes and ``runs_on`` edges (system → host).

    Returns
    -------
    networkx.DiGraph
        System nodes carry ``kind="system"``, ``org``, ``domain``, ``model``; host nodes
        ``kind="host"``. Edge ``u → v`` with ``kind="depends"`` means u uses v.

    Examples
    --------
    >>> from inventory.models import Landscape, LandscapeMeta, Catalogue
    >>> G = dependency_graph(Landscape(meta=LandscapeMeta(name="x"), catalogue=Catalogue(), organisations=()))
    >>> G.number_of_nodes()
    0
    """
    G = nx.DiGraph()
    keep = None if systems is None else set(systems)
    for inv in landscape.organisations:
        oid = inv.organisation.id
        G.add_nodes_from(
            (s.id, {"kind": "system", "org": oid, "domain": s.domain, "model": s})
            for s in inv.systems if keep is None or s.id in keep
        )
        if hosts:
            for s in inv.systems:
                if s.hosting.host is not None and (keep is None or s.id in keep):
                    G.add_node(s.hosting.host, kind="host")
                    G.add_edge(s.id, s.hosting.host, kind="runs_on")
    for inv in landscape.organisations:
        G.add_edges_from(
            (d.source, d.target, {"kind": "depends", "criticality": d.criticality.value, "model": d})
            for d in inv.dependencies
            if keep is None or (d.source in keep and d.target in keep)
        )
    return G


def _depends_edges(G: nx.DiGraph) -> Iterable[tuple[str, str, dict]]:
    return ((u, v, a) for u, v, a in G.edges(data=True) if a.get("kind") == "depends")


def group_id(first: str) -> str:
    """The id of the move group whose first (smallest) system is ``first``."""
    return "g." + first[:126]


def move_groups(G: nx.DiGraph, *, tight: Iterable[str] = ("hoch",), criticality: str = "criticality") -> list[Group]:
    """The move groups of ``G``: dependency cycles and tightly coupled systems move together.

    Parameters
    ----------
    G : networkx.DiGraph
        As built by :func:`dependency_graph` (only ``kind="system"`` nodes are grouped).
    tight : iterable of str, default ("hoch",)
        Edge ``criticality`` values that couple both ends.
    criticality : str, default "criticality"
        Edge attribute holding the criticality.

    Returns
    -------
    list of Group
        Sorted by id; each group's systems sorted. ``reason`` says why systems share a group.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_nodes_from(["a", "b"], kind="system")
    >>> G.add_edges_from([("a", "b"), ("b", "a")], kind="depends")
    >>> move_groups(G)
    [Group(id='g.a', systems=('a', 'b'), reason='cycle')]
    """
    tight = frozenset(tight)
    systems = [n for n, k in G.nodes(data="kind") if k == "system"]
    parent = {n: n for n in systems}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    coupled: set[str] = set()
    edges = list(_depends_edges(G))
    for u, v, a in edges:
        if a.get(criticality) in tight:
            ru, rv = find(u), find(v)
            if ru != rv:
                parent[max(ru, rv)] = min(ru, rv)
            coupled.update((u, v))
    Q = nx.DiGraph()
    Q.add_nodes_from({find(n) for n in systems})
    Q.add_edges_from((ru, rv) for u, v, _ in edges if (ru := find(u)) != (rv := find(v)))
    rep_of_scc: dict[str, int] = {}
    cyclic: set[int] = set()
    for i, comp in enumerate(nx.strongly_connected_components(Q)):
        if len(comp) > 1:
            cyclic.add(i)
        for r in comp:
            rep_of_scc[r] = i
    members: dict[int, list[str]] = {}
    for n in systems:
        members.setdefault(rep_of_scc[find(n)], []).append(n)
    groups = []
    for i, ms in members.items():
        ms.sort()
        in_cycle = i in cyclic
        is_tight = len(ms) > 1 and any(m in coupled for m in ms)
        if in_cycle and is_tight:
            # a cycle made only of tight edges is reported as tight coupling
            reason = "cycle+tight-coupling" if _has_loose_cycle(G, ms, tight, criticality) else "tight-coupling"
        elif in_cycle:
            reason = "cycle"
        elif is_tight:
            reason = "tight-coupling"
        else:
            reason = "single"
        groups.append(Group(group_id(ms[0]), tuple(ms), reason))
    groups.sort(key=lambda g: g.id)
    return groups


def _has_loose_cycle(G: nx.DiGraph, members: list[str], tight: frozenset, criticality: str) -> bool:
    inside = set(members)
    sub = nx.DiGraph()
    sub.add_edges_from((u, v) for u in members for v, a in G.succ[u].items()
                       if a.get("kind") == "depends" and v in inside and a.get(criticality) not in tight)
    return not nx.is_directed_acyclic_graph(sub)


def group_dag(G: nx.DiGraph, groups: Iterable[Group]) -> nx.DiGraph:
    """The precedence DAG between move groups: edge ``p → s`` means p moves before s.

    Parameters
    ----------
    G : networkx.DiGraph
        The dependency graph (edge u → v: u uses v).
    groups : iterable of Group
        A partition of G's system nodes, as returned by :func:`move_groups`.

    Returns
    -------
    networkx.DiGraph
        Nodes are group ids with attribute ``group``; edges carry ``via`` = (user, used)
        system ids of one dependency that causes it.

    Raises
    ------
    DependencyCycleError
        When ``groups`` does not absorb every cycle.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_nodes_from(["app", "iam"], kind="system")
    >>> G.add_edge("app", "iam", kind="depends")
    >>> list(group_dag(G, move_groups(G)).edges(data="via"))
    [('g.iam', 'g.app', ('app', 'iam'))]
    """
    of: dict[str, str] = {}
    D = nx.DiGraph()
    for g in groups:
        D.add_node(g.id, group=g)
        for s in g.systems:
            of[s] = g.id
    for u, v, _ in sorted(_depends_edges(G), key=lambda e: (e[0], e[1])):
        gu, gv = of.get(u), of.get(v)
        if gu is None or gv is None or gu == gv:
            continue
        if not D.has_edge(gv, gu):
            D.add_edge(gv, gu, via=(u, v))
    try:
        cycle = nx.find_cycle(D)
    except nx.NetworkXNoCycle:
        return D
    raise DependencyCycleError([u for u, _ in cycle])


def precedence_levels(D: nx.DiGraph) -> dict[str, int]:
    """Longest-path level of every group (0 = depends on nothing).

    Examples
    --------
    >>> precedence_levels(nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")]))
    {'a': 0, 'b': 1, 'c': 2}
    """
    level: dict[str, int] = {}
    for n in nx.topological_sort(D):
        level[n] = max((level[p] + 1 for p in D.pred[n]), default=0)
    return dict(sorted(level.items()))

"""Step 1 — the dependency graph, move groups and their precedence.

Nodes are ids; the inventory record is a node attribute. A dependency ``source → target``
("source uses target") becomes the edge ``target → source`` in the *precedence* sense: the
used system moves first. Cycles are allowed but their members move together, and so do
the ends of a tightly coupled dependency (criticality ``hoch`` by default): the strongly
connected components of the graph after contracting tight couplings are the **move
groups**, and the condensation is the precedence DAG between groups.

Everything here is linear in systems + dependencies (union-find, one SCC pass). The
networkx functions are the reference API; :func:`dependency_arrays` and :func:`condense`
compute the same move groups and precedence edges from integer arrays, which the planner
uses at Germany scale (450,000 systems) where a networkx graph costs seconds and gigabytes.

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
import numpy as np

from common.errors import PlanningError
from inventory.models import Landscape

__all__ = [
    "Condensation",
    "DependencyArrays",
    "DependencyCycleError",
    "Group",
    "component_roots",
    "condense",
    "dependency_arrays",
    "dependency_graph",
    "group_dag",
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


def _group_id(first: str) -> str:
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
        groups.append(Group(_group_id(ms[0]), tuple(ms), reason))
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


# --------------------------------------------------------------------------- array form


@dataclass(frozen=True, slots=True, eq=False)
class DependencyArrays:
    """The system part of :func:`dependency_graph` as integer arrays (no host nodes).

    Edge ``k`` is ``nodes[source[k]]`` uses ``nodes[target[k]]``; like the DiGraph it has
    at most one edge per ordered pair, with the criticality of the last dependency listed.
    """

    nodes: tuple[str, ...]
    """System ids in inventory order."""
    source: np.ndarray
    target: np.ndarray
    criticality: tuple[str, ...]
    """Criticality value of each edge."""


@dataclass(frozen=True, slots=True, eq=False)
class Condensation:
    """Move groups and their precedence in array form (what :func:`condense` returns)."""

    groups: tuple[Group, ...]
    """As :func:`move_groups` returns them: sorted by id."""
    group_of: np.ndarray
    """Index into ``groups`` of every node."""
    edges: np.ndarray
    """(predecessor, successor) group indexes, one row per edge of :func:`group_dag`, sorted."""


def dependency_arrays(landscape: Landscape, *, systems: Iterable[str] | None = None) -> DependencyArrays:
    """The dependencies between ``systems`` of ``landscape`` as arrays.

    Parameters
    ----------
    landscape : Landscape
    systems : iterable of str, optional
        Restrict to these system ids (dependencies with an end outside are dropped).

    Returns
    -------
    DependencyArrays
        Same nodes and edges as ``dependency_graph(landscape, systems=systems, hosts=False)``.

    Examples
    --------
    >>> from consolidation._examples import tiny_landscape
    >>> A = dependency_arrays(tiny_landscape())
    >>> A.nodes
    ('a.iam', 'a.mail', 'b.iam', 'b.mail')
    >>> [(A.nodes[u], A.nodes[v]) for u, v in zip(A.source.tolist(), A.target.tolist())]
    [('a.mail', 'a.iam')]
    """
    keep = None if systems is None else set(systems)
    nodes = tuple(s.id for inv in landscape.organisations for s in inv.systems if keep is None or s.id in keep)
    ix = {s: i for i, s in enumerate(nodes)}
    src: list[int] = []
    dst: list[int] = []
    crit: list[str] = []
    get = ix.get
    for inv in landscape.organisations:
        for d in inv.dependencies:
            u, v = get(d.source), get(d.target)
            if u is not None and v is not None:
                src.append(u)
                dst.append(v)
                crit.append(d.criticality.value)
    n = len(nodes)
    source = np.array(src, np.int64)
    target = np.array(dst, np.int64)
    if len(src):
        # one edge per ordered pair, the last one listed wins (as in DiGraph.add_edge)
        key = source * n + target
        by = np.argsort(key, kind="stable")
        k = key[by]
        last = np.sort(by[np.concatenate((k[1:] != k[:-1], [True]))])
        if len(last) < len(key):
            source, target = source[last], target[last]
            crit = [crit[k] for k in last.tolist()]
    return DependencyArrays(nodes=nodes, source=source, target=target, criticality=tuple(crit))


def _scc_labels(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Strongly connected component label of each of ``n`` nodes for edges ``a → b``.

    Nodes without an in- or out-edge are on no cycle: they are peeled off with array
    operations first, so the iterative Tarjan pass only sees the (usually small) rest.
    """
    label = np.arange(n, dtype=np.int64)
    alive = np.ones(n, bool)
    live = np.ones(len(a), bool)
    ea, eb = a, b
    while len(ea):
        has_in = np.zeros(n, bool)
        has_out = np.zeros(n, bool)
        has_in[eb] = True
        has_out[ea] = True
        keep = alive & has_in & has_out
        dropped = int(alive.sum() - keep.sum())
        alive = keep
        live = alive[ea] & alive[eb]
        ea, eb = ea[live], eb[live]
        if dropped * 100 < len(ea):  # the rest peels too slowly; Tarjan takes over
            break
    rest = np.flatnonzero(alive)
    if not len(ea):
        return label
    # CSR over the remaining nodes
    local = np.full(n, -1, np.int64)
    local[rest] = np.arange(len(rest))
    la, lb = local[ea], local[eb]
    order = np.argsort(la, kind="stable")
    adj = lb[order].tolist()
    start = np.searchsorted(la[order], np.arange(len(rest) + 1)).tolist()
    m = len(rest)
    index = [-1] * m
    low = [0] * m
    on_stack = [False] * m
    stack: list[int] = []
    comp = [-1] * m
    counter = 0
    for root in range(m):
        if index[root] != -1:
            continue
        work = [(root, start[root])]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, k = work[-1]
            end = start[v + 1]
            while k < end:
                w = adj[k]
                k += 1
                if index[w] == -1:
                    work[-1] = (v, k)
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, start[w]))
                    break
                if on_stack[w] and index[w] < low[v]:
                    low[v] = index[w]
            else:
                work.pop()
                if work:
                    u = work[-1][0]
                    low[u] = min(low[u], low[v])
                if low[v] == index[v]:
                    while True:
                        w = stack.pop()
                        on_stack[w] = False
                        comp[w] = v
                        if w == v:
                            break
    label[rest] = rest[np.array(comp, np.int64)]
    return label


def component_roots(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Union-find over the pairs ``(a[i], b[i])`` of ``n`` nodes: each node's component, named
    by its smallest node.

    Examples
    --------
    >>> component_roots(5, np.array([3, 1]), np.array([1, 4])).tolist()
    [0, 1, 2, 1, 1]
    """
    if not len(a):
        return np.arange(n, dtype=np.int64)
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for u, v in zip(np.asarray(a).tolist(), np.asarray(b).tolist()):
        ru, rv = find(u), find(v)
        if ru != rv:
            parent[max(ru, rv)] = min(ru, rv)
    return np.array([find(x) for x in range(n)], np.int64)


def condense(deps: DependencyArrays, *, tight: Iterable[str] = ("hoch",)) -> Condensation:
    """Move groups and the precedence between them, computed on arrays.

    The same result as ``move_groups(G, tight=tight)`` and the edges of ``group_dag(G, groups)``
    for ``G = dependency_graph(..., hosts=False)`` — in time linear in systems + dependencies
    without building the graph.

    Parameters
    ----------
    deps : DependencyArrays
    tight : iterable of str, default ("hoch",)
        Criticality values that couple both ends.

    Returns
    -------
    Condensation

    Examples
    --------
    >>> A = DependencyArrays(nodes=("iam", "dms", "ewo", "wahl"), source=np.array([2, 1, 3]),
    ...                      target=np.array([1, 0, 2]), criticality=("mittel", "mittel", "hoch"))
    >>> c = condense(A)
    >>> [(g.id, g.systems, g.reason) for g in c.groups]
    [('g.dms', ('dms',), 'single'), ('g.ewo', ('ewo', 'wahl'), 'tight-coupling'), ('g.iam', ('iam',), 'single')]
    >>> c.group_of.tolist(), c.edges.tolist()
    ([2, 0, 1, 1], [[0, 1], [2, 0]])
    """
    tight = frozenset(tight)
    nodes = deps.nodes
    n = len(nodes)
    src, dst = deps.source, deps.target
    is_tight = np.fromiter((c in tight for c in deps.criticality), bool, len(deps.criticality))
    # union-find over the tight couplings (few), then SCCs of the contracted graph
    coupled = np.zeros(n, bool)
    ts, td = src[is_tight], dst[is_tight]
    coupled[ts] = True
    coupled[td] = True
    rep = component_roots(n, ts, td)
    ru, rv = rep[src], rep[dst]
    cross = ru != rv
    scc = _scc_labels(n, ru[cross], rv[cross])[rep]
    # members per component sorted by id; groups sorted by their first member
    rank = np.empty(n, np.int64)
    rank[sorted(range(n), key=nodes.__getitem__)] = np.arange(n)
    by = np.lexsort((rank, scc))
    bounds = np.flatnonzero(np.diff(scc[by])) + 1 if n else np.zeros(0, np.int64)
    starts = np.concatenate(([0], bounds)) if n else bounds
    firsts = by[starts]
    gorder = np.argsort(rank[firsts], kind="stable")
    comp_of_group = scc[firsts][gorder]
    gix = np.empty(n, np.int64)
    gix[comp_of_group] = np.arange(len(comp_of_group))
    group_of = gix[scc]
    # a group is a cycle when it holds more than one tight component
    roots = np.flatnonzero(rep == np.arange(n))
    n_roots = np.bincount(group_of[roots], minlength=len(comp_of_group))
    size = np.bincount(group_of, minlength=len(comp_of_group))
    any_coupled = np.bincount(group_of[coupled], minlength=len(comp_of_group)) > 0
    ends = np.concatenate((starts[1:], [n])) if n else starts
    members_of = {}
    groups = []
    names = [nodes[x] for x in by.tolist()]
    starts_l, ends_l = starts.tolist(), ends.tolist()
    cyclic_l, tight_l = (n_roots > 1).tolist(), ((size > 1) & any_coupled).tolist()
    for gi, c in enumerate(gorder.tolist()):
        ms = tuple(names[starts_l[c]:ends_l[c]])
        in_cycle = cyclic_l[gi]
        tight_g = tight_l[gi]
        if in_cycle and tight_g:
            members_of[gi] = ms
            reason = ""
        elif in_cycle:
            reason = "cycle"
        elif tight_g:
            reason = "tight-coupling"
        else:
            reason = "single"
        groups.append(Group(_group_id(ms[0]), ms, reason))
    if members_of:
        # a cycle made only of tight edges is reported as tight coupling (as in move_groups)
        gu, gv = group_of[src], group_of[dst]
        loose = (gu == gv) & ~is_tight
        sub: dict[int, nx.DiGraph] = {}
        for g, u, v in zip(gu[loose].tolist(), src[loose].tolist(), dst[loose].tolist()):
            if g in members_of:
                sub.setdefault(g, nx.DiGraph()).add_edge(u, v)
        for gi in members_of:
            cyclic = gi in sub and not nx.is_directed_acyclic_graph(sub[gi])
            g = groups[gi]
            groups[gi] = Group(g.id, g.systems, "cycle+tight-coupling" if cyclic else "tight-coupling")
    gu, gv = group_of[src], group_of[dst]
    other = gu != gv
    pairs = np.sort(gv[other] * max(len(groups), 1) + gu[other])
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs
    edges = np.stack((pairs // max(len(groups), 1), pairs % max(len(groups), 1)), axis=1)
    return Condensation(groups=tuple(groups), group_of=group_of, edges=edges.astype(np.int64).reshape(-1, 2))

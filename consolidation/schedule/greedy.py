"""Greedy schedules: the earliest-start list schedule (the baseline), the quarter-by-quarter
priority schedule (CP-SAT's warm start, the repair of a Lagrangian schedule) and the blocks of
connected groups the fallback solves one after another."""

from __future__ import annotations

import numpy as np

from consolidation.condense import component_roots

from .problem import ScheduleProblem, earliest_starts, next_open

__all__ = ["component_blocks", "improve_moves", "list_schedule", "price_repair", "priority_schedule"]


def _capacity_left(problem: ScheduleProblem, cap_eigen: np.ndarray | None, cap_fremd: np.ndarray | None,
                   ob_cap: np.ndarray | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Copies of the capacity a greedy schedule fills (default: the problem's): Eigen and Fremd per
    quarter, onboarding per target and quarter."""
    ce = (problem.cap_eigen if cap_eigen is None else cap_eigen).astype(np.int64).copy()
    cf = (problem.cap_fremd if cap_fremd is None else cap_fremd).astype(np.int64).copy()
    ob = np.asarray(problem.ob_cap if ob_cap is None else ob_cap, dtype=np.int64)
    ob = ob.copy() if ob.ndim == 2 else np.tile(ob[:, None], (1, problem.horizon))
    return ce, cf, ob


def list_schedule(problem: ScheduleProblem, idx: np.ndarray | None = None, *, cap_eigen: np.ndarray | None = None,
                  cap_fremd: np.ndarray | None = None, ob_cap: np.ndarray | None = None,
                  blocked: np.ndarray | None = None) -> np.ndarray | None:
    """Earliest-start list schedule (the baseline): groups in topological order, each in the first
    open quarter where precedence, capacity and onboarding allow. ``None`` if some group does not fit.

    Examples
    --------
    >>> from consolidation.schedule.problem import example_problem
    >>> list_schedule(example_problem()).tolist()
    [0, 1, 2]
    """
    blocked = problem.blocked() if blocked is None else blocked
    H = problem.horizon
    ce, cf, ob = _capacity_left(problem, cap_eigen, cap_fremd, ob_cap)
    order, preds = problem.topological()
    if idx is not None:
        member = np.zeros(problem.size, dtype=bool)
        member[idx] = True
        order = order[member[order]]
    obs = problem.onboarding()
    # plain lists in the loop: indexing them is several times faster than numpy scalars
    ce_l, cf_l, ob_l = ce.tolist(), cf.tolist(), ob.tolist()
    eig, fre = problem.eigen.tolist(), problem.fremd.tolist()
    rel, last = problem.release.tolist(), np.minimum(problem.deadline, H - 1).tolist()
    nxt = next_open(blocked, at_or_after=True)
    has_blocked = blocked.any(axis=1).tolist()
    every = list(range(H + 1))  # the next open quarter of a group without blackouts
    lag = problem.lag
    out = [-1] * problem.size
    for i in order.tolist():
        q = rel[i]
        for p in preds[i]:
            q = max(q, out[p] + lag)
        e, f = eig[i], fre[i]
        ob_i = obs.get(i, ())
        row = nxt[i].tolist() if has_blocked[i] else every
        top = last[i]
        q = row[q] if q < H else H
        while q <= top:
            if ce_l[q] >= e and cf_l[q] >= f and all(ob_l[t][q] >= c for t, c in ob_i):
                break
            q = row[q + 1]
        else:
            return None
        out[i] = q
        ce_l[q] -= e
        cf_l[q] -= f
        for t, c in ob_i:
            ob_l[t][q] -= c
    return np.array(out, dtype=np.int64)


def priority_schedule(problem: ScheduleProblem, idx: np.ndarray | None = None, *, es: np.ndarray | None = None,
                      cap_eigen: np.ndarray | None = None, cap_fremd: np.ndarray | None = None,
                      ob_cap: np.ndarray | None = None, blocked: np.ndarray | None = None,
                      successor_weight: float = 0.5, wait: bool = True) -> np.ndarray | None:
    """Quarter-by-quarter greedy: fill each quarter with the ready groups whose waiting costs most
    per person-day (own marginal cost plus a share of what their successors lose by waiting).

    This is the warm start for CP-SAT; ``None`` if some group does not fit before its deadline.

    Examples
    --------
    >>> from consolidation.schedule.problem import example_problem
    >>> priority_schedule(example_problem()).tolist()
    [0, 1, 2]
    """
    blocked = problem.blocked() if blocked is None else blocked
    es = earliest_starts(problem, blocked) if es is None else es
    H = problem.horizon
    n = problem.size
    ce, cf, ob = _capacity_left(problem, cap_eigen, cap_fremd, ob_cap)
    order, _ = problem.topological()
    members = np.arange(n) if idx is None else np.asarray(idx)
    member = np.zeros(n, dtype=bool)
    member[members] = True
    succ, npred, desc = problem.successors(successor_weight)
    size = problem.eigen / max(float(np.mean(ce)), 1.0) + problem.fremd / max(float(np.mean(cf)), 1.0) + 1e-9
    obs = problem.onboarding()
    quarter = np.full(n, -1, dtype=np.int64)
    ready_at = np.where(member, es, H).astype(np.int64)
    last = np.minimum(H - 1, problem.deadline)
    nxt_open = next_open(blocked, at_or_after=False)
    cost = problem.cost
    eig, fre = problem.eigen.tolist(), problem.fremd.tolist()
    left_l, ready_l, member_l, last_l = npred.tolist(), ready_at.tolist(), member.tolist(), last.tolist()
    pending = int(member.sum())
    future: list[list[int]] = [[] for _ in range(H)]  # groups whose predecessors are placed, by ready quarter
    for g in order.tolist():
        if member[g] and npred[g] == 0:
            if ready_at[g] > last[g]:
                return None
            future[int(ready_at[g])].append(g)
    active = np.zeros(0, dtype=np.int64)
    for q in range(H):
        if future[q]:
            active = np.concatenate([active, np.array(future[q], dtype=np.int64)])
        if len(active) == 0:
            continue
        cand = active[~blocked[active, q]]
        nxt = nxt_open[cand, q]
        urgent = nxt > last[cand]
        gain = np.where(urgent, 0.0, (cost[cand, np.minimum(nxt, H - 1)] - cost[cand, q]).astype(float))
        pr = gain + desc[cand]
        keep = urgent | (pr > 0) if wait else np.ones(len(cand), dtype=bool)  # waiting costs nothing: leave room
        cand, urgent, pr = cand[keep], urgent[keep], pr[keep]
        rank = np.lexsort((cand, -pr / size[cand], ~urgent))
        placed = []
        ce_q, cf_q = int(ce[q]), int(cf[q])
        ob_q = ob[:, q].tolist()
        for g in cand[rank].tolist():
            e, f = eig[g], fre[g]
            if ce_q >= e and cf_q >= f:
                ob_g = obs.get(g, ())
                if all(ob_q[t] >= c for t, c in ob_g):
                    ce_q -= e
                    cf_q -= f
                    for t, c in ob_g:
                        ob_q[t] -= c
                    placed.append(g)
        ce[q], cf[q] = ce_q, cf_q
        ob[:, q] = ob_q
        if placed:
            quarter[placed] = q
            active = active[quarter[active] < 0]
            pending -= len(placed)
            ready = q + problem.lag
            for g in placed:
                for s_ in succ[g]:
                    left_l[s_] -= 1
                    ready_l[s_] = max(ready_l[s_], ready)
                    if left_l[s_] == 0 and member_l[s_]:
                        at = max(ready_l[s_], q + 1)  # this quarter's candidates are chosen
                        if at > last_l[s_]:
                            return None
                        future[at].append(s_)
        if pending == 0:
            break
        if (last[active] <= q).any():
            return None
    return quarter if pending == 0 else None


def price_repair(problem: ScheduleProblem, first_choice: np.ndarray, *, es: np.ndarray, blocked: np.ndarray
                 ) -> np.ndarray | None:
    """A feasible schedule near the Lagrangian one: no group before its ``first_choice``
    quarter (precedence-feasible, chosen at the capacity prices), quarters filled in order by
    the priority list (:func:`priority_schedule`, groups that lose nothing by waiting wait; if
    that misses a deadline, every ready group is placed at once); ``None`` if a deadline is missed.

    Examples
    --------
    >>> from consolidation.schedule.problem import example_problem
    >>> price_repair(example_problem(), np.array([0, 1, 2]), es=np.array([0, 1, 2]), blocked=example_problem().blocked()).tolist()
    [0, 1, 2]
    """
    # waiting where it costs nothing leaves the capacity to the groups that lose by waiting (placing
    # every ready group at once pushed the urgent ones late where capacity binds: +10-75 % on tight cases)
    out = priority_schedule(problem, es=np.maximum(es, first_choice), blocked=blocked)
    if out is None:
        out = priority_schedule(problem, es=np.maximum(es, first_choice), blocked=blocked, successor_weight=0.0,
                                wait=False)
    return out


def component_blocks(problem: ScheduleProblem, size: int) -> list[np.ndarray]:
    """Weakly connected components packed (in index order) into blocks of ≤ ``size`` groups."""
    edges = problem.edges
    roots = component_roots(problem.size, edges[:, 0], edges[:, 1]) if len(edges) else np.arange(problem.size)
    comps: dict[int, list[int]] = {}
    for i, r in enumerate(roots.tolist()):
        comps.setdefault(r, []).append(i)
    blocks: list[list[int]] = []
    cur: list[int] = []
    for root in sorted(comps):
        c = comps[root]
        if cur and len(cur) + len(c) > size:
            blocks.append(cur)
            cur = []
        cur.extend(c)
    if cur:
        blocks.append(cur)
    return [np.array(sorted(b), dtype=np.int64) for b in blocks]


def improve_moves(problem: ScheduleProblem, quarter: np.ndarray, *, es: np.ndarray, blocked: np.ndarray,
                  passes: int = 3, limit: int = 20_000, evict: int = 32) -> np.ndarray:
    """Local search on a feasible schedule: move a group to a cheaper quarter where precedence and
    capacity allow, or make room there by moving one group of that quarter elsewhere (when
    the two moves together cost less). Deterministic: groups by how much they lose against their
    cheapest open quarter, ties by index.

    Parameters
    ----------
    quarter : a feasible schedule (not changed; a better copy is returned).
    passes : rounds over the groups (stops early when a round finds nothing).
    limit : at most this many groups (those losing most) are tried per round (keeps it linear).
    evict : at most this many groups of a quarter are tried for making room (cheapest to move first).

    Examples
    --------
    >>> from consolidation.schedule.problem import example_problem
    >>> p = example_problem()
    >>> improve_moves(p, np.array([1, 2, 3]), es=np.array([0, 1, 2]), blocked=p.blocked()).tolist()
    [0, 1, 2]
    """
    # longer than 80 lines: the helpers below share the residual capacity and the per-quarter members
    # with the loop as closures; split into functions they would pass seven lists around
    H, n = problem.horizon, problem.size
    quarter = quarter.astype(np.int64).copy()
    cost = problem.cost
    _, preds = problem.topological()
    succ = problem.successors(0.5)[0]
    obs = problem.onboarding()
    lag = problem.lag
    eig, fre = problem.eigen.tolist(), problem.fremd.tolist()
    last = np.minimum(problem.deadline, H - 1).tolist()
    es_l = es.tolist()
    ce, cf, ob = problem.capacities()
    ce -= np.bincount(quarter, weights=problem.eigen, minlength=H).astype(np.int64)
    cf -= np.bincount(quarter, weights=problem.fremd, minlength=H).astype(np.int64)
    np.subtract.at(ob, (problem.ob_target, quarter[problem.ob_group]), problem.ob_count)
    ce_l, cf_l, ob_l = ce.tolist(), cf.tolist(), ob.tolist()
    q_l = quarter.tolist()
    members: list[set[int]] = [set() for _ in range(H)]
    for g, q in enumerate(q_l):
        members[q].add(g)
    open_ = ~blocked

    def window(g: int) -> tuple[int, int]:
        lo = max([es_l[g]] + [q_l[p] + lag for p in preds[g]])
        hi = min([last[g]] + [q_l[s] - lag for s in succ[g]])
        return lo, hi

    def fits(g: int, q: int, room_e: int = 0, room_f: int = 0, room_ob: dict | None = None) -> bool:
        if ce_l[q] + room_e < eig[g] or cf_l[q] + room_f < fre[g]:
            return False
        return all(ob_l[t][q] + (room_ob or {}).get(t, 0) >= c for t, c in obs.get(g, ()))

    def move(g: int, q: int) -> None:
        old = q_l[g]
        ce_l[old] += eig[g]
        cf_l[old] += fre[g]
        ce_l[q] -= eig[g]
        cf_l[q] -= fre[g]
        for t, c in obs.get(g, ()):
            ob_l[t][old] += c
            ob_l[t][q] -= c
        members[old].discard(g)
        members[q].add(g)
        q_l[g] = q

    best_open = np.where(open_ & (np.arange(H)[None, :] >= es[:, None])
                         & (np.arange(H)[None, :] <= np.asarray(last)[:, None]), cost, np.iinfo(np.int64).max).min(axis=1)
    for _ in range(passes):
        loss = cost[np.arange(n), np.asarray(q_l)] - best_open
        order = np.lexsort((np.arange(n), -loss))[: min(limit, int((loss > 0).sum()))]
        improved = False
        for g in order.tolist():
            lo, hi = window(g)
            cur = q_l[g]
            if lo > hi:
                continue
            qs = np.arange(lo, hi + 1)
            qs = qs[open_[g, lo:hi + 1]]
            here = int(cost[g, cur])
            cheaper = qs[cost[g, qs] < here]
            if not len(cheaper):
                continue
            cheaper = cheaper[np.argsort(cost[g, cheaper], kind="stable")].tolist()
            done = False
            for b in cheaper:  # a direct move
                if fits(g, b):
                    move(g, b)
                    done = True
                    break
            if done:
                improved = True
                continue
            best = None  # (gain, b, h, c): g into b, h out of b into c
            for b in cheaper[:3]:
                gain_g = here - int(cost[g, b])
                if best is not None and gain_g <= best[0]:
                    break
                # the groups of b that lose least by moving one quarter later first (ties by index)
                room = np.fromiter(sorted(members[b] - {g}), dtype=np.int64)
                if len(room) > evict:
                    room = room[np.argsort(cost[room, min(b + 1, H - 1)] - cost[room, b], kind="stable")[:evict]]
                for h in room.tolist():
                    if g in preds[h] or g in succ[h] or h in preds[g] or h in succ[g]:
                        continue
                    room_ob = {t: c for t, c in obs.get(h, ())}
                    if not fits(g, b, eig[h], fre[h], room_ob):
                        continue
                    hlo, hhi = window(h)
                    for c in range(hlo, hhi + 1):
                        if c == b or not open_[h, c]:
                            continue
                        loss_h = int(cost[h, c]) - int(cost[h, b])
                        if gain_g - loss_h <= (best[0] if best else 0):
                            continue
                        back = {t: cc for t, cc in obs.get(g, ())} if c == cur else None
                        if fits(h, c, eig[g] if c == cur else 0, fre[g] if c == cur else 0, back):
                            best = (gain_g - loss_h, b, h, c)
            if best is not None:
                _, b, h, c = best
                move(h, c)
                move(g, b)
                improved = True
        if not improved:
            break
    return np.array(q_l, dtype=np.int64)

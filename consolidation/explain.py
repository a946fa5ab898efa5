"""Step 6 — explanations: the binding constraint of every move group's quarter.

For a group scheduled in quarter ``q`` the question is "why not earlier?". The answer is
the first of these that holds:

1. ``exit`` / ``eol`` — ``q`` is the group's deadline and a later quarter would be cheaper;
2. ``q`` is the first open quarter after the group's lower limit: that limit is a
   predecessor (``dependency``), the target's availability, the as-of quarter of a re-plan or the
   plan start (``earliest``), a postponement in the actuals (``postponed``), or a blackout window
   pushed it from the limit to ``q`` (``blackout``);
3. every earlier open quarter costs more (``contract``: cutting over earlier would pay the
   legacy contract twice for longer; the planner, which knows the contract, names it);
4. an earlier open quarter had no team capacity left (``capacity``) or no onboarding slot
   at the target (``onboarding``).

>>> import numpy as np
>>> from consolidation.schedule import example_problem
>>> p = example_problem()
>>> [(kind, reason) for kind, reason, _params, _related in binding_constraints(p, np.array([0, 1, 2]))]
[('earliest', 'earliest'), ('dependency', 'dependency'), ('dependency', 'dependency')]
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import numpy as np

from .schedule.problem import ScheduleProblem

__all__ = ["Binding", "binding_constraints"]

Binding = tuple[str, str, tuple[tuple[str, str], ...], str | None]
"""(kind, reason, params, related): the family of the binding constraint, the reason's message code
(:class:`plan.models.Reason`), its values as (name, value) pairs and the id that binds. Plain
tuples: cheap to build, to send from a worker process and to use as a cache key."""


def binding_constraints(problem: ScheduleProblem, quarter: np.ndarray, *,
                        label: Callable[[int], str] = lambda q: f"Q{q}") -> list[Binding]:
    """The binding constraint of each group's quarter (same order as ``problem.groups``).

    Parameters
    ----------
    problem : ScheduleProblem
    quarter : numpy.ndarray
        The chosen quarter per group.
    label : callable, optional
        Quarter index → label such as ``"2027-Q3"`` (called once per quarter).

    Returns
    -------
    list of (kind, reason, params, related)
        A ``contract`` binding's reason is generic (``contract_cheaper``); the planner replaces
        it with the contract's end and notice deadline (``contract_ends``).
    """
    # longer than 80 lines: one pass per group over plain lists, the four rules in the order of the
    # module docstring; as functions each call would take a dozen lists (90,000 groups at Germany scale)
    label = functools.cache(label)
    H = problem.horizon
    blocked = problem.blocked()
    has_blocked = blocked.any(axis=1).tolist()
    preds = problem.predecessors()
    # plain lists: this loop runs once per group (90,000 at Germany scale), numpy scalars are slow
    qs = np.asarray(quarter).tolist()
    used_e = np.bincount(quarter, weights=problem.eigen, minlength=H).tolist()
    used_f = np.bincount(quarter, weights=problem.fremd, minlength=H).tolist()
    obs = problem.onboarding()
    used_ob = np.zeros((len(problem.targets), H))
    for g, lst in obs.items():
        for t, c in lst:
            used_ob[t, quarter[g]] += c
    used_ob_l = used_ob.tolist()
    eigen, fremd = problem.eigen.tolist(), problem.fremd.tolist()
    cap_e, cap_f, ob_cap = problem.cap_eigen.tolist(), problem.cap_fremd.tolist(), problem.ob_cap.tolist()
    deadline, release = problem.deadline.tolist(), problem.release.tolist()
    open_all = [False] * H
    windows_of = problem.group_windows or tuple(() for _ in range(problem.size))
    out: list[Binding] = []
    for i in range(problem.size):
        q = qs[i]
        closed = blocked[i].tolist() if has_blocked[i] else open_all
        cost = None
        # 1. deadline
        dl = deadline[i]
        if q == dl and dl < H - 1:
            cost = problem.cost[i].tolist()
            if any(cost[r] < cost[q] for r in range(q + 1, H) if not closed[r]):
                reason = problem.deadline_reason[i]
                kind = "exit" if reason.startswith("exit") else "eol"
                out.append((kind, kind, (("quarter", label(q)),), reason))
                continue
        # 2. lower limit
        pred_q, pred = -1, None
        for p in preds[i]:
            if qs[p] + problem.lag > pred_q:
                pred_q, pred = qs[p] + problem.lag, p
        rel = release[i]
        lower = max(rel, pred_q, 0)
        first = lower
        while first < H and closed[first]:
            first += 1
        if q == first:
            if first > lower:
                w = next((problem.windows[w][0] for w in windows_of[i] if lower in problem.windows[w][1]), None)
                out.append(("blackout", "blackout", (("quarter", label(first - 1)),), w))
            elif pred is not None and pred_q >= rel and pred_q > 0:
                out.append(("dependency", "dependency", (("group", problem.groups[pred]), ("quarter", label(qs[pred]))),
                            problem.groups[pred]))
            elif rel > 0 and problem.release_reason[i] == "as_of":  # re-planned: nothing before the as-of quarter
                out.append(("earliest", "as_of", (("quarter", label(rel)),), None))
            elif rel > 0 and problem.release_reason[i].startswith("postponed:"):
                out.append(("postponed", "postponed", (("quarter", label(rel)),), problem.release_reason[i][10:]))
            elif rel > 0:
                out.append(("earliest", "target_available", (("quarter", label(rel)),), problem.release_reason[i]))
            else:
                out.append(("earliest", "earliest", (("quarter", label(q)),), None))
            continue
        earlier = [r for r in range(first, q) if not closed[r]]
        # 3. cost (contract) drives it later
        if cost is None:
            cost = problem.cost[i].tolist()
        if earlier and all(cost[r] > cost[q] for r in earlier):
            out.append(("contract", "contract_cheaper", (("quarter", label(q)),), None))
            continue
        # 4. capacity / onboarding in an earlier quarter
        hit = None
        for r in earlier:
            if used_e[r] + eigen[i] > cap_e[r]:
                hit = ("capacity", "capacity_eigen", (("quarter", label(r)),), f"eigen:{label(r)}")
            elif used_f[r] + fremd[i] > cap_f[r]:
                hit = ("capacity", "capacity_fremd", (("quarter", label(r)),), f"fremd:{label(r)}")
            else:
                for t, c in obs.get(i, ()):
                    if used_ob_l[t][r] + c > ob_cap[t]:
                        hit = ("onboarding", "onboarding", (("target", problem.targets[t]), ("quarter", label(r))),
                               problem.targets[t])
                        break
            if hit:
                break
        out.append(hit or ("capacity", "load_balancing", (("quarter", label(q)),), None))
    return out

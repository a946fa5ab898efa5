"""Step "Ist-Stand": what already happened, as constraints of the schedule (rolling re-planning).

``plan(..., as_of=DAY, actuals=A)`` keeps quarter 0 at the scenario's start and

* closes every quarter before the **as-of quarter** (the first quarter beginning on or after DAY,
  :func:`plan.calendar.first_open_quarter`) to every move group that is not done;
* fixes a **done** group (every system reported migrated) in the quarter of its last cut-over — reality
  wins over a dependency, a blackout window or an onboarding limit it broke, and its effort counts
  against the capacity of that quarter (raised to what was really done, never lowered);
* lets an **in-progress** group (a system of it in progress or migrated) finish only in the as-of quarter
  or the next (the first two its blackout windows leave open); its dependencies no longer hold it back
  (the work has started);
* holds a **postponed** group until the first quarter beginning on or after ``not_before``;
* makes a target instance that **went live** (the actuals' ``targets``) available from the quarter of its live
  day instead of the scenario's ``available_from`` — a move onto it is planned from then on, earlier or later
  than the scenario assumed — and its go-live quarter (run costs, funding milestone ``live.…``) that quarter.

The rest is scheduled by the same solver with the same guarantees. A hard deadline that reality has
overtaken (an exit, a hard end of life, the horizon now lies before the earliest possible quarter, where
it did not without the actuals) is a conflict of kind ``behind`` that says so
(:func:`fell_behind`). Without actuals, ``as_of`` alone closes the quarters before the as-of quarter.

>>> import numpy as np
>>> from consolidation.schedule import example_problem
>>> p = example_problem()
>>> prog = Progress.empty(3, first=1)
>>> apply_progress(p, prog).release.tolist()
[1, 1, 1]
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from actuals.models import Actuals
from common.errors import InputError, PlanningError
from plan.calendar import first_open_quarter, quarter_of
from plan.models import Assignment, BindingConstraint, Conflict, Reason

from .condense import Condensation
from .explain import Binding
from .schedule import ScheduleProblem, earliest_starts
from .schedule.problem import next_open
from .scheduling import target_releases
from .systems import SystemTable
from .targets import TargetMapping

__all__ = [
    "DONE",
    "IN_PROGRESS",
    "PLANNED",
    "ActualsMismatchError",
    "AsOfBeyondHorizonError",
    "Progress",
    "annotate_bindings",
    "apply_progress",
    "fell_behind",
    "progress_of",
    "with_progress",
]

PLANNED, IN_PROGRESS, DONE = 0, 1, 2


class ActualsMismatchError(InputError):
    """The actuals report progress on systems the scenario does not migrate (stay, exception, out of scope)."""


class AsOfBeyondHorizonError(PlanningError):
    """The as-of day lies after the scenario's horizon: there is no quarter left to plan."""


@dataclass(frozen=True, eq=False)
class Progress:
    """The actuals per move group and per system row of the :class:`~consolidation.systems.SystemTable`."""

    first: int
    """The as-of quarter: nothing that is not done is planned before it."""
    state: np.ndarray
    """Per group: PLANNED, IN_PROGRESS or DONE."""
    done_quarter: np.ndarray
    """Per group: the quarter of its last cut-over (DONE groups), else -1."""
    not_before: np.ndarray
    """Per group: the earliest quarter a postponement allows (0 if none)."""
    postponed_by: tuple[str | None, ...]
    """Per group: the system whose postponement holds it, if any."""
    row_quarter: dict[int, int] = field(default_factory=dict)
    """Row of the system table → the real quarter of a migrated system."""
    row_state: dict[int, tuple[str, dt.date]] = field(default_factory=dict)
    """Row → (``done`` | ``in_progress``, the day) for the systems the actuals report on."""
    postponed: dict[str, tuple[dt.date | None, str]] = field(default_factory=dict)
    """System id → (not_before, reason) of a postponed system."""
    content_hash: str | None = None
    """The actuals' content hash (``meta.actuals``), None without actuals."""
    target_live: dict[str, int] = field(default_factory=dict)
    """Target-instance id → the quarter it went live (the actuals' ``targets`` of this scenario's instances,
    within the horizon): its go-live, whatever quarter its first move lies in."""
    target_release: np.ndarray | None = None
    """Per group: the latest availability of its targets with the live quarters (None when no target went live)."""
    target_release_reason: tuple[str, ...] = ()
    """Per group: what sets ``target_release`` (``start`` or a target id)."""

    @classmethod
    def empty(cls, n_groups: int, *, first: int = 0) -> Progress:
        """No actuals: every group planned, nothing before quarter ``first``."""
        return cls(first=first, state=np.zeros(n_groups, np.int8), done_quarter=np.full(n_groups, -1, np.int64),
                   not_before=np.zeros(n_groups, np.int64), postponed_by=(None,) * n_groups)

    @property
    def active(self) -> bool:
        """Whether it changes anything (an as-of quarter after 0 or any actuals)."""
        return self.first > 0 or self.content_hash is not None


def progress_of(actuals: Actuals | None, as_of: dt.date | None, *, start: dt.date, horizon: int,
                mapping: TargetMapping, table: SystemTable, graph: Condensation) -> Progress:
    """The actuals per move group (``start``: the scenario's start day, quarter 0).

    Raises
    ------
    ActualsMismatchError
        A system reported migrated, in progress or postponed that the scenario does not migrate.
    AsOfBeyondHorizonError
        The as-of quarter lies after the horizon.
    """
    first = first_open_quarter(start, as_of) if as_of is not None else 0
    if first >= horizon:
        raise AsOfBeyondHorizonError(
            f"--as-of {as_of}: the scenario's horizon ends before that quarter; nothing is left to plan")
    n = len(graph.groups)
    if actuals is None:
        return Progress.empty(n, first=first)
    row_of = {sid: k for k, sid in enumerate(table.ids)}
    wrong = sorted(f"{sid} ({actuals.systems[sid].status}; decision {mapping.decisions[sid].decision})"
                   for sid in actuals.systems if sid not in row_of and sid in mapping.decisions)
    if wrong:
        raise ActualsMismatchError(
            "the actuals report progress on systems the scenario does not migrate:\n  " + "\n  ".join(wrong))
    group = table.group.tolist()
    row_quarter: dict[int, int] = {}
    row_state: dict[int, tuple[str, dt.date]] = {}
    postponed: dict[str, tuple[dt.date | None, str]] = {}
    not_before = np.zeros(n, np.int64)
    by: list[str | None] = [None] * n
    done_rows = np.zeros(n, np.int64)
    touched = np.zeros(n, bool)
    done_q = np.full(n, -1, np.int64)
    for sid, sp in sorted(actuals.systems.items()):
        if sid not in row_of:
            continue  # not in this inventory's mapping at all: load_actuals(landscape=…) reports it
        k = row_of[sid]
        g = group[k]
        if sp.status == "migrated" and sp.date is not None:  # the model requires the date
            q = max(quarter_of(start, sp.date), 0)
            row_quarter[k] = q
            row_state[k] = ("done", sp.date)
            done_rows[g] += 1
            touched[g] = True
            done_q[g] = max(done_q[g], q)
        elif sp.status == "in_progress" and sp.date is not None:
            row_state[k] = ("in_progress", sp.date)
            touched[g] = True
        else:
            postponed[sid] = (sp.not_before, sp.reason or "")
            q = first_open_quarter(start, sp.not_before) if sp.not_before is not None else first
            if q > not_before[g]:
                not_before[g], by[g] = q, sid
    state = np.where(done_rows == table.group_size, DONE, np.where(touched, IN_PROGRESS, PLANNED)).astype(np.int8)
    done_q = np.where(state == DONE, done_q, -1)
    ids = {i.id for i in mapping.instances}
    # a target id the scenario does not have: load_actuals(plan=…) reports it once the plan exists
    live = {t: max(quarter_of(start, tl.live), 0) for t, tl in sorted(actuals.targets.items()) if t in ids}
    t_release, t_reason = target_releases(start, mapping, table, n, live=live) if live else (None, [])
    return Progress(first=first, state=state, done_quarter=done_q, not_before=not_before, postponed_by=tuple(by),
                    row_quarter=row_quarter, row_state=row_state, postponed=postponed,
                    content_hash=actuals.content_hash or hashlib.sha256(b"").hexdigest(),
                    target_live={t: q for t, q in live.items() if q < horizon}, target_release=t_release,
                    target_release_reason=tuple(t_reason))


def apply_progress(problem: ScheduleProblem, prog: Progress) -> ScheduleProblem:
    """The schedule problem with the actuals as its domains (see the module docstring).

    Examples
    --------
    >>> from consolidation.schedule import example_problem
    >>> p = example_problem()
    >>> prog = dataclasses.replace(Progress.empty(3, first=2), state=np.array([2, 1, 0], np.int8),
    ...                            done_quarter=np.array([1, -1, -1]))
    >>> q = apply_progress(p, prog)
    >>> q.release.tolist(), q.deadline.tolist(), q.edges.tolist()
    ([1, 2, 2], [1, 3, 3], [[1, 2]])
    """
    if not prog.active:
        return problem
    H, first, state = problem.horizon, prog.first, prog.state
    done, busy = state == DONE, state == IN_PROGRESS
    hold = np.maximum(prog.not_before, first)
    # a target that went live is available from then on, instead of from the scenario's available_from
    base = problem.release if prog.target_release is None else prog.target_release
    base_reason = problem.release_reason if prog.target_release is None else prog.target_release_reason
    release = np.where(done, prog.done_quarter, np.where(busy, first, np.maximum(base, hold)))
    deadline = np.where(done, prog.done_quarter, problem.deadline)
    if busy.any():  # the first two quarters from the as-of quarter that its blackout windows leave open
        g = np.flatnonzero(busy)
        nxt = next_open(problem.blocked()[g], at_or_after=True).astype(np.int64)
        q1 = nxt[np.arange(len(g)), min(first, H)]
        q2 = nxt[np.arange(len(g)), np.minimum(q1 + 1, H)]
        deadline[g] = np.minimum(deadline[g], np.where(q2 < H, q2, np.where(q1 < H, q1, H - 1)))
    rel_reason = list(problem.release_reason)
    dl_reason = list(problem.deadline_reason)
    for g in np.flatnonzero(done | busy | (hold > base) | (base != problem.release)).tolist():
        if done[g]:
            rel_reason[g] = dl_reason[g] = "done"
        elif busy[g]:
            rel_reason[g] = "in_progress"
            if deadline[g] < problem.deadline[g]:
                dl_reason[g] = "in_progress"
        elif hold[g] <= base[g]:
            rel_reason[g] = base_reason[g]
        elif prog.not_before[g] > first and prog.postponed_by[g] is not None:
            rel_reason[g] = f"postponed:{prog.postponed_by[g]}"
        else:
            rel_reason[g] = "as_of"
    edges = problem.edges
    if len(edges):
        edges = edges[state[edges[:, 1]] == PLANNED]
    group_windows = tuple(() if d else w for d, w in zip(done.tolist(), problem.group_windows)) \
        if problem.group_windows else problem.group_windows
    keep = ~done[problem.ob_group] if len(problem.ob_group) else np.zeros(0, bool)
    cap_e, cap_f = problem.cap_eigen.copy(), problem.cap_fremd.copy()
    if done.any():
        dq = prog.done_quarter[done]
        cap_e = np.maximum(cap_e, np.bincount(dq, weights=problem.eigen[done], minlength=H).astype(np.int64))
        cap_f = np.maximum(cap_f, np.bincount(dq, weights=problem.fremd[done], minlength=H).astype(np.int64))
    return dataclasses.replace(
        problem, release=release.astype(np.int64), release_reason=tuple(rel_reason),
        deadline=deadline.astype(np.int64), deadline_reason=tuple(dl_reason), edges=edges,
        group_windows=group_windows, ob_group=problem.ob_group[keep], ob_target=problem.ob_target[keep],
        ob_count=problem.ob_count[keep], cap_eigen=cap_e, cap_fremd=cap_f)


def fell_behind(before: ScheduleProblem, after: ScheduleProblem, prog: Progress, *,
                label: Callable[[int], str]) -> tuple[Conflict, ...]:
    """The groups whose hard deadline reality has overtaken: feasible by their own limits without the
    actuals (earliest start ≤ deadline), no longer with them. Each is a conflict of kind ``behind``
    naming the group, the deadline (as a part: exit, end of life, horizon, in progress) and the
    earliest quarter now possible."""
    if not prog.active:
        return ()
    es_before, es_after = earliest_starts(before), earliest_starts(after)
    late = np.flatnonzero((es_after > after.deadline) & (es_before <= before.deadline)).tolist()
    out = []
    for g in late:
        why = after.deadline_reason[g]
        dl = int(after.deadline[g])
        family = why.split(":", 1)[0]
        part = (Reason(kind=family, params={"quarter": label(dl)}) if family in ("exit", "eol")  # type: ignore[arg-type]
                else Reason(kind="deadline", params={"reason": why, "quarter": label(dl)}) if family == "in_progress"
                else Reason(kind="horizon", params={"quarter": label(dl)}))
        earliest = int(es_after[g])
        out.append(Conflict(
            constraints=(f"frist:{why}", f"freigabe:{after.release_reason[g]}"),
            reason=Reason(kind="behind", params={
                "group": after.groups[g], "as_of": label(prog.first),
                "earliest": label(earliest) if earliest < after.horizon else label(after.horizon) + "+"}),
            parts=(part,)))
    return tuple(out)


def annotate_bindings(explained: list[Binding], prog: Progress, table: SystemTable, group_quarter: np.ndarray, *,
                      label: Callable[[int], str]) -> list[Binding]:
    """The explanations with the actuals: a done group is bound by its cut-over, an in-progress one by the
    work under way, a postponed one by the postponement's reason."""
    if prog.content_hash is None:
        return explained
    out = list(explained)
    day_of: dict[int, dt.date] = {}
    for k, (_, day) in prog.row_state.items():
        g = int(table.group[k])
        day_of[g] = max(day_of.get(g, day), day)
    for g in np.flatnonzero(prog.state != PLANNED).tolist():
        day = day_of[g].isoformat()
        if prog.state[g] == DONE:
            out[g] = ("actual", "done", (("date", day),), None)
        else:
            out[g] = ("actual", "in_progress", (("date", day), ("quarter", label(int(group_quarter[g])))), None)
    for g, sid in enumerate(prog.postponed_by):
        if sid is not None and out[g][0] == "postponed":
            _, reason = prog.postponed[sid]
            out[g] = ("postponed", "postponed", out[g][2] + (("reason", reason),), sid)
    return out


def with_progress(assignments: Sequence[Assignment], prog: Progress, table: SystemTable, *,
                  of: Callable[[str, str, tuple, str | None], BindingConstraint]) -> list[Assignment]:
    """Each migrating assignment with its ``progress`` and ``actual_date``; a migrated system of a group
    still in progress is bound by its own cut-over."""
    if prog.content_hash is None:
        return list(assignments)
    state_of = {table.ids[k]: v for k, v in prog.row_state.items()}
    out = []
    for a in assignments:
        if not a.moves:
            out.append(a)
            continue
        st = state_of.get(a.system)
        if st is None:
            out.append(a.model_copy(update={"progress": "planned"}))
        elif st[0] == "done" and a.binding.reason.kind != "done":
            out.append(a.model_copy(update={"progress": "done", "actual_date": st[1],
                                            "binding": of("actual", "done", (("date", st[1].isoformat()),), None)}))
        else:
            out.append(a.model_copy(update={"progress": st[0], "actual_date": st[1]}))
    return out

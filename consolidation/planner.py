"""The planner: ``plan(landscape, scenario) -> Plan``, a pure function, as a pipeline of named steps.

====================  ==========================================  ==========================================
step                  function (module)                           result
====================  ==========================================  ==========================================
targets               ``map_targets`` (:mod:`.targets`)           :class:`~.targets.TargetMapping`
graph                 ``condense`` (:mod:`.graph`)                :class:`~.graph.Condensation`
placement             ``placement_units``, ``place``              :class:`~.placement.PlacementResult`
                      (:mod:`.placement`)
costs                 ``system_table``, ``group_costs``           :class:`~.systems.SystemTable`,
                      (:mod:`.systems`)                           :class:`~.systems.GroupCosts`
schedule              ``schedule_problem`` (:mod:`.scheduling`),  :class:`~.schedule.ScheduleResult`
                      ``apply_progress`` (:mod:`.progress`),      (or the conflicts), bindings
                      ``schedule`` (:mod:`.schedule`),
                      ``binding_constraints`` (:mod:`.explain`)
costs (plan)          ``status_quo``, ``plan_costs``              :class:`~.plan_costs.PlanCosts`
                      (:mod:`.plan_costs`)
funding               ``funding_releases`` (:mod:`.funding`)      funding releases
assemble              :mod:`.assignments`, :mod:`.network`,       :class:`~plan.models.Plan`
                      :mod:`.assemble`
====================  ==========================================  ==========================================

:func:`_plan` is the driver. Two speed measures show in it: the placement, the schedule and
its explanations run in a worker process for large landscapes (a thread otherwise) while the
planner computes what does not depend on them (:func:`_beside_the_schedule`; beside a thread,
from when the schedule's solver runs native code, :func:`_until_native`); and the cyclic
garbage collector is paused (:func:`_collector_paused`). Same input → byte-identical plan JSON
(sorted collections, seeded single-thread or interleaved solver, deterministic time limits).

>>> from consolidation._examples import tiny_landscape, tiny_scenario
>>> p = plan(tiny_landscape(), tiny_scenario())
>>> [(a.system, a.decision, a.target, a.quarter) for a in p.assignments]
[('a.iam', 'rehost', None, 0), ('a.mail', 'migrate', 't.e-mail', 1), ('b.iam', 'rehost', None, 0), ('b.mail', 'migrate', 't.e-mail', 0)]
"""

from __future__ import annotations

import functools
import gc
import hashlib
import threading
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import date

import numpy as np

from actuals.models import Actuals
from inventory.models import Landscape
from plan.calendar import quarter_label
from plan.models import Conflict, DomainMetrics, Plan, Reason, SolverStep

from ._worker import Kept, Worker, preload
from .assemble import (
    Parts,
    assemble,
    data_centre_models,
    group_predecessors,
    move_group_models,
    organisation_models,
    outside_dependencies,
    placement_step,
    target_models,
    wave_models,
)
from .assignments import Bindings, Prepared, finish_assignments, group_bindings, prepare_assignments
from .condense import Condensation, condense, dependency_arrays
from .explain import binding_constraints
from .funding import funding_releases
from .network import Network, network
from .placement import PlacementResult, PlacementUnits, place, placement_units
from .plan_costs import StatusQuo, go_live, plan_costs, status_quo
from .progress import annotate_bindings, apply_progress, fell_behind, progress_of, with_progress
from .scenario import Scenario
from .schedule import ScheduleInfeasibleError, ScheduleProblem, schedule
from .scheduling import blackout_windows, schedule_problem
from .systems import SystemTable, group_costs, system_table
from .targets import TargetMapping, heterogeneity, map_targets

__all__ = ["inventory_hash", "plan"]

StepProgress = Callable[[str], None]
Site = Worker | ThreadPoolExecutor
"""Where the solver steps run: a worker process, or a thread of this process."""

_FROZEN_AT_IMPORT = gc.get_freeze_count()
"""Objects in the collector's permanent generation before anyone froze any (CPython 3.12: 375 tuples)."""


def inventory_hash(landscape: Landscape) -> str:
    """sha256 over the inventory's canonical JSON (``landscape.model_dump_json()``).

    The JSON is fed to the hash one organisation at a time: at Germany scale the whole
    document is over half a gigabyte.

    >>> from consolidation._examples import tiny_landscape
    >>> L = tiny_landscape()
    >>> inventory_hash(L) == hashlib.sha256(L.model_dump_json().encode("utf-8")).hexdigest()
    True
    """
    h = hashlib.sha256()
    marker = '"organisations":[]'
    shell = landscape.model_copy(update={"organisations": ()}).model_dump_json()
    if shell.count(marker) != 1:  # pragma: no cover - an organisation-free part that looks the same
        h.update(landscape.model_dump_json().encode("utf-8"))
        return h.hexdigest()
    head, tail = shell.split(marker)
    h.update(f'{head}"organisations":['.encode())
    for k, inv in enumerate(landscape.organisations):
        if k:
            h.update(b",")
        h.update(inv.__pydantic_serializer__.to_json(inv))  # model_dump_json() without the str round trip
    h.update(f"]{tail}".encode())
    return h.hexdigest()


def plan(landscape: Landscape, scenario: Scenario, *, progress: StepProgress | None = None,
         record_timing: bool = False, as_of: date | None = None, actuals: Actuals | None = None) -> Plan:
    """Plan the consolidation of ``landscape`` under ``scenario``.

    Parameters
    ----------
    landscape : Landscape
    scenario : Scenario
    progress : callable, optional
        Called with the name of each step as it starts (for a progress display).
    record_timing : bool, default False
        Record wall-clock solver times in ``solver[].time_s``. Off by default because
        timings differ between runs and the plan must be byte-identical for the same input.
    as_of : date, optional
        The day the plan is made: nothing that is not done is planned before the as-of quarter, the
        first quarter beginning on or after it (:func:`plan.calendar.first_open_quarter`); quarter 0
        stays the scenario's start. The plan records the day in ``meta.as_of``.
    actuals : Actuals, optional
        What already happened (:func:`actuals.load.load_actuals`): done moves stay in their real
        quarters, in-progress ones finish in the as-of quarter or the next, postponed ones wait
        (:mod:`consolidation.progress`); the plan records the actuals' hash in ``meta.actuals`` and
        each migrating assignment's ``progress``.

    Returns
    -------
    Plan
        ``feasible=False`` with ``conflicts`` when no schedule satisfies every constraint.

    Raises
    ------
    consolidation.targets.UnknownReferenceError
        The scenario names organisations or systems the inventory does not have.
    consolidation.placement.PlacementInfeasibleError
        The data centres cannot hold the targets and workloads.
    consolidation._worker.WorkerError
        The worker process for the solver steps died (e.g. killed when out of memory).
    consolidation.progress.ActualsMismatchError
        The actuals report progress on a system the scenario does not migrate.
    consolidation.progress.AsOfBeyondHorizonError
        ``as_of`` lies after the scenario's horizon.

    Notes
    -----
    The cyclic garbage collector is paused while the planner runs (and restored afterwards):
    the planner allocates millions of acyclic objects next to a landscape of millions more, and
    every full collection walks all of them — seconds per collection at Germany scale, for
    nothing to collect. Reference counting still frees everything as usual.
    """
    with _collector_paused(), ThreadPoolExecutor(max_workers=2) as background, ExitStack() as stack:
        return _plan(landscape, scenario, progress=progress, record_timing=record_timing, background=background,
                     stack=stack, as_of=as_of, actuals=actuals)


@contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_freeze_count() <= _FROZEN_AT_IMPORT:
            # hand the objects made meanwhile to the oldest generation without a collection;
            # otherwise the first young collection afterwards walks the whole plan: 1 s at Germany
            # scale. Skipped when the program has frozen objects itself (unfreezing would release
            # them); the few hundred tuples CPython 3.12 keeps there from its start move along.
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


def _plan(landscape: Landscape, scenario: Scenario, *, progress: StepProgress | None, record_timing: bool,
          background: ThreadPoolExecutor, stack: ExitStack, as_of: date | None = None,
          actuals: Actuals | None = None) -> Plan:
    """The driver: the steps in order, the solver steps on a :data:`Site` beside the others."""
    step = progress or (lambda _s: None)
    H = scenario.horizon_quarters
    labels = [quarter_label(scenario.start, q) for q in range(H)]
    label = lambda q: labels[q] if 0 <= q < H else quarter_label(scenario.start, q)
    org_ids = sorted(landscape.orgs)

    step("Zielzuordnung")
    mapping = map_targets(landscape, scenario)
    migrating = [s for s, d in mapping.decisions.items() if d.decision == "migrate"]

    step("Abhängigkeitsgraph")
    worker = _start_worker(stack, scenario, len(migrating))
    # array form of dependency_graph → move_groups → group_dag (same groups and edges)
    graph = condense(dependency_arrays(landscape, systems=migrating), tight=scenario.scheduling.tight_coupling)

    step("Platzierung")
    units = placement_units(landscape, mapping, migrating)
    site = _solver_site(worker, background, len(graph.groups), scenario)
    placed = site.submit(place, units.units, scenario.data_centres, seed=scenario.solver.seed,
                         workers=scenario.solver.workers, time_limit_s=scenario.solver.time_limit_s)

    step("Kosten je Quartal")
    table = system_table(landscape, scenario, mapping, graph.groups, org_ids=org_ids)
    per_group = group_costs(table, scenario)

    step("Wellenplanung")
    windows = blackout_windows(scenario)
    prog = progress_of(actuals, as_of, start=scenario.start, horizon=H, mapping=mapping, table=table, graph=graph)
    unconstrained = schedule_problem(landscape, scenario, mapping, table, per_group, graph, windows, org_ids=org_ids)
    problem = apply_progress(unconstrained, prog)
    behind = fell_behind(unconstrained, problem, prog, label=label)
    del unconstrained
    problem_there = site.keep(problem) if isinstance(site, Worker) and not behind else problem
    native = None if isinstance(site, Worker) else threading.Event()
    scheduled = None if behind else site.submit(
        schedule, problem_there, native=native, **scenario.solver.model_dump(exclude={"process_min_groups"}))
    _until_native(scheduled, native)
    bindings = Bindings()
    beside = _beside_the_schedule(landscape, scenario, mapping, table, graph, units, placed, bindings,
                                  org_ids=org_ids)
    outcome = _fell_behind_outcome(site, behind, len(graph.groups)) if scheduled is None else _schedule_outcome(
        scheduled, site, problem_there, scenario, n_groups=len(graph.groups), record_timing=record_timing)
    quarter = outcome.group_quarter[table.group] if table.size else np.zeros(0, np.int64)
    if prog.row_quarter and outcome.feasible:  # a migrated system keeps its real quarter
        quarter = quarter.copy()
        quarter[list(prog.row_quarter)] = list(prog.row_quarter.values())

    step("Kosten und Förderung")
    where = beside.placement.where
    live = {**go_live(table, quarter, mapping, H), **prog.target_live}  # a target that went live: its real quarter
    costs = plan_costs(landscape, scenario, mapping, table, quarter, beside.status_quo, live=live, where=where,
                       home_dc=beside.home_dc, target_size=units.target_size, rehost_size=units.rehost_size,
                       org_ids=org_ids)
    funding = funding_releases(scenario, table, quarter, live=live, org_ids=org_ids, label=label) if outcome.feasible else []

    step("Erklärungen und Netze")
    explained = outcome.explained.result() if outcome.explained is not None else None
    if explained is not None:
        explained = annotate_bindings(explained, prog, table, outcome.group_quarter, label=label)
    per_group_binding = group_bindings(explained, table, costs.breakdown, bindings=bindings)
    feasible = outcome.feasible
    assignments = finish_assignments(beside.assignments, table, quarter, costs.breakdown, per_group_binding,
                                     feasible=feasible, labels=labels)
    return assemble(landscape, scenario, mapping, Parts(
        inventory_hash=beside.inventory_hash, organisations=beside.organisations, data_centres=beside.data_centres,
        targets=target_models(mapping, units.target_size, where, costs.hosting),
        assignments=with_progress(assignments, prog, table, of=bindings.of) if feasible else assignments,
        move_groups=move_group_models(graph, beside.depends_on, outcome.group_quarter if feasible else None,
                                      beside.outside),
        waves=wave_models(scenario, per_group, outcome.group_quarter, quarter, label) if feasible else (),
        blackouts=windows, metrics=beside.metrics, costs=costs.summary, funding=funding,
        solver=(placement_step(beside.placement, record_timing=record_timing), outcome.step), feasible=feasible,
        conflicts=outcome.conflicts, network=beside.network, as_of=as_of, actuals=prog.content_hash,
    ))


def _start_worker(stack: ExitStack, scenario: Scenario, migrating: int) -> Worker | None:
    """A worker process for the solver steps of a large landscape (``solver.process_min_groups``).

    There are at most as many move groups as migrating systems: a worker that may be needed starts
    before the graph is built and imports the solver modules meanwhile."""
    if migrating < scenario.solver.process_min_groups:
        return None
    try:
        worker = stack.enter_context(Worker())
    except OSError as exc:  # e.g. a process limit: the same plan, in a thread (slower)
        warnings.warn(f"no worker process ({exc}); solving in a thread of this process", RuntimeWarning,
                      stacklevel=4)
        return None
    worker.submit(preload, "consolidation.placement", "consolidation.schedule", "consolidation.explain")
    return worker


def _until_native(scheduled: Future | None, native: threading.Event | None) -> None:
    """Wait until the schedule, solved in a thread of this process, runs native code (or has
    ended): the work beside it is Python and would otherwise slow the schedule's numpy steps
    down, each waiting for the interpreter lock (see ``schedule``'s ``native``)."""
    if scheduled is not None and native is not None:
        scheduled.add_done_callback(lambda _f: native.set())  # an early end (an error) ends the wait too
        native.wait()


def _solver_site(worker: Worker | None, background: ThreadPoolExecutor, n_groups: int, scenario: Scenario) -> Site:
    """The worker when there are enough move groups for it to pay, else a thread (a worker not
    needed after all is shut down)."""
    if worker is not None and n_groups >= scenario.solver.process_min_groups:
        return worker
    if worker is not None:  # fewer groups than systems
        worker.shutdown(wait=False)
    return background


@dataclass(frozen=True, eq=False)
class _Beside:
    """What the planner computes while the schedule is solved (none of it depends on the schedule)."""

    inventory_hash: str
    metrics: tuple[DomainMetrics, ...]
    placement: PlacementResult
    home_dc: dict[str, str]
    """Per organisation with a home (tenant network, rehosted workloads): its data centre."""
    data_centres: tuple
    organisations: tuple
    network: Network
    status_quo: StatusQuo
    assignments: Prepared
    depends_on: list[tuple[str, ...]]
    outside: list[tuple[str, ...]]
    """Per move group the systems that do not move it depends on or serves."""


def _beside_the_schedule(landscape: Landscape, scenario: Scenario, mapping: TargetMapping, table: SystemTable,
                         graph: Condensation, units: PlacementUnits, placed: Future, bindings: Bindings, *,
                         org_ids: list[str]) -> _Beside:
    inv_hash = inventory_hash(landscape)
    metrics = heterogeneity(landscape, scenario, mapping)
    placement = placed.result()
    where = placement.where
    home_dc = {u.id[5:]: where[u.id] for u in units.units if u.tenant}
    return _Beside(
        inventory_hash=inv_hash, metrics=metrics, placement=placement, home_dc=home_dc,
        data_centres=data_centre_models(scenario, units.units, where),
        organisations=organisation_models(landscape, org_ids, mapping.participating,
                                          scenario.organisations.continue_after_exit),
        network=network(landscape, scenario, mapping, vm_sizes=units.vms, where=where, home_dc=home_dc),
        status_quo=status_quo(landscape, scenario, mapping, table, org_ids=org_ids),
        assignments=prepare_assignments(landscape, scenario, mapping, table, graph.groups, where=where,
                                        home_dc=home_dc, bindings=bindings),
        depends_on=group_predecessors(graph), outside=outside_dependencies(landscape, mapping, graph),
    )


@dataclass(frozen=True, eq=False)
class _ScheduleOutcome:
    feasible: bool
    group_quarter: np.ndarray
    """Per move group its quarter (zeros when no schedule exists)."""
    step: SolverStep
    conflicts: tuple[Conflict, ...]
    explained: Future | None
    """The binding constraints, computed on the solver's site (``None`` without a schedule)."""


def _fell_behind_outcome(site: Site, behind: tuple[Conflict, ...], n_groups: int) -> _ScheduleOutcome:
    """No schedule is sought: reality has overtaken a hard deadline (:func:`~.progress.fell_behind`)."""
    site.shutdown(wait=False)
    return _ScheduleOutcome(False, np.zeros(n_groups, np.int64),
                            SolverStep(step="schedule", solver="OR-Tools CP-SAT", status="INFEASIBLE", time_s=0.0),
                            behind, None)


def _schedule_outcome(scheduled: Future, site: Site, problem: ScheduleProblem | Kept, scenario: Scenario, *,
                      n_groups: int, record_timing: bool) -> _ScheduleOutcome:
    """The schedule, or its conflicts; with a schedule, its explanations start on the same site."""
    try:
        r = scheduled.result()
    except ScheduleInfeasibleError as exc:
        conflicts = tuple(Conflict(constraints=c.constraints, reason=Reason(kind=c.kind, params=dict(c.params)),
                                   parts=tuple(Reason(kind=k, params=dict(ps)) for k, ps in c.parts))
                          for c in exc.conflicts)
        site.shutdown(wait=False)
        return _ScheduleOutcome(False, np.zeros(n_groups, np.int64),
                                SolverStep(step="schedule", solver="OR-Tools CP-SAT", status="INFEASIBLE", time_s=0.0),
                                conflicts, None)
    explained = site.submit(binding_constraints, problem, r.quarter,
                            label=functools.partial(quarter_label, scenario.start))
    site.shutdown(wait=False)  # a worker process ends by itself after the explanations
    step = SolverStep(step="schedule", solver=r.method, status=r.status, objective=r.objective,
                      best_bound=r.best_bound, gap=r.gap, time_s=round(r.time_s, 3) if record_timing else 0.0,
                      subproblems=r.subproblems, baseline_objective=r.baseline_objective)
    return _ScheduleOutcome(True, r.quarter, step, (), explained)

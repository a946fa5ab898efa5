"""Step "assemble", the assignments: the decision for every system of the inventory and why.

Every system gets one :class:`~plan.models.Assignment`. Those that do not migrate are finished
while the schedule is solved (:func:`prepare_assignments`); for the migrating ones the values
that do not depend on the schedule are kept as plain tuples, finished with their quarter, contract
dates and binding constraint once the schedule is known (:func:`finish_assignments`). Bindings
are shared models, one per distinct (kind, reason, values, related) (:class:`Bindings`).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from inventory.models import Landscape
from plan.models import Assignment, BindingConstraint, Reason

from . import costs as C
from ._construct import builder
from .explain import Binding
from .graph import Group
from .scenario import Scenario
from .systems import SystemTable, rehost_eol
from .targets import TargetMapping, exited_before_start, schutzbedarf_maximum

__all__ = ["Bindings", "Prepared", "finish_assignments", "group_bindings", "prepare_assignments"]

Prepared = list[Assignment | tuple]
"""The assignments in system id order: finished models, and tuples for the migrating systems
(row, system, org, domain, product before, target, data centre, move group, one-off cost, end of
life, Schutzbedarf)."""


class Bindings:
    """The binding-constraint models of one plan: one model per distinct binding."""

    def __init__(self) -> None:
        binding, reason = builder(BindingConstraint), builder(Reason)
        self.of = functools.cache(lambda kind, why, params, related: binding(
            kind=kind, reason=reason(kind=why, params=dict(params)), related=related))
        """``of(kind, reason, params, related)``: the model (``params`` as (name, value) pairs)."""


def prepare_assignments(landscape: Landscape, scenario: Scenario, mapping: TargetMapping, table: SystemTable,
                        groups: Sequence[Group], *, where: Mapping[str, str], home_dc: Mapping[str, str],
                        bindings: Bindings) -> Prepared:
    """Every system's assignment as far as it does not depend on the schedule (see :data:`Prepared`)."""
    dec, systems = mapping.decisions, landscape.systems
    sb_max = schutzbedarf_maximum()
    money = functools.cache(C.money)  # one-off costs: few distinct amounts
    binding_of = bindings.of
    assignment = builder(Assignment)
    prepared: Prepared = []
    exc_entries = {e.id: e for e in scenario.exceptions}
    pos = {sid: k for k, sid in enumerate(table.ids)}
    group_l = table.group.tolist()
    one_e, one_f = C.one_off_costs(table, scenario)
    one_off_l = (one_e + one_f).tolist()
    group_ids = [g.id for g in groups]
    dc_of_target = {i.id: where[i.id] for i in mapping.instances}
    exited = exited_before_start(landscape, scenario)
    kept = frozenset(scenario.scheduling.keep_domains)
    for sid in sorted(dec):
        d = dec[sid]
        s = systems[sid]
        if d.decision != "migrate":
            if d.decision == "out_of_scope" and d.org in exited:
                b = binding_of("out_of_scope", "exited_before_start",
                               (("org", d.org), ("exit", landscape.orgs[d.org].zweckverband.exit_date.isoformat()),
                                ("start", scenario.start.isoformat())), d.org)
            elif d.decision == "out_of_scope":
                b = binding_of("out_of_scope", "not_participating", (("org", d.org),), d.org)
            elif d.decision == "exception":
                e = exc_entries[d.exception]
                b = binding_of("exception", "exception", (("justification", e.justification),), e.id)
            elif d.standard:
                product = landscape.products.get(s.product)
                params = (("product", product.name if product else s.product), ("version", s.version or ""))
                if s.end_of_life is not None:
                    b = binding_of("standard", "already_standard_until",
                                   params + (("until", s.end_of_life.isoformat()),), s.product)
                else:
                    b = binding_of("standard", "already_standard", params, s.product)
            elif d.domain in kept:
                b = binding_of("kept", "domain_kept", (("domain", d.domain),), d.domain)
            else:
                b = binding_of("stay", "no_standard_target", (("domain", d.domain),), None)
            prepared.append(assignment(system=sid, org=d.org, domain=d.domain, product_before=s.product,
                                       schutzbedarf=sb_max(s.schutzbedarf), end_of_life=s.end_of_life,
                                       decision=d.decision, binding=b))
            continue
        k = pos[sid]
        eol = s.end_of_life if d.target is not None else rehost_eol(landscape, s)
        prepared.append((k, sid, d.org, d.domain, s.product, d.target,
                         dc_of_target[d.target] if d.target is not None else home_dc[d.org], group_ids[group_l[k]],
                         money(one_off_l[k]), eol, sb_max(s.schutzbedarf)))
    return prepared


def group_bindings(explained: Iterable[Binding] | None, table: SystemTable, breakdown: C.CostBreakdown, *,
                   bindings: Bindings) -> list[BindingConstraint]:
    """Per move group its binding constraint (``explained``: from
    :func:`~consolidation.explain.binding_constraints`, ``None`` when no schedule exists). A group
    held back by a contract names the contract of its first system that has one, with its end and
    notice deadline."""
    n_groups = len(table.group_size)
    binding_of = bindings.of
    if explained is None:
        return [binding_of("capacity", "infeasible", (), None)] * n_groups
    n = table.size
    last_day = functools.cache(C.last_day_before)
    cend_l = breakdown.contract_end.tolist()
    notice = table.notice.tolist()
    cand = np.where(table.has_contract, np.arange(n), n)
    first = np.minimum.reduceat(cand, table.group_start).tolist() if n else []
    with_notice = C.needs_notice(table).tolist()
    notes: list[tuple[str, tuple] | None] = [None] * n_groups
    for gi, k in enumerate(first):
        if k < n:
            if with_notice[k]:
                notes[gi] = ("contract_ends", (("system", table.ids[k]), ("end", last_day(cend_l[k]).isoformat()),
                                               ("notice", last_day(cend_l[k] - notice[k]).isoformat())))
            else:  # a fixed term without renewal: ends by itself
                notes[gi] = ("contract_expires", (("system", table.ids[k]), ("end", last_day(cend_l[k]).isoformat())))
    # one model per distinct binding; a binding contract names its contract
    return [binding_of("contract", notes[gi][0], notes[gi][1], None)
            if kind == "contract" and notes[gi] is not None else binding_of(kind, why, params, related)
            for gi, (kind, why, params, related) in enumerate(explained)]


def finish_assignments(prepared: Prepared, table: SystemTable, quarter: np.ndarray, breakdown: C.CostBreakdown,
                       group_binding: list[BindingConstraint], *, feasible: bool, labels: list[str]
                       ) -> list[Assignment]:
    """The assignments with the schedule: quarter, contract end and notice deadline, migration
    after the end of life, binding constraint (``quarter``: per row of ``table``).

    ``prepared`` is consumed (emptied): at Germany scale its half a million tuples are not kept
    while the plan is assembled."""
    assignment = builder(Assignment)
    last_day = functools.cache(C.last_day_before)
    cend_l = breakdown.contract_end.tolist()
    notice = table.notice.tolist()
    has_c = table.has_contract.tolist()
    with_notice = C.needs_notice(table).tolist()
    eig, fre = table.eigen_pd.tolist(), table.fremd_pd.tolist()
    group_l = table.group.tolist()
    q_l = quarter.tolist()
    late_l = breakdown.late_quarters.tolist()
    assignments = []
    for item in prepared:
        if item.__class__ is tuple:
            k, sid, org, dom, product, target, dc, mg, one_off, eol, sb = item
            q = q_l[k] if feasible else None
            with_contract = has_c[k]
            item = assignment(
                system=sid, org=org, domain=dom, product_before=product,
                decision="migrate" if target is not None else "rehost", target=target,
                data_centre=dc, move_group=mg, quarter=q, quarter_label=labels[q] if q is not None else None,
                effort_eigen_pd=eig[k], effort_fremd_pd=fre[k], one_off_cost=one_off, end_of_life=eol,
                migrated_after_eol=bool(feasible and late_l[k] > 0),
                contract_end=last_day(cend_l[k]) if with_contract else None,
                notice_deadline=last_day(cend_l[k] - notice[k]) if with_contract and with_notice[k] else None,
                schutzbedarf=sb, binding=group_binding[group_l[k]],
            )
        assignments.append(item)
    prepared.clear()
    return assignments

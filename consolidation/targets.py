"""Step 2 — map every system to its standard target (or let it stay, or make it an exception).

N local installations of M products per domain become one (or a few) shared instances of
the scenario's standard product. Systems of organisations outside the scenario are
``out_of_scope``; systems named by an exception (Einzelmaßnahme) stay where they are;
systems of a domain without a standard target are rehosted unchanged into a data centre
(``scheduling.rehost_unmapped``) or kept. A system already on its domain's standard product in a
supported version (no end of support known, or one after the scenario start) is ``stay`` with
``standard=True``: it is already standard, nothing to migrate (:func:`already_standard`).

The result is a :class:`TargetMapping`: per system one :class:`Decision`, and the target
instances with their tenants. :func:`heterogeneity` gives the per-domain heterogeneity
before and after (the planner computes it while the schedule is solved).

>>> from consolidation._examples import tiny_landscape, tiny_scenario
>>> L, S = tiny_landscape(), tiny_scenario()
>>> m = map_targets(L, S)
>>> m.decisions["a.mail"].target, m.decisions["b.mail"].target
('t.e-mail', 't.e-mail')
>>> [(x.domain, x.instances_before, x.instances_after) for x in heterogeneity(L, S, m)]
[('e-mail', 2, 1), ('iam', 2, 2)]
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from common.errors import InputError
from common.types import Schutzbedarf
from inventory.models import Landscape, SchutzbedarfVIV, System
from inventory.stats import inselloesungen
from plan.models import DomainMetrics

from .scenario import Scenario, TargetSpec

__all__ = [
    "Decision",
    "TargetInstanceSpec",
    "TargetMapping",
    "UnknownReferenceError",
    "already_standard",
    "exited_before_start",
    "heterogeneity",
    "map_targets",
    "migration_effort",
    "participants",
    "schutzbedarf_maximum",
]


class UnknownReferenceError(InputError):
    """The scenario names an organisation or system the inventory does not have."""


class Decision(NamedTuple):
    """Per system (a named tuple: one is made for each of the landscape's systems)."""

    system: str
    org: str
    domain: str
    decision: str
    """migrate, exception, stay or out_of_scope (see :class:`plan.models.Assignment`)."""
    target: str | None = None
    """Target instance id; None for a rehost or when not migrating."""
    exception: str | None = None
    """Id of the exception entry, if any."""
    same_product: bool = False
    standard: bool = False
    """Kept because it already runs the domain's standard product in a supported version."""


def already_standard(system: System, target: TargetSpec, start: date) -> bool:
    """Does ``system`` already run ``target``'s product in a version supported at ``start``?

    Examples
    --------
    >>> from datetime import date
    >>> from consolidation._examples import tiny_landscape, tiny_scenario
    >>> s, t = tiny_landscape().systems["a.mail"], tiny_scenario().targets[0]
    >>> already_standard(s.model_copy(update={"product": t.product, "end_of_life": None}), t, date(2026, 1, 1))
    True
    >>> already_standard(s.model_copy(update={"product": t.product, "end_of_life": date(2025, 12, 31)}), t,
    ...                  date(2026, 1, 1))
    False
    """
    return system.product == target.product and (system.end_of_life is None or system.end_of_life > start)


@dataclass(frozen=True, slots=True)
class TargetInstanceSpec:
    id: str
    spec: TargetSpec
    tenants: tuple[str, ...]
    systems: tuple[str, ...]
    schutzbedarf: Schutzbedarf
    users: int
    data_gb: int


@dataclass(frozen=True, slots=True)
class TargetMapping:
    decisions: dict[str, Decision]
    instances: tuple[TargetInstanceSpec, ...]
    participating: frozenset[str]
    exception_systems: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(slots=True)
class _Members:
    """A target instance's systems and what they add up to (built while mapping)."""

    systems: list[str]
    tenants: set[str]
    users: int
    data_gb: int
    schutzbedarf: Schutzbedarf


def participants(landscape: Landscape, scenario: Scenario) -> frozenset[str]:
    """Ids of the organisations that take part.

    Raises
    ------
    UnknownReferenceError
        When the scenario names an organisation that is not in the inventory.
    """
    orgs = landscape.orgs
    p = scenario.organisations
    named = set(p.exclude) | set(p.continue_after_exit) | (set() if p.include == "all" else set(p.include))
    unknown = sorted(named - orgs.keys())
    if unknown:
        raise UnknownReferenceError(f"scenario names unknown organisation(s): {', '.join(unknown)}")
    base = set(orgs) if p.include == "all" else set(p.include)
    return frozenset(base - set(p.exclude) - exited_before_start(landscape, scenario))


def exited_before_start(landscape: Landscape, scenario: Scenario) -> frozenset[str]:
    """Organisations that left the Zweckverband before the plan starts (and do not stay customers):
    out of scope, since no quarter of the plan ends before their exit.

    >>> from consolidation._examples import tiny_landscape, tiny_scenario
    >>> sorted(exited_before_start(tiny_landscape(), tiny_scenario()))
    []
    """
    stay = set(scenario.organisations.continue_after_exit)
    return frozenset(o for o, org in landscape.orgs.items()
                     if org.zweckverband.exit_date is not None and org.zweckverband.exit_date < scenario.start
                     and o not in stay)


def migration_effort(system: System, scenario: Scenario, *, same_product: bool) -> tuple[float, float]:
    """(Eigen, Fremd) person-days to migrate ``system`` under the scenario's cost assumptions.

    Examples
    --------
    >>> from consolidation._examples import tiny_landscape, tiny_scenario
    >>> migration_effort(tiny_landscape().systems["a.mail"], tiny_scenario(), same_product=False)
    (4.0, 6.0)
    """
    c = scenario.costs
    factor = 1.0
    for threshold, f in c.size_factors:
        if system.users >= threshold:
            factor = f
    total = c.migration_pd[system.complexity] * factor * (c.same_product_factor if same_product else 1.0)
    eigen = round(total * c.eigen_share, 1)
    return eigen, round(total - eigen, 1)


def _chunks(items: list[str], n: int) -> list[list[str]]:
    size = math.ceil(len(items) / n) if items else 0
    return [items[i * size:(i + 1) * size] for i in range(n)] if size else [[] for _ in range(n)]


def map_targets(landscape: Landscape, scenario: Scenario) -> TargetMapping:
    """Map every system of ``landscape`` to a decision under ``scenario``.

    Parameters
    ----------
    landscape : Landscape
    scenario : Scenario

    Returns
    -------
    TargetMapping

    Raises
    ------
    UnknownReferenceError
        An exception or the participation list names an unknown system or organisation.

    Examples
    --------
    >>> from consolidation._examples import tiny_landscape, tiny_scenario
    >>> m = map_targets(tiny_landscape(), tiny_scenario())
    >>> [(i.id, i.tenants) for i in m.instances]
    [('t.e-mail', ('a', 'b'))]
    """
    part = participants(landscape, scenario)
    systems = landscape.systems
    by_domain = {t.domain: t for t in scenario.targets}
    keep = frozenset(scenario.scheduling.keep_domains)

    exc_of = _exception_of(landscape, scenario)

    # tenants per target domain, in id order, split among instances
    tenants_by_domain: dict[str, set[str]] = {}
    raw: dict[str, tuple[str, str, str]] = {}
    standard: set[str] = set()
    for inv in landscape.organisations:
        oid = inv.organisation.id
        inside = oid in part
        for s in inv.systems:
            if not inside:
                raw[s.id] = (oid, "out_of_scope", "")
            elif s.id in exc_of:
                raw[s.id] = (oid, "exception", "")
            elif s.domain in keep:
                raw[s.id] = (oid, "stay", "")
            elif s.domain in by_domain and already_standard(s, by_domain[s.domain], scenario.start):
                raw[s.id] = (oid, "stay", "")
                standard.add(s.id)
            elif s.domain in by_domain:
                raw[s.id] = (oid, "migrate", s.domain)
                tenants_by_domain.setdefault(s.domain, set()).add(oid)
            elif scenario.scheduling.rehost_unmapped:
                raw[s.id] = (oid, "migrate", "")
            else:
                raw[s.id] = (oid, "stay", "")
    instance_of, inst_ids = _instances(scenario, tenants_by_domain)

    decisions: dict[str, Decision] = {}
    # per instance: its systems, tenants, users, data and highest Schutzbedarf (in one pass)
    members_of: dict[str, _Members] = {}
    std_product = {dom: t.product for dom, t in by_domain.items()}
    sb_max = schutzbedarf_maximum()
    for sid in sorted(raw):
        oid, dec, dom = raw[sid]
        s = systems[sid]
        if dom:
            target = instance_of[(dom, oid)]
            decisions[sid] = Decision(sid, oid, s.domain, dec, target, exc_of.get(sid), s.product == std_product[dom])
            sb = sb_max(s.schutzbedarf)
            acc = members_of.get(target)
            if acc is None:
                acc = members_of[target] = _Members([], set(), 0, 0, sb)
            elif sb.rank > acc.schutzbedarf.rank:
                acc.schutzbedarf = sb
            acc.systems.append(sid)
            acc.tenants.add(oid)
            acc.users += s.users
            acc.data_gb += s.data_gb
        else:
            decisions[sid] = Decision(sid, oid, s.domain, dec, None, exc_of.get(sid), dec == "migrate",
                                      sid in standard)

    instances = []
    for t in scenario.targets:
        for iid in inst_ids[t.domain]:
            m = members_of.get(iid)
            if m is None:
                continue
            instances.append(TargetInstanceSpec(id=iid, spec=t, tenants=tuple(sorted(m.tenants)),
                                                systems=tuple(m.systems), schutzbedarf=m.schutzbedarf, users=m.users,
                                                data_gb=m.data_gb))
    instances.sort(key=lambda i: i.id)

    exception_systems: dict[str, list[str]] = {}
    for sid, d in decisions.items():
        if d.decision == "exception":
            exception_systems.setdefault(d.exception, []).append(sid)
    return TargetMapping(
        decisions=decisions,
        instances=tuple(instances),
        participating=part,
        exception_systems={k: tuple(v) for k, v in sorted(exception_systems.items())},
    )



def _instances(scenario: Scenario, tenants_by_domain: dict[str, set[str]]
               ) -> tuple[dict[tuple[str, str], str], dict[str, list[str]]]:
    """Per target domain its instance ids (``t.<domain>`` or ``t.<domain>.<k>``), and per (domain,
    organisation) its instance: the tenants in id order, split into ``instances`` even chunks."""
    instance_of: dict[tuple[str, str], str] = {}
    inst_ids: dict[str, list[str]] = {}
    for t in scenario.targets:
        orgs = sorted(tenants_by_domain.get(t.domain, ()))
        n = min(t.instances, max(1, len(orgs)))
        ids = [f"t.{t.domain}"] if n == 1 else [f"t.{t.domain}.{k + 1}" for k in range(n)]
        inst_ids[t.domain] = ids
        for k, chunk in enumerate(_chunks(orgs, n)):
            for o in chunk:
                instance_of[(t.domain, o)] = ids[k]
    return instance_of, inst_ids


def _exception_of(landscape: Landscape, scenario: Scenario) -> dict[str, str]:
    """Per system named by an exception (Einzelmaßnahme) — by id, or by organisation and domain —
    the first such exception's id.

    Raises
    ------
    UnknownReferenceError
        A target or ``keep_domains`` names a domain, or an exception an organisation or a system, that the
        inventory does not have.
    """
    systems = landscape.systems
    exc_of: dict[str, str] = {}
    unknown: list[str] = []
    domains = {d.id for d in landscape.catalogue.domains}
    unknown += [f"domain {t.domain!r} (target {t.name!r})" for t in scenario.targets if t.domain not in domains]
    unknown += [f"domain {d!r} (scheduling.keep_domains)" for d in scenario.scheduling.keep_domains if d not in domains]
    for e in scenario.exceptions:
        if e.org is not None and e.org not in landscape.orgs:
            unknown.append(f"organisation {e.org!r} (exception {e.id})")
        for sid in e.systems:
            if sid not in systems:
                unknown.append(f"system {sid!r} (exception {e.id})")
            exc_of.setdefault(sid, e.id)
    if unknown:
        raise UnknownReferenceError("scenario names unknown " + "; ".join(unknown))
    sel = [e for e in scenario.exceptions if e.org is not None or e.domain is not None]
    if sel:
        for inv in landscape.organisations:
            oid = inv.organisation.id
            for s in inv.systems:
                for e in sel:
                    if (e.org is None or e.org == oid) and (e.domain is None or e.domain == s.domain):
                        exc_of.setdefault(s.id, e.id)
                        break
    return exc_of

def schutzbedarf_maximum() -> Callable[[SchutzbedarfVIV], Schutzbedarf]:
    """``SchutzbedarfVIV.maximum`` computed once per distinct triple, for one pass over many systems.

    Examples
    --------
    >>> from inventory.models import SchutzbedarfVIV
    >>> maximum = schutzbedarf_maximum()
    >>> maximum(SchutzbedarfVIV(integritaet="hoch")).value
    'hoch'
    """
    cache: dict[tuple[Schutzbedarf, Schutzbedarf, Schutzbedarf], Schutzbedarf] = {}

    def maximum(sb: SchutzbedarfVIV) -> Schutzbedarf:
        key = (sb.vertraulichkeit, sb.integritaet, sb.verfuegbarkeit)
        m = cache.get(key)
        if m is None:
            m = cache[key] = sb.maximum
        return m

    return maximum


def heterogeneity(landscape: Landscape, scenario: Scenario, mapping: TargetMapping
                  ) -> tuple[DomainMetrics, ...]:
    """Per in-scope domain: systems, products and instances before and after the mapping (the plan's
    :class:`~plan.models.DomainMetrics`)."""
    systems = landscape.systems
    decisions = mapping.decisions
    by_domain = {t.domain: t for t in scenario.targets}
    # per domain: systems, orgs per product, products and instances that stay, targets
    count: dict[str, int] = {}
    orgs_per: dict[str, dict[str, set[str]]] = {}
    stay_products: dict[str, set[str]] = {}
    staying: dict[str, int] = {}
    targets: dict[str, set[str]] = {}
    for d in decisions.values():
        if d.decision == "out_of_scope":
            continue
        dom = d.domain
        product = systems[d.system].product
        if dom not in count:
            count[dom] = 0
            orgs_per[dom] = {}
            stay_products[dom] = set()
            staying[dom] = 0
            targets[dom] = set()
        count[dom] += 1
        orgs = orgs_per[dom].get(product)
        if orgs is None:
            orgs = orgs_per[dom][product] = set()
        orgs.add(d.org)
        if d.target is None:
            staying[dom] += 1
            stay_products[dom].add(product)
        else:
            targets[dom].add(d.target)
    out = []
    for dom in sorted(count):
        products_after = stay_products[dom] | ({by_domain[dom].product} if targets[dom] else set())
        name = landscape.domains[dom].name if dom in landscape.domains else dom
        after = staying[dom] + len(targets[dom])
        out.append(DomainMetrics(
            domain=dom, domain_name=name, systems=count[dom], products_before=len(orgs_per[dom]),
            products_after=len(products_after), instances_before=count[dom], instances_after=after,
            consolidation_ratio=round(count[dom] / after, 3) if after else 0.0,
            inselloesungen_before=len(inselloesungen(orgs_per[dom])),
        ))
    return tuple(out)

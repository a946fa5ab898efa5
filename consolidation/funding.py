"""Step "funding": money released per delivered milestone, in the quarter it is delivered.

The scenario's funding rules name a milestone kind: a target instance goes live
(``target_live``), an organisation has migrated all its systems (``org_complete``), a domain is
fully migrated (``domain_complete``), or per system migrated (``system_migrated``, released per
organisation and quarter). Each release carries its reason as a message code
(:class:`plan.models.Reason`); a rule's own description, if it has one, is kept beside it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping

import numpy as np

from plan.calendar import quarter_start
from plan.models import FundingRelease, Reason

from . import costs as C
from ._construct import builder
from .scenario import Scenario
from .systems import SystemTable

__all__ = ["funding_releases"]


def funding_releases(scenario: Scenario, table: SystemTable, quarter: np.ndarray, *, live: Mapping[str, int],
                     org_ids: list[str], label: Callable[[int], str]) -> list[FundingRelease]:
    """The releases of every funding rule, sorted by (quarter, milestone).

    ``quarter`` is the migrating systems' quarter (rows of ``table``), ``live`` each target
    instance's go-live quarter, ``label`` a quarter's label ("2027-Q3").
    """
    out: list[FundingRelease] = []
    release = builder(FundingRelease)
    reason = builder(Reason)
    year_of = functools.cache(lambda q: quarter_start(scenario.start, q).year)
    sys_org, sys_domain = table.org, table.domain
    n = len(quarter)
    q_top = int(quarter.max()) + 1 if n else 1
    org_last_a = np.full(len(org_ids), -1, np.int64)
    np.maximum.at(org_last_a, sys_org, quarter)
    org_last = [(org_ids[o], q) for o, q in enumerate(org_last_a.tolist()) if q >= 0]
    domains = sorted(set(sys_domain))
    d_ix = {d: i for i, d in enumerate(domains)}
    dom_last_a = np.full(len(domains), -1, np.int64)
    np.maximum.at(dom_last_a, np.array([d_ix[d] for d in sys_domain], np.int64).reshape(-1), quarter)
    dom_last = list(zip(domains, dom_last_a.tolist()))
    oq, counts = np.unique(sys_org * q_top + quarter, return_counts=True)
    per_org_q = [((org_ids[k // q_top], k % q_top), c) for k, c in zip(oq.tolist(), counts.tolist())]
    # milestone kind → reason kind, released per system (amount × count)?, and its milestones
    # as (quarter, milestone id, organisation, reason values without the quarter, systems)
    milestones: dict[str, tuple[str, bool, list[tuple[int, str, str | None, dict, int]]]] = {
        "target_live": ("target_live", False,
                        [(q, f"live.{t[2:]}", None, {"target": t}, 1) for t, q in sorted(live.items())]),
        "org_complete": ("org_complete", False, [(q, f"abschluss.{o}", o, {"org": o}, 1) for o, q in org_last]),
        "domain_complete": ("domain_complete", False,
                            [(q, f"domaene.{dom}", None, {"domain": dom}, 1) for dom, q in dom_last]),
        "system_migrated": ("systems_migrated", True, [(q, f"migriert.{o}.q{q}", o, {"org": o, "count": cnt}, cnt)
                                                       for (o, q), cnt in per_org_q]),
    }
    for rule in scenario.funding:
        kind, per_system, rows = milestones[rule.milestone]
        own = rule.description or None
        for q, milestone, org, params, cnt in rows:
            out.append(release(year=year_of(q), quarter=q, milestone=milestone, org=org,
                               reason=reason(kind=kind, params={**params, "quarter": label(q)}), description=own,
                               amount=C.money(float(rule.amount) * cnt) if per_system else rule.amount))
    out.sort(key=lambda f: (f.quarter, f.milestone))
    return out

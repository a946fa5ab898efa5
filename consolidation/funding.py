"""Step "funding": money planned ("geplant") per milestone, in the quarter the plan delivers it.

These are the PLAN; what may be claimed once a milestone is delivered and proven is
:mod:`actuals.claims` (``landkarte funding claims``).

The scenario's funding rules name a milestone kind: a target instance goes live
(``target_live``), an organisation has migrated all its systems (``org_complete``), a domain is
fully migrated (``domain_complete``), or per system migrated (``system_migrated``, planned per
organisation and quarter). Each planned release carries its reason as a message code
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
    for rule in scenario.funding:
        amt = rule.amount
        own = rule.description or None
        if rule.milestone == "target_live":
            for t, q in sorted(live.items()):
                out.append(release(year=year_of(q), quarter=q, milestone=f"live.{t[2:]}",
                                   reason=reason(kind="target_live", params={"target": t, "quarter": label(q)}),
                                   description=own, amount=amt))
        elif rule.milestone == "org_complete":
            for o, q in org_last:
                out.append(release(year=year_of(q), quarter=q, milestone=f"abschluss.{o}", org=o,
                                   reason=reason(kind="org_complete", params={"org": o, "quarter": label(q)}),
                                   description=own, amount=amt))
        elif rule.milestone == "domain_complete":
            for dom, q in dom_last:
                out.append(release(year=year_of(q), quarter=q, milestone=f"domaene.{dom}",
                                   reason=reason(kind="domain_complete", params={"domain": dom, "quarter": label(q)}),
                                   description=own, amount=amt))
        else:
            for (o, q), cnt in per_org_q:
                out.append(release(year=year_of(q), quarter=q, milestone=f"migriert.{o}.q{q}", org=o,
                                   reason=reason(kind="systems_migrated",
                                                 params={"org": o, "count": cnt, "quarter": label(q)}),
                                   description=own, amount=C.money(float(amt) * cnt)))
    out.sort(key=lambda f: (f.quarter, f.milestone))
    return out

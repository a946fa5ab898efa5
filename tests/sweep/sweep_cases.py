"""Small hand-made landscapes and scenarios for the sweep tests (synthetic)."""

from __future__ import annotations

from datetime import date

from consolidation._examples import build_landscape, scenario_dict
from consolidation.scenario import Scenario
from inventory.models import Landscape
from inventory.types import Confidence

_CONF = (Confidence.VERIFIED, Confidence.ESTIMATED, Confidence.UNKNOWN)


def small_landscape(orgs: int = 6) -> Landscape:
    """``orgs`` Gemeinden with mail, directory and finance; contracts with fixed ends; mixed confidence."""
    records, deps = [], []
    for i in range(orgs):
        o = f"g{i}"
        for j, dom in enumerate(("e-mail", "iam", "fin")):
            records.append({
                "id": f"{o}.{dom}", "org": o, "domain": dom, "users": 40 + 37 * i + 11 * j,
                "complexity": ("niedrig", "mittel", "hoch")[(i + j) % 3],
                "contract": {"vendor": "V", "annual_cost": 12000 + 2900 * i + 1400 * j, "start": date(2020, 1, 1),
                             "end": date(2027 + (i + j) % 3, 12, 31), "notice_months": 3, "renewal_months": 12},
            })
        deps.append({"source": f"{o}.e-mail", "target": f"{o}.iam", "kind": "authentifizierung"})
    L = build_landscape(records, deps, name="sweep-test")
    orgs_ = tuple(inv.model_copy(update={"systems": tuple(
        s.model_copy(update={"confidence": _CONF[k % 3]}) for k, s in enumerate(inv.systems))})
        for inv in L.organisations)
    return Landscape(meta=L.meta, catalogue=L.catalogue, organisations=orgs_)


def small_scenario(**overrides) -> Scenario:
    base = scenario_dict(
        horizon_years=3,
        targets=[{"domain": "e-mail", "product": "ox", "name": "Mail", "category": "Basis-IT",
                  "onboarding_per_quarter": 3, "annual_run_cost": 40000, "run_cost_per_tenant": 900},
                 {"domain": "fin", "product": "fin-neu", "name": "Finanzen", "onboarding_per_quarter": 2,
                  "annual_run_cost": 30000, "run_cost_per_tenant": 1200, "available_from": "2027-07-01"}],
        teams={"eigen_pd_per_quarter": 40, "fremd_pd_per_quarter": 60},
        solver={"deterministic_time": 0.5},
    )
    base.update(overrides)
    return Scenario.model_validate(base)

"""The assumptions register: every scenario figure that moves money or time, with its source.

A scenario names the source of a figure in ``sources`` by the figure's key path; a figure
without one is an *Annahme* and the report flags it. The register travels with the plan
(``Plan.assumptions``) so the board pack can show what the money rests on.

>>> from consolidation._examples import tiny_scenario
>>> s = tiny_scenario(sources={"costs.day_rate_eigen": "TVöD-Tabelle 2025"})
>>> [(a.key, a.value, a.unit, a.source) for a in assumption_register(s) if a.key.startswith("costs.day")]
[('costs.day_rate_eigen', '600', 'EUR/PT', 'TVöD-Tabelle 2025'), ('costs.day_rate_fremd', '1100', 'EUR/PT', None)]
"""

from __future__ import annotations

from decimal import Decimal

from plan.models import Assumption

from .scenario import Scenario

__all__ = ["assumption_register", "figure_keys"]


_PAYER = {"land": "Land", "zweckverband": "Zweckverband", "kommune": "Kommune"}
_CATEGORY = {"run_legacy": "Betrieb Altverfahren", "run_target": "Betrieb Standard", "migration": "Migration",
             "double_running": "Parallelbetrieb"}
"""Plan texts are German (as the planner's other sentences); the report shows them as they are."""


def _text(value: object) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, float):
        return format(value, "g") if value != int(value) else str(int(value))
    return str(value)


def _figures(scenario: Scenario) -> list[tuple[str, object, str, str]]:
    """(key path, value, unit, kind) for every figure that moves money or time, in file order."""
    c, t = scenario.costs, scenario.teams
    out: list[tuple[str, object, str, str]] = [
        ("start", scenario.start.isoformat(), "Datum", "time"),
        ("horizon_years", scenario.horizon_years, "Jahre", "time"),
        ("costs.discount_rate", c.discount_rate, "Anteil/Jahr", "cash"),
        ("costs.day_rate_eigen", c.day_rate_eigen, "EUR/PT", "cash"),
        ("costs.day_rate_fremd", c.day_rate_fremd, "EUR/PT", "cash"),
        ("costs.eigen_share", c.eigen_share, "Anteil", "cash"),
        *((f"costs.migration_pd.{k}", v, "PT/System", "cash") for k, v in c.migration_pd.items()),
        *((f"costs.size_factors.{users}", f, "Faktor ab Nutzern", "cash") for users, f in c.size_factors),
        ("costs.same_product_factor", c.same_product_factor, "Faktor", "cash"),
        ("costs.legacy_hosting_share", c.legacy_hosting_share, "Anteil", "cash"),
        ("costs.legacy_annual_cost_default", c.legacy_annual_cost_default, "EUR/Jahr", "cash"),
        ("costs.eol_penalty_per_quarter", c.eol_penalty_per_quarter, "EUR/System/Quartal", "risk"),
        ("teams.eigen_pd_per_quarter", t.eigen_pd_per_quarter, "PT/Quartal", "time"),
        ("teams.fremd_pd_per_quarter", t.fremd_pd_per_quarter, "PT/Quartal", "time"),
    ]
    for y in t.by_year:
        out += [(f"teams.by_year.{y.year}.eigen_pd_per_quarter", y.eigen_pd_per_quarter, "PT/Quartal", "time"),
                (f"teams.by_year.{y.year}.fremd_pd_per_quarter", y.fremd_pd_per_quarter, "PT/Quartal", "time")]
    for tg in scenario.targets:
        p = f"targets.{tg.domain}"
        out += [(f"{p}.annual_run_cost", tg.annual_run_cost, "EUR/Jahr", "cash"),
                (f"{p}.run_cost_per_tenant", tg.run_cost_per_tenant, "EUR/Jahr je Mandant", "cash"),
                (f"{p}.onboarding_per_quarter", tg.onboarding_per_quarter, "Systeme/Quartal", "time"),
                (f"{p}.available_from", (tg.available_from or scenario.start).isoformat(), "Datum", "time")]
    for d in scenario.data_centres:
        p = f"data_centres.{d.id}"
        out += [(f"{p}.cost_per_vcpu_year", d.cost_per_vcpu_year, "EUR/vCPU/Jahr", "cash"),
                (f"{p}.cost_per_gb_ram_year", d.cost_per_gb_ram_year, "EUR/GB RAM/Jahr", "cash"),
                (f"{p}.cost_per_tb_year", d.cost_per_tb_year, "EUR/TB/Jahr", "cash"),
                (f"{p}.capacity.vcpu", d.capacity.vcpu, "vCPU", "time"),
                (f"{p}.capacity.ram_gb", d.capacity.ram_gb, "GB", "time"),
                (f"{p}.capacity.storage_tb", d.capacity.storage_tb, "TB", "time")]
    for f in scenario.funding:
        out.append((f"funding.{f.milestone}", f.amount, "EUR je Meilenstein", "cash"))
    w = scenario.weights
    out += [("weights.double_running", w.double_running, "Gewicht", "weight"),
            ("weights.eol_lateness", w.eol_lateness, "Gewicht", "weight"),
            ("weights.delay", w.delay, "Gewicht", "weight")]
    for i, r in enumerate(scenario.payers):
        cond = "; ".join(filter(None, [
            ", ".join(_CATEGORY[c] for c in r.category), ", ".join(r.org_kind),
            {True: "gemeinsame Zielsysteme", False: "Kosten einer Organisation", None: ""}[r.shared]]))
        out.append((f"payers.{i}", _PAYER[r.payer] + (f" ({cond})" if cond else " (alle übrigen Kosten)"),
                    "Kostenträger", "cash"))
    return out


def figure_keys(scenario: Scenario) -> list[str]:
    """Every key path a scenario's ``sources`` may name."""
    return [k for k, *_ in _figures(scenario)]


def assumption_register(scenario: Scenario) -> tuple[Assumption, ...]:
    """The register of ``scenario``: one :class:`~plan.models.Assumption` per figure.

    A payer rule's own ``source`` counts as the source of its figure.
    """
    sources = dict(scenario.sources)
    for i, r in enumerate(scenario.payers):
        if r.source and f"payers.{i}" not in sources:
            sources[f"payers.{i}"] = r.source
    return tuple(Assumption(key=k, value=_text(v), unit=unit, source=sources.get(k), kind=kind)  # type: ignore[arg-type]
                 for k, v, unit, kind in _figures(scenario))

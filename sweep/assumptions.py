"""The scenario assumptions a sweep varies, read from the scenario in one place.

Every assumption that moves money or time has an id, a German and an English label, a unit,
its value in the scenario and its range (the scenario's ``sweep.ranges`` entry, else
``sweep.default_range`` both ways). :func:`vary` applies a relative change to a scenario.

``price_only`` assumptions change no input of the target mapping, the placement or the
schedule: their effect is re-costed from the plan (:mod:`sweep.recost`) instead of planning
again. The others are re-planned.

>>> from consolidation._examples import tiny_scenario
>>> s = tiny_scenario()
>>> [a.id for a in assumptions_of(s)][:3]
['day_rate_eigen', 'day_rate_fremd', 'discount_rate']
>>> float(vary(s, "day_rate_fremd", 1.2).costs.day_rate_fremd)
1320.0
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from consolidation.scenario import Scenario

__all__ = ["Assumption", "UnknownAssumptionError", "assumptions_of", "check_ranges", "vary"]


@dataclass(frozen=True, slots=True)
class Assumption:
    """One figure (or family of figures) of the scenario that moves money or time."""

    id: str
    label_de: str
    label_en: str
    unit: str
    value: float
    """The scenario's value (a sum or mean where the assumption covers several figures, see ``label``)."""
    low: float
    """Relative change at the low end of the range (e.g. -0.2)."""
    high: float
    price_only: bool
    """Changes only prices after the schedule: re-costed, not re-planned."""
    cash: bool = True
    """Money that a budget pays (False: a modelled risk surcharge; it still moves the schedule)."""


class UnknownAssumptionError(ValueError):
    """The scenario's ``sweep.ranges`` names an assumption that does not exist."""


def _money(x: Decimal, f: float) -> Decimal:
    return Decimal(str(round(float(x) * f, 2)))


def _costs(s: Scenario, **update) -> Scenario:
    return s.model_copy(update={"costs": s.costs.model_copy(update=update)})


def _targets(s: Scenario, fn: Callable) -> Scenario:
    return s.model_copy(update={"targets": tuple(t.model_copy(update=fn(t)) for t in s.targets)})


def _teams(s: Scenario, f: float) -> Scenario:
    t = s.teams
    by_year = tuple(y.model_copy(update={"eigen_pd_per_quarter": y.eigen_pd_per_quarter * f,
                                         "fremd_pd_per_quarter": y.fremd_pd_per_quarter * f}) for y in t.by_year)
    return s.model_copy(update={"teams": t.model_copy(update={
        "eigen_pd_per_quarter": t.eigen_pd_per_quarter * f, "fremd_pd_per_quarter": t.fremd_pd_per_quarter * f,
        "by_year": by_year})})


def _dc_cost(s: Scenario, f: float) -> Scenario:
    return s.model_copy(update={"data_centres": tuple(d.model_copy(update={
        "cost_per_vcpu_year": _money(d.cost_per_vcpu_year, f), "cost_per_gb_ram_year": _money(d.cost_per_gb_ram_year, f),
        "cost_per_tb_year": _money(d.cost_per_tb_year, f)}) for d in s.data_centres)})


# id → (German label, English label, unit, value of a scenario, apply a factor, price only, cash)
_TABLE: dict[str, tuple[str, str, str, Callable[[Scenario], float], Callable[[Scenario, float], Scenario], bool, bool]]
_TABLE = {
    "day_rate_eigen": (
        "Tagessatz Eigenleistung", "Day rate, own staff", "€/PT", lambda s: float(s.costs.day_rate_eigen),
        lambda s, f: _costs(s, day_rate_eigen=_money(s.costs.day_rate_eigen, f)), True, True),
    "day_rate_fremd": (
        "Tagessatz Fremdleistung", "Day rate, contractors", "€/PT", lambda s: float(s.costs.day_rate_fremd),
        lambda s, f: _costs(s, day_rate_fremd=_money(s.costs.day_rate_fremd, f)), True, True),
    "discount_rate": (
        "Diskontierungszins", "Discount rate", "%", lambda s: float(s.costs.discount_rate) * 100,
        lambda s, f: _costs(s, discount_rate=Decimal(str(round(float(s.costs.discount_rate) * f, 6)))), True, True),
    "target_run_cost": (
        "Grundbetriebskosten der Standardziele (Summe)", "Base run cost of the standard targets (sum)", "€/Jahr",
        lambda s: sum(float(t.annual_run_cost) for t in s.targets),
        lambda s, f: _targets(s, lambda t: {"annual_run_cost": _money(t.annual_run_cost, f)}), True, True),
    "tenant_run_cost": (
        "Betriebskosten je Mandant (Mittel)", "Run cost per tenant (mean)", "€/Jahr",
        lambda s: sum(float(t.run_cost_per_tenant) for t in s.targets) / len(s.targets),
        lambda s, f: _targets(s, lambda t: {"run_cost_per_tenant": _money(t.run_cost_per_tenant, f)}), True, True),
    "data_centre_cost": (
        "Rechenzentrumskosten (vCPU, RAM, Speicher)", "Data-centre prices (vCPU, RAM, storage)", "€/vCPU/Jahr",
        lambda s: sum(float(d.cost_per_vcpu_year) for d in s.data_centres) / len(s.data_centres),
        _dc_cost, False, True),
    "migration_effort": (
        "Migrationsaufwand je System (mittlere Komplexität)", "Migration effort per system (medium complexity)",
        "PT", lambda s: float(s.costs.migration_pd["mittel"]),
        lambda s, f: _costs(s, migration_pd={k: v * f for k, v in s.costs.migration_pd.items()}), False, True),
    "team_capacity": (
        "Kapazität der Migrationsteams", "Migration team capacity", "PT/Quartal",
        lambda s: s.teams.eigen_pd_per_quarter + s.teams.fremd_pd_per_quarter, _teams, False, True),
    "onboarding": (
        "Übernahmen je Zielinstanz und Quartal (Mittel)", "Take-overs per target instance and quarter (mean)",
        "Systeme", lambda s: sum(t.onboarding_per_quarter for t in s.targets) / len(s.targets),
        lambda s, f: _targets(s, lambda t: {"onboarding_per_quarter": max(1, round(t.onboarding_per_quarter * f))}),
        False, True),
    "legacy_cost_default": (
        "Altkosten je System ohne Vertrag", "Legacy cost per system without contract", "€/Jahr",
        lambda s: float(s.costs.legacy_annual_cost_default),
        lambda s, f: _costs(s, legacy_annual_cost_default=_money(s.costs.legacy_annual_cost_default, f)), False, True),
    "legacy_hosting_share": (
        "Hosting-Anteil der Altkosten", "Hosting share of legacy cost", "%",
        lambda s: s.costs.legacy_hosting_share * 100,
        lambda s, f: _costs(s, legacy_hosting_share=min(1.0, s.costs.legacy_hosting_share * f)), False, True),
    "eol_surcharge": (
        "Risikozuschlag nach Supportende", "Risk surcharge after end of support",
        "€/Quartal", lambda s: float(s.costs.eol_penalty_per_quarter),
        lambda s, f: _costs(s, eol_penalty_per_quarter=_money(s.costs.eol_penalty_per_quarter, f)), False, False),
}


def assumptions_of(scenario: Scenario) -> tuple[Assumption, ...]:
    """Every assumption of ``scenario`` that a sweep varies, with its range (fixed order).

    This is the one place that reads them; when the scenario carries an assumptions register,
    it is read here.
    """
    cfg = scenario.sweep
    out = []
    for key, (de, en, unit, value, _apply, price_only, cash) in _TABLE.items():
        low, high = cfg.ranges.get(key, (-cfg.default_range, cfg.default_range))
        out.append(Assumption(id=key, label_de=de, label_en=en, unit=unit, value=round(value(scenario), 6),
                              low=low, high=high, price_only=price_only, cash=cash))
    return tuple(out)


def check_ranges(scenario: Scenario) -> list[str]:
    """Key paths of ``sweep.ranges`` entries that name no assumption (empty when all are known)."""
    return [f"sweep.ranges.{k}: unknown assumption (known: {', '.join(_TABLE)})"
            for k in sorted(scenario.sweep.ranges) if k not in _TABLE]


def vary(scenario: Scenario, assumption: str, factor: float) -> Scenario:
    """``scenario`` with ``assumption`` multiplied by ``factor`` (1.0 returns it unchanged).

    Raises
    ------
    UnknownAssumptionError
        ``assumption`` is not one of :func:`assumptions_of`.
    """
    if assumption not in _TABLE:
        raise UnknownAssumptionError(f"unknown assumption {assumption!r}")
    if factor == 1.0:
        return scenario
    return _TABLE[assumption][4](scenario, factor)

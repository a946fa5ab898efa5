"""Small hand-made landscapes and scenarios for docstring examples and tests (synthetic)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from common.catalogue import Catalogue, Domain, Product
from inventory.models import (
    Contract,
    Dependency,
    Hosting,
    Landscape,
    LandscapeMeta,
    Organisation,
    OrganisationInventory,
    SchutzbedarfVIV,
    Site,
    System,
    Zweckverband,
)

from .scenario import Scenario

__all__ = ["build_landscape", "scenario_dict", "tiny_landscape", "tiny_scenario"]

_BASIS = {"e-mail", "iam", "verzeichnisdienst", "backup", "dateiablage"}


def build_landscape(systems: Sequence[Mapping[str, Any]], dependencies: Iterable[Mapping[str, Any]] = (),
                    *, exits: Mapping[str, date] | None = None, name: str = "hand-made",
                    domains: Iterable[str] = ()) -> Landscape:
    """A landscape from compact system records.

    Each record: ``id``, ``org``, ``domain`` and optionally ``product`` (default
    ``<domain>-alt``), ``users`` (20), ``complexity`` ("mittel"), ``sb`` (Schutzbedarf
    Verfügbarkeit, "normal"), ``eol`` (date), ``contract`` (dict of :class:`Contract` fields).
    Dependencies: ``source``, ``target`` and optionally ``criticality`` and ``kind``.
    ``domains`` adds catalogue domains no system uses (a scenario's targets must name known domains).
    """
    exits = dict(exits or {})
    domains = sorted({s["domain"] for s in systems} | set(domains))
    products = sorted({(s.get("product", f"{s['domain']}-alt"), s["domain"]) for s in systems})
    orgs = sorted({s["org"] for s in systems} | set(exits))
    by_org: dict[str, list[System]] = {o: [] for o in orgs}
    for s in systems:
        contract = Contract(**s["contract"]) if s.get("contract") else None
        by_org[s["org"]].append(System(
            id=s["id"], name=s["id"], domain=s["domain"], product=s.get("product", f"{s['domain']}-alt"),
            version="1", hosting=Hosting(site=f"{s['org']}.rathaus"), users=s.get("users", 20),
            schutzbedarf=SchutzbedarfVIV(verfuegbarkeit=s.get("sb", "normal")),
            betriebsart=s.get("betriebsart", "Fremdleistung"), contract=contract, end_of_life=s.get("eol"),
            complexity=s.get("complexity", "mittel"), data_gb=s.get("data_gb", 10), provenance="synthetic",
        ))
    deps_by_org: dict[str, list[Dependency]] = {o: [] for o in orgs}
    org_of = {s["id"]: s["org"] for s in systems}
    for d in dependencies:
        deps_by_org[org_of[d["source"]]].append(Dependency(
            source=d["source"], target=d["target"], kind=d.get("kind", "api"), criticality=d.get("criticality", "mittel"),
        ))
    invs = []
    for i, o in enumerate(orgs):
        zv = Zweckverband(member=True, exit_date=exits.get(o))
        invs.append(OrganisationInventory(
            organisation=Organisation(id=o, name=o.upper(), kind="Gemeinde", ags=f"1004{i + 1:04d}", zweckverband=zv,
                                      provenance="synthetic"),
            sites=(Site(id=f"{o}.rathaus", name="Rathaus", kind="rathaus", owner=o, provenance="synthetic"),),
            systems=tuple(sorted(by_org[o], key=lambda x: x.id)),
            dependencies=tuple(deps_by_org[o]),
        ))
    return Landscape(
        meta=LandscapeMeta(name=name, synthetic=True, land="10"),
        catalogue=Catalogue(
            domains=tuple(Domain(id=d, name=d, category="Basis-IT" if d in _BASIS else "Fachverfahren") for d in domains),
            products=tuple(Product(id=p, name=p, vendor="Hersteller", domain=d, kind="application") for p, d in products),
        ),
        organisations=tuple(invs),
    )


def scenario_dict(**overrides: Any) -> dict[str, Any]:
    """A minimal valid scenario as a plain dict (one data centre, generous capacity)."""
    base: dict[str, Any] = {
        "id": "mini", "name": "Mini", "start": "2027-01-01", "horizon_years": 2,
        "targets": [{"domain": "e-mail", "product": "ox", "name": "Mail", "category": "Basis-IT"}],
        "data_centres": [{"id": "rz1", "name": "RZ 1", "supernet": "10.10.0.0/16", "certifications": ["ISO 27001"],
                          "redundancy": "2n", "capacity": {"vcpu": 1000, "ram_gb": 4000, "storage_tb": 100}}],
        "teams": {"eigen_pd_per_quarter": 100, "fremd_pd_per_quarter": 100},
        "solver": {"deterministic_time": 2.0},
    }
    base.update(overrides)
    return base


def tiny_landscape() -> Landscape:
    """Two Gemeinden, each with mail and a directory; mail authenticates against the directory."""
    return build_landscape(
        [{"id": "a.mail", "org": "a", "domain": "e-mail"}, {"id": "a.iam", "org": "a", "domain": "iam"},
         {"id": "b.mail", "org": "b", "domain": "e-mail"}, {"id": "b.iam", "org": "b", "domain": "iam"}],
        [{"source": "a.mail", "target": "a.iam", "kind": "authentifizierung"}],
    )


def tiny_scenario(**overrides: Any) -> Scenario:
    return Scenario.model_validate(scenario_dict(**overrides))

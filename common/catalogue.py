"""The reference catalogues as data: domains and products (``facts/products.csv``) and the BSI
IT-Grundschutz modules (``facts/bsi_modules.csv``, Kompendium Edition 2023), all real, each
with its source (``facts/README.md``).

An inventory carries its own copy (``catalogue.yaml``); :func:`facts_catalogue` is the bundled
one that new inventories start from and that the playbooks' BSI evidence refers to.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Literal

from .ids import slugify
from .model import StrictModel
from .types import DomainCategory, Id, NonEmptyStr, Text

__all__ = ["FACTS", "BsiModule", "Catalogue", "Domain", "Product", "facts_catalogue"]

FACTS = Path(__file__).parent / "facts"


class Domain(StrictModel):
    """A functional domain, e.g. Einwohnermeldewesen or E-Mail/Groupware."""

    id: Id
    name: NonEmptyStr
    """German name as users say it."""
    category: DomainCategory
    description: Text = ""


class Product(StrictModel):
    """A product from the catalogue (real products; sources in ``source``)."""

    id: Id
    name: NonEmptyStr
    vendor: NonEmptyStr
    domain: Id
    kind: Literal["application", "infrastructure", "workplace"]
    legacy: bool = False
    """The source describes the product as being replaced or discontinued."""
    unsure: bool = False
    """The source only proves the product exists, not its municipal use."""
    notes: Text = ""
    source: Text = ""


class BsiModule(StrictModel):
    """A Baustein of the BSI IT-Grundschutz-Kompendium (Edition 2023)."""

    id: NonEmptyStr
    title: NonEmptyStr
    applies_to: Text = ""


class Catalogue(StrictModel):
    domains: tuple[Domain, ...] = ()
    products: tuple[Product, ...] = ()
    bsi_modules: tuple[BsiModule, ...] = ()


def _rows(name: str) -> list[dict[str, str]]:
    with open(FACTS / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


_BASIS_IT = {
    "E-Mail/Groupware", "Verzeichnisdienst", "Verzeichnisdienst/IAM", "Backup", "Firewall", "Virtualisierung",
    "Netzwerkzugangskontrolle", "Dateiablage", "Arbeitsplatz-Suite", "Chat & Zusammenarbeit", "Videokonferenz",
    "Weboffice", "Projektmanagement", "Wissensmanagement", "Notizen/Diagramme",
}
_PLATTFORM = {"Bürgerportal/OZG-Plattform"}


def facts_catalogue() -> Catalogue:
    """Domains and products from ``products.csv``, BSI modules from ``bsi_modules.csv`` (all real)."""
    domains: dict[str, dict[str, Any]] = {}
    products: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in _rows("products.csv"):
        dname = row["domain"]
        did = slugify(dname)
        if did not in domains:
            cat = "Basis-IT" if dname in _BASIS_IT else "Plattform" if dname in _PLATTFORM else "Fachverfahren"
            domains[did] = {"id": did, "name": dname, "category": cat}
        pid = slugify(row["product"].split("(")[0]) or slugify(row["product"])
        while pid in seen:
            pid += "-2"
        seen.add(pid)
        notes = row["notes"]
        src = notes.split("Src:", 1)[1].strip() if "Src:" in notes else ""
        products.append({
            "id": pid, "name": row["product"], "vendor": row["vendor"], "domain": did, "kind": row["kind"],
            "legacy": "LEGACY" in notes or "Legacy" in notes or "Predecessor" in notes,
            "unsure": "UNSURE" in notes or "UNSURE" in row["vendor"],
            "notes": notes.split("Src:", 1)[0].strip(), "source": src,
        })
    bsi = [{"id": r["id"], "title": r["title"], "applies_to": r["applies_to"]} for r in _rows("bsi_modules.csv")]
    return Catalogue.model_validate({"domains": list(domains.values()), "products": products, "bsi_modules": bsi})

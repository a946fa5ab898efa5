"""The change report: per organisation what was added, removed and changed, and what to look at.

:func:`aenderungen` compares an organisation's records before and after a merge, field by field
(German column names, German values). :func:`pruefhinweise` picks what the planner should look at:
a contract end that moved, a Schutzbedarf raised, a product switched, an end of support that came
earlier, a system reported out of service, a new system.

>>> from consolidation._examples import tiny_landscape
>>> L = tiny_landscape()
>>> inv = L.organisations[0]
>>> s = inv.systems[0]
>>> new = inv.model_copy(update={"systems": (s.model_copy(update={"users": s.users + 10}),) + inv.systems[1:]})
>>> [(a.art, a.feld, a.alt, a.neu) for a in aenderungen(inv, new)]
[('geändert', 'Nutzerzahl', '20', '30')]
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from common.german import date_text, money, number
from inventory.models import Landscape, OrganisationInventory

from .spalten import BLAETTER, ENUMS

__all__ = ["Aenderung", "Hinweis", "Namen", "aenderungen", "format_de", "namen", "pruefhinweise"]

Namen = dict[str, dict[str, str]]
"""Field → id → the name a clerk knows (products, domains, servers, sites): ids never reach a reader."""


def namen(landscape: Landscape) -> Namen:
    """The names for the id fields of a change report, from ``landscape``."""
    products = {p.id: p.name for p in landscape.catalogue.products}
    domains = {d.id: d.name for d in landscape.catalogue.domains}
    hosts = {h.id: h.name for h in landscape.hosts.values()}
    sites = {s.id: s.name for s in landscape.sites.values()}
    systems = {s.id: s.name for s in landscape.systems.values()}
    return {"product": products, "domain": domains, "hosting.host": hosts, "hypervisor": hosts,
            "hosting.site": sites, "site": sites, "source": systems, "target": systems}

_SKIP = {"id", "provenance", "erhebung"}


@dataclass(frozen=True, slots=True)
class Aenderung:
    org: str
    art: str
    """neu, entfernt or geändert."""
    blatt: str
    id: str
    name: str
    feld: str = ""
    alt: str = ""
    neu: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Hinweis:
    """Something the planner should look at after the merge."""

    org: str
    id: str
    name: str
    de: str
    en: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def format_de(value: Any, field: str = "") -> str:
    """A value as a German reader expects it: 31.12.2030, 12.500,00 €, hoch, ja (numbers, amounts
    and dates by :mod:`common.german`, as the board pack writes them).

    >>> format_de(Decimal("12500"), "contract.annual_cost"), format_de(date(2030, 12, 31)), format_de(None)
    ('12.500,00 €', '31.12.2030', '–')
    """
    if value is None:
        return "–"
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, date):
        return date_text(value)
    if isinstance(value, Decimal) or field.endswith("annual_cost"):
        return money(value)
    if isinstance(value, int):
        return number(value)
    for blatt in BLAETTER:
        for sp in blatt.spalten:
            if sp.field == field and sp.enum:
                try:
                    return ENUMS[sp.enum].label(str(value))
                except StopIteration:
                    break
    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    return str(value)


def _flat(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in data.items():
        if k in _SKIP and not prefix:
            continue
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flat(v, key + "."))
        else:
            out[key] = v
    return out


_HEADER = {(b.table, sp.field): sp.header for b in BLAETTER for sp in b.spalten}
_SHEET = {b.table: b.name for b in BLAETTER}
_DEP_KIND = ENUMS["dependency_kind"]


def _dep_key(d: Any) -> tuple[str, str, str]:
    return (d.source, d.target, d.kind.value)


def aenderungen(old: OrganisationInventory, new: OrganisationInventory, names: Namen | None = None
                ) -> list[Aenderung]:
    """Every added, removed and changed record and field of one organisation, in sheet order.

    ``names`` (see :func:`namen`) shows products, servers and sites by name instead of id.
    """
    org = new.organisation.id
    names = names or {}

    def fmt(value: Any, key: str) -> str:
        return format_de(names.get(key, {}).get(value, value) if isinstance(value, str) else value, key)

    out: list[Aenderung] = []
    for table in ("systems", "hosts", "sites"):
        before = {r.id: r for r in getattr(old, table)}
        after = {r.id: r for r in getattr(new, table)}
        sheet = _SHEET[table]
        for rid, rec in after.items():
            if rid not in before:
                out.append(Aenderung(org, "neu", sheet, rid, rec.name))
                continue
            a, b = _flat(before[rid].model_dump()), _flat(rec.model_dump())
            for key in dict.fromkeys([*a, *b]):
                if a.get(key) != b.get(key):
                    out.append(Aenderung(org, "geändert", sheet, rid, rec.name, _HEADER.get((table, key), key),
                                         fmt(a.get(key), key), fmt(b.get(key), key)))
        out.extend(Aenderung(org, "entfernt", sheet, rid, rec.name) for rid, rec in before.items() if rid not in after)
    sheet = _SHEET["dependencies"]
    before_d = {_dep_key(d): d for d in old.dependencies}
    after_d = {_dep_key(d): d for d in new.dependencies}
    for key, d in after_d.items():
        label = f"{fmt(d.source, 'source')} → {fmt(d.target, 'target')} ({_DEP_KIND.label(d.kind.value)})"
        if key not in before_d:
            out.append(Aenderung(org, "neu", sheet, label, label))
            continue
        a, b = _flat(before_d[key].model_dump()), _flat(d.model_dump())
        for k in dict.fromkeys([*a, *b]):
            if a.get(k) != b.get(k):
                out.append(Aenderung(org, "geändert", sheet, label, label, _HEADER.get(("dependencies", k), k),
                                     fmt(a.get(k), k), fmt(b.get(k), k)))
    for key, d in before_d.items():
        if key not in after_d:
            label = f"{fmt(d.source, 'source')} → {fmt(d.target, 'target')} ({_DEP_KIND.label(d.kind.value)})"
            out.append(Aenderung(org, "entfernt", sheet, label, label))
    return out


def pruefhinweise(old: OrganisationInventory, new: OrganisationInventory, names: Namen | None = None
                  ) -> list[Hinweis]:
    """What the planner should look at: moved contract ends, raised Schutzbedarf, product switches, …"""
    org = new.organisation.id
    product = (names or {}).get("product", {})
    out: list[Hinweis] = []
    before = {s.id: s for s in old.systems}
    after = {s.id: s for s in new.systems}
    for sid, s in after.items():
        o = before.get(sid)
        if o is None:
            out.append(Hinweis(org, sid, s.name, "neues System — Zuordnung zum Zielbild und Umzugswelle prüfen",
                               "new system — check its target and wave"))
            continue
        oe = o.contract.end if o.contract else None
        ne = s.contract.end if s.contract else None
        if oe != ne:
            out.append(Hinweis(org, sid, s.name,
                               f"Vertragsende verschoben: {format_de(oe)} → {format_de(ne)} — Kündigungsfrist und "
                               "Umzugswelle prüfen",
                               f"contract end moved: {format_de(oe)} → {format_de(ne)} — check notice and wave"))
        if (o.contract and s.contract and o.contract.notice_months != s.contract.notice_months):
            out.append(Hinweis(org, sid, s.name,
                               f"Kündigungsfrist geändert: {o.contract.notice_months} → {s.contract.notice_months} "
                               "Monate", f"notice period changed: {o.contract.notice_months} → "
                               f"{s.contract.notice_months} months"))
        for part, label in (("vertraulichkeit", "Vertraulichkeit"), ("integritaet", "Integrität"),
                            ("verfuegbarkeit", "Verfügbarkeit")):
            a, b = getattr(o.schutzbedarf, part), getattr(s.schutzbedarf, part)
            if b.rank > a.rank:
                out.append(Hinweis(org, sid, s.name,
                                   f"Schutzbedarf {label} erhöht: {a.value} → {b.value} — Zielrechenzentrum und "
                                   "Absicherung prüfen",
                                   f"Schutzbedarf {label} raised: {a.value} → {b.value} — check data centre and "
                                   "safeguards"))
        if o.product != s.product:
            a, b = product.get(o.product, o.product), product.get(s.product, s.product)
            out.append(Hinweis(org, sid, s.name, f"Produkt gewechselt: {a} → {b} — Zielbild prüfen (schon Standard?)",
                               f"product switched: {a} → {b} — check the target (already standard?)"))
        if s.end_of_life and (o.end_of_life is None or s.end_of_life < o.end_of_life):
            out.append(Hinweis(org, sid, s.name, f"Supportende früher: {format_de(o.end_of_life)} → "
                               f"{format_de(s.end_of_life)} — Umzug vor Supportende prüfen",
                               f"end of support earlier: {format_de(o.end_of_life)} → {format_de(s.end_of_life)}"))
    for sid, o in before.items():
        if sid not in after:
            out.append(Hinweis(org, sid, o.name, "als außer Betrieb gemeldet — Abhängigkeiten und Vertrag prüfen",
                               "reported out of service — check dependencies and contract"))
    return out

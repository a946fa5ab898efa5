"""The bundled Saarland sample and synthetic landscapes of any size.

Real facts (organisations, AGS, districts, Zensus 2022 population, products, eGo-Saar
membership and exits, a few documented product choices) come from ``samples/facts/``
(each row with its source). Which organisation runs which product, versions, hosts,
contracts and costs are not public: they are drawn from plausible distributions with a
seeded RNG per organisation and marked ``provenance: synthetic``.

Every organisation gets its own RNG seeded with ``f"{seed}:{org_id}"``, so output is
byte-identical for the same seed and independent of how many organisations are generated.

>>> small = generate_landscape(orgs=3, seed=1)
>>> len(small.organisations), small.meta.synthetic
(5, True)
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from common.catalogue import Catalogue, facts_catalogue
from common.ids import slugify

from .models import Dependency, Landscape, LandscapeMeta, OrganisationInventory, reference_errors
from .types import LAND_CODES, MUNICIPAL_KINDS, OrgKind

__all__ = [
    "FACTS",
    "SAMPLE_SEED",
    "generate_landscape",
    "saarland_sample",
]

FACTS = Path(__file__).parent / "samples" / "facts"
SAMPLE_SEED = 2026
SYNTH = "synthetic"

# --------------------------------------------------------------------------- helpers


def _rows(name: str) -> list[dict[str, str]]:
    with open(FACTS / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --------------------------------------------------------------------------- catalogue

# --------------------------------------------------------------------------- system profiles


@dataclass(frozen=True)
class _Profile:
    """How often a domain occurs per organisation kind, and its typical properties."""

    domain: str
    share: dict[str, float]
    """Organisation kind group → probability of running a system in this domain."""
    users_per_10k: float
    sb: tuple[str, str, str]
    complexity: str
    cost_base: int
    """Annual cost in EUR for an organisation of 10,000 inhabitants (scaled by size^0.7)."""
    data_gb_per_10k: int = 20


_G, _S, _K, _Z, _L = "gemeinde", "stadt", "kreis", "zweckverband", "land"
_PROFILES: tuple[_Profile, ...] = (
    _Profile("Einwohnermeldewesen", {_G: 1, _S: 1}, 4, ("hoch", "hoch", "hoch"), "hoch", 9000, 60),
    _Profile("Personenstandswesen", {_G: 1, _S: 1}, 2, ("sehr hoch", "sehr hoch", "hoch"), "hoch", 5500, 30),
    _Profile("Finanzwesen/Doppik", {_G: 1, _S: 1, _K: 1, _Z: 1}, 8, ("hoch", "hoch", "hoch"), "hoch", 16000, 40),
    _Profile("Kassenwesen", {_G: .4, _S: .6}, 2, ("hoch", "hoch", "normal"), "niedrig", 1800, 2),
    _Profile("Personalwesen/Entgeltabrechnung", {_G: .9, _S: 1, _K: 1, _Z: 1}, 2, ("hoch", "hoch", "normal"),
             "mittel", 7000, 10),
    _Profile("Gewerbewesen", {_G: 1, _S: 1}, 1.5, ("normal", "hoch", "normal"), "niedrig", 2500, 5),
    _Profile("Ordnungswidrigkeiten", {_G: .5, _S: .9, _K: 1}, 2, ("hoch", "hoch", "normal"), "mittel", 3500, 10),
    _Profile("Dokumentenmanagement/E-Akte", {_G: .7, _S: .9, _K: 1, _Z: 1, _L: 1}, 25,
             ("hoch", "hoch", "hoch"), "hoch", 12000, 300),
    _Profile("Ratsinformationssystem", {_G: .8, _S: .9, _K: 1}, 3, ("normal", "hoch", "normal"), "niedrig", 3000, 20),
    _Profile("Wahlen", {_G: 1, _S: 1}, 1, ("hoch", "sehr hoch", "hoch"), "mittel", 2500, 5),
    _Profile("Friedhofsverwaltung", {_G: .5, _S: .6}, .5, ("normal", "normal", "normal"), "niedrig", 1200, 3),
    _Profile("Geoinformationssystem", {_G: .5, _S: .8, _K: 1}, 2, ("normal", "normal", "normal"), "mittel", 4000, 200),
    _Profile("Bauantrag/Bauverwaltung", {_S: .4, _K: 1}, 3, ("normal", "hoch", "normal"), "mittel", 6000, 80),
    _Profile("Kfz-Zulassung (Kreisebene)", {_K: 1}, 5, ("hoch", "hoch", "hoch"), "hoch", 15000, 50),
    _Profile("E-Mail/Groupware", {_G: 1, _S: 1, _K: 1, _Z: 1, _L: 1}, 40, ("hoch", "normal", "hoch"), "mittel",
             6000, 400),
    _Profile("Verzeichnisdienst", {_G: 1, _S: 1, _K: 1, _Z: 1, _L: 1}, 40, ("hoch", "hoch", "sehr hoch"),
             "mittel", 1500, 5),
    _Profile("Backup", {_G: .6, _S: .9, _K: 1, _Z: 1, _L: 1}, .2, ("hoch", "hoch", "normal"), "niedrig", 3000, 2000),
    _Profile("Firewall", {_G: .8, _S: 1, _K: 1, _Z: 1, _L: 1}, .2, ("normal", "hoch", "hoch"), "niedrig", 2500, 1),
    _Profile("Virtualisierung", {_G: .8, _S: 1, _K: 1, _Z: 1, _L: 1}, .2, ("normal", "hoch", "hoch"), "mittel",
             4000, 10),
    _Profile("Dateiablage", {_G: .3, _S: .4, _K: .5, _Z: 1}, 30, ("hoch", "normal", "normal"), "niedrig", 2000, 800),
    _Profile("Netzwerkzugangskontrolle", {_S: .2, _K: .3}, .2, ("normal", "hoch", "normal"), "niedrig", 2000, 1),
    _Profile("Finanzwesen/Gesamtabschluss", {_S: .3, _K: .5}, .5, ("normal", "hoch", "normal"), "niedrig", 1500, 1),
    _Profile("Bürgerportal/OZG-Plattform", {_Z: 1, _L: 1}, 1, ("hoch", "hoch", "hoch"), "hoch", 60000, 100),
    _Profile("Verzeichnisdienst/IAM", {_Z: 1}, 1, ("hoch", "hoch", "sehr hoch"), "hoch", 20000, 10),
    _Profile("Finanzwesen (Land, nicht Kommunen)", {_L: 1}, 300, ("hoch", "sehr hoch", "hoch"), "hoch", 400000, 500),
)

# (source domain, target domain, kind, criticality, standard): "source uses target".
_DEPS: tuple[tuple[str, str, str, str, str], ...] = (
    ("Wahlen", "Einwohnermeldewesen", "xoev", "hoch", "Wählerverzeichnis aus dem Melderegister"),
    ("Personenstandswesen", "Einwohnermeldewesen", "xoev", "mittel", "XPersonenstand/XMeld"),
    ("Einwohnermeldewesen", "Personenstandswesen", "xoev", "mittel", "XMeld"),
    ("Kassenwesen", "Finanzwesen/Doppik", "datei", "hoch", "Kassenstapel"),
    ("Finanzwesen/Doppik", "Kassenwesen", "datei", "hoch", "Buchungsrückmeldung"),
    ("Gewerbewesen", "Finanzwesen/Doppik", "datei", "mittel", "Gewerbesteuer-Sollstellung"),
    ("Ordnungswidrigkeiten", "Finanzwesen/Doppik", "datei", "mittel", "Sollstellung"),
    ("Friedhofsverwaltung", "Finanzwesen/Doppik", "datei", "niedrig", "Gebührenbescheide"),
    ("Personalwesen/Entgeltabrechnung", "Finanzwesen/Doppik", "datei", "mittel", "Personalkosten"),
    ("Finanzwesen/Gesamtabschluss", "Finanzwesen/Doppik", "datei", "niedrig", "Abschlussdaten"),
    ("Einwohnermeldewesen", "Dokumentenmanagement/E-Akte", "ablage", "niedrig", "Einwohnerakte"),
    ("Gewerbewesen", "Dokumentenmanagement/E-Akte", "ablage", "niedrig", "E-Akte"),
    ("Ratsinformationssystem", "Dokumentenmanagement/E-Akte", "ablage", "niedrig", "Sitzungsvorlagen"),
    ("Bauantrag/Bauverwaltung", "Dokumentenmanagement/E-Akte", "ablage", "mittel", "XBau-Vorgang"),
    ("Bauantrag/Bauverwaltung", "Geoinformationssystem", "api", "niedrig", "WMS/WFS"),
    ("Kfz-Zulassung (Kreisebene)", "Finanzwesen/Doppik", "datei", "mittel", "Gebühren"),
    ("Backup", "Virtualisierung", "api", "mittel", "VADP"),
    ("Dateiablage", "Verzeichnisdienst", "authentifizierung", "hoch", "LDAP/Kerberos"),
    ("E-Mail/Groupware", "Verzeichnisdienst", "authentifizierung", "hoch", "LDAP/Kerberos"),
)
_AUTH_EXEMPT = {"Verzeichnisdienst", "Verzeichnisdienst/IAM", "Firewall", "Backup", "Virtualisierung",
                "E-Mail/Groupware", "Dateiablage"}

# Real operating systems with their vendors' published end-of-support dates.
_OS: tuple[tuple[str, str, date, float], ...] = (
    ("Windows Server", "2012 R2", date(2023, 10, 10), .12),
    ("Windows Server", "2016", date(2027, 1, 12), .30),
    ("Windows Server", "2019", date(2029, 1, 9), .25),
    ("Windows Server", "2022", date(2031, 10, 14), .15),
    ("Debian", "11", date(2026, 8, 31), .06),
    ("Debian", "12", date(2028, 6, 30), .08),
    ("SUSE Linux Enterprise Server", "15 SP5", date(2031, 7, 31), .04),
)
_OPERATORS = ("eGo-Saar", "Hersteller (SaaS)", "Kommunaler IT-Dienstleister")


def _kind_group(kind: OrgKind) -> str:
    if kind == OrgKind.GEMEINDE:
        return _G
    if kind in MUNICIPAL_KINDS:
        return _S
    if kind in (OrgKind.LANDKREIS, OrgKind.REGIONALVERBAND):
        return _K
    return _Z if kind == OrgKind.ZWECKVERBAND else _L


def _pick(rng: random.Random, weighted: Iterable[tuple[Any, float]]) -> Any:
    items = list(weighted)
    return rng.choices([i for i, _ in items], weights=[w for _, w in items], k=1)[0]


def _q(rng: random.Random, lo: date, hi: date) -> date:
    """A random first-of-month date in [lo, hi]."""
    months = (hi.year - lo.year) * 12 + hi.month - lo.month
    m = rng.randint(0, max(months, 0))
    return date(lo.year + (lo.month - 1 + m) // 12, (lo.month - 1 + m) % 12 + 1, 1)


# --------------------------------------------------------------------------- one organisation


@dataclass
class _OrgSpec:
    org: dict[str, Any]
    population: int
    fixed: dict[str, dict[str, Any]]
    """Domain name → real overrides for that system (product, hosting, notes, provenance)."""
    extra_sites: list[dict[str, Any]]
    extra_services: list[dict[str, Any]]


class _Synth:
    """Draws one organisation's systems, hosts and dependencies."""

    def __init__(self, catalogue: Catalogue, *, real_only_products: bool):
        self.domain_id = {d.name: d.id for d in catalogue.domains}
        self.by_domain: dict[str, list[tuple[str, str, bool]]] = {}
        for p in catalogue.products:
            self.by_domain.setdefault(p.domain, []).append((p.id, p.vendor, p.legacy))
        if real_only_products:
            # Products the facts mark as irrelevant for Saarland municipalities.
            for did, items in self.by_domain.items():
                self.by_domain[did] = [i for i in items if i[0] not in {"gewan", "i-kfz"}]

    def organisation(self, spec: _OrgSpec, rng: random.Random, extra_systems: int = 0) -> dict[str, Any]:
        org = spec.org
        oid = org["id"]
        group = _kind_group(OrgKind(org["kind"]))
        size = max(spec.population, 3000) / 10_000
        scale = size ** 0.7
        sites = [{"id": f"{oid}.rathaus", "name": f"Serverraum Rathaus {org['name']}", "kind": "rathaus",
                  "owner": oid, "ags": org.get("ags"), "provenance": SYNTH}]
        if group in (_K, _Z, _L) or (group == _S and spec.population > 40_000):
            sites.append({"id": f"{oid}.rz", "name": f"Rechenzentrum {org['name']}", "kind": "rechenzentrum",
                          "owner": oid, "ags": org.get("ags"), "provenance": SYNTH,
                          "capacity": {"racks": rng.randint(4, 20), "vcpu": rng.randint(4, 40) * 64,
                                       "ram_gb": rng.randint(4, 40) * 256, "storage_tb": rng.randint(10, 200)},
                          "certifications": ["ISO 27001 auf Basis von IT-Grundschutz"] if rng.random() < .5 else [],
                          "redundancy": _pick(rng, (("n+1", 3), ("2n", 1), ("none", 1)))})
        sites.extend(spec.extra_sites)
        main_site = sites[-1]["id"] if sites[-1]["kind"] == "rechenzentrum" and sites[-1]["owner"] == oid \
            else sites[0]["id"]
        hosts: list[dict[str, Any]] = []
        n_phys = 1 + int(size > 2) + int(size > 6)
        for i in range(n_phys):
            osn, osv, eol, _ = _pick(rng, ((o, w) for o, w in ((o, o[3]) for o in _OS)))
            hosts.append({"id": f"{oid}.hv{i + 1:02d}", "name": f"hv{i + 1:02d}", "kind": "physical",
                          "site": main_site, "os": {"name": osn, "version": osv, "end_of_life": eol},
                          "size": {"vcpu": rng.choice((16, 24, 32, 48)), "ram_gb": rng.choice((128, 256, 384, 512)),
                                   "storage_gb": rng.choice((4000, 8000, 16000))}, "provenance": SYNTH})

        chosen: list[tuple[_Profile, int]] = [
            (p, 1) for p in _PROFILES if p.domain in spec.fixed or rng.random() < p.share.get(group, 0)
        ]
        for i in range(extra_systems):
            chosen.append((_PROFILES[i % 22], 2 + i // 22))
        systems: list[dict[str, Any]] = []
        sys_of_domain: dict[str, str] = {}
        for prof, instance in chosen:
            did = self.domain_id.get(prof.domain)
            if did is None or not self.by_domain.get(did):
                continue
            fixed = spec.fixed.get(prof.domain, {}) if instance == 1 else {}
            pid, vendor, legacy = _pick(rng, ((p, .35 if p[2] else 1.0) for p in self.by_domain[did]))
            if "product" in fixed:
                pid, vendor, legacy = next(p for p in self.by_domain[did] if p[0] == fixed["product"])
            sid = f"{oid}.{did}" + (f"-{instance}" if instance > 1 else "")
            users = max(1, round(prof.users_per_10k * size * rng.uniform(.6, 1.4)))
            year = rng.randint(2015, 2025)
            eol = _q(rng, date(2024, 1, 1), date(2027, 12, 1) if legacy else date(2033, 12, 1))
            cost = round(prof.cost_base * scale * rng.uniform(.7, 1.3), -1)
            start = _q(rng, date(2012, 1, 1), date(2025, 6, 1))
            contract: dict[str, Any] | None = {
                "vendor": vendor, "annual_cost": cost, "start": start,
                "notice_months": rng.choice((3, 3, 6, 6, 12, 24)),
                "renewal_months": rng.choice((12, 12, 12, 24, 0)),
            }
            if rng.random() < .55:
                contract["end"] = date(start.year + rng.randint(3, 12), 12, 31)
            if rng.random() < .05:
                contract = None
            hosting: dict[str, Any]
            roll = rng.random()
            if "hosting" in fixed:
                hosting = fixed["hosting"]
            elif roll < .72 or group in (_Z, _L):
                vm_id = f"{oid}.vm-{did}" + (f"-{instance}" if instance > 1 else "")
                osn, osv, oseol, _ = _pick(rng, ((o, o[3]) for o in _OS))
                hosts.append({"id": vm_id, "name": f"vm-{did}"[:60], "kind": "virtual", "site": main_site,
                              "os": {"name": osn, "version": osv, "end_of_life": oseol},
                              "size": {"vcpu": rng.choice((2, 4, 4, 8, 16)), "ram_gb": rng.choice((4, 8, 16, 32, 64)),
                                       "storage_gb": max(60, prof.data_gb_per_10k * int(size * 10) // 10 + 60)},
                              "hypervisor": rng.choice(hosts[:n_phys])["id"], "provenance": SYNTH})
                hosting = {"host": vm_id}
            else:
                hosting = {"operator": rng.choice(_OPERATORS)}
            systems.append({
                "id": sid, "name": f"{prof.domain} {org['name']}" + (f" ({instance})" if instance > 1 else ""),
                "domain": did, "product": pid, "version": f"{year}.{rng.randint(1, 4)}",
                "hosting": hosting, "users": users,
                "schutzbedarf": dict(zip(("vertraulichkeit", "integritaet", "verfuegbarkeit"), prof.sb, strict=True)),
                "betriebsart": "Eigenleistung" if "host" in hosting else "Fremdleistung",
                "contract": contract, "end_of_life": eol if rng.random() < .9 else None,
                "data_gb": max(1, round(prof.data_gb_per_10k * size * rng.uniform(.5, 1.5))),
                "complexity": prof.complexity,
                "confidence": _pick(rng, (("verified", .4), ("estimated", .45), ("unknown", .15))),
                "provenance": fixed.get("provenance", SYNTH),
                "notes": fixed.get("notes", ""),
            })
            if contract is None:
                del systems[-1]["contract"]
            if instance == 1:
                sys_of_domain[prof.domain] = sid
        deps = []
        for src, dst, kind, crit, std in _DEPS:
            if src in sys_of_domain and dst in sys_of_domain:
                deps.append({"source": sys_of_domain[src], "target": sys_of_domain[dst], "kind": kind,
                             "criticality": crit, "standard": std})
        auth = sys_of_domain.get("Verzeichnisdienst")
        dms = sys_of_domain.get("Dokumentenmanagement/E-Akte")
        for s in systems:
            dname = next(p.domain for p in _PROFILES if self.domain_id.get(p.domain) == s["domain"])
            if auth and dname not in _AUTH_EXEMPT:
                deps.append({"source": s["id"], "target": auth, "kind": "authentifizierung",
                             "criticality": "mittel", "standard": "LDAP/Kerberos"})
            if s["id"] in sys_of_domain.values():
                continue
            # Further installations (Germany-scale shape): archive into the DMS, post into Finanzwesen.
            if dms and s["id"] != dms:
                deps.append({"source": s["id"], "target": dms, "kind": "ablage", "criticality": "niedrig",
                             "standard": "E-Akte"})
            fin = sys_of_domain.get("Finanzwesen/Doppik")
            if fin and rng.random() < .6:
                deps.append({"source": s["id"], "target": fin, "kind": "datei", "criticality": "niedrig",
                             "standard": "Buchungsdaten"})
        services = [dict(svc) for svc in spec.extra_services if svc.get("feeds_domain") is None
                    or svc["feeds_domain"] in sys_of_domain]
        for svc in services:
            dom = svc.pop("feeds_domain", None)
            if dom:
                svc["feeds"] = sys_of_domain[dom]
        return {"organisation": org, "sites": sites, "hosts": hosts, "systems": systems,
                "dependencies": deps, "online_services": services}


def _municipal_services(oid: str) -> list[dict[str, Any]]:
    return [
        {"id": f"{oid}.meldebescheinigung", "name": "Meldebescheinigung beantragen", "kind": "eigen",
         "themenfeld": "Ein- & Auswanderung", "feeds_domain": "Einwohnermeldewesen", "provenance": SYNTH},
        {"id": f"{oid}.gewerbeanzeige", "name": "Gewerbe anmelden", "kind": "eigen",
         "themenfeld": "Unternehmensführung & -entwicklung", "feeds_domain": "Gewerbewesen", "provenance": SYNTH},
        {"id": f"{oid}.personenstandsurkunde", "name": "Personenstandsurkunde beantragen", "kind": "eigen",
         "themenfeld": "Familie & Kind", "feeds_domain": "Personenstandswesen", "provenance": SYNTH},
    ]


# --------------------------------------------------------------------------- Saarland sample

_LEAVERS_SRC = ("egosaar_facts.csv 'members leaving': Heusweiler, Eppelborn, Losheim, Wadern, Weiskirchen; "
                "earliest exit 31 Dec 2026 (tagesschau.de/SR 2024-12-10)")
_LEAVERS = {"Heusweiler", "Eppelborn", "Losheim am See", "Wadern", "Weiskirchen"}
_EINBUERGERUNG_CONNECTED = {"rv-saarbruecken", "lk-saarlouis", "saarpfalz-kreis", "lk-merzig-wadern", "saarbruecken"}
_DISTRICT_IDS = {"10041": "rv-saarbruecken", "10042": "lk-merzig-wadern", "10043": "lk-neunkirchen",
                 "10044": "lk-saarlouis", "10045": "saarpfalz-kreis", "10046": "lk-st-wendel"}


def _saarland_specs() -> list[_OrgSpec]:
    zensus = "Zensus 2022 (Statistische Ämter des Bundes und der Länder, Tabelle 1000A-0000)"
    districts = {r["district_key"]: r for r in _rows("districts.csv")}
    specs: list[_OrgSpec] = []
    for key, d in sorted(districts.items()):
        kind = d["kind"]
        oid = _DISTRICT_IDS[key]
        services = [{"id": f"{oid}.baugenehmigung", "name": "Baugenehmigung beantragen", "kind": "efa",
                     "efa_provider": "Mecklenburg-Vorpommern", "themenfeld": "Bauen & Wohnen",
                     "feeds_domain": "Bauantrag/Bauverwaltung", "provenance": SYNTH}]
        if oid in _EINBUERGERUNG_CONNECTED:
            services.append({"id": f"{oid}.einbuergerung", "name": "Einbürgerung beantragen", "kind": "efa",
                             "efa_provider": "Nordrhein-Westfalen", "themenfeld": "Ein- & Auswanderung",
                             "provenance": "real"})
        fixed: dict[str, dict[str, Any]] = {}
        if oid == "lk-saarlouis":
            fixed["Personalwesen/Entgeltabrechnung"] = {
                "product": "p-i-loga", "hosting": {"operator": "P&I AG (SaaS)"}, "provenance": "real",
                "notes": "P&I LOGA HR Plattform als SaaS (Ex-ante-Transparenzbekanntmachung 2023)"}
        if oid == "lk-st-wendel":
            fixed["Dokumentenmanagement/E-Akte"] = _st_wendel_dms()
        specs.append(_OrgSpec(
            # "Saarpfalz-Kreis" names its kind already: no "Landkreis Saarpfalz-Kreis"
            org={"id": oid, "name": d["name"] if kind == "Regionalverband" or d["name"].endswith("Kreis")
                 else f"Landkreis {d['name']}",
                 "kind": kind, "district": key, "district_name": d["name"],
                 "population": {"count": int(d["population"]), "year": 2022, "source": zensus + " (Summe)"},
                 "zweckverband": {"member": True, "source": "egosaar_facts.csv 'members'"}},
            population=int(d["population"]), fixed=fixed, extra_sites=[], extra_services=services))
    for r in _rows("municipalities.csv"):
        oid = slugify(r["name"])
        key = r["ags"][:5]
        leaving = r["name"] in _LEAVERS
        fixed = {}
        extra_sites: list[dict[str, Any]] = []
        if key == "10046":
            fixed["Dokumentenmanagement/E-Akte"] = _st_wendel_dms()
            if oid == "st-wendel":
                extra_sites.append({
                    "id": "vse-net-saarwellingen", "name": "VSE NET Rechenzentrum Saarwellingen (Rack Servicestelle)",
                    "kind": "rechenzentrum", "owner": "VSE NET (Servicestelle Kreisstadt St. Wendel + Marpingen)",
                    "ags": "10044116", "provenance": "real"})
        if oid == "neunkirchen":
            fixed["Ratsinformationssystem"] = {
                "product": "session-sessionnet-mandatos", "provenance": "real",
                "notes": "Somacos Session seit 1. Januar 2003 (kommune21.de 17.11.2020)"}
        if oid == "eppelborn":
            extra_sites.append({"id": "eppelborn.privates-rz", "name": "Privates Rechenzentrum (Anbieter nicht genannt)",
                                "kind": "dienstleister", "owner": "privater Anbieter", "provenance": "real"})
        specs.append(_OrgSpec(
            org={"id": oid, "name": r["name"], "kind": r["kind"], "ags": r["ags"], "district": key,
                 "district_name": r["district"],
                 "population": {"count": int(r["population"]), "year": int(r["population_year"]), "source": zensus},
                 "zweckverband": {"member": True, "exit_date": date(2026, 12, 31), "source": _LEAVERS_SRC}
                 if leaving else {"member": True, "source": "egosaar_facts.csv 'members': all 52 municipalities"}},
            population=int(r["population"]), fixed=fixed, extra_sites=extra_sites,
            extra_services=_municipal_services(oid)))
        if oid == "eppelborn":
            # Facts: Eppelborn moved its servers to that private data centre.
            specs[-1].org["_hosting_site"] = "eppelborn.privates-rz"
    specs.append(_OrgSpec(
        org={"id": "ego-saar", "name": "Zweckverband eGo-Saar", "kind": "Zweckverband",
             "zweckverband": {"member": True, "source": "egosaar_facts.csv 'name'"}},
        population=1_006_864, fixed={
            "Bürgerportal/OZG-Plattform": {
                "product": "buergerdienste-saar-serviceportal-saarland", "provenance": "real",
                "notes": "Bürgerdienste Saar seit 2004, Meldeportal Saarland seit 2007 (sol.de)"}},
        extra_sites=[{
            "id": "rz-ego-saar", "name": "Rechenzentrum eGo-Saar", "kind": "rechenzentrum", "owner": "ego-saar",
            "ags": "10041100", "capacity": {"racks": 24, "power_kw": 120, "vcpu": 2048, "ram_gb": 16384,
                                            "storage_tb": 800},
            "certifications": ["ISO 27001 auf Basis von IT-Grundschutz"], "redundancy": "2n",
            "provenance": SYNTH}],
        extra_services=[{"id": "ego-saar.melderegisterauskunft", "name": "Melderegisterauskunft (Meldeportal Saarland)",
                         "kind": "eigen", "themenfeld": "Ein- & Auswanderung",
                         "feeds_domain": "Bürgerportal/OZG-Plattform", "provenance": "real"}]))
    specs.append(_OrgSpec(
        org={"id": "land-saarland", "name": "Land Saarland", "kind": "Land",
             "zweckverband": {"member": False}},
        population=1_006_864, fixed={
            "Finanzwesen (Land, nicht Kommunen)": {
                "product": "mach-integriertes-haushaltssystem", "provenance": "real",
                "notes": "Landesamt für Finanzen: MACH integriertes Haushaltssystem (pressebox.de)"}},
        extra_sites=[{
            "id": "rz-land-saarland", "name": "Landesrechenzentrum Saarland", "kind": "rechenzentrum",
            "owner": "land-saarland", "ags": "10041100",
            "capacity": {"racks": 40, "power_kw": 250, "vcpu": 4096, "ram_gb": 32768, "storage_tb": 2000},
            "certifications": ["ISO 27001 auf Basis von IT-Grundschutz", "BSI C5"], "redundancy": "georedundant",
            "provenance": SYNTH}],
        extra_services=[]))
    return specs


def _st_wendel_dms() -> dict[str, Any]:
    return {"product": "d-3ecm-d-velop-documents", "hosting": {"site": "vse-net-saarwellingen"},
            "provenance": "real",
            "notes": "d.3ecm für Landkreis St. Wendel und alle 8 Kommunen, Rack im VSE NET RZ Saarwellingen "
                     "(saarbruecker-zeitung.de 2020-12)"}


def _build(specs: list[_OrgSpec], catalogue: Catalogue, seed: int, meta: dict[str, Any], *,
           real_only_products: bool, extra_systems: int = 0,
           progress: Callable[[int], None] | None = None) -> Landscape:
    synth = _Synth(catalogue, real_only_products=real_only_products)
    orgs = []
    for spec in specs:
        rng = random.Random(f"{seed}:{spec.org['id']}")
        hosting_site = spec.org.pop("_hosting_site", None)
        data = synth.organisation(spec, rng, extra_systems=extra_systems)
        if hosting_site:
            for h in data["hosts"]:
                h["site"] = hosting_site
        orgs.append(OrganisationInventory.model_validate(data))
        if progress is not None:
            progress(1)
    orgs.sort(key=lambda o: o.organisation.id)  # canonical order = file order of the YAML folder
    _cross_org(orgs)
    landscape = Landscape.model_construct(
        meta=LandscapeMeta.model_validate(meta), catalogue=catalogue, organisations=tuple(orgs))
    refs = reference_errors(landscape)
    if refs:  # a generator bug, never user input
        raise RuntimeError(f"generated landscape is inconsistent: {refs[:3]}")
    return landscape


def _cross_org(orgs: list[OrganisationInventory]) -> None:
    """The shared portal of a Zweckverband reaches into each member's Meldewesen (XMeld)."""
    portal_idx = next((i for i, o in enumerate(orgs) if o.organisation.kind == OrgKind.ZWECKVERBAND), None)
    if portal_idx is None:
        return
    portal = next((s.id for s in orgs[portal_idx].systems if s.domain == "buergerportal-ozg-plattform"), None)
    if portal is None:
        return
    deps = [{"source": portal, "target": s.id, "kind": "xoev", "criticality": "niedrig",
             "standard": "XMeld (Melderegisterauskunft)"}
            for o in orgs if o.organisation.zweckverband.member
            for s in o.systems if s.domain == "einwohnermeldewesen"]
    inv = orgs[portal_idx]
    orgs[portal_idx] = inv.model_copy(
        update={"dependencies": inv.dependencies + tuple(Dependency.model_validate(d) for d in deps)})


def saarland_sample(seed: int = SAMPLE_SEED) -> Landscape:
    """The bundled Saarland sample: real organisations and facts, synthetic system landscape."""
    return _build(_saarland_specs(), facts_catalogue(), seed, {
        "name": "Saarland (Beispiel)",
        "description": f"52 Gemeinden, 5 Landkreise und der Regionalverband, eGo-Saar und das Land. "
                       "Organisationen, AGS, Einwohner (Zensus 2022), Produkte und einzelne dokumentierte "
                       "Produktentscheidungen sind real (Quelle je Datensatz); Systemlisten, Versionen, Hosts, "
                       f"Verträge und Kosten sind SYNTHETISCH (seed {seed}).",
        "land": "10", "synthetic": True, "seed": seed, "generator": "landkarte inventory sample",
        "sources": ("inventory/samples/facts/README.md",),
    }, real_only_products=True)


# --------------------------------------------------------------------------- synthetic landscapes


def _synthetic_specs(orgs: int, seed: int) -> list[_OrgSpec]:
    """``orgs`` municipalities in Kreise of ~25 across the Länder, plus one Zweckverband and one Land."""
    rng = random.Random(f"{seed}:structure")
    specs: list[_OrgSpec] = []
    lands = sorted(LAND_CODES)
    per_kreis = 25
    n_kreise = max(1, math.ceil(orgs / per_kreis))
    count = 0
    for k in range(n_kreise):
        land = lands[k % len(lands)]
        kreis_no = k // len(lands)
        key = f"{land}{1 + kreis_no // 99 % 9}{kreis_no % 99 + 1:02d}"
        kid = f"lk-{key}"
        members = min(per_kreis, orgs - count)
        kpop = 0
        for g in range(members):
            pop = int(rng.lognormvariate(9.0, 1.0)) + 500
            kpop += pop
            ags = f"{key}{g + 1:03d}"
            kind = "Kreisstadt" if g == 0 else "Stadt" if pop > 20_000 else "Gemeinde"
            oid = f"g-{ags}"
            specs.append(_OrgSpec(
                org={"id": oid, "name": f"{kind} {ags} (synthetisch)", "kind": kind, "ags": ags, "district": key,
                     "district_name": f"Landkreis {key} (synthetisch)",
                     "population": {"count": pop, "year": 2022, "source": SYNTH},
                     "zweckverband": {"member": True}, "provenance": SYNTH},
                population=pop, fixed={}, extra_sites=[], extra_services=_municipal_services(oid)))
            count += 1
        specs.append(_OrgSpec(
            org={"id": kid, "name": f"Landkreis {key} (synthetisch)", "kind": "Landkreis", "district": key,
                 "district_name": f"Landkreis {key} (synthetisch)",
                 "population": {"count": kpop, "year": 2022, "source": SYNTH},
                 "zweckverband": {"member": True}, "provenance": SYNTH},
            population=kpop, fixed={}, extra_sites=[], extra_services=[]))
        if count >= orgs:
            break
    specs.append(_OrgSpec(
        org={"id": "zweckverband", "name": "Zweckverband (synthetisch)", "kind": "Zweckverband",
             "zweckverband": {"member": True}, "provenance": SYNTH},
        population=1_000_000, fixed={}, extra_services=[], extra_sites=[{
            "id": "rz-zweckverband", "name": "Rechenzentrum Zweckverband (synthetisch)", "kind": "rechenzentrum",
            "owner": "zweckverband", "capacity": {"racks": 400, "vcpu": 200_000, "ram_gb": 1_600_000,
                                                  "storage_tb": 80_000},
            "certifications": ["ISO 27001 auf Basis von IT-Grundschutz"], "redundancy": "2n",
            "provenance": SYNTH}]))
    specs.append(_OrgSpec(
        org={"id": "land", "name": "Land (synthetisch)", "kind": "Land", "provenance": SYNTH},
        population=10_000_000, fixed={}, extra_services=[], extra_sites=[{
            "id": "rz-land", "name": "Landesrechenzentrum (synthetisch)", "kind": "rechenzentrum", "owner": "land",
            "capacity": {"racks": 800, "vcpu": 400_000, "ram_gb": 3_200_000, "storage_tb": 160_000},
            "certifications": ["ISO 27001 auf Basis von IT-Grundschutz", "BSI C5"], "redundancy": "georedundant",
            "provenance": SYNTH}]))
    return specs


def generate_landscape(orgs: int, seed: int, *, systems_per_org: int | None = None,
                       progress: Callable[[int], None] | None = None) -> Landscape:
    """A synthetic landscape of ``orgs`` municipalities (plus their Kreise, a Zweckverband and a Land).

    Parameters
    ----------
    orgs : number of municipalities (Germany: about 10,800).
    seed : RNG seed; the same seed gives the same landscape.
    systems_per_org : average systems per municipality; by default the Saarland-like ~20. Use 46 with
        10,800 orgs for Germany scale (about 500,000 systems and 1,000,000 dependencies).
    """
    if orgs < 1:
        raise ValueError("orgs must be ≥ 1")
    extra = max(0, (systems_per_org or 0) - 20)
    return _build(_synthetic_specs(orgs, seed), facts_catalogue(), seed, {
        "name": f"Synthetische Landschaft ({orgs} Organisationen, seed {seed})",
        "description": "Vollständig SYNTHETISCH erzeugt; Produkte aus dem realen Katalog.",
        "synthetic": True, "seed": seed, "generator": "landkarte inventory generate",
    }, real_only_products=False, extra_systems=extra, progress=progress)

"""The typed inventory of municipal IT landscapes.

All models are frozen and strict (``extra="forbid"``): an unknown key is an error, never a
silent loss. Collections are tuples. A :class:`Landscape` is the whole inventory: the
catalogues plus one :class:`OrganisationInventory` per organisation (one YAML file each).

Cross-references (a system's host, a dependency's ends, a product id, …) are checked by
:func:`reference_errors`, which :class:`Landscape` runs on construction.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from common.catalogue import Catalogue, Domain, Product
from common.model import StrictModel
from common.types import Betriebsart, Date, Id, Money, NonEmptyStr, Schutzbedarf, Text, Year

from .types import (
    AGS,
    MUNICIPAL_KINDS,
    Confidence,
    Criticality,
    DependencyKind,
    DistrictKey,
    HostKind,
    OrgKind,
    Provenance,
    ServiceKind,
    SiteKind,
)

__all__ = [
    "Capacity",
    "Contract",
    "Dependency",
    "Erhebungsvermerk",
    "Host",
    "HostSize",
    "Hosting",
    "Landscape",
    "LandscapeMeta",
    "Model",
    "OnlineService",
    "OperatingSystem",
    "Organisation",
    "OrganisationInventory",
    "Population",
    "ReferenceIssue",
    "SchutzbedarfVIV",
    "Site",
    "System",
    "Zweckverband",
    "reference_errors",
]


class Model(StrictModel):
    """Base of every inventory model: frozen, strict about keys, documented fields."""


# --------------------------------------------------------------------------- provenance of survey data


def _absent(value: object) -> bool:
    """No survey note: left out of every dump, so inventories without survey data serialise (and hash) as before."""
    return value is None


class Erhebungsvermerk(Model):
    """Where a record's values were last reported by the organisation itself (an Erhebung: a survey campaign)."""

    campaign: NonEmptyStr
    """Id of the campaign, e.g. "erhebung-2026"."""
    file: NonEmptyStr
    """Name of the returned questionnaire workbook."""
    date: Date
    """Day the returned workbook was merged."""
    confidence: Confidence = Confidence.ESTIMATED
    """How sure the organisation is of its answers."""


# Numbers are numbers: ``users: true``, ``users: yes`` and ``users: '12'`` are errors (``strict``),
# not 1 and 12. The spreadsheet loader turns a number cell's text into a number first
# (:func:`inventory._tables.from_cells`). Each bound says why it is a bound.


def _at_most(limit: float, reason: str) -> AfterValidator:
    def check(value: float | None) -> float | None:
        if value is not None and value > limit:
            raise ValueError(f"{value:,} is more than {limit:,} ({reason})")
        return value

    return AfterValidator(check)


def _number_not_text(value: object) -> object:
    if isinstance(value, (bool, str)):
        raise ValueError(f"must be a number, not {value!r}")  # noqa: TRY004 - pydantic reports ValueError with its place
    return value


_GERMANY = "more than Germany's population"


def _whole(limit: int, reason: str) -> object:
    """A whole number ≥ 0 and ≤ ``limit`` (strict: no bool, no text)."""
    return Annotated[int, Field(strict=True, ge=0), _at_most(limit, reason)]


def _real(limit: float, reason: str) -> object:
    """A number ≥ 0 and ≤ ``limit`` (strict: no bool, no text; whole numbers welcome)."""
    return Annotated[float, Field(strict=True, ge=0, allow_inf_nan=False), _at_most(limit, reason)]


People = _whole(100_000_000, _GERMANY)
Amount = Annotated[Money, BeforeValidator(_number_not_text),
                   _at_most(10**12, "more than a trillion euros a year: check the unit")]


# --------------------------------------------------------------------------- organisation


class Population(Model):
    count: People
    year: Year
    source: Text = ""


class Zweckverband(Model):
    """Membership in the Zweckverband (eGo-Saar)."""

    member: bool
    exit_date: Date | None = None
    """Date the membership ends (e.g. 2026-12-31 for the five municipalities that leave)."""
    source: Text = ""

    @model_validator(mode="after")
    def _exit_needs_membership(self) -> Zweckverband:
        if self.exit_date is not None and not self.member:
            raise ValueError("exit_date is only meaningful for a member")
        return self


class Organisation(Model):
    id: Id
    name: NonEmptyStr
    kind: OrgKind
    ags: AGS | None = None
    """Amtlicher Gemeindeschlüssel; required for municipalities."""
    district: DistrictKey | None = None
    """Kreisschlüssel of the Landkreis/Regionalverband the organisation belongs to (or is)."""
    district_name: Text = ""
    population: Population | None = None
    zweckverband: Zweckverband = Zweckverband(member=False)
    provenance: Provenance = Provenance.REAL

    @model_validator(mode="after")
    def _municipal_fields(self) -> Organisation:
        if self.kind in MUNICIPAL_KINDS:
            if self.ags is None:
                raise ValueError(f"a {self.kind} needs an ags (Amtlicher Gemeindeschlüssel)")
            if self.district is not None and not self.ags.startswith(self.district):
                raise ValueError(f"ags {self.ags} does not lie in district {self.district}")
        return self


# --------------------------------------------------------------------------- sites and hosts


class Capacity(Model):
    """Capacity of a data centre (any subset)."""

    racks: _whole(100_000, "more racks than any data centre holds") | None = None
    power_kw: _real(1_000_000, "a gigawatt: check the unit (kW)") | None = None
    vcpu: _whole(100_000_000, "check the unit (vCPU)") | None = None
    ram_gb: _whole(1_000_000_000, "an exabyte: check the unit (GB)") | None = None
    storage_tb: _real(10_000_000, "ten exabytes: check the unit (TB)") | None = None


class Site(Model):
    id: Id
    name: NonEmptyStr
    kind: SiteKind
    owner: NonEmptyStr
    """Organisation id or the name of the external operator."""
    ags: AGS | None = None
    """Municipality where the site is, if known."""
    capacity: Capacity | None = None
    certifications: tuple[NonEmptyStr, ...] = ()
    """E.g. "ISO 27001 auf Basis von IT-Grundschutz"."""
    redundancy: Literal["none", "n+1", "2n", "georedundant"] = "none"
    provenance: Provenance = Provenance.REAL
    erhebung: Erhebungsvermerk | None = Field(default=None, exclude_if=_absent)
    """The survey campaign that last changed this record (provenance ``survey``)."""


class OperatingSystem(Model):
    name: NonEmptyStr
    version: NonEmptyStr
    end_of_life: Date | None = None


class HostSize(Model):
    vcpu: _whole(100_000, "no single host has that many vCPUs")
    ram_gb: _whole(1_000_000, "a petabyte of RAM in one host: check the unit (GB)")
    storage_gb: _whole(1_000_000_000, "an exabyte in one host: check the unit (GB)")


class Host(Model):
    id: Id
    name: NonEmptyStr
    kind: HostKind
    site: Id
    os: OperatingSystem
    size: HostSize
    hypervisor: Id | None = None
    """For a virtual host: the host (physical) it runs on, if inventoried."""
    provenance: Provenance = Provenance.REAL
    erhebung: Erhebungsvermerk | None = Field(default=None, exclude_if=_absent)
    """The survey campaign that last changed this record (provenance ``survey``)."""


# --------------------------------------------------------------------------- systems


class Hosting(Model):
    """Where a system runs: on an inventoried host, at a site, or at an external operator."""

    host: Id | None = None
    site: Id | None = None
    operator: NonEmptyStr | None = None
    """External operator (e.g. the vendor's SaaS or another authority's data centre)."""

    @model_validator(mode="after")
    def _something(self) -> Hosting:
        if self.host is None and self.site is None and self.operator is None:
            raise ValueError("hosting needs a host, a site or an operator")
        return self


class SchutzbedarfVIV(Model):
    """Schutzbedarf per Vertraulichkeit, Integrität, Verfügbarkeit."""

    vertraulichkeit: Schutzbedarf = Schutzbedarf.NORMAL
    integritaet: Schutzbedarf = Schutzbedarf.NORMAL
    verfuegbarkeit: Schutzbedarf = Schutzbedarf.NORMAL

    @property
    def maximum(self) -> Schutzbedarf:
        """The maximum principle of BSI-Standard 200-2."""
        return max((self.vertraulichkeit, self.integritaet, self.verfuegbarkeit), key=lambda s: s.rank)


class Contract(Model):
    vendor: NonEmptyStr
    annual_cost: Amount
    """Annual cost in EUR (licences, maintenance, hosting)."""
    start: Date
    end: Date | None = None
    """Fixed end; ``None`` means it runs until terminated."""
    notice_months: int = Field(strict=True, ge=0, le=60)
    """Notice period in months before ``end`` (or before any date, for an open-ended contract)."""
    renewal_months: int = Field(default=12, strict=True, ge=0, le=120)
    """Automatic renewal when not terminated in time (0 = no renewal)."""

    @model_validator(mode="after")
    def _dates(self) -> Contract:
        if self.end is not None and self.end < self.start:
            raise ValueError("contract end lies before its start")
        return self


class System(Model):
    """A Fachverfahren or Basis-IT service instance in one organisation."""

    id: Id
    name: NonEmptyStr
    domain: Id
    product: Id
    version: NonEmptyStr
    hosting: Hosting
    users: People
    schutzbedarf: SchutzbedarfVIV
    betriebsart: Betriebsart
    contract: Contract | None = None
    end_of_life: Date | None = None
    """End of vendor support for the installed version."""
    data_gb: _whole(1_000_000_000_000, "more than a zettabyte: check the unit (GB)") = 0
    complexity: Literal["niedrig", "mittel", "hoch"] = "mittel"
    confidence: Confidence = Confidence.ESTIMATED
    provenance: Provenance = Provenance.REAL
    notes: Text = ""
    erhebung: Erhebungsvermerk | None = Field(default=None, exclude_if=_absent)
    """The survey campaign that last changed this record (provenance ``survey``)."""


class Dependency(Model):
    """An interface between two systems; ``source`` uses ``target``."""

    source: Id
    target: Id
    kind: DependencyKind
    criticality: Criticality = Criticality.MITTEL
    standard: Text = ""
    """The exchange standard, e.g. XMeld, XPersonenstand, XBau, LDAP, SMTP."""


class OnlineService(Model):
    """An OZG Leistung offered online."""

    id: Id
    name: NonEmptyStr
    leika_id: str | None = Field(default=None, pattern=r"^[0-9]{14}$")
    """LeiKa-Schlüssel (14 digits) where known."""
    themenfeld: Text = ""
    kind: ServiceKind
    efa_provider: Text = ""
    """For EfA services: the Land that built it."""
    feeds: Id | None = None
    """The system it delivers into."""
    provenance: Provenance = Provenance.REAL


class OrganisationInventory(Model):
    """One organisation and everything it runs: the content of one YAML file."""

    organisation: Organisation
    sites: tuple[Site, ...] = ()
    hosts: tuple[Host, ...] = ()
    systems: tuple[System, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    online_services: tuple[OnlineService, ...] = ()


class LandscapeMeta(Model):
    name: NonEmptyStr
    description: Text = ""
    land: str | None = Field(default=None, pattern=r"^(0[1-9]|1[0-6])$")
    """Land code every AGS must start with, e.g. "10" for Saarland."""
    synthetic: bool = False
    """Some values are generated, not real facts (see each record's provenance)."""
    seed: int | None = Field(default=None, strict=True, ge=0, lt=2**63)
    generator: str = ""
    sources: tuple[str, ...] = ()


# --------------------------------------------------------------------------- landscape


class ReferenceIssue(Model):
    """A broken cross-reference: where (organisation index + key path) and what."""

    org_index: int | None
    """Index into ``Landscape.organisations``; ``None`` for the catalogue / meta."""
    loc: tuple[str | int, ...]
    msg: str
    dangling: bool = False
    """A reference to an id that does not exist (may be caused by a file that failed to load)."""


class Landscape(Model):
    """The whole inventory."""

    meta: LandscapeMeta
    catalogue: Catalogue
    organisations: tuple[OrganisationInventory, ...]

    @model_validator(mode="after")
    def _references(self) -> Landscape:
        issues = reference_errors(self)
        if issues:
            lines = "; ".join(
                f"{'/'.join(map(str, ((i.org_index,) if i.org_index is not None else ()) + i.loc))}: {i.msg}"
                for i in issues[:20]
            )
            raise ValueError(f"{len(issues)} reference error(s): {lines}")
        return self

    # Indexes are derived once; the model is frozen so they never go stale.
    @cached_property
    def orgs(self) -> dict[str, Organisation]:
        return {o.organisation.id: o.organisation for o in self.organisations}

    @cached_property
    def systems(self) -> dict[str, System]:
        return {s.id: s for o in self.organisations for s in o.systems}

    @cached_property
    def hosts(self) -> dict[str, Host]:
        return {h.id: h for o in self.organisations for h in o.hosts}

    @cached_property
    def sites(self) -> dict[str, Site]:
        return {s.id: s for o in self.organisations for s in o.sites}

    @cached_property
    def products(self) -> dict[str, Product]:
        return {p.id: p for p in self.catalogue.products}

    @cached_property
    def domains(self) -> dict[str, Domain]:
        return {d.id: d for d in self.catalogue.domains}

    @cached_property
    def owner(self) -> dict[str, str]:
        """System, host, site and online-service id → id of the organisation whose file holds it."""
        out: dict[str, str] = {}
        for o in self.organisations:
            oid = o.organisation.id
            for group in (o.sites, o.hosts, o.systems, o.online_services):
                for rec in group:
                    out[rec.id] = oid
        return out

    def dependencies(self) -> Iterator[Dependency]:
        for o in self.organisations:
            yield from o.dependencies

    def online_services(self) -> Iterator[OnlineService]:
        for o in self.organisations:
            yield from o.online_services


def reference_errors(landscape: Landscape) -> list[ReferenceIssue]:
    """Every broken cross-reference and duplicate id, in file order.

    Checks: unique ids per kind (organisations, sites, hosts, systems, services, catalogue
    entries), products and domains exist and agree, hosts/sites/dependency ends exist,
    AGS unique and inside the landscape's Land, virtual hosts' hypervisors exist.
    """
    issues: list[ReferenceIssue] = []
    add = issues.append
    cat = landscape.catalogue

    domain_ids: set[str] = set()
    for i, d in enumerate(cat.domains):
        if d.id in domain_ids:
            add(ReferenceIssue(org_index=None, loc=("domains", i, "id"), msg=f"duplicate domain id {d.id!r}"))
        domain_ids.add(d.id)
    product_domain: dict[str, str] = {}
    for i, p in enumerate(cat.products):
        if p.id in product_domain:
            add(ReferenceIssue(org_index=None, loc=("products", i, "id"), msg=f"duplicate product id {p.id!r}"))
        if p.domain not in domain_ids:
            add(ReferenceIssue(org_index=None, loc=("products", i, "domain"), msg=f"unknown domain {p.domain!r}"))
        product_domain[p.id] = p.domain
    seen_bsi: set[str] = set()
    for i, b in enumerate(cat.bsi_modules):
        if b.id in seen_bsi:
            add(ReferenceIssue(org_index=None, loc=("bsi_modules", i, "id"), msg=f"duplicate module id {b.id!r}"))
        seen_bsi.add(b.id)

    # First pass: collect ids with their first place, report duplicates.
    first: dict[tuple[str, str], tuple[int, int]] = {}
    ags_seen: dict[str, int] = {}
    land = landscape.meta.land
    for oi, inv in enumerate(landscape.organisations):
        org = inv.organisation
        key = ("organisation", org.id)
        if key in first:
            add(ReferenceIssue(org_index=oi, loc=("organisation", "id"),
                               msg=f"duplicate organisation id {org.id!r}"))
        first.setdefault(key, (oi, 0))
        if org.ags is not None:
            if org.ags in ags_seen:
                add(ReferenceIssue(org_index=oi, loc=("organisation", "ags"),
                                   msg=f"duplicate ags {org.ags} (also organisation #{ags_seen[org.ags] + 1})"))
            ags_seen.setdefault(org.ags, oi)
            if land is not None and not org.ags.startswith(land):
                add(ReferenceIssue(org_index=oi, loc=("organisation", "ags"),
                                   msg=f"ags {org.ags} lies outside Land {land}"))
        if land is not None and org.district is not None and not org.district.startswith(land):
            add(ReferenceIssue(org_index=oi, loc=("organisation", "district"),
                               msg=f"district {org.district} lies outside Land {land}"))
        for field in ("sites", "hosts", "systems", "online_services"):
            for ri, rec in enumerate(getattr(inv, field)):
                key = (field, rec.id)
                if key in first:
                    other = landscape.organisations[first[key][0]].organisation.id
                    add(ReferenceIssue(org_index=oi, loc=(field, ri, "id"),
                                       msg=f"duplicate id {rec.id!r} (also in organisation {other!r})"))
                else:
                    first[key] = (oi, ri)

    def exists(kind: str, ident: str) -> bool:
        return (kind, ident) in first

    for oi, inv in enumerate(landscape.organisations):
        for hi, h in enumerate(inv.hosts):
            if not exists("sites", h.site):
                add(ReferenceIssue(org_index=oi, loc=("hosts", hi, "site"), msg=f"unknown site {h.site!r}", dangling=True))
            if h.hypervisor is not None and not exists("hosts", h.hypervisor):
                add(ReferenceIssue(org_index=oi, loc=("hosts", hi, "hypervisor"),
                                   msg=f"unknown host {h.hypervisor!r}", dangling=True))
        for si, s in enumerate(inv.systems):
            if s.domain not in domain_ids:
                add(ReferenceIssue(org_index=oi, loc=("systems", si, "domain"), msg=f"unknown domain {s.domain!r}"))
            pd = product_domain.get(s.product)
            if pd is None:
                add(ReferenceIssue(org_index=oi, loc=("systems", si, "product"),
                                   msg=f"unknown product {s.product!r} (not in the product catalogue)"))
            elif pd != s.domain and s.domain in domain_ids:
                add(ReferenceIssue(org_index=oi, loc=("systems", si, "product"),
                                   msg=f"product {s.product!r} belongs to domain {pd!r}, not {s.domain!r}"))
            if s.hosting.host is not None and not exists("hosts", s.hosting.host):
                add(ReferenceIssue(org_index=oi, loc=("systems", si, "hosting", "host"),
                                   msg=f"unknown host {s.hosting.host!r}", dangling=True))
            if s.hosting.site is not None and not exists("sites", s.hosting.site):
                add(ReferenceIssue(org_index=oi, loc=("systems", si, "hosting", "site"),
                                   msg=f"unknown site {s.hosting.site!r}", dangling=True))
        pairs: set[tuple[str, str, str]] = set()
        for di, d in enumerate(inv.dependencies):
            for end in ("source", "target"):
                ident = getattr(d, end)
                if not exists("systems", ident):
                    add(ReferenceIssue(org_index=oi, loc=("dependencies", di, end), msg=f"unknown system {ident!r}", dangling=True))
            if d.source == d.target:
                add(ReferenceIssue(org_index=oi, loc=("dependencies", di, "target"),
                                   msg="a system cannot depend on itself"))
            key3 = (d.source, d.target, d.kind.value)
            if key3 in pairs:
                add(ReferenceIssue(org_index=oi, loc=("dependencies", di),
                                   msg=f"duplicate dependency {d.source} -> {d.target} ({d.kind.value})"))
            pairs.add(key3)
        for vi, v in enumerate(inv.online_services):
            if v.feeds is not None and not exists("systems", v.feeds):
                add(ReferenceIssue(org_index=oi, loc=("online_services", vi, "feeds"),
                                   msg=f"unknown system {v.feeds!r}", dangling=True))
    return issues


"""Labels the clerk sees for ids (products, domains, hosts, sites, systems) and the way back.

A questionnaire shows names, never ids: the product "VOIS|MESO", the server "hv01", the system
"Einwohnermeldewesen Heusweiler". :class:`Bezeichnungen` makes those labels for one organisation
of a landscape so that every label maps back to exactly one id: the organisation's own records
by name, another organisation's site or server as "name (org)", another organisation's system by
its name where that is unique in the landscape, else "name (org)".

The landscape-wide part (:func:`landesweit`) is made once by whoever handles many organisations
of one landscape and passed to :meth:`Bezeichnungen.of` (``write_frageboegen``, ``zusammenfuehren``),
so writing or reading 2,000 questionnaires costs 2,000 small organisation parts, not 2,000
landscapes — and no module-level cache keeps a landscape alive.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass

from common.ids import slugify
from inventory.models import Landscape, OrganisationInventory
from inventory.types import OrgKind

__all__ = ["Bezeichnungen", "Landesweit", "landesweit", "pruefsumme", "slug"]


def pruefsumme(inv: OrganisationInventory) -> str:
    """SHA-256 of everything the inventory holds for one organisation (the pre-filled content)."""
    data = inv.model_dump(mode="json")
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def slug(name: str) -> str:
    """An id part from a name (:func:`common.ids.slugify`, at most 60 characters): ``"Bürgerbüro Süd"`` →
    ``"buergerbuero-sued"``."""
    return slugify(name)[:60].strip("-") or "neu"


@dataclass(frozen=True, slots=True)
class Landesweit:
    """Labels of the whole landscape: kind → id → label, and kind → casefolded label → id."""

    label: dict[str, dict[str, str]]
    ident: dict[str, dict[str, str]]
    products_by_domain: dict[str, tuple[str, ...]]
    systems_by_org: dict[str, tuple[str, ...]]


def landesweit(landscape: Landscape) -> Landesweit:
    """The landscape-wide labels of ``landscape`` (make once, pass to :meth:`Bezeichnungen.of`)."""
    owner = landscape.owner
    names = Counter(s.name.casefold() for s in landscape.systems.values())
    label = {
        "domain": {d.id: d.name for d in landscape.catalogue.domains},
        "product": {p.id: p.name for p in landscape.catalogue.products},
        "host": {i: f"{h.name} ({owner[i]})" for i, h in landscape.hosts.items()},
        "site": {i: f"{s.name} ({owner[i]})" for i, s in landscape.sites.items()},
        "system": {i: s.name if names[s.name.casefold()] == 1 else f"{s.name} ({owner[i]})"
                   for i, s in landscape.systems.items()},
    }
    by_domain: dict[str, list[str]] = {d.id: [] for d in landscape.catalogue.domains}
    for p in landscape.catalogue.products:
        by_domain.setdefault(p.domain, []).append(p.id)
    by_org: dict[str, list[str]] = {}
    for sid in landscape.systems:
        by_org.setdefault(owner[sid], []).append(sid)
    return Landesweit(label, {k: {v.casefold(): i for i, v in m.items()} for k, m in label.items()},
                      {k: tuple(v) for k, v in by_domain.items()}, {k: tuple(v) for k, v in by_org.items()})


_SHARED_KINDS = {OrgKind.LAND, OrgKind.ZWECKVERBAND}
_DISTRICT_KINDS = {OrgKind.LANDKREIS, OrgKind.REGIONALVERBAND}


@dataclass(frozen=True, slots=True)
class Bezeichnungen:
    """Labels for one organisation's questionnaire (its own records first, then the landscape's)."""

    org: str
    own: dict[str, dict[str, str]]
    """host, site, own_system → id → label (the name, made unique with the id where two share it)."""
    own_ident: dict[str, dict[str, str]]
    land: Landesweit
    nachbarn: tuple[str, ...]
    """Organisations whose systems the "Zu System" dropdown offers: the Land, the Zweckverband, the
    organisation's Kreis, and every organisation its interfaces already reach."""

    @classmethod
    def of(cls, landscape: Landscape, org: str, land: Landesweit | None = None) -> Bezeichnungen:
        """The labels for ``org``; ``land``: :func:`landesweit` of ``landscape``, made once for many organisations."""
        inv = next(o for o in landscape.organisations if o.organisation.id == org)
        own = {"host": _unique({h.id: h.name for h in inv.hosts}), "site": _unique({s.id: s.name for s in inv.sites}),
               "own_system": _unique({s.id: s.name for s in inv.systems})}
        land = land if land is not None else landesweit(landscape)
        owner = landscape.owner
        district = inv.organisation.district
        near = {owner[d.target] for d in inv.dependencies if d.target in owner}
        near |= {o.id for o in landscape.orgs.values() if o.kind in _SHARED_KINDS
                 or (o.kind in _DISTRICT_KINDS and district is not None and o.district == district)}
        near.discard(org)
        return cls(org, own, {k: {v.casefold(): i for i, v in m.items()} for k, m in own.items()}, land,
                   tuple(sorted(near)))

    @property
    def products_by_domain(self) -> dict[str, tuple[str, ...]]:
        """Domain id → product ids of that domain, catalogue order."""
        return self.land.products_by_domain

    def label(self, kind: str, ident: str) -> str:
        """The label of ``ident`` (a domain, product, host, site, own_system or system id)."""
        if kind in self.own and ident in self.own[kind]:
            return self.own[kind][ident]
        if kind == "system" and ident in self.own["own_system"]:
            return self.own["own_system"][ident]
        return self.land.label.get("system" if kind == "own_system" else kind, {}).get(ident, ident)

    def ident(self, kind: str, label: str) -> str | None:
        """The id a label (any case) stands for, or ``None``."""
        key = label.casefold()
        if kind in self.own and key in self.own_ident[kind]:
            return self.own_ident[kind][key]
        if kind == "system" and key in self.own_ident["own_system"]:
            return self.own_ident["own_system"][key]
        if kind == "own_system":
            return None
        return self.land.ident.get(kind, {}).get(key)

    def system_choices(self) -> list[str]:
        """The "Zu System" dropdown: own systems and those of :attr:`nachbarn`, sorted."""
        ids = list(self.own["own_system"]) + [s for o in self.nachbarn for s in self.land.systems_by_org.get(o, ())]
        return sorted({self.label("system", i) for i in ids}, key=str.casefold)


def _unique(names: dict[str, str]) -> dict[str, str]:
    """id → name, made unique with the id where two records share a name."""
    count = Counter(n.casefold() for n in names.values())
    return {i: (n if count[n.casefold()] == 1 else f"{n} [{i}]") for i, n in names.items()}

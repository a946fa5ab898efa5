"""Labels the clerk sees for ids (products, domains, hosts, sites, systems) and the way back.

A questionnaire shows names, never ids: the product "VOIS|MESO", the server "hv01", the system
"Einwohnermeldewesen Heusweiler". :class:`Bezeichnungen` makes those labels for one organisation
of a landscape so that every label maps back to exactly one id.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass

from common.ids import slugify
from inventory.models import Landscape, OrganisationInventory

__all__ = ["Bezeichnungen", "pruefsumme", "slug"]


def pruefsumme(inv: OrganisationInventory) -> str:
    """SHA-256 of everything the inventory holds for one organisation (the pre-filled content)."""
    data = inv.model_dump(mode="json")
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def slug(name: str) -> str:
    """An id part from a name (:func:`common.ids.slugify`, at most 60 characters): ``"Bürgerbüro Süd"`` →
    ``"buergerbuero-sued"``."""
    return slugify(name)[:60].strip("-") or "neu"


@dataclass(frozen=True, slots=True)
class Bezeichnungen:
    """Labels for one organisation's questionnaire: ``label_of[kind][id]`` and ``id_of[kind][casefolded label]``."""

    org: str
    label_of: dict[str, dict[str, str]]
    id_of: dict[str, dict[str, str]]
    products_by_domain: dict[str, tuple[str, ...]]
    """Domain id → product ids of that domain, catalogue order."""

    @classmethod
    def of(cls, landscape: Landscape, org: str) -> Bezeichnungen:
        inv = next(o for o in landscape.organisations if o.organisation.id == org)
        label_of: dict[str, dict[str, str]] = {
            "domain": {d.id: d.name for d in landscape.catalogue.domains},
            "product": {p.id: p.name for p in landscape.catalogue.products},
            "own_system": _unique({s.id: s.name for s in inv.systems}),
        }
        owner = landscape.owner
        # a system may run on another organisation's site or host (a shared data centre): "name (org)"
        for kind, own, every in (("host", inv.hosts, landscape.hosts), ("site", inv.sites, landscape.sites)):
            label_of[kind] = {i: f"{r.name} ({owner[i]})" for i, r in every.items()} | _unique(
                {r.id: r.name for r in own})
        names = Counter(s.name.casefold() for s in landscape.systems.values())
        label_of["system"] = {
            sid: (label_of["own_system"][sid] if owner[sid] == org
                  else s.name if names[s.name.casefold()] == 1 else f"{s.name} ({owner[sid]})")
            for sid, s in landscape.systems.items()}
        id_of = {kind: {lbl.casefold(): i for i, lbl in m.items()} for kind, m in label_of.items()}
        by_domain: dict[str, list[str]] = {d.id: [] for d in landscape.catalogue.domains}
        for p in landscape.catalogue.products:
            by_domain.setdefault(p.domain, []).append(p.id)
        return cls(org, label_of, id_of, {k: tuple(v) for k, v in by_domain.items()})


def _unique(names: dict[str, str]) -> dict[str, str]:
    """id → name, made unique with the id where two records share a name."""
    count = Counter(n.casefold() for n in names.values())
    return {i: (n if count[n.casefold()] == 1 else f"{n} [{i}]") for i, n in names.items()}

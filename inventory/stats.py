"""Key figures of a landscape: what the Pakt wants to reduce.

>>> from inventory.generate import generate_landscape
>>> s = landscape_stats(generate_landscape(orgs=2, seed=1), at=date(2026, 1, 1))
>>> s["counts"]["organisations"]
4
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from .models import Landscape

__all__ = ["landscape_stats"]


def landscape_stats(landscape: Landscape, *, at: date) -> dict[str, Any]:
    """Counts per kind, heterogeneity per domain, Insellösungen, systems past end of life, data confidence.

    Parameters
    ----------
    landscape : the inventory.
    at : reference date for "past end of life".

    Returns
    -------
    dict with keys ``counts``, ``organisations_by_kind``, ``domains`` (per domain: systems, distinct
    products, organisations, Insellösungen), ``insellösungen`` (products used by exactly one
    organisation), ``past_end_of_life`` (systems and hosts), ``confidence``, ``provenance``.
    """
    systems = landscape.systems
    owner = landscape.owner
    orgs_of_product: dict[str, set[str]] = defaultdict(set)
    per_domain: dict[str, dict[str, Any]] = {}
    for s in systems.values():
        orgs_of_product[s.product].add(owner[s.id])
        d = per_domain.setdefault(s.domain, {"systems": 0, "products": set(), "organisations": set()})
        d["systems"] += 1
        d["products"].add(s.product)
        d["organisations"].add(owner[s.id])
    insel = sorted(p for p, o in orgs_of_product.items() if len(o) == 1)
    insel_set = set(insel)
    domains = {}
    names = landscape.domains
    for did in sorted(per_domain):
        d = per_domain[did]
        domains[did] = {
            "name": names[did].name if did in names else did,
            "systems": d["systems"],
            "distinct_products": len(d["products"]),
            "organisations": len(d["organisations"]),
            "insellösungen": len(d["products"] & insel_set),
        }
    eol_systems = sorted(s.id for s in systems.values() if s.end_of_life is not None and s.end_of_life < at)
    eol_hosts = sorted(h.id for h in landscape.hosts.values() if h.os.end_of_life is not None and h.os.end_of_life < at)
    deps = sum(len(o.dependencies) for o in landscape.organisations)
    return {
        "landscape": landscape.meta.name,
        "synthetic": landscape.meta.synthetic,
        "at": at.isoformat(),
        "counts": {
            "organisations": len(landscape.organisations),
            "sites": len(landscape.sites),
            "hosts": len(landscape.hosts),
            "systems": len(systems),
            "dependencies": deps,
            "online_services": sum(len(o.online_services) for o in landscape.organisations),
            "products_in_catalogue": len(landscape.catalogue.products),
            "products_in_use": len(orgs_of_product),
        },
        "organisations_by_kind": dict(sorted(Counter(o.organisation.kind.value for o in landscape.organisations).items())),
        "domains": domains,
        "insellösungen": insel,
        "past_end_of_life": {"systems": len(eol_systems), "hosts": len(eol_hosts), "system_ids": eol_systems},
        "confidence": dict(sorted(Counter(s.confidence.value for s in systems.values()).items())),
        "provenance": dict(sorted(Counter(s.provenance.value for s in systems.values()).items())),
    }

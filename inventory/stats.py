"""Key figures of a landscape: what the Pakt wants to reduce.

>>> from inventory.generate import generate_landscape
>>> s = landscape_stats(generate_landscape(orgs=2, seed=1), at=date(2026, 1, 1))
>>> s["counts"]["organisations"]
4
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from .models import Landscape

__all__ = ["inselloesungen", "landscape_stats"]


def inselloesungen(orgs_by_product: Mapping[str, Collection[str]]) -> list[str]:
    """The Insellösungen of one domain: its products that exactly one organisation uses (sorted).

    The one definition, for the inventory's statistics and the plan's ``metrics``.

    Parameters
    ----------
    orgs_by_product : product id → the organisations whose systems of the domain use it.

    Examples
    --------
    >>> inselloesungen({"ok-ewo": {"a", "b"}, "vois-meso": {"c"}, "mesoweb": {"d"}})
    ['mesoweb', 'vois-meso']
    """
    return sorted(p for p, orgs in orgs_by_product.items() if len(orgs) == 1)


def landscape_stats(landscape: Landscape, *, at: date) -> dict[str, Any]:
    """Counts per kind, heterogeneity per domain, Insellösungen, systems past end of life, data confidence.

    Parameters
    ----------
    landscape : the inventory.
    at : reference date for "past end of life".

    Returns
    -------
    dict with keys ``counts``, ``organisations_by_kind``, ``domains`` (per domain: systems, distinct
    products, organisations, Insellösungen), ``inselloesungen`` (every domain's Insellösungen,
    :func:`inselloesungen`), ``past_end_of_life`` (systems and hosts), ``confidence``, ``provenance``.
    """
    systems = landscape.systems
    owner = landscape.owner
    per_domain: dict[str, dict[str, Any]] = {}
    for s in systems.values():
        d = per_domain.setdefault(s.domain, {"systems": 0, "products": defaultdict(set), "organisations": set()})
        d["systems"] += 1
        d["products"][s.product].add(owner[s.id])
        d["organisations"].add(owner[s.id])
    insel: set[str] = set()
    domains = {}
    names = landscape.domains
    for did in sorted(per_domain):
        d = per_domain[did]
        insel_here = inselloesungen(d["products"])
        insel.update(insel_here)
        domains[did] = {
            "name": names[did].name if did in names else did,
            "systems": d["systems"],
            "distinct_products": len(d["products"]),
            "organisations": len(d["organisations"]),
            "inselloesungen": len(insel_here),
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
            "products_in_use": len({s.product for s in systems.values()}),
        },
        "organisations_by_kind": dict(sorted(Counter(o.organisation.kind.value for o in landscape.organisations).items())),
        "domains": domains,
        "inselloesungen": sorted(insel),
        "past_end_of_life": {"systems": len(eol_systems), "hosts": len(eol_hosts), "system_ids": eol_systems},
        "confidence": dict(sorted(Counter(s.confidence.value for s in systems.values()).items())),
        "provenance": dict(sorted(Counter(s.provenance.value for s in systems.values()).items())),
    }

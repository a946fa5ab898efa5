"""A small, valid part of the Saarland sample for integration tests (pushing all 60 organisations takes ~30 s)."""

from __future__ import annotations

from inventory.models import Landscape


def subset(landscape: Landscape, org_ids: set[str]) -> Landscape:
    """The organisations ``org_ids`` with the dependencies among their own systems only."""
    orgs = [o for o in landscape.organisations if o.organisation.id in org_ids]
    systems = {s.id for o in orgs for s in o.systems}
    kept = []
    for o in orgs:
        deps = tuple(d for d in o.dependencies if d.source in systems and d.target in systems)
        services = tuple(v for v in o.online_services if v.feeds is None or v.feeds in systems)
        kept.append(o.model_copy(update={"dependencies": deps, "online_services": services}))
    return Landscape(meta=landscape.meta, catalogue=landscape.catalogue, organisations=tuple(kept))


def with_host(landscape: Landscape, host_id: str, **changes: object) -> Landscape:
    """``landscape`` with host ``host_id`` changed (models are frozen, so rebuild the organisation)."""
    orgs = []
    for o in landscape.organisations:
        hosts = tuple(h.model_copy(update=changes) if h.id == host_id else h for h in o.hosts)
        orgs.append(o.model_copy(update={"hosts": hosts}))
    return Landscape(meta=landscape.meta, catalogue=landscape.catalogue, organisations=tuple(orgs))


def object_changes(client) -> int:
    """Entries in NetBox's change log (every create, update and delete is one)."""
    return client.count("core.object-changes")

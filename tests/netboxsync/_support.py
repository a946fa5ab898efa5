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


def tiny_plan(landscape: Landscape):
    """Just the parts of a Plan the NetBox sync reads: a new data centre and one that is an inventory site,
    a tenant network per organisation and two planned VMs (the rest of the plan is not needed here)."""
    from plan.models import DataCentre, Plan, PlannedVM, TenantNetwork

    def dc(ident: str, name: str, supernet: str) -> DataCentre:
        return DataCentre(id=ident, name=name, redundancy="2n", allows_sehr_hoch=True, capacity_vcpu=512,
                          capacity_ram_gb=4096, capacity_storage_tb=200.0, supernet=supernet)

    orgs = [o.organisation.id for o in landscape.organisations]
    nets = tuple(TenantNetwork(org=org, data_centre="rz-ziel", prefix=f"10.70.{i + 1}.0/24", vlan=100 + i)
                 for i, org in enumerate(orgs))
    vms = tuple(PlannedVM(id=f"vm.{role}", name=f"{role}-app1", target=f"t.{role}", role=role,
                          data_centre=dc_id, vcpu=4, ram_gb=16, disk_gb=200, schutzbedarf="hoch", backup=True,
                          monitoring=True, address=f"10.70.0.{10 + i}")
                for i, (role, dc_id) in enumerate((("mail", "rz-ziel"), ("iam", "rz-ego-saar"))))
    return Plan.model_construct(data_centres=(dc("rz-ziel", "Zielrechenzentrum (Test)", "10.70.0.0/16"),
                                              dc("rz-ego-saar", "Rechenzentrum eGo-Saar", "10.64.0.0/16")),
                                tenant_networks=nets, vms=vms)

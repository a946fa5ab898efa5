"""Synthetic plans of any size for benchmarks and examples (seeded, deterministic, labelled synthetic).

Real plans come from ``landkarte plan``; this builds plans with the shape the stacks read
(data centres, tenant networks, flows, VMs) at sizes up to Germany (about 11 000 Gemeinden and
400 Kreise), which no real inventory here has.
"""

from __future__ import annotations

import ipaddress
import random
from datetime import date
from decimal import Decimal

from common.types import Schutzbedarf
from plan.models import (
    CostSummary,
    DataCentre,
    Flow,
    Plan,
    PlanMeta,
    PlannedVM,
    PlanOrganisation,
    TargetInstance,
    TenantNetwork,
)

__all__ = ["NO_COSTS", "SERVICES", "synthetic_plan"]

NO_COSTS = CostSummary(years=(), tco_status_quo=Decimal(0), tco_plan=Decimal(0), one_off=Decimal(0),
                       npv_status_quo=Decimal(0), npv_plan=Decimal(0), npv_savings=Decimal(0),
                       eigen_total=Decimal(0), fremd_total=Decimal(0), lines=())
"""Plans built for the stacks carry no cost model (the stacks never read it)."""

#: (role, port, Schutzbedarf) of the shared services every data centre hosts in the synthetic plan.
SERVICES: tuple[tuple[str, int, str], ...] = (
    ("iam", 443, "hoch"),
    ("mail", 993, "hoch"),
    ("dms", 443, "normal"),
    ("einwohnermeldewesen", 8443, "sehr hoch"),
    ("fileshare", 445, "normal"),
)


def synthetic_plan(*, orgs: int = 6, dcs: int = 2, orgs_per_kreis: int = 30, vms_per_target: int = 2,
                   seed: int = 7) -> Plan:
    """A consistent plan: every org one /24 segment, every data centre every service, one flow per
    org and service of its data centre, and one cross-tenant flow per Gemeinde to its Kreis.

    Services with Schutzbedarf "sehr hoch" only go to data centres that allow it.

    Examples
    --------
    >>> p = synthetic_plan(orgs=4, dcs=2)
    >>> len(p.tenant_networks), len({tn.prefix for tn in p.tenant_networks})
    (4, 4)
    """
    rng = random.Random(seed)
    supernets = list(ipaddress.ip_network("10.0.0.0/8").subnets(new_prefix=12 if dcs <= 16 else 14))
    dc_list = tuple(
        DataCentre(
            id=f"rz-{i + 1:02d}", name=f"Rechenzentrum {i + 1} (synthetisch)",
            certifications=("ISO 27001 auf Basis von IT-Grundschutz",) if i % 2 == 0 else (),
            redundancy="2n" if i % 2 == 0 else "n+1", allows_sehr_hoch=i % 2 == 0,
            capacity_vcpu=100_000, capacity_ram_gb=400_000, capacity_storage_tb=10_000.0,
            supernet=str(supernets[i]),
        )
        for i in range(dcs)
    )
    org_list: list[PlanOrganisation] = []
    kreise: list[str] = []
    for i in range(orgs):
        kreis = f"{(i // orgs_per_kreis) % 90 + 1:02d}{(i // orgs_per_kreis) // 90:03d}"
        is_kreis = i % orgs_per_kreis == 0
        if is_kreis:
            kreise.append(f"kreis-{kreis}")
        org_list.append(PlanOrganisation(
            id=f"kreis-{kreis}" if is_kreis else f"gemeinde-{i:05d}", name=f"Organisation {i} (synthetisch)",
            kind="Landkreis" if is_kreis else "Gemeinde", district=kreis, participates=True,
            zweckverband_member=True, population=rng.randint(800, 60_000),
        ))
    tenant_networks: list[TenantNetwork] = []
    cursor: dict[str, int] = {dc.id: 0 for dc in dc_list}
    home: dict[str, str] = {}
    for i, org in enumerate(org_list):
        dc = dc_list[i % dcs]
        n = cursor[dc.id]
        cursor[dc.id] += 1
        base = ipaddress.ip_network(dc.supernet)
        prefix = ipaddress.ip_network((int(base.network_address) + (n << 8), 24))
        tenant_networks.append(TenantNetwork(org=org.id, data_centre=dc.id, prefix=str(prefix), vlan=100 + n))
        home[org.id] = dc.id
    targets: list[TargetInstance] = []
    vms: list[PlannedVM] = []
    for d, dc in enumerate(dc_list):
        for s, (role, _port, sb) in enumerate(SERVICES):
            if sb == "sehr hoch" and not dc.allows_sehr_hoch:
                continue
            tid = f"{role}-{dc.id}"
            targets.append(TargetInstance(
                id=tid, domain=role, product=role, product_name=role.upper(), category="Basis-IT",
                data_centre=dc.id, vcpu=8, ram_gb=32, storage_gb=500, schutzbedarf=Schutzbedarf(sb),
                tenants=tuple(o for o, h in home.items() if h == dc.id), onboarding_per_quarter=20,
                annual_run_cost=Decimal("10000.00"),
            ))
            for k in range(vms_per_target):
                vms.append(PlannedVM(
                    id=f"{tid}-{k + 1}", name=f"{role}{k + 1}-{dc.id}", target=tid, role=role, data_centre=dc.id,
                    vcpu=4, ram_gb=16, disk_gb=200, schutzbedarf=Schutzbedarf(sb), backup=sb != "normal", monitoring=True,
                    address=f"172.{16 + d // 250}.{d % 250}.{10 + s * vms_per_target + k}",
                ))
    target_ids = {t.id for t in targets}
    flows: list[Flow] = []
    for org in org_list:
        for role, port, _sb in SERVICES:
            tid = f"{role}-{home[org.id]}"
            if tid in target_ids:
                flows.append(Flow(id=f"{org.id}-{role}", source_org=org.id, target_org=None, source=org.id,
                                  target=tid, port=port, reason=f"{role} (synthetisch)"))
        if org.kind == "Gemeinde":
            kreis = f"kreis-{org.district}"
            flows.append(Flow(id=f"{org.id}-kreis", source_org=org.id, target_org=kreis, source=org.id,
                              target=f"{kreis}-auslaenderwesen", port=443, reason="XAusländer (synthetisch)"))
    return Plan(
        meta=PlanMeta(tool_version="synthetic", scenario_id="synthetic", scenario_name="Synthetischer Plan",
                      scenario_hash="0" * 64, inventory_name=f"synthetic-{orgs}", inventory_hash="0" * 64,
                      synthetic=True, start=date(2026, 1, 1), horizon_quarters=40, discount_rate=Decimal("0.02")),
        organisations=tuple(sorted(org_list, key=lambda o: o.id)),
        data_centres=dc_list,
        targets=tuple(sorted(targets, key=lambda t: t.id)),
        assignments=(), move_groups=(), waves=(), metrics=(),
        costs=NO_COSTS,
        solver=(),
        tenant_networks=tuple(sorted(tenant_networks, key=lambda t: (t.org, t.data_centre))),
        flows=tuple(sorted(flows, key=lambda f: f.id)),
        vms=tuple(sorted(vms, key=lambda v: v.id)),
    )

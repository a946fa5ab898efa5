"""Deterministic names and identifiers of everything the stacks declare.

Pulumi resource names derive from plan ids only (never from list positions), so the same plan
gives the same names and adding a tenant or VM never renames another. Proxmox imposes its own
limits (SDN zone and VNet ids: at most 8 characters; VM ids: integers), handled here once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from common.types import Schutzbedarf

__all__ = [
    "PROVIDER_PREFIX",
    "SERVICE_VNET",
    "SERVICE_ZONE",
    "TEMPLATE_VM_ID",
    "TENANT_ZONE",
    "dc_of_provider",
    "provider_name",
    "schutzbedarf_tag",
    "tag_schutzbedarf",
    "tenant_vnet_id",
    "vm_ids",
]

PROVIDER_PREFIX = "proxmox-"
"""Each data centre is one Proxmox VE cluster with its own provider, named ``proxmox-<dc>``."""

TENANT_ZONE = "tenants"
"""SDN VLAN zone of the tenant segments (Proxmox zone ids: at most 8 characters)."""
SERVICE_ZONE = "services"
"""SDN simple zone of the shared service network."""
SERVICE_VNET = "svc"

TEMPLATE_VM_ID = 9000
"""VM id of the base template in every cluster; service VMs live above 100 000 000."""

_VM_ID_MIN = 100_000_000
_VM_ID_SPAN = 900_000_000


def provider_name(dc: str) -> str:
    """Name of the Proxmox provider of data centre ``dc``.

    Examples
    --------
    >>> provider_name("rz-saar")
    'proxmox-rz-saar'
    """
    return PROVIDER_PREFIX + dc


def dc_of_provider(name: str | None) -> str | None:
    """The data centre whose provider is called ``name`` (``None`` for other providers).

    Examples
    --------
    >>> dc_of_provider("proxmox-rz-saar"), dc_of_provider("default")
    ('rz-saar', None)
    """
    if name and name.startswith(PROVIDER_PREFIX):
        return name[len(PROVIDER_PREFIX):]
    return None


def tenant_vnet_id(vlan: int) -> str:
    """VNet id of a tenant segment: ``t`` + its VLAN (unique per cluster, at most 5 characters).

    Examples
    --------
    >>> tenant_vnet_id(1203)
    't1203'
    """
    return f"t{vlan}"


def schutzbedarf_tag(sb: Schutzbedarf | str) -> str:
    """Proxmox tag for a Schutzbedarf (tags allow no spaces).

    Examples
    --------
    >>> schutzbedarf_tag("sehr hoch")
    'sb-sehr-hoch'
    """
    return "sb-" + str(sb).replace(" ", "-")


def tag_schutzbedarf(tags: Iterable[str]) -> Schutzbedarf | None:
    """Inverse of :func:`schutzbedarf_tag` over a VM's tags; ``None`` when no tag is present.

    Examples
    --------
    >>> tag_schutzbedarf(["landkarte", "sb-sehr-hoch"])
    <Schutzbedarf.SEHR_HOCH: 'sehr hoch'>
    """
    for tag in tags:
        if tag.startswith("sb-"):
            try:
                return Schutzbedarf(tag[3:].replace("-", " "))
            except ValueError:
                return None
    return None


def vm_ids(plan_vm_ids: Iterable[str]) -> dict[str, int]:
    """Stable Proxmox VM ids for plan VM ids.

    Each id is a hash of the plan VM id into 100 000 000 … 999 999 999, so adding a VM never
    renumbers another. The rare collision is resolved by probing upwards, in sorted order of
    the plan ids, so the result is still deterministic.

    Examples
    --------
    >>> ids = vm_ids(["iam-1", "mail-1"])
    >>> ids == vm_ids(["mail-1", "iam-1"]) and len(set(ids.values())) == 2
    True
    """
    out: dict[str, int] = {}
    used: set[int] = set()
    for pid in sorted(set(plan_vm_ids)):
        h = int.from_bytes(hashlib.sha256(pid.encode()).digest()[:8], "big") % _VM_ID_SPAN
        while _VM_ID_MIN + h in used:
            h = (h + 1) % _VM_ID_SPAN
        out[pid] = _VM_ID_MIN + h
        used.add(_VM_ID_MIN + h)
    return out

"""A tenant (participating organisation): its segments, identity, secrets and bootstrap password.

Identity: one **group per tenant in one shared realm** (see ``docs/stacks.md`` for why, not a
realm per tenant). Secrets: one KV v2 mount per tenant (``tenants/<org>``) and a policy that may
read only that mount. The tenant's bootstrap administrator gets a generated password that
exists only as a secret (Keycloak initial password, temporary, and a copy in the tenant's own
KV mount).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_keycloak as keycloak
import pulumi_proxmoxve as pve
import pulumi_random as random
import pulumi_vault as vault

from stacks.naming import tenant_vnet_id

__all__ = ["Tenant", "TenantArgs", "TenantSegment", "TenantSegmentArgs", "vault_policy"]


@dataclass
class TenantSegmentArgs:
    org: str
    data_centre: str
    prefix: str
    vlan: int
    zone: pulumi.Input[str]
    """The data centre's tenant SDN zone id."""


class TenantSegment(pulumi.ComponentResource):
    """An isolated segment: one VLAN-tagged VNet with the plan's prefix (``landkarte:tenant:TenantSegment``).

    The VNet sits in a VLAN zone, so Proxmox bridges it on its own tag and routes it nowhere;
    anything between segments must pass a firewall rule the plan asked for.
    """

    def __init__(self, name: str, args: TenantSegmentArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("landkarte:tenant:TenantSegment", name, {}, opts)
        net = ipaddress.ip_network(args.prefix)
        child = pulumi.ResourceOptions(parent=self)
        self.vnet = pve.sdn.Vnet(
            f"{name}-vnet", resource_id=tenant_vnet_id(args.vlan), zone=args.zone, tag=args.vlan,
            alias=f"tenant {args.org}"[:256], isolate_ports=False, opts=child,
        )
        self.subnet = pve.sdn.Subnet(
            f"{name}-subnet", vnet=self.vnet.resource_id, cidr=str(net), gateway=str(next(net.hosts())),
            snat=False, opts=child,
        )
        self.register_outputs({"vnet": self.vnet.resource_id, "prefix": args.prefix})


def vault_policy(mount: str) -> str:
    """HCL of the tenant policy: read and list its own mount, nothing else.

    Examples
    --------
    >>> print(vault_policy("tenants/gemeinde-a").splitlines()[0])
    path "tenants/gemeinde-a/data/*" {
    """
    return (
        f'path "{mount}/data/*" {{\n  capabilities = ["read", "list"]\n}}\n'
        f'path "{mount}/metadata/*" {{\n  capabilities = ["read", "list"]\n}}\n'
    )


@dataclass
class TenantArgs:
    org: str
    name: str
    realm_id: pulumi.Input[str]
    password_length: int
    attributes: dict[str, str] = field(default_factory=dict)
    segments: Sequence[tuple[TenantSegmentArgs, pulumi.ProviderResource]] = field(default_factory=list)
    """One per tenant network, each with its data centre's Proxmox provider."""


class Tenant(pulumi.ComponentResource):
    """Everything one tenant gets (``landkarte:tenant:Tenant``)."""

    password: pulumi.Output[str]
    """Secret: the bootstrap administrator's initial password."""

    def __init__(self, name: str, args: TenantArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("landkarte:tenant:Tenant", name, {}, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.segments = [
            TenantSegment(f"{name}-{seg.data_centre}", seg, pulumi.ResourceOptions(parent=self, provider=provider))
            for seg, provider in args.segments
        ]
        password = random.RandomPassword(
            f"{name}-admin-password", length=args.password_length, special=True, min_lower=2, min_upper=2,
            min_numeric=2, min_special=2, override_special="-_.:+=",
            opts=pulumi.ResourceOptions(parent=self, additional_secret_outputs=["result", "bcryptHash"]),
        )
        attributes = {"landkarte_org": args.org, **args.attributes}
        group = keycloak.Group(f"{name}-group", realm_id=args.realm_id, name=args.org,
                               attributes=dict(sorted(attributes.items())), opts=child)
        user = keycloak.User(
            f"{name}-admin", realm_id=args.realm_id, username=f"admin.{args.org}", enabled=True,
            first_name="Administration", last_name=args.name[:255],
            attributes={"landkarte_org": args.org},
            initial_password=keycloak.UserInitialPasswordArgs(value=password.result, temporary=True),
            opts=pulumi.ResourceOptions(parent=self, additional_secret_outputs=["initialPassword"]),
        )
        keycloak.GroupMemberships(f"{name}-admin-membership", realm_id=args.realm_id, group_id=group.id,
                                  members=[user.username], opts=child)
        mount_path = f"tenants/{args.org}"
        mount = vault.Mount(f"{name}-kv", path=mount_path, type="kv", options={"version": "2"},
                            description=f"Secrets of tenant {args.org}", opts=child)
        vault.Policy(f"{name}-policy", name=f"tenant-{args.org}", policy=vault_policy(mount_path), opts=child)
        vault.kv.SecretV2(
            f"{name}-bootstrap-secret", mount=mount.path, name="bootstrap/admin",
            data_json=pulumi.Output.json_dumps({"username": f"admin.{args.org}", "password": password.result}),
            opts=pulumi.ResourceOptions(parent=self, additional_secret_outputs=["dataJson", "data"]),
        )
        self.group_id = group.id
        self.password = pulumi.Output.secret(password.result)
        self.register_outputs({"group_id": self.group_id, "kv_mount": mount.path, "password": self.password})

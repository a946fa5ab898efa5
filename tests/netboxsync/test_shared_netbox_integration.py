"""The sync on a NetBox that others use too (real NetBox 4.7): another NetBox user, "kollegin", creates her own
objects in each test; Landkarte must never change them, and must stop before its first write when a push would.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pynetbox
import pytest
from _support import object_changes, subset, tiny_plan, with_host
from conftest import ROOT, SMALL_ORGS

from inventory.models import Landscape, OperatingSystem
from inventory.write import write_landscape
from netboxsync import (
    DeleteBlocked,
    NetBoxClient,
    NotALandscape,
    OwnershipConflict,
    diff_landscape,
    pull_landscape,
    push_landscape,
)
from netboxsync.endpoints import CF_ID, CUSTOM_FIELDS, ENDPOINTS, OWNER_TAG
from netboxsync.mapping import desired_objects
from netboxsync.references import _GENERIC as GENERIC
from netboxsync.references import _NOT_REFERENCES as NOT_REFERENCES
from netboxsync.references import relations_to
from netboxsync.state import is_managed
from netboxsync.sync import SCHEMA_ENDPOINTS

pytestmark = pytest.mark.integration

NETBOX = Path("/var/lib/landkarte/netbox")


@pytest.fixture
def kollegin(netbox: NetBoxClient) -> pynetbox.api:
    """Another NetBox user with her own v2 token and permission to view, add, change and delete the object types
    the sync touches (and locations), as a colleague on a shared NetBox would have."""
    user = netbox.api.users.users.create(username="kollegin", password="Kollegin-Passwort-2026!", is_active=True)
    types = sorted({s.object_type for s in ENDPOINTS} | {"dcim.location", "extras.tag", "extras.customfield"})
    netbox.api.users.permissions.create(name="Kollegin", object_types=types, users=[user.id],
                                        actions=["view", "add", "change", "delete"])
    token = dict(netbox.api.users.tokens.create(user=user.id, write_enabled=True))
    return pynetbox.api(netbox.settings.url, token=f"nbt_{token['key']}.{token['token']}")


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "NO_COLOR": "1", "COLUMNS": "250", **(env or {})}
    return subprocess.run([str(ROOT / ".venv/bin/landkarte"), *args], check=False, capture_output=True, text=True,
                          env=full, timeout=600, cwd=ROOT)


def _hers(kollegin: pynetbox.api) -> dict[str, Any]:
    """Kollegin's own site, device type and role, to hang her devices and VMs on."""
    site = kollegin.dcim.sites.create(name="Kollegins Standort", slug="kollegin")
    mf = kollegin.dcim.manufacturers.create(name="Kollegins Hersteller", slug="kollegin-hersteller")
    dtype = kollegin.dcim.device_types.create(manufacturer=mf.id, model="Kollegins Server", slug="kollegin-server")
    role = kollegin.dcim.device_roles.create(name="Kollegins Rolle", slug="kollegin-rolle", color="ff0000",
                                             vm_role=True)
    return {"site": site, "manufacturer": mf, "device_type": dtype, "role": role}


def _landkarte_id(netbox: NetBoxClient, endpoint: str, key: str) -> int:
    return netbox.endpoint(endpoint).get(**{f"cf_{CF_ID}": key}).id


def _moved_off(landscape: Landscape, old: tuple[str, str], new: OperatingSystem) -> Landscape:
    for h in list(landscape.hosts.values()):
        if (h.os.name, h.os.version) == old:
            landscape = with_host(landscape, h.id, os=new)
    return landscape


def _changed_by(netbox: NetBoxClient, since: int) -> list[tuple[str, str, str]]:
    return [(c.user_name, c.action.value, c.changed_object_type) for c in
            netbox.api.core.object_changes.filter(id__gt=since)]


def _last_change(netbox: NetBoxClient) -> int:
    last = list(netbox.api.core.object_changes.filter(limit=1, ordering="-id"))
    return last[0].id if last else 0


# ---------------------------------------------------------------------------------------- blocked deletes


def test_a_platform_others_use_is_not_deleted_push_stops_and_orphan_leaves_it(
    netbox: NetBoxClient, kollegin: pynetbox.api, small: Landscape, tmp_path: Path
) -> None:
    push_landscape(netbox, small)
    platform_id = _landkarte_id(netbox, "dcim.platforms", "platform:windows-server-2012-r2")
    hers = _hers(kollegin)
    device = kollegin.dcim.devices.create(name="kollegin-srv1", site=hers["site"].id, role=hers["role"].id,
                                          device_type=hers["device_type"].id, platform=platform_id)
    vm = kollegin.virtualization.virtual_machines.create(name="kollegin-vm1", site=hers["site"].id,
                                                         platform=platform_id)
    child = kollegin.dcim.platforms.create(name="Windows Server 2012 R2 (Kollegin)", slug="kollegin-ws2012r2",
                                           parent=platform_id)
    moved = _moved_off(small, ("Windows Server", "2012 R2"),
                       OperatingSystem(name="Windows Server", version="2022"))
    write_landscape(moved, tmp_path / "moved")
    since, writes = _last_change(netbox), netbox.stats.writes

    changes = diff_landscape(netbox, moved)
    proc = _cli("netbox", "diff", str(tmp_path / "moved"), "--json")
    with pytest.raises(DeleteBlocked) as err:
        push_landscape(netbox, moved)
    pushed = _cli("netbox", "push", str(tmp_path / "moved"))

    blocked = [c for c in changes if c.action == "blocked"]
    assert [(c.endpoint, c.id) for c in blocked] == [("dcim.platforms", platform_id)]
    assert sorted(blocked[0].reasons) == [
        f"device #{device.id} 'kollegin-srv1' (field 'platform', not Landkarte's)",
        f"platform #{child.id} 'Windows Server 2012 R2 (Kollegin)' (field 'parent', not Landkarte's)",
        f"virtual machine #{vm.id} 'kollegin-vm1' (field 'platform', not Landkarte's)"]
    assert proc.returncode == 1 and json.loads(proc.stdout)["summary"]["blocked"] == 1
    assert "platform 'Windows Server 2012 R2'" in str(err.value) and "--orphan" in str(err.value)
    assert pushed.returncode == 1 and "delete(s) blocked" in pushed.stderr and "Traceback" not in pushed.stderr
    assert netbox.stats.writes == writes and _changed_by(netbox, since) == []  # nothing written, not even updates
    assert kollegin.dcim.devices.get(device.id).platform.id == platform_id
    assert kollegin.virtualization.virtual_machines.get(vm.id).platform.id == platform_id
    assert kollegin.dcim.platforms.get(child.id).parent.id == platform_id

    report = push_landscape(netbox, moved, orphan=True)

    released = dict(netbox.api.dcim.platforms.get(platform_id))
    assert [(c.action, c.id) for c in report.changes if c.action in ("release", "delete")] == [
        ("release", platform_id)]
    assert report.objects.get("released") == 1 and "deleted" not in report.objects
    assert OWNER_TAG not in {t["slug"] for t in released["tags"]} and released["custom_fields"][CF_ID] is None
    assert kollegin.dcim.devices.get(device.id).platform.id == platform_id  # hers, untouched
    assert kollegin.dcim.platforms.get(child.id).parent.id == platform_id
    assert push_landscape(netbox, moved).writes == 0  # released: Landkarte has forgotten it
    assert pull_landscape(netbox) == moved


def test_deleting_an_organisation_is_blocked_by_her_site_tenant_child_region_and_location(
    netbox: NetBoxClient, kollegin: pynetbox.api, small: Landscape
) -> None:
    push_landscape(netbox, small)
    region = _landkarte_id(netbox, "dcim.regions", "region:10042")
    group = _landkarte_id(netbox, "tenancy.tenant-groups", "group:10042")
    site = _landkarte_id(netbox, "dcim.sites", "beckingen.rathaus")
    her_site = kollegin.dcim.sites.create(name="Kläranlage Beckingen", slug="klaeranlage-beckingen", region=region)
    her_tenant = kollegin.tenancy.tenants.create(name="Abwasserverband", slug="abwasserverband", group=group)
    her_region = kollegin.dcim.regions.create(name="Ortsteil Haustadt", slug="haustadt", parent=region)
    her_location = kollegin.dcim.locations.create(name="Keller", slug="keller", site=site, status="active")
    without = subset(small, SMALL_ORGS - {"beckingen"})
    since = _last_change(netbox)

    changes = diff_landscape(netbox, without)
    with pytest.raises(DeleteBlocked):
        push_landscape(netbox, without)

    blocked = {(c.endpoint, c.id): c.reasons for c in changes if c.action == "blocked"}
    assert blocked == {
        ("dcim.regions", region): (
            f"region #{her_region.id} 'Ortsteil Haustadt' (field 'parent', not Landkarte's)",
            f"site #{her_site.id} 'Kläranlage Beckingen' (field 'region', not Landkarte's)"),
        ("tenancy.tenant-groups", group): (
            f"tenant #{her_tenant.id} 'Abwasserverband' (field 'group', not Landkarte's)",),
        ("dcim.sites", site): (f"location #{her_location.id} 'Keller' (field 'site', not Landkarte's)",),
    }
    # Landkarte's own devices and VMs of the site are deleted by the same push: they do not block it.
    assert {c.endpoint for c in changes if c.action == "delete"} >= {"dcim.devices",
                                                                      "virtualization.virtual-machines"}
    assert _changed_by(netbox, since) == []
    assert kollegin.dcim.locations.get(her_location.id).site.id == site
    assert kollegin.dcim.regions.get(her_region.id).parent.id == region


# ---------------------------------------------------------------------------------------- uniqueness


def test_every_uniqueness_collision_on_an_empty_netbox_is_found_by_diff_and_push_writes_nothing(
    netbox: NetBoxClient, kollegin: pynetbox.api, small: Landscape, tmp_path: Path
) -> None:
    site_name = small.sites["beckingen.rathaus"].name
    kollegin.dcim.sites.create(name=site_name, slug="bous-srv")                       # site name
    kollegin.dcim.platforms.create(name="Debian 12", slug="debian12")                 # platform name
    kollegin.dcim.regions.create(name="Saarland", slug="saar")                        # region name (no parent)
    kollegin.tenancy.tenant_groups.create(name="Zweckverband", slug="zv")             # tenant group name
    kollegin.dcim.manufacturers.create(name="Generic (Landkarte)", slug="generic")    # manufacturer name
    kollegin.dcim.device_roles.create(name="Server (Landkarte)", slug="srv", color="00ff00")  # role name
    kollegin.virtualization.cluster_types.create(name="Virtualisierung (Landkarte)", slug="virt")  # type name
    write_landscape(small, tmp_path / "small")
    writes, changes_before = netbox.stats.writes, object_changes(netbox)

    changes = diff_landscape(netbox, small)
    proc = _cli("netbox", "diff", str(tmp_path / "small"))
    with pytest.raises(OwnershipConflict) as err:
        push_landscape(netbox, small)
    adopted = _cli("netbox", "push", str(tmp_path / "small"), "--adopt", "--json")

    conflicts = sorted((c.endpoint, c.label.split(" — ")[0].split(": ", 1)[1]) for c in changes
                       if c.action == "conflict")
    assert conflicts == [
        ("dcim.device-roles", "NetBox allows each device role name only once per parent role"),
        ("dcim.manufacturers", "NetBox allows each manufacturer name only once"),
        ("dcim.platforms", "NetBox allows each platform name only once per manufacturer (or none)"),
        ("dcim.regions", "NetBox allows each region name only once per parent region"),
        ("dcim.sites", "NetBox allows each site name only once"),
        ("tenancy.tenant-groups", "NetBox allows each tenant group name only once"),
        ("virtualization.cluster-types", "NetBox allows each cluster type name only once"),
    ]
    site_conflict = next(c.label for c in changes if c.action == "conflict" and c.endpoint == "dcim.sites")
    assert f"{site_name!r} (slug 'bous-srv'; not Landkarte's" in site_conflict
    assert proc.returncode == 1 and "conflict" in proc.stdout and "Traceback" not in proc.stderr
    assert "7 conflict(s)" in str(err.value) and "nothing was written" in str(err.value)
    assert adopted.returncode == 1 and json.loads(adopted.stdout)["summary"]["write_requests"] == 0
    assert netbox.stats.writes == writes and object_changes(netbox) == changes_before  # 0 writes


def test_collisions_with_her_device_vm_tenant_and_vlan_after_a_push_are_found_before_writing(
    netbox: NetBoxClient, kollegin: pynetbox.api, small: Landscape
) -> None:
    plan = tiny_plan(small)
    push_landscape(netbox, small, plan)
    site = _landkarte_id(netbox, "dcim.sites", "beckingen.rathaus")
    tenant = _landkarte_id(netbox, "tenancy.tenants", "beckingen")
    cluster = _landkarte_id(netbox, "virtualization.clusters", "cluster:beckingen.rathaus")
    group = _landkarte_id(netbox, "tenancy.tenant-groups", "group:10042")
    vlan_group = _landkarte_id(netbox, "ipam.vlan-groups", "plan/vlan-group/rz-ziel")
    hers = _hers(kollegin)
    vm_host = small.hosts["beckingen.vm-wahlen"]
    kollegin.dcim.devices.create(name="HV02", site=site, tenant=tenant, role=hers["role"].id,
                                 device_type=hers["device_type"].id)               # name per site+tenant, any case
    kollegin.virtualization.virtual_machines.create(name="vm-neu", cluster=cluster, tenant=tenant)
    kollegin.tenancy.tenants.create(name="Neue Gemeinde", slug="neue-gemeinde-kollegin", group=group)
    kollegin.ipam.vlans.create(vid=150, name="kollegin", group=vlan_group)
    hv = small.hosts["beckingen.hv01"]
    bigger = _with_new_hosts(small, hv.model_copy(update={"id": "beckingen.hv02", "name": "hv02"}),
                             vm_host.model_copy(update={"id": "beckingen.vm-neu", "name": "vm-neu"}))
    bigger = _with_new_org(bigger, "beckingen", "neue-gemeinde", "Neue Gemeinde")
    nets = plan.tenant_networks + (plan.tenant_networks[0].model_copy(update={"org": "neue-gemeinde",
                                                                              "prefix": "10.70.9.0/24",
                                                                              "vlan": 150}),)
    bigger_plan = plan.model_copy(update={"tenant_networks": nets})
    since = _last_change(netbox)

    changes = diff_landscape(netbox, bigger, bigger_plan)
    with pytest.raises(OwnershipConflict):
        push_landscape(netbox, bigger, bigger_plan)

    assert sorted((c.endpoint, c.key) for c in changes if c.action == "conflict") == [
        ("dcim.devices", "beckingen.hv02"),
        ("ipam.vlans", "plan/vlan/rz-ziel/neue-gemeinde"),
        ("tenancy.tenants", "neue-gemeinde"),
        ("virtualization.virtual-machines", "beckingen.vm-neu"),
    ]
    labels = {c.endpoint: c.label for c in changes if c.action == "conflict"}
    # the same name (any case) in the same site and tenant is the same device for NetBox: --adopt takes it over
    assert "NetBox device #" in labels["dcim.devices"] and "'HV02'" in labels["dcim.devices"]
    assert "--adopt" in labels["dcim.devices"]
    assert "NetBox allows each tenant name only once per tenant group" in labels["tenancy.tenants"]
    assert _changed_by(netbox, since) == []


def _with_new_hosts(landscape: Landscape, *hosts: Any) -> Landscape:
    orgs = []
    for o in landscape.organisations:
        mine = tuple(h for h in hosts if landscape.owner.get(h.id.replace(".hv02", ".hv01").replace(
            ".vm-neu", ".vm-wahlen")) == o.organisation.id)
        orgs.append(o.model_copy(update={"hosts": o.hosts + mine}))
    return Landscape(meta=landscape.meta, catalogue=landscape.catalogue, organisations=tuple(orgs))


def _with_new_org(landscape: Landscape, like: str, org_id: str, name: str) -> Landscape:
    model = landscape.orgs[like]
    inv = next(o for o in landscape.organisations if o.organisation.id == like)
    new = inv.model_copy(update={"organisation": model.model_copy(update={"id": org_id, "name": name, "ags": None}),
                                 "sites": (), "hosts": (), "systems": (), "dependencies": (),
                                 "online_services": ()})
    return Landscape(meta=landscape.meta, catalogue=landscape.catalogue,
                     organisations=(*landscape.organisations, new))


# ---------------------------------------------------------------------------------------- schema


def test_her_landkarte_custom_field_and_tag_are_conflicts_before_any_write(
    netbox: NetBoxClient, kollegin: pynetbox.api, small: Landscape
) -> None:
    field = kollegin.extras.custom_fields.create(name=CF_ID, type="integer", object_types=["dcim.site"])
    tag = kollegin.extras.tags.create(name="Landkarte", slug="lk")
    since, writes = _last_change(netbox), netbox.stats.writes

    changes = diff_landscape(netbox, small)
    with pytest.raises(OwnershipConflict) as err:
        push_landscape(netbox, small, adopt=True)

    assert [(c.endpoint, c.id) for c in changes if c.action == "conflict"] == [
        ("extras.tags", tag.id), ("extras.custom-fields", field.id)]
    assert f"custom field #{field.id} 'landkarte_id' is not Landkarte's (type 'integer'" in str(err.value)
    assert netbox.stats.writes == writes and _changed_by(netbox, since) == []
    assert dict(kollegin.extras.custom_fields.get(field.id))["object_types"] == ["dcim.site"]


# ---------------------------------------------------------------------------------------- pull


def test_pull_reports_values_it_cannot_represent_and_writes_nothing(
    netbox: NetBoxClient, kollegin: pynetbox.api, small: Landscape, tmp_path: Path
) -> None:
    push_landscape(netbox, small)
    vm_id = _landkarte_id(netbox, "virtualization.virtual-machines", "beckingen.vm-wahlen")
    kollegin.virtualization.virtual_machines.update([{"id": vm_id, "vcpus": 2.5, "memory": 3000, "disk": 999}])

    with pytest.raises(NotALandscape) as err:
        pull_landscape(netbox)
    proc = _cli("netbox", "pull", "--out", str(tmp_path / "pulled"))

    label = "virtual machine 'vm-wahlen' (beckingen.vm-wahlen)"
    assert [line.strip() for line in str(err.value).splitlines()[1:]] == [
        (f"- {label}: vcpus 2.5 cannot be represented in the inventory, which holds a whole number of vCPUs; "
        "change it in NetBox (nothing is rounded)"),
        (f"- {label}: memory 3000 MB cannot be represented in the inventory, which holds whole GB (1024 MB); "
        "change it in NetBox (nothing is rounded)"),
        (f"- {label}: disk 999 MB cannot be represented in the inventory, which holds whole GB (1000 MB); "
        "change it in NetBox (nothing is rounded)")]
    assert proc.returncode == 1 and label in proc.stderr and not (tmp_path / "pulled").exists()


# ---------------------------------------------------------------------------------------- nothing of hers changes


def _untagged(netbox: NetBoxClient) -> dict[str, dict[int, dict[str, Any]]]:
    """Every object on every endpoint the sync reads or writes that is not Landkarte's, exactly as REST shows it."""
    out: dict[str, dict[int, dict[str, Any]]] = {}
    for name in [*(s.name for s in ENDPOINTS), *SCHEMA_ENDPOINTS]:
        objs = netbox.list(name)
        if name == "extras.tags":
            objs = [o for o in objs if o["slug"] != OWNER_TAG]
        elif name == "extras.custom-fields":
            objs = [o for o in objs if o["name"] not in CUSTOM_FIELDS]
        else:
            objs = [o for o in objs if not is_managed(o)]
        out[name] = {o["id"]: o for o in objs}
    return out


def _without_empty_landkarte_fields(snapshot: dict[str, dict[int, dict[str, Any]]]) -> dict[str, Any]:
    """REST lists every custom field defined for an object type, so her objects show Landkarte's fields, empty
    (NetBox stores nothing in them: the fields have no default)."""
    out: dict[str, Any] = {}
    for ep, objs in snapshot.items():
        out[ep] = {}
        for oid, o in objs.items():
            o = dict(o)
            if isinstance(o.get("custom_fields"), dict):
                extra = {k for k in o["custom_fields"] if k in CUSTOM_FIELDS}
                assert all(o["custom_fields"][k] is None for k in extra), (ep, oid)
                o["custom_fields"] = {k: v for k, v in o["custom_fields"].items() if k not in extra}
            out[ep][oid] = o
    return out


def _her_world(kollegin: pynetbox.api) -> None:
    """One object of hers on every endpoint the sync touches, some tagged with her own tag."""
    hers = _hers(kollegin)
    tag = kollegin.extras.tags.create(name="Kollegin", slug="kollegin")
    kollegin.extras.custom_fields.create(name="kollegin_notiz", type="text", object_types=["dcim.site"])
    group = kollegin.tenancy.tenant_groups.create(name="Kollegins Gruppe", slug="kollegins-gruppe")
    region = kollegin.dcim.regions.create(name="Kollegins Region", slug="kollegins-region")
    tenant = kollegin.tenancy.tenants.create(name="Kollegins Mandant", slug="kollegins-mandant", group=group.id,
                                             tags=[{"slug": "kollegin"}])
    kollegin.dcim.sites.update([{"id": hers["site"].id, "region": region.id, "tenant": tenant.id,
                                 "custom_fields": {"kollegin_notiz": "bleibt"}}])
    platform = kollegin.dcim.platforms.create(name="Kollegins OS", slug="kollegins-os")
    ctype = kollegin.virtualization.cluster_types.create(name="Kollegins Typ", slug="kollegins-typ")
    cluster = kollegin.virtualization.clusters.create(name="Kollegins Cluster", type=ctype.id,
                                                      scope_type="dcim.site", scope_id=hers["site"].id)
    kollegin.dcim.devices.create(name="kollegin-hv", site=hers["site"].id, role=hers["role"].id,
                                 device_type=hers["device_type"].id, platform=platform.id, cluster=cluster.id,
                                 tags=[{"slug": "kollegin"}])
    kollegin.virtualization.virtual_machines.create(name="kollegin-vm", cluster=cluster.id, platform=platform.id,
                                                    vcpus=1.5, memory=1000, disk=500)
    vg = kollegin.ipam.vlan_groups.create(name="Kollegins VLANs", slug="kollegins-vlans")
    vlan = kollegin.ipam.vlans.create(vid=42, name="kollegin", group=vg.id)
    kollegin.ipam.prefixes.create(prefix="192.0.2.0/24", vlan=vlan.id, tenant=tenant.id)
    kollegin.extras.config_contexts.create(name="kollegin", data={"ntp": "192.0.2.1"}, tags=[tag.slug])


def test_untagged_objects_are_identical_before_and_after_pushes_that_create_update_and_delete(
    netbox: NetBoxClient, kollegin: pynetbox.api, small: Landscape
) -> None:
    _her_world(kollegin)
    before = _untagged(netbox)
    plan = tiny_plan(small)
    renamed = with_host(small, "beckingen.vm-wahlen", name="vm-wahlen-neu")
    moved = _moved_off(renamed, ("Windows Server", "2012 R2"), OperatingSystem(name="Windows Server", version="2022"))

    def plan_for(orgs: set[str], **update: Any) -> Any:
        nets = tuple(n for n in plan.tenant_networks if n.org in orgs)
        return plan.model_copy(update={"tenant_networks": nets, **update})

    reports = [push_landscape(netbox, small, plan),                        # creates (with the plan)
               push_landscape(netbox, moved, plan),                        # updates and a platform delete
               push_landscape(netbox, subset(moved, SMALL_ORGS - {"beckingen"}),  # deletes an organisation
                              plan_for(SMALL_ORGS - {"beckingen"})),
               push_landscape(netbox, subset(moved, {"ego-saar"}), plan_for({"ego-saar"}, vms=()))]

    actions = {a for r in reports for a in (c.action for c in r.changes)}
    assert actions == {"create", "update", "delete"}
    assert _without_empty_landkarte_fields(_untagged(netbox)) == _without_empty_landkarte_fields(before)
    assert _untagged(netbox) == _untagged(netbox)  # (stable between two reads)


def _netbox_shell(script: str) -> Any:
    """What ``script``, run in NetBox's own Django shell, prints as JSON after ``@@``."""
    proc = subprocess.run([str(NETBOX / "venv/bin/netbox"), "shell", "-c", script], capture_output=True, text=True,
                          env={**os.environ, "NETBOX_ROOT": str(NETBOX)}, timeout=300, check=True)
    return json.loads(proc.stdout.split("@@", 1)[1])


def test_every_netbox_relation_to_a_synced_type_is_checked_before_a_delete(netbox: NetBoxClient) -> None:
    """The relations found in NetBox's OpenAPI document cover every reverse relation of the real models."""
    script = (
        "import json\n"
        "from django.apps import apps\n"
        "from django.urls import reverse, NoReverseMatch\n"
        "out = {}\n"
        "for label in %r:\n"
        "    M = apps.get_model(label)\n"
        "    rels = []\n"
        "    for r in M._meta.get_fields(include_hidden=False):\n"
        "        if not (r.auto_created and not r.concrete and (r.one_to_many or r.one_to_one or r.many_to_many)):\n"
        "            continue\n"
        "        rm = r.related_model\n"
        "        try:\n"
        "            path = reverse(f'{rm._meta.app_label}-api:{rm._meta.model_name}-list')\n"
        "        except NoReverseMatch:\n"
        "            path = None\n"
        "        rels.append([rm._meta.label_lower, r.field.name, path])\n"
        "    for f in M._meta.private_fields:\n"
        "        if f.__class__.__name__ == 'GenericRelation':\n"
        "            rm = f.related_model\n"
        "            try:\n"
        "                path = reverse(f'{rm._meta.app_label}-api:{rm._meta.model_name}-list')\n"
        "            except NoReverseMatch:\n"
        "                path = None\n"
        "            rels.append([rm._meta.label_lower, 'generic:' + f.object_id_field_name, path])\n"
        "    out[label] = rels\n"
        "print('@@' + json.dumps(out))\n"
    ) % [s.object_type for s in ENDPOINTS]
    models = _netbox_shell(script)
    doc = netbox.openapi()
    missing = []
    for spec in ENDPOINTS:
        found = {(r.endpoint, r.field) for r in relations_to(doc, spec.name)}
        for model, field, path in models[spec.object_type]:
            if path is None:
                continue  # no REST endpoint (a through table): nothing a user could have made
            ep = path.removeprefix("/api/").strip("/").replace("/", ".")
            if ep in NOT_REFERENCES:
                continue
            if field.startswith(("generic:", "_")):
                # a generic relation, or the cache NetBox keeps of one (_site, _region, … of a scope)
                ok = any(e == ep and f in GENERIC for e, f in found)
            else:
                ok = (ep, field) in found
            if not ok:
                missing.append(f"{spec.name} <- {ep}.{field} ({model})")
    assert missing == []


# ---------------------------------------------------------------------------------------- config-context cache


def _generations() -> dict[str, tuple[int, bool]]:
    """Device/VM → (NetBox's config-context cache generation, has Landkarte's tag), read in NetBox's own shell."""
    script = (
        "import json\n"
        "from dcim.models import Device\n"
        "from virtualization.models import VirtualMachine\n"
        "out = {}\n"
        "for M in (Device, VirtualMachine):\n"
        "    for o in M.objects.all():\n"
        "        out[f'{M._meta.model_name}:{o.pk}'] = [o._config_context_generation,"
        " o.tags.filter(slug='landkarte').exists()]\n"
        "print('@@' + json.dumps(out))\n"
    )
    return {k: (v[0], v[1]) for k, v in _netbox_shell(script).items()}


def test_the_landscape_context_invalidates_her_cached_config_contexts_only_when_it_is_created(
    netbox: NetBoxClient, kollegin: pynetbox.api, small: Landscape
) -> None:
    hers = _hers(kollegin)
    device = kollegin.dcim.devices.create(name="kollegin-srv", site=hers["site"].id, role=hers["role"].id,
                                          device_type=hers["device_type"].id)
    vm = kollegin.virtualization.virtual_machines.create(name="kollegin-vm", site=hers["site"].id)
    her_keys = {f"device:{device.id}", f"virtualmachine:{vm.id}"}
    before = _generations()

    push_landscape(netbox, small)                                             # creates the context
    created = _generations()
    changed_meta = Landscape(meta=small.meta.model_copy(update={"description": "Stand: geändert"}),
                             catalogue=small.catalogue, organisations=small.organisations)
    report = push_landscape(netbox, changed_meta)                             # changes only the context
    changed = _generations()
    push_landscape(netbox, changed_meta, orphan=True)                         # no change at all
    unchanged = _generations()

    assert [c.endpoint for c in report.changes] == ["extras.config-contexts"]
    # Creating the context (first push only): NetBox saves it before its scope, so every device and VM once.
    assert {k: created[k][0] - before[k][0] for k in her_keys} == {k: 1 for k in her_keys}
    # Changing it: only Landkarte's own devices and VMs (its scope is the 'landkarte' tag); hers are untouched.
    assert {k: changed[k][0] for k in her_keys} == {k: created[k][0] for k in her_keys}
    ours = {k for k, (_, tagged) in changed.items() if tagged}
    assert ours and all(changed[k][0] > created[k][0] for k in ours)
    assert unchanged == changed


# ---------------------------------------------------------------------------------------- during a push


def test_a_reference_made_during_the_push_still_stops_the_delete(
    netbox: NetBoxClient, kollegin: pynetbox.api, small: Landscape
) -> None:
    from netboxsync.sync import push

    push_landscape(netbox, small)
    platform_id = _landkarte_id(netbox, "dcim.platforms", "platform:windows-server-2012-r2")
    hers = _hers(kollegin)
    moved = _moved_off(small, ("Windows Server", "2012 R2"), OperatingSystem(name="Windows Server", version="2022"))
    made: list[int] = []

    def meanwhile(endpoint: str) -> None:  # after the updates, before the deletes
        if endpoint == ENDPOINTS[-1].name:
            made.append(kollegin.virtualization.virtual_machines.create(
                name="kollegin-vm", site=hers["site"].id, platform=platform_id).id)

    with pytest.raises(DeleteBlocked) as err:
        push(netbox, desired_objects(moved), on_endpoint=meanwhile)

    assert f"virtual machine #{made[0]} 'kollegin-vm' (field 'platform', not Landkarte's)" in str(err.value)
    assert err.value.report.objects.get("updated") == 3  # type: ignore[attr-defined]  # the hosts moved
    assert netbox.api.dcim.platforms.get(platform_id) is not None
    assert kollegin.virtualization.virtual_machines.get(made[0]).platform.id == platform_id


def test_push_json_counts_the_batches_that_went_through_when_one_fails(
    netbox: NetBoxClient, small: Landscape, tmp_path: Path
) -> None:
    from inventory.models import HostSize

    bad = with_host(small, "land-saarland.vm-backup", size=HostSize(vcpu=12345, ram_gb=8, storage_gb=10))
    write_landscape(bad, tmp_path / "bad")

    proc = _cli("netbox", "push", str(tmp_path / "bad"), "--json",
                env={"LANDKARTE_NETBOX_BATCH_SIZE": "4", "LANDKARTE_NETBOX_WRITE_WORKERS": "1"})

    doc = json.loads(proc.stdout)
    in_netbox = sum(1 for spec in ENDPOINTS for o in netbox.list(spec.name) if is_managed(o))
    assert proc.returncode == 1 and "field 'vcpus'" in doc["error"] and "field 'vcpus'" in proc.stderr
    assert doc["summary"]["created"] == in_netbox  # the VM batches before and after the failed one count
    assert 0 < in_netbox < len(desired_objects(bad))


# Unique constraints on fields Landkarte never sets: a push cannot break them.
NOT_SET_BY_LANDKARTE = {
    ("dcim.device", "asset_tag"), ("dcim.device", "primary_ip4"), ("dcim.device", "primary_ip6"),
    ("dcim.device", "oob_ip"), ("dcim.device", "dcim_device_unique_rack_position_face"),
    ("dcim.device", "dcim_device_unique_virtual_chassis_vc_position"),
    ("virtualization.virtualmachine", "primary_ip4"), ("virtualization.virtualmachine", "primary_ip6"),
    ("ipam.vlan", "ipam_vlan_unique_qinq_svlan_vid"), ("ipam.vlan", "ipam_vlan_unique_qinq_svlan_name"),
}


def test_the_uniqueness_rules_are_the_constraints_of_the_real_netbox_models(netbox: NetBoxClient) -> None:
    from netboxsync.endpoints import UNIQUE_RULES

    script = (
        "import json\n"
        "from django.apps import apps\n"
        "from django.db.models import UniqueConstraint\n"
        "out = {}\n"
        "for label in %r:\n"
        "    M = apps.get_model(label)\n"
        "    rules = [[f.name, [f.name], True, None] for f in M._meta.fields if f.unique and not f.primary_key]\n"
        "    for c in M._meta.constraints:\n"
        "        if isinstance(c, UniqueConstraint):\n"
        "            fs = list(c.fields) or [getattr(e, 'name', None) or e.source_expressions[0].name\n"
        "                                    for e in c.expressions]\n"
        "            rules.append([c.name, fs, c.nulls_distinct is not False, str(c.condition or '')])\n"
        "    out[label] = rules\n"
        "print('@@' + json.dumps(out))\n"
    ) % [s.object_type for s in ENDPOINTS]
    models = _netbox_shell(script)

    problems = []
    for spec in ENDPOINTS:
        ours = {r.constraint: r for r in UNIQUE_RULES[spec.name]}
        for name, fields, nulls_distinct, _condition in models[spec.object_type]:
            if (spec.object_type, name) in NOT_SET_BY_LANDKARTE:
                continue
            rule = ours.get(name)
            if rule is None:
                problems.append(f"{spec.name}: no rule for {name} {fields}")
            elif [f.lstrip("_") for f in rule.fields] != [f.lstrip("_") for f in fields] or (
                    rule.nulls_distinct != nulls_distinct and len(fields) > 1):
                problems.append(f"{spec.name}: {name} is {fields} (nulls distinct {nulls_distinct}), "
                                f"the rule says {rule.fields} ({rule.nulls_distinct})")
        model_names = {m[0] for m in models[spec.object_type]}
        problems += [f"{spec.name}: rule {c} is no constraint of NetBox" for c in ours
                     if c not in model_names and c not in ("cf.landkarte_id", "ENFORCE_GLOBAL_UNIQUE")]
    assert problems == []

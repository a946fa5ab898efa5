"""What a push may not do on a shared NetBox, checked on read state (no NetBox needed): uniqueness rules,
foreign custom fields and tags, pull values that cannot be represented, settings and error texts."""

from __future__ import annotations

import os
import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import requests

from inventory.load import load_landscape
from inventory.models import Landscape
from netboxsync import ConfigError, NotALandscape
from netboxsync.client import _problems
from netboxsync.endpoints import CF_ID, OWNER_TAG, SPECS, UNIQUE_RULES
from netboxsync.mapping import desired_objects
from netboxsync.pull import landscape_from_state
from netboxsync.references import Reference, blocking
from netboxsync.settings import load_settings
from netboxsync.state import State
from netboxsync.sync import SCHEMA_ENDPOINTS, diff

MINI = Path(__file__).resolve().parents[2] / "tests" / "data" / "valid" / "mini"


@pytest.fixture(scope="module")
def mini() -> Landscape:
    return load_landscape(MINI)


def _empty() -> dict[str, list[dict[str, Any]]]:
    return {name: [] for name in [*SPECS, *SCHEMA_ENDPOINTS]}


def _foreign(oid: int, **fields: Any) -> dict[str, Any]:
    return {"id": oid, "tags": [], "custom_fields": {}, **fields}


def _conflicts(changes: list) -> list[str]:
    return [c.label for c in changes if c.action == "conflict"]


def test_untagged_site_with_the_same_name_and_another_slug_is_a_conflict(mini: Landscape) -> None:
    desired = desired_objects(mini)
    site = next(d for d in desired if d.endpoint == "dcim.sites")
    objs = _empty()
    objs["dcim.sites"] = [_foreign(7, name=site.fields["name"], slug="fremd", display=site.fields["name"])]

    changes = diff(desired, State(objs))

    assert _conflicts(changes) == [
        (f"{site.label}: NetBox allows each site name only once — already taken by NetBox site #7 "
        f"{site.fields['name']!r} (slug 'fremd'; not Landkarte's (no 'landkarte' tag))")]
    assert not any(c.action == "create" and c.key == site.key for c in changes)  # shown as the conflict only


def test_platform_name_collides_only_without_manufacturer_or_with_the_same_one(mini: Landscape) -> None:
    desired = desired_objects(mini)
    platform = next(d for d in desired if d.endpoint == "dcim.platforms")
    name = platform.fields["name"]
    objs = _empty()
    objs["dcim.platforms"] = [
        _foreign(3, name=name, slug="other-slug", manufacturer=None, display=name),
        _foreign(4, name=name, slug="vendor-slug", manufacturer={"id": 9, "name": "Vendor"}, display=name)]

    changes = diff(desired, State(objs))

    assert len([c for c in changes if c.action == "conflict" and c.key == platform.key]) == 1
    assert "NetBox platform #3" in _conflicts(changes)[0] and "#4" not in _conflicts(changes)[0]


def test_tenant_name_is_unique_per_group_case_sensitively_as_netbox_compares_it() -> None:
    from netboxsync.state import Desired, Ref

    group = Desired("tenancy.tenant-groups", "group:1", "tenant group 'Kreis'",
                    {"name": "Kreis", "slug": "kreis", "description": ""}, {CF_ID: "group:1"})
    tenant = Desired("tenancy.tenants", "bous", "tenant 'Bous' (organisation bous)",
                     {"name": "Bous", "slug": "bous", "group": Ref("tenancy.tenant-groups", "group:1"),
                      "description": ""}, {CF_ID: "bous"})
    objs = _empty()
    objs["tenancy.tenant-groups"] = [{"id": 1, "name": "Kreis", "slug": "kreis", "description": "",
                                      "tags": [{"slug": OWNER_TAG}], "custom_fields": {CF_ID: "group:1"}}]
    objs["tenancy.tenants"] = [_foreign(5, name="BOUS", slug="x", group={"id": 1}),   # other case: allowed
                               _foreign(6, name="Bous", slug="y", group={"id": 2})]   # other group: allowed

    assert _conflicts(diff([group, tenant], State(objs))) == []
    objs["tenancy.tenants"].append(_foreign(8, name="Bous", slug="z", group={"id": 1, "name": "Kreis"}))
    assert _conflicts(diff([group, tenant], State(objs))) == [
        ("tenant 'Bous' (organisation bous): NetBox allows each tenant name only once per tenant group — already "
        "taken by NetBox tenant #8 'Bous' (group Kreis; slug 'z'; not Landkarte's (no 'landkarte' tag))")]


def test_vlan_id_and_global_prefix_collisions_are_found() -> None:
    from netboxsync.state import Desired, Ref

    group = Desired("ipam.vlan-groups", "plan/vlan-group/dc", "VLAN group of dc",
                    {"name": "Mandanten dc", "slug": "landkarte-dc", "scope_type": "dcim.site", "scope_id": None})
    vlan = Desired("ipam.vlans", "plan/vlan/dc/a", "VLAN 100 (a in dc)",
                   {"vid": 100, "name": "a", "group": Ref("ipam.vlan-groups", "plan/vlan-group/dc"),
                    "tenant": None, "status": "reserved"})
    prefix = Desired("ipam.prefixes", "plan/prefix/dc/a", "prefix 10.70.1.0/24 (a)",
                     {"prefix": "10.70.1.0/24", "vrf": None, "status": "reserved", "scope_type": None, "scope_id": None,
                      "tenant": None, "vlan": None, "description": ""})
    objs = _empty()
    mine = {"tags": [{"slug": OWNER_TAG}], "custom_fields": {CF_ID: "plan/vlan-group/dc"}}
    objs["ipam.vlan-groups"] = [{"id": 1, "name": "Mandanten dc", "slug": "landkarte-dc", "scope_type": "dcim.site",
                                 "scope_id": None, **mine}]
    objs["ipam.vlans"] = [_foreign(2, vid=101, name="a", group={"id": 1})]  # the same vid would be adoptable
    objs["ipam.prefixes"] = [_foreign(3, prefix="10.70.1.0/24", vrf=None),
                             _foreign(4, prefix="10.70.1.0/24", vrf={"id": 2})]  # another VRF: allowed

    changes = [c for c in diff([group, vlan, prefix], State(objs), with_plan=True) if c.action == "conflict"]

    assert [c.label for c in changes] == [
        ("VLAN 100 (a in dc): NetBox allows each VLAN name only once per VLAN group — already taken by NetBox VLAN "
        "#2 'a' (group 1; not Landkarte's (no 'landkarte' tag))"),
        # the same prefix in the global table is the same object: adoptable (#4 in a VRF is no conflict)
        ("prefix 10.70.1.0/24 (a): NetBox prefix #3 '10.70.1.0/24' (vrf=None, prefix=10.70.1.0/24) has no "
        "'landkarte' tag; --adopt takes it over")]
    objs["ipam.prefixes"][0]["custom_fields"] = {CF_ID: "someone-elses"}
    objs["ipam.prefixes"][0]["tags"] = [{"slug": OWNER_TAG}]
    assert "only once in the global table" in _conflicts(diff([prefix], State(objs), with_plan=True))[0]


def test_a_foreign_landkarte_id_field_and_a_landkarte_tag_with_another_slug_are_conflicts(mini: Landscape) -> None:
    objs = _empty()
    objs["extras.custom-fields"] = [{"id": 1, "name": CF_ID, "type": {"value": "integer"}, "label": "",
                                     "object_types": ["dcim.site"]}]
    objs["extras.tags"] = [{"id": 2, "name": "Landkarte", "slug": "lk"}]

    labels = _conflicts(diff(desired_objects(mini), State(objs)))

    assert labels == [
        ("tag #2 'Landkarte' (slug 'lk') has Landkarte's tag name with another slug; Landkarte's tag needs name "
        "'Landkarte' and slug 'landkarte'. Rename that tag"),
        ("custom field #1 'landkarte_id' is not Landkarte's (type 'integer', Landkarte's is 'text'; label '', "
        "Landkarte's is 'Landkarte-ID'; another description; not unique with exact filtering); Landkarte neither "
        "changes nor uses it. Rename or delete it in NetBox")]


def test_every_written_endpoint_has_its_uniqueness_rules() -> None:
    assert set(UNIQUE_RULES) == set(SPECS)


def _reference(endpoint: str, oid: int, field: str, *, managed: bool) -> Reference:
    tags = [{"slug": OWNER_TAG}] if managed else []
    return Reference("dcim.platforms", 1, endpoint, field,
                     {"id": oid, "name": f"o{oid}", "tags": tags, "custom_fields": {CF_ID: f"k{oid}"}})


def test_a_delete_is_blocked_by_untagged_references_but_not_by_objects_the_push_changes_away() -> None:
    refs = [_reference("dcim.devices", 10, "platform", managed=False),
            _reference("dcim.devices", 11, "platform", managed=True),       # updated by the push
            _reference("virtualization.virtual-machines", 12, "platform", managed=True),  # deleted by the push
            _reference("dcim.platforms", 13, "parent", managed=False)]

    blocked = blocking(refs, deleted={"virtualization.virtual-machines": {12}, "dcim.platforms": {1}},
                       kept_fields={"dcim.devices": {11: {"platform", "name"}}})

    assert [r.obj["id"] for r in blocked[("dcim.platforms", 1)]] == [10, 13]
    assert blocked[("dcim.platforms", 1)][1].text() == "platform #13 'o13' (field 'parent', not Landkarte's)"


def _vm_state(mini: Landscape, **size: Any) -> State:
    """A NetBox read back after a push of ``mini``, with one VM's native size fields changed."""
    desired = desired_objects(mini)
    objs = _empty()
    ids: dict[tuple[str, str], int] = {}
    for i, d in enumerate(desired, start=1):
        ids[(d.endpoint, d.key)] = i
    for d in desired:
        obj: dict[str, Any] = {"id": ids[(d.endpoint, d.key)], "tags": [{"slug": OWNER_TAG}],
                               "custom_fields": dict(d.custom_fields)}
        for f, v in d.fields.items():
            obj[f] = {"id": ids[(v.endpoint, v.key)]} if hasattr(v, "endpoint") else v
        objs[d.endpoint].append(obj)
    vm = objs["virtualization.virtual-machines"][0]
    vm.update(size)
    return State(objs)


def test_pull_never_rounds_a_vm_size(mini: Landscape) -> None:
    assert landscape_from_state(_vm_state(mini)) == mini  # the unchanged state pulls back exactly
    state = _vm_state(mini, vcpus=2.5, memory=3000, disk=999)
    vm = state.objects["virtualization.virtual-machines"][0]

    with pytest.raises(NotALandscape) as err:
        landscape_from_state(state)

    label = f"virtual machine {vm['name']!r} ({vm['custom_fields'][CF_ID]})"
    assert str(err.value).splitlines()[1:] == [
        (f"  - {label}: vcpus 2.5 cannot be represented in the inventory, which holds a whole number of vCPUs; "
        "change it in NetBox (nothing is rounded)"),
        (f"  - {label}: memory 3000 MB cannot be represented in the inventory, which holds whole GB (1024 MB); "
        "change it in NetBox (nothing is rounded)"),
        (f"  - {label}: disk 999 MB cannot be represented in the inventory, which holds whole GB (1000 MB); "
        "change it in NetBox (nothing is rounded)")]


def test_pull_takes_whole_values_in_any_spelling_and_reports_an_empty_one(mini: Landscape) -> None:
    vm_key = _vm_state(mini).objects["virtualization.virtual-machines"][0]["custom_fields"][CF_ID]
    pulled = landscape_from_state(_vm_state(mini, vcpus="4.00", memory=4096, disk=20000))
    assert (pulled.hosts[vm_key].size.vcpu, pulled.hosts[vm_key].size.ram_gb,
            pulled.hosts[vm_key].size.storage_gb) == (4, 4, 20)

    with pytest.raises(NotALandscape, match="memory is empty in NetBox; the inventory needs whole GB"):
        landscape_from_state(_vm_state(mini, memory=None))


@pytest.mark.parametrize("url", ["http://admin:geheim-123@127.0.0.1:8090", "http://geheim-123@127.0.0.1:8090",
                                 "https://:geheim-123@netbox.example:443/"])
def test_a_url_with_user_or_password_is_refused_without_echoing_it(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANDKARTE_NETBOX_URL", url)
    monkeypatch.setenv("LANDKARTE_NETBOX_TOKEN", "x" * 40)

    with pytest.raises(ConfigError) as err:
        load_settings()

    assert "geheim-123" not in str(err.value) and "admin" not in str(err.value)
    assert str(err.value) == ("NetBox settings: LANDKARTE_NETBOX_URL: must not contain a user name or password; "
                              "put the API token into LANDKARTE_NETBOX_TOKEN or LANDKARTE_NETBOX_TOKEN_FILE")


def test_a_non_field_error_has_one_colon_and_counts_the_batch() -> None:
    resp = requests.Response()
    resp.status_code = 400
    resp._content = b'{"__all__": ["Platform name must be unique."]}'

    assert _problems(resp, [{"name": "Debian 12"}], ["platform 'Debian 12'"], "create") == [
        "platform 'Debian 12': Platform name must be unique."]


def test_diff_counts_per_action_on_an_empty_netbox(mini: Landscape) -> None:
    desired = desired_objects(mini)
    assert Counter(c.action for c in diff(desired, State(_empty()))) == {"create": len(desired)}


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    root = Path(__file__).resolve().parents[2]
    full = {k: v for k, v in os.environ.items() if not k.startswith("LANDKARTE_NETBOX_")}
    full.update({"NO_COLOR": "1", "COLUMNS": "200", **env})
    return subprocess.run([str(root / ".venv/bin/landkarte"), *args], check=False, capture_output=True, text=True,
                          env=full, timeout=120, cwd=root)


def test_an_unreachable_netbox_is_one_clear_line_without_retries_or_warnings() -> None:
    proc = _cli("netbox", "diff", str(MINI), LANDKARTE_NETBOX_URL="http://127.0.0.1:9",
                LANDKARTE_NETBOX_TOKEN="x" * 40, LANDKARTE_LOG_LEVEL="DEBUG")

    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [
        "error: NetBox at http://127.0.0.1:9 does not answer (connection refused: nothing listens at that port)"]
    assert "Retrying" not in proc.stderr + proc.stdout and "urllib3" not in proc.stderr + proc.stdout


def test_a_url_with_a_password_is_refused_by_the_cli_without_echoing_it() -> None:
    proc = _cli("netbox", "diff", str(MINI), LANDKARTE_NETBOX_URL="http://landkarte:Geheim%21Passwort@127.0.0.1:9",
                LANDKARTE_NETBOX_TOKEN="x" * 40)

    assert proc.returncode == 1
    assert "Geheim" not in proc.stderr + proc.stdout and "landkarte:" not in proc.stderr
    assert "LANDKARTE_NETBOX_URL: must not contain a user name or password" in proc.stderr


def test_every_sentence_on_the_shared_netbox_names_a_test_that_exists() -> None:
    root = Path(__file__).resolve().parents[2]
    doc = (root / "docs" / "netbox-mapping.md").read_text(encoding="utf-8")
    section = doc.split("## On a shared NetBox", 1)[1].split("\n## ", 1)[0]
    items = re.split(r"\n(?=\d+\. )", section.split("\n1. ", 1)[1])
    defined = {m for f in Path(__file__).parent.glob("test_*.py")
               for m in re.findall(r"^def (test_\w+)", f.read_text(encoding="utf-8"), flags=re.MULTILINE)}

    pins = [re.findall(r"test_\w+", item.split("[")[-1]) for item in items]

    assert len(items) == 15
    assert all(pins), [item[:60] for item, p in zip(items, pins, strict=True) if not p]
    assert sorted({t for p in pins for t in p} - defined) == []

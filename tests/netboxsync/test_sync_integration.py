"""The NetBox sync against a real NetBox 4.7 (scripts/netbox.sh): push, re-push, diff, pull, ownership, faults."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from collections import Counter
from pathlib import Path

import pytest
from _support import object_changes, subset, tiny_plan, with_host
from conftest import ROOT, SMALL_ORGS, netbox_sh

from inventory.load import load_landscape
from inventory.models import Landscape
from inventory.write import write_landscape
from netboxsync import (
    NetBoxClient,
    NetBoxRejected,
    NetBoxUnavailable,
    OwnershipConflict,
    diff_landscape,
    pull_landscape,
    push_landscape,
)
from netboxsync.endpoints import CF_ID, ENDPOINTS
from netboxsync.mapping import desired_objects
from netboxsync.state import is_managed
from netboxsync.sync import push, read_state

pytestmark = pytest.mark.integration


def _managed_keys(client: NetBoxClient) -> Counter[tuple[str, str]]:
    state = read_state(client)
    out: Counter[tuple[str, str]] = Counter()
    for ep, objs in state.objects.items():
        for o in objs:
            if is_managed(o):
                out[(ep, o["name"] if ep == "extras.config-contexts" else o["custom_fields"].get(CF_ID))] += 1
    return out


def test_push_creates_everything_repush_writes_nothing_and_pull_gives_it_back(
    netbox: NetBoxClient, small: Landscape, tmp_path: Path
) -> None:
    first = push_landscape(netbox, small)
    desired = desired_objects(small)
    assert first.objects == {"created": len(desired)}
    assert _managed_keys(netbox) == Counter((d.endpoint, d.key) for d in desired)

    changes_before = object_changes(netbox)
    writes_before = netbox.stats.writes
    second = push_landscape(netbox, small)

    assert (second.writes, second.objects, second.changes) == (0, {}, [])
    assert netbox.stats.writes == writes_before
    assert object_changes(netbox) == changes_before  # NetBox's change log agrees: nothing written
    assert pull_landscape(netbox) == small
    proc = _cli("netbox", "pull", "--out", str(tmp_path / "pulled"))
    assert proc.returncode == 0, proc.stderr
    assert load_landscape(tmp_path / "pulled") == small


def test_diff_after_manual_change_shows_it_and_push_repairs_it(
    netbox: NetBoxClient, small: Landscape, tmp_path: Path
) -> None:
    push_landscape(netbox, small)
    tenant = netbox.api.tenancy.tenants.get(slug="beckingen")
    tenant.name = "Beckingen (von Hand geändert)"
    tenant.save()
    vm = netbox.api.virtualization.virtual_machines.get(cf_landkarte_id="beckingen.vm-einwohnermeldewesen")
    vm.delete()

    changes = diff_landscape(netbox, small)

    assert sorted((c.action, c.key, tuple(c.fields) if c.action == "update" else ()) for c in changes) == [
        ("create", "beckingen.vm-einwohnermeldewesen", ()),
        ("update", "beckingen", ("name",)),
    ]
    update = next(c for c in changes if c.action == "update")
    assert update.fields["name"] == ("Beckingen (von Hand geändert)", "Beckingen")
    write_landscape(small, tmp_path / "small")
    proc = _cli("netbox", "diff", str(tmp_path / "small"), "--json")
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["summary"] == {"create": 1, "update": 1, "delete": 0, "conflict": 0, "blocked": 0, "release": 0}
    assert [c for c in doc["changes"] if c["action"] == "update"] == [{
        "action": "update", "object": "tenant", "endpoint": "tenancy.tenants", "key": "beckingen",
        "label": "tenant 'Beckingen' (organisation beckingen)", "id": tenant.id, "adopt": False,
        "fields": {"name": {"netbox": "Beckingen (von Hand geändert)", "landkarte": "Beckingen"}}, "reasons": []}]

    push_landscape(netbox, small)
    assert diff_landscape(netbox, small) == []


def test_push_deletes_managed_objects_dropped_from_the_inventory(netbox: NetBoxClient, small: Landscape) -> None:
    push_landscape(netbox, small)
    smaller = subset(small, SMALL_ORGS - {"beckingen"})

    report = push_landscape(netbox, smaller)

    deleted = Counter(c.endpoint for c in report.changes if c.action == "delete")
    beckingen = small.organisations[[o.organisation.id for o in small.organisations].index("beckingen")]
    assert deleted["tenancy.tenants"] == 1
    assert deleted["dcim.sites"] == len(beckingen.sites)
    assert deleted["dcim.devices"] + deleted["virtualization.virtual-machines"] == len(beckingen.hosts)
    assert pull_landscape(netbox) == smaller


def test_push_changes_an_untagged_object_only_with_adopt(netbox: NetBoxClient, small: Landscape) -> None:
    foreign = netbox.api.tenancy.tenants.create({"name": "eGo-Saar (fremd)", "slug": "ego-saar"})
    unrelated = netbox.api.tenancy.tenants.create({"name": "Fremder Mandant", "slug": "fremd"})
    writes_before = netbox.stats.writes

    with pytest.raises(OwnershipConflict) as err:
        push_landscape(netbox, small)

    assert f"tenant {small.orgs['ego-saar'].name!r} (organisation ego-saar)" in str(err.value)
    assert "--adopt" in str(err.value)
    assert netbox.stats.writes == writes_before  # refused before any write
    assert dict(netbox.api.tenancy.tenants.get(foreign.id))["name"] == "eGo-Saar (fremd)"

    report = push_landscape(netbox, small, adopt=True)

    adopted = dict(netbox.api.tenancy.tenants.get(foreign.id))
    assert [c.key for c in report.changes if c.adopt] == ["ego-saar"]
    assert adopted["name"] == small.orgs["ego-saar"].name
    assert [t["slug"] for t in adopted["tags"]] == ["landkarte"]
    assert netbox.api.tenancy.tenants.get(unrelated.id) is not None  # never deleted: not ours
    assert pull_landscape(netbox) == small


def test_validation_error_names_object_and_field_and_exits_1(
    netbox: NetBoxClient, small: Landscape, tmp_path: Path
) -> None:
    from inventory.models import HostSize

    # 12,345 vCPUs pass the model (at most 100,000) but not NetBox (at most 4 digits before the decimal point)
    bad = with_host(small, "beckingen.vm-einwohnermeldewesen", size=HostSize(vcpu=12345, ram_gb=8, storage_gb=10))
    write_landscape(bad, tmp_path / "bad")

    proc = _cli("netbox", "push", str(tmp_path / "bad"))

    assert proc.returncode == 1
    assert "virtual machine 'vm-einwohnermeldewesen' (beckingen.vm-einwohnermeldewesen)" in proc.stderr
    assert "field 'vcpus'" in proc.stderr
    assert "Traceback" not in proc.stderr
    with pytest.raises(NetBoxRejected):
        push_landscape(netbox, bad)


def test_token_never_appears_in_output_or_logs(netbox: NetBoxClient, small: Landscape, tmp_path: Path) -> None:
    token = Path(os.environ["LANDKARTE_NETBOX_TOKEN_FILE"]).read_text().strip()
    logs = tmp_path / "logs"

    procs = [
        _cli("netbox", "diff", str(ROOT / "tests/data/valid/mini"), env={"LANDKARTE_LOG_LEVEL": "DEBUG",
                                                                          "LANDKARTE_LOG_DIR": str(logs)}),
        _cli("netbox", "diff", str(ROOT / "tests/data/valid/mini"),
             env={"LANDKARTE_NETBOX_URL": "http://127.0.0.1:9", "LANDKARTE_NETBOX_TOKEN": token,
                  "LANDKARTE_NETBOX_TOKEN_FILE": "", "LANDKARTE_NETBOX_RETRIES": "1",
                  "LANDKARTE_LOG_LEVEL": "DEBUG"}),
    ]

    assert [p.returncode for p in procs] == [0, 1]  # the second: nothing listens there
    assert "does not answer" in procs[1].stderr
    everything = "".join(p.stdout + p.stderr for p in procs)
    everything += "".join(f.read_text() for f in logs.glob("*")) if logs.exists() else ""
    assert token not in everything
    assert token.split(".")[-1] not in everything


def test_push_converges_after_netbox_restarts_in_the_middle(netbox: NetBoxClient, small: Landscape) -> None:
    desired = desired_objects(small)
    pid_before = Path("/var/lib/landkarte/netbox/run/gunicorn.pid").read_text().strip()
    restarted = threading.Event()

    def restart_after_sites(endpoint: str) -> None:
        # Devices and VMs (most of the objects) are still to come when gunicorn goes down.
        if endpoint == "dcim.sites" and not restarted.is_set():
            threading.Thread(target=lambda: (netbox_sh("restart"), restarted.set()), daemon=True).start()

    try:
        first = push(netbox, desired, on_endpoint=restart_after_sites)
        outcome = f"completed with {first.retries} re-plans"
    except NetBoxUnavailable as exc:
        outcome = f"interrupted: {exc}"
    print(f"first push during the restart: {outcome}")
    assert restarted.wait(180), "gunicorn did not come back"
    assert Path("/var/lib/landkarte/netbox/run/gunicorn.pid").read_text().strip() != pid_before

    push(netbox, desired)  # the re-run converges
    again = push(netbox, desired)

    assert again.writes == 0, outcome
    assert _managed_keys(netbox) == Counter((d.endpoint, d.key) for d in desired), outcome  # nothing lost or twice
    assert pull_landscape(netbox) == small


def test_push_with_plan_adds_target_networks_and_leaves_them_to_plan_pushes(
    netbox: NetBoxClient, small: Landscape
) -> None:
    plan = tiny_plan(small)
    n = len(small.organisations)

    first = push_landscape(netbox, small, plan)
    again = push_landscape(netbox, small, plan)
    without_plan = push_landscape(netbox, small)

    made = Counter(c.endpoint for c in first.changes if c.key.startswith("plan/"))
    assert made == {"dcim.sites": 1, "ipam.prefixes": n + 2, "ipam.vlans": n, "ipam.vlan-groups": 1,
                    "virtualization.clusters": 2, "virtualization.virtual-machines": 2}
    assert (again.writes, without_plan.writes) == (0, 0)  # a push without --plan leaves plan objects alone
    prefix = netbox.api.ipam.prefixes.get(cf_landkarte_id="plan/prefix/rz-ziel/beckingen")
    assert (str(prefix.prefix), prefix.tenant.slug, prefix.vlan.vid) == ("10.70.1.0/24", "beckingen", 100)
    assert pull_landscape(netbox) == small  # plan objects are not inventory

    shrunk = plan.model_copy(update={"tenant_networks": plan.tenant_networks[1:]})
    report = push_landscape(netbox, small, shrunk)
    assert sorted(c.key for c in report.changes) == ["plan/prefix/rz-ziel/beckingen", "plan/vlan/rz-ziel/beckingen"]
    assert {c.action for c in report.changes} == {"delete"}


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "NO_COLOR": "1", "COLUMNS": "200", **(env or {})}
    full = {k: v for k, v in full.items() if v != ""}
    return subprocess.run([str(ROOT / ".venv/bin/landkarte"), *args], check=False, capture_output=True, text=True,
                          env=full, timeout=600, cwd=ROOT)


def test_every_endpoint_spec_matches_a_real_netbox_endpoint(netbox: NetBoxClient) -> None:
    counts = {spec.name: netbox.count(spec.name) for spec in ENDPOINTS}

    assert all(isinstance(n, int) for n in counts.values())

"""Benchmark: configure on the Saarland plan (inventory, evidence) and, with ``--hosts``, on real hosts.

    python -m benchmarks configure           # inventory + evidence for the Saarland plan vs reading the plan
    python -m benchmarks configure --hosts   # root: converge and idempotence on two nspawn hosts vs the
                                             # Ansible floor (the same number of no-op tasks)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

__all__ = ["main"]

ROOT = Path(__file__).resolve().parent.parent


def _timed(fn, repeat: int = 3) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _offline() -> list[tuple[str, float, str]]:
    from configure import PLAYBOOK_DIR, build_evidence, build_inventory, load_controls, task_index
    from configure.apply import site_roles
    from configure.inventory import InventoryOptions
    from consolidation.planner import plan as make_plan
    from consolidation.scenario import load_scenario
    from inventory.load import load_landscape
    from plan.io import read_plan, write_plan

    plan = make_plan(load_landscape(ROOT / "inventory" / "samples" / "saarland"),
                     load_scenario(ROOT / "consolidation" / "scenarios" / "landesweit.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.json"
        write_plan(plan, path)
        t_read, _ = _timed(lambda: read_plan(path))
    options = InventoryOptions(management_sources=("10.255.0.0/24",))
    t_inv, inventory = _timed(lambda: build_inventory(plan, options))
    t_index, index = _timed(lambda: task_index(PLAYBOOK_DIR))
    events = [{"event": "runner_on_ok", "event_data": {"host": host, "task_path": f"{key[0]}:{key[1]}",
                                                        "res": {"changed": False}}}
              for host in inventory["all"]["hosts"] for key in index]
    controls, applicable = load_controls(PLAYBOOK_DIR), site_roles(inventory)
    t_ev, _ = _timed(lambda: build_evidence(events, index=index, controls=controls, inventory=inventory,
                                            applicable=applicable, run={}, plan={}))
    hosts = len(inventory["all"]["hosts"])
    return [
        ("read_plan (baseline)", t_read, f"{len(plan.vms)} VMs, {len(plan.flows)} flows"),
        ("build_inventory", t_inv, f"{hosts} hosts, {len(inventory['all']['children'])} groups"),
        ("task_index", t_index, f"{len(index)} tasks"),
        ("build_evidence", t_ev, f"{len(events)} events"),
    ]


def _with_hosts() -> list[tuple[str, float, str]]:
    sys.path.insert(0, str(ROOT / "tests" / "playbooks"))
    from conftest import ADDRESSES, LOG_VM, MANAGEMENT, make_plan  # the integration test's plan

    from configure import PLAYBOOK_DIR, task_index
    from configure.apply import configure_plan
    from configure.inventory import InventoryOptions, build_inventory
    from configure.runner import run_playbook
    from plan.io import write_plan

    script = ROOT / "scripts" / "testhosts.sh"
    subprocess.run(["bash", str(script), "stop"], check=True, capture_output=True)
    t0 = time.perf_counter()
    subprocess.run(["bash", str(script), "start", *ADDRESSES], check=True, capture_output=True)
    t_start = time.perf_counter() - t0
    state = Path("/run/landkarte-testhosts")
    try:
        info = json.loads((state / "hosts.json").read_text())
        options = InventoryOptions(private_key=info["key"], known_hosts=info["known_hosts"],
                                   management_sources=(MANAGEMENT,), ntp_servers=(ADDRESSES[LOG_VM],),
                                   backup_host=LOG_VM, site_vars={"baseline_apt_update_cache": False})
        tasks = len(task_index(PLAYBOOK_DIR))
        with tempfile.TemporaryDirectory() as tmp:
            floor = Path(tmp) / "floor.yml"
            floor.write_text("- name: Floor\n  hosts: all\n  become: true\n  tasks:\n" + "".join(
                f"    - name: No-op {i}\n      ansible.builtin.command: 'true'\n      changed_when: false\n"
                for i in range(tasks)))
            t_floor = run_playbook(build_inventory(make_plan(), options), playbook=str(floor)).seconds
            plan_path = Path(tmp) / "plan.json"
            write_plan(make_plan(), plan_path)
            os.environ.setdefault("LANDKARTE_BACKUP_PASSWORD", "synthetic-bench-password-0123456789")
            runs = [configure_plan(plan_path, evidence_path=Path(tmp) / f"e{i}.json", options=options)
                    for i in range(2)]
    finally:
        subprocess.run(["bash", str(script), "stop"], check=False, capture_output=True)
    return [
        ("start 2 hosts", t_start, "extract image, netns, boot, sshd"),
        (f"floor: {tasks} no-op tasks (baseline)", t_floor, "Ansible's per-task cost on these hosts"),
        ("converge", runs[0].result.seconds, f"changed {runs[0].result.changed()}"),
        ("idempotence", runs[1].result.seconds, f"changed {runs[1].result.changed()}"),
    ]


def main(argv: list[str]) -> int:
    rows = _offline()
    if "--hosts" in argv:
        if os.geteuid() != 0:
            print("--hosts needs root (systemd-nspawn, netns)", file=sys.stderr)
            return 2
        rows += _with_hosts()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'case':<40} {'seconds':>9}  notes")
    for name, seconds, note in rows:
        print(f"{name:<40} {seconds:>9.3f}  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

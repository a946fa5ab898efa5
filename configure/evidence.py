"""The evidence file: for each host and BSI module, which tasks ran and their result.

Shape (``schema: landkarte.configure.evidence/1``)::

    {"schema": ..., "plan": {...}, "run": {...},
     "modules": {"SYS.1.3": {"title": ..., "roles": [...]}, ...},
     "hosts": {"vm-id": {"address": ..., "data_centre": ..., "modules": {
         "SYS.1.3": {"result": "passed", "tasks": [{"role", "task", "result", "path"}, ...]}, ...}}}}

A module's result on a host is ``failed`` when a task failed or the host was unreachable,
``passed`` when at least one of its tasks ran (ok/changed), ``skipped`` when all were skipped,
``not_applicable`` when none of its tasks was part of the host's plays and ``not_run`` when the
host was not part of the run at all (``--limit``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from common.catalogue import BsiModule
from common.fsio import atomic_write_text
from configure.bsi import TaskRef

__all__ = ["EVIDENCE_SCHEMA", "build_evidence", "event_result", "write_evidence"]

EVIDENCE_SCHEMA = "landkarte.configure.evidence/1"


def event_result(event: Mapping) -> str:
    """ok, changed, skipped, failed (also when ignored) or unreachable, for one result event."""
    kind = event.get("event", "")
    data = event.get("event_data", {})
    if kind == "runner_on_unreachable":
        return "unreachable"
    if kind == "runner_on_failed":
        return "failed"
    if kind == "runner_on_skipped":
        return "skipped"
    return "changed" if data.get("res", {}).get("changed") else "ok"


def _task_ref(event: Mapping, index: Mapping[tuple[str, int], TaskRef]) -> TaskRef | None:
    path, _, line = str(event.get("event_data", {}).get("task_path", "")).rpartition(":")
    if not path or not line.isdigit():
        return None
    return index.get((str(Path(path).resolve()), int(line)))


def _message(event: Mapping) -> str:
    """The failure message of a result event (no_log results carry none)."""
    res = event.get("event_data", {}).get("res", {})
    return " ".join(str(res.get(k) or "") for k in ("msg", "stderr")).strip()[:500]


def _module_result(results: Iterable[str]) -> str:
    results = list(results)
    if any(r in ("failed", "unreachable") for r in results):
        return "failed"
    if any(r in ("ok", "changed") for r in results):
        return "passed"
    return "skipped"


def build_evidence(
    events: Iterable[Mapping],
    *,
    index: Mapping[tuple[str, int], TaskRef],
    claimed: Mapping[str, tuple[str, ...]],
    modules: Mapping[str, BsiModule],
    inventory: Mapping,
    run: Mapping,
    plan: Mapping,
) -> dict:
    """Assemble the evidence document from the runner's result events.

    ``claimed`` (module → roles) fixes the module list: every claimed module appears for every
    host of the inventory, with ``not_applicable`` when none of its tasks ran there.
    """
    hostvars = inventory["all"]["hosts"]
    per_host: dict[str, dict[str, list[dict]]] = {h: {} for h in hostvars}
    unreachable: set[str] = set()
    seen: set[str] = set()
    for event in events:
        host = event.get("event_data", {}).get("host")
        if host not in per_host:
            continue
        seen.add(host)
        result = event_result(event)
        if result == "unreachable":
            unreachable.add(host)
        ref = _task_ref(event, index)
        if ref is None:
            continue
        entry = {"role": ref.role, "task": ref.name, "result": result, "path": f"{ref.path}:{ref.line}"}
        if result in ("failed", "unreachable"):
            entry["message"] = _message(event)
        for module in ref.modules:
            per_host[host].setdefault(module, []).append(entry)
    hosts = {}
    for host, by_module in sorted(per_host.items()):
        mods = {}
        for module in claimed:
            tasks = by_module.get(module, [])
            if tasks:
                result = _module_result(t["result"] for t in tasks)
            elif host in unreachable:
                result = "failed"
            else:
                result = "not_applicable" if host in seen else "not_run"
            mods[module] = {"result": result, "tasks": tasks}
        hv = hostvars[host]
        hosts[host] = {
            "address": hv.get("ansible_host"),
            "data_centre": hv.get("landkarte_data_centre"),
            "role": hv.get("landkarte_role"),
            "tenants": hv.get("landkarte_tenants", []),
            "modules": mods,
        }
    return {
        "schema": EVIDENCE_SCHEMA,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "plan": dict(plan),
        "run": dict(run),
        "modules": {
            m: {"title": modules[m].title if m in modules else "", "roles": list(roles)} for m, roles in claimed.items()
        },
        "hosts": hosts,
    }


def write_evidence(evidence: Mapping, path: Path) -> None:
    """Write atomically (temp file + rename): never a half-written evidence file."""
    atomic_write_text(path, json.dumps(evidence, ensure_ascii=False, indent=2, sort_keys=True) + "\n")

"""The evidence file: for each host and Grundschutz++ control, which tasks ran and the result.

Shape (``schema: landkarte.configure.evidence/2``)::

    {"schema": ..., "plan": {...}, "run": {...},
     "controls": {uuid: {"id": "KONF.4.3", "title": ..., "roles": [...], "kompendium_2023": [...]}},
     "hosts": {"vm-id": {"address", "data_centre", "role", "tenants", "state",
         "controls": {uuid: {"result": "passed", "tasks": [{"role", "task", "result", "path"}, ...]}},
         "kompendium_2023": {"OPS.1.1.5": "passed", ...}}}}

A host's ``state``: ``converged`` (ran, no task failed), ``failed``, ``unreachable`` (never
reached: not a failure of any control) or ``not_checked`` (outside ``--limit``, or the rollout
stopped before its batch).

A control's result on a host (:func:`control_result`):

- ``unreachable`` — the host was unreachable;
- ``failed`` — a task of the control failed (in ``--check``: or would change something: drift);
- ``passed`` — none failed and one of its ``verified_by`` tasks ran successfully there;
- ``not_checked`` — the host was not assessed, failed before the control's tasks, or its tasks were
  skipped (e.g. no log host or backup host in the plan, ``--check`` without the backup password);
- ``not_applicable`` — the host completed the run and none of the control's roles applies to it.

A 2023 Kompendium module's result is the worst of its controls' (failed, unreachable,
not_checked, passed; not_applicable only when all are).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path

from common.fsio import atomic_write_text
from configure.bsi import TaskRef
from configure.oscal import Control

__all__ = ["EVIDENCE_SCHEMA", "build_evidence", "control_result", "event_result", "write_evidence"]

EVIDENCE_SCHEMA = "landkarte.configure.evidence/2"
PREFLIGHT = "/tasks/preflight.yml"
_WORST = ("failed", "unreachable", "not_checked", "passed", "not_applicable")


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


def control_result(tasks: list[dict], verified_by: Iterable[tuple[str, str]], *, host_state: str,
                   check_mode: bool = False) -> str:
    """The result of one control on one host from the results of its tasks there.

    >>> control_result([{"role": "ssh", "task": "Check", "result": "ok"}], [("ssh", "Check")], host_state="converged")
    'passed'
    >>> control_result([{"role": "ssh", "task": "Check", "result": "skipped"}], [("ssh", "Check")],
    ...                host_state="converged")
    'not_checked'
    >>> control_result([], [("ssh", "Check")], host_state="unreachable")
    'unreachable'
    """
    if host_state == "unreachable":
        return "unreachable"
    if any(t["result"] in ("failed", "unreachable") for t in tasks):
        return "failed"
    if check_mode and any(t["result"] == "changed" for t in tasks):
        return "failed"
    if not tasks:
        return "not_applicable" if host_state == "converged" else "not_checked"
    verifying = set(verified_by)
    if any((t["role"], t["task"]) in verifying and t["result"] in ("ok", "changed") for t in tasks):
        return "passed"
    return "not_checked"


def build_evidence(
    events: Iterable[Mapping],
    *,
    index: Mapping[tuple[str, int], TaskRef],
    controls: Mapping[str, Control],
    inventory: Mapping,
    run: Mapping,
    plan: Mapping,
    unreachable: Iterable[str] = (),
    applicable: Mapping[str, Iterable[str]] | None = None,
) -> dict:
    """Assemble the evidence document from the runner's result events.

    ``controls`` (from :func:`configure.oscal.load_controls`) fixes the control list: every
    control appears for every host of the inventory. ``unreachable`` names hosts found
    unreachable before the run (they were left out of it). ``applicable`` maps each host to the
    roles the playbook assigns it (:func:`configure.apply.site_roles`): a control none of whose
    roles is assigned is ``not_applicable``; one whose tasks did not report is ``not_checked``.
    Events of the preflight (``tasks/preflight.yml``) do not make a host count as converged.
    """
    hostvars = inventory["all"]["hosts"]
    by_task: dict[tuple[str, str], list[str]] = {}
    for cuuid, control in controls.items():
        for key in control.tasks:
            by_task.setdefault(key, []).append(cuuid)
    per_host: dict[str, dict[str, list[dict]]] = {h: {} for h in hostvars}
    dark: set[str] = set(unreachable) & set(hostvars)
    failed: set[str] = set()
    seen: set[str] = set()
    for event in events:
        host = event.get("event_data", {}).get("host")
        if host not in per_host:
            continue
        result = event_result(event)
        if not str(event.get("event_data", {}).get("task_path", "")).rpartition(":")[0].endswith(PREFLIGHT):
            seen.add(host)
        if result == "unreachable":
            dark.add(host)
        elif result == "failed" and not event.get("event_data", {}).get("ignore_errors"):
            failed.add(host)
        ref = _task_ref(event, index)
        if ref is None:
            continue
        entry = {"role": ref.role, "task": ref.name, "result": result, "path": f"{ref.path}:{ref.line}"}
        if result in ("failed", "unreachable"):
            entry["message"] = _message(event)
        for cuuid in by_task.get((ref.role, ref.name), ()):
            per_host[host].setdefault(cuuid, []).append(entry)
    check_mode = bool(run.get("check_mode"))
    hosts = {}
    for host, by_control in sorted(per_host.items()):
        state = ("unreachable" if host in dark else "failed" if host in failed
                 else "converged" if host in seen else "not_checked")
        results = {}
        roles = None if applicable is None else set(applicable.get(host, ()))
        for cuuid, control in controls.items():
            tasks = by_control.get(cuuid, [])
            if roles is not None and not roles & set(control.roles) and state != "unreachable":
                results[cuuid] = {"result": "not_applicable", "tasks": tasks}
                continue
            result = control_result(tasks, control.verified_by, host_state=state, check_mode=check_mode)
            if roles is not None and result == "not_applicable":
                result = "not_checked"  # assigned, but nothing of it ran there
            results[cuuid] = {"result": result, "tasks": tasks}
        modules: dict[str, str] = {}
        for cuuid, control in controls.items():
            for module in control.kompendium_2023:
                now = results[cuuid]["result"]
                before = modules.get(module, "not_applicable")
                modules[module] = min(now, before, key=_WORST.index)
        hv = hostvars[host]
        hosts[host] = {
            "address": hv.get("ansible_host"),
            "data_centre": hv.get("landkarte_data_centre"),
            "role": hv.get("landkarte_role"),
            "tenants": hv.get("landkarte_tenants", []),
            "state": state,
            "controls": results,
            "kompendium_2023": dict(sorted(modules.items())),
        }
    return {
        "schema": EVIDENCE_SCHEMA,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "plan": dict(plan),
        "run": dict(run),
        "controls": {
            cuuid: {"id": c.id, "title": c.title, "roles": list(c.roles), "kompendium_2023": list(c.kompendium_2023)}
            for cuuid, c in controls.items()
        },
        "hosts": hosts,
    }


def write_evidence(evidence: Mapping, path: Path) -> None:
    """Write atomically (temp file + rename): never a half-written evidence file."""
    atomic_write_text(path, json.dumps(evidence, ensure_ascii=False, indent=2, sort_keys=True) + "\n")

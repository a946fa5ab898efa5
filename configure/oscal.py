"""BSI IT-Grundschutz++ in OSCAL: component definitions of the roles, assessment results of a run.

Each role declares in ``meta/controls.yml`` which Grundschutz++ Kernel controls it implements,
by the catalogue's stable ``alt-identifier`` UUID, with the tasks that implement each control
and the tasks that verify it (``verified_by``). :func:`component_definition` turns that, the
Kernel catalogue and BSI's 2023 → Grundschutz++ crosswalk into an OSCAL component definition,
shipped beside it as ``meta/oscal-component-definition.json`` (controls referenced as
``"_" + uuid``, like BSI's own component definitions). At run time :func:`load_controls` reads
the shipped component definitions only; the catalogue is needed to (re)generate them::

    python -m configure.oscal components [--catalogue DIR]

:func:`assessment_results` turns an evidence document (:mod:`configure.evidence`) into OSCAL
assessment results: one observation per host (the host as subject, the evidence file's SHA-256
as relevant evidence), one finding per control and host. :func:`controls_failed_per_data_centre`
reads them back (for the board report's Rechenzentren/Risiken sections).

Example
-------
>>> control_id("025c298a-7c8d-441d-b9d5-a1422556c6e1")
'_025c298a-7c8d-441d-b9d5-a1422556c6e1'
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from common.fsio import atomic_write_text
from common.jsonfile import read_json

__all__ = [
    "CATALOGUE_DIR_ENV",
    "COMPONENT_FILE",
    "Control",
    "assessment_results",
    "component_definition",
    "control_id",
    "controls_failed_per_data_centre",
    "load_controls",
    "write_assessment_results",
]

OSCAL_VERSION = "1.1.2"
COMPONENT_FILE = "oscal-component-definition.json"
CONTROLS_FILE = "controls.yml"
CATALOGUE_DIR_ENV = "LANDKARTE_GRUNDSCHUTZ_DIR"
DEFAULT_CATALOGUE_DIR = Path("/work/shared/data/bsi-grundschutz-plusplus")
KERNEL = "BSI-Stand-der-Technik-Kernel-catalog.json"
CROSSWALK = "ITGS-to-GS++-mapping_collection.json"
CATALOGUE_HREF = ("https://github.com/BSI-Bund/Stand-der-Technik-Bibliothek/blob/main/"
                  "Stand-der-Technik-Kernel/BSI-Stand-der-Technik-Kernel-catalog.json")
NS = "https://landkarte.egov-saar.example/ns/oscal"
"""Namespace of Landkarte's own OSCAL props."""
_NAMESPACE_UUID = uuid.UUID("6b3f3c1e-5d7a-4c55-9d57-2f1f3f9b0a11")

RESULT_STATES = ("passed", "failed", "unreachable", "not_applicable", "not_checked")
"""Per host and control. ``unreachable`` is not ``failed``: the host was not assessed."""


def control_id(control_uuid: str) -> str:
    """The OSCAL control-id of a Grundschutz++ control (BSI's convention: ``_`` + alt-identifier)."""
    return "_" + control_uuid


def _uuid(*parts: str) -> str:
    """A stable UUID (v5) for generated documents, so regenerating gives the same file."""
    return str(uuid.uuid5(_NAMESPACE_UUID, "/".join(parts)))


@dataclass(frozen=True)
class Control:
    """One Grundschutz++ control as the roles implement it (from the shipped component definitions)."""

    uuid: str
    id: str
    """Human id in the catalogue release the definitions were generated from (e.g. ``KONF.4.3``)."""
    title: str
    roles: tuple[str, ...]
    tasks: tuple[tuple[str, str], ...]
    """``(role, task name)`` of every task implementing it."""
    verified_by: tuple[tuple[str, str], ...]
    kompendium_2023: tuple[str, ...]
    """IT-Grundschutz-Kompendium 2023 modules that BSI's crosswalk maps onto this control."""


# --------------------------------------------------------------------------- component definitions


def _catalogue_dir(path: Path | None) -> Path:
    return path or Path(os.environ.get(CATALOGUE_DIR_ENV) or DEFAULT_CATALOGUE_DIR)


def read_catalogue(directory: Path | None = None) -> dict[str, dict]:
    """The Kernel controls by alt-identifier: ``{uuid: {"id", "title", "statement"}}``."""
    data = read_json(_catalogue_dir(directory) / KERNEL)
    controls: dict[str, dict] = {}

    def walk(node: Mapping) -> None:
        for control in node.get("controls", ()):
            alt = next((p["value"] for p in control.get("props", ()) if p["name"] == "alt-identifier"), None)
            statement = next((p.get("prose", "") for p in control.get("parts", ()) if p.get("name") == "statement"), "")
            if alt:
                controls[alt] = {"id": control["id"], "title": control["title"], "statement": statement}
            walk(control)
        for group in node.get("groups", ()):
            walk(group)

    walk(data["catalog"])
    return controls


def read_crosswalk(directory: Path | None = None) -> dict[str, tuple[str, ...]]:
    """BSI's crosswalk: Grundschutz++ control UUID → the 2023 Kompendium modules mapped onto it."""
    data = read_json(_catalogue_dir(directory) / CROSSWALK)
    modules: dict[str, set[str]] = {}
    for mapping in data["mapping-collection"]["mappings"]:
        for m in mapping.get("maps", ()):
            props = {p["name"]: p["value"] for p in m.get("props", ())}
            target, source = props.get("oscal_uuid"), props.get("itgs_id", "")
            if target and ".A" in source:
                modules.setdefault(target, set()).add(source.split(".A")[0])
    return {k: tuple(sorted(v)) for k, v in modules.items()}


def role_controls(role_dir: Path) -> dict:
    """A role's ``meta/controls.yml`` (component title/description, controls with tasks)."""
    return yaml.safe_load((role_dir / "meta" / CONTROLS_FILE).read_text(encoding="utf-8"))


def component_definition(role_dir: Path, catalogue: Mapping[str, dict],
                         crosswalk: Mapping[str, tuple[str, ...]]) -> dict:
    """The OSCAL component definition of one role.

    Raises
    ------
    ValueError
        A control UUID is not in the catalogue, its id does not match, or a task is not in the role.
    """
    role = role_dir.name
    spec = role_controls(role_dir)
    task_names = _role_task_names(role_dir)
    problems = []
    requirements = []
    for i, c in enumerate(spec["controls"]):
        where = f"{role_dir / 'meta' / CONTROLS_FILE}: controls[{i}]"
        entry = catalogue.get(c["uuid"])
        if entry is None:
            problems.append(f"{where}.uuid: {c['uuid']} is not a control of the Kernel catalogue")
            continue
        if entry["id"] != c["id"]:
            problems.append(f"{where}.id: {c['id']} but the catalogue calls {c['uuid']} {entry['id']}")
        for key in ("tasks", "verified_by"):
            problems += [f"{where}.{key}: no task {t!r} in role {role}" for t in c[key] if t not in task_names]
        problems += [f"{where}.verified_by: {t!r} is not one of its tasks" for t in c["verified_by"]
                     if t not in c["tasks"]]
        props = [{"name": "control-human-id", "ns": NS, "value": entry["id"]},
                 {"name": "control-title", "ns": NS, "value": entry["title"]}]
        props += [{"name": "task", "ns": NS, "value": t, "class": "verified-by" if t in c["verified_by"] else "implements"}
                  for t in c["tasks"]]
        props += [{"name": "kompendium-2023-module", "ns": NS, "value": m} for m in crosswalk.get(c["uuid"], ())]
        requirements.append({
            "uuid": _uuid("requirement", role, c["uuid"]),
            "control-id": control_id(c["uuid"]),
            "description": c["description"],
            "props": props,
        })
    if problems:
        raise ValueError("\n".join(problems))
    return {"component-definition": {
        "uuid": _uuid("component-definition", role),
        "metadata": {
            "title": f"Landkarte: Ansible-Rolle {role} (IT-Grundschutz++)",
            "last-modified": "2026-12-05T00:00:00+00:00",
            "version": "1",
            "oscal-version": OSCAL_VERSION,
            "remarks": ("Controls aus dem Grundschutz++-Kernel-Katalog des BSI (Stand-der-Technik-Bibliothek, "
                        "CC BY-SA 4.0), referenziert über ihren alt-identifier; Zuordnung zu Kompendium-2023-"
                        "Bausteinen nach dem Crosswalk des BSI (Entwurf)."),
        },
        "components": [{
            "uuid": _uuid("component", role),
            "type": "software",
            "title": spec["component"]["title"],
            "description": spec["component"]["description"],
            "props": [{"name": "ansible-role", "ns": NS, "value": role}],
            "control-implementations": [{
                "uuid": _uuid("implementation", role),
                "source": CATALOGUE_HREF,
                "description": f"Tasks der Rolle {role}, die die Controls umsetzen und prüfen.",
                "implemented-requirements": requirements,
            }],
        }],
    }}


def _role_task_names(role_dir: Path) -> set[str]:
    names: set[str] = set()
    for path in [*role_dir.glob("tasks/*.yml"), *role_dir.glob("handlers/*.yml")]:
        for task in yaml.safe_load(path.read_text(encoding="utf-8")) or ():
            if isinstance(task, dict) and "name" in task:
                names.add(task["name"])
    return names


def write_component_definitions(playbook_dir: Path, catalogue_dir: Path | None = None) -> list[Path]:
    """(Re)generate ``meta/oscal-component-definition.json`` of every role that has ``meta/controls.yml``."""
    catalogue, crosswalk = read_catalogue(catalogue_dir), read_crosswalk(catalogue_dir)
    written = []
    for role_dir in sorted(p.parent.parent for p in playbook_dir.glob(f"roles/*/meta/{CONTROLS_FILE}")):
        doc = component_definition(role_dir, catalogue, crosswalk)
        path = role_dir / "meta" / COMPONENT_FILE
        atomic_write_text(path, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
        written.append(path)
    return written


def load_controls(playbook_dir: Path) -> dict[str, Control]:
    """Every control the roles implement, from the shipped component definitions, by UUID."""
    merged: dict[str, dict] = {}
    for path in sorted(playbook_dir.glob(f"roles/*/meta/{COMPONENT_FILE}")):
        doc = read_json(path)["component-definition"]
        for component in doc["components"]:
            role = next(p["value"] for p in component["props"] if p["name"] == "ansible-role")
            for impl in component["control-implementations"]:
                for req in impl["implemented-requirements"]:
                    cuuid = req["control-id"].removeprefix("_")
                    props = req["props"]
                    one = {p["name"]: p["value"] for p in props}
                    entry = merged.setdefault(cuuid, {"id": one["control-human-id"], "title": one["control-title"],
                                                      "roles": [], "tasks": [], "verified_by": [], "modules": set()})
                    entry["roles"].append(role)
                    for p in props:
                        if p["name"] == "task":
                            entry["tasks"].append((role, p["value"]))
                            if p.get("class") == "verified-by":
                                entry["verified_by"].append((role, p["value"]))
                        elif p["name"] == "kompendium-2023-module":
                            entry["modules"].add(p["value"])
    return {
        k: Control(uuid=k, id=v["id"], title=v["title"], roles=tuple(sorted(set(v["roles"]))), tasks=tuple(v["tasks"]),
                   verified_by=tuple(v["verified_by"]), kompendium_2023=tuple(sorted(v["modules"])))
        for k, v in sorted(merged.items(), key=lambda kv: kv[1]["id"])
    }


# --------------------------------------------------------------------------- assessment results

_STATE = {"passed": ("satisfied", "pass"), "failed": ("not-satisfied", "fail")}


def assessment_results(evidence: Mapping, *, evidence_href: str, evidence_sha256: str) -> dict:
    """OSCAL assessment results of one configure run, from its evidence document.

    One observation per host (subject: the host as an inventory item; relevant evidence: the
    evidence file with its SHA-256 in the back matter) and one finding per control and host
    that applies (``not_applicable`` gets none). ``passed`` → satisfied/pass, ``failed`` →
    not-satisfied/fail; ``unreachable`` and ``not_checked`` → not-satisfied/other, with the
    Landkarte result as a prop, so an unreachable host never reads as a failed control.
    """
    run = evidence["run"]
    run_id = str(run.get("id") or _uuid("run", str(run.get("started"))))
    started = run.get("started") or evidence["generated"]
    ended = evidence["generated"]
    resource_uuid = _uuid("evidence", run_id)
    items, observations, findings = [], [], []
    for host, h in sorted(evidence["hosts"].items()):
        item_uuid = _uuid("host", host)
        items.append({
            "uuid": item_uuid,
            "description": f"VM {host} ({h.get('role')}) im Rechenzentrum {h.get('data_centre')}",
            "props": [{"name": "fqdn", "value": host},
                      *([{"name": "ipv4-address", "value": h["address"]}] if h.get("address") else []),
                      {"name": "data-centre", "ns": NS, "value": str(h.get("data_centre"))},
                      {"name": "host-state", "ns": NS, "value": h["state"]}],
        })
        obs_uuid = _uuid("observation", run_id, host)
        observations.append({
            "uuid": obs_uuid,
            "title": f"Ansible-Lauf auf {host}",
            "description": f"Ergebnisse der Tasks auf {host} ({h['state']}).",
            "methods": ["TEST"],
            "types": ["finding"],
            "subjects": [{"subject-uuid": item_uuid, "type": "inventory-item", "title": host}],
            "relevant-evidence": [{"href": f"#{resource_uuid}",
                                   "description": "Evidence-Datei des Laufs (JSON, SHA-256 in back-matter)"}],
            "collected": ended,
        })
        for cuuid, c in sorted(h["controls"].items()):
            result = c["result"]
            if result == "not_applicable":
                continue
            state, reason = _STATE.get(result, ("not-satisfied", "other"))
            control = evidence["controls"][cuuid]
            tasks = "; ".join(f"{t['role']}: {t['task']} → {t['result']}" for t in c["tasks"]) or "keine Tasks gelaufen"
            findings.append({
                "uuid": _uuid("finding", run_id, host, cuuid),
                "title": f"{control['id']} {control['title']} auf {host}",
                "description": f"Ergebnis {result}. {tasks}"[:4000],
                "props": [{"name": "result", "ns": NS, "value": result},
                          {"name": "host", "ns": NS, "value": host},
                          {"name": "data-centre", "ns": NS, "value": str(h.get("data_centre"))},
                          {"name": "control-human-id", "ns": NS, "value": control["id"]}],
                "target": {"type": "statement-id", "target-id": f"{control_id(cuuid)}_stm",
                           "status": {"state": state, "reason": reason}},
                "related-observations": [{"observation-uuid": obs_uuid}],
            })
    controls = sorted(evidence["controls"])
    return {"assessment-results": {
        "uuid": _uuid("assessment-results", run_id),
        "metadata": {
            "title": "Landkarte: Nachweis der Härtung (IT-Grundschutz++)",
            "last-modified": ended,
            "version": run_id,
            "oscal-version": OSCAL_VERSION,
            "remarks": "Erzeugt von landkarte configure; Controls aus dem Grundschutz++-Kernel des BSI (CC BY-SA 4.0).",
        },
        # The schema requires an assessment plan; Landkarte's plan is the playbook run itself.
        "import-ap": {"href": f"#{_uuid('assessment-plan', run_id)}"},
        "results": [{
            "uuid": _uuid("result", run_id),
            "title": "Ansible-Lauf " + ("(Prüfmodus)" if run.get("check_mode") else "(Anwendung)"),
            "description": (f"Status {run.get('status')}, rc {run.get('rc')}; Plan {evidence['plan'].get('scenario_id')}"
                            f" ({evidence['plan'].get('inventory_hash', '')[:12]})."),
            "start": started,
            "end": ended,
            "local-definitions": {"inventory-items": items} if items else {},
            "reviewed-controls": {"control-selections": [
                {"include-controls": [{"control-id": control_id(c)} for c in controls]} if controls
                else {"include-all": {}}]},
            **({"observations": observations} if observations else {}),
            **({"findings": findings} if findings else {}),
        }],
        "back-matter": {"resources": [
            {"uuid": resource_uuid, "title": "Evidence-Datei", "rlinks": [
                {"href": evidence_href, "media-type": "application/json",
                 "hashes": [{"algorithm": "SHA-256", "value": evidence_sha256}]}]},
            {"uuid": _uuid("assessment-plan", run_id), "title": "Assessment plan: playbooks/site.yml",
             "description": "Der Lauf von playbooks/site.yml mit den Rollen und ihren Component Definitions."},
        ]},
    }}


def write_assessment_results(evidence: Mapping, evidence_path: Path, out: Path | None = None) -> Path:
    """Write the assessment results beside the evidence file (``<stem>.oscal.json``), atomically."""
    digest = hashlib.sha256(evidence_path.read_bytes()).hexdigest()
    out = out or evidence_path.with_name(evidence_path.stem + ".oscal.json")
    doc = assessment_results(evidence, evidence_href=evidence_path.name, evidence_sha256=digest)
    atomic_write_text(out, json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    return out


def controls_failed_per_data_centre(document: Mapping | Path) -> dict[str, list[dict]]:
    """Failed controls per data centre from OSCAL assessment results (what the board report reads).

    Returns ``{data centre: [{"control": "KONF.4.3", "uuid": ..., "title": ..., "hosts": [...]}, ...]}``,
    sorted; ``unreachable`` and ``not_checked`` findings are not failures and are not listed.
    """
    if isinstance(document, Path):
        document = read_json(document)
    failed: dict[str, dict[str, dict]] = {}
    for result in document["assessment-results"]["results"]:
        for finding in result.get("findings", ()):
            props = {p["name"]: p["value"] for p in finding.get("props", ()) if p.get("ns") == NS}
            if props.get("result") != "failed":
                continue
            cuuid = finding["target"]["target-id"].removeprefix("_").removesuffix("_stm")
            entry = failed.setdefault(props["data-centre"], {}).setdefault(cuuid, {
                "control": props.get("control-human-id", ""), "uuid": cuuid,
                "title": finding["title"].split(" auf ")[0], "hosts": []})
            entry["hosts"].append(props["host"])
    return {dc: sorted(({**e, "hosts": sorted(e["hosts"])} for e in by.values()), key=lambda e: e["control"])
            for dc, by in sorted(failed.items())}


def _main(argv: Iterable[str]) -> int:
    args = list(argv)
    if not args or args[0] != "components":
        print("usage: python -m configure.oscal components [--catalogue DIR]", file=sys.stderr)
        return 2
    directory = Path(args[args.index("--catalogue") + 1]) if "--catalogue" in args else None
    from configure.runner import PLAYBOOK_DIR

    for path in write_component_definitions(PLAYBOOK_DIR, directory):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(sys.argv[1:]))

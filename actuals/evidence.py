"""The evidence of ``landkarte configure`` as actuals: which target instances' hosts are hardened and verified.

``landkarte configure`` writes OSCAL assessment results (``*.oscal-ar.json``): per host (a planned VM of
the plan, by id) its state (``converged``, ``failed``, ``unreachable``, ``not_checked``) and per BSI
control a finding with its result. A host is **verified** when its run converged and every control that
applies to it passed (none failed, none unreachable or not checked). A target instance of the plan is
verified when every planned VM of it is; such a file is evidence for its milestone (``live.<domain>``) —
recorded in a progress file as ``kind: evidence_file`` with its SHA-256 (:func:`evidence_record`).

Only the JSON is read (no import of :mod:`configure`); the prop names are those
:func:`configure.oscal.assessment_results` writes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common.errors import Issue
from common.jsonfile import JsonFileError, read_json

from .errors import ActualsError

if TYPE_CHECKING:
    from plan.models import Plan

__all__ = ["HostAssessment", "TargetVerification", "evidence_record", "read_assessment", "verify_targets"]


@dataclass(frozen=True)
class HostAssessment:
    """One host of a ``configure`` run and its control results."""

    host: str
    data_centre: str
    state: str
    results: Mapping[str, int]
    """Result (passed, failed, unreachable, not_checked, not_applicable) → number of controls."""

    @property
    def verified(self) -> bool:
        """Hardened and verified: the run converged and every applicable control passed."""
        bad = sum(self.results.get(k, 0) for k in ("failed", "unreachable", "not_checked"))
        return self.state == "converged" and bad == 0 and self.results.get("passed", 0) > 0


@dataclass(frozen=True)
class TargetVerification:
    """A target instance of the plan and what the assessment says of its planned VMs."""

    target: str
    verified: tuple[str, ...]
    not_verified: tuple[str, ...]
    missing: tuple[str, ...]
    """Planned VMs of the target the assessment does not name."""

    @property
    def complete(self) -> bool:
        return bool(self.verified) and not self.not_verified and not self.missing


def _props(item: Mapping[str, Any]) -> dict[str, str]:
    return {p.get("name"): p.get("value") for p in item.get("props", ()) if isinstance(p, Mapping)}


def read_assessment(path: str | Path) -> tuple[dict[str, HostAssessment], dt.date | None]:
    """The hosts of an OSCAL assessment-results file and the day the run ended.

    Raises
    ------
    ActualsError
        The file cannot be read or is not OSCAL assessment results (naming the file and what is missing).
    """
    path = Path(path)
    try:
        doc = read_json(path)
    except JsonFileError as exc:
        raise ActualsError([Issue(str(path), None, None, (), f"cannot read: {exc.problem}" if exc.unreadable
                                  else exc.problem)]) from None
    try:
        results = doc["assessment-results"]["results"]
    except (KeyError, TypeError):
        raise ActualsError([Issue(str(path), None, None, (), "not OSCAL assessment results of landkarte configure "
                                  "(no assessment-results.results)")]) from None
    hosts: dict[str, dict[str, Any]] = {}
    ended: dt.date | None = None
    for result in results:
        end = result.get("end")
        if isinstance(end, str):
            try:
                day = dt.datetime.fromisoformat(end).date()
                ended = max(ended, day) if ended else day
            except ValueError:
                pass
        for item in result.get("local-definitions", {}).get("inventory-items", ()):
            props = _props(item)
            name = props.get("fqdn")
            if name:
                hosts.setdefault(name, {"dc": props.get("data-centre", ""), "state": props.get("host-state", ""),
                                        "results": {}})
        for finding in result.get("findings", ()):
            props = _props(finding)
            host = props.get("host")
            if not host:
                continue
            h = hosts.setdefault(host, {"dc": props.get("data-centre", ""), "state": "", "results": {}})
            r = props.get("result", "not_checked")
            h["results"][r] = h["results"].get(r, 0) + 1
    return ({k: HostAssessment(k, v["dc"], v["state"], dict(v["results"])) for k, v in sorted(hosts.items())},
            ended)


def verify_targets(plan: Plan, hosts: Mapping[str, HostAssessment]) -> list[TargetVerification]:
    """Per target instance of ``plan`` that the assessment touches: which of its planned VMs are verified."""
    by_target: dict[str, list[str]] = {}
    for vm in plan.vms:
        by_target.setdefault(vm.target, []).append(vm.id)
    out = []
    for target, vms in sorted(by_target.items()):
        if not any(v in hosts for v in vms):
            continue
        out.append(TargetVerification(
            target=target,
            verified=tuple(sorted(v for v in vms if v in hosts and hosts[v].verified)),
            not_verified=tuple(sorted(v for v in vms if v in hosts and not hosts[v].verified)),
            missing=tuple(sorted(v for v in vms if v not in hosts))))
    return out


def evidence_record(path: str | Path, progress_folder: str | Path) -> dict[str, str]:
    """The ``evidence`` entry of a progress file for the file ``path`` (inside ``progress_folder``).

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); (d / "ev").mkdir(); _ = (d / "ev" / "a.json").write_text("{}")
    >>> evidence_record(d / "ev" / "a.json", d)["ref"]
    'ev/a.json'
    """
    path, folder = Path(path).resolve(), Path(progress_folder).resolve()
    try:
        ref = path.relative_to(folder).as_posix()
    except ValueError:
        raise ActualsError([Issue(str(path), None, None, (), f"must lie inside the progress folder {folder} "
                                  "(copy it there, so it is reviewed in git beside the progress files)")]) from None
    return {"kind": "evidence_file", "ref": ref, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}

"""NetBox → actuals: what the people doing the work keep in NetBox — the progress per system and the day each
planned VM went into production.

Each organisation's tenant has the JSON custom field ``landkarte_progress``, a mapping of the tenant's
system ids to their progress in the format of a progress file's ``systems`` entries (without ``system``)::

    {"bous.e-mail-groupware": {"status": "migrated", "date": "2027-02-15"},
     "bous.einwohnermeldewesen": {"status": "postponed", "reason": "Wahl", "not_before": "2027-10-01"}}

Each planned VM that ``push --plan`` wrote (key ``plan/vm/…``; its ``landkarte_record`` names its target
instance) has the date custom field ``landkarte_live``: the day it went into production. A target instance is
live on day D when every one of its planned VMs in NetBox carries a day, D the latest of them; partly live
(some VMs dated, others not) is not live (:class:`TargetInNetBox`).

Landkarte creates both fields on the first push but never writes or compares them (a push leaves them as
NetBox has them). :func:`actuals_from_state` reads them strictly — the progress with the model of the
progress files (:class:`actuals.models.SystemProgress`), so what it cannot represent is an error naming the
tenant, the system and the value; a go-live value that is not a day is an error naming the VM and the value.
:func:`progress_differences` and :func:`target_differences` compare them with recorded actuals — differences
are reported, never merged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from actuals.models import Day, SystemProgress, TargetLive
from common.errors import format_loc

from .endpoints import CF_LIVE, CF_PROGRESS, CF_RECORD, CF_SYSTEMS
from .errors import InvalidProgress
from .state import PLAN_PREFIX, State, is_managed, key_of

__all__ = [
    "PROGRESS_ENDPOINTS",
    "NetBoxActuals",
    "ProgressDifference",
    "TargetDifference",
    "TargetInNetBox",
    "actuals_from_state",
    "progress_differences",
    "progress_from_state",
    "target_differences",
    "targets_from_state",
]

_VMS = "virtualization.virtual-machines"
PROGRESS_ENDPOINTS = ("tenancy.tenants", _VMS)
_PLANNED_VM = f"{PLAN_PREFIX}vm/"
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DAY: TypeAdapter[dt.date] = TypeAdapter(Day)


@dataclass(frozen=True)
class TargetInNetBox:
    """A target instance of the pushed plan as NetBox has it: its planned VMs and their go-live days.

    >>> t = TargetInNetBox("t.mail", ("mail-app1", "mail-db1"), (("mail-app1", dt.date(2027, 5, 2)),))
    >>> t.live_day, t.partly_live, t.not_live
    (None, True, ('mail-db1',))
    """

    target: str
    vms: tuple[str, ...]
    """Names of its planned VMs in NetBox, sorted."""
    live: tuple[tuple[str, dt.date], ...] = ()
    """(name, day) of the VMs that carry a go-live day (``landkarte_live``), by name."""

    @property
    def live_day(self) -> dt.date | None:
        """The day it went live: the latest of its VMs' days when every one has a day; else None."""
        if self.vms and len(self.live) == len(self.vms):
            return max(day for _, day in self.live)
        return None

    @property
    def partly_live(self) -> bool:
        """Some of its VMs have a go-live day, others not: not live."""
        return 0 < len(self.live) < len(self.vms)

    @property
    def not_live(self) -> tuple[str, ...]:
        """Names of its VMs without a go-live day."""
        dated = {name for name, _ in self.live}
        return tuple(name for name in self.vms if name not in dated)


@dataclass(frozen=True)
class NetBoxActuals:
    """Everything NetBox says about what happened: progress per system and the plan's target instances."""

    systems: dict[str, SystemProgress]
    """System id → its progress (``landkarte_progress`` of the tenants)."""
    targets: dict[str, TargetInNetBox]
    """Target-instance id → its planned VMs in NetBox and their go-live days."""

    def live_targets(self) -> dict[str, TargetLive]:
        """The target instances that are live (every planned VM has a day), with the day, by id."""
        return {t: TargetLive(target=t, live=x.live_day) for t, x in self.targets.items() if x.live_day is not None}

    def partly_live(self) -> list[TargetInNetBox]:
        """The target instances some of whose VMs have a go-live day and others not, by id."""
        return [x for _, x in sorted(self.targets.items()) if x.partly_live]


def actuals_from_state(state: State) -> NetBoxActuals:
    """The progress per system and the target instances' go-live days, read from Landkarte's tenants and
    planned VMs.

    Raises
    ------
    InvalidProgress
        With every value of either that the actuals cannot represent, each naming its tenant and system, or
        its VM.
    """
    problems: list[str] = []
    systems: dict[str, SystemProgress] = {}
    targets: dict[str, TargetInNetBox] = {}
    try:
        systems = progress_from_state(state)
    except InvalidProgress as exc:
        problems += exc.problems
    try:
        targets = targets_from_state(state)
    except InvalidProgress as exc:
        problems += exc.problems
    if problems:
        raise InvalidProgress(problems)
    return NetBoxActuals(systems, targets)


def targets_from_state(state: State) -> dict[str, TargetInNetBox]:
    """Target-instance id → its planned VMs in NetBox (Landkarte's ``plan/vm/…``) and their go-live days.

    Raises
    ------
    InvalidProgress
        With every ``landkarte_live`` value that is not a day, naming the VM and the value.
    """
    names: dict[str, list[str]] = {}
    live: dict[str, list[tuple[str, dt.date]]] = {}
    problems: list[str] = []
    for obj in sorted(state.objects.get(_VMS, []), key=lambda o: o["id"]):
        key = key_of(_VMS, obj)
        if not key or not is_managed(obj) or not key.startswith(_PLANNED_VM):
            continue  # the inventory's VMs and others' are not the plan's
        cfs = obj.get("custom_fields") or {}
        name = str(obj.get("name"))
        where = f"virtual machine {name!r} ({key}): {CF_LIVE}"
        record = cfs.get(CF_RECORD)
        target = record.get("target") if isinstance(record, dict) else None
        value = cfs.get(CF_LIVE)
        if not isinstance(target, str) or not target:
            if value not in (None, ""):
                problems.append(f"{where}: the VM names no target instance in {CF_RECORD} (push the plan again)")
            continue
        names.setdefault(target, []).append(name)
        if value in (None, ""):
            continue
        try:
            if not isinstance(value, str) or not _ISO_DAY.match(value):
                raise ValueError
            day = _DAY.validate_python(value)
        except (ValueError, ValidationError):
            problems.append(f"{where}: {value!r} is not a day (YYYY-MM-DD between 1950 and 2100)")
            continue
        live.setdefault(target, []).append((name, day))
    if problems:
        raise InvalidProgress(problems)
    return {t: TargetInNetBox(t, tuple(sorted(vms)), tuple(sorted(live.get(t, ()))))
            for t, vms in sorted(names.items())}


def progress_from_state(state: State) -> dict[str, SystemProgress]:
    """System id → its progress, from the ``landkarte_progress`` field of Landkarte's tenants.

    Raises
    ------
    InvalidProgress
        With every value that is not valid progress (not a mapping, an unknown status, a missing date or
        reason, a system the tenant does not have), each naming the tenant and the system.
    """
    out: dict[str, SystemProgress] = {}
    problems: list[str] = []
    for obj in sorted(state.objects.get("tenancy.tenants", []), key=lambda o: o["id"]):
        key = key_of("tenancy.tenants", obj)
        if not key or not is_managed(obj) or key.startswith(PLAN_PREFIX):
            continue
        cfs = obj.get("custom_fields") or {}
        value = cfs.get(CF_PROGRESS)
        if value in (None, {}, ""):
            continue
        where = f"tenant {obj.get('name')!r} ({key}): {CF_PROGRESS}"
        if not isinstance(value, dict):
            problems.append(f"{where}: must be a JSON object of system id → progress, not {type(value).__name__}")
            continue
        own = {s.get("id") for s in (cfs.get(CF_SYSTEMS) or []) if isinstance(s, dict)}
        for sid, rec in sorted(value.items()):
            if sid not in own:
                problems.append(f"{where}[{sid!r}]: the tenant has no system {sid!r}")
                continue
            if not isinstance(rec, dict):
                problems.append(f"{where}[{sid!r}]: must be a JSON object (status, date, …)")
                continue
            try:
                out[sid] = SystemProgress.model_validate({**rec, "system": sid})
            except ValidationError as exc:
                for err in exc.errors(include_url=False):
                    loc = format_loc(tuple(err["loc"]))
                    problems.append(f"{where}[{sid!r}]{'.' + loc if loc else ''}: {_message(err)}")
    if problems:
        raise InvalidProgress(problems)
    return out


def _message(err: dict[str, Any]) -> str:
    from common.yamlfile import validation_message

    return validation_message(err)


@dataclass(frozen=True)
class ProgressDifference:
    """One system whose progress in NetBox differs from the recorded actuals."""

    system: str
    recorded: str
    """The recorded progress in words (``migrated 2027-02-15``), ``–`` when not recorded."""
    netbox: str
    """NetBox's, in the same words, ``–`` when NetBox has none."""


def _words(p: SystemProgress | None) -> str:
    if p is None:
        return "–"
    parts = [p.status]
    if p.date is not None:
        parts.append(p.date.isoformat())
    if p.not_before is not None:
        parts.append(f"not before {p.not_before.isoformat()}")
    return " ".join(parts)


def progress_differences(recorded: dict[str, SystemProgress], netbox: dict[str, SystemProgress]
                         ) -> list[ProgressDifference]:
    """Every system whose status, day or not-before day differs between the two (a reason's wording is not
    compared), by system id.

    >>> from datetime import date
    >>> a = {"x.a": SystemProgress(system="x.a", status="migrated", date=date(2027, 2, 1))}
    >>> b = {"x.a": SystemProgress(system="x.a", status="in_progress", date=date(2027, 1, 5))}
    >>> progress_differences(a, b)
    [ProgressDifference(system='x.a', recorded='migrated 2027-02-01', netbox='in_progress 2027-01-05')]
    """
    out = []
    for sid in sorted(recorded.keys() | netbox.keys()):
        r, n = recorded.get(sid), netbox.get(sid)
        if _words(r) != _words(n):
            out.append(ProgressDifference(sid, _words(r), _words(n)))
    return out


@dataclass(frozen=True)
class TargetDifference:
    """One target instance whose go-live day differs between the recorded actuals and NetBox."""

    target: str
    recorded: dt.date | None
    """The recorded day it went live, None when not recorded."""
    netbox: dt.date | None
    """NetBox's day (every planned VM has one), None when it is not live there."""
    live_vms: int
    """Its planned VMs in NetBox that have a go-live day."""
    vms: int
    """Its planned VMs in NetBox."""


def target_differences(recorded: Mapping[str, TargetLive], netbox: Mapping[str, TargetInNetBox]
                       ) -> list[TargetDifference]:
    """Every target instance whose live day differs between the two, by id. A recorded target that NetBox has no
    planned VM of is not compared (NetBox cannot tell; the plan was not pushed or has another target).

    >>> rec = {"t.mail": TargetLive(target="t.mail", live=dt.date(2027, 5, 2))}
    >>> nb = {"t.mail": TargetInNetBox("t.mail", ("a", "b"), (("a", dt.date(2027, 5, 2)),))}
    >>> target_differences(rec, nb)
    [TargetDifference(target='t.mail', recorded=datetime.date(2027, 5, 2), netbox=None, live_vms=1, vms=2)]
    """
    out = []
    for tid in sorted(netbox):
        nb, rec = netbox[tid], recorded.get(tid)
        day = rec.live if rec is not None else None
        if day != nb.live_day:
            out.append(TargetDifference(tid, day, nb.live_day, len(nb.live), len(nb.vms)))
    return out

"""NetBox → actuals: the progress per system that the people doing the work keep in NetBox.

Each organisation's tenant has the JSON custom field ``landkarte_progress``, a mapping of the tenant's
system ids to their progress in the format of a progress file's ``systems`` entries (without ``system``)::

    {"bous.e-mail-groupware": {"status": "migrated", "date": "2027-02-15"},
     "bous.einwohnermeldewesen": {"status": "postponed", "reason": "Wahl", "not_before": "2027-10-01"}}

Landkarte creates the field on the first push but never writes or compares it (a push leaves it as NetBox
has it). :func:`progress_from_state` reads it with the same strict model as the progress files
(:class:`actuals.models.SystemProgress`), so what it cannot represent is an error naming the tenant, the
system and the value; :func:`progress_differences` compares it with recorded actuals — differences are
reported, never merged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from actuals.models import SystemProgress
from common.errors import format_loc

from .endpoints import CF_PROGRESS, CF_SYSTEMS
from .errors import InvalidProgress
from .state import PLAN_PREFIX, State, is_managed, key_of

__all__ = ["PROGRESS_ENDPOINTS", "ProgressDifference", "progress_differences", "progress_from_state"]

PROGRESS_ENDPOINTS = ("tenancy.tenants",)


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

"""The actuals models: one progress file (:class:`ActualsFile`) and the merged view (:class:`Actuals`).

A progress file reports what happened up to its ``reported`` day (convention: one file per board
meeting, ``progress/2027-Q1.yaml``)::

    schema: 1
    reported: 2027-03-31
    systems:
      - system: bous.e-mail-groupware
        status: migrated          # migrated | in_progress | postponed
        date: 2027-02-15          # migrated: cut-over day; in_progress: day work started
    targets:
      - target: e-mail-groupware.open-xchange.dc-saarbruecken
        live: 2027-01-10
    milestones:
      - milestone: live.e-mail-groupware
        delivered: 2027-01-10
        evidence:
          - kind: evidence_file
            ref: evidence/e-mail-groupware.json
            sha256: "…"

Days are ISO (``2027-03-31``) or German (``31.03.2027``). The models are frozen and strict: an
unknown key is an error. Ids are checked against the inventory and the plan by
:func:`actuals.load.load_actuals`, not here.

>>> f = ActualsFile.model_validate({"schema": 1, "reported": "31.03.2027",
...     "systems": [{"system": "bous.ewo", "status": "migrated", "date": "2027-02-15"}]})
>>> f.reported, f.systems[0].status
(datetime.date(2027, 3, 31), 'migrated')
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, PrivateAttr, model_validator

from common.model import StrictModel
from common.types import Date, Id, NonEmptyStr, Text

__all__ = [
    "ACTUALS_SCHEMA_VERSION",
    "Actuals",
    "ActualsFile",
    "Day",
    "Evidence",
    "EvidenceKind",
    "MilestoneDelivered",
    "Status",
    "SystemProgress",
    "TargetLive",
]

ACTUALS_SCHEMA_VERSION = 1
"""The version of the progress-file format (the key ``schema`` of every file)."""

_GERMAN_DAY = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")


def _german_day(value: object) -> object:
    """``"31.03.2027"`` → ``date(2027, 3, 31)``; anything else is left to pydantic's date parsing."""
    if isinstance(value, str) and (m := _GERMAN_DAY.match(value)):
        day, month, year = (int(g) for g in m.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"{value.strip()!r} is not a day of the calendar") from None
    return value


Day = Annotated[Date, BeforeValidator(_german_day)]
"""A day, written ``2027-03-31`` or ``31.03.2027``."""

Status = Literal["migrated", "in_progress", "postponed"]
"""migrated: cut over to its target; in_progress: work on the move has started; postponed: put off (with a
reason)."""

EvidenceKind = Literal["netbox", "evidence_file", "stack_output", "document"]

_SHA256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]


class ActualsModel(StrictModel):
    """Base of the actuals models: frozen, strict about keys."""


class Evidence(ActualsModel):
    """One proof that a milestone was delivered."""

    kind: EvidenceKind
    """netbox: an object in NetBox; evidence_file: a file beside the progress files (e.g. the OSCAL
    assessment results of ``landkarte configure``); stack_output: an output of a Pulumi stack;
    document: a document named in words (a protocol, an acceptance letter)."""
    ref: NonEmptyStr
    """netbox: the API path (``virtualization/virtual-machines/123``); evidence_file: the path relative to the
    progress folder; stack_output: ``<stack>:<output>``; document: its name or reference."""
    sha256: _SHA256 | None = None
    """evidence_file: the SHA-256 of the file (lower-case hex), checked when the folder is loaded."""

    @model_validator(mode="after")
    def _kind_rules(self) -> Evidence:
        if self.kind == "evidence_file":
            if self.sha256 is None:
                raise ValueError("an evidence_file needs its sha256 (sha256sum FILE)")
            p = Path(self.ref)
            if p.is_absolute() or ".." in p.parts:
                raise ValueError(f"evidence_file ref {self.ref!r} must be a path inside the progress folder")
        elif self.sha256 is not None:
            raise ValueError(f"sha256 is only for kind evidence_file, not {self.kind}")
        if self.kind == "stack_output" and not re.fullmatch(r"[^:\s]+:[^:\s]+", self.ref):
            raise ValueError(f"stack_output ref {self.ref!r} must be '<stack>:<output>'")
        if self.kind == "netbox" and not re.fullmatch(r"[a-z0-9_-]+/[a-z0-9_-]+/\d+", self.ref.strip("/")):
            raise ValueError(f"netbox ref {self.ref!r} must be an API path like 'virtualization/virtual-machines/123'")
        return self


class SystemProgress(ActualsModel):
    """What happened to one system of the inventory."""

    system: Id
    """The system's id as in the inventory (``<org>.<system>``)."""
    status: Status
    date: Day | None = None
    """migrated: the cut-over day; in_progress: the day work started (both required); postponed: not used."""
    reason: Text | None = None
    """Why (free text, German); required for postponed."""
    not_before: Day | None = None
    """postponed: the earliest day work can continue."""

    @model_validator(mode="after")
    def _status_rules(self) -> SystemProgress:
        if self.status in ("migrated", "in_progress") and self.date is None:
            what = "cut-over day" if self.status == "migrated" else "day work started"
            raise ValueError(f"status {self.status} needs its date (the {what})")
        if self.status == "postponed":
            if not (self.reason or "").strip():
                raise ValueError("status postponed needs a reason")
            if self.date is not None:
                raise ValueError("status postponed takes no date (use not_before for the earliest day to continue)")
        elif self.not_before is not None:
            raise ValueError(f"not_before is only for status postponed, not {self.status}")
        return self


class TargetLive(ActualsModel):
    """A target instance of the plan that went live."""

    target: Id
    """The id as in the plan (``plan.targets[].id``)."""
    live: Day
    """The day it went live."""


class MilestoneDelivered(ActualsModel):
    """A funding milestone of the plan that was delivered."""

    milestone: Id
    """The id as in the plan (``plan.funding[].milestone``)."""
    delivered: Day
    """The day it was delivered."""
    evidence: tuple[Evidence, ...] = ()
    """The proofs; a milestone without valid evidence is not claimable."""
    claimed: Day | None = None
    """The day the money was called off (abgerufen), if it was."""

    @model_validator(mode="after")
    def _claimed_after_delivery(self) -> MilestoneDelivered:
        if self.claimed is not None and self.claimed < self.delivered:
            raise ValueError(f"claimed ({self.claimed}) lies before delivered ({self.delivered})")
        return self


class ActualsFile(ActualsModel):
    """One progress file: what happened up to ``reported``."""

    schema_: Literal[1] = Field(alias="schema")
    """The version of the format: 1."""
    reported: Day
    """The day up to which this file reports; no day in it may lie later."""
    systems: tuple[SystemProgress, ...] = ()
    targets: tuple[TargetLive, ...] = ()
    milestones: tuple[MilestoneDelivered, ...] = ()

    @model_validator(mode="after")
    def _days_reported(self) -> ActualsFile:
        late = [f"{what} {day} of {rid}" for what, rid, day in self._days() if day > self.reported]
        if late:
            raise ValueError(f"reported {self.reported} but it records later days: {', '.join(late[:5])}")
        return self

    def _days(self) -> list[tuple[str, str, dt.date]]:
        out: list[tuple[str, str, dt.date]] = [("date", s.system, s.date) for s in self.systems if s.date]
        out += [("live", t.target, t.live) for t in self.targets]
        out += [("delivered", m.milestone, m.delivered) for m in self.milestones]
        out += [("claimed", m.milestone, m.claimed) for m in self.milestones if m.claimed]
        return out


class Actuals(ActualsModel):
    """The merged view of a progress folder: per id the latest report (the file with the later ``reported``)."""

    systems: dict[str, SystemProgress] = Field(default_factory=dict)
    """System id → its progress."""
    targets: dict[str, TargetLive] = Field(default_factory=dict)
    """Target-instance id → when it went live."""
    milestones: dict[str, MilestoneDelivered] = Field(default_factory=dict)
    """Milestone id → its delivery."""
    reported: dt.date | None = None
    """The latest ``reported`` day of the files (None for an empty folder)."""
    files: tuple[str, ...] = ()
    """The progress files read, by name."""
    folder: Path | None = None
    """The progress folder (evidence_file refs are relative to it)."""
    content_hash: str = ""
    """SHA-256 over the files' names and text (of no bytes for an empty folder): the plan records it as
    ``meta.actuals``."""
    _read: tuple = PrivateAttr(default=())
    """The files as read (name, YAML with positions, model), so that ids known only later (a plan's target
    instances and milestones) are checked against exactly what was loaded, with file and line
    (:func:`actuals.load.check_plan_ids`)."""

    def by_status(self, status: Status) -> dict[str, SystemProgress]:
        """The systems with ``status``, by id.

        >>> Actuals(systems={"a.x": SystemProgress(system="a.x", status="postponed", reason="Personal")}
        ...         ).by_status("postponed").keys()
        dict_keys(['a.x'])
        """
        return {k: v for k, v in self.systems.items() if v.status == status}

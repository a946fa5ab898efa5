"""Funding claims (Leistungsnachweis): which planned funding milestones may be called off, and why not.

The plan's ``funding`` releases are the PLAN ("geplant"): what the scenario's funding rules
(:mod:`consolidation.funding`) promise per milestone in the quarter the plan delivers it. The
actuals (:mod:`actuals.models`) say which milestones were delivered, with what evidence, and
which were called off. :func:`build_claims` joins the two as of a day:

geplant
    In the plan, not (yet) provably delivered: not delivered by the day, delivered later than
    the day, or delivered without valid evidence (then ``blockers`` says why it is not claimable).
nachgewiesen
    Delivered by the day with at least one valid piece of evidence: claimable, not yet called off.
abgerufen
    Nachgewiesen and called off (``claimed``) by the day.

Amounts follow the scenario's rules as the plan applied them: a fixed amount per milestone
(target live, organisation complete, domain complete), and for the per-system rule
(``migriert.<org>.q<n>``: amount per system × systems) the rate times the systems of that
milestone that the actuals report migrated by the day.

Evidence is resolved, not trusted: an evidence file's SHA-256 was checked by
:func:`actuals.load.load_actuals`; a NetBox object and a stack output are looked up through the
callables given (``netbox``, ``stack_output``), and are "not checked" — hence not valid —
without them; a document is named evidence that a person checks (valid, marked as such).

>>> from datetime import date
>>> from plan.models import FundingRelease, Reason
>>> rel = FundingRelease(year=2027, quarter=0, milestone="live.mail", amount=100000,
...                      reason=Reason(kind="target_live", params={"target": "t.mail", "quarter": "2027-Q1"}))
>>> from actuals.models import Actuals, MilestoneDelivered, Evidence
>>> act = Actuals(milestones={"live.mail": MilestoneDelivered(milestone="live.mail", delivered=date(2027, 2, 1),
...     evidence=(Evidence(kind="document", ref="Abnahmeprotokoll 2027-02-01"),))})
>>> c = claims_of((rel,), (), act, as_of=date(2027, 3, 31), start=date(2027, 1, 1)).claims[0]
>>> c.status, c.amount, c.claimable
('nachgewiesen', Decimal('100000'), True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from common.model import StrictModel
from common.types import Id, Money
from plan.calendar import quarter_label, quarter_of, quarter_start
from plan.models import Assignment, FundingRelease, Plan, Reason

from .models import Actuals, Evidence, EvidenceKind, MilestoneDelivered

__all__ = [
    "CLAIMS_SCHEMA_VERSION",
    "Blocker",
    "Claim",
    "ClaimStatus",
    "Claims",
    "ClaimsTotals",
    "NetBoxLookup",
    "ResolvedEvidence",
    "StackOutputLookup",
    "assessment_check",
    "build_claims",
    "claims_of",
]

CLAIMS_SCHEMA_VERSION = 1
"""Version of ``claims.json``."""

ClaimStatus = Literal["geplant", "nachgewiesen", "abgerufen"]
"""geplant: in the plan, not provably delivered; nachgewiesen: delivered with valid evidence, claimable;
abgerufen: nachgewiesen and called off."""

BlockerCode = Literal[
    "not_delivered", "overdue", "delivered_after", "no_evidence", "evidence_invalid", "no_systems",
    "claimed_without_evidence",
]

NetBoxLookup = Callable[[str], "dict[str, Any] | None"]
"""API path (``virtualization/virtual-machines/123``) → the object as a plain dict, None when NetBox has none."""
StackOutputLookup = Callable[[str, str], Any]
"""(stack, output) → the output's value; raises KeyError when the stack has no such output."""
FileCheck = Callable[[str, str], "tuple[bool, str] | None"]
"""(evidence-file ref, milestone) → (valid, what was found), or None when the file's content is not checked
(then its SHA-256 alone counts)."""


class ClaimsModel(StrictModel):
    """Base of the claims models."""


class Blocker(ClaimsModel):
    """Why a milestone is not (yet) claimable, as a message code rendered by ``reports.messages``."""

    code: BlockerCode
    """not_delivered: not delivered, its planned quarter is still running or to come; overdue: its planned
    quarter ended before the day and it is not delivered; delivered_after: delivered only after the day;
    no_evidence: delivered without any evidence; evidence_invalid: no piece of evidence is valid (see the
    evidence's ``problem``); no_systems: per-system milestone, but none of its systems is reported migrated;
    claimed_without_evidence: recorded as called off although it has no valid evidence."""
    params: dict[str, str | int] = Field(default_factory=dict)
    """Values of the message (days ISO, quarters as labels)."""


class ResolvedEvidence(ClaimsModel):
    """One piece of evidence as it was checked."""

    kind: EvidenceKind
    ref: str
    """As recorded in the progress file."""
    valid: bool
    """True when it proves the delivery: a file with the recorded SHA-256, an existing NetBox object, an
    existing stack output, or a named document (checked by a person)."""
    checked: Literal["sha256", "netbox", "stack_output", "person"] | None
    """How it was checked; None when it could not be checked (no NetBox or stack outputs given)."""
    detail: str = ""
    """What was found: the file's SHA-256, the NetBox object's name and status, the output's value."""
    problem: str = ""
    """Why it is not valid (English; the XLSX renders it through ``reports.messages``)."""
    problem_code: Literal["", "not_checked", "not_found", "empty", "not_verified"] = ""
    """not_checked: no NetBox / stack outputs were given to check it; not_found: the object or output does not
    exist; empty: the stack output exists but is empty; not_verified: an assessment of ``landkarte configure``
    that does not verify every planned VM of the milestone's target instance."""


class Claim(ClaimsModel):
    """One funding milestone of the plan, as of the day."""

    milestone: Id
    """As in ``plan.funding[].milestone``."""
    kind: str
    """The milestone's kind: the id up to its first dot (live, abschluss, domaene, migriert)."""
    reason: Reason
    """What the milestone is (from the plan)."""
    description: str | None = None
    """The funding rule's own description from the scenario, if it has one."""
    org: Id | None = None
    """Organisation that receives it; None for milestones of the shared platform."""
    planned_quarter: int
    """Quarter in which the plan delivers it (index from the plan's start)."""
    planned_quarter_label: str
    planned_amount: Money
    """EUR the plan foresees for it (scenario rule applied to the plan)."""
    amount: Money
    """EUR under the scenario's rule for what was delivered: planned_amount for a fixed-amount milestone; for a
    per-system milestone the rate × systems reported migrated by the day; 0 while not nachgewiesen."""
    rule: str
    """How the amount follows from the scenario's rule (English key: fixed | per_system)."""
    rate: Money | None = None
    """per_system: EUR per system migrated."""
    systems_planned: int | None = None
    """per_system: systems of the milestone in the plan."""
    systems_delivered: int | None = None
    """per_system: of those, reported migrated by the day."""
    status: ClaimStatus
    claimable: bool
    """True for nachgewiesen (and abgerufen): the Land can be asked to pay ``amount``."""
    delivered: date | None = None
    """Day it was delivered (from the actuals), if by the day."""
    claimed: date | None = None
    """Day it was called off (abgerufen), if by the day."""
    slip_quarters: int | None = None
    """Delivered quarter − planned quarter (negative: early); for an undelivered milestone whose quarter has
    ended: the quarters it is late so far."""
    evidence: tuple[ResolvedEvidence, ...] = ()
    blockers: tuple[Blocker, ...] = ()
    """Why it is not claimable (empty when it is)."""


class ClaimsTotals(ClaimsModel):
    """Sums in EUR over the milestones; each milestone counts in exactly one of abgerufen, nachgewiesen,
    geplant_faellig, geplant_offen, so these four add up to ``planned`` (per-system milestones at their
    planned amount)."""

    planned: Money
    """Every milestone of the plan at its planned amount."""
    abgerufen: Money
    nachgewiesen: Money
    """Claimable, not yet called off."""
    geplant_faellig: Money
    """Planned amount of milestones whose quarter has ended (or that were delivered without valid evidence) and
    that are not nachgewiesen."""
    geplant_offen: Money
    """Planned amount of milestones whose quarter has not ended yet."""
    count: dict[str, int]
    """Milestones per status (geplant, nachgewiesen, abgerufen)."""


class Claims(ClaimsModel):
    """``claims.json``: every funding milestone of a plan as of a day."""

    schema_version: Literal[1] = CLAIMS_SCHEMA_VERSION
    as_of: date
    """The day the claims are made for: deliveries and call-offs after it do not count."""
    as_of_quarter: str
    """Quarter label of ``as_of``."""
    scenario_id: Id
    scenario_name: str
    plan_start: date
    plan_inventory_hash: str
    plan_scenario_hash: str
    actuals_hash: str
    """SHA-256 of the progress files read (``Actuals.content_hash``)."""
    actuals_files: tuple[str, ...]
    reported: date | None
    """The latest ``reported`` day of the progress files."""
    claims: tuple[Claim, ...]
    """Sorted by planned quarter, then milestone."""
    totals: ClaimsTotals


def _resolve(ev: Evidence, milestone: str, *, netbox: NetBoxLookup | None, stack_output: StackOutputLookup | None,
             file_check: FileCheck | None = None) -> ResolvedEvidence:
    base = {"kind": ev.kind, "ref": ev.ref}
    if ev.kind == "evidence_file":  # load_actuals refused any file whose SHA-256 differs
        found = file_check(ev.ref, milestone) if file_check is not None else None
        if found is None:
            return ResolvedEvidence(**base, valid=True, checked="sha256", detail=f"sha256 {ev.sha256}")
        ok, what = found
        return ResolvedEvidence(**base, valid=ok, checked="sha256", detail=f"{what}; sha256 {ev.sha256}",
                                problem="" if ok else what, problem_code="" if ok else "not_verified")
    if ev.kind == "document":
        return ResolvedEvidence(**base, valid=True, checked="person", detail=ev.ref)
    if ev.kind == "netbox":
        if netbox is None:
            return ResolvedEvidence(**base, valid=False, checked=None, problem_code="not_checked",
                                    problem="NetBox was not asked (--netbox)")
        obj = netbox(ev.ref.strip("/"))
        if obj is None:
            return ResolvedEvidence(**base, valid=False, checked="netbox", problem_code="not_found",
                                    problem=f"NetBox has no object {ev.ref}")
        name = str(obj.get("display") or obj.get("name") or obj.get("id"))
        status = obj.get("status")
        status = status.get("value") if isinstance(status, dict) else status
        return ResolvedEvidence(**base, valid=True, checked="netbox",
                                detail=name + (f" ({status})" if status else ""))
    stack, _, output = ev.ref.partition(":")
    if stack_output is None:
        return ResolvedEvidence(**base, valid=False, checked=None, problem_code="not_checked",
                                problem="no stack outputs were given (--stack-outputs)")
    try:
        value = stack_output(stack, output)
    except KeyError:
        return ResolvedEvidence(**base, valid=False, checked="stack_output", problem_code="not_found",
                                problem=f"stack {stack} has no output {output}")
    if value in (None, "", [], {}):
        return ResolvedEvidence(**base, valid=False, checked="stack_output", problem_code="empty",
                                problem=f"output {output} of stack {stack} is empty")
    text = value if isinstance(value, str) else repr(value)
    return ResolvedEvidence(**base, valid=True, checked="stack_output", detail=text[:200])


def _systems_of(rel: FundingRelease, assignments: Iterable[Assignment]) -> list[str]:
    """The systems a per-system milestone (``migriert.<org>.q<n>``) pays for: the org's moves in that quarter."""
    return sorted(a.system for a in assignments
                  if a.moves and a.org == rel.org and a.quarter == rel.quarter)


def claims_of(funding: Iterable[FundingRelease], assignments: Iterable[Assignment], actuals: Actuals, *,
              as_of: date, start: date, netbox: NetBoxLookup | None = None,
              stack_output: StackOutputLookup | None = None, file_check: FileCheck | None = None) -> Claims:
    """The claims of ``funding`` (a plan's releases) as of ``as_of``; see :func:`build_claims`.

    This is the core without the plan's meta (the returned ``Claims`` carries empty plan fields).
    """
    assignments = tuple(assignments)
    as_q = quarter_of(start, as_of)
    out: list[Claim] = []
    for rel in sorted(funding, key=lambda f: (f.quarter, f.milestone)):
        kind = rel.milestone.split(".", 1)[0]
        md: MilestoneDelivered | None = actuals.milestones.get(rel.milestone)
        planned_label = quarter_label(start, rel.quarter)
        quarter_over = quarter_start(start, rel.quarter + 1) <= as_of
        blockers: list[Blocker] = []
        evidence: tuple[ResolvedEvidence, ...] = ()
        delivered = claimed = None
        slip = None
        rule, rate, n_planned, n_done = "fixed", None, None, None
        amount_if_proven = rel.amount
        if rel.reason.kind == "systems_migrated":
            rule = "per_system"
            systems = _systems_of(rel, assignments)
            n_planned = int(rel.reason.params.get("count", len(systems)) or len(systems))
            rate = (rel.amount / n_planned).quantize(Decimal("0.01")) if n_planned else rel.amount
            n_done = sum(1 for s in systems if (p := actuals.systems.get(s)) is not None
                         and p.status == "migrated" and p.date is not None and p.date <= as_of)
            amount_if_proven = min(rel.amount, rate * n_done)
        if md is None:
            blockers.append(Blocker(code="overdue" if quarter_over else "not_delivered",
                                    params={"quarter": planned_label}))
            if quarter_over:
                slip = as_q - rel.quarter
        elif md.delivered > as_of:
            blockers.append(Blocker(code="delivered_after", params={"day": md.delivered.isoformat(),
                                                                    "as_of": as_of.isoformat()}))
            if quarter_over:
                slip = as_q - rel.quarter
        else:
            delivered = md.delivered
            slip = quarter_of(start, md.delivered) - rel.quarter
            evidence = tuple(_resolve(e, rel.milestone, netbox=netbox, stack_output=stack_output,
                                      file_check=file_check) for e in md.evidence)
            if not evidence:
                blockers.append(Blocker(code="no_evidence", params={"day": md.delivered.isoformat()}))
            elif not any(e.valid for e in evidence):
                blockers.append(Blocker(code="evidence_invalid", params={"n": len(evidence)}))
            if rule == "per_system" and not n_done:
                blockers.append(Blocker(code="no_systems", params={"n": n_planned or 0}))
            if md.claimed is not None and md.claimed <= as_of:
                if blockers:
                    blockers.append(Blocker(code="claimed_without_evidence", params={"day": md.claimed.isoformat()}))
                else:
                    claimed = md.claimed
        claimable = not blockers
        status: ClaimStatus = "abgerufen" if claimable and claimed else "nachgewiesen" if claimable else "geplant"
        out.append(Claim(
            milestone=rel.milestone, kind=kind, reason=rel.reason, description=rel.description, org=rel.org,
            planned_quarter=rel.quarter, planned_quarter_label=planned_label, planned_amount=rel.amount,
            amount=amount_if_proven if claimable else Decimal(0), rule=rule, rate=rate,
            systems_planned=n_planned, systems_delivered=n_done, status=status, claimable=claimable,
            delivered=delivered, claimed=claimed, slip_quarters=slip, evidence=evidence, blockers=tuple(blockers),
        ))
    return Claims(
        as_of=as_of, as_of_quarter=quarter_label(start, as_q), scenario_id="unknown", scenario_name="",
        plan_start=start, plan_inventory_hash="", plan_scenario_hash="", actuals_hash=actuals.content_hash,
        actuals_files=actuals.files, reported=actuals.reported, claims=tuple(out), totals=_totals(out, start, as_of),
    )


def _totals(claims: list[Claim], start: date, as_of: date) -> ClaimsTotals:
    zero = Decimal(0)
    planned = sum((c.planned_amount for c in claims), zero)
    abgerufen = sum((c.amount for c in claims if c.status == "abgerufen"), zero)
    nachgewiesen = sum((c.amount for c in claims if c.status == "nachgewiesen"), zero)
    due = [c for c in claims if c.status == "geplant"
           and (quarter_start(start, c.planned_quarter + 1) <= as_of or c.delivered is not None)]
    faellig = sum((c.planned_amount for c in due), zero)
    # a per-system milestone nachgewiesen for fewer systems than planned: the rest stays planned and due
    partial = sum((c.planned_amount - c.amount for c in claims if c.status != "geplant"), zero)
    offen = planned - abgerufen - nachgewiesen - faellig - partial
    count = {s: sum(1 for c in claims if c.status == s) for s in ("geplant", "nachgewiesen", "abgerufen")}
    return ClaimsTotals(planned=planned, abgerufen=abgerufen, nachgewiesen=nachgewiesen,
                        geplant_faellig=faellig + partial, geplant_offen=offen, count=count)


def assessment_check(plan: Plan, folder: Path) -> FileCheck:
    """Check the content of ``landkarte configure``'s OSCAL assessment results (a ``.json`` file) given as evidence
    for a target-live milestone (``live.<x>`` of target ``t.<x>``): valid only when every planned VM of the target
    is hardened and verified (:func:`actuals.evidence.verify_targets`). Other files: their SHA-256 alone."""
    from .errors import ActualsError
    from .evidence import read_assessment, verify_targets

    def check(ref: str, milestone: str) -> tuple[bool, str] | None:
        if not ref.endswith(".json") or not milestone.startswith("live."):
            return None
        try:
            hosts, _ended = read_assessment(folder / ref)
        except ActualsError:  # not an assessment of configure (a protocol, other JSON): its SHA-256 alone
            return None
        target = "t." + milestone.removeprefix("live.")
        ver = next((v for v in verify_targets(plan, hosts) if v.target == target), None)
        if ver is None:
            return False, f"the assessment names no planned VM of {target}"
        if ver.complete:
            return True, f"{len(ver.verified)} planned VM(s) of {target} hardened and verified (OSCAL)"
        return False, (f"{target}: not verified {', '.join(ver.not_verified) or '–'}; "
                       f"not assessed {', '.join(ver.missing) or '–'}")

    return check


def build_claims(plan: Plan, actuals: Actuals, *, as_of: date, netbox: NetBoxLookup | None = None,
                 stack_output: StackOutputLookup | None = None) -> Claims:
    """Every funding milestone of ``plan`` with its status as of ``as_of``.

    Parameters
    ----------
    plan : the plan whose ``funding`` releases are the planned milestones.
    actuals : the progress folder, loaded with ``plan=`` so that every milestone id is one of the plan's.
    as_of : deliveries and call-offs after this day do not count.
    netbox : looks a NetBox API path up (None: NetBox evidence is "not checked", hence not valid).
        An OSCAL assessment-results file of ``landkarte configure`` for a target-live milestone must verify
        every planned VM of the target (:func:`assessment_check`).
    stack_output : looks a stack output up (None: stack-output evidence is "not checked").

    Returns
    -------
    Claims
        One :class:`Claim` per milestone of the plan, sorted by planned quarter, and the totals.
    """
    base = claims_of(plan.funding, plan.assignments, actuals, as_of=as_of, start=plan.meta.start,
                     netbox=netbox, stack_output=stack_output,
                     file_check=assessment_check(plan, actuals.folder) if actuals.folder is not None else None)
    m = plan.meta
    return base.model_copy(update={
        "scenario_id": m.scenario_id, "scenario_name": m.scenario_name, "plan_inventory_hash": m.inventory_hash,
        "plan_scenario_hash": m.scenario_hash,
    })

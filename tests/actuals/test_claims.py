"""Funding claims: status geplant / nachgewiesen / abgerufen per milestone, amounts under the rules, evidence checked,
and the CLI's files (claims.json, claims.xlsx) written as one unit or not at all."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from actuals.claims import build_claims, claims_of
from actuals.models import Actuals, Evidence, MilestoneDelivered, SystemProgress
from landkarte.cli import main
from plan.io import write_plan
from plan.models import Assignment, BindingConstraint, FundingRelease, Reason

START = date(2026, 1, 1)


def _release(milestone: str, quarter: int, amount: str, kind: str = "target_live", **params) -> FundingRelease:
    return FundingRelease(year=2026 + quarter // 4, quarter=quarter, milestone=milestone, amount=Decimal(amount),
                          org=params.get("org"), reason=Reason(kind=kind, params={"quarter": "x", **params}))


def _move(system: str, org: str, quarter: int) -> Assignment:
    return Assignment(system=system, org=org, domain="ewo", product_before="alt", decision="migrate", target="t-ewo",
                      quarter=quarter, schutzbedarf="normal",
                      binding=BindingConstraint(kind="dependency", reason=Reason(kind="dependency", params={})))


def _delivered(milestone: str, day: date, *evidence: Evidence, claimed: date | None = None) -> MilestoneDelivered:
    return MilestoneDelivered(milestone=milestone, delivered=day, evidence=evidence, claimed=claimed)


DOC = Evidence(kind="document", ref="Abnahmeprotokoll vom 02.02.2026")
NB = Evidence(kind="netbox", ref="virtualization/virtual-machines/7")
STACK = Evidence(kind="stack_output", ref="dev:mail_endpoint")


def _one(release: FundingRelease, md: MilestoneDelivered | None, *, as_of=date(2026, 6, 30), assignments=(),
         systems=None, **lookups):
    act = Actuals(milestones={md.milestone: md} if md else {}, systems=systems or {})
    return claims_of((release,), assignments, act, as_of=as_of, start=START, **lookups).claims[0]


def test_claim_with_document_evidence_is_nachgewiesen_at_the_planned_amount():
    c = _one(_release("live.mail", 0, "100000"), _delivered("live.mail", date(2026, 2, 2), DOC))
    assert (c.status, c.claimable, c.amount, c.delivered, c.slip_quarters, c.blockers) == (
        "nachgewiesen", True, Decimal(100000), date(2026, 2, 2), 0, ())
    assert [(e.kind, e.valid, e.checked) for e in c.evidence] == [("document", True, "person")]


def test_claim_called_off_by_the_day_is_abgerufen_and_later_calloff_does_not_count():
    md = _delivered("live.mail", date(2026, 2, 2), DOC, claimed=date(2026, 5, 1))
    assert _one(_release("live.mail", 0, "100000"), md).status == "abgerufen"
    assert _one(_release("live.mail", 0, "100000"), md, as_of=date(2026, 4, 30)).status == "nachgewiesen"


def test_claim_without_evidence_is_not_claimable_and_says_why():
    c = _one(_release("live.mail", 0, "100000"), _delivered("live.mail", date(2026, 3, 1)))
    assert (c.status, c.claimable, c.amount) == ("geplant", False, Decimal(0))
    assert [(b.code, b.params) for b in c.blockers] == [("no_evidence", {"day": "2026-03-01"})]


def test_claim_called_off_without_evidence_is_flagged_not_abgerufen():
    c = _one(_release("live.mail", 0, "100000"),
             _delivered("live.mail", date(2026, 3, 1), claimed=date(2026, 4, 1)))
    assert c.status == "geplant" and c.claimed is None
    assert [b.code for b in c.blockers] == ["no_evidence", "claimed_without_evidence"]


def test_netbox_evidence_is_not_checked_without_netbox_and_found_or_missing_with_it():
    md = _delivered("live.mail", date(2026, 2, 2), NB)
    unchecked = _one(_release("live.mail", 0, "100000"), md)
    assert unchecked.status == "geplant"
    assert [(e.valid, e.checked, e.problem_code) for e in unchecked.evidence] == [(False, None, "not_checked")]
    assert [b.code for b in unchecked.blockers] == ["evidence_invalid"]
    objects = {"virtualization/virtual-machines/7": {"id": 7, "name": "mail-01", "status": {"value": "active"}}}
    found = _one(_release("live.mail", 0, "100000"), md, netbox=objects.get)
    assert (found.status, found.evidence[0].detail) == ("nachgewiesen", "mail-01 (active)")
    missing = _one(_release("live.mail", 0, "100000"), md, netbox={}.get)
    assert (missing.status, missing.evidence[0].problem_code) == ("geplant", "not_found")


def test_stack_output_evidence_is_looked_up():
    outputs = {"dev": {"mail_endpoint": "10.1.2.3", "empty": ""}}
    md = _delivered("live.mail", date(2026, 2, 2), STACK)
    ok = _one(_release("live.mail", 0, "1"), md, stack_output=lambda s, o: outputs[s][o])
    assert (ok.status, ok.evidence[0].detail) == ("nachgewiesen", "10.1.2.3")
    gone = _one(_release("live.mail", 0, "1"), md, stack_output=lambda s, o: {}[s])
    assert (gone.status, gone.evidence[0].problem_code) == ("geplant", "not_found")


def test_undelivered_milestone_is_overdue_after_its_quarter_and_not_delivered_before():
    overdue = _one(_release("live.mail", 0, "100000"), None, as_of=date(2026, 7, 15))
    assert [(b.code, b.params) for b in overdue.blockers] == [("overdue", {"quarter": "2026-Q1"})]
    assert overdue.slip_quarters == 2
    future = _one(_release("live.mail", 3, "100000"), None)
    assert [b.code for b in future.blockers] == ["not_delivered"] and future.slip_quarters is None


def test_delivery_after_the_day_does_not_count():
    c = _one(_release("live.mail", 0, "5"), _delivered("live.mail", date(2026, 8, 1), DOC))
    assert (c.status, c.delivered, [b.code for b in c.blockers]) == ("geplant", None, ["delivered_after"])


def test_per_system_milestone_pays_the_rate_times_the_systems_reported_migrated():
    rel = _release("migriert.aue.q0", 0, "6000", kind="systems_migrated", org="aue", count=3)
    moves = (_move("aue.a", "aue", 0), _move("aue.b", "aue", 0), _move("aue.c", "aue", 0), _move("aue.d", "aue", 1))
    systems = {"aue.a": SystemProgress(system="aue.a", status="migrated", date=date(2026, 3, 1)),
               "aue.b": SystemProgress(system="aue.b", status="migrated", date=date(2026, 7, 2)),  # after the day
               "aue.d": SystemProgress(system="aue.d", status="migrated", date=date(2026, 3, 1))}  # other quarter
    c = _one(rel, _delivered("migriert.aue.q0", date(2026, 3, 1), DOC), assignments=moves, systems=systems)
    assert (c.status, c.rule, c.rate, c.systems_planned, c.systems_delivered, c.amount) == (
        "nachgewiesen", "per_system", Decimal("2000.00"), 3, 1, Decimal("2000.00"))


def test_totals_split_the_planned_funding_into_exactly_four_parts():
    rels = (_release("live.a", 0, "100"), _release("live.b", 0, "200"), _release("live.c", 0, "400"),
            _release("live.d", 1, "800"), _release("live.e", 9, "1600"))
    act = Actuals(milestones={
        "live.a": _delivered("live.a", date(2026, 2, 1), DOC, claimed=date(2026, 3, 1)),
        "live.b": _delivered("live.b", date(2026, 2, 1), DOC),
        "live.c": _delivered("live.c", date(2026, 2, 1)),  # no evidence: due, not proven
    })
    tot = claims_of(rels, (), act, as_of=date(2026, 7, 1), start=START).totals
    assert (tot.planned, tot.abgerufen, tot.nachgewiesen, tot.geplant_faellig, tot.geplant_offen) == (
        Decimal(3100), Decimal(100), Decimal(200), Decimal(400 + 800), Decimal(1600))
    assert tot.count == {"geplant": 3, "nachgewiesen": 1, "abgerufen": 1}


# ----------------------------------------------------------------------------------------------- the CLI


@pytest.fixture
def claims_case(tmp_path: Path):
    """A small plan (two milestones of tests/reports' hand-built plan) and a progress folder for it."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))
    from report_plans import small_plan

    plan = tmp_path / "plan.json"
    write_plan(small_plan(), plan)
    progress = tmp_path / "progress"
    (progress / "evidence").mkdir(parents=True)
    ev = progress / "evidence" / "aue.json"
    ev.write_text('{"org": "aue", "verified": true}\n')
    sha = hashlib.sha256(ev.read_bytes()).hexdigest()
    (progress / "2026-Q3.yaml").write_text(
        "schema: 1\nreported: 2026-09-30\nmilestones:\n"
        f"  - milestone: m1\n    delivered: 2026-06-20\n    claimed: 2026-08-01\n    evidence:\n"
        f"      - {{kind: evidence_file, ref: evidence/aue.json, sha256: \"{sha}\"}}\n"
        "  - milestone: m2\n    delivered: 2026-09-01\n", encoding="utf-8")
    return plan, progress


def _run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def test_funding_claims_cli_writes_json_and_a_german_workbook(claims_case, tmp_path):
    plan, progress = claims_case
    code, out, _ = _run("funding", "claims", str(plan), "--actuals", str(progress), "--as-of", "30.09.2026",
                        "--out", str(tmp_path / "claims"))
    assert code == 0, out
    assert "Leistungsnachweis Fördermittel – Stand 30.09.2026" in out
    data = json.loads((tmp_path / "claims" / "claims.json").read_text())
    assert [(c["milestone"], c["status"], c["amount"]) for c in data["claims"]] == [
        ("m1", "abgerufen", 7500.0), ("m2", "geplant", 0.0)]
    assert data["claims"][1]["blockers"] == [{"code": "no_evidence", "params": {"day": "2026-09-01"}}]
    assert data["claims"][0]["evidence"][0]["checked"] == "sha256"
    wb = load_workbook(tmp_path / "claims" / "claims.xlsx")
    assert wb.sheetnames == ["Übersicht", "Meilensteine", "Nachweise", "Annahmen und Quelle"]
    summary = {ws_row[0]: ws_row[1:] for ws_row in wb["Übersicht"].iter_rows(values_only=True) if ws_row[0]}
    assert summary["Geplante Fördermittel insgesamt (Plan)"][:2] == (2, 20000.5)
    assert summary["davon abgerufen"][:2] == (1, 7500)
    # m2 was delivered without evidence: due (though its quarter has not ended), not proven
    assert summary["davon geplant und fällig, aber nicht nachgewiesen"][:2] == (1, 12500.5)
    assert any(str(k).startswith("Beträge nach den Förderregeln des Szenarios") for k in summary)  # Annahmen/Quelle
    ms = wb["Meilensteine"]
    header = [c.value for c in ms[1]]
    row2 = {h: c for h, c in zip(header, ms[3], strict=True)}
    assert row2["Status"].value == "geplant" and row2["Abrufbar"].value == "nein"
    assert row2["Warum nicht abrufbar"].value == "am 01.09.2026 geliefert, aber ohne Nachweis"
    assert row2["Geplanter Betrag"].number_format == '#,##0.00 "€"'
    assert row2["Geliefert am"].number_format == "DD.MM.YYYY"
    text = " ".join(str(c) for ws in wb for r in ws.iter_rows(values_only=True) for c in r if c)
    assert "freigegeben" not in text.lower() and "Freigabe" not in text


def test_funding_claims_cli_refuses_a_changed_evidence_file_and_writes_nothing(claims_case, tmp_path):
    plan, progress = claims_case
    (progress / "evidence" / "aue.json").write_text("changed\n")
    code, _, err = _run("funding", "claims", str(plan), "--actuals", str(progress), "--out", str(tmp_path / "c"))
    assert code == 1
    assert "2026-Q3.yaml:8:63 " in err and "milestones[0].evidence[0].sha256" in err and "Traceback" not in err
    assert not (tmp_path / "c").exists()


def test_funding_claims_cli_names_an_unknown_milestone_with_its_place(claims_case, tmp_path):
    plan, progress = claims_case
    (progress / "2026-Q4.yaml").write_text("schema: 1\nreported: 2026-12-31\nmilestones:\n"
                                           "  - {milestone: m3, delivered: 2026-12-01}\n")
    code, _, err = _run("funding", "claims", str(plan), "--actuals", str(progress), "--out", str(tmp_path / "c"))
    assert code == 1 and "2026-Q4.yaml:4:" in err and "unknown milestone 'm3'" in err
    assert not (tmp_path / "c").exists()


def test_funding_claims_cli_keeps_the_previous_files_when_a_later_run_fails(claims_case, tmp_path):
    plan, progress = claims_case
    out = tmp_path / "c"
    assert _run("funding", "claims", str(plan), "--actuals", str(progress), "--out", str(out))[0] == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    (progress / "2026-Q3.yaml").write_text("schema: 1\nreported: [\n")
    assert _run("funding", "claims", str(plan), "--actuals", str(progress), "--out", str(out))[0] == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_funding_claims_cli_checks_stack_outputs_from_a_file(claims_case, tmp_path):
    plan, progress = claims_case
    (progress / "2026-Q3.yaml").write_text(
        "schema: 1\nreported: 2026-09-30\nmilestones:\n  - milestone: m1\n    delivered: 2026-06-20\n"
        "    evidence: [{kind: stack_output, ref: 'dev:tenant_aue'}]\n")
    outputs = tmp_path / "outputs.json"
    outputs.write_text(json.dumps({"dev": {"tenant_aue": "10.20.0.0/24"}}))
    code, out, _ = _run("funding", "claims", str(plan), "--actuals", str(progress), "--out", str(tmp_path / "c"),
                        "--stack-outputs", str(outputs), "--json")
    assert code == 0 and json.loads(out)["totals"]["nachgewiesen"] == 7500.0
    outputs.write_text("{not json")
    code, _, err = _run("funding", "claims", str(plan), "--actuals", str(progress), "--out", str(tmp_path / "c"),
                        "--stack-outputs", str(outputs))
    assert code == 1 and "outputs.json: line 1 column 2: not JSON" in err


def test_build_claims_takes_the_plan_meta(claims_case):
    from actuals.load import load_actuals
    from plan.io import read_plan

    plan, progress = claims_case
    p = read_plan(plan)
    result = build_claims(p, load_actuals(progress, plan=p), as_of=date(2026, 9, 30))
    assert (result.scenario_id, result.as_of_quarter, result.plan_start) == (p.meta.scenario_id, "2026-Q3", START)


# ------------------------------------------------------------------- configure's assessment results as evidence


def _assessment(path: Path, hosts: dict[str, tuple[str, list[str]]]) -> str:
    """A minimal OSCAL assessment-results file as ``landkarte configure`` writes it: host → (state, results)."""
    items = [{"props": [{"name": "fqdn", "value": h}, {"name": "host-state", "value": state},
                        {"name": "data-centre", "value": "rz-sb"}]} for h, (state, _) in hosts.items()]
    findings = [{"props": [{"name": "host", "value": h}, {"name": "result", "value": r}]}
                for h, (_, results) in hosts.items() for r in results]
    doc = {"assessment-results": {"results": [{"end": "2026-05-14T19:00:00+00:00",
                                                "local-definitions": {"inventory-items": items},
                                                "findings": findings}]}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc))
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_configure_assessment_is_valid_evidence_only_when_every_vm_of_the_target_is_verified(tmp_path):
    import sys

    from actuals.claims import assessment_check
    from plan.models import PlannedVM

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "reports"))
    from report_plans import small_plan

    vm = {"role": "app", "data_centre": "rz-sb", "vcpu": 2, "ram_gb": 4, "disk_gb": 20, "schutzbedarf": "hoch",
          "backup": True, "monitoring": True, "address": "10.0.0.5"}
    plan = small_plan().model_copy(update={"vms": (
        PlannedVM(id="vm-1", name="vm-1", target="t.mail", **vm), PlannedVM(id="vm-2", name="vm-2", target="t.mail",
                                                                            **vm))})
    release = _release("live.mail", 0, "100000")
    good = _assessment(tmp_path / "evidence" / "good.oscal.json",
                       {"vm-1": ("converged", ["passed", "passed"]), "vm-2": ("converged", ["passed"])})
    bad = _assessment(tmp_path / "evidence" / "bad.oscal.json",
                      {"vm-1": ("converged", ["passed"]), "vm-2": ("converged", ["passed", "failed"])})
    check = assessment_check(plan, tmp_path)
    for ref, sha, status in (("evidence/good.oscal.json", good, "nachgewiesen"),
                             ("evidence/bad.oscal.json", bad, "geplant")):
        md = _delivered("live.mail", date(2026, 2, 2), Evidence(kind="evidence_file", ref=ref, sha256=sha))
        c = _one(release, md, file_check=check)
        assert c.status == status, c.evidence
    ev = _one(release, _delivered("live.mail", date(2026, 2, 2), Evidence(
        kind="evidence_file", ref="evidence/bad.oscal.json", sha256=bad)), file_check=check).evidence[0]
    assert (ev.valid, ev.problem_code, ev.problem) == (False, "not_verified",
                                                       "t.mail: not verified vm-2; not assessed –")
    # a file that is not an assessment counts by its SHA-256 alone
    other = tmp_path / "evidence" / "protokoll.json"
    other.write_text('{"abnahme": true}')
    sha = hashlib.sha256(other.read_bytes()).hexdigest()
    c = _one(release, _delivered("live.mail", date(2026, 2, 2), Evidence(kind="evidence_file",
                                                                          ref="evidence/protokoll.json", sha256=sha)),
             file_check=check)
    assert (c.status, c.evidence[0].detail) == ("nachgewiesen", f"sha256 {sha}")


def test_funding_claims_workbook_never_runs_a_formula_from_the_progress_files(claims_case, tmp_path):
    plan, progress = claims_case
    (progress / "2026-Q3.yaml").write_text(
        "schema: 1\nreported: 2026-09-30\nmilestones:\n  - milestone: m1\n    delivered: 2026-06-20\n"
        "    evidence: [{kind: document, ref: '=HYPERLINK(\"http://example.invalid\",\"klick\")'}]\n")
    assert _run("funding", "claims", str(plan), "--actuals", str(progress), "--out", str(tmp_path / "c"))[0] == 0
    ws = load_workbook(tmp_path / "c" / "claims.xlsx")["Nachweise"]
    ref = ws.cell(row=2, column=3)
    assert (ref.value, ref.data_type) == ('\'=HYPERLINK("http://example.invalid","klick")', "s")

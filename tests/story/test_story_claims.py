"""The Soll/Ist story, second half (issue 17): funding claims and the report's Soll/Ist figures at T1.

Same story as ``test_story.py``: the plan made at T0 (05.12.2026) is the Soll; the progress file
``inventory/samples/saarland/progress/2027-Q2.yaml`` (synthetic) is the Ist up to 30.06.2027. To it this
test adds, in a copy of the folder, a second file of the same day with the milestones a finance department
sees in practice: one delivered with a hashed evidence file, one delivered without any evidence, one per-system
milestone proven by a document and one called off. The claims must be exactly the delivered milestones with
evidence; the report's Soll/Ist figures must equal the actuals, counted here independently.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import shutil
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from inventory_cases import ROOT, SAMPLE
from openpyxl import load_workbook

from actuals.claims import build_claims
from actuals.load import load_actuals
from consolidation.planner import plan
from consolidation.scenario import load_scenario
from inventory.load import load_landscape
from landkarte.cli import main
from plan.calendar import quarter_label, quarter_of, quarter_start
from plan.io import write_plan
from reports import ReportInputs, render_report

T0, T1, DAY = date(2026, 12, 5), date(2027, 7, 1), date(2027, 6, 30)


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("story-claims")
    landscape = load_landscape(SAMPLE)
    scenario = load_scenario(ROOT / "consolidation" / "scenarios" / "landesweit.yaml")
    p0 = plan(landscape, scenario, as_of=T0)
    progress = tmp / "progress"
    shutil.copytree(SAMPLE / "progress", progress)
    (progress / "evidence").mkdir()
    ev = progress / "evidence" / "verzeichnisdienst-abnahme.json"
    ev.write_text('{"target": "t.verzeichnisdienst", "verified": "2027-01-20", "synthetic": true}\n')
    sha = hashlib.sha256(ev.read_bytes()).hexdigest()
    by_org_q5 = Counter(a.org for a in p0.assignments if a.moves and a.quarter == 5)
    assert by_org_q5["bous"] == 2  # both bous systems of 2027-Q2 are migrated in the sample
    (progress / "2027-Q2-nachweise.yaml").write_text(
        "# SYNTHETISCH: Nachweise zu den Meilensteinen (Story-Test)\nschema: 1\nreported: 2027-06-30\nmilestones:\n"
        "  - milestone: live.verzeichnisdienst\n    delivered: 2027-01-20\n    claimed: 2027-04-02\n    evidence:\n"
        f"      - {{kind: evidence_file, ref: evidence/verzeichnisdienst-abnahme.json, sha256: \"{sha}\"}}\n"
        "  - milestone: live.dateiablage\n    delivered: 2027-02-01\n"
        "  - milestone: migriert.bous.q5\n    delivered: 2027-05-24\n    evidence:\n"
        "      - {kind: document, ref: 'Migrationsprotokoll Bous (synthetisch)'}\n", encoding="utf-8")
    actuals = load_actuals(progress, landscape=landscape, plan=p0)
    p1 = plan(landscape, scenario, as_of=T1, actuals=actuals)
    p0_file, p1_file = tmp / "p0.json", tmp / "p1.json"
    write_plan(p0, p0_file)
    write_plan(p1, p1_file)
    return {"p0": p0, "p1": p1, "actuals": actuals, "progress": progress, "p0_file": p0_file, "p1_file": p1_file,
            "tmp": tmp, "start": scenario.start}


def _proven(actuals, day):
    """Independently of actuals.claims: the delivered milestones (by the day) with at least one valid evidence.

    Every evidence file was hash-checked by load_actuals and documents count; this story has no NetBox or
    stack-output evidence."""
    return {m for m, md in actuals.milestones.items()
            if md.delivered <= day and any(e.kind in ("evidence_file", "document") for e in md.evidence)}


def test_story_claims_are_exactly_the_delivered_milestones_with_evidence(story):
    p0, actuals = story["p0"], story["actuals"]
    result = build_claims(p0, actuals, as_of=DAY)
    claimable = {c.milestone for c in result.claims if c.claimable}
    assert claimable == _proven(actuals, DAY) == {"live.e-mail-groupware", "live.backup", "live.verzeichnisdienst",
                                                   "migriert.bous.q5"}
    by_id = {c.milestone: c for c in result.claims}
    assert len(by_id) == len(p0.funding)
    assert by_id["live.verzeichnisdienst"].status == "abgerufen"
    assert {m for m, c in by_id.items() if c.status == "nachgewiesen"} == claimable - {"live.verzeichnisdienst"}
    # delivered without evidence: not claimable, and it says why
    assert (by_id["live.dateiablage"].status, [b.code for b in by_id["live.dateiablage"].blockers]) == (
        "geplant", ["no_evidence"])
    # amounts under the scenario's rules: fixed per target live; per system × systems reported migrated
    planned = {f.milestone: f.amount for f in p0.funding}
    assert by_id["live.backup"].amount == planned["live.backup"] == Decimal(100000)
    assert (by_id["migriert.bous.q5"].amount, by_id["migriert.bous.q5"].systems_delivered) == (Decimal(4000), 2)
    # the late target: planned 2027-Q1, delivered 15.05.2027, one quarter late, still claimable
    assert (by_id["live.backup"].planned_quarter_label, by_id["live.backup"].slip_quarters) == ("2027-Q1", 1)
    tot = result.totals
    assert tot.nachgewiesen + tot.abgerufen == sum(by_id[m].amount for m in claimable)
    assert tot.abgerufen + tot.nachgewiesen + tot.geplant_faellig + tot.geplant_offen == tot.planned


def test_story_funding_claims_cli_writes_the_same_claims(story):
    out = story["tmp"] / "claims"
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["funding", "claims", str(story["p0_file"]), "--actuals", str(story["progress"]),
                     "--as-of", "30.06.2027", "--out", str(out), "--json"])
    assert code == 0
    data = json.loads((out / "claims.json").read_text())
    assert {c["milestone"] for c in data["claims"] if c["claimable"]} == _proven(story["actuals"], DAY)
    wb = load_workbook(out / "claims.xlsx", read_only=True)
    assert wb.sheetnames[0] == "Übersicht"


def test_story_report_soll_ist_equals_the_actuals(story):
    p0, p1, actuals, start = story["p0"], story["p1"], story["actuals"], story["start"]
    inputs = ReportInputs(plan=p1, plan_path=story["p1_file"], previous=p0, actuals=actuals)
    ctx, out = render_report(inputs, formats=("html", "xlsx"), lang="de", as_of=DAY)
    si = ctx.soll_ist
    assert si is not None and si.as_of == DAY and si.as_of_label == "2027-Q2"
    # independently: the T0 plan's moves, and what the actuals say of them
    moves = {a.system: a for a in p0.assignments if a.moves}
    done = {s: p.date for s, p in actuals.systems.items() if p.status == "migrated"}
    assert set(done) <= set(moves)
    due = {s for s, a in moves.items() if quarter_start(start, a.quarter + 1) <= T1}
    assert (si.planned_due, si.delivered_due, si.delivered_total) == (len(due), len(due & set(done)), len(done))
    delivered_per_q = Counter(quarter_label(start, quarter_of(start, d)) for d in done.values())
    assert {r.label: r.delivered for r in si.quarters} == {lbl: delivered_per_q[lbl] for lbl in ("2027-Q1", "2027-Q2")}
    planned_per_q = Counter(moves[s].quarter_label for s in due)
    assert {r.label: r.planned for r in si.quarters} == dict(planned_per_q)
    per_domain = Counter(moves[s].domain for s in due - set(done))
    assert {d.domain: d.late for d in si.domains if d.late} == dict(per_domain)
    # late: every due system not migrated, with its cause from the actuals; and its new quarter from the re-plan
    late = {x.system: x for x in si.late if x.item.actual_date is None}
    assert set(late) == due - set(done)
    assert late["illingen.einwohnermeldewesen"].cause == "postponed"
    assert late["illingen.einwohnermeldewesen"].reason == actuals.systems["illingen.einwohnermeldewesen"].reason
    assert {s for s, x in late.items() if x.cause == "in_progress"} == {"lebach.e-mail-groupware",
                                                                        "lebach.verzeichnisdienst"}
    new_q = {a.system: a.quarter for a in p1.assignments}
    assert all(x.item.new_quarter == new_q[s] and x.item.slip == new_q[s] - moves[s].quarter for s, x in late.items())
    # early: delivered before its planned quarter
    assert [(e.system, e.slip) for e in si.early] == [("wadgassen.verzeichnisdienst", -3)]
    # burn-ups: Ist at the day equals the actuals; funding proven equals the claims
    assert si.burn_systems[[p.label for p in si.burn_systems].index("2027-Q2")].ist == len(done)
    claims = build_claims(p0, actuals, as_of=DAY)
    assert si.funding_nachgewiesen == claims.totals.nachgewiesen + claims.totals.abgerufen
    # the same figures in the HTML and the XLSX
    html = out["xlsx"] and out["html"].decode()
    assert "Soll/Ist: Planung und Umsetzung" in html and "Personal bis zur Nachbereitung der Landtagswahl" in html
    wb = load_workbook(io.BytesIO(out["xlsx"]), read_only=True)
    rows = list(wb["Soll-Ist je Quartal"].iter_rows(values_only=True))
    assert rows[1:] == [(r.label, r.planned, r.delivered, r.delivered_on_time, r.planned_cum, r.delivered_cum)
                        for r in si.quarters]
    assert len(list(wb["Verspätungen"].iter_rows(values_only=True))) - 1 == len(si.late) + len(si.early)
    wb = load_workbook(io.BytesIO(out["xlsx"]))
    freisen = next(r for r in wb["Verspätungen"].iter_rows(min_row=2) if r[0].value == "freisen.backup")
    assert (freisen[6].value.date(), freisen[6].number_format) == (date(2027, 5, 20), "DD.MM.YYYY")  # German day


def test_story_report_cli_with_actuals_renders_soll_ist_in_every_format(story, tmp_path):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        code = main(["report", str(story["p1_file"]), "--previous", str(story["p0_file"]), "--actuals",
                     str(story["progress"]), "--out", str(tmp_path), "--format", "html,xlsx", "--lang", "en",
                     "--json"])
    assert code == 0
    files = json.loads(buf.getvalue())
    html = Path(files["html"]).read_text()
    assert "Plan vs actual: planned and delivered" in html and "Burn-up: funding planned, proven and called off" in html
    assert "Soll" not in html.split('id="sec-sollist"')[1].split("</section>")[0]  # English, no German fragment


def test_story_report_cli_refuses_bad_actuals_with_their_place(story, tmp_path):
    bad = tmp_path / "progress"
    shutil.copytree(story["progress"], bad)
    (bad / "2027-Q2.yaml").write_text((bad / "2027-Q2.yaml").read_text().replace("status: postponed",
                                                                                    "status: vertagt"))
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["report", str(story["p1_file"]), "--actuals", str(bad), "--out", str(tmp_path / "r"),
                     "--format", "html"])
    assert code == 1 and "2027-Q2.yaml:" in err.getvalue() and "status" in err.getvalue()
    assert not (tmp_path / "r").exists()

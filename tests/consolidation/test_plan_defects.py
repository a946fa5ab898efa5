"""Issue 20: the planner's defects the audit found, each pinned on a small case and on the Saarland plan.

The invariants behind them run on generated landscapes in ``test_properties.py`` (notice deadlines,
VM sizes within capacity, EOL cost lines equal to the objective's EOL terms, conflicts naming
resource and group).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_properties import check_contract_dates, check_eol_costs, check_vms_within_capacity

from consolidation._examples import build_landscape, tiny_landscape, tiny_scenario
from consolidation.placement import PlacementInfeasibleError, Unit, place
from consolidation.planner import plan
from consolidation.scenario import DataCentreSpec, load_scenario
from inventory.load import load_landscape
from landkarte.cli import main
from reports.messages import Translator

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def saarland():
    return load_landscape(ROOT / "inventory" / "samples" / "saarland")


@pytest.fixture(scope="module")
def landesweit_scenario():
    return load_scenario(ROOT / "consolidation" / "scenarios" / "landesweit.yaml")


@pytest.fixture(scope="module")
def landesweit(saarland, landesweit_scenario):
    return plan(saarland, landesweit_scenario)


def _contract(**kw):
    return {"vendor": "V", "annual_cost": 12_000, "start": date(2020, 1, 1), **kw}


# --- notice deadlines ------------------------------------------------------------------------------

def test_open_contract_cut_over_in_the_first_quarter_gives_notice_on_the_start_month():
    # start 2027-01-01; cut over 2027-03-31 (past its end of life: as early as possible); three months'
    # notice given in January ends it on 30 April, not on 31 March (that notice was due before the start)
    L = build_landscape([{"id": "a.mail", "org": "a", "domain": "e-mail", "contract": _contract(notice_months=3),
                          "eol": date(2026, 6, 30)}])
    a = next(x for x in plan(L, tiny_scenario()).assignments if x.system == "a.mail")
    assert (a.quarter, a.contract_end, a.notice_deadline) == (0, date(2027, 4, 30), date(2027, 1, 31))


def test_a_fixed_term_contract_without_renewal_needs_no_notice():
    L = build_landscape([{"id": "a.mail", "org": "a", "domain": "e-mail",
                          "contract": _contract(end=date(2027, 9, 30), notice_months=6, renewal_months=0)}])
    p = plan(L, tiny_scenario())
    a = next(x for x in p.assignments if x.system == "a.mail")
    assert a.contract_end == date(2027, 9, 30) and a.notice_deadline is None
    assert a.binding.reason.kind in ("contract_expires", "earliest", "contract_cheaper")


def test_a_rehost_carries_its_contract_dates_and_pays_the_hosting_share_until_then():
    L = build_landscape([{"id": "a.fin", "org": "a", "domain": "fin", "contract": _contract(notice_months=6)}],
                        domains=("e-mail",))
    p = plan(L, tiny_scenario(weights={"delay": 100}))  # waiting is dear: cut over at the end of 2027-Q1
    a = p.assignments[0]
    assert (a.decision, a.target, a.data_centre, a.quarter) == ("rehost", None, "rz1", 0)
    # six months' notice given in January: the hosting part ends on 31 July
    assert a.contract_end == date(2027, 7, 31) and a.notice_deadline == date(2027, 1, 31)
    double = sum(ln.amount for ln in p.costs.lines if ln.scenario == "plan" and ln.category == "double_running")
    assert float(double) == pytest.approx(12_000 / 12 * 0.3 * 4)  # April … July, the hosting share (0.3)


def test_saarland_bous_mail_notice_is_due_after_the_start(landesweit, saarland):
    a = next(x for x in landesweit.assignments if x.system == "bous.e-mail-groupware")
    assert (a.quarter_label, a.contract_end, a.notice_deadline) == ("2026-Q1", date(2026, 4, 30), date(2026, 1, 31))
    assert not [x.system for x in landesweit.assignments
                if x.notice_deadline is not None and x.notice_deadline < landesweit.meta.start]
    check_contract_dates(saarland, landesweit)


# --- one sizing for placement and VMs ---------------------------------------------------------------

def test_a_data_centre_filled_to_the_last_vcpu_holds_the_vms_planned():
    # 11 vCPU split 60/40 is 7 + 5 = 12 VM vCPUs: placement must count 12, not 11
    users = [{"id": f"{o}.mail", "org": o, "domain": "e-mail", "users": 750} for o in "ab"]
    s = tiny_scenario(targets=[{"domain": "e-mail", "product": "ox", "name": "Mail", "vcpu": 8}],
                      scheduling={"rehost_unmapped": False},
                      data_centres=[{"id": "rz1", "name": "RZ 1", "supernet": "10.10.0.0/16",
                                     "capacity": {"vcpu": 11, "ram_gb": 4000, "storage_tb": 100}}])
    with pytest.raises(PlacementInfeasibleError) as err:
        plan(build_landscape(users), s)
    assert ("dc_capacity", (("resource", "vcpu"), ("need", 12), ("available", 11))) in err.value.reasons
    s = s.model_copy(update={"data_centres": (s.data_centres[0].model_copy(
        update={"capacity": s.data_centres[0].capacity.model_copy(update={"vcpu": 12})}),)})
    p = plan(build_landscape(users), s)
    assert (p.targets[0].vcpu, [v.vcpu for v in p.vms], p.data_centres[0].used_vcpu) == (12, [7, 5], 12)


def test_saarland_data_centres_hold_their_vms(landesweit):
    check_vms_within_capacity(landesweit)


# --- EOL cost the plan showed as zero ---------------------------------------------------------------

def test_a_rehost_cut_over_after_its_host_os_eol_carries_the_eol_cost():
    from inventory.models import Host, HostSize, OperatingSystem

    L = build_landscape([{"id": "a.fin", "org": "a", "domain": "fin"}], domains=("e-mail",))
    inv = L.organisations[0]
    host = Host(id="a.srv", name="srv", kind="virtual", site="a.rathaus", size=HostSize(vcpu=2, ram_gb=8, storage_gb=100),
                os=OperatingSystem(name="Windows Server", version="2012 R2", end_of_life=date(2026, 10, 10)),
                provenance="synthetic")
    system = inv.systems[0].model_copy(update={"hosting": inv.systems[0].hosting.model_copy(update={"host": "a.srv"})})
    L = L.model_copy(update={"organisations": (inv.model_copy(update={"hosts": (host,), "systems": (system,)}),)})
    s = tiny_scenario(blackouts=[{"id": "b", "domains": ["fin"], "start": "2027-01-01", "end": "2027-06-30",
                                  "reason": "Haushalt"}])
    p = plan(L, s)
    a = p.assignments[0]
    assert (a.decision, a.quarter, a.end_of_life, a.migrated_after_eol) == ("rehost", 2, date(2026, 10, 10), True)
    risk = [ln for ln in p.costs.lines if ln.scenario == "plan" and ln.category == "eol_penalty"]
    assert [(ln.kind, ln.payer, float(ln.amount)) for ln in risk] == [("risk", None, 15_000.0)]  # 3 quarters
    assert p.costs.risk_plan == 15_000 and p.costs.tco_plan == sum(
        ln.amount for ln in p.costs.lines if ln.scenario == "plan" and ln.kind == "cash")
    check_eol_costs(L, s, p)


def test_saarland_eol_cost_lines_are_the_objectives_eol_terms(landesweit, saarland, landesweit_scenario):
    check_eol_costs(saarland, landesweit_scenario, landesweit)
    assert [a.system for a in landesweit.assignments if a.decision == "rehost" and a.migrated_after_eol]


# --- infeasibility that names its cause ----------------------------------------------------------------

def _dc(id_: str, **kw) -> DataCentreSpec:
    return DataCentreSpec.model_validate({"id": id_, "name": id_.upper(), "supernet": "10.0.0.0/16",
                                          "capacity": {"vcpu": 100, "ram_gb": 400, "storage_tb": 10}, **kw})


def test_a_certified_centre_short_of_tenant_slots_says_so():
    certified = _dc("a", certifications=["ISO 27001"], redundancy="2n", supernet="10.1.0.0/23")  # one slot
    plain = _dc("b", supernet="10.2.0.0/16")
    homes = [Unit(f"home.{o}", 2, 8, 50, "sehr hoch", tenant=True) for o in "xyz"]
    with pytest.raises(PlacementInfeasibleError) as err:
        place(homes, [certified, plain])
    assert err.value.reasons == [("dc_certified_tenant_slots", (("data_centres", "a"), ("need", 3), ("available", 1)))]
    text = Translator("de").reason(_reason(*err.value.reasons[0]))
    assert text == ("zertifizierte redundante Rechenzentren (a): 3 Mandantennetze mit Schutzbedarf „sehr hoch“ "
                    "nötig, vorhanden 1")


def test_a_storage_shortage_says_storage():
    with pytest.raises(PlacementInfeasibleError) as err:
        place([Unit("t.dms", 4, 16, 12_000, "normal"), Unit("t.ewo", 4, 16, 1_000, "normal")], [_dc("a"), _dc("b")])
    assert [(k, dict(ps)["resource"]) for k, ps in err.value.reasons] == [("dc_unit_too_large", "storage")]
    assert Translator("en").reason(_reason(*err.value.reasons[0])) == (
        "t.dms fits into no single data centre: storage (TB) 12, at most 10")


def test_a_packing_that_cannot_work_names_the_resource_the_solver_proved_short():
    # 3 × 60 vCPU into two centres of 100: the totals fit (180 ≤ 200), the packing does not
    units = [Unit(f"t.{k}", 60, 8, 10, "normal") for k in "abc"]
    with pytest.raises(PlacementInfeasibleError) as err:
        place(units, [_dc("a"), _dc("b")])
    assert err.value.reasons == [("dc_packing", (("resource", "vcpu"), ("data_centres", "a, b")))]


def test_the_cli_says_the_placement_reasons_in_german(tmp_path, capsys):
    import yaml

    from consolidation._examples import scenario_dict
    from inventory.write.folder import write_folder

    inv = write_folder(tiny_landscape(), tmp_path / "inv")
    scen = tmp_path / "s.yaml"
    scen.write_text(yaml.safe_dump(scenario_dict(data_centres=[
        {"id": "rz1", "name": "RZ 1", "supernet": "10.10.0.0/16", "capacity": {"vcpu": 4, "ram_gb": 4000,
                                                                              "storage_tb": 100}}])), encoding="utf-8")
    assert main(["plan", str(inv), "--scenario", str(scen), "--out", str(tmp_path / "p.json")]) == 1
    err = capsys.readouterr().err
    assert "die Rechenzentren des Szenarios können die Ziele und Arbeitslasten nicht aufnehmen" in err
    assert "Rechenzentren: vCPU reicht nicht, Bedarf 14, vorhanden 4" in err and "Traceback" not in err
    assert "t.e-mail passt in kein einzelnes Rechenzentrum: vCPU 10, höchstens 4" in err
    assert not (tmp_path / "p.json").exists()


def test_an_exit_before_the_start_is_out_of_scope_with_a_message():
    L = build_landscape([{"id": "x.mail", "org": "x", "domain": "e-mail"}, {"id": "y.mail", "org": "y",
                                                                              "domain": "e-mail"}],
                        exits={"x": date(2026, 6, 30)})
    p = plan(L, tiny_scenario())
    assert p.feasible
    x = next(a for a in p.assignments if a.system == "x.mail")
    assert (x.decision, x.binding.kind, x.binding.reason.kind) == ("out_of_scope", "out_of_scope", "exited_before_start")
    assert Translator("de").reason(x.binding.reason) == (
        "x ist am 30.06.2026 aus dem Zweckverband ausgetreten, vor Planungsbeginn (01.01.2027)")
    assert not next(o for o in p.organisations if o.id == "x").participates


def test_a_capacity_conflict_names_the_group_that_cannot_fit():
    # x leaves at the end of 2027-Q1: its mail needs 4 PT Eigenleistung, each rehost 2, the quarter offers 6
    L = build_landscape([{"id": f"x.{d}", "org": "x", "domain": d} for d in ("e-mail", "ewo", "fin")]
                        + [{"id": "y.mail", "org": "y", "domain": "e-mail"}],
                        exits={"x": date(2027, 3, 31)}, domains=("ewo", "fin"))
    p = plan(L, tiny_scenario(teams={"eigen_pd_per_quarter": 6, "fremd_pd_per_quarter": 100}))
    assert not p.feasible
    (c,) = p.conflicts
    kinds = [r.kind for r in c.parts]
    assert "team_eigen" in kinds and "deadline" in kinds
    named = sorted(r.params["group"] for r in c.parts if r.kind == "group_cannot_fit")
    assert named == ["g.x.e-mail", "g.x.ewo", "g.x.fin"]  # any two fit: only all three do not
    assert "Umzugsgruppe g.x." in Translator("de").reason(c.reason, c.parts)


def _reason(kind, params):
    from plan.models import Reason

    return Reason(kind=kind, params=dict(params))


def test_the_cli_says_which_organisation_left_before_the_start(tmp_path, capsys):
    import yaml

    from consolidation._examples import scenario_dict
    from inventory.write.folder import write_folder

    L = build_landscape([{"id": "x.mail", "org": "x", "domain": "e-mail"}, {"id": "y.mail", "org": "y",
                                                                              "domain": "e-mail"}],
                        exits={"x": date(2026, 6, 30)})
    inv = write_folder(L, tmp_path / "inv")
    scen = tmp_path / "s.yaml"
    scen.write_text(yaml.safe_dump(scenario_dict()), encoding="utf-8")
    assert main(["plan", str(inv), "--scenario", str(scen), "--out", str(tmp_path / "p.json")]) == 0
    assert ("Hinweis: x ist am 30.06.2026 aus dem Zweckverband ausgetreten, vor Planungsbeginn (01.01.2027); "
            "ihre Systeme sind außerhalb des Plans.") in " ".join(capsys.readouterr().err.split())

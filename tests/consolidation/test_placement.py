"""The placement writes the CP-SAT model proto directly: the same proto cp_model's expressions make."""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from consolidation import placement as PL
from consolidation.placement import PlacementInfeasibleError, Unit, place
from consolidation.scenario import DataCentreSpec


def _dc(id_: str, vcpu: int, **extra) -> DataCentreSpec:
    return DataCentreSpec.model_validate({"id": id_, "name": id_.upper(), "supernet": "10.0.0.0/20",
                                          "capacity": {"vcpu": vcpu, "ram_gb": 4 * vcpu, "storage_tb": 50}, **extra})


DCS = [_dc("a", 64, certifications=["BSI C5"], redundancy="2n"), _dc("b", 96),
       _dc("c", 48, cost_per_vcpu_year=0, cost_per_gb_ram_year=0, cost_per_tb_year=0)]  # free: zero coefficients
UNITS = [Unit("t.mail", 8, 32, 500, "hoch"), Unit("t.dms", 16, 64, 2000, "sehr hoch"),
         Unit("t.iam", 4, 16, 0, "normal"),  # no storage: a zero coefficient
         Unit("home.a", 2, 8, 100, "normal", tenant=True), Unit("home.b", 2, 8, 100, "normal", tenant=True)]


def _expression_model(units, dcs) -> cp_model.CpModel:
    """The model as cp_model's expression API builds it (what place() wrote before)."""
    dcs = sorted(dcs, key=lambda d: d.id)
    classes: dict[tuple, list[str]] = {}
    for u in sorted(units, key=lambda u: u.id):
        classes.setdefault((u.vcpu, u.ram_gb, u.storage_gb, u.schutzbedarf == "sehr hoch", u.tenant), []).append(u.id)
    keys = sorted(classes)
    m = cp_model.CpModel()
    x, by_dc = {}, [[] for _ in dcs]
    sum_, weighted = cp_model.LinearExpr.sum, cp_model.LinearExpr.weighted_sum
    for k, key in enumerate(keys):
        allowed = [j for j, d in enumerate(dcs) if d.allows_sehr_hoch or not key[3]]
        for j in allowed:
            x[k, j] = m.NewIntVar(0, len(classes[key]), f"n_{k}_{j}")
            by_dc[j].append(k)
        m.Add(sum_([x[k, j] for j in allowed]) == len(classes[key]))
    for j, d in enumerate(dcs):
        ks = by_dc[j]
        v = [x[k, j] for k in ks]
        m.Add(weighted(v, [keys[k][0] for k in ks]) <= d.capacity.vcpu)
        m.Add(weighted(v, [keys[k][1] for k in ks]) <= d.capacity.ram_gb)
        m.Add(weighted(v, [keys[k][2] for k in ks]) <= int(d.capacity.storage_tb * 1000))
        m.Add(sum_([x[k, j] for k in ks if keys[k][4]]) <= PL.tenant_slots(d))
    m.Minimize(weighted(list(x.values()), [PL._unit_cost(Unit("", *keys[k][:3], "normal"), dcs[j]) for k, j in x]))
    return m


@pytest.mark.parametrize("units", [UNITS, [u for u in UNITS if not u.tenant]])  # without tenants: an empty sum
def test_the_written_proto_equals_the_expression_model(monkeypatch, units):
    written = []
    solve = cp_model.CpSolver.Solve

    def grab(self, model, *args, **kwargs):
        written.append(model.Proto().SerializeToString(deterministic=True))
        return solve(self, model, *args, **kwargs)

    monkeypatch.setattr(cp_model.CpSolver, "Solve", grab)
    r = place(units, DCS, seed=3)
    assert written == [_expression_model(units, DCS).Proto().SerializeToString(deterministic=True)]
    assert r.status == "OPTIMAL" and sorted(r.where) == sorted(u.id for u in units)
    assert r.where["t.dms"] == "a"  # sehr hoch: the certified, redundant centre
    assert all(r.where[u.id] == "c" for u in units if u.schutzbedarf == "normal" and not u.tenant)  # free


def test_a_unit_too_large_for_every_centre_is_named():
    with pytest.raises(PlacementInfeasibleError, match="t.huge"):
        place([Unit("t.huge", 500, 8, 10, "normal")], DCS)

"""The planner's fast paths give the same models as the validated ones and leave no trace."""

from __future__ import annotations

import gc
from datetime import date
from decimal import Decimal

import pytest

from common.types import Betriebsart, Schutzbedarf
from consolidation._construct import builder
from consolidation._examples import tiny_landscape, tiny_scenario
from consolidation.planner import plan
from plan.models import Assignment, BindingConstraint, CostLine, Flow


def test_builder_equals_validated_model_with_defaults_and_full_keywords():
    b = BindingConstraint(kind="dependency", detail="wartet auf g.x (2027-Q1)", related="g.x")
    full = {"system": "a.x", "org": "a", "domain": "dms", "product_before": "p", "decision": "migrate", "target": "t.dms",
                "data_centre": "rz", "move_group": "g.a", "quarter": 3, "quarter_label": "2027-Q4", "effort_eigen_pd": 1.5,
                "effort_fremd_pd": 2.0, "one_off_cost": Decimal("12.50"), "end_of_life": date(2030, 1, 1),
                "migrated_after_eol": False, "contract_end": date(2027, 12, 31), "notice_deadline": date(2027, 9, 30),
                "schutzbedarf": Schutzbedarf.HOCH, "binding": b}
    short = {"system": "a.y", "org": "a", "domain": "dms", "product_before": "p", "schutzbedarf": Schutzbedarf.NORMAL,
                 "end_of_life": None, "decision": "stay", "binding": b}
    make = builder(Assignment)
    for values in (full, short):
        built, validated = make(**values), Assignment(**values)
        assert built == validated
        assert built.model_dump_json() == validated.model_dump_json()
        assert built.model_fields_set == validated.model_fields_set
    line = {"year": 2027, "org": None, "scenario": "plan", "category": "run_target", "kind": "cash", "payer": "zweckverband", "betriebsart": Betriebsart.FREMDLEISTUNG,
                "amount": Decimal("0.01")}
    assert builder(CostLine)(**line).model_dump_json() == CostLine(**line).model_dump_json()


def test_builder_rejects_unknown_and_missing_fields():
    make = builder(Flow)
    with pytest.raises(TypeError, match="unknown field"):
        make(id="fl.x", source_org="a", target_org=None, source="a", target="b", port=443, reason="r", colour="blue")
    with pytest.raises(TypeError, match=r"missing field\(s\) \['reason'\]"):
        make(id="fl.x", source_org="a", target_org=None, source="a", target="b", port=443)


def test_built_models_stay_frozen():
    b = builder(BindingConstraint)(kind="earliest", detail="frühestmöglich")
    with pytest.raises(Exception, match="frozen"):
        b.detail = "x"


@pytest.mark.parametrize("enabled", [True, False])
def test_plan_restores_the_garbage_collector_state(enabled):
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        plan(tiny_landscape(), tiny_scenario())
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()

"""A system already on its domain's standard product in a supported version is kept, not migrated."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from consolidation._examples import build_landscape, scenario_dict
from consolidation.planner import plan
from consolidation.scenario import Scenario
from inventory.write.folder import write_folder
from landkarte.cli import main


def _landscape():
    return build_landscape([
        {"id": "a.mail", "org": "a", "domain": "e-mail", "product": "ox"},                   # already standard
        {"id": "b.mail", "org": "b", "domain": "e-mail"},                                    # another product
        {"id": "c.mail", "org": "c", "domain": "e-mail", "product": "ox", "eol": date(2020, 6, 30)},  # unsupported
    ])


def test_system_on_standard_product_is_kept_as_already_standard() -> None:
    p = plan(_landscape(), Scenario.model_validate(scenario_dict()))
    a = {x.system: x for x in p.assignments}
    assert (a["a.mail"].decision, a["a.mail"].binding.kind, a["a.mail"].target) == ("stay", "standard", None)
    assert (a["a.mail"].binding.reason.kind, dict(a["a.mail"].binding.reason.params)) == (
        "already_standard", {"product": "ox", "version": "1"})
    assert (a["a.mail"].effort_eigen_pd, a["a.mail"].effort_fremd_pd, a["a.mail"].one_off_cost) == (0, 0, 0)
    assert a["b.mail"].decision == "migrate"
    assert a["c.mail"].decision == "migrate"  # same product, but its version is out of support: it moves


def test_plan_explain_says_already_standard(tmp_path: Path, capsys) -> None:
    inv = write_folder(_landscape(), tmp_path / "inv")
    scen = tmp_path / "s.yaml"
    scen.write_text(yaml.safe_dump(scenario_dict(), sort_keys=False), encoding="utf-8")
    out = tmp_path / "plan.json"
    assert main(["plan", str(inv), "--scenario", str(scen), "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["plan", "explain", str(out), "a.mail"]) == 0
    text = capsys.readouterr().out
    assert "a.mail (a, e-mail): bleibt am Ort" in text
    assert "bindend: bereits Standard – bereits Standard: ox 1, wird nicht migriert" in text


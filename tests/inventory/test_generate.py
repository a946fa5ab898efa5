"""The bundled sample and the generator: real facts kept, synthetic values labelled, deterministic."""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path

from inventory_cases import SAMPLE

from inventory.generate import FACTS, generate_landscape, saarland_sample
from inventory.load import load_landscape
from inventory.stats import landscape_stats
from inventory.types import OrgKind, Provenance
from landkarte.cli import main


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(folder.rglob("*")):
        if f.is_file():
            h.update(str(f.relative_to(folder)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def test_bundled_sample_equals_generator_output() -> None:
    assert load_landscape(SAMPLE) == saarland_sample()


def test_sample_has_real_municipalities_with_zensus_population() -> None:
    sample = load_landscape(SAMPLE)
    with open(FACTS / "municipalities.csv", encoding="utf-8") as fh:
        facts = {r["ags"]: r for r in csv.DictReader(fh)}
    munis = {o.organisation.ags: o.organisation for o in sample.organisations if o.organisation.ags}
    assert set(munis) == set(facts) and len(facts) == 52
    assert munis["10041100"].name == "Saarbrücken" and munis["10041100"].population.count == 179296
    assert sum(o.population.count for o in munis.values()) == 1_006_864
    kinds = {o.organisation.kind for o in sample.organisations}
    assert {OrgKind.LANDKREIS, OrgKind.REGIONALVERBAND, OrgKind.ZWECKVERBAND, OrgKind.LAND} <= kinds
    assert all(o.provenance == Provenance.REAL for o in munis.values())


def test_sample_marks_the_five_leavers_and_synthetic_values() -> None:
    sample = load_landscape(SAMPLE)
    leaving = sorted(o.organisation.name for o in sample.organisations
                     if o.organisation.zweckverband.exit_date == date(2026, 12, 31))
    assert leaving == ["Eppelborn", "Heusweiler", "Losheim am See", "Wadern", "Weiskirchen"]
    assert sample.meta.synthetic is True
    provenance = {s.provenance for s in sample.systems.values()}
    assert provenance == {Provenance.SYNTHETIC, Provenance.REAL}
    real = [s for s in sample.systems.values() if s.provenance == Provenance.REAL]
    assert real and all(s.notes for s in real)  # every real fact says where it comes from


def test_generate_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    for out in ("a", "b"):
        assert main(["inventory", "generate", "--orgs", "30", "--seed", "5", "--out", str(tmp_path / out)]) == 0
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert main(["inventory", "generate", "--orgs", "30", "--seed", "6", "--out", str(tmp_path / "c")]) == 0
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")


def test_generate_germany_shape_scales_systems_and_dependencies() -> None:
    small = generate_landscape(50, 1, systems_per_org=46)
    munis = [o for o in small.organisations if o.organisation.ags]
    systems = sum(len(o.systems) for o in munis)
    deps = sum(len(o.dependencies) for o in small.organisations)
    assert 40 <= systems / len(munis) <= 52
    assert 1.6 <= deps / len(small.systems) <= 2.6


def test_stats_reports_heterogeneity_and_eol() -> None:
    s = landscape_stats(load_landscape(SAMPLE), at=date(2026, 11, 25))
    assert s["counts"]["organisations"] == 60
    assert s["domains"]["einwohnermeldewesen"]["systems"] == 52
    assert s["domains"]["einwohnermeldewesen"]["distinct_products"] >= 2
    assert s["past_end_of_life"]["systems"] > 0
    assert sum(s["confidence"].values()) == s["counts"]["systems"]

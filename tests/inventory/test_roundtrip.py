"""Round trips are lossless: YAML → model → CSV/XLSX → model → YAML gives the same model."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from inventory_cases import SAMPLE

from inventory.generate import generate_landscape
from inventory.load import load_landscape
from inventory.models import Landscape
from inventory.write import write_folder
from inventory.write.table import write_csv_folder, write_xlsx

# Free text as planners type it: umlauts, quotes, separators, formula-like starts, newlines.
_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc"), include_characters="\n\t"), max_size=40)
_hostile = st.sampled_from(["=HYPERLINK(\"http://x\")", "+49 681", "-1", "@SUM(A1)", "'quoted", "a; b", "[x]",
                            "<script>alert(1)</script>", "\"><img onerror=alert(1)>", "Grüße, 'Ä'"])
_free = st.one_of(_text, _hostile)


def _mutate(landscape: Landscape, data: st.DataObject) -> Landscape:
    """Put arbitrary free text into notes, names and certifications of a generated landscape."""
    orgs = list(landscape.organisations)
    i = data.draw(st.integers(0, len(orgs) - 1))
    inv = orgs[i]
    systems = list(inv.systems)
    if systems:
        j = data.draw(st.integers(0, len(systems) - 1))
        name = data.draw(_free.filter(lambda t: t.strip() != "" and len(t.strip()) <= 500))
        systems[j] = systems[j].model_copy(update={"notes": data.draw(_free), "name": name.strip()})
    sites = list(inv.sites)
    if sites:
        certs = tuple(c.strip() for c in data.draw(st.lists(_free, max_size=3)) if c.strip())
        sites[0] = sites[0].model_copy(update={"certifications": certs})
    orgs[i] = inv.model_copy(update={"systems": tuple(systems), "sites": tuple(sites)})
    return Landscape.model_validate(landscape.model_copy(update={"organisations": tuple(orgs)}).model_dump())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(orgs=st.integers(1, 4), seed=st.integers(0, 10_000), data=st.data())
def test_roundtrip_yaml_csv_xlsx_is_lossless(orgs: int, seed: int, data: st.DataObject) -> None:
    original = _mutate(generate_landscape(orgs, seed), data)
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        write_folder(original, t / "yaml")
        from_yaml = load_landscape(t / "yaml")
        assert from_yaml == original
        write_csv_folder(from_yaml, t / "csv")
        from_csv = load_landscape(t / "csv")
        assert from_csv == original
        write_xlsx(from_csv, t / "inv.xlsx")
        from_xlsx = load_landscape(t / "inv.xlsx")
        assert from_xlsx == original
        write_folder(from_xlsx, t / "yaml2")
        for f in sorted((t / "yaml").rglob("*.yaml")):
            assert (t / "yaml2" / f.relative_to(t / "yaml")).read_bytes() == f.read_bytes()


def test_sample_roundtrips_through_xlsx(tmp_path: Path) -> None:
    sample = load_landscape(SAMPLE)
    write_xlsx(sample, tmp_path / "s.xlsx")
    assert load_landscape(tmp_path / "s.xlsx") == sample


def test_xlsx_text_is_never_a_formula(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    sample = generate_landscape(1, 7)
    inv = sample.organisations[0]
    sys0 = inv.systems[0].model_copy(update={"notes": "=HYPERLINK(\"http://evil\",\"x\")", "name": "@SUM(1)"})
    bad = Landscape.model_validate(sample.model_copy(update={"organisations": (
        inv.model_copy(update={"systems": (sys0, *inv.systems[1:])}), *sample.organisations[1:])}).model_dump())
    write_xlsx(bad, tmp_path / "x.xlsx")
    ws = load_workbook(tmp_path / "x.xlsx")["systems"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in [c.value for c in cells]
    write_csv_folder(bad, tmp_path / "csv")
    text = (tmp_path / "csv" / "systems.csv").read_text(encoding="utf-8")
    assert "'@SUM(1)" in text and ",=HYPERLINK" not in text and ",@SUM" not in text
    assert load_landscape(tmp_path / "x.xlsx") == bad

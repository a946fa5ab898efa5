"""The Erhebung at Saarland scale (60 organisations) and for a large Land (2,000), beside plain openpyxl.

    python -m benchmarks erhebung            # 60 (Saarland sample) and 2,000 (generated, seed 1)
    python -m benchmarks erhebung --quick    # 60 only

Steps, each in a fresh interpreter so its peak memory (max RSS) is its own:

- write the questionnaires (``Fragebogen-<org>.xlsx``, one per organisation);
- baseline: plain ``openpyxl.load_workbook(read_only=True)`` of the same files, every row of every sheet;
- baseline: plain ``openpyxl.load_workbook()`` (full, not read-only) of the same files;
- merge: read every returned questionnaire (bounded reader, normalisation) and merge it into the
  inventory (references, validation, change detection; the YAML write of the unchanged inventory
  is left out, it is the same for any merge);
- hostile: one questionnaire with 100,000 extra rows and one zip bomb, read (refused) by Landkarte
  and, for comparison, loaded read-only by plain openpyxl (which unpacks the bomb).

Returned questionnaires are the written ones, unchanged: a merge reads, normalises and validates
every cell whether or not it changed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench"

_INVENTORY = """
import sys
from inventory.generate import generate_landscape
from inventory.write import write_folder
write_folder(generate_landscape(int(sys.argv[2]), 1), sys.argv[1])
"""
_WRITE = """
import sys
from datetime import date
from inventory.load import load_landscape
from erhebung.fragebogen import Kampagne, write_frageboegen
L = load_landscape(sys.argv[1])
k = Kampagne("erhebung-bench", frist=date(2026, 3, 31), erstellt=date(2026, 1, 15))
print(sum(1 for _ in write_frageboegen(L, sorted(L.orgs), sys.argv[2], kampagne=k)))
"""
_PLAIN_RO = """
import sys, pathlib
from openpyxl import load_workbook
n = 0
for p in sorted(pathlib.Path(sys.argv[2]).glob("*.xlsx")):
    wb = load_workbook(p, read_only=True)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            n += 1
    wb.close()
print(n)
"""
_PLAIN_FULL = """
import sys, pathlib
from openpyxl import load_workbook
n = 0
for p in sorted(pathlib.Path(sys.argv[2]).glob("*.xlsx")):
    wb = load_workbook(p)
    n += sum(ws.max_row for ws in wb.worksheets)
print(n)
"""
_MERGE = """
import sys, pathlib
from datetime import date
from inventory.load import load_landscape
from erhebung.einlesen import lese_fragebogen
from erhebung.merge import zusammenfuehren
L = load_landscape(sys.argv[1])
rls, funde = [], []
for p in sorted(pathlib.Path(sys.argv[2]).glob("*.xlsx")):
    rl, f = lese_fragebogen(p)
    rls.append(rl)
    funde += f
res, more = zusammenfuehren(L, rls, heute=date(2026, 4, 1))
assert not funde and not more and res.geaendert == (), (funde + more)[:3]
print(len(rls))
"""
_HOSTILE = """
import sys, pathlib
from erhebung.einlesen import lese_fragebogen
for p in sorted(pathlib.Path(sys.argv[2]).glob("*.xlsx")):
    _, f = lese_fragebogen(p)
    assert f, p
print("refused")
"""
def _run(code: str, *args: str | Path) -> tuple[float, float, float, str]:
    """(wall seconds, CPU seconds, peak RSS in MB, stdout) of ``code`` in a fresh interpreter."""
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *map(str, args)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    out = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark step failed: {code.strip().splitlines()[-2]}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, out.strip()


_MAKE_HOSTILE = """
import sys, shutil, pathlib
sys.path[:0] = ["tests", "tests/erhebung"]
from test_hostile import many_rows, zip_bomb
folder, sample = pathlib.Path(sys.argv[1]), sys.argv[2]
folder.mkdir(parents=True, exist_ok=True)
many_rows(shutil.copy(sample, folder / "Fragebogen-100000-zeilen.xlsx"))
zip_bomb(shutil.copy(sample, folder / "Fragebogen-zip-bombe.xlsx"))
"""


def _case(label: str, inventory: Path, out: Path) -> None:
    if out.exists():
        import shutil

        shutil.rmtree(out)
    out.mkdir(parents=True)
    rows = []
    w = _run(_WRITE, inventory, out)
    size = sum(p.stat().st_size for p in out.glob("*.xlsx")) / 1e6
    rows.append(("write questionnaires (landkarte)", w))
    rows.append(("plain openpyxl load, read-only, all rows", _run(_PLAIN_RO, inventory, out)))
    rows.append(("plain openpyxl load, full", _run(_PLAIN_FULL, inventory, out)))
    rows.append(("read + merge (landkarte)", _run(_MERGE, inventory, out)))
    print(f"\n{label}: {w[3]} questionnaires, {size:.1f} MB XLSX\n")
    print(f"{'step':<44}{'wall s':>9}{'CPU s':>9}{'peak MB':>9}{'× plain RO (CPU)':>18}")
    base = rows[1][1][1]
    for name, (wall, cpu, mb, _) in rows:
        print(f"{name:<44}{wall:>9.1f}{cpu:>9.1f}{mb:>9.0f}{cpu / base:>18.2f}")


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    sample = ROOT / "inventory" / "samples" / "saarland"
    _case("Saarland (60 organisations)", sample, CACHE / "erhebung-60")
    hostile = CACHE / "erhebung-hostile"
    _run(_MAKE_HOSTILE, hostile, CACHE / "erhebung-60" / "Fragebogen-heusweiler.xlsx")  # its own process: its
    # memory must not count as the parent's RSS in the measured children
    h = _run(_HOSTILE, sample, hostile)
    hp = _run(_PLAIN_RO, sample, hostile)
    print(f"\nhostile (100,000 rows + 60 MB zip bomb){'':<5}{'wall s':>9}{'CPU s':>9}{'peak MB':>9}")
    print(f"{'  read, refused (landkarte)':<44}{h[0]:>9.1f}{h[1]:>9.1f}{h[2]:>9.0f}")
    print(f"{'  plain openpyxl load, read-only':<44}{hp[0]:>9.1f}{hp[1]:>9.1f}{hp[2]:>9.0f}")
    if quick:
        return 0
    large = CACHE / "erhebung-land-2000"
    if not (large / "landscape.yaml").is_file():
        t0 = time.perf_counter()
        _run(_INVENTORY, large, 2000)
        print(f"\ngenerated {large.relative_to(ROOT)} in {time.perf_counter() - t0:.1f} s (cached)")
    _case("large Land (2,000 municipalities + Kreise, Zweckverband, Land)", large, CACHE / "erhebung-2000")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Listing many errors: an inventory with 5,000 / 10,000 / 20,000 broken rows, loaded and listed.

    python -m benchmarks errors

Target (issue 19): the time grows linearly with the number of errors (10,000 errors took 5.5 s
and 20,000 took 19 s before). Baseline in the same run: merely parsing the same CSV files with
the ``csv`` module. The inventory is the test inventory ``mini`` as CSV with N systems on hosts
that do not exist (synthetic).
"""

from __future__ import annotations

import csv
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _folder(base: Path, n: int) -> Path:
    from inventory.load import load_landscape
    from inventory.write.table import write_csv_folder

    src = base / "mini"
    if not src.exists():
        write_csv_folder(load_landscape(ROOT / "tests" / "data" / "valid" / "mini"), src)
    out = base / f"broken-{n}"
    shutil.copytree(src, out)
    with open(src / "systems.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, first = rows[0], rows[1]
    broken = []
    for i in range(n):
        r = list(first)
        r[header.index("id")] = f"oberthal.s{i}"
        r[header.index("hosting.host")] = f"fehlt-{i}"
        broken.append(r)
    with open(out / "systems.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *broken])
    return out


def main(argv: list[str]) -> int:
    from inventory.errors import InventoryError
    from inventory.load import load_landscape
    from landkarte.console import err_console

    print(f"{'errors':>8} {'load + list (s)':>16} {'per 1,000 (s)':>14} {'csv parse only (s)':>19}")
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for n in (5_000, 10_000, 20_000):
            folder = _folder(base, n)
            t = time.process_time()
            with open(folder / "systems.csv", encoding="utf-8", newline="") as f:
                sum(1 for _ in csv.reader(f))
            parse = time.process_time() - t
            t = time.process_time()
            try:
                load_landscape(folder)
            except InventoryError as exc:
                with open("/dev/null", "w") as null:
                    err_console.file = null
                    try:
                        err_console.print(f"error: {exc}", soft_wrap=True)
                    finally:
                        err_console.file = None  # back to whatever sys.stderr is
                found = len(exc.issues)
            took = time.process_time() - t
            print(f"{found:>8,} {took:>16.2f} {took / found * 1000:>14.3f} {parse:>19.3f}".replace(",", "."))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""Edit a questionnaire the way a clerk does in LibreOffice Calc, through UNO, and save it as XLSX.

Run with the system Python that has LibreOffice's ``uno`` module (Debian: python3-uno)::

    /usr/bin/python3 lo_edit.py IN.xlsx OUT.xlsx PROFILE_DIR EDITS.json

EDITS.json is a list of [sheet, row name in column B (A on "Schnittstellen"), header, value]; a
number is entered as a number, a text as text (what typing it into the cell gives). No macros:
the document is loaded hidden, cells are set, the file is stored with the Excel 2007 filter.
"""

import contextlib
import json
import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def _prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(src, dst, profile, edits_file):
    with open(edits_file, encoding="utf-8") as fh:
        edits = json.load(fh)
    pipe = f"landkarte-test-{os.getpid()}"
    office = subprocess.Popen([
        "soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
        f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"])
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(300):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:  # noqa: BLE001 — office not up yet
                time.sleep(0.2)
        else:
            raise SystemExit("LibreOffice did not start")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0,
                                           (_prop("Hidden", True),))
        sheets = doc.Sheets
        for sheet, row_name, header, value in edits:
            ws = sheets.getByName(sheet)
            cols = [ws.getCellByPosition(c, 0).getString().removesuffix(" *") for c in range(40)]
            col = cols.index(header)
            name_col = 0 if sheet == "Schnittstellen" else 1
            row = next(r for r in range(1, 2000) if ws.getCellByPosition(name_col, r).getString() == row_name)
            cell = ws.getCellByPosition(col, row)
            if isinstance(value, (int, float)):
                cell.setValue(value)
            else:
                cell.setString(value)
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(dst)), (_prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.close(True)
        with contextlib.suppress(Exception):  # the bridge drops when office exits
            desktop.terminate()
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()


if __name__ == "__main__":
    main(*sys.argv[1:5])

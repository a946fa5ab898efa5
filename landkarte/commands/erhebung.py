"""``landkarte erhebung …``: questionnaires out (fragebogen), returned ones in (einlesen), campaign status."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from common.errors import InputError
from landkarte.commands._common import JsonOpt, Lang, LangOpt, load_inventory
from landkarte.console import console, print_json, track

app = typer.Typer(no_args_is_help=True, rich_markup_mode=None)


def _workbooks(paths: list[Path]) -> list[Path]:
    """The returned workbooks: files as given, folders searched for ``*.xlsx`` (no Office lock files)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.glob("*.xlsx") if not q.name.startswith(("~$", ".~lock"))))
        else:
            out.append(p)
    return out


def _read(paths: list[Path]):
    from erhebung.einlesen import lese_fragebogen

    results = []
    for p in track(_workbooks(paths), "Fragebögen lesen"):
        results.append((p, *lese_fragebogen(p)))
    if not results:
        raise InputError("keine Fragebögen (.xlsx) gefunden: " + ", ".join(map(str, paths)))
    return results


@app.command("fragebogen", help="Write one pre-filled German questionnaire (XLSX) per organisation.")
def fragebogen(
    inventory: Annotated[Path, typer.Argument(metavar="INVENTORY", help="The inventory (YAML folder).")],
    out: Annotated[Path, typer.Option(help="Folder for the Fragebogen-<org>.xlsx files.")],
    org: Annotated[list[str] | None, typer.Option("--org", help="Organisation id (repeatable).")] = None,
    all_orgs: Annotated[bool, typer.Option("--all", help="Every organisation of the inventory.")] = False,
    campaign: Annotated[str, typer.Option("--campaign", help="Campaign id printed in every questionnaire.")] = "",
    deadline: Annotated[str | None, typer.Option(help="Return deadline, YYYY-MM-DD or DD.MM.YYYY.")] = None,
    contact: Annotated[str, typer.Option(help="Contact shown on the instructions sheet.")] =
        "eGo-Saar, Projektbüro E-Government-Pakt",
) -> int:
    from erhebung.fragebogen import Kampagne, write_frageboegen
    from erhebung.normalise import Unzulaessig, datum

    if bool(org) == all_orgs:
        raise typer.BadParameter("give --org ID (one or more) or --all", param_hint="--org/--all")
    try:
        frist = datum(deadline) if deadline else None
    except Unzulaessig as exc:
        raise typer.BadParameter(exc.en, param_hint="--deadline") from None
    landscape = load_inventory(inventory)
    wanted = sorted(landscape.orgs) if all_orgs else list(dict.fromkeys(org or []))
    unknown = [o for o in wanted if o not in landscape.orgs]
    if unknown:
        raise InputError(f"{inventory}: unbekannte Organisation(en): {', '.join(unknown)}")
    kampagne = Kampagne(campaign or f"erhebung-{date.today().year}", frist, contact)
    for _ in track(write_frageboegen(landscape, wanted, out, kampagne=kampagne), "Fragebögen schreiben",
                   total=len(wanted)):
        pass
    console.print(f"{len(wanted)} Fragebögen → {out}/ (Kampagne {kampagne.id})")
    return 0


@app.command("einlesen", help="Merge returned questionnaires into the inventory, with a change report.")
def einlesen(
    returned: Annotated[list[Path], typer.Argument(metavar="RETURNED...", help="Returned .xlsx files or folders.")],
    into: Annotated[Path, typer.Option("--into", help="The inventory (YAML folder) to merge into.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and report, write nothing.")] = False,
    report: Annotated[Path | None, typer.Option("--report", help="Folder for aenderungsbericht.xlsx/.html.")] = None,
    allow_stale: Annotated[bool, typer.Option(
        "--allow-stale", help="Merge even if the inventory changed since the questionnaire was made.")] = False,
    json_out: JsonOpt = False,
    lang: LangOpt = Lang.de,
) -> int:
    from erhebung.aenderungen import aenderungen, namen, pruefhinweise
    from erhebung.bericht import write_bericht
    from erhebung.funde import ErhebungError
    from erhebung.merge import schreibe, zusammenfuehren
    from erhebung.status import kampagnenstatus

    if not (into / "landscape.yaml").is_file():
        raise InputError(f"{into}: kein YAML-Inventar (landscape.yaml fehlt)" if lang == "de"
                         else f"{into}: not a YAML inventory (landscape.yaml missing)")
    landscape = load_inventory(into)
    read = _read(returned)
    funde = [f for _, _, fs in read for f in fs]
    rls = [rl for _, rl, _ in read if rl is not None]
    # merge even when some workbooks have errors: one run lists every problem of every workbook
    result, merge_funde = zusammenfuehren(landscape, rls, heute=date.today(), allow_stale=allow_stale)
    funde += merge_funde
    if funde:
        err = ErhebungError(funde)
        if json_out:
            print_json({"ok": False, "written": False, "errors": [f.as_dict(lang) for f in err.funde]})
            return 1
        raise InputError(err.text(lang))
    old = {o.organisation.id: o for o in landscape.organisations}
    new = {o.organisation.id: o for o in result.landscape.organisations}
    after = namen(result.landscape)
    names = {k: v | after[k] for k, v in namen(landscape).items()}  # removed and added records too
    changes = [a for oid in sorted(result.ruecklaeufe) for a in aenderungen(old[oid], new[oid], names)]
    hints = [h for oid in sorted(result.ruecklaeufe) for h in pruefhinweise(old[oid], new[oid], names)]
    per_org = {oid: sum(1 for a in changes if a.org == oid) for oid in result.ruecklaeufe}
    status = kampagnenstatus(result.landscape, {rl.org: (rl, []) for rl in rls}, per_org)
    written = [] if dry_run else schreibe(into, result)
    kampagne = rls[0].kampagne
    if report is not None:
        write_bericht(report, kampagne=kampagne, aenderungen=changes, hinweise=hints, status=status,
                      stand=date.today())
    if json_out:
        print_json({"ok": True, "written": not dry_run, "campaign": kampagne, "changed_organisations":
                    list(result.geaendert), "changes": [a.as_dict() for a in changes],
                    "hints": [h.as_dict() for h in hints], "files": [str(p) for p in written]})
        return 0
    _print_changes(changes, hints, lang)
    de = lang == "de"
    n = len(rls)
    fb = f"{n} Fragebogen" if n == 1 else f"{n} Fragebögen"
    ae = f"{len(changes)} Änderung" + ("" if len(changes) == 1 else "en")
    n_org = len(result.geaendert)
    if dry_run:
        console.print(f"{fb} geprüft, {ae} — Probelauf, nichts geschrieben" if de
                      else f"{n} questionnaire(s) checked, {len(changes)} change(s) — dry run, nothing written")
    else:
        console.print(f"{fb} eingelesen, {ae} in {n_org} Organisation{'' if n_org == 1 else 'en'} → {into}" if de
                      else f"{n} questionnaire(s) merged, {len(changes)} change(s) in {n_org} organisation(s) → "
                           f"{into}")
    if report is not None:
        console.print(f"Änderungsbericht → {report}/aenderungsbericht.xlsx, .html" if de
                      else f"change report → {report}/aenderungsbericht.xlsx, .html")
    return 0


_ART_EN = {"neu": "added", "entfernt": "removed", "geändert": "changed"}


def _print_changes(changes, hints, lang: Lang) -> None:
    from rich.table import Table

    de = lang == "de"
    if changes:
        t = Table(title="Änderungen" if de else "Changes")
        for col in (("Organisation", "Art", "Bezeichnung", "Feld", "Bisher", "Neu") if de else
                    ("Organisation", "Change", "Name", "Field", "Old", "New")):
            t.add_column(col)
        for a in changes:
            t.add_row(a.org, a.art if de else _ART_EN[a.art], a.name, a.feld, a.alt, a.neu)
        console.print(t)
    else:
        console.print("Keine Änderungen." if de else "No changes.")
    if hints:
        t = Table(title="Was der Planer prüfen sollte" if de else "What the planner should look at")
        for col in ("Organisation", "Bezeichnung" if de else "Name", "Hinweis" if de else "Note"):
            t.add_column(col)
        for h in hints:
            t.add_row(h.org, h.name, h.de if de else h.en)
        console.print(t)


@app.command("status", help="Campaign status: who returned, what is still empty, data confidence.")
def status(
    inventory: Annotated[Path, typer.Argument(metavar="INVENTORY", help="The inventory (YAML folder).")],
    returned: Annotated[list[Path] | None, typer.Argument(metavar="[RETURNED...]",
                                                          help="Returned .xlsx files or folders.")] = None,
    json_out: JsonOpt = False,
    lang: LangOpt = Lang.de,
) -> int:
    from erhebung.status import ZUSTAND_EN, kampagnenlage

    landscape = load_inventory(inventory)
    lage = kampagnenlage(landscape, [(rl, funde) for _, rl, funde in _read(returned)] if returned else [],
                         heute=date.today())
    rows, stray = lage.status, lage.nicht_zuzuordnen
    if json_out:
        print_json({"organisations": [r.as_dict() for r in rows],
                    "returned": sum(1 for r in rows if r.zustand != "ausstehend"), "total": len(rows),
                    "unassigned": [f.as_dict(lang) for funde in stray for f in funde[:1]],
                    "campaign_problems": [f.as_dict(lang) for f in lage.kampagne]})
        return 0
    from rich.table import Table

    de = lang == "de"
    t = Table(title="Stand der Erhebung" if de else "Campaign status")
    for col in (("Organisation", "Rücklauf", "Fehler", "Noch offen", "geprüft/geschätzt/unbekannt") if de else
                ("Organisation", "Returned", "Errors", "Still empty", "verified/estimated/unknown")):
        t.add_column(col)
    for r in rows:
        t.add_row(r.name, r.zustand if de else ZUSTAND_EN[r.zustand], str(r.fehler),
                  ", ".join(f"{k} {v}" for k, v in r.offen.items()) or "–",
                  "/".join(str(r.verlaesslichkeit.get(k, 0)) for k in ("geprüft", "geschätzt", "unbekannt")))
    console.print(t)
    for funde in stray:
        for f in funde[:1]:
            console.print(("nicht zuzuordnen: " if de else "not assigned: ") + f.text(lang), markup=False)
    for f in lage.kampagne:
        console.print(f.text(lang), markup=False)
    n = sum(1 for r in rows if r.zustand != "ausstehend")
    console.print(f"{n} von {len(rows)} Fragebögen zurück" if de else f"{n} of {len(rows)} questionnaires returned")
    return 0

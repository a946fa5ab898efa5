"""Merge returned questionnaires into a landscape: own organisation only, provenance, all errors at once.

:func:`zusammenfuehren` resolves every row's references (product and domain names, servers,
sites, systems) against the inventory and the workbook itself, builds the organisation's
records (fields the questionnaire does not ask for are kept), validates them, checks every
cross-reference of the whole landscape and maps each problem back to its workbook, sheet and
cell. A record whose values changed gets ``provenance: survey`` and an
:class:`~inventory.models.Erhebungsvermerk` (campaign, file, date, confidence); an unchanged
record stays exactly as it was.

Rules: a workbook may change only its own organisation (a row with another organisation's
Kennung is an error); two workbooks for one organisation are an error; a workbook whose
pre-filled content no longer matches the inventory (it changed since the questionnaire was
made) is an error unless ``allow_stale``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from common.fsio import atomic_dir
from common.german import date_text
from inventory.load.folder import ORG_DIR
from inventory.models import (
    Dependency,
    Erhebungsvermerk,
    Host,
    Landscape,
    OrganisationInventory,
    Site,
    System,
    reference_errors,
)
from inventory.types import Confidence, Provenance
from inventory.write.folder import dump_yaml

from . import normalise as N
from ._bezeichnungen import Bezeichnungen, Landesweit, landesweit, pruefsumme, slug
from .einlesen import Ruecklauf, Zeile
from .funde import Fund
from .spalten import AUSSER_BETRIEB, SCHNITTSTELLEN, SERVER, STANDORTE, SYSTEME, Blatt

__all__ = ["Ergebnis", "schreibe", "zusammenfuehren"]

_MODEL: dict[str, type[BaseModel]] = {"systems": System, "hosts": Host, "sites": Site, "dependencies": Dependency}
_ORDER = (STANDORTE, SERVER, SYSTEME, SCHNITTSTELLEN)  # referenced kinds first


@dataclass(slots=True)
class Ergebnis:
    """The merged landscape, which organisations changed, and where each record came from."""

    landscape: Landscape
    geaendert: tuple[str, ...]
    """Organisation ids whose records changed."""
    ruecklaeufe: dict[str, Ruecklauf] = field(default_factory=dict)
    """Organisation id → its returned workbook."""


@dataclass(slots=True)
class _Ort:
    datei: str
    zeile: Zeile


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    for p in parts[:-1]:
        data = data.setdefault(p, {})
    if value is None:
        data.pop(parts[-1], None)
    else:
        data[parts[-1]] = value


def _msg(err: dict[str, Any], header: str) -> tuple[str, str]:
    """A pydantic error in German and English (without the place)."""
    t, ctx = err["type"], err.get("ctx") or {}
    if t == "missing":
        return f"Pflichtangabe „{header}“ fehlt", f'required value "{header}" is missing'
    if t in ("greater_than_equal", "greater_than"):
        return f"muss mindestens {ctx.get('ge', ctx.get('gt'))} sein", f"must be at least {ctx.get('ge', ctx.get('gt'))}"
    if t in ("less_than_equal", "less_than"):
        return f"darf höchstens {ctx.get('le', ctx.get('lt'))} sein", f"must be at most {ctx.get('le', ctx.get('lt'))}"
    if t == "string_too_long":
        return (f"zu lang (höchstens {ctx.get('max_length')} Zeichen)",
                f"too long (at most {ctx.get('max_length')} characters)")
    if t == "string_pattern_mismatch":
        return "enthält Steuerzeichen — bitte nur Text eintragen", "contains control characters — text only, please"
    if t == "value_error" and "contract end lies before its start" in err["msg"]:
        return "das Vertragsende liegt vor dem Vertragsbeginn", "the contract end lies before its start"
    if t == "value_error" and "hosting needs" in err["msg"]:
        return ("bitte Server, Standort oder externen Betreiber angeben (wo läuft das System?)",
                "please give a server, a site or an external operator (where does the system run?)")
    if t in ("date_from_datetime_inexact", "date_type", "date_parsing"):
        return "kein Datum", "not a date"
    if "too_old" in t or "date" in t:
        return "Datum außerhalb von 1950 bis 2100", "date outside 1950 to 2100"
    return f"ungültiger Wert ({err['msg']})", f"invalid value ({err['msg']})"


class _Org:
    """Builds one organisation's records from its workbook."""

    def __init__(self, landscape: Landscape, inv: OrganisationInventory, rl: Ruecklauf, heute: date,
                 funde: list[Fund], land: Landesweit):
        self.L, self.inv, self.rl, self.heute, self.funde = landscape, inv, rl, heute, funde
        self.org = inv.organisation.id
        self.labels = Bezeichnungen.of(landscape, self.org, land)
        self.orte: dict[tuple[str, int], _Ort] = {}
        """(table, index in the new tuple) → the row it came from."""
        self.entfernt: dict[str, _Ort] = {}
        """Id of a record marked "Außer Betrieb" → its row."""
        self.name_to_id: dict[str, dict[str, str | None]] = {"host": {}, "site": {}, "own_system": {}}
        self.ausser: dict[str, str] = {}
        """Casefolded name → name of the rows marked "Außer Betrieb"."""
        self.ids: dict[str, str] = {}
        """Row key (sheet, row) → id (existing or new)."""

    def fund(self, z: Zeile, field_: str | None, de: str, en: str) -> None:
        self.funde.append(Fund(self.rl.datei, z.blatt.name, z.cell(field_) if field_ else f"A{z.row}", z.name, de, en))

    # ---------------------------------------------------------------- ids and names
    def assign_ids(self) -> None:
        existing = {"sites": {s.id for s in self.inv.sites}, "hosts": {h.id for h in self.inv.hosts},
                    "systems": {s.id for s in self.inv.systems}}
        taken = {t: getattr(self.L, t) for t in existing}  # the landscape's id → record maps (built once)
        owner = self.L.owner
        kind_of = {"sites": "site", "hosts": "host", "systems": "own_system"}
        for blatt in (STANDORTE, SERVER, SYSTEME):
            seen: set[str] = set()
            for z in self.rl.zeilen.get(blatt.name, []):
                rid = z.values.get("id")
                if rid is not None:
                    if rid in seen:
                        self.fund(z, "id", f"Kennung {N.zitat(rid)} kommt doppelt vor — bitte Zeilen nicht kopieren",
                                  f"Kennung {N.zitat(rid, 'en')} appears twice — please do not copy rows")
                        continue
                    if rid not in existing[blatt.table]:
                        other = owner.get(rid)
                        if other is not None and other != self.org:
                            self.fund(z, "id",
                                      f"Kennung {N.zitat(rid)} gehört zu {self._orgname(other)} — ein Fragebogen "
                                      "darf nur die eigene Organisation ändern",
                                      f"Kennung {N.zitat(rid, 'en')} belongs to {self._orgname(other)} — a "
                                      "questionnaire may change only its own organisation")
                        else:
                            self.fund(z, "id", f"unbekannte Kennung {N.zitat(rid)} — für neue Zeilen bitte leer lassen",
                                      f"unknown Kennung {N.zitat(rid, 'en')} — leave it empty for new rows")
                        if z.values.get("name"):  # so that rows naming it are not reported twice
                            self.name_to_id[kind_of[blatt.table]].setdefault(z.values["name"].casefold(), rid)
                        continue
                else:
                    base = f"{self.org}.{slug(z.values.get('name') or 'neu')}"
                    rid, k = base, 1
                    while rid in taken[blatt.table] or rid in seen:
                        k += 1
                        rid = f"{base}-{k}"
                seen.add(rid)
                self.ids[(blatt.name, z.row)] = rid
                name = z.values.get("name")
                if name and z.values.get(AUSSER_BETRIEB) == "true":
                    self.ausser.setdefault(name.casefold(), name)
                elif name:
                    names = self.name_to_id[kind_of[blatt.table]]
                    key = name.casefold()
                    # two records may share a name (two server rooms "Rechenzentrum"): the plain name is then
                    # ambiguous (None) and "name [Kennung]", as the questionnaire writes it, names each one
                    names[key] = rid if names.get(key, rid) == rid else None
                    names[f"{name} [{rid}]".casefold()] = rid

    def _orgname(self, oid: str) -> str:
        o = self.L.orgs.get(oid)
        return f"{o.name} ({oid})" if o else oid

    # ---------------------------------------------------------------- references
    def resolve(self, z: Zeile, sp_field: str, kind: str, value: str) -> str | None:
        key = value.casefold()
        if kind in ("host", "site", "own_system"):
            if key in self.name_to_id[kind] and self.name_to_id[kind][key] is None:
                self.fund(z, sp_field, f"{N.zitat(value)} ist mehrdeutig — bitte „{value} [Kennung]“ eintragen",
                          f"{N.zitat(value, 'en')} is ambiguous — please enter \"{value} [Kennung]\"")
                return None
            rid = self.name_to_id[kind].get(key)
            if rid is None and kind != "own_system":
                rid = self.labels.ident(kind, value)  # another organisation's site or host: "name (org)"
            if rid is None and value in self.name_to_id[kind].values():
                rid = value
            if rid is not None:
                return rid
            if key in self.ausser:
                self.fund(z, sp_field, f"{N.zitat(value)} ist als außer Betrieb gemeldet — diese Zeile bitte ebenfalls "
                          "auf „Außer Betrieb: ja“ setzen oder ändern",
                          f"{N.zitat(value, 'en')} is reported out of service — mark this row out of service too, "
                          "or change it")
                return None
            where = {"host": "Server", "site": "Standorte", "own_system": "Systeme"}[kind]
            self.fund(z, sp_field, f"{N.zitat(value)} steht nicht auf dem Blatt „{where}“ — bitte aus der Liste wählen",
                      f"{N.zitat(value, 'en')} is not on the sheet \"{where}\" — please choose from the list")
            return None
        if kind == "system":
            if key in self.ausser:
                return self.resolve(z, sp_field, "own_system", value)
            if key in self.name_to_id["own_system"]:
                return self.resolve(z, sp_field, "own_system", value)
            rid = self.labels.ident("system", value)
            if rid is None and value in self.L.systems:
                rid = value
            if rid is None:
                near = difflib.get_close_matches(value, self.labels.system_choices(), n=1)
                hint_de = f" (gemeint: {N.zitat(near[0])}?)" if near else ""
                hint_en = f" (did you mean {N.zitat(near[0], 'en')}?)" if near else ""
                self.fund(z, sp_field, f"unbekanntes System {N.zitat(value)}{hint_de} — bitte aus der Liste wählen",
                          f"unknown system {N.zitat(value, 'en')}{hint_en} — please choose from the list")
            return rid
        if kind == "domain":
            rid = self.labels.ident("domain", value) or (value if value in self.L.domains else None)
            if rid is None:
                self.fund(z, sp_field, f"{N.zitat(value)} ist keine Fachdomäne des Katalogs — bitte aus der Liste wählen",
                          f"{N.zitat(value, 'en')} is not a domain of the catalogue — please choose from the list")
            return rid
        raise AssertionError(kind)

    def product(self, z: Zeile, value: str, domain: str | None) -> str | None:
        pid = self.labels.ident("product", value) or (value if value in self.L.products else None)
        allowed = self.labels.products_by_domain.get(domain or "", ())
        names = [self.labels.label("product", p) for p in allowed]
        dname = self.L.domains[domain].name if domain in self.L.domains else None
        if pid is not None and (domain is None or pid in allowed):
            return pid
        if dname is None:
            self.fund(z, "product", f"{N.zitat(value)} ist kein Produkt des Katalogs",
                      f"{N.zitat(value, 'en')} is not a product of the catalogue")
            return None
        listed = ", ".join(names) if len(names) <= 8 else ", ".join(names[:8]) + " …"
        if pid is not None:
            de = f"{N.zitat(value)} ist kein Produkt der Fachdomäne „{dname}“ — erlaubt: {listed}"
            en = f"{N.zitat(value, 'en')} is not a product of the domain \"{dname}\" — allowed: {listed}"
        else:
            near = difflib.get_close_matches(value, names, n=1, cutoff=0.5)
            hint_de = f" (gemeint: {N.zitat(near[0])}?)" if near else ""
            hint_en = f" (did you mean {N.zitat(near[0], 'en')}?)" if near else ""
            de = f"{N.zitat(value)} ist kein Produkt des Katalogs für „{dname}“{hint_de} — erlaubt: {listed}"
            en = f"{N.zitat(value, 'en')} is not a catalogue product for \"{dname}\"{hint_en} — allowed: {listed}"
        self.fund(z, "product", de, en)
        return None

    # ---------------------------------------------------------------- records
    def build(self) -> OrganisationInventory | None:
        self.assign_ids()
        n_before = len(self.funde)
        existing = {t: {r.id: r for r in getattr(self.inv, t)} for t in ("sites", "hosts", "systems")}
        new: dict[str, list[BaseModel]] = {"sites": [], "hosts": [], "systems": [], "dependencies": []}
        incomplete = False
        for blatt in _ORDER:
            for z in self.rl.zeilen.get(blatt.name, []):
                rid = self.ids.get((blatt.name, z.row)) if blatt.table != "dependencies" else None
                if blatt.table != "dependencies" and rid is None:
                    continue  # its Kennung was refused
                if z.values.get(AUSSER_BETRIEB) == "true":
                    if rid is not None:
                        self.entfernt[rid] = _Ort(self.rl.datei, z)
                    continue
                rec = self.record(blatt, z, rid, existing.get(blatt.table, {}).get(rid) if rid else None)
                if rec is None:
                    incomplete = True
                    continue
                self.orte[(blatt.table, len(new[blatt.table]))] = _Ort(self.rl.datei, z)
                new[blatt.table].append(rec)
        # rows deleted outright count as removed (the sheet asks for "Außer Betrieb", but a clerk may delete)
        if incomplete or len(self.funde) > n_before:
            return None
        seen = set()
        deps = []
        for i, d in enumerate(new["dependencies"]):
            key = (d.source, d.target, d.kind)
            if key in seen:
                z = self.orte[("dependencies", i)].zeile
                self.fund(z, "target", "diese Schnittstelle steht doppelt im Blatt", "this interface is listed twice")
                continue
            seen.add(key)
            deps.append(d)
        if len(self.funde) > n_before:
            return None
        return self.inv.model_copy(update={"sites": tuple(new["sites"]), "hosts": tuple(new["hosts"]),
                                           "systems": tuple(new["systems"]), "dependencies": tuple(deps)})

    def record(self, blatt: Blatt, z: Zeile, rid: str | None, old: BaseModel | None) -> BaseModel | None:
        n_before = len(self.funde)
        data: dict[str, Any] = old.model_dump(exclude={"erhebung"}) if old is not None else {}
        if rid is not None:
            data["id"] = rid
        if blatt is SYSTEME:
            data.pop("hosting", None)
            data.pop("contract", None)
        if blatt is SERVER:
            data.pop("hypervisor", None)
        for sp in blatt.spalten:
            if sp.field in ("id", AUSSER_BETRIEB):
                continue
            v = z.values.get(sp.field)
            if sp.field in z.bad:
                continue
            if v is None:
                if sp.required:
                    self.fund(z, sp.field, f"Pflichtangabe „{sp.header}“ fehlt", f'required value "{sp.header}" is missing')
                    continue
                if sp.field.split(".")[0] not in ("hosting", "contract"):  # rebuilt from their cells alone
                    _set(data, sp.field, None)  # empty: the model's default
                continue
            if sp.kind in ("host", "site", "own_system", "system", "domain"):
                v = self.resolve(z, sp.field, sp.kind, v)
                if v is None:
                    continue
            elif sp.kind == "product":
                dom = z.values.get("domain")
                domain = self.labels.ident("domain", dom) if dom else None
                v = self.product(z, v, domain or dom)
                if v is None:
                    continue
            _set(data, sp.field, v)
        if blatt is SYSTEME:
            data["confidence"] = data.get("confidence") or Confidence.ESTIMATED.value
        if len(self.funde) > n_before or z.bad:  # the row's problems are reported; validating adds only echoes
            return None
        model = _MODEL[blatt.table]
        try:
            rec = model.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                loc = ".".join(str(p) for p in err["loc"] if isinstance(p, str))
                if loc == "contract":  # end before start: the end is what a clerk would correct
                    sp = blatt.spalte("contract.end")
                elif loc == "hosting":  # neither server, site nor operator
                    sp = blatt.spalte("hosting.host")
                else:
                    sp = next((s for s in blatt.spalten if s.field == loc), None)
                de, en = _msg(err, sp.header if sp else loc)
                self.fund(z, sp.field if sp else None, de, en)
            return None
        if old is not None and rec == old.model_copy(update={"erhebung": None}):
            return old  # unchanged: the record stays exactly as it was, with its earlier Erhebungsvermerk
        conf = getattr(rec, "confidence", Confidence.ESTIMATED)
        if blatt is SCHNITTSTELLEN:
            return rec
        vermerk = Erhebungsvermerk(campaign=self.rl.kampagne, file=self.rl.datei, date=self.heute, confidence=conf)
        return rec.model_copy(update={"provenance": Provenance.SURVEY, "erhebung": vermerk})


def zusammenfuehren(landscape: Landscape, ruecklaeufe: list[Ruecklauf], *, heute: date,
                    allow_stale: bool = False) -> tuple[Ergebnis | None, list[Fund]]:
    """Merge the returned questionnaires into ``landscape``; return the result or ``None`` and every problem.

    Parameters
    ----------
    landscape : Landscape
        The current inventory (never changed: a new landscape is returned).
    ruecklaeufe : list of Ruecklauf
        Read by :func:`erhebung.einlesen.lese_fragebogen`.
    heute : date
        The merge date written into each changed record's Erhebungsvermerk.
    allow_stale : bool, keyword-only
        Merge even when the inventory changed since the questionnaire was made.
    """
    funde: list[Fund] = []
    by_org: dict[str, Ruecklauf] = {}
    for rl in ruecklaeufe:
        if rl.org not in landscape.orgs:
            funde.append(Fund(rl.datei, None, None, None, f"unbekannte Organisation {N.zitat(rl.org)} im Fragebogen",
                              f"unknown organisation {N.zitat(rl.org, 'en')} in the questionnaire"))
            continue
        if rl.org in by_org:
            funde.append(Fund(rl.datei, None, None, None,
                              f"zweiter Fragebogen für {rl.org} (auch {by_org[rl.org].datei}) — bitte nur einen "
                              "einlesen",
                              f"a second questionnaire for {rl.org} (also {by_org[rl.org].datei}) — merge only one"))
            continue
        by_org[rl.org] = rl
    campaigns = sorted({rl.kampagne for rl in by_org.values()})
    if len(campaigns) > 1:
        funde.append(Fund(", ".join(sorted(rl.datei for rl in by_org.values())), None, None, None,
                          f"Fragebögen aus verschiedenen Kampagnen ({', '.join(campaigns)}) — bitte getrennt einlesen",
                          f"questionnaires of different campaigns ({', '.join(campaigns)}) — merge them separately"))
    invs = {o.organisation.id: o for o in landscape.organisations}
    for oid, rl in by_org.items():
        if not allow_stale and rl.pruefsumme != pruefsumme(invs[oid]):
            funde.append(Fund(rl.datei, None, None, None,
                              "das Inventar dieser Organisation wurde geändert, seit der Fragebogen erstellt wurde "
                              f"({date_text(rl.erstellt) if rl.erstellt else 'unbekannt'}) — "
                              "Einlesen würde diese Änderungen überschreiben; neuen Fragebogen senden oder mit "
                              "--allow-stale einlesen",
                              "this organisation's inventory changed since the questionnaire was made — merging "
                              "would overwrite those changes; send a new questionnaire or merge with --allow-stale"))
    builders: dict[str, _Org] = {}
    new_invs = dict(invs)
    incomplete = False  # a workbook had rows that could not be read (reported by lese_fragebogen)
    land = landesweit(landscape) if by_org else None
    for oid, rl in sorted(by_org.items()):
        b = builders[oid] = _Org(landscape, invs[oid], rl, heute, funde, land)
        inv = b.build()
        if inv is None:
            incomplete = True
        else:
            new_invs[oid] = inv
    if funde or incomplete:
        return None, funde
    orgs = tuple(new_invs[o.organisation.id] for o in landscape.organisations)
    merged = Landscape.model_construct(meta=landscape.meta, catalogue=landscape.catalogue, organisations=orgs)
    for issue in reference_errors(merged):
        funde.append(_reference_fund(issue, merged, builders))
    if funde:
        return None, funde
    changed = tuple(oid for oid in sorted(by_org) if new_invs[oid] != invs[oid])
    return Ergebnis(merged, changed, dict(by_org)), []


def _reference_fund(issue: Any, merged: Landscape, builders: dict[str, _Org]) -> Fund:
    """A broken cross-reference after the merge, placed at the row that caused it."""
    inv = merged.organisations[issue.org_index] if issue.org_index is not None else None
    oid = inv.organisation.id if inv is not None else None
    table, index = (issue.loc[0], issue.loc[1]) if len(issue.loc) > 1 else (None, None)
    rec = _get_rec(inv, table, index) if inv is not None else None
    ref: Any = rec
    for part in issue.loc[2:]:  # the id the record refers to, e.g. systems[3].hosting.host
        ref = getattr(ref, str(part), None)
    gone = next((bb.entfernt[ref] for bb in builders.values() if isinstance(ref, str) and ref in bb.entfernt), None)
    b = builders.get(oid) if oid else None
    ort = b.orte.get((table, index)) if b is not None else None
    if ort is not None:  # the record came from a workbook row
        field_ = ".".join(str(p) for p in issue.loc[2:])
        if gone is not None or issue.dangling:
            de = "verweist auf etwas, das als außer Betrieb gemeldet oder nicht vorhanden ist"
            en = "refers to something reported out of service or not present"
        elif "cannot depend on itself" in issue.msg:
            de, en = "ein System kann nicht von sich selbst abhängen", "a system cannot depend on itself"
        else:
            de, en = f"ungültiger Verweis ({issue.msg})", f"invalid reference ({issue.msg})"
        cell = ort.zeile.cell(field_) if field_ else None
        return Fund(ort.datei, ort.zeile.blatt.name, cell or f"A{ort.zeile.row}", ort.zeile.name, de, en)
    if gone is not None:  # a record outside the workbooks still uses what a workbook removed
        user = getattr(rec, "source", None) or getattr(rec, "name", None) or getattr(rec, "id", "")
        return Fund(gone.datei, gone.zeile.blatt.name, gone.zeile.cell(AUSSER_BETRIEB), gone.zeile.name,
                    f"wird noch genutzt von {N.zitat(user)} ({oid}) — erst diese Verbindung klären",
                    f"still used by {N.zitat(user, 'en')} ({oid}) — settle that link first")
    return Fund(oid or "Inventar", None, None, None, f"ungültiger Verweis ({issue.msg})",
                f"invalid reference ({issue.msg})")


def _get_rec(inv: OrganisationInventory, table: Any, index: Any) -> Any:
    try:
        return getattr(inv, str(table))[int(index)]
    except (AttributeError, IndexError, ValueError, TypeError):
        return None


def schreibe(into: str | Path, ergebnis: Ergebnis) -> list[Path]:
    """Write the changed organisation files into the YAML folder ``into``, all or nothing.

    Only the changed ``organisations/<id>.yaml`` are this write's own files
    (:func:`common.fsio.atomic_dir` with ``owns``): they are staged and renamed in together,
    every other file stays byte-identical, and an interrupted run leaves the folder as it was.
    """
    into = Path(into)
    invs = {o.organisation.id: o for o in ergebnis.landscape.organisations}
    rels = {oid: f"{ORG_DIR}/{oid}.yaml" for oid in ergebnis.geaendert}
    mine = set(rels.values())
    with atomic_dir(into, owns=mine.__contains__, own_output=lambda _p: True) as tmp:
        (tmp / ORG_DIR).mkdir()
        for oid, rel in rels.items():
            (tmp / rel).write_text(dump_yaml(invs[oid]), encoding="utf-8")
    return [into / rel for rel in rels.values()]

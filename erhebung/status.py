"""The campaign status: who returned, which expected answers are still empty, how sure the data is.

>>> from consolidation._examples import tiny_landscape
>>> [(s.org, s.zustand) for s in kampagnenstatus(tiny_landscape(), {})]
[('a', 'ausstehend'), ('b', 'ausstehend')]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date

from inventory.models import Landscape

from ._bezeichnungen import pruefsumme
from .aenderungen import aenderungen
from .einlesen import Ruecklauf
from .funde import Fund
from .merge import zusammenfuehren
from .spalten import BLAETTER

__all__ = ["ZUSTAND_EN", "Kampagnenlage", "OrgStatus", "kampagnenlage", "kampagnenstatus"]

ZUSTAND_EN = {"ausstehend": "outstanding", "zurück": "returned", "zurück, unverändert": "returned, unchanged",
              "zurück, fehlerhaft": "returned, with errors"}


@dataclass(frozen=True, slots=True)
class OrgStatus:
    org: str
    name: str
    zustand: str
    """ausstehend, zurück, zurück, unverändert or zurück, fehlerhaft."""
    datei: str | None = None
    fehler: int = 0
    offen: dict[str, int] = field(default_factory=dict)
    """Expected answer (columns marked ``expected``) → number of records where it is still empty."""
    verlaesslichkeit: dict[str, int] = field(default_factory=dict)
    """geprüft / geschätzt / unbekannt → number of systems."""

    def as_dict(self) -> dict:
        return asdict(self)


def _leer(data: dict, field_: str) -> bool:
    for part in field_.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data is None


_CONF = {"verified": "geprüft", "estimated": "geschätzt", "unknown": "unbekannt"}


def kampagnenstatus(landscape: Landscape, ruecklaeufe: dict[str, tuple[Ruecklauf | None, list[Fund]]],
                    changes: dict[str, int] | None = None) -> list[OrgStatus]:
    """One :class:`OrgStatus` per organisation of ``landscape`` (id order).

    ``ruecklaeufe`` maps organisation id → its returned workbook as read and its problems;
    ``changes`` the number of changes each returned workbook makes (an organisation not in it, or
    none given: judged by the checksum of the pre-filled content).
    """
    out = []
    for inv in sorted(landscape.organisations, key=lambda o: o.organisation.id):
        oid = inv.organisation.id
        offen: dict[str, int] = {}
        for blatt in BLAETTER:
            expected = [sp for sp in blatt.spalten if sp.expected]
            dumps = [rec.model_dump() for rec in getattr(inv, blatt.table)] if expected else []  # once per record
            for sp in expected:
                offen[sp.header] = sum(1 for d in dumps if _leer(d, sp.field))
        conf = {label: sum(1 for s in inv.systems if s.confidence.value == v) for v, label in _CONF.items()}
        rl, funde = ruecklaeufe.get(oid, (None, []))
        if rl is None and not funde:
            zustand, datei = "ausstehend", None
        elif funde:
            zustand, datei = "zurück, fehlerhaft", (rl.datei if rl else funde[0].workbook)
        elif rl is not None and (changes[oid] == 0 if changes is not None and oid in changes
                                 else rl.pruefsumme == pruefsumme(inv)):
            zustand, datei = "zurück, unverändert", rl.datei
        else:
            zustand, datei = "zurück", rl.datei if rl else None
        out.append(OrgStatus(oid, inv.organisation.name, zustand, datei, len(funde),
                             {k: v for k, v in offen.items() if v}, conf))
    return out


@dataclass(frozen=True, slots=True)
class Kampagnenlage:
    """The campaign as its returned workbooks stand: per organisation, and what belongs to none."""

    status: list[OrgStatus]
    """One per organisation of the inventory (:func:`kampagnenstatus`)."""
    nicht_zuzuordnen: list[list[Fund]]
    """Per workbook that belongs to no organisation of the inventory: its problems."""
    kampagne: list[Fund]
    """Problems of the returned workbooks together (e.g. different campaigns), not of one workbook."""


def kampagnenlage(landscape: Landscape, gelesen: Iterable[tuple[Ruecklauf | None, list[Fund]]], *,
                  heute: date) -> Kampagnenlage:
    """The status of a campaign from its returned workbooks as read (:func:`erhebung.einlesen.lese_fragebogen`).

    The campaign is merged once, as ``erhebung einlesen`` would merge it (stale questionnaires
    allowed: the status says what came back, not whether it may be merged); a workbook whose
    merge finds problems counts as returned with errors, and the others are merged once more
    without it to count their changes — two merges at most, whatever the number of workbooks.

    >>> from consolidation._examples import tiny_landscape
    >>> [(s.org, s.zustand) for s in kampagnenlage(tiny_landscape(), [], heute=date(2026, 4, 1)).status]
    [('a', 'ausstehend'), ('b', 'ausstehend')]
    """
    by_org: dict[str, tuple[Ruecklauf | None, list[Fund]]] = {}
    stray: list[list[Fund]] = []
    lesbar: list[Ruecklauf] = []
    for rl, funde in gelesen:
        if rl is None or rl.org not in landscape.orgs:
            stray.append(list(funde) if funde or rl is None else [Fund(
                rl.datei, None, None, None, f"unbekannte Organisation „{rl.org}“ im Fragebogen",
                f'unknown organisation "{rl.org}" in the questionnaire')])
            continue
        by_org[rl.org] = (rl, list(funde))
        if not funde:
            lesbar.append(rl)
    org_of = {rl.datei: rl.org for rl in lesbar}
    res, funde = zusammenfuehren(landscape, lesbar, heute=heute, allow_stale=True) if lesbar else (None, [])
    kampagne: list[Fund] = []
    if funde:
        for f in funde:
            if f.workbook in org_of:
                by_org[org_of[f.workbook]][1].append(f)
            else:
                kampagne.append(f)
        rest = [rl for rl in lesbar if not by_org[rl.org][1]]
        res = zusammenfuehren(landscape, rest, heute=heute, allow_stale=True)[0] if rest and not kampagne else None
    changes: dict[str, int] = {}
    if res is not None:
        old = {o.organisation.id: o for o in landscape.organisations}
        new = {o.organisation.id: o for o in res.landscape.organisations}
        changes = {oid: len(aenderungen(old[oid], new[oid])) for oid in res.ruecklaeufe}
    return Kampagnenlage(kampagnenstatus(landscape, by_org, changes), stray, kampagne)

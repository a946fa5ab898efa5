"""The campaign status: who returned, which expected answers are still empty, how sure the data is.

>>> from consolidation._examples import tiny_landscape
>>> [(s.org, s.zustand) for s in kampagnenstatus(tiny_landscape(), {})]
[('a', 'ausstehend'), ('b', 'ausstehend')]
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from inventory.models import Landscape

from ._bezeichnungen import pruefsumme
from .einlesen import Ruecklauf
from .funde import Fund
from .spalten import BLAETTER

__all__ = ["ZUSTAND_EN", "OrgStatus", "kampagnenstatus"]

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
    ``changes`` the number of changes each returned workbook makes (none given: judged by checksum).
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
        elif rl is not None and (changes.get(oid, 0) == 0 if changes is not None
                                 else rl.pruefsumme == pruefsumme(inv)):
            zustand, datei = "zurück, unverändert", rl.datei
        else:
            zustand, datei = "zurück", rl.datei if rl else None
        out.append(OrgStatus(oid, inv.organisation.name, zustand, datei, len(funde),
                             {k: v for k, v in offen.items() if v}, conf))
    return out

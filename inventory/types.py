"""The landscape's own constrained types and vocabulary (pydantic ``Annotated`` types).

The Amtlicher Gemeindeschlüssel (AGS), the Kreisschlüssel and the small enumerations of the
inventory. Types every package shares (ids, money, CIDR, Schutzbedarf, …) are in
:mod:`common.types`. Validators raise ``ValueError`` so pydantic reports them with their location.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator

__all__ = [
    "AGS",
    "LAND_CODES",
    "Confidence",
    "Criticality",
    "DependencyKind",
    "DistrictKey",
    "HostKind",
    "OrgKind",
    "Provenance",
    "ServiceKind",
    "SiteKind",
]

#: Two-digit Land codes of the Amtlicher Gemeindeschlüssel (01 Schleswig-Holstein … 16 Thüringen).
LAND_CODES: dict[str, str] = {
    "01": "Schleswig-Holstein",
    "02": "Hamburg",
    "03": "Niedersachsen",
    "04": "Bremen",
    "05": "Nordrhein-Westfalen",
    "06": "Hessen",
    "07": "Rheinland-Pfalz",
    "08": "Baden-Württemberg",
    "09": "Bayern",
    "10": "Saarland",
    "11": "Berlin",
    "12": "Brandenburg",
    "13": "Mecklenburg-Vorpommern",
    "14": "Sachsen",
    "15": "Sachsen-Anhalt",
    "16": "Thüringen",
}

_AGS_RE = re.compile(r"^[0-9]{8}$")


def _check_ags(value: str) -> str:
    if not _AGS_RE.match(value):
        raise ValueError("AGS must be exactly 8 digits (Amtlicher Gemeindeschlüssel)")
    if value[:2] not in LAND_CODES:
        raise ValueError(f"AGS Land prefix {value[:2]!r} is not a German Land (01–16)")
    return value


AGS = Annotated[str, AfterValidator(_check_ags)]
"""Amtlicher Gemeindeschlüssel: 8 digits, Land (2) + Regierungsbezirk (1) + Kreis (2) + Gemeinde (3)."""


def _check_district_key(value: str) -> str:
    if not re.fullmatch(r"[0-9]{5}", value) or value[:2] not in LAND_CODES:
        raise ValueError("district key must be 5 digits starting with a Land code (01–16)")
    return value


DistrictKey = Annotated[str, AfterValidator(_check_district_key)]
"""Kreisschlüssel: the first five digits of the AGS."""

class OrgKind(StrEnum):
    """Kind of organisation in the Pakt."""

    GEMEINDE = "Gemeinde"
    STADT = "Stadt"
    KREISSTADT = "Kreisstadt"
    LANDESHAUPTSTADT = "Landeshauptstadt"
    LANDKREIS = "Landkreis"
    REGIONALVERBAND = "Regionalverband"
    ZWECKVERBAND = "Zweckverband"
    LAND = "Land"


#: Organisation kinds that are municipalities and therefore carry an AGS.
MUNICIPAL_KINDS = frozenset({OrgKind.GEMEINDE, OrgKind.STADT, OrgKind.KREISSTADT, OrgKind.LANDESHAUPTSTADT})


class SiteKind(StrEnum):
    """Where systems run."""

    SERVERRAUM = "serverraum"
    """A server room of the organisation outside the Rathaus (Bauhof, Schule, Nebengebäude)."""
    RATHAUS = "rathaus"
    """The IT corner or server room in the Rathaus."""
    RECHENZENTRUM = "rechenzentrum"
    """A data centre (own, shared, Zweckverband or Land)."""
    DIENSTLEISTER = "dienstleister"
    """A vendor's or IT service provider's hosting."""
    CLOUD = "cloud"
    """A public or sovereign cloud service."""


class HostKind(StrEnum):
    PHYSICAL = "physical"
    VIRTUAL = "virtual"


class Confidence(StrEnum):
    """How sure the data is."""

    VERIFIED = "verified"
    ESTIMATED = "estimated"
    UNKNOWN = "unknown"


class Provenance(StrEnum):
    """Where a record's values come from."""

    REAL = "real"
    """Taken from a cited public source."""
    SYNTHETIC = "synthetic"
    """Generated deterministically with a seed; not a real fact."""
    SURVEY = "survey"
    """Reported by the organisation itself."""


class DependencyKind(StrEnum):
    XOEV = "xoev"
    """An XÖV standard exchange (XMeld, XPersonenstand, XBau, …)."""
    API = "api"
    DATEI = "datei"
    """File transfer / batch export."""
    DATENBANK = "datenbank"
    AUTHENTIFIZIERUNG = "authentifizierung"
    """Authentication against a directory / IAM."""
    MAIL = "mail"
    ABLAGE = "ablage"
    """Archiving into DMS / E-Akte."""


class Criticality(StrEnum):
    NIEDRIG = "niedrig"
    MITTEL = "mittel"
    HOCH = "hoch"
    """Tightly coupled: both ends must move together."""


class ServiceKind(StrEnum):
    EFA = "efa"
    """An 'Einer für Alle' service developed by one Land and reused."""
    EIGEN = "eigen"
    """An own (Land or municipal) implementation."""

"""Reusable constrained types of the inventory (pydantic ``Annotated`` types).

Every constraint that more than one model uses lives here, once: identifiers, the
Amtlicher Gemeindeschlüssel (AGS), money, CIDR prefixes and the small enumerations.
Validators raise ``ValueError`` so pydantic reports them with their location.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, Field, PlainSerializer, StringConstraints

__all__ = [
    "AGS",
    "CIDR",
    "LAND_CODES",
    "Betriebsart",
    "Confidence",
    "Criticality",
    "Date",
    "DependencyKind",
    "DistrictKey",
    "DomainCategory",
    "HostKind",
    "Id",
    "Money",
    "NonEmptyStr",
    "OrgKind",
    "Provenance",
    "Schutzbedarf",
    "ServiceKind",
    "SiteKind",
    "Text",
    "Year",
]

_ID_RE = r"^[a-z0-9][a-z0-9._-]{0,127}$"

Id = Annotated[str, StringConstraints(pattern=_ID_RE)]
"""A stable identifier: lower-case ASCII letters, digits, ``.``, ``_`` and ``-``, at most 128 characters."""

_NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

NonEmptyStr = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=_NO_CONTROL)]
"""A name or label: trimmed, 1–500 characters, no control characters."""

Text = Annotated[str, StringConstraints(max_length=10_000, pattern=_NO_CONTROL)]
"""Free text (notes, descriptions, sources): no control characters except tab and newlines."""

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

Money = Annotated[
    Decimal,
    Field(ge=0, max_digits=15, decimal_places=2),
    PlainSerializer(lambda v: float(v), return_type=float, when_used="json"),
]
"""An amount in EUR with cent precision, never negative."""


def _check_cidr(value: str) -> str:
    try:
        net = ipaddress.ip_network(value, strict=True)
    except ValueError as exc:
        raise ValueError(f"not a CIDR prefix with host bits zero: {exc}") from None
    return str(net)


CIDR = Annotated[str, AfterValidator(_check_cidr)]
"""An IPv4 or IPv6 prefix in CIDR notation with host bits zero, e.g. ``10.20.0.0/24``."""

Year = Annotated[int, Field(ge=1900, le=2100)]
Date = Annotated[date, Field(ge=date(1950, 1, 1), le=date(2100, 12, 31))]


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


class Schutzbedarf(StrEnum):
    """BSI protection requirement category (BSI-Standard 200-2)."""

    NORMAL = "normal"
    HOCH = "hoch"
    SEHR_HOCH = "sehr hoch"

    @property
    def rank(self) -> int:
        return _SB_RANK[self]


_SB_RANK = {Schutzbedarf.NORMAL: 0, Schutzbedarf.HOCH: 1, Schutzbedarf.SEHR_HOCH: 2}


class Betriebsart(StrEnum):
    """Who does the work: the organisation itself or a contractor."""

    EIGENLEISTUNG = "Eigenleistung"
    FREMDLEISTUNG = "Fremdleistung"


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


class DomainCategory(StrEnum):
    FACHVERFAHREN = "Fachverfahren"
    BASIS_IT = "Basis-IT"
    PLATTFORM = "Plattform"


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

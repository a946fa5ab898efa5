"""The questionnaire's sheets and columns: German header, help text, model field, kind of input.

One :class:`Spalte` (column) per questionnaire column; one :class:`Blatt` (sheet) per record kind
the organisation reports: Systeme, Server, Standorte, Schnittstellen. The hidden sheet
``_Zuordnung`` of every workbook repeats this mapping (sheet, column, header, field) so a returned
workbook is read by what it says, not by what this version of the code assumes.

>>> [b.name for b in BLAETTER]
['Systeme', 'Server', 'Standorte', 'Schnittstellen']
>>> SYSTEME.spalte("schutzbedarf.vertraulichkeit").header
'Vertraulichkeit'
"""

from __future__ import annotations

from dataclasses import dataclass

from common.types import Betriebsart, Schutzbedarf
from inventory.types import Confidence, Criticality, DependencyKind, HostKind, SiteKind

__all__ = [
    "AUSSER_BETRIEB",
    "BLAETTER",
    "ENUMS",
    "SCHNITTSTELLEN",
    "SERVER",
    "STANDORTE",
    "SYSTEME",
    "Auswahl",
    "Blatt",
    "Spalte",
]

AUSSER_BETRIEB = "_ausser_betrieb"
"""Pseudo-field of the column "Außer Betrieb": ``ja`` removes the record."""


@dataclass(frozen=True, slots=True)
class Auswahl:
    """An enumeration as the clerk sees it: display label → model value, plus accepted aliases."""

    name_de: str
    """What a value is, for messages: "kein Schutzbedarf" / "not a Schutzbedarf"."""
    kein_de: str
    kein_en: str
    labels: tuple[tuple[str, str], ...]
    """(label shown in the dropdown, model value)."""
    aliases: tuple[tuple[str, str], ...] = ()

    def label(self, value: str) -> str:
        return next(lbl for lbl, v in self.labels if v == value)


ENUMS: dict[str, Auswahl] = {
    "schutzbedarf": Auswahl("Schutzbedarf", "kein Schutzbedarf", "not a Schutzbedarf",
                            tuple((s.value, s.value) for s in Schutzbedarf)),
    "betriebsart": Auswahl("Betriebsart", "keine Betriebsart", "not a Betriebsart",
                           tuple((b.value, b.value) for b in Betriebsart),
                           (("eigen", "Eigenleistung"), ("fremd", "Fremdleistung"), ("eigenbetrieb", "Eigenleistung"),
                            ("fremdbetrieb", "Fremdleistung"))),
    "confidence": Auswahl("Verlässlichkeit", "keine Angabe zur Verlässlichkeit", "not a confidence level",
                          (("geprüft", Confidence.VERIFIED.value), ("geschätzt", Confidence.ESTIMATED.value),
                           ("unbekannt", Confidence.UNKNOWN.value)),
                          (("geprueft", "verified"), ("verified", "verified"), ("estimated", "estimated"),
                           ("unknown", "unknown"))),
    "stufe": Auswahl("Stufe", "keine Stufe", "not a level",
                     tuple((c.value, c.value) for c in Criticality)),
    "host_kind": Auswahl("Serverart", "keine Serverart", "not a kind of server",
                         (("physisch", HostKind.PHYSICAL.value), ("virtuell", HostKind.VIRTUAL.value)),
                         (("physical", "physical"), ("virtual", "virtual"), ("vm", "virtual"))),
    "site_kind": Auswahl("Standortart", "keine Standortart", "not a kind of site",
                         (("Serverraum", SiteKind.SERVERRAUM.value), ("Rathaus", SiteKind.RATHAUS.value),
                          ("Rechenzentrum", SiteKind.RECHENZENTRUM.value),
                          ("Dienstleister", SiteKind.DIENSTLEISTER.value), ("Cloud", SiteKind.CLOUD.value))),
    "redundanz": Auswahl("Redundanz", "keine Redundanzstufe", "not a redundancy level",
                         (("keine", "none"), ("n+1", "n+1"), ("2n", "2n"), ("georedundant", "georedundant"))),
    "dependency_kind": Auswahl("Schnittstellenart", "keine Schnittstellenart", "not a kind of interface",
                               (("XÖV", DependencyKind.XOEV.value), ("API", DependencyKind.API.value),
                                ("Datei", DependencyKind.DATEI.value), ("Datenbank", DependencyKind.DATENBANK.value),
                                ("Authentifizierung", DependencyKind.AUTHENTIFIZIERUNG.value),
                                ("Mail", DependencyKind.MAIL.value), ("Ablage", DependencyKind.ABLAGE.value)),
                               (("xoev", "xoev"),)),
    "janein": Auswahl("Ja/Nein-Angabe", "weder ja noch nein", "neither yes nor no",
                      (("ja", "true"), ("nein", "false")),
                      (("j", "true"), ("n", "false"), ("x", "true"), ("wahr", "true"), ("falsch", "false"),
                       ("yes", "true"), ("no", "false"), ("true", "true"), ("false", "false"), ("1", "true"),
                       ("0", "false"))),
}


@dataclass(frozen=True, slots=True)
class Spalte:
    """One column of a questionnaire sheet."""

    field: str
    """Dotted model field (``contract.annual_cost``), ``id`` or a pseudo-field starting with ``_``."""
    header: str
    help: str
    kind: str
    """id, text, int, money, date, enum, domain, product, host, site, own_system, system."""
    width: int = 16
    enum: str | None = None
    required: bool = False
    """The clerk must fill it in for every row (marked ``*``)."""
    expected: bool = False
    """Not required by the model, but the campaign asks for it (counted in the status)."""


@dataclass(frozen=True, slots=True)
class Blatt:
    """One questionnaire sheet: the records of one kind of the organisation."""

    name: str
    table: str
    """The field of :class:`inventory.models.OrganisationInventory` it fills."""
    help: str
    spalten: tuple[Spalte, ...]
    name_field: str | None = "name"
    """The column naming a row in messages (the system's name)."""

    def spalte(self, field: str) -> Spalte:
        return next(s for s in self.spalten if s.field == field)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(s.field for s in self.spalten)


_AB = Spalte(AUSSER_BETRIEB, "Außer Betrieb", "„ja“, wenn es das nicht mehr gibt: die Zeile wird dann entfernt. "
             "Bitte Zeilen nicht löschen.", "enum", 12, "janein")

SYSTEME = Blatt("Systeme", "systems", "Ein Fachverfahren oder Basis-IT-Dienst je Zeile.", (
    Spalte("id", "Kennung", "Vergibt Landkarte; bitte nicht ändern. Für neue Systeme leer lassen.", "id", 30),
    Spalte("name", "Bezeichnung", "Wie das System bei Ihnen heißt, z. B. „Einwohnermeldewesen Heusweiler“.",
           "text", 34, required=True),
    Spalte("domain", "Fachdomäne", "Aufgabe, für die das System da ist (Auswahlliste).", "domain", 28, required=True),
    Spalte("product", "Produkt", "Eingesetztes Produkt (Auswahlliste, passend zur Fachdomäne).", "product", 28,
           required=True),
    Spalte("version", "Version", "Installierte Version, z. B. 2024.1.", "text", 12, required=True),
    Spalte("hosting.host", "Server", "Server, auf dem das System läuft (Blatt „Server“), falls bei Ihnen.", "host", 26),
    Spalte("hosting.site", "Standort", "Standort, falls kein einzelner Server (Blatt „Standorte“).", "site", 26),
    Spalte("hosting.operator", "Externer Betreiber",
           "Betreiber außerhalb der Verwaltung (Hersteller-Cloud, Rechenzentrum eines Dienstleisters).", "text", 26),
    Spalte("users", "Nutzerzahl", "Anzahl der Beschäftigten, die das System nutzen.", "int", 11, required=True),
    Spalte("schutzbedarf.vertraulichkeit", "Vertraulichkeit", "Schutzbedarf nach BSI-Standard 200-2.", "enum", 14,
           "schutzbedarf", required=True),
    Spalte("schutzbedarf.integritaet", "Integrität", "Schutzbedarf nach BSI-Standard 200-2.", "enum", 14,
           "schutzbedarf", required=True),
    Spalte("schutzbedarf.verfuegbarkeit", "Verfügbarkeit", "Schutzbedarf nach BSI-Standard 200-2.", "enum", 14,
           "schutzbedarf", required=True),
    Spalte("betriebsart", "Betriebsart", "Eigenleistung (eigenes Personal) oder Fremdleistung (Dienstleister).",
           "enum", 15, "betriebsart", required=True),
    Spalte("end_of_life", "Supportende", "Ende der Herstellerunterstützung dieser Version (TT.MM.JJJJ).", "date", 13,
           expected=True),
    Spalte("data_gb", "Datenmenge (GB)", "Ungefähre Datenmenge in Gigabyte.", "int", 12),
    Spalte("complexity", "Komplexität", "Aufwand einer Umstellung: niedrig, mittel oder hoch.", "enum", 12, "stufe"),
    Spalte("contract.vendor", "Vertragspartner", "Firma, mit der der Vertrag besteht.", "text", 26),
    Spalte("contract.annual_cost", "Jährliche Kosten (€)", "Lizenz, Wartung und Betrieb je Jahr in Euro.", "money", 16,
           expected=True),
    Spalte("contract.start", "Vertragsbeginn", "TT.MM.JJJJ", "date", 13),
    Spalte("contract.end", "Vertragsende", "Festes Vertragsende (TT.MM.JJJJ); leer bei unbefristeten Verträgen.",
           "date", 13),
    Spalte("contract.notice_months", "Kündigungsfrist (Monate)", "Kündigungsfrist in Monaten.", "int", 13),
    Spalte("contract.renewal_months", "Verlängerung (Monate)",
           "Automatische Verlängerung in Monaten, wenn nicht gekündigt wird (0 = keine).", "int", 13),
    Spalte("confidence", "Verlässlichkeit", "geprüft (aus Unterlagen), geschätzt oder unbekannt.", "enum", 14,
           "confidence"),
    _AB,
    Spalte("notes", "Bemerkungen", "Freitext, z. B. geplante Ablösung.", "text", 40),
))

SERVER = Blatt("Server", "hosts", "Ein physischer oder virtueller Server je Zeile.", (
    Spalte("id", "Kennung", "Vergibt Landkarte; bitte nicht ändern. Für neue Server leer lassen.", "id", 30),
    Spalte("name", "Name", "Rechnername, z. B. hv01.", "text", 26, required=True),
    Spalte("kind", "Art", "physisch oder virtuell.", "enum", 11, "host_kind", required=True),
    Spalte("site", "Standort", "Wo der Server steht (Blatt „Standorte“).", "site", 26, required=True),
    Spalte("hypervisor", "Läuft auf", "Bei virtuellen Servern: der physische Server darunter.", "host", 22),
    Spalte("os.name", "Betriebssystem", "z. B. Windows Server, Debian.", "text", 18, required=True),
    Spalte("os.version", "BS-Version", "z. B. 2019, 12.", "text", 11, required=True),
    Spalte("os.end_of_life", "BS-Supportende", "Ende der Unterstützung des Betriebssystems (TT.MM.JJJJ).", "date", 14,
           expected=True),
    Spalte("size.vcpu", "vCPU", "Anzahl (virtueller) Prozessorkerne.", "int", 8, required=True),
    Spalte("size.ram_gb", "RAM (GB)", "Arbeitsspeicher in Gigabyte.", "int", 9, required=True),
    Spalte("size.storage_gb", "Speicher (GB)", "Plattenspeicher in Gigabyte.", "int", 12, required=True),
    _AB,
))

STANDORTE = Blatt("Standorte", "sites", "Ein Serverraum, Rechenzentrum oder Dienstleister je Zeile.", (
    Spalte("id", "Kennung", "Vergibt Landkarte; bitte nicht ändern. Für neue Standorte leer lassen.", "id", 30),
    Spalte("name", "Bezeichnung", "z. B. Serverraum Rathaus.", "text", 34, required=True),
    Spalte("kind", "Art", "Serverraum, Rathaus, Rechenzentrum, Dienstleister oder Cloud.", "enum", 16, "site_kind",
           required=True),
    Spalte("owner", "Betreiber", "Ihre Verwaltung oder der Name des externen Betreibers.", "text", 28, required=True),
    Spalte("redundancy", "Redundanz", "keine, n+1, 2n oder georedundant.", "enum", 13, "redundanz"),
    _AB,
))

SCHNITTSTELLEN = Blatt("Schnittstellen", "dependencies",
                       "Eine Schnittstelle je Zeile: das System links nutzt das System rechts.", (
    Spalte("source", "Von System", "Ihr System, das die Schnittstelle nutzt (Auswahlliste).", "own_system", 34,
           required=True),
    Spalte("target", "Zu System", "Das System, das es nutzt — auch eines einer anderen Verwaltung (Auswahlliste).",
           "system", 40, required=True),
    Spalte("kind", "Art", "XÖV, API, Datei, Datenbank, Authentifizierung, Mail oder Ablage.", "enum", 16,
           "dependency_kind", required=True),
    Spalte("criticality", "Kritikalität", "hoch: beide Systeme müssen zusammen umziehen.", "enum", 12, "stufe"),
    Spalte("standard", "Standard", "Austauschstandard, z. B. XMeld, LDAP, SMTP.", "text", 30),
    _AB,
), name_field="source")

BLAETTER: tuple[Blatt, ...] = (SYSTEME, SERVER, STANDORTE, SCHNITTSTELLEN)

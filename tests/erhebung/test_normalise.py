"""What clerks type is accepted and normalised (parametrised over typical German inputs)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from erhebung import normalise as N
from erhebung.spalten import ENUMS


@pytest.mark.parametrize(("typed", "expected"), [
    ("31.12.2030", date(2030, 12, 31)),
    (" 1.1.2027 ", date(2027, 1, 1)),
    ("01.02.27", date(2027, 2, 1)),
    ("2030-12-31", date(2030, 12, 31)),
    (47848, date(2030, 12, 31)),          # an Excel date serial
    (47848.0, date(2030, 12, 31)),
    (datetime(2030, 12, 31, 0, 0), date(2030, 12, 31)),
    (date(2030, 12, 31), date(2030, 12, 31)),
    ("", None),
    (None, None),
])
def test_datum_accepts_german_and_excel_dates(typed, expected) -> None:
    assert N.datum(typed) == expected


@pytest.mark.parametrize(("typed", "expected"), [
    ("12.500,00 €", Decimal("12500.00")),
    ("12.500 €", Decimal(12500)),
    ("12500", Decimal(12500)),
    ("9.710,50 EUR", Decimal("9710.50")),
    ("€ 1.234.567,89", Decimal("1234567.89")),
    ("12 500,00\u00a0€", Decimal("12500.00")),
    ("99,5", Decimal("99.5")),
    (9710.5, Decimal("9710.5")),
    (12500, Decimal(12500)),
])
def test_betrag_accepts_german_amounts(typed, expected) -> None:
    assert N.betrag(typed) == expected


@pytest.mark.parametrize(("typed", "choices", "expected"), [
    ("Hoch", "schutzbedarf", "hoch"),
    ("hoch", "schutzbedarf", "hoch"),
    ("HOCH", "schutzbedarf", "hoch"),
    ("sehr hoch ", "schutzbedarf", "sehr hoch"),
    ("Eigen", "betriebsart", "Eigenleistung"),
    ("fremdleistung", "betriebsart", "Fremdleistung"),
    ("ja", "janein", "true"),
    ("Nein", "janein", "false"),
    ("x", "janein", "true"),
    ("geprüft", "confidence", "verified"),
    ("Virtuell", "host_kind", "virtual"),
    ("xöv", "dependency_kind", "xoev"),
])
def test_auswahl_accepts_labels_in_any_case(typed, choices, expected) -> None:
    assert N.auswahl(typed, ENUMS[choices]) == expected


@pytest.mark.parametrize(("typed", "expected"), [("1.200", 1200), (" 24 ", 24), (7.0, 7), ("12,0", 12)])
def test_ganzzahl_accepts_german_thousands(typed, expected) -> None:
    assert N.ganzzahl(typed) == expected


@pytest.mark.parametrize(("fn", "typed", "message"), [
    (N.datum, "31.13.2030", "„31.13.2030“ ist kein gültiges Datum (diesen Tag gibt es nicht)"),
    (N.datum, "Ende 2030", "„Ende 2030“ ist kein Datum — Format: TT.MM.JJJJ, z. B. 31.12.2030"),
    (N.betrag, "zwölftausend", "„zwölftausend“ ist kein Betrag — bitte in Euro angeben, z. B. 12.500,00"),
    (N.betrag, "12,345", "„12,345“: höchstens zwei Nachkommastellen (Cent)"),
    (N.ganzzahl, "ca. 20", "„ca. 20“ ist keine ganze Zahl"),
    (N.ganzzahl, "-3", "„-3“: die Zahl darf nicht negativ sein"),
])
def test_unacceptable_input_explained_in_german(fn, typed, message) -> None:
    with pytest.raises(N.Unzulaessig) as exc:
        fn(typed)
    assert exc.value.de == message


def test_auswahl_names_the_allowed_values() -> None:
    with pytest.raises(N.Unzulaessig) as exc:
        N.auswahl("sehr  hoch", ENUMS["schutzbedarf"])
    assert exc.value.de == "„sehr  hoch“ ist kein Schutzbedarf — erlaubt: normal, hoch, sehr hoch"
    assert exc.value.en == '"sehr  hoch" is not a Schutzbedarf — allowed: normal, hoch, sehr hoch'

"""German numbers and dates: one writer and one reader, shared by the board pack, the Erhebung and
the inventory's Excel CSV — so all of them write and read the same forms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from common.german import money, number, parse_date, parse_ja_nein, parse_number
from erhebung.aenderungen import format_de
from erhebung.normalise import Unzulaessig, betrag, datum, ganzzahl
from inventory._tables import Column, from_excel_text
from reports.messages import Translator

AMOUNT = Column("contract.annual_cost", ("contract", "annual_cost"), False, Decimal)
USERS = Column("users", ("users",), False, int)
DAY = Column("end_of_life", ("end_of_life",), False, date)
FLAG = Column("kritis", ("kritis",), False, bool)


@pytest.mark.parametrize(("typed", "value"), [
    ("12.500,00 €", Decimal("12500.00")), ("12.500 €", Decimal(12500)), ("9.710,50 EUR", Decimal("9710.50")),
    ("9710,5", Decimal("9710.5")), ("1.200", Decimal(1200)), ("1.234.567", Decimal(1234567)),
    ("12,500.00", Decimal("12500.00")), ("12'500", Decimal(12500)), (" 24 ", Decimal(24)),
    ("−5", Decimal(-5)), ("1,2,3", None), ("1.2.3", None), ("12.50", Decimal("12.50")), ("viel", None), ("", None),
])
def test_parse_number_reads_what_a_german_clerk_types(typed, value):
    assert parse_number(typed) == value


@pytest.mark.parametrize(("typed", "value"), [
    ("31.12.2030", date(2030, 12, 31)), ("1.1.27", date(2027, 1, 1)), ("1. 1. 2027", date(2027, 1, 1)),
    ("2030-12-31", date(2030, 12, 31)), ("2030-12-31 00:00:00", date(2030, 12, 31)), ("Ende 2030", None),
])
def test_parse_date_reads_german_and_iso_dates(typed, value):
    assert parse_date(typed) == value


def test_parse_date_refuses_a_day_that_does_not_exist():
    with pytest.raises(ValueError):
        parse_date("31.02.2030")


@pytest.mark.parametrize("typed", ["12.500,00 €", "9710,5", "1.200", "12,500.00", "viel", "1.2.3"])
def test_the_erhebung_and_the_excel_csv_read_an_amount_alike(typed):
    try:
        erhebung = betrag(typed)
    except Unzulaessig:
        erhebung = None
    csv = from_excel_text(typed, AMOUNT)
    if erhebung is None:
        assert csv == typed  # left as typed: the model refuses it with its place
    else:
        assert Decimal(csv) == erhebung


@pytest.mark.parametrize("typed", ["1.200", "24", "1.234.567"])
def test_the_erhebung_and_the_excel_csv_read_a_whole_number_alike(typed):
    assert int(from_excel_text(typed, USERS)) == ganzzahl(typed)


@pytest.mark.parametrize("typed", ["31.12.2030", "1.1.27", "2030-12-31"])
def test_the_erhebung_and_the_excel_csv_read_a_date_alike(typed):
    assert date.fromisoformat(from_excel_text(typed, DAY)) == datum(typed)


def test_the_excel_csv_reads_ja_nein_in_any_case_and_leaves_the_rest_for_the_model():
    assert [from_excel_text(x, FLAG) for x in ("JA", " nein ", "vielleicht")] == ["true", "false", "vielleicht"]
    assert from_excel_text("31.02.2030", DAY) == "31.02.2030"  # the model names the impossible day
    assert parse_ja_nein("Ja") is True


@pytest.mark.parametrize("value", [Decimal(12500), Decimal("0.5"), Decimal("1234567.891"), Decimal("-0.004")])
def test_the_change_report_writes_amounts_as_the_board_pack_does(value):
    assert format_de(value) == Translator("de").money(value) == money(value)


@pytest.mark.parametrize("value", [7, 1200, 1_234_567, -3])
def test_the_change_report_writes_numbers_as_the_board_pack_does(value):
    assert format_de(value) == Translator("de").number(value) == number(value)


def test_the_change_report_writes_dates_as_the_board_pack_does():
    d = date(2030, 12, 31)
    assert format_de(d) == Translator("de").date(d) == "31.12.2030"

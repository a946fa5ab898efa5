from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from reports.messages import LANGUAGES, MESSAGES, Translator, UnknownMessage


def test_money_german_format_uses_dot_thousands_and_comma_decimals():
    assert Translator("de").money(Decimal("1234567.891")) == "1.234.567,89 €"


def test_money_english_format_puts_euro_sign_first():
    assert Translator("en").money(1234.5) == "€1,234.50"


def test_money_negative_uses_minus_sign_in_both_languages():
    assert (Translator("de").money(-5), Translator("en").money(-5)) == ("−5,00 €", "−€5.00")


def test_percent_and_date_follow_language():
    de, en = Translator("de"), Translator("en")
    assert (de.percent(0.125), en.percent(0.125)) == ("12,5 %", "12.5%")
    assert (de.date(date(2026, 12, 31)), en.date(date(2026, 12, 31))) == ("31.12.2026", "2026-12-31")
    assert de.date(datetime(2026, 1, 2, 3, 4, tzinfo=UTC)) == "02.01.2026 03:04 UTC"


def test_catalogue_every_key_has_nonempty_text_in_every_language():
    empty = [k for k, texts in MESSAGES.items() if len(texts) != len(LANGUAGES) or not all(texts)]
    assert empty == []


def test_translator_unknown_key_raises():
    with pytest.raises(UnknownMessage):
        Translator("de")("no.such.key")


def test_translator_unknown_language_raises():
    with pytest.raises(ValueError, match="unknown language"):
        Translator("fr")  # type: ignore[arg-type]

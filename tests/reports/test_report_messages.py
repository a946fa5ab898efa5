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


@pytest.mark.parametrize(("amount", "de", "en"), [
    (-400, "0 T€", "€0k"),  # −0,4 T€ rounds to zero: no "−0"
    (-499.99, "0 T€", "€0k"),
    (-0.4, "0 T€", "€0k"),
    (-500, "−1 T€", "−€1k"),  # kaufmännisch: half away from zero, in both signs
    (500, "1 T€", "€1k"),
    (2500, "3 T€", "€3k"),  # half-even would give 2
    (-1_250_000, "−1,3 Mio. €", "−€1.3m"),
    (999_949.99, "1.000 T€", "€1,000k"),
    (999_950, "1,0 Mio. €", "€1.0m"),
    (-999_950, "−1,0 Mio. €", "−€1.0m"),
    (Decimal("34609722.93"), "34,6 Mio. €", "€34.6m"),
])
def test_money_round_is_half_up_and_never_negative_zero(amount, de, en):
    assert (Translator("de").money_round(amount), Translator("en").money_round(amount)) == (de, en)


def test_no_number_shows_a_negative_zero():
    de, en = Translator("de"), Translator("en")
    assert (de.money(-0.004), en.money(-0.004), de.thousands(-400), de.number(-0.04, 1)) == (
        "0,00 €", "€0.00", "0", "0,0")


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


def test_every_reason_kind_has_a_german_and_an_english_message():
    import typing

    from plan.models import BindingConstraint, MoveGroup, ReasonKind

    kinds = typing.get_args(ReasonKind)
    binding_kinds = typing.get_args(BindingConstraint.model_fields["kind"].annotation)
    group_reasons = typing.get_args(MoveGroup.model_fields["reason"].annotation)
    keys = ([f"reason.{k}" for k in kinds] + [f"binding.{k}" for k in binding_kinds]
            + [f"group.{r}" for r in group_reasons])
    missing = [k for k in keys if k not in MESSAGES]
    assert missing == []
    assert [k for k in keys if not (MESSAGES[k][0] and MESSAGES[k][1])] == []


def test_a_reason_renders_its_values_per_language():
    from plan.models import Reason

    contract = Reason(kind="contract_ends", params={"system": "a.mail", "end": "2027-12-31", "notice": "2027-09-30"})
    assert Translator("de").reason(contract) == "Vertrag von a.mail endet 31.12.2027, Kündigung bis 30.09.2027"
    assert Translator("en").reason(contract) == "contract of a.mail ends 2027-12-31, notice by 2027-09-30"
    demand = Reason(kind="demand_eigen", params={"need": 12345, "available": 9000})
    assert Translator("de").reason(demand) == ("Teamkapazität Eigenleistung: Bedarf 12.345 PT, im Horizont "
                                               "verfügbar 9.000 PT")
    assert Translator("en").reason(demand).startswith("in-house team capacity: 12,345 person-days needed")
    conflict = Reason(kind="contradiction")
    parts = (Reason(kind="window", params={"window": "wahl"}),
             Reason(kind="precedence", params={"successor": "g.b", "predecessor": "g.a"}))
    assert Translator("de").reason(conflict, parts) == "Widerspruch: Sperrfenster wahl; Abhängigkeit: g.b erst nach g.a"
    assert Translator("en").reason(conflict, parts) == ("Contradiction: blackout window wahl; dependency: g.b only "
                                                        "after g.a")

"""Money as integer cents: what people type is read with Decimal, amounts are written for people."""

import pytest

from microgigs.services.amounts import (
    MAX_CENTS,
    AmountError,
    MissingAmount,
    cents_to_units,
    format_cents,
    parse_cents,
    whole_units_to_cents,
)


@pytest.mark.parametrize(
    ("typed", "cents"),
    [
        ("450", 45_000),
        ("450.5", 45_050),
        ("450.50", 45_050),
        ("0.29", 29),  # exactly: a float would make it 28.999...
        ("1,000.50", 100_050),
        ("$12", 1_200),
        ("$1,250.50", 125_050),
        (" 12.05 ", 1_205),
        ("1 000", 100_000),
        ("0", 0),
        ("1,000,000", 100_000_000),
        ("٣", 300),  # an Arabic-Indic digit three
    ],
)
def test_reads_what_people_type(typed, cents):
    assert parse_cents(typed) == cents


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("12.345", "at most two digits after the point"),
        ("0.001", "at most two digits after the point"),
        ("-1", "without a minus sign"),
        ("-$5", "without a minus sign"),
        ("-", "as a number of dollars"),
        ("$-5", "without a minus sign"),
        ("abc", "as a number of dollars"),
        ("1,00", "as a number of dollars"),
        ("1e3", "as a number of dollars"),
        ("NaN", "as a number of dollars"),
        ("inf", "as a number of dollars"),
        ("0x10", "as a number of dollars"),
        ("1_000", "as a number of dollars"),
        ("²", "as a number of dollars"),
        ("12\x00", "as a number of dollars"),
        ("9" * 40, "at most $1,000,000,000.00"),
    ],
)
def test_refuses_anything_else_with_a_message_that_says_why(typed, problem):
    with pytest.raises(AmountError) as error:
        parse_cents(typed)
    assert problem in str(error.value)
    assert "dollars" in str(error.value)


@pytest.mark.parametrize("typed", ["", "   ", "$", " $ ", None])
def test_blank_is_missing_so_a_form_may_ask_in_its_own_words_or_read_it_as_zero(typed):
    with pytest.raises(MissingAmount, match="^Enter the amount in dollars, for example 450.$"):
        parse_cents(typed)


def test_the_messages_name_the_amount():
    with pytest.raises(AmountError, match="^Enter the pay as a number of dollars, like 450 or 450.50.$"):
        parse_cents("abc", "the pay")


def test_the_largest_amount_is_the_limit():
    assert parse_cents(format_cents(MAX_CENTS)) == MAX_CENTS
    with pytest.raises(AmountError, match="at most"):
        parse_cents("1,000,000,000.01")
    assert parse_cents("20", max_cents=2_000) == 2_000
    with pytest.raises(AmountError, match=r"at most \$20.00"):
        parse_cents("20.01", max_cents=2_000)


def test_formats_for_people():
    assert format_cents(0) == "$0.00"
    assert format_cents(5) == "$0.05"
    assert format_cents(123456789) == "$1,234,567.89"
    assert format_cents(500, "gbp") == "£5.00"
    assert format_cents(500, "EUR") == "€5.00"
    assert format_cents(500, "chf") == "5.00 CHF"
    assert format_cents(-1_050) == "$-10.50"


def test_what_is_formatted_reads_back_the_same():
    for cents in (0, 1, 99, 100, 45_050, 123_456_789):
        assert parse_cents(format_cents(cents)) == cents


def test_whole_units_and_chart_numbers():
    assert whole_units_to_cents(300) == 30_000
    assert cents_to_units(12_345) == 123.45

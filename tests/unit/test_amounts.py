"""Money as integer cents: what people type is read with Decimal, amounts are written for people."""

import pytest

from microgigs.services.amounts import (
    MAX_CENTS,
    AmountError,
    MissingAmount,
    cents_to_units,
    currency_name,
    currency_symbol,
    format_cents,
    is_currency,
    minor_units,
    parse_cents,
    plain_units,
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
        ("-", "as a number of US dollars"),
        ("$-5", "without a minus sign"),
        ("abc", "as a number of US dollars"),
        ("1,00", "as a number of US dollars"),
        ("1e3", "as a number of US dollars"),
        ("NaN", "as a number of US dollars"),
        ("inf", "as a number of US dollars"),
        ("0x10", "as a number of US dollars"),
        ("1_000", "as a number of US dollars"),
        ("²", "as a number of US dollars"),
        ("12\x00", "as a number of US dollars"),
        ("9" * 40, "at most $1,000,000,000.00"),
    ],
)
def test_refuses_anything_else_with_a_message_that_says_why(typed, problem):
    with pytest.raises(AmountError) as error:
        parse_cents(typed)
    assert problem in str(error.value)
    assert "US dollars" in str(error.value)


@pytest.mark.parametrize("typed", ["", "   ", "$", " $ ", None])
def test_blank_is_missing_so_a_form_may_ask_in_its_own_words_or_read_it_as_zero(typed):
    with pytest.raises(MissingAmount, match="^Enter the amount in US dollars, for example 450.$"):
        parse_cents(typed)


def test_the_messages_name_the_amount():
    with pytest.raises(AmountError, match="^Enter the pay as a number of US dollars, like 450 or 450.50.$"):
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


# --- other currencies: "cents" are the currency's minor units ------------------------------


def test_each_currency_has_its_minor_units():
    assert (minor_units("usd"), minor_units("EUR"), minor_units("jpy"), minor_units("kwd")) == (2, 2, 0, 3)


@pytest.mark.parametrize(
    ("cents", "currency", "shown"),
    [
        (123_450, "usd", "$1,234.50"),
        (500, "eur", "€5.00"),
        (500, "gbp", "£5.00"),
        (1_235, "jpy", "¥1,235"),
        (45_000, "JPY", "¥45,000"),
        (0, "jpy", "¥0"),
        (1_234_500, "kwd", "1,234.500 KWD"),
        (5, "kwd", "0.005 KWD"),
        (500, "chf", "5.00 CHF"),
        (500, "cad", "CA$5.00"),  # English's own symbol, never a bare "$" for another dollar
    ],
)
def test_formats_in_the_currency_s_decimals_and_symbol(cents, currency, shown):
    assert format_cents(cents, currency) == shown
    assert parse_cents(shown, currency=currency) == cents  # what is shown reads back the same


@pytest.mark.parametrize(
    ("typed", "currency", "cents"),
    [
        ("450", "jpy", 450),
        ("45,000", "jpy", 45_000),
        ("¥45,000", "jpy", 45_000),
        ("450", "kwd", 450_000),
        ("1.5", "kwd", 1_500),
        ("1.250", "kwd", 1_250),
        ("1.25 KWD", "kwd", 1_250),
        ("€450.5", "eur", 45_050),
        ("EUR 450", "eur", 45_000),
    ],
)
def test_reads_what_people_type_in_the_currency(typed, currency, cents):
    assert parse_cents(typed, currency=currency) == cents


@pytest.mark.parametrize(
    ("typed", "currency", "message"),
    [
        ("450.5", "jpy", "Enter the pay in whole Japanese yen, without a decimal point, like 450."),
        ("450.0", "jpy", "Enter the pay in whole Japanese yen, without a decimal point, like 450."),
        ("1.2345", "kwd", "Enter the pay in Kuwaiti dinars, with at most three digits after the point, like 450.500."),
        ("12.345", "eur", "Enter the pay in euros, with at most two digits after the point, like 450.50."),
        ("abc", "jpy", "Enter the pay as a number of Japanese yen, like 450 or 4,500."),
        ("-5", "eur", "Enter the pay in euros without a minus sign, like 450."),
        ("$5", "eur", "Enter the pay as a number of euros, like 450 or 450.50."),  # another currency's symbol
        ("", "jpy", "Enter the pay in Japanese yen, for example 450."),
        ("¥", "jpy", "Enter the pay in Japanese yen, for example 450."),
    ],
)
def test_refusals_name_the_currency_in_words(typed, currency, message):
    with pytest.raises(AmountError) as error:
        parse_cents(typed, "the pay", currency=currency)
    assert str(error.value) == message


def test_the_limit_is_shown_in_the_currency():
    with pytest.raises(AmountError, match="^Enter the pay in Japanese yen, at most ¥2,000.$"):
        parse_cents("2001", "the pay", currency="jpy", max_cents=2_000)


def test_currency_words_and_codes():
    assert currency_name("usd") == "US dollars"
    assert currency_name("jpy") == "Japanese yen"
    assert currency_symbol("usd") == "$" and currency_symbol("kwd") == ""
    assert is_currency("eur") and is_currency("JPY")
    assert not is_currency("xyz") and not is_currency("")


def test_whole_units_chart_numbers_and_form_text_per_currency():
    assert whole_units_to_cents(300, "jpy") == 300
    assert whole_units_to_cents(300, "kwd") == 300_000
    assert whole_units_to_cents(300, "eur") == 30_000
    assert cents_to_units(12_345, "jpy") == 12_345
    assert cents_to_units(12_345, "kwd") == 12.345
    assert plain_units(45_050, "usd") == "450.50"
    assert plain_units(45_000, "usd") == "450"
    assert plain_units(45_000, "jpy") == "45000"
    assert plain_units(1_250, "kwd") == "1.250"

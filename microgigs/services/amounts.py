"""Money as integer cents: parse what people type with Decimal, format for people.

Every amount in MicroGigs is an integer number of "cents" plus a currency code (see models.py).
"Cents" means the currency's MINOR units, as many as ISO 4217 (through Babel's CLDR data)
gives it: cents for usd (2 decimals), yen for jpy (0 decimals: 450 cents is ¥450), fils for
kwd (3 decimals: 1,000 cents is 1.000 KWD). Columns keep their `*_cents` names.

This module is the one place that turns text into cents and cents into text, so a form, a
service message and a receipt all read and write amounts the same way. It is foundation:
it imports nothing else of MicroGigs (only Babel's currency data).

Parsing uses Decimal, never float: "0.29" is exactly 29 cents, and "1e3", "inf" or "NaN"
are refused rather than read as numbers. Formats are English by default ("$1,234.50", "¥1,235",
"1,234.500 KWD"); given a language, format_cents writes money as that language does.
"""

import re
from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

from babel.numbers import get_currency_name, get_currency_precision, get_currency_symbol, list_currencies

from microgigs import i18n

DEFAULT_CURRENCY = "usd"

# Far above any real gig, and far below what a 64-bit database column holds: the limit in
# minor units whatever the currency (a billion dollars, a hundred billion yen).
MAX_CENTS = 100_000_000_000

# Whole units, with commas between thousands ("1,250") or none ("1250"), then at most some
# decimals. \d also takes other scripts' digits ("٣"), which Decimal reads as the same digit.
_AMOUNT = re.compile(r"^(?P<units>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<decimals>\d+))?$")
_DIGIT_WORDS = {1: i18n._("one digit"), 2: i18n._("two digits"), 3: i18n._("three digits")}


class AmountError(ValueError):
    """Text that is not an amount of money; str(error) is a message a person can read."""


class MissingAmount(AmountError):
    """Blank text (or a lone "$"): a form may ask for the amount in its own words, or read it as 0."""


def _code(currency: str | None) -> str:
    return (currency or DEFAULT_CURRENCY).strip().upper()


@cache
def is_currency(currency: str) -> bool:
    """Whether `currency` is an ISO 4217 code Babel knows ("usd", "JPY"; not "xyz", not "")."""
    return bool(currency) and currency.strip().upper() in list_currencies()


@cache
def minor_units(currency: str = DEFAULT_CURRENCY) -> int:
    """How many decimals the currency has: 2 for usd and eur, 0 for jpy, 3 for kwd."""
    return get_currency_precision(_code(currency))


@cache
def currency_name(currency: str = DEFAULT_CURRENCY) -> str:
    """The currency in words, plural, for messages and labels: "US dollars", "Japanese yen"."""
    return get_currency_name(_code(currency), count=2, locale="en")


@cache
def currency_symbol(currency: str = DEFAULT_CURRENCY) -> str:
    """The English symbol written before an amount ("$", "€", "¥", "CA$"), or "" when English
    has none but the code (CHF, KWD): such amounts get the code after the number."""
    code = _code(currency)
    symbol = get_currency_symbol(code, locale="en")
    return "" if symbol == code else symbol


def parse_cents(text: str | None, what: str | None = None, *, currency: str = DEFAULT_CURRENCY, max_cents: int = MAX_CENTS) -> int:
    """An amount as people type it in `currency` ("450", "450.5", "$1,250.50", " 12.05 ",
    "¥45,000", "1.250 KWD") -> its minor units.

    `what` names the amount in the messages (msg("the pay"); default "the amount"); the messages
    name the currency in words and are service messages (i18n.msg), translated where shown.
    Raises MissingAmount for blank text, and AmountError for a minus sign, more decimals than
    the currency has (any for jpy, a fourth for kwd), anything that is not a plain number
    (1e3, NaN, 1,00) and amounts above `max_cents`.
    """
    code, decimals = _code(currency), minor_units(currency)
    what = what if what is not None else i18n.msg("the amount")
    name = i18n.CurrencyName(currency_name(currency), currency)
    symbol = currency_symbol(currency)
    cleaned = (text or "").strip().replace(" ", "")
    negative = cleaned.startswith("-")
    cleaned = cleaned.removeprefix("-")
    for mark in (symbol, code, code.lower()):
        if mark:
            cleaned = cleaned.removeprefix(mark).removesuffix(mark)
    if not negative and cleaned.startswith("-"):  # "$-5"
        negative, cleaned = True, cleaned[1:]
    if not cleaned and not negative:
        raise MissingAmount(i18n.msg("Enter {what} in {currency}, for example 450.", what=what, currency=name))
    match = _AMOUNT.match(cleaned)
    with_decimals = f"450.{'5' + '0' * (decimals - 1)}" if decimals else ""
    if match is None:
        if decimals:
            raise AmountError(
                i18n.msg("Enter {what} as a number of {currency}, like 450 or {example}.", what=what, currency=name, example=with_decimals)
            )
        raise AmountError(i18n.msg("Enter {what} as a number of {currency}, like 450 or 4,500.", what=what, currency=name))
    if negative:
        raise AmountError(i18n.msg("Enter {what} in {currency} without a minus sign, like 450.", what=what, currency=name))
    if len(match["decimals"] or "") > decimals:
        if decimals == 0:
            raise AmountError(i18n.msg("Enter {what} in whole {currency}, without a decimal point, like 450.", what=what, currency=name))
        digits = i18n.Text(_DIGIT_WORDS[decimals]) if decimals in _DIGIT_WORDS else f"{decimals} digits"
        raise AmountError(
            i18n.msg(
                "Enter {what} in {currency}, with at most {digits} after the point, like {example}.",
                what=what,
                currency=name,
                digits=digits,
                example=with_decimals,
            )
        )
    cents = int(Decimal(cleaned.replace(",", "")).scaleb(decimals))
    if cents > max_cents:
        most = i18n.Money(format_cents(max_cents, currency), max_cents, currency)
        raise AmountError(i18n.msg("Enter {what} in {currency}, at most {most}.", what=what, currency=name, most=most))
    return cents


def format_cents(cents: int, currency: str = DEFAULT_CURRENCY, language: str | None = None) -> str:
    """Minor units for people, in the currency's decimals: "$1,234.50", "€5.00", "¥1,235",
    or "1,234.500 KWD" / "5.00 CHF" for a currency English writes only by its code. With a
    `language` ("es"), as that language writes money (i18n.format_money: "1234,50 US$"); English
    keeps the form above."""
    if language is not None and language != "en":
        return i18n.format_money(cents, currency, language)
    decimals = minor_units(currency)
    symbol = currency_symbol(currency)
    amount = f"{Decimal(cents).scaleb(-decimals):,.{decimals}f}"
    return f"{symbol}{amount}" if symbol else f"{amount} {_code(currency)}"


def format_by_currency(totals: Mapping[str, int], default_currency: str = DEFAULT_CURRENCY, language: str | None = None) -> str:
    """Sums kept apart by currency, never added together (there is no exchange rate here):
    {"usd": 30000, "jpy": 4500} -> "$300.00 + ¥4,500"; nothing at all -> "$0.00" (in
    `default_currency`). Currencies in code order, those summing to 0 left out. `language` as
    for format_cents."""
    shown = [format_cents(cents, code, language) for code, cents in sorted((c.lower(), n) for c, n in totals.items()) if cents]
    return " + ".join(shown) or format_cents(0, default_currency, language)


def plain_units(cents: int, currency: str = DEFAULT_CURRENCY) -> str:
    """Minor units as a form shows them again, without symbol or thousands: "450", "450.50",
    "45000" (jpy), "1.250" (kwd). Whole amounts drop their zero decimals ("450", not "450.00")."""
    decimals = minor_units(currency)
    units, rest = divmod(cents, 10**decimals)
    return f"{units}.{rest:0{decimals}d}" if rest else str(units)


def percent_of(cents: int, percent: float) -> int:
    """`percent` % of `cents`, to the nearest cent (a tie to the even cent), computed in decimal:
    a percent setting is read as the number it was written as (2.05 is 2.05, not the float
    just below it), so 2.05 % of $30.00 is 62 cents, not 61."""
    exact = Decimal(cents) * Decimal(str(percent)) / 100
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def whole_units_to_cents(units: int, currency: str = DEFAULT_CURRENCY) -> int:
    """A whole number of the currency's units (a search filter's "pay from 300") -> minor units:
    30,000 cents for usd, 300 yen for jpy, 300,000 fils for kwd."""
    return units * 10 ** minor_units(currency)


def cents_to_units(cents: int, currency: str = DEFAULT_CURRENCY) -> float:
    """Minor units as a plain number of the currency's units, for a chart's axis (12345 -> 123.45)."""
    return cents / 10 ** minor_units(currency)

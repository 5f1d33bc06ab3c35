"""Money as integer cents: parse what people type with Decimal, format for people.

Every amount in MicroGigs is an integer number of cents plus a currency code (see models.py).
This module is the one place that turns text into cents and cents into text, so a form, a
service message and a receipt all read and write amounts the same way. It is foundation:
it imports nothing else of MicroGigs.

Parsing uses Decimal, never float: "0.29" is exactly 29 cents, and "1e3", "inf" or "NaN"
are refused rather than read as numbers.
"""

import re
from decimal import ROUND_HALF_EVEN, Decimal

# Symbols we write before an amount; any other currency gets its code after the number.
CURRENCY_SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£"}

# Far above any real gig, and far below what a 64-bit database column holds.
MAX_CENTS = 100_000_000_000  # one billion dollars

# Whole units, with commas between thousands ("1,250") or none ("1250"), then at most some
# decimals. \d also takes other scripts' digits ("٣"), which Decimal reads as the same digit.
_AMOUNT = re.compile(r"^(?P<units>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<decimals>\d+))?$")


class AmountError(ValueError):
    """Text that is not an amount of money; str(error) is a message a person can read."""


class MissingAmount(AmountError):
    """Blank text (or a lone "$"): a form may ask for the amount in its own words, or read it as 0."""


def parse_cents(text: str | None, what: str = "the amount", *, max_cents: int = MAX_CENTS) -> int:
    """Dollars as people type them ("450", "450.5", "$1,250.50", " 12.05 ") -> cents.

    `what` names the amount in the messages ("the pay"). Raises MissingAmount for blank text,
    and AmountError for a minus sign, more than two decimals, anything that is not a plain
    number (1e3, NaN, 1,00) and amounts above `max_cents`.
    """
    cleaned = (text or "").strip().replace(" ", "")
    negative = cleaned.startswith("-")
    cleaned = cleaned.removeprefix("-").removeprefix("$")
    if not negative and cleaned.startswith("-"):  # "$-5"
        negative, cleaned = True, cleaned[1:]
    if not cleaned and not negative:
        raise MissingAmount(f"Enter {what} in dollars, for example 450.")
    match = _AMOUNT.match(cleaned)
    if match is None:
        raise AmountError(f"Enter {what} as a number of dollars, like 450 or 450.50.")
    if negative:
        raise AmountError(f"Enter {what} in dollars without a minus sign, like 450.")
    if len(match["decimals"] or "") > 2:
        raise AmountError(f"Enter {what} in dollars and cents, with at most two digits after the point, like 450.50.")
    cents = int(Decimal(cleaned.replace(",", "")) * 100)
    if cents > max_cents:
        raise AmountError(f"Enter {what} in dollars, at most {format_cents(max_cents)}.")
    return cents


def format_cents(cents: int, currency: str = "usd") -> str:
    """Cents for people: "$1,234.50", "£5.00", or "5.00 CHF" for a currency without a symbol."""
    symbol = CURRENCY_SYMBOLS.get(currency.lower(), "")
    amount = f"{Decimal(cents) / 100:,.2f}"
    return f"{symbol}{amount}" if symbol else f"{amount} {currency.upper()}"


def percent_of(cents: int, percent: float) -> int:
    """`percent` % of `cents`, to the nearest cent (a tie to the even cent), computed in decimal:
    a percent setting is read as the number it was written as (2.05 is 2.05, not the float
    just below it), so 2.05 % of $30.00 is 62 cents, not 61."""
    exact = Decimal(cents) * Decimal(str(percent)) / 100
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def whole_units_to_cents(units: int) -> int:
    """A whole number of dollars (a search filter's "pay from 300") -> cents."""
    return units * 100


def cents_to_units(cents: int) -> float:
    """Cents as a plain number of dollars, for a chart's axis (12345 -> 123.45)."""
    return cents / 100

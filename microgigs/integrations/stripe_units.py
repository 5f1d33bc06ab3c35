"""Stripe's amount units, and the currencies MicroGigs can send to Stripe.

Our amounts are in the currency's minor units as ISO 4217 / CLDR give them
(services/amounts.minor_units: 2 for usd, 0 for jpy, 3 for kwd). Stripe's API takes "the
currency's smallest unit" too, with its own list of exceptions (docs.stripe.com/currencies,
"Zero-decimal currencies", "Three-decimal currencies" and "Special cases"):

- Zero-decimal: BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF: 500 is ¥500.
- Special cases: ISK and UGX are zero-decimal, but for backwards compatibility the API takes
  them as two-decimal amounts whose decimals are always 00 (5 ISK is 500). HUF and TWD are
  two-decimal in the API, but paid out to a bank only in whole units (amounts divisible by 100).
- Three-decimal: BHD JOD KWD OMR TND: thousandths, but the last digit must be 0.
- Every other currency: two decimals.

`to_stripe` / `from_stripe` convert one way and back, a whole power of ten; `stripe_refusal`
says why a currency cannot be used with Stripe at all: three-decimal currencies (a percent
fee, a kill fee or a part payment lands on any fils, and Stripe refuses a last digit other than 0),
TWD (a student's payout would leave fractions of a dollar stuck on their account), and any
currency whose minor units are finer than Stripe's units. No Stripe SDK here: the center's
settings page checks a currency without loading it. Minor units are Babel's, as
services/amounts.py reads them (an integration imports no service).
"""

from babel.numbers import get_currency_name, get_currency_precision, list_currencies

# docs.stripe.com/currencies#zero-decimal (UGX is listed there but, as a special case, sent
# as two-decimal: docs.stripe.com/currencies#special-cases).
ZERO_DECIMAL = frozenset({"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "vnd", "vuv", "xaf", "xof", "xpf"})
# docs.stripe.com/currencies#three-decimal
THREE_DECIMAL = frozenset({"bhd", "jod", "kwd", "omr", "tnd"})
# docs.stripe.com/currencies#special-cases: paid out only in whole units.
WHOLE_PAYOUTS = frozenset({"huf", "twd"})


def stripe_decimals(currency: str) -> int:
    """How many decimals Stripe's API amounts have for `currency` (ISK and UGX: 2, see above)."""
    code = currency.lower()
    if code in ZERO_DECIMAL:
        return 0
    if code in THREE_DECIMAL:
        return 3
    return 2


def _shift(currency: str) -> int:
    return stripe_decimals(currency) - get_currency_precision(currency.upper())


def stripe_refusal(currency: str) -> str | None:
    """Why MicroGigs cannot take payments in `currency` through Stripe, or None when it can."""
    code = (currency or "").strip().lower()
    if code.upper() not in list_currencies():
        return f"{currency!r} is not an ISO 4217 currency code."
    name = get_currency_name(code.upper(), count=2, locale="en")
    if code in THREE_DECIMAL:
        return (
            f"Stripe takes {name} only in tens of the smallest unit, and fees and part payments "
            "would not always be: choose another currency or the demo gateway."
        )
    if code in WHOLE_PAYOUTS and _shift(code) == 0:
        return f"Stripe pays {name} out to students' banks only in whole units: choose another currency or the demo gateway."
    if _shift(code) < 0:
        return f"Stripe takes {name} with fewer decimals than MicroGigs keeps them: choose another currency."
    return None


def to_stripe(amount: int, currency: str) -> int:
    """Our minor units -> Stripe's API amount (identity for usd, eur and jpy; ×100 for ISK,
    UGX, HUF, whose CLDR minor units are 0 but Stripe's API amounts are two-decimal)."""
    shift = _shift(currency)
    if shift < 0:
        raise ValueError(f"Stripe cannot take {currency.upper()}: {stripe_refusal(currency)}")
    return amount * 10**shift


def from_stripe(amount: int, currency: str) -> int:
    """Stripe's API amount -> our minor units (the reverse of to_stripe)."""
    shift = _shift(currency)
    if shift < 0:
        raise ValueError(f"Stripe cannot take {currency.upper()}: {stripe_refusal(currency)}")
    return amount // 10**shift

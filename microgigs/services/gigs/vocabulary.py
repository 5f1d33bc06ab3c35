"""The words and limits of a gig: its categories, where the work happens, how much a form
may hold, and which statuses anyone may see."""

from microgigs import i18n
from microgigs.i18n import _
from microgigs.services.amounts import minor_units, whole_units_to_cents
from microgigs.services.statuses import GigStatus

# Stored as these English words; shown in the reader's language (marked for the catalogue).
CATEGORIES = (
    _("Marketing"),
    _("Research"),
    _("Data analysis"),
    _("Software"),
    _("Design"),
    _("Writing"),
    _("Operations"),
    _("Finance"),
)
CATEGORY_NAMES = {category: category for category in CATEGORIES}  # shown translated (draw.named)
LOCATION_MODES = ("remote", "onsite", "hybrid")
LOCATION_MODE_NAMES = {"remote": _("Remote"), "onsite": _("On-site"), "hybrid": _("Hybrid")}
BOARD_PAGE_SIZE = 20  # gigs per page of the board
MAX_SKILLS = 8
MAX_QUESTIONS = 5
MAX_SLOTS = 50
MAX_PAY_CENTS = 10_000_000  # in usd: $100,000 a student; other currencies: max_pay_cents

# A gig in one of these is public: anyone may see its page, students may save it. The others
# (draft, in review, rejected, cancelled, expired) only its managers and staff see.
PUBLIC_STATUSES = (GigStatus.OPEN, GigStatus.FILLED, GigStatus.IN_PROGRESS, GigStatus.COMPLETED)


def max_pay_cents(currency: str = "usd") -> int:
    """The most one student's pay may be, in `currency`'s minor units: a typo's guard, not an
    exchange rate. 100,000 whole units ($100,000, €100,000, 100,000.000 KWD); a currency without
    decimals has small units (yen, won), so 100,000,000 of them."""
    return whole_units_to_cents(100_000_000 if minor_units(currency) == 0 else MAX_PAY_CENTS // 100, currency)


def format_money(cents: int, currency: str = "usd", language: str = i18n.DEFAULT) -> str:
    """An amount in the currency's minor units, as `language` writes money (i18n.format_money)."""
    return i18n.format_money(cents, currency, language)

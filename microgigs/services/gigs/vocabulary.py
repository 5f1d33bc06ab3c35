"""The words and limits of a gig: its categories, where the work happens, how much a form
may hold, and which statuses anyone may see."""

from microgigs.services.amounts import format_cents, minor_units, whole_units_to_cents
from microgigs.services.statuses import GigStatus

CATEGORIES = (
    "Marketing",
    "Research",
    "Data analysis",
    "Software",
    "Design",
    "Writing",
    "Operations",
    "Finance",
)
LOCATION_MODES = ("remote", "onsite", "hybrid")
LOCATION_MODE_NAMES = {"remote": "Remote", "onsite": "On-site", "hybrid": "Hybrid"}
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


def format_money(cents: int, currency: str = "usd") -> str:
    """Kept for older callers; amounts are formatted in one place, services.amounts."""
    return format_cents(cents, currency)

"""The words and limits of a gig: its categories, where the work happens, how much a form
may hold, and which statuses anyone may see."""

from microgigs.services.amounts import format_cents
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
MAX_PAY_CENTS = 10_000_000

# A gig in one of these is public: anyone may see its page, students may save it. The others
# (draft, in review, rejected, cancelled, expired) only its managers and staff see.
PUBLIC_STATUSES = (GigStatus.OPEN, GigStatus.FILLED, GigStatus.IN_PROGRESS, GigStatus.COMPLETED)


def format_money(cents: int, currency: str = "usd") -> str:
    """Kept for older callers; amounts are formatted in one place, services.amounts."""
    return format_cents(cents, currency)

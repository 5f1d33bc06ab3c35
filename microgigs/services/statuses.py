"""The names of every status a stored object can be in: one enum per lifecycle.

They are `StrEnum`s: a member *is* its string, so rows keep plain text columns, a member
compares equal to the text a row holds, and pages can use them where text is expected.
Write `EngagementStatus.ACTIVE`, never `"active"`. Which moves are allowed between them is
each lifecycle's own table (services/application_lifecycle.py, engagement_lifecycle.py, payment_lifecycle.py, gigs).
"""

from enum import StrEnum

from microgigs.i18n import Text, _


class GigStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    OPEN = "open"
    FILLED = "filled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"
    SHORTLISTED = "shortlisted"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class EngagementStatus(StrEnum):
    FUNDING = "funding"
    ACTIVE = "active"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    APPROVED = "approved"
    PAID = "paid"
    CANCELLED = "cancelled"
    DISPUTED = "disputed"


class PaymentState(StrEnum):
    """Where one engagement's money is (EngagementPayment.state)."""

    UNFUNDED = "unfunded"
    CHECKOUT_OPEN = "checkout_open"
    CHECKOUT_EXPIRED = "checkout_expired"
    PAYMENT_FAILED = "payment_failed"
    FUNDED = "funded"
    PAYOUT_PENDING = "payout_pending"
    AWAITING_PAYOUT_ACCOUNT = "awaiting_payout_account"
    PAYOUT_FAILED = "payout_failed"
    PAID = "paid"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"


# Every status in the words a refusal quotes ("A gig that is in review cannot become open."),
# marked for the catalogue. One word per status for every kind of object: a status shared by two
# kinds ("submitted", "cancelled") reads the same for both, as on the status badges.
_WORDS = {
    "draft": _("draft"),
    "in_review": _("in review"),
    "open": _("open"),
    "filled": _("filled"),
    "in_progress": _("in progress"),
    "completed": _("completed"),
    "rejected": _("rejected"),
    "cancelled": _("cancelled"),
    "expired": _("expired"),
    "submitted": _("submitted"),
    "shortlisted": _("shortlisted"),
    "accepted": _("accepted"),
    "declined": _("declined"),
    "withdrawn": _("withdrawn"),
    "funding": _("funding"),
    "active": _("active"),
    "changes_requested": _("changes requested"),
    "approved": _("approved"),
    "paid": _("paid"),
    "disputed": _("disputed"),
    "unfunded": _("unfunded"),
    "checkout_open": _("awaiting checkout"),
    "checkout_expired": _("checkout expired"),
    "payment_failed": _("payment failed"),
    "funded": _("funded"),
    "payout_pending": _("payout pending"),
    "awaiting_payout_account": _("awaiting a payout account"),
    "payout_failed": _("payout failed"),
    "refunded": _("refunded"),
    "partially_refunded": _("partially refunded"),
    "pending": _("pending"),  # an employer waiting for vetting
    "suspended": _("suspended"),
}


def status_words(status: str) -> Text | str:
    """A status in words for a sentence, translated where the sentence is shown (a Text); an
    unknown status in plain words ("some_state" -> "some state")."""
    words = _WORDS.get(str(status))
    return Text(words) if words else str(status).replace("_", " ")

"""The names of every status a stored object can be in: one enum per lifecycle.

They are `StrEnum`s: a member *is* its string, so rows keep plain text columns, a member
compares equal to the text a row holds, and pages can use them where text is expected.
Write `EngagementStatus.ACTIVE`, never `"active"`. Which moves are allowed between them is
each lifecycle's own table (services/application_lifecycle.py, engagement_lifecycle.py, payment_lifecycle.py, gigs).
"""

from enum import StrEnum


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

"""One badge for every status a person sees: gigs, applications and engagements.

The same word can name a state of two things ("submitted" is an application that
waits for a decision, or a deliverable that waits for review); the label is written
so that it reads right for both.
"""

import reflex as rx

# status -> (human text, Radix color). Soft badges in these colors pass WCAG AA contrast.
STATUSES: dict[str, tuple[str, str]] = {
    # gigs
    "draft": ("Draft", "gray"),
    "in_review": ("In review", "amber"),
    "open": ("Open", "green"),
    "filled": ("Filled", "blue"),
    "in_progress": ("In progress", "blue"),
    "completed": ("Completed", "grass"),
    "rejected": ("Rejected", "red"),
    "expired": ("Expired", "gray"),
    # applications
    "submitted": ("Submitted", "blue"),
    "shortlisted": ("Shortlisted", "violet"),
    "accepted": ("Accepted", "green"),
    "declined": ("Declined", "red"),
    "withdrawn": ("Withdrawn", "gray"),
    # engagements
    "funding": ("Awaiting funding", "amber"),
    "active": ("Active", "cyan"),
    "changes_requested": ("Changes requested", "orange"),
    "approved": ("Approved", "green"),
    "paid": ("Paid", "grass"),
    "cancelled": ("Cancelled", "gray"),
    "disputed": ("Disputed", "red"),
    # credentials
    "valid": ("Valid", "green"),
    "revoked": ("Revoked", "red"),
    "invalid": ("Not valid", "red"),
}


def status_label(status: str) -> str:
    """The human text for a status known in Python ("in_review" -> "In review")."""
    if status in STATUSES:
        return STATUSES[status][0]
    return status.replace("_", " ").capitalize()


def status_badge(status: str | rx.Var, **props) -> rx.Component:
    """A colored badge with the status in plain words.

    `status` may be a plain string or a state Var (for example an item inside
    rx.foreach); extra props (size, variant, ...) go to the badge.
    """
    props.setdefault("variant", "soft")
    props.setdefault("size", "2")
    # Soft green/amber text fails WCAG AA contrast on its own tint; high contrast passes.
    props.setdefault("high_contrast", True)
    if isinstance(status, str):
        label, color = STATUSES.get(status, (status_label(status), "gray"))
        return rx.badge(label, color_scheme=color, **props)
    cases = [(key, rx.badge(label, color_scheme=color, **props)) for key, (label, color) in STATUSES.items()]
    return rx.match(status, *cases, rx.badge(status, color_scheme="gray", **props))

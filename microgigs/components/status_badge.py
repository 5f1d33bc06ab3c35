"""One badge for every status a person sees: gigs, applications and engagements.

The same word can name a state of two things ("submitted" is an application that
waits for a decision, or a deliverable that waits for review); the label is written
so that it reads right for both.
"""

import reflex as rx

from microgigs.components.i18n import translated
from microgigs.i18n import _

# status -> (human text, marked for the catalogue and shown in the viewer's language, Radix color). Soft badges in these colors pass WCAG AA contrast.
STATUSES: dict[str, tuple[str, str]] = {
    # gigs
    "draft": (_("Draft"), "gray"),
    "in_review": (_("In review"), "amber"),
    "open": (_("Open"), "green"),
    "filled": (_("Filled"), "blue"),
    "in_progress": (_("In progress"), "blue"),
    "completed": (_("Completed"), "grass"),
    "rejected": (_("Rejected"), "red"),
    "expired": (_("Expired"), "gray"),
    # applications
    "submitted": (_("Submitted"), "blue"),
    "shortlisted": (_("Shortlisted"), "violet"),
    "accepted": (_("Accepted"), "green"),
    "declined": (_("Declined"), "red"),
    "withdrawn": (_("Withdrawn"), "gray"),
    # engagements
    "funding": (_("Awaiting funding"), "amber"),
    "active": (_("Active"), "cyan"),
    "changes_requested": (_("Changes requested"), "orange"),
    "approved": (_("Approved"), "green"),
    "paid": (_("Paid"), "grass"),
    "cancelled": (_("Cancelled"), "gray"),
    "disputed": (_("Disputed"), "red"),
    # credentials
    "valid": (_("Valid"), "green"),
    "revoked": (_("Revoked"), "red"),
    "invalid": (_("Not valid"), "red"),
}


def status_label(status: str) -> str:
    """The human text (English: the msgid) for a status known in Python ("in_review" -> "In review")."""
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
        return rx.badge(translated(label), color_scheme=color, **props)
    cases = [(key, rx.badge(translated(label), color_scheme=color, **props)) for key, (label, color) in STATUSES.items()]
    return rx.match(status, *cases, rx.badge(status, color_scheme="gray", **props))

"""Getting a gig onto the board: its managers submit it, career-center staff approve or
reject it; a trusted employer's gig opens without waiting for review."""

from datetime import date

from sqlmodel import Session

from microgigs.i18n import _
from microgigs.models import Gig, Organization, User
from microgigs.services import alerts, policy
from microgigs.services.errors import DomainError
from microgigs.services.gigs.form import input_from_gig, validate_gig_input
from microgigs.services.gigs.lifecycle import move_gig
from microgigs.services.gigs.lookups import get_gig
from microgigs.services.statuses import GigStatus
from microgigs.services.validation import ValidationFailed, clean_text, too_long


def submit_gig(session: Session, actor: User, gig_id: int, *, today: date | None = None) -> Gig:
    gig = get_gig(session, gig_id)
    policy.require(policy.manages_gig(session, actor, gig), _("Only the gig's own managers can submit it."))
    org = session.get(Organization, gig.organization_id)
    policy.require(policy.may_post_gigs(session, actor, org), _("Your organization is not approved to publish gigs."))
    if gig.status == GigStatus.DRAFT:
        # A draft saved days ago is checked again: its dates may have passed since.
        errors, _skills = validate_gig_input(session, input_from_gig(session, gig), today or date.today())
        if errors:
            raise ValidationFailed(errors)
    move_gig(session, actor, gig, GigStatus.IN_REVIEW)
    if org.trusted:
        move_gig(session, None, gig, GigStatus.OPEN, reason="trusted employer")
        alerts.gig_opened(session, gig)
    return gig


def approve_gig(session: Session, actor: User, gig_id: int) -> Gig:
    policy.require(policy.is_staff(actor), _("Only career-center staff can approve gigs."))
    gig = move_gig(session, actor, get_gig(session, gig_id), GigStatus.OPEN)
    # Saved searches with instant alerts hear of it now, in this transaction (nothing if refused).
    alerts.gig_opened(session, gig)
    return gig


def reject_gig(session: Session, actor: User, gig_id: int, reason: str) -> Gig:
    policy.require(policy.is_staff(actor), _("Only career-center staff can reject gigs."))
    reason = clean_text(reason)
    if not reason:
        raise DomainError("Say why the gig is rejected.", "reason")
    if len(reason) > 500:
        raise DomainError(too_long(500, len(reason)), "reason")
    return move_gig(session, actor, get_gig(session, gig_id), GigStatus.REJECTED, reason=reason)

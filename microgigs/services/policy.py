"""Who may do what to which thing. Deny by default: every check returns False
unless a rule below says yes. Services call `require(...)` before they act."""

from sqlmodel import Session, select

from microgigs.i18n import _
from microgigs.models import Engagement, Gig, Membership, Organization, User
from microgigs.services.errors import NotAllowed

STAFF_ROLES = frozenset({"staff", "admin"})


def require(allowed: bool, message: str = _("You are not allowed to do that.")) -> None:
    """Refuse (NotAllowed) unless `allowed`. Write `message` as msg("…") (or a literal marked
    with _()): then the catalogue holds it and the reader sees it in their language."""
    if not allowed:
        raise NotAllowed(message)


def is_signed_in(actor: User | None) -> bool:
    """Any active account, confirmed or not. Only for what an unconfirmed account may do:
    confirm its address (and ask for a new link), sign out, delete itself."""
    return actor is not None and actor.id is not None and actor.is_active


def is_active_user(actor: User | None) -> bool:
    """An active account whose email address is confirmed: the base of every other rule.
    An address nobody has confirmed is not an identity, so it may act on nothing."""
    return is_signed_in(actor) and actor.email_verified


def is_student(actor: User | None) -> bool:
    return is_active_user(actor) and actor.role == "student"


def is_staff(actor: User | None) -> bool:
    return is_active_user(actor) and actor.role in STAFF_ROLES


def organization_ids_managed_by(session: Session, actor: User | None) -> list[int]:
    if not is_active_user(actor) or actor.role != "manager":
        return []
    return list(
        session.exec(select(Membership.organization_id).where(Membership.user_id == actor.id, Membership.role.in_(("owner", "manager"))))
    )


def manager_ids(session: Session, organization_id: int) -> list[int]:
    """Everyone who manages an organization's gigs (owners and managers)."""
    return list(
        session.exec(
            select(Membership.user_id).where(Membership.organization_id == organization_id, Membership.role.in_(("owner", "manager")))
        )
    )


def manages_organization(session: Session, actor: User | None, organization_id: int) -> bool:
    return organization_id in organization_ids_managed_by(session, actor)


def may_post_gigs(session: Session, actor: User | None, organization: Organization) -> bool:
    return organization.kind == "employer" and organization.status == "approved" and manages_organization(session, actor, organization.id)


def manages_gig(session: Session, actor: User | None, gig: Gig) -> bool:
    return manages_organization(session, actor, gig.organization_id)


def may_view_engagement(session: Session, actor: User | None, engagement: Engagement) -> bool:
    if not is_active_user(actor):
        return False
    if actor.id == engagement.student_id or is_staff(actor):
        return True
    gig = session.get(Gig, engagement.gig_id)
    return gig is not None and manages_gig(session, actor, gig)


# --- accounts, organizations and privacy (issue 3) --------------------------------


def may_change_center_settings(actor: User | None) -> bool:
    """The center's own settings (/admin/settings: its name, logo, money rules) are for admins,
    who run the install; career-center staff may not change them."""
    return is_active_user(actor) and actor.role == "admin"


def may_read_metrics(actor: User | None) -> bool:
    """The server's figures (/metrics) are for admins, who run the install (and for the
    addresses of MICROGIGS_METRICS_ALLOW, which the route checks)."""
    return is_active_user(actor) and actor.role == "admin"


def may_vet_organizations(actor: User | None) -> bool:
    """Career-center staff vet employers: approve, reject, suspend."""
    return is_staff(actor)


def may_curate_skills(actor: User | None) -> bool:
    return is_staff(actor)


def may_read_audit_log(actor: User | None) -> bool:
    return is_staff(actor)


def is_owner(session: Session, actor: User | None, organization_id: int) -> bool:
    if not is_active_user(actor) or actor.role != "manager":
        return False
    return (
        session.exec(
            select(Membership.id).where(
                Membership.user_id == actor.id, Membership.organization_id == organization_id, Membership.role == "owner"
            )
        ).first()
        is not None
    )


def may_manage_members(session: Session, actor: User | None, organization: Organization) -> bool:
    """Only an owner invites and removes the other managers of an employer."""
    return organization.kind == "employer" and is_owner(session, actor, organization.id)


def may_view_photo(actor: User | None, user: User) -> bool:
    """Never the public web. A student's photo: themself and staff only (blind review must not
    leak a face); a manager's or staff member's photo: anyone signed in."""
    if not is_active_user(actor) or not user.is_active:
        return False
    return actor.id == user.id or is_staff(actor) or user.role in ("manager", "staff", "admin")


def may_export_own_data(actor: User | None) -> bool:
    return is_active_user(actor)


def may_delete_own_account(actor: User | None) -> bool:
    """Students delete their account themselves, and so may anyone who signed up but never
    confirmed their address (it could do nothing yet); employers and staff go through the
    career center."""
    if is_student(actor):
        return True
    return is_signed_in(actor) and not actor.email_verified and actor.role in ("student", "manager")


# --- portfolio and public evidence (issue 7) ----------------------------------------


def may_keep_portfolio(actor: User | None) -> bool:
    """Only students have a public portfolio (opt-in)."""
    return is_student(actor)


def may_allow_public_evidence(session: Session, actor: User | None, gig: Gig) -> bool:
    """The employer's key to showing deliverables publicly: a manager of the gig."""
    return gig is not None and manages_gig(session, actor, gig)


def may_show_own_evidence(actor: User | None, engagement: Engagement) -> bool:
    """The student's key: only the student who did the work."""
    return is_student(actor) and actor.id == engagement.student_id


# --- calendar feeds (issue 19) ---------------------------------------------------------


def may_keep_calendar_feed(actor: User | None) -> bool:
    """Students (their saved gigs' deadlines, their work's due dates) and employer managers
    (their gigs and engagements) have dates to follow; staff and admins have none of their own."""
    return is_active_user(actor) and actor.role in ("student", "manager")

"""Employer onboarding: the career center's vetting queue, approval, rejection and
suspension, and an owner's team (invite and remove managers)."""

from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import urlsplit

from sqlmodel import Session, select

from microgigs import i18n
from microgigs.i18n import Day, Text, _, msg
from microgigs.models import Gig, Membership, OneTimeToken, Organization, User, utcnow
from microgigs.services import account_security, accounts, audit, center, closing, notifications, policy, sso, throttle
from microgigs.services.errors import DomainError, NotFound
from microgigs.services.statuses import GigStatus, status_words
from microgigs.services.validation import ValidationFailed, clean_line, clean_text

# Gigs of a suspended employer that stop: nobody has been hired on them yet, or they still take people.
CLOSE_ON_SUSPEND = (GigStatus.DRAFT, GigStatus.IN_REVIEW, GigStatus.OPEN)
MAX_REASON = 500


@dataclass
class VettingRow:
    organization_id: int
    name: str
    website: str
    status: str
    status_reason: str
    contact_name: str
    contact_email: str
    email_domain: str
    website_domain: str
    domains_differ: bool
    created_at: str
    # The signer has not confirmed their address: nobody can act for this employer yet.
    contact_unconfirmed: bool = False


@dataclass
class MemberRow:
    user_id: int
    name: str
    email: str
    role: str


@dataclass
class PendingInvitation:
    email: str
    expires_at: str


@dataclass
class OtherTeam:
    organization_id: int
    name: str


@dataclass
class Team:
    organization_id: int
    name: str
    status: str
    is_owner: bool
    members: list[MemberRow]
    invitations: list[PendingInvitation]
    # The other employers this person also manages for (after accepting an invitation): (id, name).
    other_teams: list[OtherTeam] = field(default_factory=list)


def domain_of_website(website: str) -> str:
    value = (website or "").strip().lower()
    if value and "://" not in value:
        value = "https://" + value
    host = urlsplit(value).hostname or ""
    return host.removeprefix("www.")


def domain_of_email(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower() if "@" in (email or "") else ""


def domains_differ(email_domain: str, website_domain: str) -> bool:
    """True unless the email's domain is the website's domain or one of its subdomains (or vice versa)."""
    if not email_domain or not website_domain:
        return True
    return not (
        email_domain == website_domain or email_domain.endswith("." + website_domain) or website_domain.endswith("." + email_domain)
    )


def get_organization(session: Session, organization_id: int) -> Organization:
    org = session.get(Organization, organization_id)
    if org is None or org.kind != "employer":
        raise NotFound("That organization")
    return org


def _owner(session: Session, org: Organization) -> User | None:
    return session.exec(
        select(User).join(Membership, Membership.user_id == User.id).where(Membership.organization_id == org.id, Membership.role == "owner")
    ).first()


def vetting_queue(session: Session, actor: User | None, status: str = "pending") -> list[VettingRow]:
    """Employers for staff to vet (pending by default), oldest first, with the signer's domain check."""
    policy.require(policy.may_vet_organizations(actor), _("Only career-center staff can vet employers."))
    query = select(Organization).where(Organization.kind == "employer")
    if status != "all":
        query = query.where(Organization.status == status)
    rows = []
    for org in session.exec(query.order_by(Organization.created_at, Organization.id)):
        owner = _owner(session, org)
        email = owner.email if owner else ""
        email_domain, website_domain = domain_of_email(email), domain_of_website(org.website)
        rows.append(
            VettingRow(
                organization_id=org.id,
                name=org.name,
                website=org.website,
                status=org.status,
                status_reason=org.status_reason,
                contact_name=owner.display_name if owner else "",
                contact_email=email,
                email_domain=email_domain,
                website_domain=website_domain,
                domains_differ=domains_differ(email_domain, website_domain),
                created_at=Day(org.created_at.date()),  # written for the reader where shown
                contact_unconfirmed=owner is not None and not owner.email_verified,
            )
        )
    return rows


def _tell_managers(session: Session, org: Organization, title: Text) -> None:
    for user_id in policy.manager_ids(session, org.id):
        notifications.notify(session, user_id, "organization.status", title, "/dashboard", email=True)


def _move(session: Session, actor: User, org: Organization, status: str, reason: str) -> None:
    previous = org.status
    org.status = status
    org.status_reason = reason
    session.add(org)
    audit.record(session, actor, f"organization.{status}", "organization", org.id, previous=previous, reason=reason)


def approve(session: Session, actor: User | None, organization_id: int) -> Organization:
    policy.require(policy.may_vet_organizations(actor), _("Only career-center staff can approve employers."))
    org = get_organization(session, organization_id)
    if org.status not in ("pending", "rejected", "suspended"):
        raise DomainError(msg("{name} is already approved.", name=org.name))
    owner = _owner(session, org)
    if owner is None or not policy.is_active_user(owner):
        # An address nobody has confirmed is not an identity: approving it would vouch for nobody.
        raise DomainError(msg("{name}'s contact has not confirmed their email address yet: approve it once they have.", name=org.name))
    _move(session, actor, org, "approved", "")
    _tell_managers(
        session,
        org,
        msg("{organization} is approved: you can now publish gigs on {center}", organization=org.name, center=center.current(session).name),
    )
    session.flush()
    return org


def _reason(reason: str) -> str:
    text = clean_text(reason)
    if not text:
        raise ValidationFailed({"reason": msg("Give a reason: the employer will read it.")})
    if len(text) > MAX_REASON:
        raise ValidationFailed({"reason": msg("Use at most {count} characters (you have {length}).", count=MAX_REASON, length=len(text))})
    return text


def reject(session: Session, actor: User | None, organization_id: int, reason: str) -> Organization:
    policy.require(policy.may_vet_organizations(actor), _("Only career-center staff can reject employers."))
    org = get_organization(session, organization_id)
    text = _reason(reason)
    if org.status != "pending":
        raise DomainError(
            msg("Only a pending employer can be rejected; {name} is {status}.", name=org.name, status=status_words(org.status))
        )
    _move(session, actor, org, "rejected", text)
    _tell_managers(
        session,
        org,
        msg(
            "{organization} was not approved on {center}. Reason: {reason}",
            organization=org.name,
            center=center.current(session).name,
            reason=text,
        ),
    )
    session.flush()
    return org


def suspend(session: Session, actor: User | None, organization_id: int, reason: str) -> Organization:
    """Stop an approved employer: its gigs that still take people close, each applicant gets a decision."""
    policy.require(policy.may_vet_organizations(actor), _("Only career-center staff can suspend employers."))
    org = get_organization(session, organization_id)
    text = _reason(reason)
    if org.status != "approved":
        raise DomainError(
            msg("Only an approved employer can be suspended; {name} is {status}.", name=org.name, status=status_words(org.status))
        )
    _move(session, actor, org, "suspended", text)
    for gig in session.exec(select(Gig).where(Gig.organization_id == org.id, Gig.status.in_(CLOSE_ON_SUSPEND))).all():
        closing.cancel_gig(session, actor, gig.id, f"The employer was suspended: {text}")
    _tell_managers(
        session,
        org,
        msg(
            "{organization} is suspended on {center}. Reason: {reason}",
            organization=org.name,
            center=center.current(session).name,
            reason=text,
        ),
    )
    session.flush()
    return org


# --- the owner's team ---------------------------------------------------------------


def _managed_org(session: Session, actor: User | None, organization_id: int) -> Organization:
    org = get_organization(session, organization_id)
    policy.require(policy.may_manage_members(session, actor, org), _("Only the organization's owner can change its team."))
    return org


def team(session: Session, actor: User | None, organization_id: int = 0, language: str = i18n.DEFAULT) -> Team | None:
    """The actor's employer (`organization_id` when they manage it, else their first) and its
    people (dates written for `language`); None when the actor manages no employer."""
    org_ids = policy.organization_ids_managed_by(session, actor)
    if not org_ids:
        return None
    org = get_organization(session, organization_id if organization_id in org_ids else org_ids[0])
    members = [
        MemberRow(user_id=u.id, name=u.display_name, email=u.email, role=m.role)
        for m, u in session.exec(
            select(Membership, User)
            .join(User, User.id == Membership.user_id)
            .where(Membership.organization_id == org.id)
            .order_by(Membership.id)
        )
    ]
    owner = policy.may_manage_members(session, actor, org)
    invitations = []
    if owner:
        now = utcnow()
        for row in session.exec(
            select(OneTimeToken).where(
                OneTimeToken.purpose == "invitation",
                OneTimeToken.organization_id == org.id,
                OneTimeToken.used_at.is_(None),
                OneTimeToken.voided_at.is_(None),
            )
        ):
            if account_security._aware(row.expires_at) > now:
                invitations.append(PendingInvitation(email=row.email, expires_at=i18n.format_date(row.expires_at, language)))
    others = [
        OtherTeam(other_id, name)
        for other_id, name in session.exec(
            select(Organization.id, Organization.name)
            .where(Organization.id.in_(org_ids), Organization.id != org.id)
            .order_by(Organization.name)
        )
    ]
    return Team(
        organization_id=org.id,
        name=org.name,
        status=org.status,
        is_owner=owner,
        members=members,
        invitations=invitations,
        other_teams=others,
    )


def invite_manager(session: Session, actor: User | None, organization_id: int, email: str, client: str = "") -> str:
    """Email a one-time link to join the organization as a manager.

    Nobody is added until they accept. When the address already has a manager account, the
    mail asks them to sign in and accept, and they also find the invitation in the app. The
    owner's message is the same either way, so it never tells whether an email is registered."""
    org = _managed_org(session, actor, organization_id)
    throttle.hit(
        session,
        [
            (throttle.INVITE_PER_CLIENT, client),
            (throttle.INVITE_PER_INVITER, str(actor.id)),
            (throttle.INVITE_PER_ADDRESS, throttle.key_of(email)),
        ],
    )
    address = accounts.normalize_email(email)
    if not accounts.is_valid_email(address):
        raise ValidationFailed({"email": msg("Enter an email address like name@example.com.")})
    already = session.exec(
        select(Membership.id).join(User, User.id == Membership.user_id).where(Membership.organization_id == org.id, User.email == address)
    ).first()
    if already is not None:
        raise ValidationFailed({"email": msg("That person is already on your team.")})
    token = account_security.issue_token(
        session, "invitation", timedelta(days=account_security.INVITATION_DAYS), email=address, organization_id=org.id, created_by=actor
    )
    invitee = session.exec(select(User).where(User.email == address)).first()
    # Only a confirmed account is somebody: an unconfirmed one holding the address is replaced
    # by whoever follows the mailed link (accept_invitation).
    has_account = policy.is_active_user(invitee)
    lines = [
        msg(
            "{inviter} invites you to join {organization} on {center} as a manager.",
            inviter=actor.display_name,
            organization=org.name,
            center=center.current(session).name,
        )
    ]
    if has_account:
        lines.append(msg("Sign in as {address} and accept the invitation; until you do, nothing changes.", address=address))
    lines.append(msg("The link works once, for {days} days.", days=account_security.INVITATION_DAYS))
    account_security.send_mail(
        session,
        address,
        msg("{inviter} invites you to manage gigs for {organization}", inviter=actor.display_name, organization=org.name),
        lines,
        account_security.token_link("/join"),
        msg("Accept the invitation to {organization}", organization=org.name)
        if has_account
        else msg("Join {organization}", organization=org.name),
        token=token,
        # The recipient's language; an address with no account yet reads the inviter's.
        language=invitee.language if has_account else actor.language,
    )
    if has_account and invitee.role == "manager":
        # In the app too; the link names the invitation, which only this (confirmed) account can accept.
        notifications.notify(
            session,
            invitee.id,
            "organization.invited",
            msg("{organization} invites you to manage its gigs", organization=org.name),
            f"/join?invitation={token.id}",
        )
    audit.record(session, actor, "organization.manager_invited", "organization", org.id, email=address)
    session.flush()
    return msg("We have sent an invitation to {address}.", address=address)


@dataclass
class InvitationView:
    organization: str
    email: str
    organization_id: int = 0
    # The invited address already has an account: they sign in to accept instead of signing up.
    has_account: bool = False


def _invitation(session: Session, actor: User | None, raw_token: str | None, invitation_id: int) -> OneTimeToken:
    """The pending invitation named by the emailed token, or by its id (the in-app link; only
    for the signed-in account it was sent to)."""
    if not invitation_id:
        return account_security.find_token(session, "invitation", raw_token)
    row = session.get(OneTimeToken, invitation_id)
    if row is None or row.purpose != "invitation" or not policy.is_active_user(actor) or actor.email != row.email:
        raise DomainError(account_security.LINK_UNKNOWN, "token")
    return account_security.check_unspent(row)


def check_invitation(session: Session, raw_token: str | None, *, actor: User | None = None, invitation_id: int = 0) -> InvitationView:
    row = _invitation(session, actor, raw_token, invitation_id)
    org = get_organization(session, row.organization_id)
    holder = session.exec(select(User).where(User.email == row.email)).first()
    has_account = policy.is_active_user(holder)
    return InvitationView(organization=org.name, email=row.email, organization_id=org.id, has_account=has_account)


def accept_invitation(
    session: Session,
    actor: User | None,
    raw_token: str | None,
    *,
    invitation_id: int = 0,
    display_name: str = "",
    password: str = "",
) -> User:
    """Join from the emailed link (or the in-app one): as the signed-in account with that
    email, or as a new manager account when the address has none."""
    row = _invitation(session, actor, raw_token, invitation_id)
    org = get_organization(session, row.organization_id)
    if policy.is_active_user(actor):
        if actor.email != row.email:
            raise DomainError(msg("This invitation is for {email}. Sign out, then open the link again.", email=row.email))
        if actor.role != "manager":
            raise DomainError("Only an employer account can join an organization. Ask for an invitation to another address.")
        user = actor
    else:
        holder = session.exec(select(User).where(User.email == row.email)).first()
        if holder is not None and (holder.email_verified or not holder.is_active):
            raise DomainError(msg("Sign in as {email} first, then open the link again.", email=row.email))
        sso.check_local_sign_up(session, "manager", row.email)
        name = clean_line(display_name)
        errors = {}
        if not name:
            errors["display_name"] = msg("Enter your name.")
        elif len(name) > 100:
            errors["display_name"] = msg("Use at most {count} characters.", count=100)
        if problem := accounts.password_problem(password or ""):
            errors["password"] = problem
        if errors:
            raise ValidationFailed(errors)
        if holder is not None:
            # The mailed link proves the address; whoever signed up with it unconfirmed loses it.
            user = account_security.take_over_unconfirmed(
                session, holder, role="manager", display_name=name, password=password, proof=f"invitation to {org.name}"
            )
        else:
            user = User(
                email=row.email, display_name=name, role="manager", password_hash=accounts.hash_password(password), email_verified=True
            )
            session.add(user)
            session.flush()
            audit.record(session, user, "user.signed_up", "user", user.id, role="manager", invited=True)
    if session.exec(select(Membership.id).where(Membership.user_id == user.id, Membership.organization_id == org.id)).first() is None:
        session.add(Membership(user_id=user.id, organization_id=org.id, role="manager"))
    account_security.use_token(session, row)
    audit.record(session, user, "organization.manager_joined", "organization", org.id)
    session.flush()
    return user


def remove_manager(session: Session, actor: User | None, organization_id: int, user_id: int) -> None:
    org = _managed_org(session, actor, organization_id)
    membership = session.exec(select(Membership).where(Membership.organization_id == org.id, Membership.user_id == user_id)).first()
    if membership is None:
        raise NotFound("That team member")
    if membership.role == "owner":
        raise DomainError("The owner cannot be removed from the team.")
    session.delete(membership)
    audit.record(session, actor, "organization.manager_removed", "organization", org.id, user_id=user_id)
    notifications.notify(
        session, user_id, "organization.removed", msg("You were removed from {organization}", organization=org.name), "/dashboard"
    )
    session.flush()

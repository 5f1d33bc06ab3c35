"""Keeping a local account safe: email verification, password change and reset,
signing out of every device.

Emailed links carry a random one-time token. The database keeps only its SHA-256, its expiry
and when it was used or voided; the mail is stored with the token masked, and the token itself
is made when the mail leaves (services/mail_queue.py), so it exists in clear only in that
message. A new link of a kind voids the older ones of that kind. Answers about reset requests
never tell whether an email address is registered.
"""

import secrets
from datetime import UTC, datetime, timedelta
from html import escape

from sqlalchemy import update
from sqlmodel import Session, select

from microgigs.i18n import Text, _, msg, translate
from microgigs.integrations import mail
from microgigs.models import AuthSession, Membership, OneTimeToken, Organization, StudentProfile, StudentSkill, User, utcnow
from microgigs.services import accounts, audit, center, policy, throttle
from microgigs.services.errors import DomainError
from microgigs.services.validation import ValidationFailed
from microgigs.settings import get_settings

VERIFY_HOURS = 48
RESET_MINUTES = 60
INVITATION_DAYS = 7
LINK_EXPIRED = _("This link has expired. Ask for a new one.")
LINK_USED = _("This link has already been used. Ask for a new one.")
LINK_REPLACED = _("This link is no longer valid: a newer one was sent. Use the link in the most recent mail, or ask for a new one.")
LINK_UNKNOWN = _("This link is not valid. Check that you copied all of it, or ask for a new one.")
SIGN_UP_SENT = msg("Check your email: we have sent a message to the address you gave. Follow its link to finish signing up.")
RESET_REQUESTED = msg("If an account uses that address, we have sent it a link to choose a new password. The link works for 60 minutes.")


def public_link(path: str) -> str:
    return get_settings().public_url.rstrip("/") + path


def token_link(path: str) -> str:
    """A link whose `token` parameter the mail carries masked until it leaves (see module doc)."""
    return public_link(f"{path}?token={mail.TOKEN_MASK}")


def send_mail(
    session: Session,
    to: str,
    subject: Text | str,
    lines: list[Text | str],
    link: str,
    link_text: Text | str,
    more_links: tuple[tuple[str, Text | str], ...] = (),
    token: OneTimeToken | None = None,
    *,
    language: str = "en",
) -> None:
    """A short mail with a plain-text and an HTML part and links back to the app; `token` when
    a link was made by token_link(). Its texts (msg(...)) are written in `language`: the
    recipient's (User.language), or, for an address with no account, the sender's."""
    subject = translate(language, subject)
    lines = [translate(language, line) for line in lines]
    links = ((link, translate(language, link_text)), *((url, translate(language, label)) for url, label in more_links))
    text = "\n\n".join([*lines, *(f"{label}: {url}" for url, label in links)]) + "\n"
    html = "".join(f"<p>{escape(line)}</p>" for line in lines) + "".join(
        f'<p><a href="{escape(url)}">{escape(label)}</a></p>' for url, label in links
    )
    mail.send(session, to=to, subject=subject, text=text, html=html, token=token, language=language)


def _same_kind(purpose: str, user: User | None, email: str, organization_id: int | None):
    """The condition for the unused links that a new one of this kind replaces."""
    kind = [OneTimeToken.purpose == purpose, OneTimeToken.used_at.is_(None), OneTimeToken.voided_at.is_(None)]
    if purpose == "invitation":
        return [*kind, OneTimeToken.email == email, OneTimeToken.organization_id == organization_id]
    return [*kind, OneTimeToken.user_id == (user.id if user else -1)]


def void_tokens(session: Session, purpose: str, *, user: User | None = None, email: str = "", organization_id: int | None = None) -> None:
    """Make every unused link of this kind stop working (a newer link, a changed password)."""
    session.exec(update(OneTimeToken).where(*_same_kind(purpose, user, email, organization_id)).values(voided_at=utcnow()))


def issue_token(
    session: Session,
    purpose: str,
    lifetime: timedelta,
    *,
    user: User | None = None,
    email: str = "",
    organization_id: int | None = None,
    created_by: User | None = None,
) -> OneTimeToken:
    """Store a new one-time link of this kind, voiding the older ones. No usable token exists
    yet: the mail that carries the link makes it when it leaves (services/mail_queue.py)."""
    address = email or (user.email if user else "")
    void_tokens(session, purpose, user=user, email=address, organization_id=organization_id)
    row = OneTimeToken(
        purpose=purpose,
        # A placeholder nobody knows; replaced when the mail is sent.
        token_hash=accounts.hash_token(secrets.token_urlsafe(32)),
        user_id=user.id if user else None,
        email=address,
        organization_id=organization_id,
        created_by_id=created_by.id if created_by else None,
        expires_at=utcnow() + lifetime,
    )
    session.add(row)
    session.flush()
    return row


def _aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def find_token(session: Session, purpose: str, raw: str | None) -> OneTimeToken:
    """The unused, unexpired token of this purpose, or a DomainError saying what is wrong with the link."""
    if not raw or len(raw) > 200:
        raise DomainError(LINK_UNKNOWN, "token")
    row = session.exec(
        select(OneTimeToken).where(OneTimeToken.token_hash == accounts.hash_token(raw), OneTimeToken.purpose == purpose)
    ).first()
    if row is None:
        raise DomainError(LINK_UNKNOWN, "token")
    return check_unspent(row)


def check_unspent(row: OneTimeToken, now: datetime | None = None) -> OneTimeToken:
    """The token itself, or a DomainError when it was used, replaced or has expired (by `now`)."""
    if row.used_at is not None:
        raise DomainError(LINK_USED, "token")
    if row.voided_at is not None:
        raise DomainError(LINK_REPLACED, "token")
    if _aware(row.expires_at) <= (now or utcnow()):
        raise DomainError(LINK_EXPIRED, "token")
    return row


def use_token(session: Session, row: OneTimeToken) -> None:
    row.used_at = utcnow()
    session.add(row)


# --- sign-up and email verification -------------------------------------------------


def sign_up(session: Session, data: accounts.SignUp, client: str = "") -> str:
    """Self-service sign-up that answers the same whether or not the address is registered:
    a new account gets its confirmation link, an existing one a note saying someone tried.
    Throttled per client address and per address mailed (counted either way)."""
    throttle.hit(session, [(throttle.SIGN_UP_PER_CLIENT, client), (throttle.SIGN_UP_PER_ADDRESS, throttle.key_of(data.email))])
    user = accounts.sign_up(session, data)
    if user is not None:
        send_verification(session, user)
    else:
        _send_sign_up_attempt_note(session, accounts.normalize_email(data.email))
    session.flush()
    return SIGN_UP_SENT


def _send_sign_up_attempt_note(session: Session, email: str) -> None:
    existing = session.exec(select(User).where(User.email == email)).first()
    if existing is None or not existing.is_active or existing.deleted_at is not None:
        return
    send_mail(
        session,
        existing.email,
        msg("Someone tried to sign up to {center} with your address", center=center.current(session).name),
        [
            msg("Hello {name},", name=existing.display_name),
            msg(
                "Someone just tried to create a {center} account with this email address, which already has one. "
                "If it was you, sign in, or reset your password if you have forgotten it. If it was not you, ignore this mail: nothing was changed.",
                center=center.current(session).name,
            ),
        ],
        public_link("/login"),
        msg("Sign in"),
        more_links=((public_link("/forgot-password"), msg("Reset my password")),),
        language=existing.language,
    )
    audit.record(session, None, "user.sign_up_attempt_for_existing", "user", existing.id)


def send_verification(session: Session, user: User) -> None:
    """Mail a one-time link that proves this person reads this address."""
    if user.email_verified or user.deleted_at is not None:
        return
    token = issue_token(session, "verify_email", timedelta(hours=VERIFY_HOURS), user=user)
    send_mail(
        session,
        user.email,
        msg("Confirm your email address for {center}", center=center.current(session).name),
        [
            msg("Hello {name},", name=user.display_name),
            msg("Confirm that this is your email address. The link works for {hours} hours.", hours=VERIFY_HOURS),
        ],
        token_link("/verify-email"),
        msg("Confirm my email address"),
        token=token,
        language=user.language,
    )
    audit.record(session, user, "user.verification_sent", "user", user.id)


def resend_verification(session: Session, actor: User | None, client: str = "") -> None:
    # One of the few things an unconfirmed account may do.
    policy.require(policy.is_signed_in(actor), _("Sign in to confirm your email address."))
    throttle.hit(session, [(throttle.RESEND_PER_CLIENT, client), (throttle.RESEND_PER_ACCOUNT, str(actor.id))])
    if actor.email_verified:
        raise DomainError("Your email address is already confirmed.")
    send_verification(session, actor)


def check_verify_token(session: Session, raw_token: str | None) -> None:
    """Refuse an unknown, used, replaced or expired confirmation link before showing its button."""
    find_token(session, "verify_email", raw_token)


def verify_email(session: Session, raw_token: str | None) -> User:
    row = find_token(session, "verify_email", raw_token)
    user = session.get(User, row.user_id) if row.user_id else None
    if user is None or not user.is_active or user.email != row.email:
        raise DomainError(LINK_UNKNOWN, "token")
    use_token(session, row)
    void_tokens(session, "verify_email", user=user)
    user.email_verified = True
    session.add(user)
    audit.record(session, user, "user.email_verified", "user", user.id)
    session.flush()
    return user


# --- passwords and sessions -------------------------------------------------------


def revoke_sessions(session: Session, user: User, keep_token: str | None = None) -> int:
    """Revoke every live sign-in session of `user` except the one behind `keep_token`."""
    keep = accounts.hash_token(keep_token) if keep_token else None
    count = 0
    for row in session.exec(select(AuthSession).where(AuthSession.user_id == user.id, AuthSession.revoked_at.is_(None))):
        if row.token_hash == keep:
            continue
        row.revoked_at = utcnow()
        session.add(row)
        count += 1
    return count


def sign_out_everywhere(session: Session, actor: User | None) -> int:
    policy.require(policy.is_signed_in(actor), _("Sign in first."))
    count = revoke_sessions(session, actor)
    audit.record(session, actor, "user.signed_out_everywhere", "user", actor.id, sessions=count)
    session.flush()
    return count


def change_password(session: Session, actor: User | None, current: str, new: str, keep_token: str | None = None) -> None:
    """Change the password (the current one is required); every other session is signed out."""
    policy.require(policy.is_active_user(actor), _("Sign in to change your password."))
    errors: dict[str, str] = {}
    if not actor.password_hash or not accounts.verify_password(actor.password_hash, current or ""):
        errors["current_password"] = msg("That is not your current password.")
    if problem := accounts.password_problem(new or ""):
        errors["new_password"] = problem
    elif new == current:
        errors["new_password"] = msg("Choose a password different from your current one.")
    if errors:
        raise ValidationFailed(errors)
    actor.password_hash = accounts.hash_password(new)
    session.add(actor)
    # A reset link mailed before the change must not undo it.
    void_tokens(session, "reset_password", user=actor)
    revoked = revoke_sessions(session, actor, keep_token)
    audit.record(session, actor, "user.password_changed", "user", actor.id, other_sessions_revoked=revoked)
    send_mail(
        session,
        actor.email,
        msg("Your {center} password was changed", center=center.current(session).name),
        [
            msg("Hello {name},", name=actor.display_name),
            msg("Your password was just changed and your other devices were signed out. If this was not you, reset your password now."),
        ],
        public_link("/forgot-password"),
        msg("Reset my password"),
        language=actor.language,
    )
    session.flush()


def request_password_reset(session: Session, email: str, client: str = "") -> str:
    """Mail a reset link if an active local account uses `email`. Always answers the same, and is
    throttled per client address and per address alike whether or not it has an account."""
    throttle.hit(session, [(throttle.RESET_PER_CLIENT, client), (throttle.RESET_PER_ADDRESS, throttle.key_of(email))])
    address = accounts.normalize_email(email)
    if not accounts.is_valid_email(address):
        raise ValidationFailed({"email": "Enter an email address like name@example.edu."})
    user = session.exec(select(User).where(User.email == address)).first()
    if accounts.may_sign_in(user) and user.deleted_at is None:
        token = issue_token(session, "reset_password", timedelta(minutes=RESET_MINUTES), user=user)
        send_mail(
            session,
            user.email,
            msg("Choose a new {center} password", center=center.current(session).name),
            [
                msg("Hello {name},", name=user.display_name),
                msg(
                    "Someone asked to reset your password. The link works once, for {minutes} minutes. If it was not you, ignore this mail.",
                    minutes=RESET_MINUTES,
                ),
            ],
            token_link("/reset-password"),
            msg("Choose a new password"),
            token=token,
            language=user.language,
        )
        audit.record(session, None, "user.password_reset_requested", "user", user.id)
    session.flush()
    return RESET_REQUESTED


def check_reset_token(session: Session, raw_token: str | None) -> None:
    """Refuse an unknown, used or expired reset link before showing its form."""
    find_token(session, "reset_password", raw_token)


def reset_password(session: Session, raw_token: str | None, new: str) -> User:
    """Set a new password from a reset link; the link is spent and every session signed out."""
    row = find_token(session, "reset_password", raw_token)
    user = session.get(User, row.user_id) if row.user_id else None
    if user is None or not user.is_active:
        raise DomainError(LINK_UNKNOWN, "token")
    if problem := accounts.password_problem(new or ""):
        raise ValidationFailed({"password": problem})
    use_token(session, row)
    void_tokens(session, "reset_password", user=user)
    user.password_hash = accounts.hash_password(new)
    # Following the emailed link proves the address too (and whoever had signed up with it
    # before without confirming it loses every session below).
    user.email_verified = True
    session.add(user)
    revoked = revoke_sessions(session, user)
    audit.record(session, user, "user.password_reset", "user", user.id, sessions_revoked=revoked)
    session.flush()
    return user


# --- an address nobody confirmed ------------------------------------------------------


def withdraw_employer_sign_ups(session: Session, user: User, reason: str) -> None:
    """Take an unconfirmed account off its teams; an employer it signed up that is still pending
    and has nobody else is closed (rejected, with the reason) so staff never vet it."""
    for membership in session.exec(select(Membership).where(Membership.user_id == user.id)).all():
        org = session.get(Organization, membership.organization_id)
        session.delete(membership)
        session.flush()
        others = session.exec(select(Membership.id).where(Membership.organization_id == membership.organization_id)).first()
        if org is not None and org.kind == "employer" and org.status == "pending" and others is None:
            org.status, org.status_reason = "rejected", reason
            session.add(org)
            audit.record(session, None, "organization.rejected", "organization", org.id, previous="pending", reason=reason)


def take_over_unconfirmed(session: Session, user: User, *, role: str, display_name: str, password: str = "", proof: str) -> User:
    """Someone proved they read this address (`proof`: a campus identity, a mailed invitation)
    while an account nobody confirmed holds it: the account becomes theirs. Whoever signed it up
    loses every password, session and link, and what they signed it up as (name, role, an
    employer waiting for vetting) is dropped. The unconfirmed account could do nothing else."""
    if user.email_verified:
        raise DomainError("This address is already confirmed by its owner.")
    revoked = revoke_sessions(session, user)
    for purpose in ("verify_email", "reset_password"):
        void_tokens(session, purpose, user=user)
    withdraw_employer_sign_ups(session, user, "Closed: the address that signed it up was never confirmed.")
    profile = session.get(StudentProfile, user.id)
    if role == "student" and profile is None:
        session.add(StudentProfile(user_id=user.id))
    elif role != "student" and profile is not None:
        for link in session.exec(select(StudentSkill).where(StudentSkill.user_id == user.id)).all():
            session.delete(link)
        session.delete(profile)
    user.role, user.display_name, user.title = role, display_name, ""
    user.password_hash = accounts.hash_password(password) if password else ""
    user.email_verified = True
    session.add(user)
    audit.record(session, user, "user.unconfirmed_account_taken_over", "user", user.id, proof=proof, sessions_revoked=revoked)
    session.flush()
    return user

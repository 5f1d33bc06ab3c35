"""Keeping a local account safe: email verification, password change and reset,
signing out of every device.

Emailed links carry a random one-time token; the database keeps only its SHA-256,
its expiry and when it was used. Answers about reset requests never tell whether
an email address is registered.
"""

import secrets
from datetime import UTC, timedelta
from html import escape

from sqlmodel import Session, select

from microgigs.integrations import mail
from microgigs.models import AuthSession, OneTimeToken, User, utcnow
from microgigs.services import accounts, audit, policy
from microgigs.services.errors import DomainError
from microgigs.services.validation import ValidationFailed
from microgigs.settings import get_settings

VERIFY_HOURS = 48
RESET_MINUTES = 60
INVITATION_DAYS = 7
LINK_EXPIRED = "This link has expired. Ask for a new one."
LINK_USED = "This link has already been used. Ask for a new one."
LINK_UNKNOWN = "This link is not valid. Check that you copied all of it, or ask for a new one."
SIGN_UP_SENT = "Check your email: we have sent a message to the address you gave. Follow its link to finish signing up."
RESET_REQUESTED = "If an account uses that address, we have sent it a link to choose a new password. The link works for 60 minutes."


def public_link(path: str) -> str:
    return get_settings().public_url.rstrip("/") + path


def send_mail(
    session: Session, to: str, subject: str, lines: list[str], link: str, link_text: str, more_links: tuple[tuple[str, str], ...] = ()
) -> None:
    """A short mail with a plain-text and an HTML part and links back to the app."""
    links = ((link, link_text), *more_links)
    text = "\n\n".join([*lines, *(f"{label}: {url}" for url, label in links)]) + "\n"
    html = "".join(f"<p>{escape(line)}</p>" for line in lines) + "".join(
        f'<p><a href="{escape(url)}">{escape(label)}</a></p>' for url, label in links
    )
    mail.send(session, to=to, subject=subject, text=text, html=html)


def issue_token(
    session: Session,
    purpose: str,
    lifetime: timedelta,
    *,
    user: User | None = None,
    email: str = "",
    organization_id: int | None = None,
    created_by: User | None = None,
) -> str:
    """Store a new one-time token (hash only) and return the raw token for the link."""
    raw = secrets.token_urlsafe(32)
    session.add(
        OneTimeToken(
            purpose=purpose,
            token_hash=accounts.hash_token(raw),
            user_id=user.id if user else None,
            email=email or (user.email if user else ""),
            organization_id=organization_id,
            created_by_id=created_by.id if created_by else None,
            expires_at=utcnow() + lifetime,
        )
    )
    session.flush()
    return raw


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


def check_unspent(row: OneTimeToken) -> OneTimeToken:
    """The token itself, or a DomainError when it was used already or has expired."""
    if row.used_at is not None:
        raise DomainError(LINK_USED, "token")
    if _aware(row.expires_at) <= utcnow():
        raise DomainError(LINK_EXPIRED, "token")
    return row


def use_token(session: Session, row: OneTimeToken) -> None:
    row.used_at = utcnow()
    session.add(row)


# --- sign-up and email verification -------------------------------------------------


def sign_up(session: Session, data: accounts.SignUp) -> str:
    """Self-service sign-up that answers the same whether or not the address is registered:
    a new account gets its confirmation link, an existing one a note saying someone tried."""
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
        "Someone tried to sign up to MicroGigs with your address",
        [
            f"Hello {existing.display_name},",
            "Someone just tried to create a MicroGigs account with this email address, which already has one. "
            "If it was you, sign in, or reset your password if you have forgotten it. If it was not you, ignore this mail: nothing was changed.",
        ],
        public_link("/login"),
        "Sign in",
        more_links=((public_link("/forgot-password"), "Reset my password"),),
    )
    audit.record(session, None, "user.sign_up_attempt_for_existing", "user", existing.id)



def send_verification(session: Session, user: User) -> None:
    """Mail a one-time link that proves this person reads this address."""
    if user.email_verified or user.deleted_at is not None:
        return
    raw = issue_token(session, "verify_email", timedelta(hours=VERIFY_HOURS), user=user)
    send_mail(
        session,
        user.email,
        "Confirm your email address for MicroGigs",
        [f"Hello {user.display_name},", f"Confirm that this is your email address. The link works for {VERIFY_HOURS} hours."],
        public_link(f"/auth/verify?token={raw}"),
        "Confirm my email address",
    )
    audit.record(session, user, "user.verification_sent", "user", user.id)


def resend_verification(session: Session, actor: User | None) -> None:
    policy.require(policy.is_active_user(actor), "Sign in to confirm your email address.")
    if actor.email_verified:
        raise DomainError("Your email address is already confirmed.")
    send_verification(session, actor)


def verify_email(session: Session, raw_token: str | None) -> User:
    row = find_token(session, "verify_email", raw_token)
    user = session.get(User, row.user_id) if row.user_id else None
    if user is None or not user.is_active or user.email != row.email:
        raise DomainError(LINK_UNKNOWN, "token")
    use_token(session, row)
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
    policy.require(policy.is_active_user(actor), "Sign in first.")
    count = revoke_sessions(session, actor)
    audit.record(session, actor, "user.signed_out_everywhere", "user", actor.id, sessions=count)
    session.flush()
    return count


def change_password(session: Session, actor: User | None, current: str, new: str, keep_token: str | None = None) -> None:
    """Change the password (the current one is required); every other session is signed out."""
    policy.require(policy.is_active_user(actor), "Sign in to change your password.")
    errors: dict[str, str] = {}
    if not actor.password_hash or not accounts.verify_password(actor.password_hash, current or ""):
        errors["current_password"] = "That is not your current password."
    if problem := accounts.password_problem(new or ""):
        errors["new_password"] = problem
    elif new == current:
        errors["new_password"] = "Choose a password different from your current one."
    if errors:
        raise ValidationFailed(errors)
    actor.password_hash = accounts.hash_password(new)
    session.add(actor)
    revoked = revoke_sessions(session, actor, keep_token)
    audit.record(session, actor, "user.password_changed", "user", actor.id, other_sessions_revoked=revoked)
    send_mail(
        session,
        actor.email,
        "Your MicroGigs password was changed",
        [f"Hello {actor.display_name},", "Your password was just changed and your other devices were signed out. If this was not you, reset your password now."],
        public_link("/forgot-password"),
        "Reset my password",
    )
    session.flush()


def request_password_reset(session: Session, email: str) -> str:
    """Mail a reset link if an active local account uses `email`. Always answers the same."""
    address = accounts.normalize_email(email)
    if not accounts.is_valid_email(address):
        raise ValidationFailed({"email": "Enter an email address like name@example.edu."})
    user = session.exec(select(User).where(User.email == address)).first()
    if user is not None and user.is_active and user.deleted_at is None:
        raw = issue_token(session, "reset_password", timedelta(minutes=RESET_MINUTES), user=user)
        send_mail(
            session,
            user.email,
            "Choose a new MicroGigs password",
            [f"Hello {user.display_name},", f"Someone asked to reset your password. The link works once, for {RESET_MINUTES} minutes. If it was not you, ignore this mail."],
            public_link(f"/reset-password?token={raw}"),
            "Choose a new password",
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
    user.password_hash = accounts.hash_password(new)
    # Following the emailed link proves the address too.
    user.email_verified = True
    session.add(user)
    revoked = revoke_sessions(session, user)
    audit.record(session, user, "user.password_reset", "user", user.id, sessions_revoked=revoked)
    session.flush()
    return user

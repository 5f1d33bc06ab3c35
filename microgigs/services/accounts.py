"""Local accounts and sign-in sessions: sign-up, password checks, session tokens.

The browser only ever holds a random session token in an HttpOnly cookie; the
database keeps its SHA-256, so a leaked database does not leak live sessions.
"""

import hashlib
import os
import re
import secrets
import threading
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from microgigs import i18n
from microgigs.i18n import Text, _, msg
from microgigs.models import AuthSession, Membership, Organization, StudentProfile, User, utcnow
from microgigs.services import audit
from microgigs.services.errors import DomainError, NotAllowed
from microgigs.services.validation import ValidationFailed, clean_line
from microgigs.settings import get_settings

_hasher = PasswordHasher()  # argon2id with the library's current defaults (64 MiB, all cores)
# At most this many hashes at once in this process, leaving a core to the event loop that
# carries every open page and bounding the memory a burst of sign-ups can take (64 MiB each).
# Hashing always runs in a worker thread (the routes' thread pool); the others wait their turn.
_HASHING = threading.BoundedSemaphore(max(1, (os.cpu_count() or 2) - 1))
# A real hash to verify against when the email is unknown, so both paths cost the same.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$")
MAX_EMAIL_LENGTH = 254
MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
_COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "password123",
        "1234567890",
        "123456789",
        "12345678",
        "qwertyuiop",
        "iloveyou",
        "letmein123",
        "passw0rd",
        "welcome123",
        "qwerty123",
        "abc1234567",
        "football",
        "baseball",
        "dragon1234",
        "monkey1234",
        "sunshine",
        "princess",
        "trustno1",
        "superman",
        "1q2w3e4r5t",
        "password12",
        "qwerty1234",
    }
)
SIGN_IN_FAILED = _("That email and password do not match an account.")
# The demo campus's accounts share a published password; `.test` is a reserved top-level
# domain, so no real mailbox can ever be at this address.
DEMO_EMAIL_DOMAIN = "demo.microgigs.test"
DEMO_ADDRESS_RESERVED = _("Addresses at demo.microgigs.test belong to the demo. Use your own email address.")


@dataclass(frozen=True)
class SignUp:
    email: str
    password: str
    display_name: str
    role: str = "student"  # student | manager (a manager also names their organization)
    organization_name: str = ""
    organization_website: str = ""
    # The language the person signed up in (their browser's, or the footer's switch): their
    # pages and mail start in it; any other value is English.
    language: str = i18n.DEFAULT


def normalize_email(raw: str) -> str:
    return (raw or "").strip().lower()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def password_problem(password: str) -> str | None:
    """Why this password is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return msg("Use at least {count} characters.", count=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return msg("Use at most {count} characters.", count=MAX_PASSWORD_LENGTH)
    if password.lower() in _COMMON_PASSWORDS or len(set(password)) < 4:
        return msg("That password is too easy to guess; choose another.")
    return None


def _account_errors(session: Session, email: str, password: str, name: str, *, refuse_taken: bool = True) -> dict[str, str]:
    """Problems with the fields every new account has, keyed by field. Self-service sign-up
    passes refuse_taken=False: its answer must not tell whether an address is registered."""
    errors: dict[str, str] = {}
    if not email:
        errors["email"] = msg("Enter your email address.")
    elif not is_valid_email(email):
        errors["email"] = msg("Enter an email address like name@example.edu.")
    elif is_demo_address(email) and not get_settings().demo_mode:
        errors["email"] = Text(DEMO_ADDRESS_RESERVED)
    elif refuse_taken and _email_taken(session, email):
        errors["email"] = msg("An account with this email already exists. Sign in instead.")
    if problem := password_problem(password or ""):
        errors["password"] = problem
    if not name:
        errors["display_name"] = msg("Enter your name.")
    elif len(name) > 100:
        errors["display_name"] = msg("Use at most {count} characters.", count=100)
    return errors


def is_demo_address(email: str) -> bool:
    return normalize_email(email).endswith("@" + DEMO_EMAIL_DOMAIN)


def demo_account_locked(user: User) -> bool:
    """A demo account (known password) on an install that is not in demo mode: it may not sign in."""
    return is_demo_address(user.email) and not get_settings().demo_mode


def may_sign_in(user: User | None) -> bool:
    """Whether this account may hold a sign-in session at all (before any role or rule)."""
    return user is not None and user.is_active and not demo_account_locked(user)


def _email_taken(session: Session, email: str) -> bool:
    return session.exec(select(User.id).where(User.email == email)).first() is not None


def sign_up(session: Session, data: SignUp) -> User | None:
    """Create a student, or a manager with a new (pending) employer organization.

    Returns None, writing nothing, when the address already has an account: the caller must
    then answer exactly as for a new one (see account_security.sign_up)."""
    email = normalize_email(data.email)
    name = clean_line(data.display_name)
    errors = _account_errors(session, email, data.password, name, refuse_taken=False)
    if data.role not in ("student", "manager"):
        errors["role"] = msg("Choose student or employer.")
    org_name = clean_line(data.organization_name)
    website = clean_line(data.organization_website)
    if data.role == "manager":
        if not org_name:
            errors["organization_name"] = msg("Enter your organization's name.")
        elif len(org_name) > 120:
            errors["organization_name"] = msg("Use at most {count} characters.", count=120)
        if len(website) > 300:
            errors["organization_website"] = msg("Use at most {count} characters.", count=300)
    if errors:
        raise ValidationFailed(errors)

    # Hashed whether or not the address is taken, so the time taken does not tell either.
    password_hash = hash_password(data.password)
    if _email_taken(session, email):
        return None
    user = User(
        email=email, display_name=name, role=data.role, password_hash=password_hash, language=i18n.language_or_default(data.language)
    )
    session.add(user)
    try:
        session.flush()  # the unique email catches two sign-ups racing each other
    except IntegrityError:
        session.rollback()
        return None
    if data.role == "student":
        session.add(StudentProfile(user_id=user.id))
    else:
        org = Organization(name=org_name, website=website, kind="employer", status="pending")
        session.add(org)
        session.flush()
        session.add(Membership(user_id=user.id, organization_id=org.id, role="owner"))
        audit.record(session, user, "organization.created", "organization", org.id, status="pending")
    audit.record(session, user, "user.signed_up", "user", user.id, role=data.role)
    session.flush()
    return user


def create_privileged_user(session: Session, *, email: str, display_name: str, password: str, role: str, title: str = "") -> User:
    """A staff or admin account: made by an operator (CLI), never by self-service sign-up."""
    email = normalize_email(email)
    name = clean_line(display_name)
    errors = _account_errors(session, email, password, name)
    if role not in ("staff", "admin"):
        errors["role"] = msg("Choose staff or admin.")
    if errors:
        raise ValidationFailed(errors)
    user = User(
        email=email,
        display_name=name,
        role=role,
        title=clean_line(title, 100),
        password_hash=hash_password(password),
        email_verified=True,
    )
    session.add(user)
    session.flush()
    audit.record(session, None, "user.created", "user", user.id, role=role)
    return user


def authenticate(session: Session, email: str, password: str) -> User:
    """The user with this email and password, or a DomainError that does not say which was wrong."""
    address = normalize_email(email)
    # No account has an address that is not one (PostgreSQL would refuse a NUL in the query).
    user = session.exec(select(User).where(User.email == address)).first() if is_valid_email(address) else None
    if user is None or not user.password_hash:
        verify_password(_DUMMY_HASH, password or "")
        raise DomainError(SIGN_IN_FAILED)
    if not verify_password(user.password_hash, password or ""):
        raise DomainError(SIGN_IN_FAILED)
    if not may_sign_in(user):
        raise DomainError(SIGN_IN_FAILED)
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.add(user)
    return user


def is_valid_email(address: str) -> bool:
    """A normalized address that looks deliverable (one @, a dotted domain, not overlong, and
    nothing unprintable: no control, zero-width or direction-changing characters)."""
    return bool(address) and len(address) <= MAX_EMAIL_LENGTH and address.isprintable() and _EMAIL.match(address) is not None


def hash_password(password: str) -> str:
    """argon2id hash to store; every service that sets a password goes through here."""
    with _HASHING:
        return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when `password` matches the stored hash; a malformed hash is simply a mismatch."""
    try:
        with _HASHING:
            return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def start_session(session: Session, user: User, user_agent: str = "", ip_address: str = "") -> str:
    """Open a sign-in session for `user`; returns the raw token for the cookie."""
    if user.id is None or not may_sign_in(user):
        raise NotAllowed()
    token = secrets.token_urlsafe(32)
    session.add(
        AuthSession(
            token_hash=hash_token(token),
            user_id=user.id,
            expires_at=utcnow() + timedelta(days=get_settings().session_days),
            user_agent=user_agent[:300],
            ip_address=ip_address[:64],
        )
    )
    audit.record(session, user, "user.signed_in", "user", user.id)
    session.flush()
    return token


def user_for_session_token(session: Session, token: str | None) -> User | None:
    """The signed-in user behind a cookie's token, or None when it is unknown, expired or revoked."""
    if not token:
        return None
    # One query for both rows: this runs on every page event and every live push.
    found = session.exec(
        select(AuthSession, User).join(User, User.id == AuthSession.user_id).where(AuthSession.token_hash == hash_token(token))
    ).first()
    if found is None:
        return None
    row, user = found
    if row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    return user if may_sign_in(user) else None


def end_session(session: Session, token: str | None) -> None:
    """Revoke the session behind this token (sign-out). Unknown tokens are ignored."""
    if not token:
        return
    row = session.exec(select(AuthSession).where(AuthSession.token_hash == hash_token(token))).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        audit.record(session, session.get(User, row.user_id), "user.signed_out", "user", row.user_id)

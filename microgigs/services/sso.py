"""Campus single sign-on rules: who a verified campus identity becomes, and who must use it.

- A known (provider, subject) signs in as the account it is linked to.
- Otherwise a verified email that matches an account links to it (once, audited).
- Otherwise a new student account is made, if the email's domain is allowed.
- With sso_only_for_students, students may not sign in or sign up with a password.
Nothing here knows about HTTP or Reflex; the routes in http/oidc.py pass the claims in.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from microgigs.i18n import DEFAULT as DEFAULT_LANGUAGE
from microgigs.i18n import Text, _, language_or_default, msg
from microgigs.integrations import oidc
from microgigs.models import OidcFlow, OidcIdentity, StudentProfile, User, utcnow
from microgigs.services import account_security, accounts, audit, center
from microgigs.services.accounts import is_valid_email, normalize_email
from microgigs.services.errors import DomainError
from microgigs.services.validation import clean_line
from microgigs.settings import get_settings

FLOW_LIFETIME = timedelta(minutes=10)
SSO_ONLY_MESSAGE = _("Students sign in with their campus account. Use the campus sign-in button instead.")
FLOW_FAILED = _("That campus sign-in could not be completed. Please start again.")


class SsoRequired(DomainError):
    def __init__(self) -> None:
        super().__init__(SSO_ONLY_MESSAGE)


@dataclass(frozen=True)
class ProviderOption:
    name: str
    label: str


def sign_in_options() -> list[ProviderOption]:
    """The campus providers to offer on the sign-in page."""
    return [ProviderOption(p.name, p.label) for p in oidc.configured_providers() if p.enabled]


def allowed_student_domains(session: Session) -> list[str]:
    """The student email domains the center set (its settings page, else the environment's)."""
    return list(center.current(session).student_email_domains)


def _in_domains(email: str, domains: list[str]) -> bool:
    domain = normalize_email(email).rpartition("@")[2]
    return any(domain == d or domain.endswith("." + d) for d in domains)


def student_domain_allowed(session: Session, email: str) -> bool:
    domains = allowed_student_domains(session)
    return not domains or _in_domains(email, domains)


def on_student_domain(session: Session, email: str) -> bool:
    """An address at one of the configured student domains (none configured: no address is)."""
    domains = allowed_student_domains(session)
    return bool(domains) and _in_domains(email, domains)


def _domains_in_words(session: Session) -> Text | str:
    """The student domains as a sentence lists them: "uni.edu or alumni.uni.edu"."""
    domains = allowed_student_domains(session)
    if len(domains) < 2:
        return "".join(domains)
    return msg("{others} or {last}", others=", ".join(domains[:-1]), last=domains[-1])


def _domain_message(session: Session) -> Text:
    return msg("Student accounts need an email address at {domains}.", domains=_domains_in_words(session))


def _campus_only_message(session: Session) -> Text:
    return msg(
        "Addresses at {domains} sign in with the campus account only. For an employer account, use your work address.",
        domains=_domains_in_words(session),
    )


def password_sign_in_ruled_out(session: Session, role: str, email: str) -> bool:
    """With sso_only_for_students, every account a student could make for themselves -- a
    student account, or an employer account on a student address -- signs in through the campus."""
    if not get_settings().sso_only_for_students:
        return False
    return role == "student" or (role == "manager" and on_student_domain(session, email))


def check_local_sign_up(session: Session, role: str, email: str = "") -> None:
    """Refuse a password sign-up the campus settings rule out (field-keyed where it can be)."""
    if password_sign_in_ruled_out(session, role, email):
        raise SsoRequired() if role == "student" else DomainError(_campus_only_message(session), field="email")
    if role == "student" and email and not student_domain_allowed(session, email):
        raise DomainError(_domain_message(session), field="email")


def check_local_sign_in(session: Session, user: User) -> None:
    if password_sign_in_ruled_out(session, user.role, user.email):
        raise SsoRequired()


# --- the flow in progress (state, nonce and PKCE verifier live here, not in the browser) ----


def _hash(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def begin_flow(session: Session, provider: str, state: str, nonce: str, code_verifier: str, next_path: str) -> None:
    session.exec(delete(OidcFlow).where(OidcFlow.created_at <= utcnow() - FLOW_LIFETIME))
    session.add(OidcFlow(state_hash=_hash(state), provider=provider, nonce=nonce, code_verifier=code_verifier, next_path=next_path[:500]))
    session.flush()


def take_flow(session: Session, provider: str, state: str | None, browser_state: str | None) -> OidcFlow:
    """The flow this callback belongs to, used once. Refused when the state is forged, reused,
    expired, for another provider, or not the one this browser started."""
    if not state or not browser_state or not secrets.compare_digest(state, browser_state):
        raise DomainError(FLOW_FAILED)
    flow = session.exec(select(OidcFlow).where(OidcFlow.state_hash == _hash(state))).first()
    if flow is None:
        raise DomainError(FLOW_FAILED)
    session.delete(flow)
    session.flush()
    if flow.provider != provider or flow.created_at <= utcnow() - FLOW_LIFETIME:
        raise DomainError(FLOW_FAILED)
    return flow


# --- who the campus identity becomes ----------------------------------------------------


def account_for_identity(session: Session, provider: str, claims: dict, language: str = DEFAULT_LANGUAGE) -> User:
    """The account for these verified ID-token claims: linked, matched by verified email, or new
    (reading `language`: the one its person was reading when they signed up)."""
    subject = str(claims.get("sub") or "")[:255]
    if not subject:
        raise DomainError("The campus sign-in did not say who you are. Please try again.")
    identity = session.exec(select(OidcIdentity).where(OidcIdentity.provider == provider, OidcIdentity.subject == subject)).first()
    if identity is not None:
        user = session.get(User, identity.user_id)
        if not accounts.may_sign_in(user):
            raise DomainError("This account is closed. Contact the career center.")
        return user

    email = normalize_email(str(claims.get("email") or ""))
    if not is_valid_email(email):
        raise DomainError("Your campus account did not share an email address, so we cannot sign you in.")
    if claims.get("email_verified") is not True:
        raise DomainError("Your campus account's email address is not verified, so we cannot sign you in with it.")

    name = clean_line(str(claims.get("name") or ""), 100) or email.partition("@")[0][:100]
    user = session.exec(select(User).where(User.email == email)).first()
    if user is not None:
        if not accounts.may_sign_in(user):
            raise DomainError("This account is closed. Contact the career center.")
        if not user.email_verified:
            # Whoever signed up with this address never proved it; the campus just did. The
            # account is the campus owner's now, and the other person's password and sessions go.
            account_security.take_over_unconfirmed(session, user, role="student", display_name=name, proof=f"campus sign-in ({provider})")
        _link(session, user, provider, subject, email)
        audit.record(session, user, "user.sso_linked", "user", user.id, provider=provider)
        return user

    if not student_domain_allowed(session, email):
        raise DomainError(_domain_message(session))
    user = User(
        email=email, display_name=name, role="student", password_hash="", email_verified=True, language=language_or_default(language)
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        raise DomainError(FLOW_FAILED) from None
    session.add(StudentProfile(user_id=user.id))
    _link(session, user, provider, subject, email)
    audit.record(session, user, "user.signed_up", "user", user.id, role="student", provider=provider)
    return user


def _link(session: Session, user: User, provider: str, subject: str, email: str) -> None:
    session.add(OidcIdentity(provider=provider, subject=subject, user_id=user.id, email=email))
    session.flush()

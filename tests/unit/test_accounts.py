"""accounts: sign-up, passwords, sign-in and server-side sessions."""

import hashlib
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlmodel import func, select

from microgigs.models import AuditEvent, AuthSession, Membership, Organization, StudentProfile, User, utcnow
from microgigs.services import accounts
from microgigs.services.accounts import SIGN_IN_FAILED, SignUp
from microgigs.services.errors import DomainError, NotAllowed
from microgigs.services.validation import ValidationFailed

PASSWORD = "correct horse battery staple"


def sign_up(session, **overrides):
    values = dict(email="ana@example.edu", password=PASSWORD, display_name="Ana Lima")
    values.update(overrides)
    return accounts.sign_up(session, SignUp(**values))


def count(session, model, *where) -> int:
    return session.exec(select(func.count()).select_from(model).where(*where)).one()


def refused(session, **overrides) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as info:
        sign_up(session, **overrides)
    return info.value


# --- sign-up -----------------------------------------------------------------------


def test_student_sign_up_creates_user_with_profile_and_audit(session):
    user = sign_up(session, email="  Ana@Example.EDU ", display_name="  Ana Lima ")
    assert user.id is not None
    assert user.email == "ana@example.edu"
    assert user.display_name == "Ana Lima"
    assert user.role == "student"
    assert session.get(StudentProfile, user.id) is not None
    assert count(session, Membership, Membership.user_id == user.id) == 0
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "user.signed_up")).all()
    assert [(e.actor_id, e.subject_id) for e in events] == [(user.id, user.id)]


def test_manager_sign_up_creates_pending_employer_with_owner_membership(session):
    user = sign_up(session, role="manager", organization_name="Northwind", organization_website="https://northwind.example.com")
    assert user.role == "manager"
    membership = session.exec(select(Membership).where(Membership.user_id == user.id)).one()
    assert membership.role == "owner"
    org = session.get(Organization, membership.organization_id)
    assert (org.name, org.kind, org.status, org.trusted) == ("Northwind", "employer", "pending", False)
    assert org.website == "https://northwind.example.com"
    assert session.get(StudentProfile, user.id) is None
    created = session.exec(select(AuditEvent).where(AuditEvent.action == "organization.created")).one()
    assert (created.actor_id, created.subject_id) == (user.id, org.id)


@pytest.mark.real_hashing
def test_password_is_stored_only_as_an_argon2id_hash(session):
    user = sign_up(session)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert PasswordHasher().verify(user.password_hash, PASSWORD)


def test_a_taken_email_is_not_refused_aloud_but_nothing_is_written(session):
    """Sign-up must not tell whether an address is registered: a taken one (in any case) is no
    field error; the service returns None and writes nothing, not even an employer org."""
    first = sign_up(session, email="ana@example.edu")
    assert sign_up(session, email="  ANA@Example.edu", display_name="Someone Else") is None
    assert sign_up(session, email="ana@example.edu", role="manager", organization_name="Shadow Org") is None
    assert count(session, User) == 1 and count(session, Organization) == 0
    assert session.get(User, first.id).display_name == "Ana Lima"


def test_a_taken_email_still_gets_field_messages_for_other_bad_input(session):
    sign_up(session, email="ana@example.edu")
    error = refused(session, email="ana@example.edu", password="short", display_name="")
    assert set(error.errors) == {"password", "display_name"}


def test_a_taken_email_still_costs_one_password_hash(session, monkeypatch):
    """Both branches hash the password, so the time taken does not tell either."""
    sign_up(session, email="ana@example.edu")
    calls = []
    real = accounts.hash_password
    monkeypatch.setattr(accounts, "hash_password", lambda password: calls.append(password) or real(password))
    assert sign_up(session, email="ana@example.edu") is None
    sign_up(session, email="bea@example.edu")
    assert calls == [PASSWORD, PASSWORD]


def test_operator_made_accounts_still_refuse_a_taken_email(session):
    sign_up(session, email="ana@example.edu")
    with pytest.raises(ValidationFailed) as info:
        accounts.create_privileged_user(session, email="ana@example.edu", display_name="Staff", password=PASSWORD, role="staff")
    assert info.value.errors == {"email": "An account with this email already exists. Sign in instead."}


@pytest.mark.parametrize(
    "email",
    [
        "not-an-email",
        "ana@",
        "@example.edu",
        "ana@example",
        "ana lima@example.edu",
        "ana@exa mple.edu",
        "ana@@example.edu",
        "a" * 65 + "@example.edu",
    ],
)
def test_malformed_email_is_refused(session, email):
    error = refused(session, email=email)
    assert error.errors["email"] == "Enter an email address like name@example.edu."
    assert count(session, User) == 0


def test_empty_email_is_refused(session):
    assert refused(session, email="   ").errors["email"] == "Enter your email address."


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "Use at least 10 characters."),
        ("short1!", "Use at least 10 characters."),
        ("x" * 257 + "yz!", "Use at most 256 characters."),
        ("password123", "That password is too easy to guess; choose another."),
        ("PASSWORD123", "That password is too easy to guess; choose another."),
        ("1234567890", "That password is too easy to guess; choose another."),
        ("aaaaaaaaaaaa", "That password is too easy to guess; choose another."),
        ("abababababab", "That password is too easy to guess; choose another."),
    ],
)
def test_weak_password_is_refused(session, password, message):
    assert refused(session, password=password).errors["password"] == message
    assert count(session, User) == 0


def test_password_of_exactly_ten_varied_characters_is_accepted(session):
    assert sign_up(session, password="tr0ub4dor&").id is not None


@pytest.mark.parametrize(
    ("name", "message"), [("", "Enter your name."), ("   \x00 ", "Enter your name."), ("n" * 101, "Use at most 100 characters.")]
)
def test_empty_or_overlong_name_is_refused(session, name, message):
    assert refused(session, display_name=name).errors["display_name"] == message


def test_manager_must_name_the_organization(session):
    error = refused(session, role="manager", organization_name="  ")
    assert error.errors == {"organization_name": "Enter your organization's name."}
    assert count(session, Organization) == 0


def test_overlong_organization_name_and_website_are_refused(session):
    error = refused(session, role="manager", organization_name="o" * 121, organization_website="https://" + "w" * 300)
    assert error.errors["organization_name"] == "Use at most 120 characters."
    assert error.errors["organization_website"] == "Use at most 300 characters."


@pytest.mark.parametrize("role", ["staff", "admin", "owner", ""])
def test_self_service_sign_up_cannot_choose_a_privileged_role(session, role):
    assert refused(session, role=role).errors["role"] == "Choose student or employer."
    assert count(session, User) == 0


def test_every_problem_is_reported_at_once(session):
    error = refused(session, email="bad", password="short", display_name="")
    assert set(error.errors) == {"email", "password", "display_name"}


def test_create_privileged_user_makes_staff_and_refuses_other_roles(session):
    staff = accounts.create_privileged_user(session, email="Staff@Example.edu", display_name="Dana", password=PASSWORD, role="staff")
    assert (staff.role, staff.email, staff.email_verified) == ("staff", "staff@example.edu", True)
    with pytest.raises(ValidationFailed) as info:
        accounts.create_privileged_user(session, email="x@example.edu", display_name="X", password=PASSWORD, role="student")
    assert info.value.errors["role"] == "Choose staff or admin."


# --- sign-in -------------------------------------------------------------------------


def test_authenticate_with_right_password_any_email_case(session):
    user = sign_up(session)
    assert accounts.authenticate(session, " ANA@example.edu ", PASSWORD).id == user.id


def test_wrong_password_and_unknown_email_give_the_same_message(session):
    sign_up(session)
    with pytest.raises(DomainError) as wrong:
        accounts.authenticate(session, "ana@example.edu", "not the password")
    with pytest.raises(DomainError) as unknown:
        accounts.authenticate(session, "nobody@example.edu", PASSWORD)
    with pytest.raises(DomainError) as empty:
        accounts.authenticate(session, "", "")
    assert wrong.value.message == unknown.value.message == empty.value.message == SIGN_IN_FAILED
    assert wrong.value.field is None and unknown.value.field is None


def test_deactivated_user_cannot_sign_in(session):
    user = sign_up(session)
    user.is_active = False
    session.add(user)
    with pytest.raises(DomainError) as info:
        accounts.authenticate(session, "ana@example.edu", PASSWORD)
    assert info.value.message == SIGN_IN_FAILED


def test_sso_only_account_without_password_cannot_sign_in_with_a_password(session):
    user = sign_up(session)
    user.password_hash = ""
    session.add(user)
    with pytest.raises(DomainError, match="do not match"):
        accounts.authenticate(session, "ana@example.edu", "")


# --- sessions ------------------------------------------------------------------------


def test_session_token_round_trip_stores_only_the_hash(session):
    user = sign_up(session)
    token = accounts.start_session(session, user, user_agent="pytest", ip_address="127.0.0.1")
    assert len(token) >= 40
    row = session.exec(select(AuthSession).where(AuthSession.user_id == user.id)).one()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(row)
    assert row.expires_at > utcnow() + timedelta(days=13)
    assert accounts.user_for_session_token(session, token).id == user.id
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "user.signed_in")).one().actor_id == user.id


def test_each_sign_in_gets_a_different_token(session):
    user = sign_up(session)
    assert accounts.start_session(session, user) != accounts.start_session(session, user)


def test_ended_session_no_longer_signs_in_and_others_survive(session):
    user = sign_up(session)
    token = accounts.start_session(session, user)
    other = accounts.start_session(session, user)
    accounts.end_session(session, token)
    assert accounts.user_for_session_token(session, token) is None
    assert accounts.user_for_session_token(session, other).id == user.id
    revoked = session.exec(select(AuthSession).where(AuthSession.token_hash == accounts.hash_token(token))).one()
    assert revoked.revoked_at is not None
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "user.signed_out")).one().actor_id == user.id


def test_expired_session_gives_no_user(session):
    user = sign_up(session)
    token = accounts.start_session(session, user)
    row = session.exec(select(AuthSession)).one()
    row.expires_at = utcnow() - timedelta(seconds=1)
    session.add(row)
    session.flush()
    assert accounts.user_for_session_token(session, token) is None


def test_session_lifetime_follows_settings(session, set_setting):
    set_setting("session_days", 1)
    user = sign_up(session)
    accounts.start_session(session, user)
    row = session.exec(select(AuthSession)).one()
    assert row.expires_at < utcnow() + timedelta(days=1, minutes=1)


@pytest.mark.parametrize("token", [None, "", "unknown-token", "x" * 500])
def test_unknown_or_missing_token_gives_no_user_and_end_session_ignores_it(session, token):
    sign_up(session)
    assert accounts.user_for_session_token(session, token) is None
    accounts.end_session(session, token)  # no error


def test_deactivated_user_session_gives_no_user_and_cannot_start(session):
    user = sign_up(session)
    token = accounts.start_session(session, user)
    user.is_active = False
    session.add(user)
    session.flush()
    assert accounts.user_for_session_token(session, token) is None
    with pytest.raises(NotAllowed):
        accounts.start_session(session, user)


def test_session_survives_a_fresh_database_session(session, db_engine):
    """Timestamps read back from SQLite still compare against aware UTC 'now'."""
    from sqlmodel import Session

    user = sign_up(session)
    token = accounts.start_session(session, user)
    session.commit()
    with Session(db_engine) as fresh:
        assert accounts.user_for_session_token(fresh, token).id == user.id


def test_two_sign_ups_racing_for_one_email_leave_one_account(session, monkeypatch):
    """The unique index, not only the look-up, stops a duplicate; the loser is treated like any
    sign-up for a taken address (None), never a database error."""
    accounts.sign_up(session, accounts.SignUp("race@uni.edu", "a-long-enough-pass", "First"))
    session.commit()
    # Pretend the look-up ran before the other sign-up committed.
    real_exec = session.exec
    monkeypatch.setattr(
        session,
        "exec",
        lambda stmt, *a, **k: _NoRow() if "user.email" in str(stmt) and "user.id" in str(stmt) else real_exec(stmt, *a, **k),
    )
    assert accounts.sign_up(session, accounts.SignUp("race@uni.edu", "a-long-enough-pass", "Second")) is None
    monkeypatch.undo()
    assert [u.display_name for u in session.exec(select(User).where(User.email == "race@uni.edu"))] == ["First"]


class _NoRow:
    def first(self):
        return None

"""Email verification, password change and reset, sign-out everywhere: each rule and each refusal."""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from microgigs.models import AuthSession, OneTimeToken, OutboxMail
from microgigs.services import account_security, accounts
from microgigs.services.errors import DomainError, NotAllowed
from microgigs.services.validation import ValidationFailed

PASSWORD = "correct horse battery staple"  # tests/unit/conftest.py makes every account with it

NEW_PASSWORD = "a brand new passphrase"


def _link_token(session, to: str, path: str) -> str:
    mail = session.exec(select(OutboxMail).where(OutboxMail.to_address == to).order_by(OutboxMail.id.desc())).first()
    assert mail is not None
    match = re.search(re.escape(path) + r"\?token=([A-Za-z0-9_-]+)", mail.text_body)
    assert match, mail.text_body
    assert match.group(1) in mail.html_body
    return match.group(1)


def test_verification_link_is_stored_hashed_and_verifies_once(session, make):
    student = make.student()
    account_security.send_verification(session, student)
    raw = _link_token(session, student.email, "/auth/verify")
    row = session.exec(select(OneTimeToken)).one()
    assert row.token_hash == accounts.hash_token(raw) and raw not in row.token_hash
    assert account_security.verify_email(session, raw).email_verified
    with pytest.raises(DomainError, match="already been used"):
        account_security.verify_email(session, raw)


def test_expired_and_unknown_verification_links_are_refused(session, make):
    student = make.student()
    account_security.send_verification(session, student)
    raw = _link_token(session, student.email, "/auth/verify")
    row = session.exec(select(OneTimeToken)).one()
    row.expires_at = row.expires_at - timedelta(hours=account_security.VERIFY_HOURS + 1)
    session.add(row)
    with pytest.raises(DomainError, match="expired"):
        account_security.verify_email(session, raw)
    with pytest.raises(DomainError, match="not valid"):
        account_security.verify_email(session, "made-up-token")
    with pytest.raises(DomainError, match="not valid"):
        account_security.verify_email(session, "")
    assert not student.email_verified


def test_resend_verification_refused_when_already_verified_or_signed_out(session, make):
    staff = make.staff()  # created verified
    with pytest.raises(DomainError, match="already confirmed"):
        account_security.resend_verification(session, staff)
    with pytest.raises(NotAllowed):
        account_security.resend_verification(session, None)


def _sessions(session, user, n: int) -> list[str]:
    return [accounts.start_session(session, user) for _ in range(n)]


def test_change_password_keeps_this_session_and_revokes_the_others(session, make):
    student = make.student()
    here, other = _sessions(session, student, 2)
    account_security.change_password(session, student, PASSWORD, NEW_PASSWORD, keep_token=here)
    assert accounts.user_for_session_token(session, here) is not None
    assert accounts.user_for_session_token(session, other) is None
    assert accounts.authenticate(session, student.email, NEW_PASSWORD).id == student.id
    with pytest.raises(DomainError):
        accounts.authenticate(session, student.email, PASSWORD)


def test_change_password_refuses_wrong_current_weak_or_same(session, make):
    student = make.student()
    with pytest.raises(ValidationFailed) as wrong:
        account_security.change_password(session, student, "not my password", NEW_PASSWORD)
    assert "current_password" in wrong.value.errors
    with pytest.raises(ValidationFailed) as weak:
        account_security.change_password(session, student, PASSWORD, "short")
    assert "at least 10" in weak.value.errors["new_password"]
    with pytest.raises(ValidationFailed) as common:
        account_security.change_password(session, student, PASSWORD, "password123")
    assert "too easy" in common.value.errors["new_password"]
    with pytest.raises(ValidationFailed) as same:
        account_security.change_password(session, student, PASSWORD, PASSWORD)
    assert "different" in same.value.errors["new_password"]
    with pytest.raises(NotAllowed):
        account_security.change_password(session, None, PASSWORD, NEW_PASSWORD)
    assert accounts.authenticate(session, student.email, PASSWORD).id == student.id


def test_sign_out_everywhere_revokes_every_session(session, make):
    student = make.student()
    tokens = _sessions(session, student, 3)
    assert account_security.sign_out_everywhere(session, student) == 3
    assert all(accounts.user_for_session_token(session, t) is None for t in tokens)
    assert session.exec(select(AuthSession).where(AuthSession.revoked_at.is_(None))).all() == []
    with pytest.raises(NotAllowed):
        account_security.sign_out_everywhere(session, None)


def test_reset_request_answers_the_same_for_unknown_addresses_and_mails_nobody(session, make):
    student = make.student()
    known = account_security.request_password_reset(session, student.email.upper())
    unknown = account_security.request_password_reset(session, "nobody@example.edu")
    assert known == unknown == account_security.RESET_REQUESTED
    assert [m.to_address for m in session.exec(select(OutboxMail))] == [student.email]
    with pytest.raises(ValidationFailed) as bad:
        account_security.request_password_reset(session, "not an email")
    assert "email" in bad.value.errors


def test_reset_sets_the_password_once_and_signs_out_everywhere(session, make):
    student = make.student()
    token = accounts.start_session(session, student)
    account_security.request_password_reset(session, student.email)
    raw = _link_token(session, student.email, "/reset-password")
    account_security.check_reset_token(session, raw)
    with pytest.raises(ValidationFailed) as weak:
        account_security.reset_password(session, raw, "short")
    assert "password" in weak.value.errors
    account_security.reset_password(session, raw, NEW_PASSWORD)
    assert accounts.user_for_session_token(session, token) is None
    assert accounts.authenticate(session, student.email, NEW_PASSWORD).id == student.id
    with pytest.raises(DomainError, match="already been used"):
        account_security.reset_password(session, raw, "another fresh passphrase")
    with pytest.raises(DomainError, match="already been used"):
        account_security.check_reset_token(session, raw)


def test_expired_reset_link_is_refused(session, make):
    student = make.student()
    account_security.request_password_reset(session, student.email)
    raw = _link_token(session, student.email, "/reset-password")
    row = session.exec(select(OneTimeToken)).one()
    row.expires_at = row.expires_at - timedelta(minutes=account_security.RESET_MINUTES + 1)
    session.add(row)
    with pytest.raises(DomainError, match="expired"):
        account_security.reset_password(session, raw, NEW_PASSWORD)
    assert accounts.authenticate(session, student.email, PASSWORD).id == student.id


def test_a_verification_link_is_not_a_reset_link(session, make):
    student = make.student()
    account_security.send_verification(session, student)
    raw = _link_token(session, student.email, "/auth/verify")
    with pytest.raises(DomainError, match="not valid"):
        account_security.reset_password(session, raw, NEW_PASSWORD)

"""Email verification, password change and reset, sign-out everywhere: each rule and each refusal."""

from datetime import timedelta

import pytest
from sqlmodel import select

from microgigs.integrations.mail import TOKEN_MASK
from microgigs.models import AuthSession, OneTimeToken, OutboxMail
from microgigs.services import account_security, accounts, mail_queue
from microgigs.services.errors import DomainError, NotAllowed
from microgigs.services.validation import ValidationFailed
from tests.mail_helpers import deliver, last_mail_to, received_token, token_in

PASSWORD = "correct horse battery staple"  # tests/unit/conftest.py makes every account with it

NEW_PASSWORD = "a brand new passphrase"


def _link_token(session, to: str, path: str) -> str:
    return received_token(session, to, path)


def test_verification_link_is_stored_hashed_and_verifies_once(session, make):
    student = make.unconfirmed_student()
    account_security.send_verification(session, student)
    raw = _link_token(session, student.email, "/verify-email")
    row = session.exec(select(OneTimeToken)).one()
    assert row.token_hash == accounts.hash_token(raw) and raw not in row.token_hash
    assert account_security.verify_email(session, raw).email_verified
    with pytest.raises(DomainError, match="already been used"):
        account_security.verify_email(session, raw)


def test_expired_and_unknown_verification_links_are_refused(session, make):
    student = make.unconfirmed_student()
    account_security.send_verification(session, student)
    raw = _link_token(session, student.email, "/verify-email")
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
    student = make.unconfirmed_student()
    account_security.send_verification(session, student)
    raw = _link_token(session, student.email, "/verify-email")
    with pytest.raises(DomainError, match="not valid"):
        account_security.reset_password(session, raw, NEW_PASSWORD)


# --- no live secret is readable: tokens masked at rest, made when the mail leaves -------------


def test_the_outbox_never_holds_a_usable_token_only_the_mail_that_leaves_does(session, make):
    student = make.unconfirmed_student()
    account_security.send_verification(session, student)
    account_security.request_password_reset(session, student.email)
    verification, reset = session.exec(select(OutboxMail).order_by(OutboxMail.id)).all()
    for mail in (verification, reset):
        assert mail.token_id is not None
        assert f"token={TOKEN_MASK}" in mail.text_body and f"token={TOKEN_MASK}" in mail.html_body
    # Nothing stored is a working link: neither the mask nor the placeholder hash opens anything.
    with pytest.raises(DomainError, match="not valid"):
        account_security.check_reset_token(session, TOKEN_MASK)
    sent = deliver(session, verification)
    raw = token_in(sent.text_body, "/verify-email")
    assert TOKEN_MASK not in sent.text_body and raw in sent.html_body
    session.refresh(verification)
    # After it left, what is stored is still masked, and the token works.
    assert raw not in verification.text_body and raw not in verification.html_body and verification.status == "sent"
    assert account_security.verify_email(session, raw).email_verified


def test_a_new_link_voids_the_older_links_of_its_kind_but_not_of_another_kind(session, make):
    student = make.unconfirmed_student()
    account_security.request_password_reset(session, student.email)
    first_reset = _link_token(session, student.email, "/reset-password")
    account_security.send_verification(session, student)
    first_confirmation = _link_token(session, student.email, "/verify-email")
    account_security.request_password_reset(session, student.email)
    second_reset = _link_token(session, student.email, "/reset-password")
    with pytest.raises(DomainError, match="newer one was sent"):
        account_security.check_reset_token(session, first_reset)
    account_security.check_reset_token(session, second_reset)
    account_security.check_verify_token(session, first_confirmation)  # another kind: still good
    account_security.resend_verification(session, student)
    second_confirmation = _link_token(session, student.email, "/verify-email")
    with pytest.raises(DomainError, match="newer one was sent"):
        account_security.verify_email(session, first_confirmation)
    assert account_security.verify_email(session, second_confirmation).email_verified


def test_a_mail_whose_link_was_replaced_before_it_left_is_not_sent(session, make):
    student = make.student()
    account_security.request_password_reset(session, student.email)
    stale = last_mail_to(session, student.email)
    account_security.request_password_reset(session, student.email)
    assert mail_queue.claim(session, stale.id)
    assert mail_queue.prepare(session, stale.id) is None
    session.refresh(stale)
    assert stale.status == "cancelled" and "replaced" in stale.last_error


def test_changing_the_password_voids_reset_links_sent_before(session, make):
    student = make.student()
    account_security.request_password_reset(session, student.email)
    raw = _link_token(session, student.email, "/reset-password")
    account_security.change_password(session, student, PASSWORD, NEW_PASSWORD)
    with pytest.raises(DomainError, match="no longer valid"):
        account_security.reset_password(session, raw, "an attackers passphrase")
    assert accounts.authenticate(session, student.email, NEW_PASSWORD).id == student.id


def test_using_a_reset_link_voids_the_other_reset_links(session, make):
    student = make.student()
    account_security.request_password_reset(session, student.email)
    first = last_mail_to(session, student.email)
    first_raw = received_token(session, student.email, "/reset-password")
    # A second link whose mail has not left yet is voided by using the first.
    account_security.request_password_reset(session, student.email)
    with pytest.raises(DomainError, match="newer one"):
        account_security.reset_password(session, first_raw, NEW_PASSWORD)
    second_raw = received_token(session, student.email, "/reset-password")
    account_security.reset_password(session, second_raw, NEW_PASSWORD)
    assert first.id != last_mail_to(session, student.email).id
    assert (
        session.exec(
            select(OneTimeToken).where(
                OneTimeToken.purpose == "reset_password", OneTimeToken.used_at.is_(None), OneTimeToken.voided_at.is_(None)
            )
        ).all()
        == []
    )

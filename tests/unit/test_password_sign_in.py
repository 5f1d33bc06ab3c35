"""Signing in with a password: a wrong one is counted (and answered, so the count is kept), a
full bucket refuses before the password is checked, and the right password of an account that
must use the campus sign-in is refused without counting as a failure."""

import pytest
from sqlmodel import select

from microgigs.models import RateLimitHit
from microgigs.services import accounts, password_sign_in, sso, throttle
from tests.unit.conftest import PASSWORD


def _attempt(session, email: str, password: str, device_token: str | None = None) -> password_sign_in.Attempt:
    return password_sign_in.attempt(session, email, password, client="10.0.0.1", device_token=device_token)


def _failures_counted(session) -> int:
    return len(session.exec(select(RateLimitHit)).all())


def test_the_right_password_gives_the_account_and_counts_nothing(session, make):
    student = make.student()
    assert _attempt(session, student.email, PASSWORD).user.id == student.id
    assert _failures_counted(session) == 0


def test_a_wrong_password_is_an_answer_that_has_been_counted(session, make):
    student = make.student()
    attempt = _attempt(session, student.email, "not the password")
    assert attempt.user is None and attempt.failure == accounts.SIGN_IN_FAILED
    assert _failures_counted(session) == len(throttle.sign_in_failure_keys(session, student.email, "10.0.0.1", None))


def test_a_full_bucket_refuses_before_the_password_is_checked(session, make, monkeypatch):
    student = make.student()
    for _ in range(throttle.FAILURES_PER_CLIENT_AND_ACCOUNT.max_hits):
        _attempt(session, student.email, "not the password")
    monkeypatch.setattr(accounts, "verify_password", lambda *_: pytest.fail("the password was checked"))
    with pytest.raises(throttle.Throttled):
        _attempt(session, student.email, PASSWORD)


def test_the_owners_known_browser_is_not_slowed_by_a_strangers_guesses(session, make):
    student = make.student()
    device = throttle.remember_device(session, student, None)
    for _ in range(throttle.FAILURES_PER_CLIENT_AND_ACCOUNT.max_hits):
        _attempt(session, student.email, "not the password")
    assert _attempt(session, student.email, PASSWORD, device_token=device).user.id == student.id


def test_the_right_password_of_a_campus_only_account_is_refused_but_not_counted(session, make, set_setting):
    student = make.student()
    set_setting("sso_only_for_students", "true")
    with pytest.raises(sso.SsoRequired):
        _attempt(session, student.email, PASSWORD)
    assert _failures_counted(session) == 0

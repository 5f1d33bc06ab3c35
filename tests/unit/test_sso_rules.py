"""The campus sign-in rules in services/sso.py, without a provider: claims in, account out."""

import pytest
from sqlmodel import select

from microgigs import settings
from microgigs.models import AuditEvent, OidcFlow, OidcIdentity, StudentProfile, User
from microgigs.services import sso
from microgigs.services.errors import DomainError


@pytest.fixture
def env(monkeypatch):
    def set_(**values):
        for name, value in values.items():
            monkeypatch.setenv(f"MICROGIGS_{name.upper()}", value)
        settings.get_settings.cache_clear()

    yield set_
    settings.get_settings.cache_clear()


def claims(sub="s-1", email="ada@uni.edu", verified=True, **more):
    return {"sub": sub, "email": email, "email_verified": verified, **more}


def test_new_identity_becomes_a_student_with_a_profile_and_an_audit_event(session):
    user = sso.account_for_identity(session, "campus", claims(name="Ada L."))
    assert (user.role, user.email, user.display_name, user.password_hash, user.email_verified) == ("student", "ada@uni.edu", "Ada L.", "", True)
    assert session.get(StudentProfile, user.id) is not None
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "user.signed_up")).one().subject_id == user.id
    assert sso.account_for_identity(session, "campus", claims(email="changed@uni.edu")).id == user.id  # found by subject


def test_refusals_create_nothing(session, env):
    env(student_email_domains="uni.edu, @college.edu")
    for bad, message in (
        (claims(sub=""), "did not say who you are"),
        (claims(email=""), "did not share an email"),
        (claims(email="not-an-email"), "did not share an email"),
        (claims(verified=False), "not verified"),
        (claims(verified="true"), "not verified"),  # only a real boolean true counts
        (claims(email="ada@gmail.com"), "uni.edu or college.edu"),
    ):
        with pytest.raises(DomainError, match=message):
            sso.account_for_identity(session, "campus", bad)
    assert session.exec(select(User)).all() == [] and session.exec(select(OidcIdentity)).all() == []
    assert sso.account_for_identity(session, "campus", claims(email="ada@cs.college.edu")).role == "student"


def test_closed_account_cannot_sign_in_through_its_link(session):
    user = sso.account_for_identity(session, "campus", claims())
    user.is_active = False
    session.add(user)
    with pytest.raises(DomainError, match="closed"):
        sso.account_for_identity(session, "campus", claims())


def test_sso_only_refuses_students_password_sign_in_and_sign_up_but_not_managers(session, env):
    student = sso.account_for_identity(session, "campus", claims())
    sso.check_local_sign_in(student)
    sso.check_local_sign_up("student", "x@uni.edu")
    env(sso_only_for_students="true")
    with pytest.raises(sso.SsoRequired):
        sso.check_local_sign_in(student)
    with pytest.raises(sso.SsoRequired):
        sso.check_local_sign_up("student", "x@uni.edu")
    sso.check_local_sign_up("manager", "boss@corp.com")


def test_flow_is_single_use_bound_to_the_browser_and_the_provider(session):
    sso.begin_flow(session, "campus", "state-1", "nonce", "verifier", "/gigs")
    with pytest.raises(DomainError):
        sso.take_flow(session, "campus", "state-1", "another-browser-state")
    with pytest.raises(DomainError):
        sso.take_flow(session, "other", "state-1", "state-1")  # spent by the attempt, even though refused
    assert session.exec(select(OidcFlow)).all() == []
    sso.begin_flow(session, "campus", "state-2", "nonce", "verifier", "/gigs")
    assert sso.take_flow(session, "campus", "state-2", "state-2").next_path == "/gigs"
    with pytest.raises(DomainError):
        sso.take_flow(session, "campus", "state-2", "state-2")


def test_provider_settings_are_parsed_and_bad_entries_ignored(env):
    env(
        oidc_providers='[{"name": "Campus", "issuer": "https://login.uni.edu/", "client_id": "c", "client_secret": "s", "label": "Uni login"},'
        ' {"name": "bad name", "issuer": "https://x", "client_id": "c"}, {"name": "off", "issuer": "https://y", "client_id": "c", "enabled": false}]'
    )
    assert [(o.name, o.label) for o in sso.sign_in_options()] == [("campus", "Uni login")]
    env(oidc_providers="not json")
    assert sso.sign_in_options() == []

"""The campus sign-in rules in services/sso.py, without a provider: claims in, account out."""

import logging

import pytest
from sqlmodel import select

from microgigs import settings
from microgigs.integrations import oidc
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
    assert (user.role, user.email, user.display_name, user.password_hash, user.email_verified) == (
        "student",
        "ada@uni.edu",
        "Ada L.",
        "",
        True,
    )
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
    sso.check_local_sign_in(session, student)
    sso.check_local_sign_up(session, "student", "x@uni.edu")
    env(sso_only_for_students="true")
    with pytest.raises(sso.SsoRequired):
        sso.check_local_sign_in(session, student)
    with pytest.raises(sso.SsoRequired):
        sso.check_local_sign_up(session, "student", "x@uni.edu")
    sso.check_local_sign_up(session, "manager", "boss@corp.com")


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


# --- providers as numbered variables ------------------------------------------------------


def test_numbered_variables_configure_providers_beside_the_json_list(env):
    env(
        oidc_providers='[{"name": "campus", "issuer": "https://login.uni.edu", "client_id": "c", "client_secret": "s", "label": "Uni login"}]',
        oidc_1_issuer="https://sso.college.edu/realms/students/",
        oidc_1_client_id="microgigs",
        oidc_1_client_secret="numbered-secret",
        oidc_1_label="Sign in with College",
        oidc_1_name="College",
        oidc_2_issuer="https://idp.example.org",
        oidc_2_client_id="mg",
        oidc_2_client_secret="s2",
        oidc_2_enabled="false",
    )
    result = oidc.provider_settings()
    assert result.problems == ()
    assert [(p.name, p.issuer, p.client_id, p.label, p.enabled) for p in result.providers] == [
        ("campus", "https://login.uni.edu", "c", "Uni login", True),
        ("college", "https://sso.college.edu/realms/students", "microgigs", "Sign in with College", True),
        ("oidc2", "https://idp.example.org", "mg", "Sign in with oidc2", False),
    ]
    assert result.providers[1].client_secret == "numbered-secret"
    # A disabled provider is neither offered nor usable.
    assert [(o.name, o.label) for o in sso.sign_in_options()] == [("campus", "Uni login"), ("college", "Sign in with College")]
    assert oidc.enabled_provider("oidc2") is None and oidc.enabled_provider("college").client_id == "microgigs"


def test_a_half_configured_provider_is_off_and_the_log_says_what_to_set_without_the_secret(env, caplog):
    env(
        oidc_1_issuer="https://sso.college.edu",
        oidc_1_client_secret="half-secret-never-logged",
        oidc_2_issuer="ftp://wrong.example",
        oidc_2_client_id="x",
        oidc_2_client_secret="another-secret-never-logged",
        oidc_2_enabled="maybe",
        oidc_3_clientid="typo",
        oidc_4_issuer="https://ok.example",
        oidc_4_client_id="ok",
        oidc_4_client_secret="ok-secret",
        oidc_4_name="Bad Name!",
    )
    caplog.set_level(logging.ERROR, logger="microgigs.oidc")
    result = oidc.provider_settings()
    assert result.providers == () and sso.sign_in_options() == []
    assert set(result.problems) == {
        "MICROGIGS_OIDC_3_CLIENTID is not a setting; use one of MICROGIGS_OIDC_3_ISSUER, MICROGIGS_OIDC_3_CLIENT_ID, "
        "MICROGIGS_OIDC_3_CLIENT_SECRET, MICROGIGS_OIDC_3_LABEL, MICROGIGS_OIDC_3_NAME, MICROGIGS_OIDC_3_ENABLED.",
        "Campus sign-in provider 1 is half configured: set MICROGIGS_OIDC_1_CLIENT_ID. It is off until then.",
        "Campus sign-in provider 2: MICROGIGS_OIDC_2_ISSUER must be a URL starting with https://; "
        "MICROGIGS_OIDC_2_ENABLED must be true or false. It is off until then.",
        "Campus sign-in provider 4: MICROGIGS_OIDC_4_NAME may hold only letters, digits, - and _ (at most 40). It is off until then.",
    }
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert all(problem in logged for problem in result.problems)
    assert "secret-never-logged" not in logged and "ok-secret" not in logged
    # Logged once per configuration, not at every page that lists the providers.
    caplog.clear()
    oidc.provider_settings()
    sso.sign_in_options()
    assert caplog.records == []


def test_the_same_name_twice_keeps_the_first_and_says_so(env):
    env(
        oidc_providers='[{"name": "campus", "issuer": "https://a.edu", "client_id": "a"}]',
        oidc_7_name="campus",
        oidc_7_issuer="https://b.edu",
        oidc_7_client_id="b",
        oidc_7_client_secret="s",
    )
    result = oidc.provider_settings()
    assert [p.issuer for p in result.providers] == ["https://a.edu"]
    assert result.problems == ("Two campus sign-in providers are named 'campus'; only the first is used.",)
    env(oidc_providers='{"name": "campus"}')
    assert oidc.provider_settings().problems[0] == "MICROGIGS_OIDC_PROVIDERS must be a JSON list of providers."

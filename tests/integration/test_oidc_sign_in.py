"""Campus sign-in against a real OpenID provider (npm oidc-provider 8) on loopback.

The app side is our Starlette routes (TestClient on http://testserver); the provider is
a real node process; the person's part at the provider is played with plain HTTP.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session, select
from starlette.testclient import TestClient

from microgigs import settings
from microgigs.http.app import build_api
from microgigs.models import AuditEvent, Membership, OidcFlow, OidcIdentity, User
from microgigs.services import accounts, sso
from tests.integration.conftest import ORIGIN, PASSWORD, make_user
from tests.oidc_provider.harness import running_provider, sign_in_at_provider

APP = "http://testserver"
CALLBACK = f"{APP}/auth/oidc/campus/callback"


@pytest.fixture(scope="module")
def provider():
    with running_provider([CALLBACK]) as running:
        yield running


@pytest.fixture
def campus(provider, configured, monkeypatch):
    monkeypatch.setenv("MICROGIGS_OIDC_PROVIDERS", provider.settings_json())
    settings.get_settings.cache_clear()
    return provider


def start(client, next_path: str = "") -> str:
    response = client.get("/auth/oidc/campus/start" + (f"?next={next_path}" if next_path else ""))
    assert response.status_code == 302, response.text
    url = response.headers["location"]
    query = parse_qs(urlsplit(url).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"][0]
    assert query["nonce"][0] and query["state"][0] and "openid" in query["scope"][0]
    return url


def finish(client, callback_url: str):
    parts = urlsplit(callback_url)
    return client.get(f"{parts.path}?{parts.query}")


def query_of(response) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


def users(engine, email: str) -> list[User]:
    with Session(engine) as session:
        return list(session.exec(select(User).where(User.email == email)))


def test_first_campus_sign_in_creates_a_student_and_signs_them_in(client, campus, configured):
    callback = sign_in_at_provider(start(client, "/gigs"), "ada", stop_at=APP)
    response = finish(client, callback)
    assert response.status_code == 303 and response.headers["location"] == "/gigs"
    assert "microgigs_session=" in response.headers["set-cookie"] and "HttpOnly" in response.headers["set-cookie"]
    [user] = users(configured, "ada@uni.test")
    assert user.role == "student" and user.email_verified and user.password_hash == "" and user.display_name == "Ada Campus"
    assert user.language == "en"
    with Session(configured) as session:
        assert session.exec(select(OidcIdentity).where(OidcIdentity.user_id == user.id)).one().provider == "campus"
        assert session.exec(select(OidcFlow)).all() == []  # the flow was used up

    # A second sign-in finds the same account through the linked identity.
    client.cookies.clear()
    response = finish(client, sign_in_at_provider(start(client), "ada", stop_at=APP))
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    assert len(users(configured, "ada@uni.test")) == 1


def test_a_campus_sign_up_keeps_the_language_it_was_made_in(client, campus, configured):
    client.headers["accept-language"] = "es-MX,es;q=0.9,en;q=0.5"
    response = finish(client, sign_in_at_provider(start(client), "ada", stop_at=APP))
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    [user] = users(configured, "ada@uni.test")
    assert user.language == "es"


@pytest.fixture
def demo_addresses(monkeypatch):
    """The test provider's accounts carry the demo campus's addresses: allow them here."""
    monkeypatch.setenv("MICROGIGS_DEMO_MODE", "true")
    settings.get_settings.cache_clear()


def test_verified_campus_email_links_to_the_existing_account(client, campus, configured, demo_addresses):
    user_id = make_user(configured, "student2@demo.microgigs.test")
    response = finish(client, sign_in_at_provider(start(client), "linker", stop_at=APP))
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    with Session(configured) as session:
        identity = session.exec(select(OidcIdentity)).one()
        assert identity.user_id == user_id
        assert session.exec(select(AuditEvent).where(AuditEvent.action == "user.sso_linked")).one().subject_id == user_id


def test_a_campus_identity_takes_an_address_from_whoever_signed_up_with_it_unconfirmed(client, campus, configured, demo_addresses):
    """Someone signed up as the campus student's address (and as an employer, even) but never
    confirmed it. When the real owner arrives through the campus, the account is theirs, and the
    squatter's password, sessions and employer team are gone."""
    squatter_id = make_user(configured, "student2@demo.microgigs.test", role="manager", org="Squat Co", confirmed=False)
    with TestClient(build_api(), base_url=APP, follow_redirects=False) as squatter:
        assert (
            squatter.post("/auth/login", data={"email": "student2@demo.microgigs.test", "password": PASSWORD}, headers=ORIGIN).status_code
            == 303
        )
        squatters_session = squatter.cookies.get("microgigs_session")
    response = finish(client, sign_in_at_provider(start(client), "linker", stop_at=APP))
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    with Session(configured) as session:
        user = session.get(User, squatter_id)
        assert user.email_verified and user.password_hash == "" and user.role == "student" and user.display_name == "Student Two"
        assert accounts.user_for_session_token(session, squatters_session) is None
        assert session.exec(select(OidcIdentity)).one().user_id == squatter_id
        assert session.exec(select(Membership).where(Membership.user_id == squatter_id)).all() == []  # off Squat Co's team
        assert (
            session.exec(select(AuditEvent).where(AuditEvent.action == "user.unconfirmed_account_taken_over")).one().subject_id
            == squatter_id
        )
    refused = client.post("/auth/login", data={"email": "student2@demo.microgigs.test", "password": PASSWORD}, headers=ORIGIN)
    assert query_of(refused)["error"] == accounts.SIGN_IN_FAILED


def test_unverified_campus_email_is_neither_linked_nor_used(client, campus, configured, demo_addresses):
    make_user(configured, "student1@demo.microgigs.test")
    response = finish(client, sign_in_at_provider(start(client), "unverified", stop_at=APP))
    assert response.status_code == 303 and response.headers["location"].startswith("/login?error=")
    assert "not+verified" in response.headers["location"]
    assert "microgigs_session=" not in response.headers.get("set-cookie", "")
    with Session(configured) as session:
        assert session.exec(select(OidcIdentity)).all() == []


def test_forged_callback_with_a_wrong_state_is_refused(client, campus, configured):
    callback = sign_in_at_provider(start(client), "ada", stop_at=APP)
    forged = callback.replace("state=", "state=forged")
    response = finish(client, forged)
    assert response.status_code == 303 and "could+not+be+completed" in response.headers["location"]
    assert users(configured, "ada@uni.test") == []
    # A callback from a browser that never started the flow (no state cookie) is refused too.
    client.cookies.clear()
    response = finish(client, callback)
    assert "could+not+be+completed" in response.headers["location"] and users(configured, "ada@uni.test") == []


def test_reused_callback_is_refused(client, campus, configured):
    callback = sign_in_at_provider(start(client), "ada", stop_at=APP)
    state_cookie = client.cookies.get("microgigs_oidc_state")
    assert finish(client, callback).headers["location"] == "/dashboard"
    client.cookies.set("microgigs_oidc_state", state_cookie, path="/auth/oidc")
    assert "could+not+be+completed" in finish(client, callback).headers["location"]


def test_id_token_with_a_wrong_nonce_is_refused(client, campus, configured):
    callback = sign_in_at_provider(start(client), "ada", stop_at=APP)
    with Session(configured) as session:  # the nonce we expect no longer matches the provider's token
        flow = session.exec(select(OidcFlow)).one()
        flow.nonce = "not-the-nonce-the-provider-saw"
        session.add(flow)
        session.commit()
    response = finish(client, callback)
    assert response.status_code == 303 and "could+not+be+completed" in response.headers["location"]
    assert "microgigs_session=" not in response.headers.get("set-cookie", "")
    assert users(configured, "ada@uni.test") == []


def test_student_email_domain_restriction(client, campus, configured, monkeypatch):
    monkeypatch.setenv("MICROGIGS_STUDENT_EMAIL_DOMAINS", "uni.test")
    settings.get_settings.cache_clear()
    response = finish(client, sign_in_at_provider(start(client), "grace", stop_at=APP))
    assert "uni.test" in response.headers["location"] and users(configured, "grace@elsewhere.test") == []
    client.cookies.clear()
    response = finish(client, sign_in_at_provider(start(client), "ada", stop_at=APP))
    assert response.headers["location"] == "/dashboard"
    # Local student sign-up follows the same rule, with the message next to the email field.
    response = client.post(
        "/auth/signup",
        data={"role": "student", "display_name": "G", "email": "g@elsewhere.test", "password": PASSWORD},
        headers=ORIGIN,
    )
    assert "error_email=" in response.headers["location"] and users(configured, "g@elsewhere.test") == []


def test_sso_only_for_students_refuses_password_sign_in_and_sign_up(client, campus, configured, monkeypatch):
    make_user(configured, "student3@uni.test")
    monkeypatch.setenv("MICROGIGS_SSO_ONLY_FOR_STUDENTS", "true")
    settings.get_settings.cache_clear()
    response = client.post("/auth/login", data={"email": "student3@uni.test", "password": PASSWORD}, headers=ORIGIN)
    assert "campus+account" in response.headers["location"] and "set-cookie" not in response.headers
    response = client.post(
        "/auth/signup",
        data={"role": "student", "display_name": "N", "email": "new@uni.test", "password": PASSWORD},
        headers=ORIGIN,
    )
    assert "campus+account" in response.headers["location"] and users(configured, "new@uni.test") == []
    make_user(configured, "boss@corp.test", role="manager", org="Corp")  # managers keep passwords
    response = client.post("/auth/login", data={"email": "boss@corp.test", "password": PASSWORD}, headers=ORIGIN)
    assert response.headers["location"] == "/dashboard"


def test_unknown_or_disabled_provider_is_a_clear_message(client, campus, configured, monkeypatch):
    response = client.get("/auth/oidc/nope/start")
    assert response.status_code == 303 and "not+offered" in response.headers["location"]
    monkeypatch.setenv("MICROGIGS_OIDC_PROVIDERS", campus.settings_json(enabled=False))
    settings.get_settings.cache_clear()
    assert "not+offered" in client.get("/auth/oidc/campus/start").headers["location"]
    assert sso.sign_in_options() == []


def test_provider_that_is_down_is_a_clear_message(client, configured, monkeypatch):
    from tests.oidc_provider.harness import TestProvider, _free_port

    monkeypatch.setenv("MICROGIGS_OIDC_PROVIDERS", TestProvider(issuer=f"http://127.0.0.1:{_free_port()}").settings_json())
    settings.get_settings.cache_clear()
    response = client.get("/auth/oidc/campus/start")
    assert response.status_code == 303 and "not+available" in response.headers["location"]
    with Session(configured) as session:
        assert session.exec(select(OidcFlow)).all() == []


def test_a_provider_configured_by_numbered_variables_signs_people_in(client, provider, configured, monkeypatch):
    for field, value in {
        "NAME": "campus",
        "ISSUER": provider.issuer,
        "CLIENT_ID": provider.client_id,
        "CLIENT_SECRET": provider.client_secret,
        "LABEL": "Sign in with Numbered U",
    }.items():
        monkeypatch.setenv(f"MICROGIGS_OIDC_1_{field}", value)
    monkeypatch.delenv("MICROGIGS_OIDC_PROVIDERS", raising=False)
    settings.get_settings.cache_clear()
    assert [(o.name, o.label) for o in sso.sign_in_options()] == [("campus", "Sign in with Numbered U")]
    response = finish(client, sign_in_at_provider(start(client), "ada", stop_at=APP))
    assert response.status_code == 303 and response.headers["location"] == "/dashboard"
    assert len(users(configured, "ada@uni.test")) == 1

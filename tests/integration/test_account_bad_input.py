"""Issue 3's "Bad input" and session-security lines, checked through our real routes:
every form post checks Origin, overlong input is refused with nothing written, a campus
provider that dies mid-sign-in is a clear message, and no secret, code, token or password
ever reaches the log."""

import base64
import logging
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlmodel import Session, func, select

from microgigs import settings
from microgigs.http.app import build_api
from microgigs.models import AuthSession, OidcFlow, OneTimeToken, Organization, User
from tests.integration.conftest import ORIGIN, PASSWORD, make_user, sign_in
from tests.oidc_provider.harness import CLIENT_ID, CLIENT_SECRET, running_provider, sign_in_at_provider
from tests.smtp_server import mail_parts, smtp_server  # noqa: F401  (the real SMTP server fixture)

APP = "http://testserver"
BASIC_AUTH = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
CALLBACK = f"{APP}/auth/oidc/campus/callback"
# POST routes that are not browser forms: a public JSON API that verifiers on other sites call,
# Stripe's webhooks (server to server; their check is the signature, tested with the fake), and
# the one-click unsubscribe (RFC 8058: mail programs post it with no Origin and no cookie; the
# link's token is the proof, tested in test_unsubscribe_mail.py).
NOT_FORMS = {"/api/credentials/verify", "/api/stripe/webhook", "/api/stripe/connect-webhook", "/unsubscribe/{token}"}
FORM_POSTS = sorted(
    route.path for route in build_api().routes if "POST" in (getattr(route, "methods", None) or ()) and route.path not in NOT_FORMS
)


def app_logs(caplog) -> str:
    """What the app would write to its log: our own loggers at any level, everyone else's at INFO
    and up. Left out: the test client's own request lines for http://testserver (they play the
    browser, whose URLs a front proxy's access log may hold) and the test harness's requests
    to the provider (they play the person at the provider)."""
    lines = []
    for record in caplog.records:
        text = f"{record.getMessage()} {record.args!r}"
        if record.name.startswith("httpx") and "http://testserver/" in text:
            continue
        if record.name.startswith("microgigs") or record.levelno >= logging.INFO:
            lines.append(f"{record.name} {text}")
    return "\n".join(lines)


def query_of(response) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


def counts(engine) -> tuple[int, int, int, int]:
    with Session(engine) as session:
        return tuple(
            session.exec(select(func.count()).select_from(table)).one() for table in (User, Organization, AuthSession, OneTimeToken)
        )


def test_the_form_posts_are_all_known():
    """A new POST route must be added here on purpose (and so get the Origin check below)."""
    assert FORM_POSTS == sorted(
        [
            "/account/delete",
            "/auth/change-password",
            "/auth/forgot-password",
            "/auth/join",
            "/auth/login",
            "/auth/logout",
            "/auth/logout-everywhere",
            "/auth/resend-verification",
            "/auth/reset-password",
            "/auth/signup",
            "/auth/verify",
            "/payments/fund/{engagement_id:int}",
            "/payments/payout-account",
        ]
    )


@pytest.mark.parametrize("path", FORM_POSTS)
def test_every_form_post_from_another_site_or_with_no_origin_is_refused_before_anything_happens(client, configured, path):
    make_user(configured, "sam@uni.edu")
    sign_in(client, "sam@uni.edu")
    before = counts(configured)
    data = {"email": "sam@uni.edu", "password": PASSWORD, "current_password": PASSWORD, "new_password": "another long passphrase"}
    for headers in ({"origin": "https://evil.example"}, {"referer": "https://evil.example/form"}, {}):
        # A route with an id in it is posted with a real-looking one: the Origin check comes first.
        response = client.post(re.sub(r"\{[^}]+\}", "1", path), data=data, headers=headers)
        assert response.status_code == 403, (path, headers)
        assert "set-cookie" not in response.headers
    assert counts(configured) == before
    # Still signed in: not even sign-out or sign-out-everywhere went through.
    assert client.get("/account/export.json").status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "error_field"),
    [
        ("display_name", "n" * 10_000, "error_display_name"),
        ("email", "a" * 300 + "@uni.edu", "error_email"),
        ("password", "p4ss-" * 2_000, "error_password"),
        ("organization_name", "O" * 5_000, "error_organization_name"),
    ],
)
def test_overlong_sign_up_fields_are_refused_by_the_field_and_nothing_is_created(client, configured, field, value, error_field):
    data = {
        "role": "manager",
        "display_name": "Ana",
        "email": "ana@acme.example",
        "password": "a long enough passphrase",
        "organization_name": "Acme",
        field: value,
    }
    before = counts(configured)
    response = client.post("/auth/signup", data=data, headers=ORIGIN)
    assert response.status_code == 303 and response.headers["location"].startswith("/signup")
    assert query_of(response)[error_field]
    assert "password" not in query_of(response)  # the password never travels back in the URL
    assert counts(configured) == before
    assert "set-cookie" not in response.headers


def test_a_reset_link_works_once_and_an_expired_one_is_refused_through_the_routes(client, configured, smtp_server):  # noqa: F811
    make_user(configured, "kim@uni.edu")
    client.post("/auth/forgot-password", data={"email": "kim@uni.edu"}, headers=ORIGIN)
    [mail] = smtp_server.deliver()
    token = re.search(r"/reset-password\?token=([\w-]+)", mail_parts(mail)["text/plain"]).group(1)
    with Session(configured) as session:  # let it expire
        row = session.exec(select(OneTimeToken).where(OneTimeToken.purpose == "reset_password")).one()
        row.expires_at = row.expires_at.replace(year=2000)
        session.add(row)
        session.commit()
    expired = client.post("/auth/reset-password", data={"token": token, "password": "a brand new passphrase"}, headers=ORIGIN)
    assert "expired" in query_of(expired)["error"]
    sign_in(client, "kim@uni.edu")  # the old password still works


@pytest.fixture(scope="module")
def provider():
    with running_provider([CALLBACK]) as running:
        yield running


@pytest.fixture
def campus(provider, configured, monkeypatch):
    monkeypatch.setenv("MICROGIGS_OIDC_PROVIDERS", provider.settings_json())
    settings.get_settings.cache_clear()
    return provider


def _start(client) -> str:
    response = client.get("/auth/oidc/campus/start")
    assert response.status_code == 302
    return response.headers["location"]


def _finish(client, callback_url: str):
    parts = urlsplit(callback_url)
    return client.get(f"{parts.path}?{parts.query}")


def test_a_campus_sign_in_logs_no_secret_code_or_token(client, campus, configured, caplog):
    caplog.set_level(logging.DEBUG)
    callback = sign_in_at_provider(_start(client), "ada", stop_at=APP)
    code = parse_qs(urlsplit(callback).query)["code"][0]
    response = _finish(client, callback)
    assert response.headers["location"] == "/dashboard"
    session_token = client.cookies.get("microgigs_session")
    logged = app_logs(caplog)
    for secret in (CLIENT_SECRET, BASIC_AUTH, session_token, code):
        assert secret and secret not in logged


def test_a_provider_that_goes_down_mid_sign_in_is_a_clear_message_and_creates_nothing(client, configured, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    with running_provider([CALLBACK]) as short_lived:
        monkeypatch.setenv("MICROGIGS_OIDC_PROVIDERS", short_lived.settings_json())
        settings.get_settings.cache_clear()
        callback = sign_in_at_provider(_start(client), "grace", stop_at=APP)
    # The provider has stopped: the code can no longer be exchanged.
    before = counts(configured)
    response = _finish(client, callback)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    assert "not available" in query_of(response)["error"]
    assert "microgigs_session=" not in response.headers.get("set-cookie", "")
    assert counts(configured) == before
    with Session(configured) as session:
        assert session.exec(select(User).where(User.email == "grace@elsewhere.test")).first() is None
        assert session.exec(select(OidcFlow)).all() == []  # the flow was spent all the same
    logged = app_logs(caplog)
    assert "campus provider campus unavailable at callback" in logged
    for secret in (CLIENT_SECRET, BASIC_AUTH, parse_qs(urlsplit(callback).query)["code"][0]):
        assert secret not in logged


def test_a_typed_password_never_reaches_the_log(client, configured, caplog):
    caplog.set_level(logging.DEBUG)
    make_user(configured, "lee@uni.edu")
    client.post("/auth/login", data={"email": "lee@uni.edu", "password": "Wrong-but-secret-123"}, headers=ORIGIN)
    client.post(
        "/auth/signup", data={"role": "student", "display_name": "x", "email": "bad", "password": "Another-secret-456"}, headers=ORIGIN
    )
    sign_in(client, "lee@uni.edu")
    client.post("/auth/change-password", data={"current_password": PASSWORD, "new_password": "Third-secret-789xyz"}, headers=ORIGIN)
    logged = app_logs(caplog)
    for secret in ("Wrong-but-secret-123", "Another-secret-456", "Third-secret-789xyz", PASSWORD):
        assert secret not in logged

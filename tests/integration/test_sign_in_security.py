"""Sign-in security through the real routes: throttling, session rotation, cookie flags, Origin."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from sqlmodel import Session, select
from starlette.testclient import TestClient

from microgigs import settings
from microgigs.http.app import build_api
from microgigs.models import AuthSession, SignInAttempt
from microgigs.services import accounts, throttle
from tests.integration.conftest import ORIGIN, PASSWORD, make_user


def error_of(response) -> str:
    return parse_qs(urlsplit(response.headers["location"]).query).get("error", [""])[0]


def attempt(client, email: str, password: str = "wrong-password-123", **headers):
    return client.post("/auth/login", data={"email": email, "password": password}, headers={**ORIGIN, **headers})


def test_five_failures_lock_that_email_for_a_while_even_with_the_right_password(client, configured):
    make_user(configured, "ada@uni.edu")
    for _ in range(throttle.MAX_FAILURES_PER_EMAIL):
        assert error_of(attempt(client, "ada@uni.edu")) == accounts.SIGN_IN_FAILED
    response = attempt(client, "ADA@uni.edu", PASSWORD)
    assert error_of(response) == throttle.TOO_MANY and "set-cookie" not in response.headers
    # Another account from the same address is not locked by Ada's failures.
    make_user(configured, "bo@uni.edu")
    assert attempt(client, "bo@uni.edu", PASSWORD).headers["location"] == "/dashboard"
    # The window passes: the account can sign in again, and success forgets its failures.
    with Session(configured) as session:
        for row in session.exec(select(SignInAttempt)).all():
            row.created_at = row.created_at - throttle.WINDOW - timedelta(seconds=1)
            session.add(row)
        session.commit()
    assert attempt(client, "ada@uni.edu", PASSWORD).headers["location"] == "/dashboard"


def test_the_lock_message_does_not_tell_whether_the_email_exists(client, configured):
    make_user(configured, "ada@uni.edu")
    for email in ("ada@uni.edu", "nobody@uni.edu"):
        messages = [error_of(attempt(client, email)) for _ in range(throttle.MAX_FAILURES_PER_EMAIL + 1)]
        assert messages[:-1] == [accounts.SIGN_IN_FAILED] * throttle.MAX_FAILURES_PER_EMAIL
        assert messages[-1] == throttle.TOO_MANY


def test_twenty_failures_from_one_address_lock_that_address(client, configured):
    make_user(configured, "ada@uni.edu")
    for n in range(throttle.MAX_FAILURES_PER_ADDRESS):
        attempt(client, f"guess{n}@uni.edu")
    assert error_of(attempt(client, "ada@uni.edu", PASSWORD)) == throttle.TOO_MANY
    with Session(configured) as session:
        assert {row.ip_address for row in session.exec(select(SignInAttempt))} == {"testclient"}
    # The same person from another address is not affected.
    with TestClient(build_api(), base_url="http://testserver", follow_redirects=False, client=("10.0.0.9", 5000)) as other:
        assert attempt(other, "ada@uni.edu", PASSWORD).headers["location"] == "/dashboard"


def test_sign_in_rotates_the_session_and_revokes_the_token_the_browser_held(client, configured):
    make_user(configured, "ada@uni.edu")
    assert attempt(client, "ada@uni.edu", PASSWORD).headers["location"] == "/dashboard"
    first = client.cookies.get("microgigs_session")
    assert attempt(client, "ada@uni.edu", PASSWORD).headers["location"] == "/dashboard"
    second = client.cookies.get("microgigs_session")
    assert first and second and first != second
    with Session(configured) as session:
        assert accounts.user_for_session_token(session, first) is None  # the old one is revoked
        assert accounts.user_for_session_token(session, second) is not None
        assert len(session.exec(select(AuthSession).where(AuthSession.revoked_at.is_not(None))).all()) == 1


def test_cookie_is_secure_when_the_public_url_is_https(configured, monkeypatch):
    make_user(configured, "ada@uni.edu")
    monkeypatch.setenv("MICROGIGS_PUBLIC_URL", "https://gigs.uni.edu")
    settings.get_settings.cache_clear()
    with TestClient(build_api(), base_url="https://gigs.uni.edu", follow_redirects=False) as secure:
        response = secure.post(
            "/auth/login", data={"email": "ada@uni.edu", "password": PASSWORD}, headers={"origin": "https://gigs.uni.edu"}
        )
        cookie = response.headers["set-cookie"]
        assert "microgigs_session=" in cookie and "Secure" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
        # A form posted from another site is refused before anything is read.
        refused = secure.post("/auth/login", data={"email": "ada@uni.edu", "password": PASSWORD}, headers={"origin": "https://evil.example"})
        assert refused.status_code == 403 and "set-cookie" not in refused.headers


def test_cors_allows_only_the_public_url(monkeypatch):
    """rxconfig hands Reflex exactly one allowed origin: the configured public URL."""
    import importlib

    import rxconfig

    monkeypatch.setenv("MICROGIGS_PUBLIC_URL", "https://gigs.uni.edu/")
    settings.get_settings.cache_clear()
    try:
        assert importlib.reload(rxconfig).config.cors_allowed_origins == ["https://gigs.uni.edu"]
    finally:
        settings.get_settings.cache_clear()
        importlib.reload(rxconfig)

"""Sign-in security through the real routes: throttling that slows an attacker but never locks
the owner out, client addresses behind trusted proxies only, session rotation, cookie flags, Origin."""

from datetime import timedelta
from urllib.parse import parse_qs, quote, urlsplit

from sqlmodel import Session, select
from starlette.testclient import TestClient

from microgigs import settings
from microgigs.http.app import build_api
from microgigs.models import AuthSession, RateLimitHit
from microgigs.services import accounts, throttle
from tests.integration.conftest import ORIGIN, PASSWORD, make_user
from tests.mail_helpers import token_in
from tests.smtp_server import mail_parts, smtp_server  # noqa: F401  (the real SMTP server fixture)


def error_of(response) -> str:
    return parse_qs(urlsplit(response.headers["location"]).query).get("error", [""])[0]


def attempt(client, email: str, password: str = "wrong-password-123", **headers):
    return client.post("/auth/login", data={"email": email, "password": password}, headers={**ORIGIN, **headers})


def browser(address: str = "203.0.113.7") -> TestClient:
    """A new browser (no cookies) at this client address."""
    return TestClient(build_api(), base_url="http://testserver", follow_redirects=False, client=(address, 5000))


def signed_in(response) -> bool:
    return response.status_code == 303 and response.headers["location"] == "/dashboard"


def throttled(response) -> bool:
    return response.status_code == 429 and int(response.headers["retry-after"]) > 0 and "Too many failed sign-ins" in response.text


def _age_hits(engine, by: timedelta) -> None:
    with Session(engine) as session:
        for row in session.exec(select(RateLimitHit)).all():
            row.created_at = row.created_at - by
            session.add(row)
        session.commit()


def test_guessing_from_one_browser_is_slowed_with_a_429_and_retry_after_even_for_the_right_password(client, configured):
    make_user(configured, "ada@uni.edu")
    for _ in range(throttle.FAILURES_PER_CLIENT_AND_ACCOUNT.max_hits):
        assert error_of(attempt(client, "ada@uni.edu")) == accounts.SIGN_IN_FAILED
    response = attempt(client, "ADA@uni.edu", PASSWORD)
    assert throttled(response) and "set-cookie" not in response.headers
    assert int(response.headers["retry-after"]) <= throttle.SIGN_IN_WINDOW.total_seconds()
    # Another account from the same address is not slowed by Ada's failures.
    make_user(configured, "bo@uni.edu")
    assert signed_in(attempt(client, "bo@uni.edu", PASSWORD))
    # The window passes: Ada can sign in again from there.
    _age_hits(configured, throttle.SIGN_IN_WINDOW + timedelta(seconds=1))
    assert signed_in(attempt(client, "ada@uni.edu", PASSWORD))


def test_the_throttle_answer_does_not_tell_whether_the_email_exists(client, configured):
    make_user(configured, "ada@uni.edu")
    answers = {}
    for email in ("ada@uni.edu", "nobody@uni.edu"):
        with browser() as someone:
            messages = [error_of(attempt(someone, email)) for _ in range(throttle.FAILURES_PER_CLIENT_AND_ACCOUNT.max_hits)]
            assert messages == [accounts.SIGN_IN_FAILED] * throttle.FAILURES_PER_CLIENT_AND_ACCOUNT.max_hits
            refused = attempt(someone, email)
            assert throttled(refused)
            answers[email] = (refused.status_code, refused.text.replace(quote(email), "EMAIL"), sorted(refused.headers.keys()))
    assert answers["ada@uni.edu"] == answers["nobody@uni.edu"]


def test_a_flood_of_guesses_from_many_addresses_never_locks_the_owner_out_of_their_own_device(configured):
    make_user(configured, "ada@uni.edu")
    with browser("198.51.100.1") as owners_laptop:
        assert signed_in(attempt(owners_laptop, "ada@uni.edu", PASSWORD))  # the laptop is now one of Ada's
        owners_laptop.post("/auth/logout", headers=ORIGIN)
        # Attackers everywhere guess Ada's password.
        for n in range(throttle.FAILURES_PER_ACCOUNT_FROM_NEW_DEVICES.max_hits):
            with browser(f"192.0.2.{n + 1}") as attacker:
                assert error_of(attempt(attacker, "ada@uni.edu")) == accounts.SIGN_IN_FAILED
        # New browsers are slowed for Ada's account, even with the right password...
        with browser("192.0.2.200") as another_attacker:
            assert throttled(attempt(another_attacker, "ada@uni.edu", PASSWORD))
        with browser("198.51.100.99") as ada_on_a_new_phone:
            assert throttled(attempt(ada_on_a_new_phone, "ada@uni.edu", PASSWORD))
            # ...but a reset from the mailed link makes that phone hers (the next test).
        # Her own laptop signs in at once.
        assert signed_in(attempt(owners_laptop, "ada@uni.edu", PASSWORD))
        # A known device's own mistakes count against that device only.
        owners_laptop.post("/auth/logout", headers=ORIGIN)
        for _ in range(throttle.FAILURES_PER_KNOWN_DEVICE.max_hits):
            assert error_of(attempt(owners_laptop, "ada@uni.edu")) == accounts.SIGN_IN_FAILED
        assert throttled(attempt(owners_laptop, "ada@uni.edu", PASSWORD))


def test_a_password_reset_from_the_mail_makes_that_browser_one_of_the_owners(configured, smtp_server):  # noqa: F811
    make_user(configured, "ada@uni.edu")
    for n in range(throttle.FAILURES_PER_ACCOUNT_FROM_NEW_DEVICES.max_hits):
        with browser(f"192.0.2.{n + 1}") as attacker:
            attempt(attacker, "ada@uni.edu")
    with browser("198.51.100.99") as new_phone:
        assert throttled(attempt(new_phone, "ada@uni.edu", PASSWORD))
        new_phone.post("/auth/forgot-password", data={"email": "ada@uni.edu"}, headers=ORIGIN)
        smtp_server.deliver()
        token = token_in(mail_parts(smtp_server.to("ada@uni.edu")[-1])["text/plain"], "/reset-password")
        reset = new_phone.post("/auth/reset-password", data={"token": token, "password": "a brand new passphrase"}, headers=ORIGIN)
        assert reset.headers["location"].startswith("/login") and new_phone.cookies.get("microgigs_device")
        assert signed_in(attempt(new_phone, "ada@uni.edu", "a brand new passphrase"))
    # Strangers are still slowed.
    with browser("192.0.2.250") as attacker:
        assert throttled(attempt(attacker, "ada@uni.edu", "a brand new passphrase"))


def test_many_failures_from_one_address_slow_that_address_only(configured, monkeypatch):
    monkeypatch.setattr(throttle, "FAILURES_PER_CLIENT", throttle.Limit("sign_in_failure:client", 12, throttle.SIGN_IN_WINDOW))
    make_user(configured, "ada@uni.edu")
    with browser("203.0.113.50") as guesser:
        for n in range(throttle.FAILURES_PER_CLIENT.max_hits):
            attempt(guesser, f"guess{n}@uni.edu")
        assert throttled(attempt(guesser, "ada@uni.edu", PASSWORD))
    # The same person from another address is not affected.
    with browser("10.0.0.9") as other:
        assert signed_in(attempt(other, "ada@uni.edu", PASSWORD))


def test_the_client_address_comes_from_x_forwarded_for_only_behind_a_trusted_proxy(configured, monkeypatch):
    make_user(configured, "ada@uni.edu")
    limit = throttle.FAILURES_PER_CLIENT_AND_ACCOUNT.max_hits
    # Not trusted: the header is ignored, so rotating it does not escape the throttle.
    with browser("203.0.113.9") as direct:
        for n in range(limit):
            attempt(direct, "ada@uni.edu", **{"x-forwarded-for": f"192.0.2.{n}"})
        assert throttled(attempt(direct, "ada@uni.edu", PASSWORD, **{"x-forwarded-for": "192.0.2.99"}))
    # Behind our proxy: each client is told apart by the address the proxy appended.
    monkeypatch.setenv("MICROGIGS_TRUSTED_PROXIES", "10.0.0.0/8, ::1")
    settings.get_settings.cache_clear()
    make_user(configured, "bo@uni.edu")
    with browser("10.1.2.3") as proxy:
        for _ in range(limit):
            attempt(proxy, "bo@uni.edu", **{"x-forwarded-for": "198.51.100.1"})
        assert throttled(attempt(proxy, "bo@uni.edu", PASSWORD, **{"x-forwarded-for": "198.51.100.1"}))
        # A client cannot pass itself off as another by sending its own header first.
        assert throttled(attempt(proxy, "bo@uni.edu", PASSWORD, **{"x-forwarded-for": "1.2.3.4, 198.51.100.1"}))
        proxy.cookies.clear()
        assert signed_in(attempt(proxy, "bo@uni.edu", PASSWORD, **{"x-forwarded-for": "198.51.100.2"}))
    with Session(configured) as session:
        row = session.exec(select(AuthSession).where(AuthSession.revoked_at.is_(None))).one()
        assert row.ip_address == "198.51.100.2"


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
        refused = secure.post(
            "/auth/login", data={"email": "ada@uni.edu", "password": PASSWORD}, headers={"origin": "https://evil.example"}
        )
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

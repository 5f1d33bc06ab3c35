"""Throttles on the forms that mail someone or make an account, through the real routes: per client
and per address, a 429 page with Retry-After, and one answer whether or not the address exists."""

from urllib.parse import quote

from starlette.testclient import TestClient

from microgigs.http.app import build_api
from microgigs.services import throttle
from tests.integration.conftest import ORIGIN, make_user, sign_in


def browser(address: str) -> TestClient:
    return TestClient(build_api(), base_url="http://testserver", follow_redirects=False, client=(address, 5000))


def sign_up(client, email: str):
    data = {"role": "student", "display_name": "Someone", "email": email, "password": "a long enough passphrase"}
    return client.post("/auth/signup", data=data, headers=ORIGIN)


def refused(response) -> bool:
    return response.status_code == 429 and int(response.headers["retry-after"]) > 0 and "Too many requests" in response.text


def test_sign_up_is_limited_per_address_with_one_answer_for_taken_and_free_addresses(configured):
    make_user(configured, "taken@uni.edu")
    answers = []
    for email in ("taken@uni.edu", "free@uni.edu"):
        for n in range(throttle.SIGN_UP_PER_ADDRESS.max_hits):
            # Each try from another client: the address itself is what is counted.
            with browser(f"192.0.2.{n + 1}") as someone:
                assert sign_up(someone, email).headers["location"] == "/check-email"
        with browser("192.0.2.99") as someone:
            response = sign_up(someone, email.upper())
        assert refused(response) and "set-cookie" not in response.headers
        answers.append((response.text.replace(quote(email), "EMAIL"), sorted(response.headers.keys())))
    assert answers[0] == answers[1]


def test_sign_up_is_limited_per_client(configured, monkeypatch):
    # The real limit is loose (a workshop signs up from one campus address); a small one here
    # keeps the test quick, the mechanism is the same.
    monkeypatch.setattr(throttle, "SIGN_UP_PER_CLIENT", throttle.Limit("sign_up:client", 4, throttle.HOUR))
    with browser("203.0.113.77") as busy:
        for n in range(throttle.SIGN_UP_PER_CLIENT.max_hits):
            assert sign_up(busy, f"person{n}@uni.edu").headers["location"] == "/check-email"
        assert refused(sign_up(busy, "one-more@uni.edu"))
    with browser("203.0.113.78") as neighbour:
        assert sign_up(neighbour, "one-more@uni.edu").headers["location"] == "/check-email"


def test_password_reset_requests_are_limited_per_address_alike_for_known_and_unknown(configured):
    make_user(configured, "kim@uni.edu")
    for email in ("kim@uni.edu", "nobody@uni.edu"):
        for n in range(throttle.RESET_PER_ADDRESS.max_hits):
            with browser(f"198.51.100.{n + 1}") as someone:
                response = someone.post("/auth/forgot-password", data={"email": email}, headers=ORIGIN)
                assert response.status_code == 303 and "notice=" in response.headers["location"]
        with browser("198.51.100.99") as someone:
            assert refused(someone.post("/auth/forgot-password", data={"email": email}, headers=ORIGIN))


def test_a_new_confirmation_link_is_limited_per_account(configured):
    make_user(configured, "new@uni.edu", confirmed=False)
    with browser("203.0.113.5") as page:
        sign_in(page, "new@uni.edu")
        for _ in range(throttle.RESEND_PER_ACCOUNT.max_hits):
            response = page.post("/auth/resend-verification", headers=ORIGIN)
            assert response.status_code == 303 and "notice=" in response.headers["location"]
        assert refused(page.post("/auth/resend-verification", headers=ORIGIN))

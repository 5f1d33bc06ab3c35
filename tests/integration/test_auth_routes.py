"""Sign-up, sign-in and sign-out through the real routes and a real SQLite database."""

from urllib.parse import parse_qs, urlsplit

from sqlmodel import Session, select

from microgigs.models import AuthSession, User
from microgigs.services import accounts
from tests.integration.conftest import ORIGIN, PASSWORD, make_user, sign_in


def query_of(response) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


def test_sign_up_sets_an_httponly_session_cookie_backed_by_a_session_row(client, configured):
    response = client.post(
        "/auth/signup",
        data={"role": "student", "display_name": "Ada", "email": "Ada@Uni.edu", "password": "a-long-enough-pass"},
        headers=ORIGIN,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"
    cookie = response.headers["set-cookie"]
    assert "microgigs_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # the public URL here is plain http
    token = client.cookies.get("microgigs_session")
    with Session(configured) as session:
        user = session.exec(select(User).where(User.email == "ada@uni.edu")).one()
        row = session.exec(select(AuthSession)).one()
        assert row.user_id == user.id
        assert row.token_hash == accounts.hash_token(token) != token
        assert accounts.user_for_session_token(session, token).id == user.id


def test_sign_up_errors_go_back_to_the_form_with_values_but_not_the_password(client, configured):
    make_user(configured, "taken@uni.edu")
    response = client.post(
        "/auth/signup",
        data={"role": "student", "display_name": "", "email": "TAKEN@uni.edu", "password": "short"},
        headers=ORIGIN,
    )
    assert response.status_code == 303
    assert urlsplit(response.headers["location"]).path == "/signup"
    query = query_of(response)
    assert query["email"] == "TAKEN@uni.edu"
    assert "already exists" in query["error_email"]
    assert "at least 10" in query["error_password"]
    assert query["error_display_name"] == "Enter your name."
    assert "short" not in response.headers["location"].split("error_password")[0]
    assert "set-cookie" not in response.headers
    with Session(configured) as session:
        assert len(session.exec(select(User)).all()) == 1  # nothing half-written


def test_employer_sign_up_needs_an_organization_name(client, configured):
    response = client.post(
        "/auth/signup",
        data={"role": "manager", "display_name": "Mo", "email": "mo@acme.com", "password": "a-long-enough-pass"},
        headers=ORIGIN,
    )
    assert query_of(response)["error_organization_name"] == "Enter your organization's name."


def test_wrong_password_and_unknown_email_get_the_same_message(client, configured):
    make_user(configured, "sam@uni.edu")
    wrong = client.post("/auth/login", data={"email": "sam@uni.edu", "password": "nope-nope-nope"}, headers=ORIGIN)
    unknown = client.post("/auth/login", data={"email": "who@uni.edu", "password": "nope-nope-nope"}, headers=ORIGIN)
    assert query_of(wrong)["error"] == query_of(unknown)["error"] == accounts.SIGN_IN_FAILED
    assert query_of(wrong)["email"] == "sam@uni.edu"
    assert "set-cookie" not in wrong.headers


def test_sign_in_goes_to_a_local_next_page_only(client, configured):
    make_user(configured, "sam@uni.edu")
    local = client.post("/auth/login", data={"email": "sam@uni.edu", "password": PASSWORD, "next": "/gigs/3"}, headers=ORIGIN)
    assert local.headers["location"] == "/gigs/3"
    for hostile in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = client.post("/auth/login", data={"email": "sam@uni.edu", "password": PASSWORD, "next": hostile}, headers=ORIGIN)
        assert response.headers["location"] == "/dashboard"


def test_posts_from_another_origin_or_none_are_refused(client, configured):
    make_user(configured, "sam@uni.edu")
    data = {"email": "sam@uni.edu", "password": PASSWORD}
    assert client.post("/auth/login", data=data, headers={"origin": "https://evil.example"}).status_code == 403
    assert client.post("/auth/login", data=data).status_code == 403
    assert client.post("/auth/signup", data=data, headers={"origin": "https://evil.example"}).status_code == 403
    assert client.post("/auth/logout", headers={"referer": "https://evil.example/page"}).status_code == 403
    with Session(configured) as session:
        assert session.exec(select(AuthSession)).first() is None


def test_sign_out_revokes_the_session_row_and_clears_the_cookie(client, configured):
    make_user(configured, "sam@uni.edu")
    sign_in(client, "sam@uni.edu")
    token = client.cookies.get("microgigs_session")
    response = client.post("/auth/logout", headers=ORIGIN)
    assert response.status_code == 303 and response.headers["location"] == "/"
    assert 'microgigs_session=""' in response.headers["set-cookie"] or "Max-Age=0" in response.headers["set-cookie"]
    with Session(configured) as session:
        assert accounts.user_for_session_token(session, token) is None
        assert session.exec(select(AuthSession)).one().revoked_at is not None


def test_health_answers(client):
    assert client.get("/healthz").json() == {"status": "ok"}

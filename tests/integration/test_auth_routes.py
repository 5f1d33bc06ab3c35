"""Sign-up, sign-in and sign-out through the real routes and a real SQLite database."""

import re
from urllib.parse import parse_qs, urlsplit

from sqlmodel import Session, select

from microgigs.models import AuthSession, Organization, User
from microgigs.services import accounts
from tests.integration.conftest import ORIGIN, PASSWORD, make_user, sign_in
from tests.smtp_server import mail_parts, smtp_server  # noqa: F401  (the real SMTP server fixture)


def query_of(response) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


STUDENT = {"role": "student", "display_name": "Ada", "email": "Ada@Uni.edu", "password": "a-long-enough-pass"}


def test_sign_up_answers_the_same_for_a_new_and_a_taken_address_and_mails_each(client, configured, smtp_server):  # noqa: F811
    """Sign-up must not tell whether an address is registered: the same redirect, no cookie
    either way; the mailbox itself learns which (a confirmation link, or a note)."""
    make_user(configured, "taken@uni.edu")
    smtp_server.messages.clear()
    new = client.post("/auth/signup", data=STUDENT, headers=ORIGIN)
    taken = client.post("/auth/signup", data={**STUDENT, "email": "TAKEN@uni.edu", "display_name": "Intruder"}, headers=ORIGIN)
    for response in (new, taken):
        assert response.status_code == 303 and response.headers["location"] == "/check-email"
        assert "set-cookie" not in response.headers
    assert new.content == taken.content
    assert sorted(new.headers.keys()) == sorted(taken.headers.keys())

    confirm, note = smtp_server.deliver()
    assert confirm["To"] == "ada@uni.edu" and "Confirm your email" in confirm["Subject"]
    assert "http://testserver/verify-email?token=" in mail_parts(confirm)["text/plain"]
    assert note["To"] == "taken@uni.edu" and "tried to sign up" in note["Subject"]
    text, html = mail_parts(note)["text/plain"], mail_parts(note)["text/html"]
    assert "http://testserver/login" in text and "http://testserver/forgot-password" in text
    assert 'href="http://testserver/login"' in html and 'href="http://testserver/forgot-password"' in html
    assert "/verify-email" not in text
    with Session(configured) as session:
        taken_user = session.exec(select(User).where(User.email == "taken@uni.edu")).one()
        assert taken_user.display_name == "taken"  # nothing about the existing account changed
        assert session.exec(select(AuthSession)).first() is None  # nobody was signed in


def test_the_confirmation_link_opens_a_page_whose_button_confirms_and_signs_in(client, configured, smtp_server):  # noqa: F811
    client.post("/auth/signup", data=STUDENT, headers=ORIGIN)
    [mail] = smtp_server.deliver()
    token = re.search(r"/verify-email\?token=([\w-]+)", mail_parts(mail)["text/plain"]).group(1)
    # Following the link (a GET, which any page can make a browser do) changes nothing.
    with Session(configured) as session:
        assert not session.exec(select(User).where(User.email == "ada@uni.edu")).one().email_verified
    old_link = client.get(f"/auth/verify?token={token}")
    assert old_link.status_code == 303 and old_link.headers["location"] == f"/verify-email?token={token}"
    assert "set-cookie" not in old_link.headers
    # Only the page's own form post confirms (and a post from another site is refused).
    assert client.post("/auth/verify", data={"token": token}, headers={"origin": "https://evil.example"}).status_code == 403
    response = client.post(
        "/auth/verify", data={"token": token}, headers={**ORIGIN, "cookie": "microgigs_session=an-old-token-this-browser-held"}
    )
    assert response.status_code == 303 and urlsplit(response.headers["location"]).path == "/verify-email"
    [cookie] = [c for c in response.headers.get_list("set-cookie") if c.startswith("microgigs_session=")]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # the public URL here is plain http
    session_token = response.cookies["microgigs_session"]
    assert session_token != "an-old-token-this-browser-held"
    with Session(configured) as session:
        user = session.exec(select(User).where(User.email == "ada@uni.edu")).one()
        row = session.exec(select(AuthSession)).one()
        assert user.email_verified and row.user_id == user.id
        assert row.token_hash == accounts.hash_token(session_token) != session_token
        assert accounts.user_for_session_token(session, session_token).id == user.id
    # Spent: a second post neither signs in again nor confirms anything.
    client.cookies.clear()
    again = client.post("/auth/verify", data={"token": token}, headers=ORIGIN)
    assert "already been used" in query_of(again)["error"] and "set-cookie" not in again.headers


def test_employer_sign_up_with_a_taken_address_creates_no_organization(client, configured):
    make_user(configured, "boss@corp.test")
    response = client.post(
        "/auth/signup",
        data={
            "role": "manager",
            "display_name": "Boss",
            "email": "boss@corp.test",
            "password": "a-long-enough-pass",
            "organization_name": "Shadow Inc",
        },
        headers=ORIGIN,
    )
    assert response.headers["location"] == "/check-email"
    with Session(configured) as session:
        assert session.exec(select(Organization)).all() == []
        assert len(session.exec(select(User)).all()) == 1


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
    assert "error_email" not in query  # a taken address is never a field error
    assert "at least 10" in query["error_password"]
    assert query["error_display_name"] == "Enter your name."
    assert "short" not in response.headers["location"].split("error_password")[0]
    assert "set-cookie" not in response.headers
    with Session(configured) as session:
        assert len(session.exec(select(User)).all()) == 1  # nothing half-written
    malformed = client.post("/auth/signup", data={**STUDENT, "email": "not-an-email"}, headers=ORIGIN)
    assert query_of(malformed)["error_email"] == "Enter an email address like name@example.edu."


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

"""Account routes on a real SQLite database: verification link from the outbox, password
change and reset, sign-out everywhere, data export, account deletion, photos."""

from urllib.parse import parse_qs, urlsplit

from sqlmodel import Session, select

from microgigs.models import AuthSession, Membership, Notification, User
from microgigs.services import organizations, profiles
from tests.integration.conftest import ORIGIN, PASSWORD, make_user, sign_in
from tests.mail_helpers import token_in
from tests.smtp_server import mail_parts, smtp_server  # noqa: F401  (the real SMTP server fixture)

NEW = "a brand new passphrase"


def query_of(response) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}


def _token(inbox, to: str, path: str) -> str:
    """Deliver the queued mail and read the token of the newest link to `path` sent to `to`."""
    inbox.deliver()
    return token_in(mail_parts(inbox.to(to)[-1])["text/plain"], path)


def test_sign_up_mails_a_confirmation_link_that_works_once(client, configured, smtp_server):  # noqa: F811
    client.post(
        "/auth/signup",
        data={"role": "student", "display_name": "Ada", "email": "ada@uni.edu", "password": "a-long-enough-pass"},
        headers=ORIGIN,
    )
    token = _token(smtp_server, "ada@uni.edu", "/verify-email")
    first = client.post("/auth/verify", data={"token": token}, headers=ORIGIN)
    assert first.status_code == 303 and "confirmed" in query_of(first)["notice"]
    second = client.post("/auth/verify", data={"token": token}, headers=ORIGIN)
    assert "already been used" in query_of(second)["error"]
    with Session(configured) as session:
        assert session.exec(select(User).where(User.email == "ada@uni.edu")).one().email_verified


def test_change_password_needs_the_current_one_and_signs_out_other_devices(client, configured):
    make_user(configured, "bo@uni.edu")
    sign_in(client, "bo@uni.edu")
    wrong = client.post("/auth/change-password", data={"current_password": "nope", "new_password": NEW}, headers=ORIGIN)
    assert "not your current password" in query_of(wrong)["error_current_password"]
    ok = client.post("/auth/change-password", data={"current_password": PASSWORD, "new_password": NEW}, headers=ORIGIN)
    assert "changed" in query_of(ok)["notice"]
    assert client.get("/account/export.json").status_code == 200  # this device stays signed in
    foreign = client.post(
        "/auth/change-password", data={"current_password": NEW, "new_password": PASSWORD}, headers={"origin": "https://evil.example"}
    )
    assert foreign.status_code == 403


def test_forgot_and_reset_password_through_the_routes(client, configured, smtp_server):  # noqa: F811
    make_user(configured, "cy@uni.edu")
    same = [
        query_of(client.post("/auth/forgot-password", data={"email": email}, headers=ORIGIN))["notice"]
        for email in ("cy@uni.edu", "nobody@uni.edu")
    ]
    assert same[0] == same[1]
    token = _token(smtp_server, "cy@uni.edu", "/reset-password")
    weak = client.post("/auth/reset-password", data={"token": token, "password": "short"}, headers=ORIGIN)
    assert query_of(weak)["token"] == token and "error_password" in query_of(weak)
    done = client.post("/auth/reset-password", data={"token": token, "password": NEW}, headers=ORIGIN)
    assert done.headers["location"].startswith("/login")
    again = client.post("/auth/reset-password", data={"token": token, "password": NEW + "x"}, headers=ORIGIN)
    assert "already been used" in query_of(again)["error"]
    ok = client.post("/auth/login", data={"email": "cy@uni.edu", "password": NEW}, headers=ORIGIN)
    assert ok.headers["location"] == "/dashboard"


def test_sign_out_everywhere_revokes_every_session(client, configured):
    make_user(configured, "di@uni.edu")
    sign_in(client, "di@uni.edu")
    response = client.post("/auth/logout-everywhere", headers=ORIGIN)
    assert response.status_code == 303 and "every device" in query_of(response)["notice"]
    with Session(configured) as session:
        assert session.exec(select(AuthSession).where(AuthSession.revoked_at.is_(None))).all() == []


def test_export_needs_a_session_and_delete_needs_the_password(client, configured):
    make_user(configured, "ed@uni.edu")
    assert client.get("/account/export.json").status_code == 401
    sign_in(client, "ed@uni.edu")
    export = client.get("/account/export.json")
    assert export.status_code == 200 and export.json()["account"]["email"] == "ed@uni.edu"
    assert "attachment" in export.headers["content-disposition"] and "password_hash" not in export.text
    wrong = client.post("/account/delete", data={"delete_password": "nope"}, headers=ORIGIN)
    assert "error_delete_password" in query_of(wrong)
    gone = client.post("/account/delete", data={"delete_password": PASSWORD}, headers=ORIGIN)
    assert gone.headers["location"] == "/"
    assert client.get("/account/export.json").status_code == 401


def test_photos_are_served_only_to_signed_in_people(client, configured):
    uid = make_user(configured, "fa@uni.edu")
    with Session(configured) as session:
        profiles.set_photo(session, session.get(User, uid), "me.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 10)
        session.commit()
    assert client.get(f"/photos/{uid}").status_code == 404
    sign_in(client, "fa@uni.edu")
    photo = client.get(f"/photos/{uid}")
    assert photo.status_code == 200 and photo.headers["content-type"] == "image/png"
    assert photo.headers["x-content-type-options"] == "nosniff"


def test_an_existing_manager_accepts_an_invitation_from_the_in_app_link(client, configured):
    owner_id = make_user(configured, "boss@acme.com", role="manager", org="Acme")
    invitee_id = make_user(configured, "pat@other.com", role="manager", org="Other")
    with Session(configured) as session:
        organizations.invite_manager(session, session.get(User, owner_id), 1, "pat@other.com")
        session.commit()
        link = session.exec(
            select(Notification.link).where(Notification.user_id == invitee_id, Notification.kind == "organization.invited")
        ).one()
    invitation_id = link.removeprefix("/join?invitation=")

    def members() -> set[int]:
        with Session(configured) as session:
            return set(session.exec(select(Membership.user_id).where(Membership.organization_id == 1)))

    signed_out = client.post("/auth/join", data={"invitation_id": invitation_id}, headers=ORIGIN)
    assert "not valid" in query_of(signed_out)["error"] and query_of(signed_out)["invitation"] == invitation_id
    sign_in(client, "pat@other.com")
    assert client.post("/auth/join", data={"invitation_id": invitation_id}, headers={"origin": "https://evil.example"}).status_code == 403
    assert members() == {owner_id}  # nobody is added without accepting
    accepted = client.post("/auth/join", data={"invitation_id": invitation_id}, headers=ORIGIN)
    assert accepted.status_code == 303 and accepted.headers["location"].startswith("/organization")
    assert members() == {owner_id, invitee_id}
    again = client.post("/auth/join", data={"invitation_id": invitation_id}, headers=ORIGIN)
    assert "already been used" in query_of(again)["error"]

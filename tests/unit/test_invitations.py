"""Inviting an address that already has an account: a mail over real SMTP (aiosmtpd) asks them to
sign in and accept, a manager also finds it in the app, and nobody joins without accepting."""

import re

import pytest
from sqlmodel import select

from microgigs.models import Membership, Notification
from microgigs.services import account_security, organizations, policy
from microgigs.services.errors import DomainError
from microgigs.state.account import JoinState
from tests.smtp_server import smtp_server  # noqa: F401  (the real SMTP server fixture)
from tests.unit.state_harness import redirect_path, run_handler, session_token, state_for


def _parts(message) -> dict[str, str]:
    return {part.get_content_type(): part.get_payload(decode=True).decode() for part in message.walk() if not part.is_multipart()}


def _member(session, user, org) -> bool:
    return (
        session.exec(select(Membership.id).where(Membership.user_id == user.id, Membership.organization_id == org.id)).first() is not None
    )


def test_an_existing_manager_is_mailed_and_notified_and_joins_only_by_accepting(app_db, make, smtp_server):  # noqa: F811
    session = app_db
    owner = make.employer("Northwind")
    contoso = make.employer("Contoso")
    elsewhere = contoso.manager
    message = organizations.invite_manager(session, owner.manager, owner.org.id, elsewhere.email.upper())
    session.commit()
    # The owner's answer is the one a brand-new address gets: it never tells who has an account.
    assert message == f"We have sent an invitation to {elsewhere.email}."
    assert not _member(session, elsewhere, owner.org)

    [mail] = smtp_server.deliver()
    assert mail["To"] == elsewhere.email and "Northwind" in mail["Subject"]
    parts = _parts(mail)
    assert f"Sign in as {elsewhere.email} and accept" in parts["text/plain"]
    assert re.search(r"Accept the invitation to Northwind: https://gigs\.uni\.test/join\?token=[\w-]+", parts["text/plain"])
    assert 'href="https://gigs.uni.test/join?token=' in parts["text/html"]
    raw = re.search(r"/join\?token=([\w-]+)", parts["text/plain"]).group(1)

    [note] = session.exec(
        select(Notification).where(Notification.user_id == elsewhere.id, Notification.kind == "organization.invited")
    ).all()
    assert note.title == "Northwind invites you to manage its gigs"
    invitation_id = int(re.fullmatch(r"/join\?invitation=(\d+)", note.link).group(1))

    view = organizations.check_invitation(session, raw)
    assert (view.organization, view.email, view.has_account) == ("Northwind", elsewhere.email, True)
    # Signed out, the emailed link cannot create a second account for that address.
    with pytest.raises(DomainError, match=f"Sign in as {re.escape(elsewhere.email)} first"):
        organizations.accept_invitation(session, None, raw, display_name="Someone", password="correct horse battery staple")
    # The in-app link is only for the invited account, signed in.
    for stranger in (None, make.employer().manager, owner.manager):
        with pytest.raises(DomainError, match="not valid"):
            organizations.check_invitation(session, "", actor=stranger, invitation_id=invitation_id)
    assert not _member(session, elsewhere, owner.org)

    user = organizations.accept_invitation(session, elsewhere, "", invitation_id=invitation_id)
    assert user.id == elsewhere.id and policy.manages_organization(session, elsewhere, owner.org.id)
    assert policy.manages_organization(session, elsewhere, contoso.org.id)  # and still their own
    # Their team page can show either employer, and names the other.
    joined = organizations.team(session, elsewhere, owner.org.id)
    assert joined.name == "Northwind" and not joined.is_owner and [t.name for t in joined.other_teams] == ["Contoso"]
    assert organizations.team(session, elsewhere, 999_999).name == "Contoso"  # one they do not manage: their first
    # Either link is spent now.
    with pytest.raises(DomainError, match="already been used"):
        organizations.accept_invitation(session, elsewhere, raw)
    with pytest.raises(DomainError, match="already been used"):
        organizations.check_invitation(session, "", actor=elsewhere, invitation_id=invitation_id)


def test_an_existing_student_gets_the_mail_but_no_notification_and_cannot_join(app_db, make, smtp_server):  # noqa: F811
    session = app_db
    owner = make.employer("Northwind")
    student = make.student()
    organizations.invite_manager(session, owner.manager, owner.org.id, student.email)
    session.commit()
    [mail] = smtp_server.deliver()
    raw = re.search(r"/join\?token=([\w-]+)", _parts(mail)["text/plain"]).group(1)
    assert (
        session.exec(select(Notification).where(Notification.user_id == student.id, Notification.kind == "organization.invited")).all()
        == []
    )
    with pytest.raises(DomainError, match="Only an employer account can join"):
        organizations.accept_invitation(session, student, raw)
    assert not _member(session, student, owner.org)
    assert account_security.find_token(session, "invitation", raw).used_at is None  # still unspent


def test_a_new_address_gets_the_sign_up_wording(app_db, make, smtp_server):  # noqa: F811
    session = app_db
    owner = make.employer("Northwind")
    organizations.invite_manager(session, owner.manager, owner.org.id, "fresh@northwind.example")
    session.commit()
    text = _parts(smtp_server.deliver()[0])["text/plain"]
    assert "Sign in as" not in text and "Join Northwind: https://gigs.uni.test/join?token=" in text
    raw = re.search(r"/join\?token=([\w-]+)", text).group(1)
    assert organizations.check_invitation(session, raw).has_account is False


def test_join_page_asks_an_existing_account_to_sign_in_and_the_in_app_link_needs_sign_in(app_db, make):
    owner = make.employer("Northwind")
    invitee = make.employer("Contoso").manager
    organizations.invite_manager(app_db, owner.manager, owner.org.id, invitee.email)
    app_db.commit()
    note = app_db.exec(select(Notification).where(Notification.user_id == invitee.id, Notification.kind == "organization.invited")).one()

    signed_out = state_for(JoinState, note.link)
    assert redirect_path(run_handler("load_join", signed_out)) == "/login?next=" + note.link.replace("/", "%2F").replace(
        "?", "%3F"
    ).replace("=", "%3D")

    signed_in = state_for(JoinState, note.link, session_token(app_db, invitee))
    run_handler("load_join", signed_in)
    assert signed_in.link_error == "" and (signed_in.organization, signed_in.invited_email, signed_in.has_account) == (
        "Northwind",
        invitee.email,
        True,
    )

    # Someone else signed in, following that link, learns nothing about it.
    other = state_for(JoinState, note.link, session_token(app_db, make.employer().manager))
    run_handler("load_join", other)
    assert other.organization == "" and "not valid" in other.link_error

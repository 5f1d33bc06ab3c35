"""Employer vetting (approve, reject, suspend) and an owner's team: rules and refusals."""

import pytest
from sqlmodel import select

from microgigs.models import Application, Gig, Membership, OneTimeToken, OutboxMail
from microgigs.services import gigs, organizations, policy
from microgigs.services.errors import DomainError, NotAllowed
from microgigs.services.validation import ValidationFailed
from tests.mail_helpers import received_token

PASSWORD = "correct horse battery staple"


def _invitation_token(session, to: str) -> str:
    return received_token(session, to, "/join")


def test_domains_are_compared_with_subdomains_allowed():
    assert not organizations.domains_differ("acme.com", organizations.domain_of_website("https://www.acme.com/about"))
    assert not organizations.domains_differ("mail.acme.com", organizations.domain_of_website("acme.com"))
    assert organizations.domains_differ("gmail.com", "acme.com")
    assert organizations.domains_differ("acme.com", "")


def test_queue_lists_pending_employers_with_the_domain_flag(session, make):
    staff = make.staff()
    pending = make.employer("Pending Co", status="pending")
    make.employer("Approved Co")
    rows = organizations.vetting_queue(session, staff)
    assert [r.name for r in rows] == ["Pending Co"]
    assert rows[0].contact_email == pending.manager.email and rows[0].domains_differ  # no website given
    with pytest.raises(NotAllowed):
        organizations.vetting_queue(session, pending.manager)
    with pytest.raises(NotAllowed):
        organizations.vetting_queue(session, None)


def test_approve_lets_the_employer_publish_and_mails_the_manager(session, make):
    staff = make.staff()
    employer = make.employer(status="pending")
    assert not policy.may_post_gigs(session, employer.manager, employer.org)
    organizations.approve(session, staff, employer.org.id)
    assert policy.may_post_gigs(session, employer.manager, employer.org)
    assert session.exec(select(OutboxMail).where(OutboxMail.to_address == employer.manager.email)).first() is not None
    with pytest.raises(DomainError, match="already approved"):
        organizations.approve(session, staff, employer.org.id)


def test_only_staff_vet_and_a_rejection_needs_a_reason(session, make):
    staff = make.staff()
    employer = make.employer(status="pending")
    student = make.student()
    for actor in (employer.manager, student, None):
        with pytest.raises(NotAllowed):
            organizations.approve(session, actor, employer.org.id)
        with pytest.raises(NotAllowed):
            organizations.reject(session, actor, employer.org.id, "No.")
    with pytest.raises(ValidationFailed) as empty:
        organizations.reject(session, staff, employer.org.id, "   ")
    assert "reason" in empty.value.errors
    with pytest.raises(ValidationFailed):
        organizations.reject(session, staff, employer.org.id, "x" * 501)
    organizations.reject(session, staff, employer.org.id, "We could not confirm the company exists.")
    assert employer.org.status == "rejected"
    mail = session.exec(select(OutboxMail).where(OutboxMail.to_address == employer.manager.email)).one()
    assert "could not confirm" in mail.text_body
    with pytest.raises(DomainError, match="Only a pending"):
        organizations.reject(session, staff, employer.org.id, "Again.")


def test_suspending_closes_open_gigs_and_decides_their_applicants(session, make):
    staff = make.staff()
    employer = make.employer()
    gig = make.gig(employer)
    application = make.apply(make.student(), gig)
    with pytest.raises(DomainError, match="Only an approved"):
        organizations.suspend(session, staff, make.employer(status="pending").org.id, "Fraud.")
    organizations.suspend(session, staff, employer.org.id, "Complaints from students.")
    assert session.get(Gig, gig.id).status == "cancelled"
    assert session.get(Application, application.id).status == "declined"
    with pytest.raises(NotAllowed):
        gigs.create_gig(session, employer.manager, make.gig_input())


def test_owner_invites_a_new_manager_who_joins_once(session, make):
    employer = make.employer()
    organizations.invite_manager(session, employer.manager, employer.org.id, "New.Person@Example.com")
    raw = _invitation_token(session, "new.person@example.com")
    view = organizations.check_invitation(session, raw)
    assert view.organization == employer.org.name
    with pytest.raises(ValidationFailed) as weak:
        organizations.accept_invitation(session, None, raw, display_name="New Person", password="short")
    assert "password" in weak.value.errors
    user = organizations.accept_invitation(session, None, raw, display_name="New Person", password=PASSWORD)
    assert user.role == "manager" and user.email_verified
    assert policy.manages_organization(session, user, employer.org.id)
    with pytest.raises(DomainError, match="already been used"):
        organizations.accept_invitation(session, None, raw, display_name="Again", password=PASSWORD)


def test_invitation_refusals(session, make):
    employer = make.employer()
    other = make.employer()
    with pytest.raises(ValidationFailed):
        organizations.invite_manager(session, employer.manager, employer.org.id, "not-an-email")
    with pytest.raises(ValidationFailed, match="already on your team"):
        organizations.invite_manager(session, employer.manager, employer.org.id, employer.manager.email)
    with pytest.raises(NotAllowed):
        organizations.invite_manager(session, other.manager, employer.org.id, "x@example.com")
    co = make.second_manager(employer)
    with pytest.raises(NotAllowed):  # a manager who is not the owner
        organizations.invite_manager(session, co, employer.org.id, "x@example.com")
    # The link is for one address: someone else signed in cannot use it.
    organizations.invite_manager(session, employer.manager, employer.org.id, "invitee@example.com")
    raw = _invitation_token(session, "invitee@example.com")
    with pytest.raises(DomainError, match="for invitee@example.com"):
        organizations.accept_invitation(session, other.manager, raw)
    assert session.exec(select(OneTimeToken).where(OneTimeToken.used_at.is_not(None))).all() == []


def test_owner_removes_a_manager_but_not_themself(session, make):
    employer = make.employer()
    co = make.second_manager(employer)
    with pytest.raises(NotAllowed):
        organizations.remove_manager(session, co, employer.org.id, employer.manager.id)
    with pytest.raises(DomainError, match="owner cannot be removed"):
        organizations.remove_manager(session, employer.manager, employer.org.id, employer.manager.id)
    organizations.remove_manager(session, employer.manager, employer.org.id, co.id)
    assert not policy.manages_organization(session, co, employer.org.id)
    assert session.exec(select(Membership).where(Membership.user_id == co.id)).all() == []
    team = organizations.team(session, employer.manager)
    assert team.is_owner and [m.email for m in team.members] == [employer.manager.email]


def test_an_employer_whose_contact_never_confirmed_their_address_is_flagged_and_not_approved(session, make):
    staff = make.staff()
    pending = make.employer("Unconfirmed Co", status="pending")
    pending.manager.email_verified = False
    session.add(pending.manager)
    [row] = organizations.vetting_queue(session, staff)
    assert row.contact_unconfirmed
    with pytest.raises(DomainError, match="not confirmed their email address"):
        organizations.approve(session, staff, pending.org.id)
    assert pending.org.status == "pending"
    pending.manager.email_verified = True
    organizations.approve(session, staff, pending.org.id)
    assert pending.org.status == "approved"

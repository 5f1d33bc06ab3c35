"""An address nobody has confirmed is not an identity: such an account can confirm it (and ask for a
new link), sign out and delete itself -- nothing else. Whoever proves the address later (a campus
identity, a mailed invitation, a password reset) gets the account, and the other person's password
and sessions are gone. The student-domain settings hold for every role a student could take."""

import pytest
from sqlmodel import select

from microgigs.models import Application, AuditEvent, Membership, OneTimeToken, Organization, SavedGig, User
from microgigs.services import account_security, accounts, applications, gigs, organizations, payments, privacy, profiles, sso
from microgigs.services.applications import ApplicationInput
from microgigs.services.errors import DomainError, NotAllowed
from microgigs.services.profiles import StudentProfileInput
from microgigs.state.account import AccountState
from microgigs.state.dashboard import DashboardState
from tests.mail_helpers import received_token
from tests.unit.state_harness import redirect_path, run_handler, session_token, state_for

PASSWORD = "correct horse battery staple"


def test_an_unconfirmed_student_can_do_nothing_a_student_does(session, make):
    gig = make.gig(make.employer())
    squatter = make.unconfirmed_student()
    with pytest.raises(NotAllowed):
        applications.apply(session, squatter, gig.id, ApplicationInput(note="Let me in."))
    with pytest.raises(NotAllowed):
        gigs.save_gig(session, squatter, gig.id)
    with pytest.raises(NotAllowed):
        profiles.update_student_profile(session, squatter, StudentProfileInput(school="Somewhere"))
    with pytest.raises(NotAllowed):
        payments.payout_onboarding_url(session, squatter)
    with pytest.raises(NotAllowed):
        privacy.export_user_data(session, squatter)
    with pytest.raises(NotAllowed):
        account_security.change_password(session, squatter, PASSWORD, "another long passphrase")
    assert session.exec(select(Application)).all() == [] and session.exec(select(SavedGig)).all() == []
    # Once the address is confirmed, the same person applies.
    account_security.resend_verification(session, squatter)
    account_security.verify_email(session, received_token(session, squatter.email, "/verify-email"))
    assert applications.apply(session, squatter, gig.id, ApplicationInput(note="Now it is really me.")).student_id == squatter.id


def test_an_unconfirmed_manager_of_an_approved_employer_posts_nothing_and_invites_nobody(session, make):
    employer = make.employer()
    employer.manager.email_verified = False  # say staff approved the employer before the owner confirmed
    session.add(employer.manager)
    with pytest.raises(NotAllowed):
        make.gig(employer)
    with pytest.raises(NotAllowed):
        organizations.invite_manager(session, employer.manager, employer.org.id, "friend@acme.example")


def test_an_unconfirmed_account_may_ask_for_a_new_link_sign_out_everywhere_and_delete_itself(session, make):
    squatter = make.unconfirmed_student()
    token = accounts.start_session(session, squatter)
    account_security.resend_verification(session, squatter)
    assert account_security.sign_out_everywhere(session, squatter) == 1
    assert accounts.user_for_session_token(session, token) is None
    privacy.delete_account(session, squatter, PASSWORD)
    assert not squatter.is_active and squatter.email.endswith("@deleted.invalid")


def test_an_unconfirmed_employer_sign_up_can_be_deleted_and_its_pending_employer_goes_with_it(session, make):
    manager = accounts.sign_up(
        session,
        accounts.SignUp(email="owner@shadow.example", password=PASSWORD, display_name="Owner", role="manager", organization_name="Shadow"),
    )
    org = session.exec(select(Organization).where(Organization.name == "Shadow")).one()
    privacy.delete_account(session, manager, PASSWORD)
    assert org.status == "rejected" and "deleted" in org.status_reason
    assert session.exec(select(Membership).where(Membership.organization_id == org.id)).all() == []
    # A confirmed manager still goes through the career center.
    with pytest.raises(NotAllowed, match="career center"):
        privacy.delete_account(session, make.employer().manager, PASSWORD)


def test_the_in_app_invitation_needs_a_confirmed_account(session, make):
    owner = make.employer("Northwind")
    invitee = make.employer("Contoso").manager
    organizations.invite_manager(session, owner.manager, owner.org.id, invitee.email)
    [invitation] = [i for i in organizations.team(session, owner.manager, owner.org.id).invitations]
    invitee.email_verified = False
    session.add(invitee)
    token_row = session.exec(select(OneTimeToken).where(OneTimeToken.email == invitee.email)).one()
    with pytest.raises(DomainError, match="not valid"):
        organizations.accept_invitation(session, invitee, "", invitation_id=token_row.id)
    assert invitation.email == invitee.email
    assert not session.exec(select(Membership).where(Membership.user_id == invitee.id, Membership.organization_id == owner.org.id)).first()


def test_following_a_mailed_invitation_takes_the_address_from_an_unconfirmed_squatter(session, make):
    owner = make.employer("Northwind")
    # The squatter signs up as the invitee's address (as an employer, with an employer of their own)...
    squatter = accounts.sign_up(
        session,
        accounts.SignUp(
            email="pat@northwind.example",
            password="squatters passphrase",
            display_name="Squatter",
            role="manager",
            organization_name="Squat Co",
        ),
    )
    squatters_session = accounts.start_session(session, squatter)
    organizations.invite_manager(session, owner.manager, owner.org.id, "pat@northwind.example")
    raw = received_token(session, "pat@northwind.example", "/join")
    view = organizations.check_invitation(session, raw)
    assert not view.has_account  # an unconfirmed account is nobody: the invitee gets the sign-up form
    # ...and cannot use the invitation without the mailed link (nor accept it signed in).
    invitation = session.exec(select(OneTimeToken).where(OneTimeToken.purpose == "invitation")).one()
    with pytest.raises(DomainError, match="not valid"):
        organizations.accept_invitation(session, squatter, "", invitation_id=invitation.id)
    user = organizations.accept_invitation(session, None, raw, display_name="Pat Real", password="pats own passphrase")
    assert user.id == squatter.id and user.email_verified and user.role == "manager" and user.display_name == "Pat Real"
    assert accounts.user_for_session_token(session, squatters_session) is None
    with pytest.raises(DomainError):
        accounts.authenticate(session, "pat@northwind.example", "squatters passphrase")
    assert accounts.authenticate(session, "pat@northwind.example", "pats own passphrase").id == user.id
    memberships = session.exec(select(Membership.organization_id).where(Membership.user_id == user.id)).all()
    assert memberships == [owner.org.id]
    assert session.exec(select(Organization).where(Organization.name == "Squat Co")).one().status == "rejected"
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "user.unconfirmed_account_taken_over")).one().subject_id == user.id


def test_a_confirmed_account_is_never_taken_over(session, make):
    student = make.student()
    with pytest.raises(DomainError, match="already confirmed"):
        account_security.take_over_unconfirmed(session, student, role="manager", display_name="X", proof="test")


def test_a_password_reset_proves_the_address_and_ends_the_squatters_sessions(session, make):
    squatter = make.unconfirmed_student(email="kim@uni.edu")
    squatters_session = accounts.start_session(session, squatter)
    account_security.request_password_reset(session, "kim@uni.edu")
    account_security.reset_password(session, received_token(session, "kim@uni.edu", "/reset-password"), "kims own passphrase")
    assert squatter.email_verified and accounts.user_for_session_token(session, squatters_session) is None


def test_sso_only_holds_for_an_employer_account_on_a_student_address(session, make, set_setting):
    set_setting("student_email_domains", "uni.edu")
    set_setting("sso_only_for_students", "true")
    with pytest.raises(DomainError) as refused:
        sso.check_local_sign_up(session, "manager", "sam@cs.uni.edu")
    assert refused.value.field == "email" and "campus account only" in refused.value.message
    sso.check_local_sign_up(session, "manager", "sam@acme.example")  # a work address is fine
    with pytest.raises(sso.SsoRequired):
        sso.check_local_sign_up(session, "student", "sam@uni.edu")
    # An employer account made on a student address before the setting: no password sign-in.
    manager = make.employer().manager
    manager.email = "boss@uni.edu"
    with pytest.raises(sso.SsoRequired):
        sso.check_local_sign_in(session, manager)
    # Staff and admins are made by the operator and keep their password.
    staff = make.staff()
    staff.email = "advisor@uni.edu"
    sso.check_local_sign_in(session, staff)
    # An invitation cannot make an employer account on a student address either.
    owner = make.employer("Northwind")
    organizations.invite_manager(session, owner.manager, owner.org.id, "student@uni.edu")
    raw = received_token(session, "student@uni.edu", "/join")
    with pytest.raises(DomainError, match="campus account only"):
        organizations.accept_invitation(session, None, raw, display_name="Stu", password="a long passphrase")
    assert session.exec(select(User).where(User.email == "student@uni.edu")).first() is None


def test_pages_treat_an_unconfirmed_account_as_signed_in_but_send_it_to_its_account_page(app_db, make):
    squatter = make.unconfirmed_student(name="Sam Squatter")
    token = session_token(app_db, squatter)
    dashboard = state_for(DashboardState, "/dashboard", token)
    assert redirect_path(run_handler("load_dashboard", dashboard)) == "/account"
    assert dashboard.user_id == squatter.id and dashboard.user_name == "Sam Squatter" and not dashboard.email_confirmed
    account = state_for(AccountState, "/account", token)
    assert run_handler("load_account", account) is None
    assert account.loaded and not account.email_verified and account.may_delete and account.email == squatter.email
    # Signed out, the same page asks to sign in.
    visitor = state_for(DashboardState, "/dashboard")
    assert redirect_path(run_handler("load_dashboard", visitor)).startswith("/login")

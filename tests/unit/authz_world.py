"""The authorization matrix's fixture world: one of each object, twice.

Two sides own the same things: side "own" (student S, employer E run by manager M) and side
"other" (student S2, employer E2 run by manager M2). Every object a page or route can name
(a gig in each state, an application, an engagement in each state with its submission, file,
milestone, extension request and dispute, a credential, a portfolio, a photo, an invitation...)
exists once per side, built through the services as people would build it. Around them:
career-center staff, an admin and an account that signed up but never confirmed its address.

Each side's private texts carry a marker ("SUBNOTE-own", "DISPUTEMARK-other"...) so a test can
tell whether a page showed something its viewer must not see.

The unconfirmed account is the worst case of one: a manager of the own side's employer whose
address nobody confirmed (say the career center approved the employer before then, or the account
predates confirmation). Were its address an identity, it could act on every own-side object.

The world is built once per test session into a SQLite file and a data folder; every matrix
cell starts from a copy (tests/unit/test_authorization_matrix.py).
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from microgigs.integrations.payments import DemoGateway, GatewayRefused, GatewayUnavailable
from microgigs.models import Credential, Dispute, Notification, OneTimeToken, Organization, OutboxMail, SubmissionFile, User
from microgigs.services import (
    account_security,
    accounts,
    alerts,
    center_settings,
    disputes,
    engagements,
    evidence,
    gigs,
    hiring,
    mail_preferences,
    milestones,
    moderation,
    notifications,
    organizations,
    portfolio,
    profiles,
)
from microgigs.services.engagements import UploadedFile
from microgigs.services.payments import gateway as payment_gateway
from tests.mail_helpers import received_token
from tests.unit.conftest import Employer
from tests.unit.test_center_settings import png

PASSWORD = "correct horse battery staple"
ROLES = ("visitor", "unconfirmed", "student", "other_student", "manager", "other_manager", "staff", "admin")
SIDES = ("own", "other")
# The people of each side, by role name.
SIDE_OF_ROLE = {"student": "own", "manager": "own", "other_student": "other", "other_manager": "other"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
# The center's logo (a real PNG header: the logo's size is read from it).
WORLD_LOGO_PNG = png(4, 4)


class _DownGateway(DemoGateway):
    """The payment service did not answer when the manager accepted (the engagement waits for funding)."""

    def start_funding(self, **_kwargs):
        raise GatewayUnavailable("the payment service is down")


class _RefusingGateway(DemoGateway):
    """The payment service refused the student's payout (it ends in payout_failed)."""

    def transfer_to_student(self, **_kwargs):
        raise GatewayRefused("the destination account is closed")


@contextmanager
def _gateway(gateway):
    saved = payment_gateway.current_gateway
    payment_gateway.current_gateway = lambda: gateway
    try:
        yield
    finally:
        payment_gateway.current_gateway = saved


@dataclass
class Side:
    """One side's objects (ids), and the markers of its private texts."""

    name: str
    student: int = 0
    manager: int = 0  # the employer's owner
    co_manager: int = 0
    org: int = 0
    pending_org: int = 0  # another employer, waiting for the career center's vetting
    gig_open: int = 0  # open, nobody applied: to apply to and to save
    gig_draft: int = 0
    gig_in_review: int = 0
    gig_hiring: int = 0  # open, with the student's application (which the student saved)
    application: int = 0
    eng_funding: int = 0  # accepted while the payment service was down: waits for the employer's payment
    eng_active: int = 0  # funded, work under way; a milestone, and the student's pending extension request
    eng_submitted: int = 0  # version 1 (with a file) waits for the manager's review; one message in its thread
    eng_paid: int = 0  # approved and paid; credential issued; both keys turned for public evidence
    eng_invited: int = 0  # approved and paid; the student is invited to interview
    eng_disputed: int = 0
    eng_payout_failed: int = 0  # approved; the payment service refused the payout
    milestone: int = 0
    extension: int = 0
    dispute: int = 0
    file: int = 0  # a deliverable of eng_submitted (private)
    public_file: int = 0  # a deliverable of eng_paid (shown publicly: both keys turned)
    credential: str = ""  # eng_paid's credential: public id
    credential_jwt: str = ""
    handle: str = ""  # the student's public portfolio
    failed_mail: int = 0
    term: int = 0  # a prohibited term
    skill: int = 0  # a skill nobody uses
    invitation_token: str = ""  # the employer invited a new manager by mail
    in_app_invitation: int = 0  # the employer invited the other side's manager (who has an account)
    reset_token: str = ""  # the student asked for a password reset
    saved_search: int = 0  # the student's saved search (daily alerts)
    unsubscribe_token: str = ""  # the student's link to stop alert mail

    def marker(self, kind: str) -> str:
        """The marker of one of this side's private texts: "SUBNOTE-own"."""
        return f"{kind}-{self.name}"


@dataclass
class World:
    users: dict[str, int]  # role -> user id (the visitor has none)
    emails: dict[str, str]
    tokens: dict[str, str]  # role -> session cookie value (visitor: "")
    sides: dict[str, Side]
    verify_token: str  # the unconfirmed account's confirmation link
    notifications: dict[str, int]  # role -> one of their own notifications
    logo_url: str = ""  # the center's logo, which the admin uploaded

    def side(self, name: str) -> Side:
        return self.sides[name]


def _build_side(session: Session, make, name: str, staff: User) -> Side:
    side = Side(name=name)
    label = "A" if name == "own" else "B"
    employer = make.employer(f"Employer {label}", trusted=True, manager_name=f"Manager {label}")
    side.manager, side.org = employer.manager.id, employer.org.id
    side.co_manager = make.second_manager(employer).id
    student = make.student(
        f"Student {label}",
        email=f"{side.marker('emailmark')}@example.edu",
        school=side.marker("PEDIGREE"),
        major="Statistics",
        graduation_year=2027,
    )
    side.student = student.id
    profiles.set_photo(session, student, "me.png", PNG)
    profiles.set_photo(session, employer.manager, "me.png", PNG)
    side.pending_org = make.employer(f"Pending employer {label}", status="pending").org.id

    side.gig_open = make.gig(employer, title=f"Open gig {label}").id
    side.gig_draft = make.gig(employer, publish=False, title=f"Draft {side.marker('DRAFTMARK')}").id
    employer.org.trusted = False  # an untrusted employer's gig waits for review
    side.gig_in_review = make.gig(employer, title=f"Reviewed {side.marker('REVIEWMARK')}").id
    employer.org.trusted = True
    session.add(employer.org)
    hiring_gig = make.gig(employer, title=f"Hiring gig {label}", slots=3)
    side.gig_hiring = hiring_gig.id
    side.application = make.apply(student, hiring_gig, note=f"{side.marker('APPNOTE')}: I have cleaned data sets before.").id
    gigs.save_gig(session, student, hiring_gig.id)
    side.saved_search = alerts.save_search(session, student, {"q": "data"}, f"Search {label}", "daily").id

    manager = employer.manager
    today = date.today()
    with _gateway(_DownGateway()):
        side.eng_funding = make.hired(employer, student, title=f"Funding gig {label}").engagement.id

    active = make.hired(employer, student, title=f"Active gig {label}").engagement
    side.eng_active = active.id
    side.milestone = milestones.add_milestone(
        session, manager, active.id, f"Draft {side.marker('MILESTONEMARK')}", today + timedelta(days=5)
    ).id
    side.extension = engagements.request_extension(
        session, student, active.id, active.due_date + timedelta(days=7), side.marker("EXTMARK")
    ).id

    submitted = make.hired(employer, student, title=f"Submitted gig {label}")
    side.eng_submitted = submitted.engagement.id
    version = make.submit(
        submitted,
        note=f"{side.marker('SUBNOTE')}: the cleaned data.",
        files=[UploadedFile(f"work-{label}.txt", side.marker("FILEBYTES").encode())],
    )
    side.file = _file_of(session, version.id)
    engagements.post_message(session, student, submitted.engagement.id, f"{side.marker('MSGMARK')}: it is in.")

    paid = make.hired(employer, student, title=f"Paid gig {label}")
    side.eng_paid = paid.engagement.id
    paid_version = make.submit(paid, note="The finished report.", files=[UploadedFile(f"report-{label}.txt", b"a public report")])
    side.public_file = _file_of(session, paid_version.id)
    engagements.approve(session, manager, paid.engagement.id)
    evidence.set_employer_permission(session, manager, paid.engagement.id, True)
    evidence.set_student_choice(session, student, paid.engagement.id, True)
    credential = session.exec(select(Credential).where(Credential.engagement_id == paid.engagement.id)).one()
    side.credential, side.credential_jwt = credential.public_id, credential.jwt

    invited = make.hired(employer, student, title=f"Interview gig {label}")
    make.submit(invited)
    engagements.approve(session, manager, invited.engagement.id)
    hiring.invite_to_interview(session, manager, invited.engagement.id)
    side.eng_invited = invited.engagement.id

    disputed = make.hired(employer, student, title=f"Disputed gig {label}")
    side.eng_disputed = disputed.engagement.id
    dispute = disputes.open_dispute(session, student, disputed.engagement.id, f"{side.marker('DISPUTEMARK')}: the scope changed.")
    side.dispute = dispute.id
    disputes.post_message(session, manager, dispute.id, f"{side.marker('DMSGMARK')}: it did not.")

    failed = make.hired(employer, student, title=f"Payout gig {label}")
    make.submit(failed)
    with _gateway(_RefusingGateway()):
        engagements.approve(session, manager, failed.engagement.id)
    side.eng_payout_failed = failed.engagement.id

    side.handle = f"student-{label.lower()}"
    portfolio.save_settings(session, student, side.handle, True)
    side.term = moderation.add_term(session, staff, f"forbiddenterm{label.lower()}").id
    side.skill = profiles.add_skill(session, staff, f"Unused skill {label}", "general").id
    mail = OutboxMail(
        to_address=f"someone-{label.lower()}@example.edu",
        subject=side.marker("MAILMARK"),
        text_body="x",
        html_body="x",
        status="failed",
        attempts=5,
    )
    session.add(mail)
    session.flush()
    side.failed_mail = mail.id

    invitee = f"newhire-{label.lower()}@example.edu"
    organizations.invite_manager(session, manager, employer.org.id, invitee)
    side.invitation_token = received_token(session, invitee, "/join")
    account_security.request_password_reset(session, student.email)
    side.reset_token = received_token(session, student.email, "/reset-password")
    side.unsubscribe_token = mail_preferences.unsubscribe_url(session, student.id, mail_preferences.ALERTS).rsplit("/", 1)[1]
    session.flush()
    return side


def _file_of(session: Session, submission_id: int) -> int:
    return session.exec(select(SubmissionFile.id).where(SubmissionFile.submission_id == submission_id)).first()


def build_world(session: Session, make) -> World:
    staff = make.staff()
    admin = accounts.create_privileged_user(session, email="admin@example.edu", display_name="Admin", password=PASSWORD, role="admin")
    sides = {name: _build_side(session, make, name, staff) for name in SIDES}
    own, other = sides["own"], sides["other"]
    own_employer = Employer(manager=session.get(User, own.manager), org=session.get(Organization, own.org))
    unconfirmed = make.second_manager(own_employer)
    unconfirmed.email_verified, unconfirmed.display_name = False, "Never Confirmed"
    session.add(unconfirmed)
    account_security.resend_verification(session, unconfirmed)
    verify_token = received_token(session, unconfirmed.email, "/verify-email")
    # Each employer invites the other side's manager (an existing account: the in-app invitation).
    for inviting, invited in ((own, other), (other, own)):
        invitee = session.get(User, invited.manager).email
        organizations.invite_manager(session, session.get(User, inviting.manager), inviting.org, invitee)
        inviting.in_app_invitation = session.exec(
            select(OneTimeToken.id).where(OneTimeToken.purpose == "invitation", OneTimeToken.email == invitee)
        ).one()
    users = {
        "unconfirmed": unconfirmed.id,
        "student": own.student,
        "other_student": other.student,
        "manager": own.manager,
        "other_manager": other.manager,
        "staff": staff.id,
        "admin": admin.id,
    }
    logo_url = center_settings.save_logo(session, admin, "logo.png", WORLD_LOGO_PNG).logo_url
    # Everyone has a notification of their own (mark_read: one's own, never someone else's).
    for role, user_id in users.items():
        notifications.notify(session, user_id, "matrix.hello", f"Hello {role}", "/dashboard")
    session.flush()
    notes = {
        role: session.exec(select(Notification.id).where(Notification.user_id == user_id).order_by(Notification.id.desc())).first()
        for role, user_id in users.items()
    }
    emails = {role: session.get(User, user_id).email for role, user_id in users.items()}
    tokens = {role: accounts.start_session(session, session.get(User, user_id)) for role, user_id in users.items()}
    tokens["visitor"] = ""
    # Nobody confirmed the unconfirmed account's address, and nobody answered a dispute yet.
    assert not session.get(User, unconfirmed.id).email_verified
    assert all(session.get(Dispute, s.dispute).status == "open" for s in sides.values())
    return World(users=users, emails=emails, tokens=tokens, sides=sides, verify_token=verify_token, notifications=notes, logo_url=logo_url)

"""Hostile text into every form: field errors, never a 500 (issue 14, point 8).

Each form of the app, the handler its input goes to, the service that judges it, and the
fields a person types into (or that a forged event can fill). Every row has a Hypothesis test
below that puts hostile text (tests/unit/hostile_text.py) into one field at a time, with
valid values elsewhere, on a real SQLite database, and accepts only two outcomes:

- the service accepts it, and everything stored is clean: no control characters (NUL, ESC,
  CR, C1), lone surrogates or bidi overrides anywhere, no line break in a one-line column,
  every string within its column's max_length (SQLite does not enforce VARCHAR lengths;
  PostgreSQL does, and refuses NUL), and what the page shows back is the stored text; or
- it raises ValidationFailed / DomainError keyed by the form's own field names, so the page
  can put the message next to the field.

Anything else (a database error included) is what a 500 would be.

| page (form)                         | handler (state / route)                    | service                                  | fields |
| ----------------------------------- | ------------------------------------------ | ---------------------------------------- | ------ |
| /login                              | POST /auth/login (http/auth.py)            | accounts.authenticate                    | email, password |
| /signup                             | POST /auth/signup (http/auth.py)           | account_security.sign_up → accounts.sign_up | display_name, email, password, role, organization_name, organization_website |
| /forgot-password                    | POST /auth/forgot-password (http/account)  | account_security.request_password_reset  | email |
| /reset-password                     | POST /auth/reset-password (http/account)   | account_security.reset_password          | password (token: hidden) |
| /account: change password           | POST /auth/change-password (http/account)  | account_security.change_password         | current_password, new_password |
| /account: delete account            | POST /account/delete (http/account)        | privacy.delete_account                   | delete_password |
| /join (invitation)                  | POST /auth/join (http/account)             | organizations.accept_invitation          | display_name, password (token, invitation_id: hidden) |
| / (board search and filters)        | BoardState.search → load_board             | search.BoardQuery.from_params, gigs.list_board | q, category, skills, mode, pay_min, pay_max, hours_min, hours_max, due_within, employer, sort |
| /gigs/new, /gigs/<id>/edit          | PostGigState.post, check_live              | gigs.create_gig / update_gig (validate_gig_input) | title, summary, scope, deliverables, category, location_mode, location, estimated_hours, start_date, due_date, application_deadline, slots, pay, skills, questions, organization_id |
| /gigs/<id>: apply                   | GigDetailState.apply                       | applications.apply                       | note, sample_links, answer_<question id> |
| /manage/gigs/<id>: decline          | ManageGigState.decline                     | applications.decline                     | feedback (application_id: hidden) |
| /engagements/<id>: submit work      | SubmitForm.submit_deliverable              | engagements.submit_deliverable           | note, link, files (file names) |
| /engagements/<id>: request changes  | ReviewForm.request_changes                 | engagements.request_changes              | comment |
| /engagements/<id>: message thread   | MessageForm.post_message                   | engagements.post_message                 | body |
| /engagements/<id>: new due date     | ExtensionForm.request_extension            | engagements.request_extension            | new_due_date, reason |
| /engagements/<id>: cancel           | CancelForm.cancel_engagement               | closing.cancel_one_engagement            | reason |
| /engagements/<id>: add milestone    | MilestoneForm.add_milestone                | milestones.add_milestone                 | milestone_title, milestone_due_date (service: title, due_date) |
| /engagements/<id>: check in         | CheckInForm.check_in                       | milestones.check_in                      | done, note (milestone_id: hidden) |
| /engagements/<id>/dispute           | OpenDisputeState.open                      | disputes.open_dispute                    | statement |
| /disputes/<id>: thread              | DisputeState.post                          | disputes.post_message                    | body |
| /disputes/<id>: decide              | DisputeState.decide                        | disputes.decide                          | outcome, student_share, note |
| /engagements/<id>/review            | ReviewState.submit                         | reviews.write_review                     | rating_1..rating_4, comment, private_note, endorsed |
| /credentials/<id>: revoke           | CertificateState.revoke                    | credentials.revoke                       | reason |
| /verify: paste or upload            | VerifyState.check_pasted / check_upload    | credentials.verify                       | credential |
| /staff/moderation: reject a gig     | ModerationState.reject                     | moderation.reject → gigs.reject_gig      | reason (gig_id: hidden) |
| /staff/moderation: prohibited terms | TermsState.add_term                        | moderation.add_term                      | term |
| /organization: invite a manager     | OrganizationState.invite                   | organizations.invite_manager             | email |
| /portfolio                          | PortfolioState.save                        | portfolio.save_settings                  | handle, is_public |
| /profile: student                   | ProfileState.save_student                  | profiles.update_student_profile          | skills, interests, hours_per_week, timezone, links, school, major, graduation_year |
| /profile: manager                   | ProfileState.save_manager                  | profiles.update_manager_profile          | display_name, title |
| /profile: photo                     | ProfileState.upload_photo                  | profiles.set_photo                       | photo (file name) |
| /staff/skills                       | StaffSkillsState.add_skill                 | profiles.add_skill                       | skill_name, skill_category |
| /staff/employers: reject, suspend   | StaffEmployersState.reject / suspend       | organizations.reject / suspend           | reason (organization_id: hidden) |
| /staff/audit                        | StaffAuditState.search → load_audit        | audit_log.search                         | kind, subject_email, actor_email, subject_type, subject_id |
| /staff/insights (and its CSV route) | InsightsState.apply_filters → load; GET /staff/insights/<table>.csv | http.insights.filters_from_query → insights.overview | start, end, employer |

Pages with no typed input (buttons and links only: payments, earnings, notifications, saved
gigs, dashboards, staff money, outbox, preview) are not listed. The HTTP sign-in/sign-up
routes' throttling is not tested here.
"""

import re
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import String, TypeDecorator, select
from sqlmodel import SQLModel

from microgigs.models import Credential, Dispute, User
from microgigs.services import (
    account_security,
    accounts,
    applications,
    audit_log,
    closing,
    credentials,
    dashboards,
    disputes,
    engagements,
    gigs,
    insights,
    milestones,
    moderation,
    organizations,
    portfolio,
    privacy,
    profiles,
    reviews,
    search,
)
from microgigs.services.applications import ApplicationInput
from microgigs.services.engagements import UploadedFile
from microgigs.services.errors import DomainError
from microgigs.services.profiles import StudentProfileInput
from microgigs.services.reviews import ReviewInput
from microgigs.services.validation import ValidationFailed, clean_line, clean_text
from tests.mail_helpers import received_token
from tests.unit.conftest import PASSWORD
from tests.unit.hostile_text import SAMPLE, hostile_text

_SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


def HOSTILE(test):
    """Hypothesis settings for the form tests, and the fixed SAMPLE (one of each kind of
    hostile text) run first as explicit examples, so every kind is tried on every field."""
    for text in reversed(SAMPLE):
        test = example(text=text)(test)
    return _SETTINGS(test)


# Characters no stored text may hold: C0 controls but tab and newline, DEL, C1 controls, lone
# surrogates, bidi embeddings/overrides/isolates, line/paragraph separators and the BOM.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")
# Columns that hold one line (titles, names, addresses, one-line notes): a line break or a tab
# there would end up in a mail header, a page title or an <input>.
ONE_LINE = {
    "user": {"email", "display_name", "title", "timezone"},
    "organization": {"name", "website"},
    "gig": {"title", "summary", "category", "location"},
    "skill": {"name", "category"},
    "studentprofile": {"headline", "school", "major"},
    "screeningquestion": {"text"},
    "application": {"feedback"},
    "submission": {"link"},
    "submissionfile": {"original_name"},
    "review": {"private_note"},
    "credential": {"revoked_reason"},
    "notification": {"title", "link"},
    "outboxmail": {"to_address", "subject"},
    "onetimetoken": {"email"},
    "prohibitedterm": {"term"},
    "portfolio": {"handle"},
    "milestone": {"title"},
}
REFUSED = object()


def assert_stored_clean(session) -> None:
    """Every string in every table is free of forbidden characters and fits its column."""
    session.flush()
    connection = session.connection()
    for table in SQLModel.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(_sql_type(c), String)]
        if not columns:
            continue
        for row in connection.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if not isinstance(value, str):
                    continue
                where = f"{table.name}.{column.name}"
                assert not FORBIDDEN.search(value), f"{where} stores {value[:80]!r}"
                length = _sql_type(column).length
                if length is not None:
                    assert len(value) <= length, f"{where} stores {len(value)} characters, its column holds {length}"
                if column.name in ONE_LINE.get(table.name.lower(), ()):
                    assert "\n" not in value and "\t" not in value, f"{where} is one line, it stores {value[:80]!r}"


def _sql_type(column):
    """The column's SQL type; SQLModel's AutoString is a TypeDecorator around String."""
    return column.type.impl if isinstance(column.type, TypeDecorator) else column.type


def test_the_checker_sees_every_string_column():
    lengths = {
        (t.name.lower(), c.name): _sql_type(c).length
        for t in SQLModel.metadata.sorted_tables
        for c in t.columns
        if isinstance(_sql_type(c), String)
    }
    assert lengths[("user", "display_name")] == 100 and lengths[("gig", "title")] == 120 and lengths[("gig", "scope")] is None
    assert all((table, name) in lengths for table, names in ONE_LINE.items() for name in names)


def attempt(session, fields, call):
    """One service call with hostile input: its result when accepted (and what it stored is
    clean), REFUSED when it raised a field error for one of `fields`. Anything else fails."""
    try:
        result = call()
        session.flush()
    except ValidationFailed as error:
        assert error.errors and set(error.errors) <= set(fields), (
            f"error keys {sorted(error.errors)} are not the form's fields {sorted(fields)}"
        )
        assert all(isinstance(m, str) and m.strip() for m in error.errors.values())
        return REFUSED
    except DomainError as error:
        assert error.field in fields, f"{error.message!r} names field {error.field!r}, not one of the form's fields {sorted(fields)}"
        assert error.message.strip()
        return REFUSED
    assert_stored_clean(session)
    return result


@contextmanager
def trial(session):
    """One example: whatever it wrote is rolled back, so the next starts from the same world."""
    try:
        yield
    finally:
        session.rollback()


def _ready(session):
    """Commit the world a test built, so every example's rollback returns to it."""
    session.commit()


# --- the text cleaner itself ------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(text=hostile_text())
def test_clean_text_is_clean_and_idempotent(text):
    for clean in (clean_text, clean_line):
        once = clean(text)
        assert not FORBIDDEN.search(once)
        assert clean(once) == once
        assert once == once.strip()
    assert "\n" not in clean_line(text) and "\t" not in clean_line(text)


def test_clean_text_keeps_what_people_write():
    assert clean_text("  Line one\r\nline two\u2028three  ") == "Line one\nline two\nthree"
    assert clean_text("👩\u200d💻 in العربية\u200f and e\u0301") == "👩\u200d💻 in العربية\u200f and é"
    assert clean_text("a\x00b\x1b[31mc\u202ed") == "ab[31mcd"
    assert clean_text("\u200b\ufeff \u3000\u200b") == ""
    assert clean_line(" A\ttitle\n on\r\ntwo lines ") == "A title on two lines"


# --- sign-in, sign-up and account -------------------------------------------------------------------


@pytest.mark.parametrize("field", ["email", "password"])
@HOSTILE
@given(text=hostile_text())
def test_sign_in(session, make, monkeypatch, field, text):
    # An unknown address is checked against a dummy hash made with argon2's real cost: a cheap one here.
    monkeypatch.setattr(accounts, "_DUMMY_HASH", accounts._hasher.hash("not-a-real-password"))
    make.student(email="known@example.edu")
    _ready(session)
    values = {"email": "known@example.edu", "password": PASSWORD} | {field: _posted(text)}
    with trial(session):
        with pytest.raises(DomainError) as refused:
            accounts.authenticate(session, values["email"], values["password"])
        assert refused.value.message == accounts.SIGN_IN_FAILED


SIGN_UP_FIELDS = ("display_name", "email", "password", "role", "organization_name", "organization_website")


@pytest.mark.parametrize("field", SIGN_UP_FIELDS)
@HOSTILE
@given(text=hostile_text())
def test_sign_up(session, field, text):
    _ready(session)
    values = dict(
        email="new@example.edu",
        password=PASSWORD,
        display_name="Ada Lovelace",
        role="manager",
        organization_name="Acme",
        organization_website="https://acme.example",
    )
    values[field] = _posted(text)
    with trial(session):
        if attempt(session, SIGN_UP_FIELDS, lambda: account_security.sign_up(session, accounts.SignUp(**values))) is not REFUSED:
            user = session.exec(select(User).where(User.email == accounts.normalize_email(values["email"]))).scalar_one_or_none()
            assert user is None or accounts.verify_password(user.password_hash, values["password"])


@HOSTILE
@given(text=hostile_text())
def test_forgot_password(session, text):
    _ready(session)
    with trial(session):
        attempt(session, ("email",), lambda: account_security.request_password_reset(session, _posted(text)))


@HOSTILE
@given(text=hostile_text())
def test_reset_password(session, make, text):
    user = make.student()
    account_security.request_password_reset(session, user.email)
    raw = received_token(session, user.email, "/reset-password")
    _ready(session)
    with trial(session):
        attempt(session, ("password",), lambda: account_security.reset_password(session, raw, _posted(text)))


@pytest.mark.parametrize("field", ["current_password", "new_password"])
@HOSTILE
@given(text=hostile_text())
def test_change_password(session, make, field, text):
    user = make.student()
    _ready(session)
    values = {"current_password": PASSWORD, "new_password": "a new long passphrase"} | {field: _posted(text)}
    with trial(session):
        attempt(
            session,
            ("current_password", "new_password"),
            lambda: account_security.change_password(session, user, values["current_password"], values["new_password"]),
        )


@HOSTILE
@given(text=hostile_text())
def test_delete_account(session, make, text):
    user = make.student()
    _ready(session)
    with trial(session):
        assert attempt(session, ("delete_password",), lambda: privacy.delete_account(session, user, _posted(text))) is REFUSED


@pytest.mark.parametrize("field", ["display_name", "password"])
@HOSTILE
@given(text=hostile_text())
def test_join_with_an_invitation(session, make, field, text):
    employer = make.employer()
    invitee = make.email("newhire")  # a new address each example: invitations to one are throttled
    organizations.invite_manager(session, employer.manager, employer.org.id, invitee)
    raw = received_token(session, invitee, "/join")
    _ready(session)
    values = {"display_name": "New Hire", "password": PASSWORD} | {field: _posted(text)}
    with trial(session):
        attempt(
            session,
            ("display_name", "password"),
            lambda: organizations.accept_invitation(session, None, raw, display_name=values["display_name"], password=values["password"]),
        )


def _posted(text: str) -> str:
    """What a browser's form post can carry: these forms post to our HTTP routes, whose form
    parser decodes with replacement, so no lone surrogate gets through."""
    return text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


# --- the board ---------------------------------------------------------------------------------

BOARD_FIELDS = ("q", "category", "skills", "mode", "pay_min", "pay_max", "hours_min", "hours_max", "due_within", "employer", "sort", "page")


@pytest.mark.parametrize("field", BOARD_FIELDS)
@HOSTILE
@given(text=hostile_text())
def test_board_search(session, make, field, text):
    make.gig(make.employer())
    _ready(session)
    query = search.BoardQuery.from_params({field: text})
    page = gigs.list_board(session, filters=query)
    assert page.page >= 1
    url = query.url()
    url.encode("ascii")  # a URL the page can link to
    assert not FORBIDDEN.search(query.q)
    assert search.BoardQuery.from_params(dict(_params_of(url))) == query


def _params_of(url: str):
    from urllib.parse import parse_qsl, urlsplit

    return parse_qsl(urlsplit(url).query)


# --- posting a gig -----------------------------------------------------------------------------

GIG_TEXT_FIELDS = ("title", "summary", "scope", "deliverables", "category", "location_mode", "location")
GIG_FORM_FIELDS = (
    *GIG_TEXT_FIELDS,
    "estimated_hours",
    "start_date",
    "due_date",
    "application_deadline",
    "slots",
    "pay_cents",
    "skills",
    "questions",
    "organization_id",
)


@pytest.mark.parametrize("field", [*GIG_TEXT_FIELDS, "skills", "questions"])
@HOSTILE
@given(text=hostile_text())
def test_post_gig(session, make, field, text):
    employer = make.employer(trusted=False)
    _ready(session)
    value = [text] if field == "skills" else text.split("\n") if field == "questions" else text
    data = make.gig_input(**({"location": "Boston"} | {field: value}))
    data.location_mode = "onsite" if field == "location" else data.location_mode
    with trial(session):
        gig = attempt(session, GIG_FORM_FIELDS, lambda: gigs.create_gig(session, employer.manager, data, publish=False))
        if gig is REFUSED:
            return
        detail = gigs.gig_detail(session, employer.manager, gig.id)
        assert (detail.card.title, detail.card.summary, detail.location) == (gig.title, gig.summary, gig.location)
        assert detail.scope == gig.scope and detail.deliverables == gig.deliverables
        assert gigs.draft_for_edit(session, employer.manager, gig.id).questions == [q.text for q in detail.questions]
        # Saving the draft again as it was shown changes nothing.
        again = gigs.update_gig(session, employer.manager, gig.id, gigs.draft_for_edit(session, employer.manager, gig.id))
        assert (again.title, again.scope) == (detail.card.title, detail.scope)


# --- applying and deciding ---------------------------------------------------------------------


@pytest.mark.parametrize("field", ["note", "sample_links", "answer"])
@HOSTILE
@given(text=hostile_text())
def test_apply(session, make, field, text):
    gig = make.gig(make.employer(), questions=["Why this gig?"])
    student = make.student()
    question_id = gigs.gig_detail(session, student, gig.id).questions[0].id
    _ready(session)
    values = {
        "note": "I have cleaned survey data for two labs.",
        "sample_links": ["https://example.com/work"],
        "answer": "Because I like data.",
    }
    values[field] = text.split("\n") if field == "sample_links" else text
    data = ApplicationInput(note=values["note"], sample_links=values["sample_links"], answers={question_id: values["answer"]})
    with trial(session):
        attempt(session, ("note", "sample_links", f"answer_{question_id}"), lambda: applications.apply(session, student, gig.id, data))


@HOSTILE
@given(text=hostile_text())
def test_decline_feedback(session, make, text):
    employer = make.employer()
    application = make.apply(make.student(), make.gig(employer))
    _ready(session)
    with trial(session):
        attempt(session, ("feedback",), lambda: applications.decline(session, employer.manager, application.id, text))


# --- the engagement workspace ------------------------------------------------------------------


@pytest.mark.parametrize("field", ["note", "link", "files"])
@HOSTILE
@given(text=hostile_text())
def test_submit_deliverable(session, make, field, text):
    hired = make.hired()
    _ready(session)
    values = {"note": "The cleaned data set and its README.", "link": "https://example.com/work"}
    files = [UploadedFile(name=text, data=b"a,b\n1,2\n")] if field == "files" else []
    if field != "files":
        values[field] = text
    with trial(session):
        submission = attempt(
            session,
            ("note", "link", "files"),
            lambda: engagements.submit_deliverable(session, hired.student, hired.engagement.id, values["note"], values["link"], files),
        )
        if submission is not REFUSED:
            shown = dashboards.engagement_view(session, hired.student, hired.engagement.id).submissions[-1]
            assert (shown.note, shown.link) == (submission.note, submission.link)


@HOSTILE
@given(text=hostile_text())
def test_request_changes(session, make, text):
    hired = make.hired()
    make.submit(hired)
    _ready(session)
    with trial(session):
        attempt(session, ("comment",), lambda: engagements.request_changes(session, hired.employer.manager, hired.engagement.id, text))


@HOSTILE
@given(text=hostile_text())
def test_engagement_message(session, make, text):
    hired = make.hired()
    _ready(session)
    with trial(session):
        message = attempt(session, ("body",), lambda: engagements.post_message(session, hired.student, hired.engagement.id, text))
        if message is not REFUSED:
            assert dashboards.engagement_view(session, hired.employer.manager, hired.engagement.id).messages[-1].body == message.body


@HOSTILE
@given(text=hostile_text())
def test_extension_reason(session, make, text):
    hired = make.hired()
    _ready(session)
    new_date = hired.engagement.due_date + timedelta(days=7)
    with trial(session):
        attempt(
            session,
            ("new_due_date", "reason"),
            lambda: engagements.request_extension(session, hired.student, hired.engagement.id, new_date, text),
        )


@HOSTILE
@given(text=hostile_text())
def test_cancel_reason(session, make, text):
    hired = make.hired()
    _ready(session)
    with trial(session):
        attempt(session, ("reason",), lambda: closing.cancel_one_engagement(session, hired.employer.manager, hired.engagement.id, text))


@pytest.mark.parametrize("field", ["title", "due_date"])
@HOSTILE
@given(text=hostile_text())
@example(text="9999-12-31")
def test_add_milestone(session, make, field, text):
    hired = make.hired()
    _ready(session)
    values = {"title": "First chart", "due_date": (date.today() + timedelta(days=3)).isoformat()} | {field: text}
    with trial(session):
        attempt(
            session,
            ("title", "due_date"),
            lambda: milestones.add_milestone(session, hired.employer.manager, hired.engagement.id, values["title"], values["due_date"]),
        )


@pytest.mark.parametrize("field", ["done", "note"])
@HOSTILE
@given(text=hostile_text())
def test_milestone_check_in(session, make, field, text):
    hired = make.hired()
    milestone = milestones.add_milestone(
        session, hired.employer.manager, hired.engagement.id, "First chart", date.today() + timedelta(days=3)
    )
    _ready(session)
    values = {"done": "no", "note": "Waiting for the data export."} | {field: text}
    with trial(session):
        attempt(
            session,
            ("done", "note"),
            lambda: milestones.check_in(session, hired.student, hired.engagement.id, milestone.id, values["done"], values["note"]),
        )


# --- disputes ------------------------------------------------------------------------------------


@HOSTILE
@given(text=hostile_text())
def test_open_dispute(session, make, text):
    hired = make.hired()
    _ready(session)
    with trial(session):
        dispute = attempt(session, ("statement",), lambda: disputes.open_dispute(session, hired.student, hired.engagement.id, text))
        if dispute is not REFUSED:
            assert disputes.dispute_view(session, hired.student, dispute.id).statement == dispute.statement


@pytest.fixture
def disputed(session, make):
    hired = make.hired()
    dispute = disputes.open_dispute(session, hired.student, hired.engagement.id, "The brief changed after I started.")
    return hired, dispute, make.staff()


@HOSTILE
@given(text=hostile_text())
def test_dispute_message(session, disputed, text):
    hired, dispute, _staff = disputed
    _ready(session)
    with trial(session):
        attempt(session, ("body",), lambda: disputes.post_message(session, hired.employer.manager, dispute.id, text))


@pytest.mark.parametrize("field", ["outcome", "note"])
@HOSTILE
@given(text=hostile_text())
def test_dispute_decision(session, disputed, field, text):
    hired, dispute, staff = disputed
    _ready(session)
    values = {"outcome": "pay_part", "note": "Half the work was delivered."} | {field: text}
    with trial(session):
        attempt(
            session,
            ("outcome", "student_share", "note"),
            lambda: disputes.decide(session, staff, dispute.id, values["outcome"], hired.engagement.pay_cents // 2, values["note"]),
        )


# --- reviews and credentials ---------------------------------------------------------------------


@pytest.fixture
def approved(session, make):
    hired = make.hired()
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    return hired


@pytest.mark.parametrize("field", ["comment", "private_note", "endorsed"])
@HOSTILE
@given(text=hostile_text())
def test_review(session, approved, field, text):
    _ready(session)
    values = {"comment": "Clear, careful work.", "private_note": "", "endorsed": ["Python"]}
    values[field] = [text] if field == "endorsed" else text
    data = ReviewInput(
        ratings=[5, 4, 5], comment=values["comment"], private_note=values["private_note"], endorsed_skills=values["endorsed"]
    )
    with trial(session):
        attempt(
            session,
            ("ratings", "comment", "private_note", "endorsed_skills"),
            lambda: reviews.write_review(session, approved.employer.manager, approved.engagement.id, data),
        )


@HOSTILE
@given(text=hostile_text())
def test_revoke_credential(session, make, approved, text):
    staff = make.staff()
    public_id = credentials.engagement_credential(session, approved.engagement.id).public_id
    _ready(session)
    with trial(session):
        if attempt(session, ("reason",), lambda: credentials.revoke(session, staff, public_id, text)) is not REFUSED:
            row = session.exec(select(Credential).where(Credential.public_id == public_id)).scalar_one()
            assert credentials.verify_public_id(session, public_id).revoked_reason == row.revoked_reason


@HOSTILE
@given(text=st.one_of(hostile_text(), st.just("{" + '"jwt": ' + "[" * 15_000), st.just('{"a":' * 5_000)))
@example(text='{"jwt": ' + "[" * 15_000)
def test_verify_pasted_credential(session, text):
    _ready(session)
    result = credentials.verify(session, text)
    assert result.status == "invalid" and result.message.startswith("Not valid")


# --- staff: moderation, terms, skills, employers, audit log, insights --------------------------------


@HOSTILE
@given(text=hostile_text())
def test_reject_gig(session, make, text):
    gig = make.gig(make.employer(trusted=False))
    staff = make.staff()
    _ready(session)
    with trial(session):
        attempt(session, ("reason",), lambda: moderation.reject(session, staff, gig.id, text))


@HOSTILE
@given(text=hostile_text())
def test_add_prohibited_term(session, make, text):
    staff = make.staff()
    _ready(session)
    with trial(session):
        row = attempt(session, ("term",), lambda: moderation.add_term(session, staff, text))
        if row is not REFUSED:
            assert moderation.list_terms(session, staff)[0].term == row.term


def test_prohibited_terms_see_through_lookalikes_and_invisible_characters(session, make):
    staff = make.staff()
    moderation.add_term(session, staff, "casino")
    employer = make.employer()
    for disguised in ("ｃａｓｉｎｏ night", "CASINO night", "cas\u200bino night", "ca\u00adsino night", "𝐜𝐚𝐬𝐢𝐧𝐨 night"):
        with pytest.raises(ValidationFailed) as refused:
            make.gig(employer, title=disguised)
        assert "casino" in refused.value.errors["title"]


@pytest.mark.parametrize("field", ["skill_name", "skill_category"])
@HOSTILE
@given(text=hostile_text())
def test_add_skill(session, make, field, text):
    staff = make.staff()
    _ready(session)
    values = {"skill_name": "Data journalism", "skill_category": "writing"} | {field: text}
    with trial(session):
        attempt(
            session,
            ("skill_name", "skill_category"),
            lambda: profiles.add_skill(session, staff, values["skill_name"], values["skill_category"]),
        )


def test_a_lookalike_of_a_listed_skill_is_a_duplicate(session, make):
    staff = make.staff()
    with pytest.raises(ValidationFailed) as refused:
        profiles.add_skill(session, staff, "Ｐｙｔｈｏｎ")
    assert "already on the list" in refused.value.errors["skill_name"]


@pytest.mark.parametrize("action", ["reject", "suspend"])
@HOSTILE
@given(text=hostile_text())
def test_vet_employer_reason(session, make, action, text):
    employer = make.employer(status="pending" if action == "reject" else "approved")
    if action == "suspend":
        make.gig(employer)  # its gigs close too, with the reason
    staff = make.staff()
    _ready(session)
    with trial(session):
        attempt(session, ("reason",), lambda: getattr(organizations, action)(session, staff, employer.org.id, text))


AUDIT_FIELDS = ("kind", "subject_email", "actor_email", "subject_type", "subject_id")


@pytest.mark.parametrize("field", AUDIT_FIELDS)
@HOSTILE
@given(text=hostile_text())
@example(text="²")
@example(text="9" * 30)
def test_audit_log_filters(session, make, field, text):
    staff = make.staff()
    _ready(session)
    with trial(session):
        attempt(session, AUDIT_FIELDS, lambda: audit_log.search(session, staff, **{field: text}))


@pytest.mark.parametrize("field", ["start", "end", "employer"])
@HOSTILE
@given(text=hostile_text())
@example(text="²")
@example(text="9" * 30)
def test_insights_filters(session, make, field, text):
    from microgigs.http.insights import filters_from_query

    staff = make.staff()
    make.gig(make.employer())
    _ready(session)
    filters = filters_from_query({field: text})
    insights.overview(session, staff, filters)


# --- the owner's team, portfolio, profile -------------------------------------------------------


@HOSTILE
@given(text=hostile_text())
def test_invite_manager(session, make, text):
    employer = make.employer()
    _ready(session)
    with trial(session):
        attempt(session, ("email",), lambda: organizations.invite_manager(session, employer.manager, employer.org.id, text))


@HOSTILE
@given(text=hostile_text())
@example(text="ａｄｍｉｎ")
def test_portfolio_handle(session, make, text):
    student = make.student()
    _ready(session)
    with trial(session):
        saved = attempt(session, ("handle",), lambda: portfolio.save_settings(session, student, text, True))
        if saved is not REFUSED:
            assert portfolio.settings_of(session, student).handle == saved.handle
            assert portfolio.public_portfolio(session, saved.handle).handle == saved.handle


STUDENT_PROFILE_FIELDS = ("skills", "interests", "hours_per_week", "timezone", "links", "school", "major", "graduation_year")


@pytest.mark.parametrize("field", STUDENT_PROFILE_FIELDS)
@HOSTILE
@given(text=hostile_text())
@example(text="\n".join("https://example.com/" + "x" * 280 for _ in range(5)))
def test_student_profile(session, make, field, text):
    student = make.student()
    _ready(session)
    values = {
        "interests": "Data and maps",
        "hours_per_week": "10",
        "timezone": "Europe/Paris",
        "links": "https://example.com",
        "school": "State U",
        "major": "Statistics",
        "graduation_year": str(date.today().year + 1),
    }
    skills = ["Python"]
    if field == "skills":
        skills = text.split("\n")
    else:
        values[field] = text
    with trial(session):
        saved = attempt(
            session,
            STUDENT_PROFILE_FIELDS,
            lambda: profiles.update_student_profile(session, student, StudentProfileInput(skills=skills, **values)),
        )
        if saved is not REFUSED:
            view = profiles.profile_view(session, student)
            assert (view.interests, view.links, view.school, view.major) == (saved.interests, saved.links, saved.school, saved.major)


@pytest.mark.parametrize("field", ["display_name", "title"])
@HOSTILE
@given(text=hostile_text())
def test_manager_profile(session, make, field, text):
    manager = make.employer().manager
    _ready(session)
    values = {"display_name": "Grace Hopper", "title": "Data lead"} | {field: text}
    with trial(session):
        saved = attempt(
            session,
            ("display_name", "title"),
            lambda: profiles.update_manager_profile(session, manager, values["display_name"], values["title"]),
        )
        if saved is not REFUSED:
            view = profiles.profile_view(session, manager)
            assert (view.display_name, view.title) == (saved.display_name, saved.title)


@HOSTILE
@given(text=hostile_text())
def test_photo_file_name(session, make, text):
    student = make.student()
    _ready(session)
    with trial(session):
        attempt(session, ("photo",), lambda: profiles.set_photo(session, student, text, b"\x89PNG\r\n\x1a\n" + b"0" * 32))


# --- names and addresses on the account forms (the bugs this file found in accounts/organizations) ---


def test_sign_up_names_are_one_line(session):
    account_security.sign_up(
        session,
        accounts.SignUp(
            email="a@example.edu",
            password=PASSWORD,
            display_name="Ada\nBcc: all@example.edu",
            role="manager",
            organization_name="Acme\r\nInc",
            organization_website="https://acme.example\n",
        ),
    )
    assert_stored_clean(session)


def test_invited_names_are_one_line(session, make):
    employer = make.employer()
    organizations.invite_manager(session, employer.manager, employer.org.id, "n@example.edu")
    raw = received_token(session, "n@example.edu", "/join")
    organizations.accept_invitation(session, None, raw, display_name="New\nHire", password=PASSWORD)
    assert session.exec(select(User.display_name).where(User.email == "n@example.edu")).scalar_one() == "New Hire"
    assert_stored_clean(session)


@pytest.mark.parametrize(
    "email", ["nul\x00@example.edu", "esc\x1b@example.edu", "\u202eude.elpmaxe@evil.com", "zero\u200bwidth@example.edu"]
)
def test_sign_up_refuses_unprintable_addresses(session, email):
    with pytest.raises(ValidationFailed) as refused:
        account_security.sign_up(session, accounts.SignUp(email=email, password=PASSWORD, display_name="Ada"))
    assert "email" in refused.value.errors


def test_invite_refuses_a_lone_surrogate(session, make):
    employer = make.employer()
    attempt(session, ("email",), lambda: organizations.invite_manager(session, employer.manager, employer.org.id, "half\ud83d@example.edu"))


def test_invitation_subject_fits_its_column(session, make):
    employer = make.employer(org_name="O" * 120, manager_name="M" * 100)
    organizations.invite_manager(session, employer.manager, employer.org.id, "someone@example.edu")
    assert_stored_clean(session)


# --- the Reflex handlers, driven as a signed-in person, with the fixed sample -----------------------
# Each handler gets every SAMPLE value in one field; it must end with the message in the state
# (next to the field, or for a hidden field above the form), or with the action done. An
# exception here is what the person would see as a broken page.

from microgigs.state.credentials import CertificateState, VerifyState  # noqa: E402
from microgigs.state.disputes import DisputeState, OpenDisputeState  # noqa: E402
from microgigs.state.gig_detail import GigDetailState  # noqa: E402
from microgigs.state.insights import InsightsState  # noqa: E402
from microgigs.state.manage_gig import ManageGigState  # noqa: E402
from microgigs.state.moderation import ModerationState, TermsState  # noqa: E402
from microgigs.state.organization import OrganizationState  # noqa: E402
from microgigs.state.portfolio import PortfolioSettingsState as PortfolioState  # noqa: E402
from microgigs.state.post_gig import PostGigState  # noqa: E402
from microgigs.state.profile import ProfileState  # noqa: E402
from microgigs.state.review import ReviewState  # noqa: E402
from microgigs.state.staff import StaffAuditState, StaffEmployersState, StaffSkillsState  # noqa: E402
from microgigs.state.workspace import CancelForm, CheckInForm, ExtensionForm, MessageForm, MilestoneForm, SubmitForm  # noqa: E402
from tests.unit.state_harness import run_handler, session_token, state_for  # noqa: E402

NUMBERS = ["²", "٣", "9" * 30, "1e400", "inf", "-1", "\x00", "\ud800"]


class World:
    """People and things the handlers act on, committed (the states open their own sessions)."""

    def __init__(self, session, make):
        self.employer = make.employer(trusted=True)
        self.hired = make.hired(employer=self.employer)
        self.milestone = milestones.add_milestone(
            session, self.employer.manager, self.hired.engagement.id, "First chart", date.today() + timedelta(days=3)
        )
        self.gig = make.gig(self.employer)
        self.applicant = make.student()
        self.application = make.apply(self.applicant, self.gig)
        self.staff = make.staff()
        self.in_review = make.gig(make.employer(trusted=False))
        self.pending = make.employer(status="pending")
        approved = make.hired(employer=self.employer)
        make.submit(approved)
        engagements.approve(session, self.employer.manager, approved.engagement.id)
        self.approved = approved
        self.credential = credentials.engagement_credential(session, approved.engagement.id).public_id
        self.disputed = make.hired(employer=self.employer)
        self.dispute = disputes.open_dispute(session, self.disputed.student, self.disputed.engagement.id, "The brief changed.")
        session.commit()
        self.tokens = {}
        self.session = session

    def token(self, user) -> str:
        if user.id not in self.tokens:
            self.tokens[user.id] = session_token(self.session, user)
        return self.tokens[user.id]


@pytest.fixture
def world(app_db, make):
    return World(app_db, make)


def _drive(world, cls, url, user, handler, *args):
    state = state_for(cls, url, world.token(user) if user else "")
    run_handler(handler, state, *args)
    return state


def _too_long(text: str) -> str:
    """The sample repeated past any reason's limit (blank samples stay blank: also refused)."""
    return text * 600 if len(text) < 1000 else text


def _shown(message) -> bool:
    return isinstance(message, str) and message.strip() != ""


@pytest.mark.parametrize(
    "field",
    ["title", "summary", "scope", "location", "estimated_hours", "slots", "pay", "due_date", "organization_id", "skills", "questions"],
)
def test_post_gig_handler(world, field):
    today = date.today()
    for text in SAMPLE + NUMBERS:
        form = {
            "title": "Clean our CRM export",
            "summary": "Dedupe contacts.",
            "scope": "Export and dedupe.",
            "category": "Data analysis",
            "location_mode": "onsite",
            "location": "Boston",
            "estimated_hours": "10",
            "slots": "1",
            "pay": "300",
            "application_deadline": (today + timedelta(days=7)).isoformat(),
            "due_date": (today + timedelta(days=21)).isoformat(),
            "skills": "Python",
            "questions": "When can you start?",
            "save_draft": "on",
        } | {field: text}
        state = _drive(world, PostGigState, "/gigs/new", world.employer.manager, "post", form)
        assert _shown(state.errors.get(field)) or (not state.errors and state.submitted_id), (field, text, state.errors, state.form_error)
        if field in ("estimated_hours", "slots", "pay") and text in NUMBERS:
            assert _shown(state.errors.get(field)), (field, text)
        state = _drive(world, PostGigState, "/gigs/new", world.employer.manager, "check_live", "pay", text)


def test_apply_handler(world, make):
    for field in ("note", "sample_links"):
        for text in SAMPLE:
            student = make.student()
            world.session.commit()
            form = {"note": "I have cleaned survey data before.", "sample_links": "https://example.com"} | {field: text}
            state = state_for(GigDetailState, f"/gigs/{world.gig.id}", world.token(student))
            run_handler("load_gig", state)
            run_handler("apply", state, form)
            assert _shown(state.errors.get(field)) or state.applied, (field, text, state.errors, state.form_error)


def test_decline_handler(world):
    for text in SAMPLE:
        state = _drive(
            world,
            ManageGigState,
            f"/manage/gigs/{world.gig.id}",
            world.employer.manager,
            "decline",
            {"application_id": str(world.application.id), "feedback": text},
        )
        assert _shown(state.card_errors.get(str(world.application.id))) or state.notice, text
        if state.notice:
            return  # declined: the application is decided now
    for key in NUMBERS:
        state = _drive(
            world,
            ManageGigState,
            f"/manage/gigs/{world.gig.id}",
            world.employer.manager,
            "decline",
            {"application_id": key, "feedback": "x"},
        )
        assert _shown(state.card_errors.get(key)), key


def test_engagement_handlers(world):
    url = f"/engagements/{world.hired.engagement.id}"
    student, manager = world.hired.student, world.employer.manager
    for text in SAMPLE:
        state = _drive(world, MessageForm, url, student, "post_message", {"body": text})
        assert _shown(state.errors.get("body")) or state.form_key, text
        state = _drive(
            world,
            MilestoneForm,
            url,
            manager,
            "add_milestone",
            {"milestone_title": text, "milestone_due_date": (date.today() + timedelta(days=2)).isoformat()},
        )
        assert _shown(state.errors.get("milestone_title")) or state.form_key, text
        state = _drive(world, MilestoneForm, url, manager, "add_milestone", {"milestone_title": "Draft", "milestone_due_date": text})
        assert _shown(state.errors.get("milestone_due_date")), text
        state = _drive(world, CheckInForm, url, student, "check_in", {"milestone_id": str(world.milestone.id), "done": "no", "note": text})
        assert _shown(state.errors.get(str(world.milestone.id))) or state.form_key, text
        state = _drive(world, ExtensionForm, url, student, "request_extension", {"new_due_date": text, "reason": "Data arrived late."})
        assert _shown(state.errors.get("new_due_date")), text
    for key in NUMBERS:
        state = _drive(world, CheckInForm, url, student, "check_in", {"milestone_id": key, "done": "yes", "note": ""})
        assert _shown(state.errors.get("form")) or _shown(state.errors.get(key[:20])), key
    for text in SAMPLE:
        state = _drive(
            world, SubmitForm, url, student, "submit_deliverable", [], {"note": "The cleaned data set and its README.", "link": text}
        )
        assert _shown(state.errors.get("link")) or state.form_key, text
        if state.form_key:
            break  # submitted: the engagement now waits for review
    for text in SAMPLE:
        state = _drive(world, CancelForm, url, manager, "cancel_engagement", {"reason": _too_long(text)})
        assert _shown(state.errors.get("reason")) or state.notice, text
        if state.notice:
            break  # a blank reason is allowed: cancelled


def test_dispute_handlers(world):
    url = f"/disputes/{world.dispute.id}"
    for text in SAMPLE:
        state = _drive(world, DisputeState, url, world.disputed.student, "post", {"body": text})
        assert _shown(state.message_error) or not state.message_error, text
    for share in NUMBERS + SAMPLE:
        state = _drive(world, DisputeState, url, world.staff, "decide", {"outcome": "pay_part", "student_share": share, "note": "Half."})
        if not state.decision_error:  # "٣" is a digit three: $3.00 is a fair part payment
            world.session.expire_all()
            assert world.session.get(Dispute, world.dispute.id).student_share_cents == 300, share
            break
    state = _drive(
        world,
        OpenDisputeState,
        f"/engagements/{world.hired.engagement.id}/dispute",
        world.hired.student,
        "open",
        {"statement": "x" * 50_000},
    )
    assert _shown(state.error)


def test_review_handler(world):
    url = f"/engagements/{world.approved.engagement.id}/review"
    for rating in NUMBERS:
        state = state_for(ReviewState, url, world.token(world.employer.manager))
        run_handler("load", state)
        run_handler("submit", state, {"rating_1": rating, "rating_2": "4", "rating_3": "5", "comment": "Good."})
        assert _shown(state.errors.get("ratings")), rating
    for field in ("comment", "private_note"):
        for text in ("x" * 50_000, "\ud800" * 300):
            state = state_for(ReviewState, url, world.token(world.employer.manager))
            run_handler("load", state)
            run_handler("submit", state, {"rating_1": "5", "rating_2": "4", "rating_3": "5", field: text})
            assert state.errors or state.notice, (field, text)


def test_credential_handlers(world):
    for text in [*SAMPLE, '{"jwt": ' + "[" * 15_000]:
        state = _drive(world, VerifyState, "/verify", None, "check_pasted", {"credential": text})
        assert state.result.status == "invalid", text
    for text in SAMPLE:
        state = _drive(world, CertificateState, f"/credentials/{world.credential}", world.staff, "revoke", {"reason": _too_long(text)})
        assert _shown(state.revoke_error), text


def test_staff_handlers(world):
    for text in SAMPLE:
        state = _drive(
            world,
            ModerationState,
            "/staff/moderation",
            world.staff,
            "reject",
            {"gig_id": str(world.in_review.id), "reason": _too_long(text)},
        )
        assert _shown(state.reason_errors.get(str(world.in_review.id))), text
        state = _drive(world, TermsState, "/staff/moderation", world.staff, "add_term", {"term": text})
        assert _shown(state.term_error) or state.notice, text
        state = _drive(world, StaffSkillsState, "/staff/skills", world.staff, "add_skill", {"skill_name": text, "skill_category": ""})
        assert _shown(state.error_skill_name) or state.notice, text
        state = _drive(
            world,
            StaffEmployersState,
            "/staff/employers",
            world.staff,
            "reject",
            {"organization_id": str(world.pending.org.id), "reason": _too_long(text)},
        )
        assert _shown(state.row_errors.get(str(world.pending.org.id))), text
    for key in NUMBERS:
        state = _drive(world, StaffEmployersState, "/staff/employers", world.staff, "approve", {"organization_id": key})
        assert _shown(state.row_errors.get(key[:20])), key
        state = _drive(world, ModerationState, "/staff/moderation", world.staff, "reject", {"gig_id": key, "reason": "No."})
        assert _shown(state.form_error), key
    for field in ("subject_id", "subject_email", "actor_email"):
        for text in NUMBERS + SAMPLE:
            from urllib.parse import quote

            state = _drive(
                world, StaffAuditState, f"/staff/audit/?{field}={quote(text, safe='', errors='surrogatepass')}", world.staff, "load_audit"
            )
            assert state.allowed
    for key in NUMBERS:
        _drive(world, InsightsState, f"/staff/insights?employer={key}", world.staff, "load")


def test_profile_portfolio_and_team_handlers(world):
    student, manager = world.applicant, world.employer.manager
    for field in ("school", "major", "interests", "links", "hours_per_week", "graduation_year", "timezone"):
        for text in SAMPLE:
            state = _drive(
                world, ProfileState, "/profile", student, "save_student", {"hours_per_week": "10", "timezone": "UTC"} | {field: text}
            )
            assert _shown(state.errors.get(field)) or state.notice, (field, text, state.errors)
    for field in ("display_name", "title"):
        for text in SAMPLE:
            state = _drive(world, ProfileState, "/profile", manager, "save_manager", {"display_name": "Grace", "title": ""} | {field: text})
            assert _shown(state.errors.get(field)) or state.notice, (field, text)
    for text in SAMPLE:
        state = _drive(world, PortfolioState, "/portfolio", student, "save", {"handle": text, "is_public": "on"})
        assert _shown(state.errors.get("handle")), text
        state = _drive(world, OrganizationState, "/organization", manager, "invite", {"email": text})
        assert _shown(state.error_email), text


def test_board_insights_and_audit_handlers(world):
    from microgigs.state.board import BoardState
    from tests.unit.state_harness import redirect_path

    for text in SAMPLE + NUMBERS:
        form = {
            name: text
            for name in (
                "q",
                "skills",
                "pay_min",
                "pay_max",
                "hours_min",
                "hours_max",
                "category",
                "mode",
                "due_within",
                "employer",
                "sort",
            )
        }
        url = redirect_path(run_handler("search", state_for(BoardState, "/", world.token(world.applicant)), form))
        url.encode("ascii")  # a link the page can follow
        board = state_for(BoardState, url, world.token(world.applicant))
        run_handler("load_board", board)
        assert board.loaded and board.count_text
        url = redirect_path(
            run_handler(
                "apply_filters",
                state_for(InsightsState, "/staff/insights", world.token(world.staff)),
                {"start": text, "end": text, "employer": text},
            )
        )
        insights_page = state_for(InsightsState, url, world.token(world.staff))
        run_handler("load", insights_page)
        assert insights_page.allowed
        url = redirect_path(
            run_handler("search", state_for(StaffAuditState, "/staff/audit/", world.token(world.staff)), dict.fromkeys(AUDIT_FIELDS, text))
        )
        audit_page = state_for(StaffAuditState, url, world.token(world.staff))
        run_handler("load_audit", audit_page)
        assert audit_page.allowed


# --- the same, on PostgreSQL, which enforces VARCHAR lengths and refuses NUL itself -------------


@pytest.fixture
def db_engine(request, db_engine):
    """The unit tests' SQLite file; with the parameter "postgres", a fresh PostgreSQL database
    migrated by alembic (tests/conftest.py; skipped where PostgreSQL is not installed)."""
    if getattr(request, "param", "sqlite") == "postgres":
        return request.getfixturevalue("postgres_engine")
    return db_engine


LONG_LINKS = "\n".join("https://example.com/" + "x" * 280 for _ in range(5))


@pytest.mark.parametrize("db_engine", ["postgres"], indirect=True)
def test_postgres_stores_whatever_the_services_accept(session, make):
    """What the services accept, PostgreSQL stores: no "value too long", no NUL refused, no
    integer out of range. Every sample in the fields where such errors would show."""
    employer = make.employer()
    hired = make.hired(employer=employer)
    gig = make.gig(employer)
    staff, student = make.staff(), make.student()
    _ready(session)
    for text in [*SAMPLE, "\x00", "9" * 30, "x" * 400, LONG_LINKS]:
        calls = [
            (
                GIG_FORM_FIELDS,
                lambda: gigs.create_gig(
                    session,
                    employer.manager,
                    make.gig_input(title=text, summary=text, scope=text, location=text, questions=[text]),
                    publish=False,
                ),
            ),
            (("body",), lambda: engagements.post_message(session, hired.student, hired.engagement.id, text)),
            (("note", "link", "files"), lambda: engagements.submit_deliverable(session, hired.student, hired.engagement.id, text, text)),
            (("skill_name", "skill_category"), lambda: profiles.add_skill(session, staff, text, text)),
            (
                STUDENT_PROFILE_FIELDS,
                lambda: profiles.update_student_profile(session, student, StudentProfileInput(links=text, school=text, interests=text)),
            ),
            (
                ("note", "sample_links"),
                lambda: applications.apply(
                    session, student, gig.id, ApplicationInput(note="I know this work well.", sample_links=text.split("\n"))
                ),
            ),
            (AUDIT_FIELDS, lambda: audit_log.search(session, staff, subject_id=text, subject_type=text)),
            (("handle",), lambda: portfolio.save_settings(session, student, text, True)),
            (("term",), lambda: moderation.add_term(session, staff, text)),
            ((), lambda: gigs.list_board(session, filters=search.BoardQuery.from_params({"q": text, "employer": text, "skills": text}))),
        ]
        for fields, call in calls:
            with trial(session):
                attempt(session, fields, call)

"""The public portfolio: opt-in, a safe handle that no one else holds, and a public record
with finished gigs, credentials, endorsements and ratings but no email or pedigree."""

import dataclasses
import json

import pytest
from sqlmodel import select

from microgigs.models import AuditEvent, Portfolio, StudentProfile, utcnow
from microgigs.services import credentials, engagements, evidence, portfolio, reviews
from microgigs.services.errors import NotAllowed, NotFound
from microgigs.services.reviews import ReviewInput
from microgigs.services.validation import ValidationFailed


@pytest.fixture
def finished(session, make):
    """A student (with pedigree on file) whose gig was approved and both reviews are in."""
    student = make.student("Ada Lovelace", "ada@example.edu", school="Hidden College", major="Secret Studies", graduation_year=2027)
    profile = session.get(StudentProfile, student.id)
    profile.first_generation = True
    session.add(profile)
    hired = make.hired(student=student, title="Survey cleanup")  # the gig asks for Python and SQL
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    reviews.write_review(
        session, hired.employer.manager, hired.engagement.id, ReviewInput([5, 4, 5], "Careful work", "Would hire", ["Python"])
    )
    reviews.write_review(session, student, hired.engagement.id, ReviewInput([4, 5, 5, 5]))
    return hired


def _stored(session, user_id):
    session.expire_all()
    return session.get(Portfolio, user_id)


@pytest.mark.parametrize(
    "handle, says",
    [
        ("", "Choose a handle"),
        ("ab", "Use 3 to 30 characters"),
        ("a" * 31, "Use 3 to 30 characters"),
        ("ada lovelace", "lower-case letters, digits and single hyphens"),
        ("ada_lovelace", "lower-case letters, digits and single hyphens"),
        ("-ada", "lower-case letters, digits and single hyphens"),
        ("ada-", "lower-case letters, digits and single hyphens"),
        ("ada--l", "lower-case letters, digits and single hyphens"),
        ("9lives", "lower-case letters, digits and single hyphens"),
        ("ädä", "lower-case letters, digits and single hyphens"),
        ("../etc", "lower-case letters, digits and single hyphens"),
        ("<script>", "lower-case letters, digits and single hyphens"),
        ("admin", "is reserved"),
        ("Staff", "is reserved"),
        ("api", "is reserved"),
        ("career-center", "is reserved"),
        ("sign-in", "is reserved"),
    ],
)
def test_an_unsafe_handle_is_refused_next_to_the_field_and_nothing_is_stored(session, make, handle, says):
    student = make.student()
    with pytest.raises(ValidationFailed) as refused:
        portfolio.save_settings(session, student, handle, True)
    assert set(refused.value.errors) == {"handle"} and says in refused.value.errors["handle"]
    assert _stored(session, student.id) is None


def test_a_taken_handle_is_refused_whatever_its_case(session, make):
    first, second = make.student(), make.student()
    portfolio.save_settings(session, first, "ada-l", True)
    with pytest.raises(ValidationFailed, match="taken") as refused:
        portfolio.save_settings(session, second, "  Ada-L ", True)
    assert set(refused.value.errors) == {"handle"}
    assert _stored(session, second.id) is None
    # Saving your own handle again is not "taken"; changing it frees the old one.
    portfolio.save_settings(session, first, "ada-l", False)
    portfolio.save_settings(session, first, "ada-2", True)
    assert portfolio.save_settings(session, second, "ada-l", True).handle == "ada-l"


def test_only_students_keep_a_portfolio(session, make):
    manager = make.employer().manager
    with pytest.raises(NotAllowed):
        portfolio.save_settings(session, manager, "boss", True)
    with pytest.raises(NotAllowed):
        portfolio.settings_of(session, make.staff())


def test_private_by_default_and_a_private_handle_looks_like_an_unknown_one(session, make, finished):
    student = finished.student
    assert portfolio.settings_of(session, student) == portfolio.PortfolioSettings(handle="", is_public=False, share_url="")
    saved = portfolio.save_settings(session, student, "ada", False)
    assert saved.share_url == "http://localhost:3000/p/ada" and not saved.is_public
    with pytest.raises(NotFound) as private:
        portfolio.public_portfolio(session, "ada")
    with pytest.raises(NotFound) as unknown:
        portfolio.public_portfolio(session, "nobody-here")
    assert private.value.message == unknown.value.message
    portfolio.save_settings(session, student, "ada", True)
    assert portfolio.public_portfolio(session, "ADA").name == "Ada Lovelace"
    actions = [e.action for e in session.exec(select(AuditEvent).where(AuditEvent.action == "portfolio.saved"))]
    assert len(actions) == 2  # made private, then public


def test_the_public_page_lists_work_credentials_endorsements_and_ratings_without_pedigree(session, make, finished):
    portfolio.save_settings(session, finished.student, "ada", True)
    page = portfolio.public_portfolio(session, "ada")
    [gig] = page.gigs
    credential = credentials.engagement_credential(session, finished.engagement.id)
    assert gig.title == "Survey cleanup" and gig.employer == finished.employer.org.name
    assert gig.credential_url == f"/verify?id={credential.public_id}"
    assert gig.evidence_url == f"/evidence/{credential.public_id}"
    assert gig.skills == ["Python", "SQL"] and gig.rating == "4.7 of 5"
    assert page.average_rating == "4.7 of 5 from 1 review"
    assert [(e.skill, e.count) for e in page.endorsements] == [("Python", 1)]
    assert not gig.deliverables_shown and gig.files == []
    everything = json.dumps(dataclasses.asdict(page))
    for secret in ("ada@example.edu", "Hidden College", "Secret Studies", "2027", "Would hire"):
        assert secret not in everything, secret


def test_a_review_still_blind_and_a_revoked_credential_stay_off_the_page(session, make):
    student = make.student()
    hired = make.hired(student=student, title="Blind one")
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    reviews.write_review(session, hired.employer.manager, hired.engagement.id, ReviewInput([1, 1, 1], "", "", ["SQL"]))
    portfolio.save_settings(session, student, "blind", True)
    [gig] = portfolio.public_portfolio(session, "blind").gigs
    assert gig.rating == "" and portfolio.public_portfolio(session, "blind").endorsements == []  # not published yet

    credentials.revoke(session, make.staff(), credentials.engagement_credential(session, hired.engagement.id).public_id, "Copied work")
    assert portfolio.public_portfolio(session, "blind").gigs == []


def test_a_deleted_account_has_no_public_page(session, make, finished):
    portfolio.save_settings(session, finished.student, "ada", True)
    finished.student.deleted_at = utcnow()
    session.add(finished.student)
    with pytest.raises(NotFound):
        portfolio.public_portfolio(session, "ada")


def test_deliverables_show_only_when_the_employer_allows_and_the_student_chooses(session, make, finished):
    portfolio.save_settings(session, finished.student, "ada", True)
    eid = finished.engagement.id
    evidence.set_student_choice(session, finished.student, eid, True)
    assert not portfolio.public_portfolio(session, "ada").gigs[0].deliverables_shown
    evidence.set_employer_permission(session, finished.employer.manager, eid, True)
    [gig] = portfolio.public_portfolio(session, "ada").gigs
    assert gig.deliverables_shown and gig.deliverable_link == "https://example.com/work"
    assert [w.student_shows and w.employer_allows for w in portfolio.finished_work(session, finished.student)] == [True]

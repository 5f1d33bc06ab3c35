"""Two-way, double-blind reviews: who may write, when each side sees the other's."""

from datetime import timedelta

import pytest
from sqlmodel import select

from microgigs.models import Review, utcnow
from microgigs.services import engagements, reviews
from microgigs.services.errors import DomainError, NotAllowed, NotFound
from microgigs.services.reviews import ReviewInput
from microgigs.services.validation import ValidationFailed


@pytest.fixture
def finished(session, make):
    hired = make.hired()  # the gig asks for Python and SQL
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    return hired


def test_neither_side_sees_the_other_until_both_are_in(session, finished):
    manager, student, eid = finished.employer.manager, finished.student, finished.engagement.id
    reviews.write_review(session, manager, eid, ReviewInput([5, 4, 5], "Careful work", "Would hire", ["Python"]))
    student_view = reviews.reviews_page(session, student, eid)
    assert student_view.theirs is None and student_view.theirs_waiting and student_view.can_write
    reviews.write_review(session, student, eid, ReviewInput([4, 5, 5, 5], "Clear brief"))
    student_view = reviews.reviews_page(session, student, eid)
    manager_view = reviews.reviews_page(session, manager, eid)
    assert student_view.theirs.comment == "Careful work" and student_view.theirs.endorsed_skills == ["Python"]
    assert [r.stars for r in student_view.theirs.ratings] == [5, 4, 5]
    assert manager_view.theirs.comment == "Clear brief" and len(manager_view.theirs.ratings) == 4
    assert not student_view.can_write and not manager_view.can_write


def test_a_lone_review_is_published_after_fourteen_days(session, finished):
    review = reviews.write_review(session, finished.student, finished.engagement.id, ReviewInput([3, 3, 4, 5]))
    manager = finished.employer.manager
    assert reviews.reviews_page(session, manager, finished.engagement.id).theirs is None
    later = review.created_at + timedelta(days=reviews.BLIND_DAYS)
    assert reviews.reviews_page(session, manager, finished.engagement.id, now=later).theirs is not None
    org = finished.employer.org.id
    assert reviews.employer_rating(session, org).count == 0
    assert reviews.employer_rating(session, org, now=later).average == 3.8


def test_a_second_review_from_the_same_side_is_refused(session, make, finished):
    reviews.write_review(session, finished.employer.manager, finished.engagement.id, ReviewInput([5, 5, 5]))
    colleague = make.second_manager(finished.employer)
    with pytest.raises(DomainError, match="already in"):
        reviews.write_review(session, colleague, finished.engagement.id, ReviewInput([1, 1, 1]))
    with pytest.raises(DomainError, match="already in"):
        reviews.write_review(session, finished.employer.manager, finished.engagement.id, ReviewInput([1, 1, 1]))
    # Nothing stored by the refusals: the first review stands as written.
    assert [(r.author_id, r.rating_1) for r in session.exec(select(Review))] == [(finished.employer.manager.id, 5)]


def test_outsiders_cannot_review_or_read(session, make, finished):
    for outsider in (make.student(), make.employer().manager, make.staff()):
        with pytest.raises(NotFound):
            reviews.write_review(session, outsider, finished.engagement.id, ReviewInput([5, 5, 5]))
        with pytest.raises(NotFound):
            reviews.reviews_page(session, outsider, finished.engagement.id)
    assert session.exec(select(Review)).all() == []  # nothing stored


def test_reviews_wait_for_the_engagement_to_end(session, make):
    hired = make.hired()
    with pytest.raises(DomainError, match="once the engagement has ended"):
        reviews.write_review(session, hired.student, hired.engagement.id, ReviewInput([5, 5, 5, 5]))
    assert reviews.reviews_page(session, hired.student, hired.engagement.id).why_not


@pytest.mark.parametrize(
    ("who", "data", "field"),
    [
        ("student", ReviewInput([5, 5, 5]), "ratings"),  # four questions for the employer
        ("manager", ReviewInput([6, 5, 5]), "ratings"),
        ("manager", ReviewInput([0, 5, 5]), "ratings"),
        ("manager", ReviewInput([5, 5, 5], comment="x" * 1001), "comment"),
        ("manager", ReviewInput([5, 5, 5], private_note="y" * 201), "private_note"),
        ("manager", ReviewInput([5, 5, 5], endorsed_skills=["Figma"]), "endorsed_skills"),
        ("student", ReviewInput([5, 5, 5, 5], endorsed_skills=["Python"]), "endorsed_skills"),
    ],
)
def test_bad_input_is_refused_per_field_and_nothing_is_stored(session, finished, who, data, field):
    actor = finished.student if who == "student" else finished.employer.manager
    with pytest.raises(ValidationFailed) as refused:
        reviews.write_review(session, actor, finished.engagement.id, data)
    assert field in refused.value.errors
    assert reviews.reviews_page(session, actor, finished.engagement.id).mine is None


def test_private_notes_reach_staff_only(session, make, finished):
    reviews.write_review(session, finished.student, finished.engagement.id, ReviewInput([4, 4, 4, 4], private_note="Late reply once"))
    assert reviews.private_notes(session, make.staff()) == [(finished.engagement.id, "employer", "Late reply once")]
    with pytest.raises(NotAllowed):
        reviews.private_notes(session, finished.employer.manager)
    # The other side never sees the private note.
    later = utcnow() + timedelta(days=reviews.BLIND_DAYS)
    assert "Late reply" not in repr(reviews.reviews_page(session, finished.employer.manager, finished.engagement.id, now=later))


def test_endorsements_count_once_published(session, finished):
    reviews.write_review(
        session, finished.employer.manager, finished.engagement.id, ReviewInput([5, 5, 5], endorsed_skills=["SQL", "Python"])
    )
    assert reviews.student_endorsements(session, finished.student.id) == {}
    reviews.write_review(session, finished.student, finished.engagement.id, ReviewInput([5, 5, 5, 5]))
    assert reviews.student_endorsements(session, finished.student.id) == {"Python": 1, "SQL": 1}

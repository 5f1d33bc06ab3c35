"""The workspace, its disputes and reviews in the viewer's language: days, moments (in the
viewer's zone, named) and amounts written as Spanish writes them, the services' messages
translated where they are shown."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from microgigs import i18n
from microgigs.services import dashboards, disputes, engagements, milestones, reviews
from microgigs.services.errors import DomainError
from microgigs.services.reviews import ReviewInput
from microgigs.services.validation import ValidationFailed

SPANISH_DAY = r"\d{1,2} [a-z]{3} \d{4}"


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_the_workspace_writes_days_moments_and_money_for_the_viewer(session, make):
    hired = make.hired()
    submission = make.submit(hired)
    submission.created_at = datetime(2026, 12, 26, 16, 0, tzinfo=UTC)
    session.add(submission)
    milestones.add_milestone(session, hired.employer.manager, hired.engagement.id, "Data cleaned", date.today() + timedelta(days=2))
    session.flush()

    spanish = dashboards.engagement_view(session, hired.student, hired.engagement.id, language="es", tz_name="Europe/Madrid")
    assert _plain(spanish.pay) == "300,00 US$" and _plain(spanish.fee).endswith(" US$")
    assert spanish.due_date == i18n.format_date(hired.engagement.due_date, "es")
    assert re.fullmatch(SPANISH_DAY, spanish.due_date)
    assert _plain(spanish.submissions[0].submitted_at) == "26 dic 2026, 17:00 CET"
    assert spanish.milestones[0].due_date == i18n.format_date(date.today() + timedelta(days=2), "es")

    english = dashboards.engagement_view(session, hired.student, hired.engagement.id, language="en", tz_name="America/New_York")
    assert english.pay == "$300.00"
    assert _plain(english.submissions[0].submitted_at) == "Dec 26, 2026, 11:00 AM EST"


def test_the_dispute_page_writes_money_and_the_thread_for_the_viewer(session, make):
    hired = make.hired()
    make.submit(hired)
    dispute = disputes.open_dispute(session, hired.student, hired.engagement.id, "The brief changed twice after I started.")
    staff = make.staff()
    disputes.post_message(session, staff, dispute.id, "Both of you: please send the first brief.")
    view = disputes.dispute_view(session, hired.student, dispute.id, "es", "Europe/Madrid")
    assert _plain(view.pay) == "300,00 US$"
    assert view.currency_name == "dólares estadounidenses"
    assert view.messages[0].author.endswith("(centro de carreras)")
    assert re.fullmatch(rf"{SPANISH_DAY}, \d{{1,2}}:\d{{2}} (CET|CEST)", _plain(view.messages[0].written_at))


def test_the_services_messages_are_translated_where_shown(session, make):
    hired = make.hired()
    with pytest.raises(ValidationFailed) as refused:
        engagements.request_extension(session, hired.student, hired.engagement.id, hired.engagement.due_date, "")
    errors = i18n.translate_all("es", refused.value.errors)
    assert errors["new_due_date"].startswith("Elige una fecha posterior a la fecha de entrega actual")
    assert errors["reason"] == "Indica por qué debería cambiar la fecha."
    # English stays the text itself (logs, tests and English readers see it as before).
    assert refused.value.errors["reason"] == "Say why the date should move."

    make.submit(hired)
    with pytest.raises(DomainError) as newer:
        engagements.approve(session, hired.employer.manager, hired.engagement.id, expected_version=7)
    assert i18n.translate("es", newer.value.message) == "Llegó una versión más reciente (v1); revisa esa."


def test_the_review_page_asks_its_questions_in_the_viewers_language(session, make):
    hired = make.hired()
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    reviews.write_review(session, hired.employer.manager, hired.engagement.id, ReviewInput(ratings=[5, 4, 5]))
    page = reviews.reviews_page(session, hired.employer.manager, hired.engagement.id, language="es")
    assert page.mine is not None and [r.question for r in page.mine.ratings] == ["Calidad del trabajo", "Puntualidad", "Comunicación"]
    assert re.fullmatch(SPANISH_DAY, page.mine.written_on)
    student_page = reviews.reviews_page(session, hired.student, hired.engagement.id, language="es")
    assert student_page.questions == ["Claridad del alcance", "Comunicación", "Equidad", "Pagó a tiempo"]

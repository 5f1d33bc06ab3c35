"""What a service says inside its messages reads in the reader's language too (issue 19 point 3):
the status a refusal quotes, the numbers, days and amounts it names, and several rule problems
shown as one line. English readers keep the words they always had."""

import pickle
from datetime import date, timedelta

import pytest

from microgigs import i18n
from microgigs.services import engagements, moderation, organizations, statuses
from microgigs.services.engagement_lifecycle import move_engagement
from microgigs.services.errors import DomainError
from microgigs.services.statuses import EngagementStatus
from microgigs.services.validation import ValidationFailed


def _plain(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_every_status_of_every_lifecycle_has_words_in_both_languages():
    spanish = i18n.catalog("es")
    for enum in (statuses.GigStatus, statuses.ApplicationStatus, statuses.EngagementStatus, statuses.PaymentState):
        for status in enum:
            words = statuses.status_words(status)
            assert isinstance(words, i18n.Text), f"{enum.__name__}.{status.name} has no words for messages"
            assert "_" not in words and words.msgid in spanish, f"{status} is not translated"


def test_a_refused_move_quotes_both_statuses_in_spanish(session, make):
    hired = make.hired()
    make.submit(hired)  # submitted: it cannot jump to paid
    with pytest.raises(DomainError) as refused:
        move_engagement(session, hired.employer.manager, hired.engagement, EngagementStatus.PAID)
    assert refused.value.message == "An engagement that is submitted cannot become paid."
    assert i18n.translate("es", refused.value.message) == "Un encargo en estado «enviado» no puede pasar a «pagado»."
    with pytest.raises(DomainError) as refused:
        move_engagement(session, hired.employer.manager, hired.engagement, EngagementStatus.CHANGES_REQUESTED)
        move_engagement(session, hired.employer.manager, hired.engagement, EngagementStatus.FUNDING)
    assert i18n.translate("es", refused.value.message) == "Un encargo en estado «cambios solicitados» no puede pasar a «en financiación»."


def test_an_employers_status_is_named_in_spanish(session, make):
    employer = make.employer()  # approved
    with pytest.raises(DomainError) as refused:
        organizations.reject(session, make.staff(), employer.org.id, "Not a real company")
    assert i18n.translate("es", refused.value.message).endswith(f"el estado de {employer.org.name} es aprobado.")


def test_a_day_inside_a_message_is_written_for_the_reader(session, make):
    hired = make.hired()
    due = hired.engagement.due_date
    with pytest.raises(ValidationFailed) as refused:
        engagements.request_extension(session, hired.student, hired.engagement.id, due - timedelta(days=1), "More time")
    said = refused.value.errors["new_due_date"]
    assert str(said) == f"Choose a date after the current due date ({i18n.format_date(due, 'en')})."
    assert i18n.translate("es", said) == f"Elige una fecha posterior a la fecha de entrega actual ({i18n.format_date(due, 'es')})."
    assert due.isoformat() not in said


def test_numbers_and_amounts_inside_messages_are_written_the_readers_way():
    assert i18n.translate("es", i18n.msg("Use at most {count} characters.", count=i18n.Number(5000))) == "Usa como máximo 5.000 caracteres."
    assert i18n.translate("en", i18n.msg("Use at most {count} characters.", count=i18n.Number(5000))) == "Use at most 5,000 characters."
    amount = i18n.Money("$1,234.50", 123_450, "usd")
    assert (i18n.translate("en", amount), _plain(i18n.translate("es", amount))) == ("$1,234.50", "1.234,50 US$")
    day = i18n.Day(date(2026, 12, 26))
    assert (str(day), i18n.translate("es", day)) == ("Dec 26, 2026", "26 dic 2026")


def test_messages_with_written_values_survive_a_pickle():
    """States are pickled (to Redis with several workers): a message must come back whole."""
    said = i18n.msg("Choose a date after the current due date ({date}).", date=i18n.Day(date(2026, 12, 26)))
    back = pickle.loads(pickle.dumps(said))
    assert i18n.translate("es", back) == i18n.translate("es", said)
    for value in (i18n.Number(12_000), i18n.Money("$3.00", 300, "usd"), i18n.CurrencyName("euros", "eur")):
        assert pickle.loads(pickle.dumps(value)).in_language("es") == value.in_language("es")


def test_the_review_queue_writes_pay_dates_and_joined_problems_for_the_reader(session, make):
    gig = make.gig(make.employer(trusted=False), title="Survey clean-up")  # untrusted: waits for review
    staff = make.staff()
    # Two date problems at once (the deadline after the due date, the due date past): one line.
    gig.application_deadline = gig.due_date + timedelta(days=1)
    later = gig.due_date + timedelta(days=2)
    [item] = [i for i in moderation.review_queue(session, staff, today=later) if i.gig_id == gig.id]
    assert str(item.due_date) == i18n.format_date(gig.due_date, "en") != gig.due_date.isoformat()
    assert i18n.translate("es", item.due_date) == i18n.format_date(gig.due_date, "es")
    assert _plain(i18n.translate("es", item.pay)) == "300,00 US$"
    [dates] = [c for c in item.checks if c.rule == "Dates"]
    assert not dates.passed
    problems = ("The due date must be in the future.", "The application deadline cannot be in the past.")
    assert dates.detail == " ".join(problems)
    assert i18n.translate("es", dates.detail) == " ".join(i18n.gettext("es", problem) for problem in problems)


def test_the_employer_vetting_list_writes_the_sign_up_day_for_the_reader(session, make):
    pending = make.employer("Nueva Co", status="pending")
    [row] = [r for r in organizations.vetting_queue(session, make.staff()) if r.organization_id == pending.org.id]
    signed_up = pending.org.created_at.date()
    assert (str(row.created_at), i18n.translate("es", row.created_at)) == (
        i18n.format_date(signed_up, "en"),
        i18n.format_date(signed_up, "es"),
    )

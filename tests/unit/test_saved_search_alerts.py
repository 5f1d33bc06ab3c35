"""Saved searches and their alerts (issue 19 point 5): a student keeps a board search and hears of
new open gigs that match it, at once or once a day, never twice and never of a gig that is not
open on the board; the weekly digest is opt-in; every bulk mail carries a one-click unsubscribe
whose token is stored hashed and turns off that kind of mail for that person only."""

from datetime import timedelta

import pytest
from sqlmodel import select

from microgigs.integrations import mail
from microgigs.models import (
    Gig,
    MailPreference,
    Notification,
    OutboxMail,
    SavedSearch,
    SearchAlert,
    StudentSkill,
    UnsubscribeToken,
    utcnow,
)
from microgigs.services import account_security, alerts, digest, gigs, mail_preferences, mail_queue, notifications
from microgigs.services.errors import DomainError, NotAllowed, NotFound
from microgigs.services.gigs import move_gig
from microgigs.services.statuses import GigStatus
from microgigs.services.validation import ValidationFailed

SURVEY = {"q": "survey", "category": "Data analysis", "page": "3", "sort": "pay"}


def alerts_of(session, user) -> list[Notification]:
    return list(session.exec(select(Notification).where(Notification.user_id == user.id, Notification.kind == "search.alert")))


def mails_to(session, user, kind: str) -> list[OutboxMail]:
    return list(session.exec(select(OutboxMail).where(OutboxMail.to_address == user.email, OutboxMail.list_kind == kind)))


# --- saving ----------------------------------------------------------------------------------------


def test_a_student_saves_the_boards_words_and_filters_without_page_or_sort(session, make):
    student = make.student()
    saved = alerts.save_search(session, student, SURVEY, "", "daily")
    assert saved.name == "survey"  # prefilled from the words
    assert saved.board_url == "/?q=survey&category=Data+analysis" and saved.frequency_text == "Once a day"
    [row] = alerts.my_searches(session, student)
    assert row.id == saved.id
    assert alerts.set_frequency(session, student, saved.id, "instant").frequency == "instant"
    alerts.delete_search(session, student, saved.id)
    assert alerts.my_searches(session, student) == []


def test_only_students_save_searches_and_only_their_own_are_theirs(session, make):
    student, other = make.student(), make.student()
    saved = alerts.save_search(session, student, SURVEY, "Surveys", "instant")
    for nobody in (None, make.employer().manager, make.staff()):
        with pytest.raises(NotAllowed):
            alerts.save_search(session, nobody, SURVEY, "Surveys", "instant")
        with pytest.raises(NotAllowed):
            alerts.my_searches(session, nobody)
    with pytest.raises(NotFound):
        alerts.set_frequency(session, other, saved.id, "daily")
    with pytest.raises(NotFound):
        alerts.delete_search(session, other, saved.id)
    assert session.get(SavedSearch, saved.id).frequency == "instant"


def test_bad_input_is_refused_by_field_and_the_cap_holds(session, make):
    student = make.student()
    with pytest.raises(ValidationFailed) as refused:
        alerts.save_search(session, student, SURVEY, "x" * 81, "hourly")
    assert set(refused.value.errors) == {"name", "frequency"}
    with pytest.raises(DomainError) as refused:
        alerts.set_frequency(session, student, alerts.save_search(session, student, {}, "All", "instant").id, "weekly")
    assert refused.value.field == "frequency"
    for n in range(alerts.MAX_SEARCHES - 1):
        alerts.save_search(session, student, {"q": f"w{n}"}, "", "daily")
    with pytest.raises(DomainError, match="up to 20"):
        alerts.save_search(session, student, SURVEY, "One too many", "daily")
    assert len(alerts.my_searches(session, student)) == alerts.MAX_SEARCHES


# --- instant alerts --------------------------------------------------------------------------------


def test_an_instant_search_hears_of_a_matching_gig_when_it_opens_and_never_twice(session, make):
    student, employer = make.student(), make.employer(trusted=True)
    alerts.save_search(session, student, {"q": "survey"}, "Surveys", "instant")
    draft = make.gig(employer, publish=False)
    assert alerts_of(session, student) == []  # a draft is not on the board
    make.gig(employer, title="Design a poster", summary="A poster for a fair.", skills=["Figma"])  # does not match
    assert alerts_of(session, student) == []

    opened = make.gig(employer)  # a trusted employer's gig opens at once
    [note] = alerts_of(session, student)
    assert note.title == "New gig for “Surveys”: Clean a survey data set" and note.link == f"/gigs/{opened.id}"
    [sent] = mails_to(session, student, "alerts")
    assert sent.recipient_id == student.id and f"/gigs/{opened.id}" in sent.text_body
    # A retry, or a second worker, finds it already told.
    assert alerts.gig_opened(session, opened) == 0
    assert len(alerts_of(session, student)) == 1 and len(mails_to(session, student, "alerts")) == 1
    assert session.get(SearchAlert, (alerts.my_searches(session, student)[0].id, opened.id)) is not None
    assert draft.status == GigStatus.DRAFT


def test_a_gig_staff_approve_alerts_the_instant_search_it_matches(session, make):
    student, employer = make.student(), make.employer(trusted=False)
    alerts.save_search(session, student, {"skills": "SQL"}, "SQL gigs", "instant")
    gig = make.gig(employer)
    assert gig.status == GigStatus.IN_REVIEW and alerts_of(session, student) == []
    gigs.approve_gig(session, make.staff(), gig.id)
    assert [n.link for n in alerts_of(session, student)] == [f"/gigs/{gig.id}"]


def test_alert_mail_can_be_turned_off_and_the_in_app_alert_stays(session, make):
    student, employer = make.student(), make.employer()
    alerts.save_search(session, student, {"q": "survey"}, "Surveys", "instant")
    session.add(MailPreference(user_id=student.id, alert_mail=False))
    make.gig(employer)
    assert len(alerts_of(session, student)) == 1 and mails_to(session, student, "alerts") == []


# --- daily alerts ----------------------------------------------------------------------------------


def test_the_daily_job_lists_new_open_gigs_once_and_leaves_out_one_closed_before_it_ran(session, make):
    student, employer = make.student(), make.employer()
    saved = alerts.save_search(session, student, {"q": "survey"}, "Surveys", "daily")
    kept = make.gig(employer, title="Survey cleanup for a lab")
    closed = make.gig(employer, title="Survey coding, closed early")
    move_gig(session, employer.manager, closed, GigStatus.CANCELLED)
    assert alerts_of(session, student) == []  # daily: nothing at once
    now = utcnow() + timedelta(minutes=1)

    assert alerts.send_daily_alerts(session, now) == 1
    [note] = alerts_of(session, student)
    assert note.title == f"New gig for “Surveys”: {kept.title}"
    [sent] = mails_to(session, student, "alerts")
    assert kept.title in sent.text_body and closed.title not in sent.text_body and closed.title not in sent.html_body
    # Again the same day (another worker, a retry): nothing; the next day, nothing new: nothing.
    assert alerts.send_daily_alerts(session, now) == 0
    assert alerts.send_daily_alerts(session, now + timedelta(days=1)) == 0
    assert len(alerts_of(session, student)) == 1
    assert session.get(SavedSearch, saved.id).checked_at is not None


def test_nothing_is_sent_when_every_new_gig_closed_before_the_daily_job(session, make):
    student, employer = make.student(), make.employer()
    alerts.save_search(session, student, {"q": "survey"}, "Surveys", "daily")
    gig = make.gig(employer)
    move_gig(session, employer.manager, gig, GigStatus.CANCELLED)
    assert alerts.send_daily_alerts(session, utcnow() + timedelta(minutes=1)) == 0
    assert alerts_of(session, student) == [] and mails_to(session, student, "alerts") == []


def test_the_daily_job_names_several_gigs_in_one_notification(session, make):
    student, employer = make.student(), make.employer()
    alerts.save_search(session, student, {"skills": "Python"}, "Python", "daily")
    first, second = make.gig(employer), make.gig(employer, title="Survey weights in Python")
    assert alerts.send_daily_alerts(session, utcnow() + timedelta(minutes=1)) == 1
    [note] = alerts_of(session, student)
    assert note.title == "2 new gigs for “Python”" and note.link == "/?skills=Python"
    [sent] = mails_to(session, student, "alerts")
    assert first.title in sent.text_body and second.title in sent.text_body


# --- weekly digest ---------------------------------------------------------------------------------


def test_the_weekly_digest_is_off_for_new_accounts_and_sent_once_a_week_when_on(session, make):
    student, employer = make.student(), make.employer()
    session.add(StudentSkill(user_id=student.id, skill_id=make.skills[0].id))  # Python
    make.gig(employer)
    now = utcnow()
    assert mail_preferences.my_choices(session, student).weekly_digest is False
    assert digest.send_weekly_digests(session, now) == 0

    assert mail_preferences.set_weekly_digest(session, student, True).weekly_digest is True
    assert digest.send_weekly_digests(session, now) == 1
    [sent] = mails_to(session, student, "digest")
    assert "Clean a survey data set" in sent.text_body and "1 of 2 skills" in sent.text_body
    assert digest.send_weekly_digests(session, now + timedelta(days=3)) == 0
    assert digest.send_weekly_digests(session, now + timedelta(days=8)) == 1


def test_no_digest_when_nothing_is_recommended_and_only_students_opt_in(session, make):
    student = make.student()
    mail_preferences.set_weekly_digest(session, student, True)
    assert digest.send_weekly_digests(session, utcnow()) == 0 and mails_to(session, student, "digest") == []
    for nobody in (None, make.employer().manager, make.staff()):
        with pytest.raises(NotAllowed):
            mail_preferences.set_weekly_digest(session, nobody, True)
    with pytest.raises(NotAllowed):
        mail_preferences.my_choices(session, None)


# --- one-click unsubscribe -------------------------------------------------------------------------


def leaving(session, row: OutboxMail):
    assert mail_queue.claim(session, row.id)
    return mail_queue.prepare(session, row.id)


def test_bulk_mail_leaves_with_list_unsubscribe_and_its_token_is_stored_hashed(session, make, set_setting):
    set_setting("public_url", "https://gigs.uni.test")
    student = make.student()
    notifications.notify(session, student.id, "test", "Your work was approved", "/engagements/7", email=True)
    session.flush()
    [row] = mails_to(session, student, "notifications")
    outgoing = leaving(session, row)
    assert outgoing.unsubscribe_url.startswith("https://gigs.uni.test/unsubscribe/")
    raw = outgoing.unsubscribe_url.rsplit("/", 1)[1]
    [token] = session.exec(select(UnsubscribeToken)).all()
    assert token.user_id == student.id and token.kind == "notifications" and raw not in token.token_hash and len(raw) >= 40
    assert outgoing.unsubscribe_url in outgoing.text_body and raw not in row.text_body  # only in what leaves
    message = mail.build_message(outgoing)
    assert message["List-Unsubscribe"] == f"<{outgoing.unsubscribe_url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    assert mail_preferences.describe(session, raw) == "email copies of your notifications"
    assert mail_preferences.unsubscribe(session, raw) == "email copies of your notifications"
    assert mail_preferences.wants(session, student.id, "notifications") is False
    notifications.notify(session, student.id, "test", "Another", "/x", email=True)
    session.flush()
    assert len(mails_to(session, student, "notifications")) == 1  # no new mail; the notification is there
    assert session.exec(select(Notification).where(Notification.title == "Another")).one()
    # Someone else's mail is not touched.
    other = make.student()
    assert mail_preferences.wants(session, other.id, "notifications") is True


def test_a_link_that_is_not_one_turns_nothing_off(session, make):
    make.student()
    for raw in ("", "nope", "x" * 500):
        with pytest.raises(NotFound):
            mail_preferences.unsubscribe(session, raw)
        with pytest.raises(NotFound):
            mail_preferences.describe(session, raw)
    assert session.exec(select(MailPreference)).all() == []


def test_mail_that_must_arrive_carries_no_unsubscribe(session, make):
    student = make.student()
    account_security.request_password_reset(session, student.email)
    session.flush()
    row = session.exec(select(OutboxMail).where(OutboxMail.to_address == student.email)).one()
    assert row.list_kind is None
    outgoing = leaving(session, row)
    assert outgoing.unsubscribe_url == "" and "List-Unsubscribe" not in mail.build_message(outgoing)
    assert session.exec(select(Gig)).all() == []


def test_each_person_sets_their_own_mail_choices_and_alerts_and_the_digest_are_students(session, make):
    student, manager = make.student(), make.employer().manager
    assert mail_preferences.set_choice(session, student, "alerts", False).alert_mail is False
    assert mail_preferences.set_choice(session, student, "alerts", True).alert_mail is True
    assert mail_preferences.set_choice(session, manager, "notifications", False).notification_mail is False
    with pytest.raises(NotAllowed):
        mail_preferences.set_choice(session, None, "notifications", False)
    for kind in ("alerts", "digest"):
        with pytest.raises(NotAllowed):
            mail_preferences.set_choice(session, manager, kind, True)
    with pytest.raises(DomainError) as refused:
        mail_preferences.set_choice(session, student, "everything", False)
    assert refused.value.field == "kind"
    assert mail_preferences.wants(session, student.id, "notifications") is True  # someone else's choice is theirs


def test_bulk_mail_queued_before_its_kind_was_turned_off_is_not_sent(session, make):
    student = make.student()
    notifications.notify(session, student.id, "test", "Your work was approved", "/engagements/7", email=True)
    session.flush()
    [row] = mails_to(session, student, "notifications")
    mail_preferences.set_choice(session, student, "notifications", False)
    assert leaving(session, row) is None
    assert row.status == "cancelled" and row.last_error == mail_queue.TURNED_OFF

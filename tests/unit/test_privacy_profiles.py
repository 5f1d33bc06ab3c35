"""Data export, account deletion (anonymized), profiles, photos, the skill list and the audit log."""

import json
from zoneinfo import available_timezones

import pytest
from sqlmodel import select

from microgigs.models import (
    Application,
    AuthSession,
    LedgerEntry,
    MailPreference,
    SavedSearch,
    SearchAlert,
    StudentProfile,
    StudentSkill,
    UnsubscribeToken,
    User,
)
from microgigs.services import accounts, alerts, audit_log, mail_preferences, payments, privacy, profiles
from microgigs.services.errors import DomainError, NotAllowed, NotFound
from microgigs.services.profiles import StudentProfileInput
from microgigs.services.validation import ValidationFailed

PASSWORD = "correct horse battery staple"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_export_holds_the_students_data_and_no_secrets(session, make):
    student = make.student(school="State U")
    make.apply(student, make.gig(make.employer()))
    token = accounts.start_session(session, student)
    data = json.loads(json.dumps(privacy.export_user_data(session, student), default=str))
    assert data["account"]["email"] == student.email
    assert data["profile"]["school"] == "State U"
    assert len(data["applications"]) == 1
    text = json.dumps(data)
    assert "password_hash" not in text and "token_hash" not in text and token not in text
    with pytest.raises(NotAllowed):
        privacy.export_user_data(session, None)


def test_delete_account_anonymizes_but_keeps_engagements_and_ledger(session, make):
    hired = make.hired()
    payments.current_gateway()  # the demo gateway
    make.submit(hired)
    from microgigs.services import engagements

    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    student = hired.student
    other_gig = make.gig(hired.employer)
    open_application = make.apply(student, other_gig)
    accounts.start_session(session, student)
    ledger_before = len(session.exec(select(LedgerEntry)).all())

    privacy.delete_account(session, student, PASSWORD)

    user = session.get(User, student.id)
    assert user.email.endswith("@deleted.invalid") and user.display_name == "Deleted account"
    assert not user.is_active and user.password_hash == "" and user.deleted_at is not None
    assert session.get(StudentProfile, student.id) is None
    assert session.exec(select(StudentSkill).where(StudentSkill.user_id == student.id)).all() == []
    assert session.exec(select(AuthSession).where(AuthSession.user_id == student.id, AuthSession.revoked_at.is_(None))).all() == []
    assert session.get(Application, open_application.id).status == "withdrawn"
    assert len(session.exec(select(LedgerEntry)).all()) == ledger_before
    with pytest.raises(DomainError):
        accounts.authenticate(session, hired.student.email, PASSWORD)


def test_delete_account_refusals(session, make):
    hired = make.hired()  # funded, not finished
    with pytest.raises(ValidationFailed, match="work in progress"):
        privacy.delete_account(session, hired.student, PASSWORD)
    student = make.student()
    with pytest.raises(ValidationFailed) as wrong:
        privacy.delete_account(session, student, "not my password")
    assert "delete_password" in wrong.value.errors
    with pytest.raises(NotAllowed):
        privacy.delete_account(session, hired.employer.manager, PASSWORD)
    with pytest.raises(NotAllowed):
        privacy.delete_account(session, None, PASSWORD)
    assert session.get(User, student.id).is_active


def test_student_profile_saves_and_refuses_bad_fields(session, make, today):
    student = make.student()
    profiles.update_student_profile(
        session,
        student,
        StudentProfileInput(
            skills=["Python", "SQL"],
            interests="Data",
            hours_per_week="12",
            timezone="Europe/Paris",
            links="https://github.com/me",
            school="State U",
            major="Math",
            graduation_year=str(today.year + 1),
        ),
    )
    view = profiles.profile_view(session, student)
    assert view.skills == ["Python", "SQL"] and view.hours_per_week == 12 and view.timezone == "Europe/Paris"
    assert view.school == "State U" and view.graduation_year == str(today.year + 1)
    with pytest.raises(ValidationFailed) as bad:
        profiles.update_student_profile(
            session,
            student,
            StudentProfileInput(skills=["Juggling"], hours_per_week="many", timezone="Mars/Base", links="ftp://x", graduation_year="1800"),
        )
    assert set(bad.value.errors) == {"skills", "hours_per_week", "timezone", "links", "graduation_year"}
    assert (
        bad.value.errors["timezone"]
        == "“Mars/Base” is not a time zone we know. Choose one from the list, like Europe/Paris or America/New_York."
    )
    assert profiles.profile_view(session, student).skills == ["Python", "SQL"]  # nothing half-written
    with pytest.raises(NotAllowed):
        profiles.update_student_profile(session, make.employer().manager, StudentProfileInput())


def test_manager_profile_and_refusals(session, make):
    manager = make.employer().manager
    profiles.update_manager_profile(session, manager, "Dana Boss", "Head of Data")
    assert (manager.display_name, manager.title) == ("Dana Boss", "Head of Data")
    with pytest.raises(ValidationFailed):
        profiles.update_manager_profile(session, manager, "", "x" * 101)
    with pytest.raises(NotAllowed):
        profiles.update_manager_profile(session, make.student(), "Name", "")


def test_photo_checks_type_bytes_and_size_and_is_served_to_signed_in_people(session, make):
    student = make.student()
    with pytest.raises(ValidationFailed, match="PNG, JPEG or WebP"):
        profiles.set_photo(session, student, "me.gif", b"GIF89a")
    with pytest.raises(ValidationFailed, match="not the image"):
        profiles.set_photo(session, student, "me.png", b"<script>")
    with pytest.raises(ValidationFailed, match="too large"):
        profiles.set_photo(session, student, "me.png", PNG + b"\x00" * profiles.MAX_PHOTO_BYTES)
    profiles.set_photo(session, student, "../../me.png", PNG)
    path, kind = profiles.photo_for(session, student, student.id)
    assert path.read_bytes() == PNG and kind == "image/png"
    assert path.parent == profiles.photo_store().root
    assert profiles.photo_for(session, make.staff(), student.id)[0] == path
    # Blind review: another student or a manager never sees a student's face; nobody signed out does.
    for other in (None, make.student(), make.employer().manager):
        with pytest.raises(NotFound):
            profiles.photo_for(session, other, student.id)
    manager = make.employer().manager
    profiles.set_photo(session, manager, "boss.jpg", b"\xff\xd8\xff" + b"\x00" * 10)
    assert profiles.photo_for(session, student, manager.id)[1] == "image/jpeg"


def test_staff_curate_the_skill_list(session, make):
    staff = make.staff()
    skill = profiles.add_skill(session, staff, "Data Visualization", "data")
    with pytest.raises(ValidationFailed, match="already on the list"):
        profiles.add_skill(session, staff, "data visualization")
    with pytest.raises(NotAllowed):
        profiles.add_skill(session, make.student(), "Knitting")
    python = session.exec(select(profiles.Skill).where(profiles.Skill.name == "Python")).one()
    make.gig(make.employer())  # uses Python
    with pytest.raises(DomainError, match="cannot be removed"):
        profiles.remove_skill(session, staff, python.id)
    profiles.remove_skill(session, staff, skill.id)
    assert "Data Visualization" not in [s.name for s in profiles.list_skills(session)]


def test_audit_log_is_for_staff_and_filters(session, make):
    staff = make.staff()
    student = make.student()
    rows = audit_log.search(session, staff, subject_type="user", subject_id=str(student.id))
    assert rows and all(r.subject == f"user {student.id} ({student.display_name} <{student.email}>)" for r in rows)
    assert all(student.email in r.actor for r in audit_log.search(session, staff, actor_email=student.email))
    with pytest.raises(ValidationFailed):
        audit_log.search(session, staff, subject_id="abc")
    with pytest.raises(NotAllowed):
        audit_log.search(session, student)


def test_time_zone_is_a_choice_from_the_iana_list(session, make):
    """The picker offers exactly the zones the service accepts, grouped by area; anything else
    (free text, an offset, a near miss) is refused next to the field, and nothing is saved."""
    groups = profiles.timezone_groups()
    offered = [zone for _area, zones in groups for zone in zones]
    assert set(offered) == set(available_timezones()) | {"UTC"} and len(offered) == len(set(offered))
    assert dict(groups)["Europe"][:2] == sorted(z for z in offered if z.startswith("Europe/"))[:2]
    assert groups[-1][0] == "Other" and "UTC" in dict(groups)["Other"]

    student = make.student()
    for zone in ("Asia/Kolkata", "America/Argentina/Buenos_Aires", "UTC"):
        profiles.update_student_profile(session, student, StudentProfileInput(timezone=zone))
        assert profiles.profile_view(session, student).timezone == zone
    for bad in ("europe/paris", "GMT+2", "Paris", "Europe/Paris; drop table", "x" * 500):
        with pytest.raises(ValidationFailed) as refused:
            profiles.update_student_profile(session, student, StudentProfileInput(timezone=bad, interests="changed"))
        assert "is not a time zone we know" in refused.value.errors["timezone"]
    assert profiles.profile_view(session, student).timezone == "UTC" and profiles.profile_view(session, student).interests == ""


def test_saved_searches_and_mail_choices_are_exported_and_deleted_with_the_account(session, make):
    student, employer = make.student(), make.employer(trusted=True)
    alerts.save_search(session, student, {"q": "survey"}, "Surveys", "instant")
    mail_preferences.set_weekly_digest(session, student, True)
    make.gig(employer)  # opens at once and is alerted: a SearchAlert row
    link = mail_preferences.unsubscribe_url(session, student.id, mail_preferences.ALERTS)
    raw = link.rsplit("/", 1)[1]

    data = json.loads(json.dumps(privacy.export_user_data(session, student), default=str))
    assert [s["name"] for s in data["saved_searches"]] == ["Surveys"]
    assert data["mail_choices"]["weekly_digest"] is True
    assert raw not in json.dumps(data)

    privacy.delete_account(session, student, PASSWORD)

    assert session.exec(select(SavedSearch).where(SavedSearch.user_id == student.id)).all() == []
    assert session.exec(select(SearchAlert)).all() == []
    assert session.get(MailPreference, student.id) is None
    assert session.exec(select(UnsubscribeToken).where(UnsubscribeToken.user_id == student.id)).all() == []
    with pytest.raises(NotFound):
        mail_preferences.unsubscribe(session, raw)
    # A gig opening later tells the deleted account nothing.
    assert alerts.gig_opened(session, make.gig(employer)) == 0

"""The center's own settings applied by the rules: what an admin saved (the CenterSettings row)
wins over the environment, field by field, at once; a field cleared again (null) is the
environment's once more. The row is written directly here (the admin page's service has its
own tests): `center.row_for_update`, then commit, whose change notice drops the kept value."""

from datetime import date, timedelta

import pytest

from microgigs.services import center, engagements, gigs, moderation, payments, reminders, sso
from microgigs.services.errors import DomainError
from microgigs.state.post_gig import PostGigState
from tests.unit.state_harness import run_handler, session_token, state_for


def save(session, **values) -> None:
    """What the settings page would store: these fields set (None: back to the environment's)."""
    row = center.row_for_update(session)
    for name, value in values.items():
        setattr(row, name, value)
    session.commit()


def pay_error(session, make, **overrides) -> str:
    errors, _ = gigs.validate_gig_input(session, make.gig_input(**overrides), date.today())
    return errors.get("pay_cents", "")


# --- the platform fee ---------------------------------------------------------------------------


def test_a_saved_fee_wins_over_the_environment_and_clearing_it_falls_back(session, make, set_setting):
    set_setting("platform_fee_percent", 10)
    assert payments.platform_fee_cents(session, 10_000) == 1_000
    save(session, platform_fee_percent="2.05", platform_fee_fixed_cents=30)
    assert payments.platform_fee_cents(session, 3_000) == 62 + 30  # read as written: 2.05 %, not the float below it
    hired = make.hired(pay_cents=40_000)
    assert hired.engagement.fee_cents == 820 + 30
    assert payments.balance(session, hired.engagement.id).platform_fee == 850
    save(session, platform_fee_percent=None, platform_fee_fixed_cents=None)
    assert payments.platform_fee_cents(session, 10_000) == 1_000


def test_a_saved_zero_fee_is_a_value_not_the_environment(session, set_setting):
    set_setting("platform_fee_fixed_cents", 50)
    save(session, platform_fee_percent="0", platform_fee_fixed_cents=0)
    assert payments.platform_fee_cents(session, 10_000) == 0


# --- the pay floor ------------------------------------------------------------------------------


def test_a_saved_pay_floor_wins_over_the_environment_and_clearing_it_falls_back(session, make):
    assert pay_error(session, make, estimated_hours=10, pay_cents=20_000) == ""  # the environment's $20.00 an hour
    save(session, pay_floor_cents_per_hour=2_500)
    assert pay_error(session, make, estimated_hours=10, pay_cents=20_000) == "Pay at least $25.00 an hour: $250.00 for 10 hours."
    assert gigs.pay_floor_text(session) == "$25.00"
    save(session, pay_floor_cents_per_hour=None)
    assert pay_error(session, make, estimated_hours=10, pay_cents=20_000) == ""
    assert gigs.pay_floor_text(session) == "$20.00"


def test_the_review_queue_checks_gigs_against_the_saved_floor(session, make):
    gig = make.gig(make.employer("Careful Co", trusted=False), pay_cents=20_000, estimated_hours=10)
    save(session, pay_floor_cents_per_hour=3_000)
    fair_pay = {c.rule: c for c in moderation.rule_checks(session, gig, date.today())}["Fair pay"]
    assert not fair_pay.passed and "$30.00 an hour" in fair_pay.detail
    save(session, pay_floor_cents_per_hour=None)
    fair_pay = {c.rule: c for c in moderation.rule_checks(session, gig, date.today())}["Fair pay"]
    assert fair_pay.passed and fair_pay.detail == "At or above $20.00 an hour."


def test_the_post_form_hint_shows_the_floor_as_it_is_when_the_page_loads(app_db, make):
    employer = make.employer()
    token = session_token(app_db, employer.manager)
    state = state_for(PostGigState, "/gigs/new", token)
    run_handler("load_post_gig", state)
    assert state.pay_hint == "Paid when you approve the work. At least $20.00 an hour."
    save(app_db, pay_floor_cents_per_hour=1_750)
    run_handler("load_post_gig", state)
    assert state.pay_hint == "Paid when you approve the work. At least $17.50 an hour."


# --- auto-approval ------------------------------------------------------------------------------


def test_saved_auto_approve_days_win_and_zero_means_never(session, make):
    hired = make.hired()
    make.submit(hired)
    submitted = hired.engagement.submitted_at
    save(session, auto_approve_days=3)
    assert reminders.auto_approvals(session, submitted + timedelta(days=2, hours=1)) == 1  # the day before
    save(session, auto_approve_days=0)
    assert reminders.auto_approvals(session, submitted + timedelta(days=60)) == 0
    assert engagements.auto_approve_silent(session, submitted + timedelta(days=60)) == 0
    assert hired.engagement.status == "submitted"
    save(session, auto_approve_days=3)
    assert engagements.auto_approve_silent(session, submitted + timedelta(days=3, minutes=1)) == 1
    assert hired.engagement.status == "paid"


def test_cleared_auto_approve_days_fall_back_to_the_environment(session, make, set_setting):
    set_setting("auto_approve_days", 5)
    hired = make.hired()
    make.submit(hired)
    submitted = hired.engagement.submitted_at
    save(session, auto_approve_days=0)
    save(session, auto_approve_days=None)
    assert engagements.auto_approve_silent(session, submitted + timedelta(days=4)) == 0
    assert engagements.auto_approve_silent(session, submitted + timedelta(days=5, minutes=1)) == 1


# --- revision rounds ----------------------------------------------------------------------------


def test_saved_revision_rounds_apply_to_gigs_posted_after_and_clearing_falls_back(session, make):
    employer = make.employer()
    before = make.gig(employer)
    save(session, revision_rounds=4)
    after = make.gig(employer)
    assert (before.max_revision_rounds, after.max_revision_rounds) == (2, 4)
    hired = make.hired(employer)
    assert hired.engagement.max_revision_rounds == 4
    save(session, revision_rounds=None)
    assert make.gig(employer).max_revision_rounds == 2


# --- student email domains ----------------------------------------------------------------------


def test_saved_student_domains_win_over_the_environment_and_clearing_falls_back(session, set_setting):
    set_setting("student_email_domains", "college.edu")
    sso.check_local_sign_up(session, "student", "kim@college.edu")
    save(session, student_email_domains="Uni.edu, @alumni.uni.edu")
    assert sso.allowed_student_domains(session) == ["uni.edu", "alumni.uni.edu"]
    sso.check_local_sign_up(session, "student", "kim@cs.uni.edu")
    with pytest.raises(DomainError) as refused:
        sso.check_local_sign_up(session, "student", "kim@college.edu")
    assert refused.value.field == "email"
    assert refused.value.message == "Student accounts need an email address at uni.edu or alumni.uni.edu."
    save(session, student_email_domains=None)
    sso.check_local_sign_up(session, "student", "kim@college.edu")
    with pytest.raises(DomainError):
        sso.check_local_sign_up(session, "student", "kim@uni.edu")


def test_saved_empty_domains_let_any_address_sign_up(session, set_setting):
    set_setting("student_email_domains", "college.edu")
    save(session, student_email_domains="")
    assert sso.allowed_student_domains(session) == []
    sso.check_local_sign_up(session, "student", "kim@anywhere.example")


def test_campus_sign_in_makes_students_only_on_the_saved_domains(session):
    save(session, student_email_domains="uni.edu")
    claims = {"sub": "s-1", "email": "ada@elsewhere.example", "email_verified": True}
    with pytest.raises(DomainError, match="uni.edu"):
        sso.account_for_identity(session, "campus", claims)
    assert sso.account_for_identity(session, "campus", {**claims, "email": "ada@uni.edu"}).role == "student"


def test_sso_only_covers_employer_accounts_on_the_saved_student_domains(session, set_setting):
    set_setting("sso_only_for_students", "true")
    sso.check_local_sign_up(session, "manager", "sam@uni.edu")  # no student domain anywhere yet
    save(session, student_email_domains="uni.edu")
    with pytest.raises(DomainError, match="campus account only"):
        sso.check_local_sign_up(session, "manager", "sam@uni.edu")

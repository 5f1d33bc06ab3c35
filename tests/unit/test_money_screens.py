"""The money screens' services and states: employer payments and receipts, student earnings,
staff's overview and reconciliation (demo gateway, and Stripe through the fake)."""

import pytest
from sqlmodel import select

from microgigs.models import (
    AuditEvent,
    EngagementPayment,
    LedgerEntry,
    ReconciliationReport,
)
from microgigs.pages import earnings, receipt, staff_money
from microgigs.pages import payments as payments_page
from microgigs.services import engagements, money
from microgigs.services.errors import NotAllowed, NotFound
from microgigs.state.money import EarningsState, MoneyState, PaymentsState, ReceiptState
from tests.stripe_fake.world import stripe_world
from tests.unit.state_harness import run_handler, session_token, state_for


def paid_engagement(session, make, **gig):
    hired = make.hired(**gig)
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    session.commit()
    return hired


def test_the_employer_sees_each_engagement_with_its_status_and_a_receipt(app_db, make):
    hired = paid_engagement(app_db, make, pay_cents=30_000)
    state = state_for(PaymentsState, "/payments", session_token(app_db, hired.employer.manager))
    run_handler("load_payments", state)
    (row,) = state.rows
    assert (row.gig_title, row.total, row.state, row.can_fund, row.has_receipt) == (hired.gig.title, "$330.00", "paid", False, True)
    assert state.gateway_notice == "demo payments — no money moves"

    page = state_for(ReceiptState, f"/payments/receipt/{hired.engagement.id}", session_token(app_db, hired.employer.manager))
    run_handler("load_receipt", page)
    assert page.receipt.total == "$330.00" and [line.amount for line in page.receipt.lines] == ["$300.00", "$30.00"]
    assert page.receipt.notice == "demo payments — no money moves"


def test_a_receipt_is_only_for_the_gigs_managers_and_staff(session, make):
    hired = paid_engagement(session, make)
    for outsider in (make.student(), hired.student, make.employer().manager):
        with pytest.raises(NotFound):
            money.receipt(session, outsider, hired.engagement.id)
    assert money.receipt(session, make.staff(), hired.engagement.id).number == f"MG-{hired.engagement.id:06d}"


def test_students_and_staff_have_no_employer_payments(session, make):
    with pytest.raises(NotAllowed):
        money.employer_payments(session, make.student())


def test_the_student_sees_paid_and_pending_earnings(app_db, make):
    employer = make.employer()
    student = make.student()
    paid_engagement(app_db, make, employer=employer, student=student, pay_cents=30_000)
    make.hired(employer=employer, student=student, pay_cents=25_000)  # funded, not approved yet
    app_db.commit()
    state = state_for(EarningsState, "/earnings", session_token(app_db, student))
    run_handler("load_earnings", state)
    assert (state.earnings.paid, state.earnings.pending) == ("$300.00", "$250.00")
    assert not state.earnings.needs_setup and "Demo payments" in state.earnings.account_status
    with pytest.raises(NotAllowed):
        money.student_earnings(app_db, employer.manager)


def test_staff_overview_and_reconcile_now_find_an_unbalanced_ledger(app_db, make):
    hired = paid_engagement(app_db, make, pay_cents=30_000)
    staff = make.staff()
    app_db.commit()
    state = state_for(MoneyState, "/staff/money", session_token(app_db, staff))
    run_handler("load_money", state)
    totals = {t.label: t.amount for t in state.totals}
    assert totals["Paid to students"] == "$300.00" and totals["Platform fees"] == "$30.00"
    assert state.report is None and not state.has_report  # nothing reconciled yet; opening asks nobody
    run_handler("reconcile_now", state)
    assert state.has_report and state.report.differences == [] and state.report.checked == 1
    assert state.report.made_by == staff.display_name and state.notice == "Reconciled: no differences."
    app_db.expire_all()
    assert app_db.exec(select(AuditEvent).where(AuditEvent.action == "money.reconciled", AuditEvent.actor_id == staff.id)).first()
    # A row written behind the services' back is reported by the next run, not before.
    app_db.add(LedgerEntry(engagement_id=hired.engagement.id, kind="refunded", amount_cents=100, idempotency_key="stray"))
    app_db.commit()
    run_handler("load_money", state)
    assert state.report.differences == []  # the stored report until someone reconciles again
    run_handler("reconcile_now", state)
    (difference,) = state.report.differences
    assert difference.what == "ledger identity"
    with pytest.raises(NotAllowed):
        money.reconcile_now(app_db, hired.employer.manager)
    with pytest.raises(NotAllowed):
        money.latest_report(app_db, hired.student)


def test_reconcile_now_is_refused_to_non_staff_through_the_state(app_db, make):
    hired = paid_engagement(app_db, make)
    state = state_for(MoneyState, "/staff/money", session_token(app_db, hired.employer.manager))
    run_handler("reconcile_now", state)
    assert state.error and app_db.exec(select(ReconciliationReport)).first() is None


def test_reconciliation_with_stripe_lists_a_refund_not_yet_in_the_ledger(app_db, make, set_setting):
    with stripe_world(set_setting) as world:
        hired = make.hired(pay_cents=30_000)
        staff = make.staff()
        app_db.commit()
        payment = app_db.get(EngagementPayment, hired.engagement.id)
        world.stripe.control("pay", payment.checkout_session_id)
        app_db.expire_all()  # the webhook changed rows behind this session
        assert money.reconcile(app_db, staff).differences == []
        # Someone refunds $10 from the Stripe dashboard; its webhook has not arrived yet.
        charge_id = app_db.get(EngagementPayment, hired.engagement.id).charge_id
        event = world.stripe.control("refund_in_dashboard", charge_id, amount=1000, deliver=False)["events"][0]
        app_db.expire_all()
        (difference,) = money.reconcile(app_db, staff).differences
        assert (difference.what, difference.ledger, difference.gateway) == ("refunded", "$0.00", "$10.00")
        # charge.refunded arrives: the refund is written into the ledger, and they agree again.
        assert world.stripe.control("redeliver", event["id"])["status"] == 200
        app_db.expire_all()
        assert money.reconcile(app_db, staff).differences == []


def test_opening_staff_money_asks_the_gateway_nothing(app_db, make, set_setting):
    with stripe_world(set_setting) as world:
        hired = make.hired(pay_cents=30_000)
        staff = make.staff()
        app_db.commit()
        world.stripe.control("pay", app_db.get(EngagementPayment, hired.engagement.id).checkout_session_id)
        state = state_for(MoneyState, "/staff/money", session_token(app_db, staff))
        before = len(world.stripe.fake.requests)
        for _ in range(3):
            run_handler("load_money", state)
        assert len(world.stripe.fake.requests) == before
        assert state.loaded and state.report is None
        run_handler("reconcile_now", state)
        calls = world.stripe.fake.requests[before:]
        assert calls and all(method == "GET" for method, _ in calls)  # reconciling only reads
        assert state.report.gateway == "stripe" and state.report.differences == []
        before = len(world.stripe.fake.requests)
        run_handler("load_money", state)
        assert len(world.stripe.fake.requests) == before and state.report.checked == 1


def test_the_nightly_job_makes_one_report_a_day_from_its_hour(app_db, make, set_setting):
    from datetime import datetime

    from microgigs import jobs

    paid_engagement(app_db, make)
    staff = make.staff()
    app_db.commit()
    set_setting("reconcile_hour_utc", 3)
    assert money.nightly_reconciliation(app_db, datetime(2026, 11, 26, 2, 59)) == 0
    assert money.nightly_reconciliation(app_db, datetime(2026, 11, 26, 3, 0)) == 1
    app_db.commit()
    assert money.nightly_reconciliation(app_db, datetime(2026, 11, 26, 23, 0)) == 0  # once a day
    assert jobs.run_due_jobs(datetime(2026, 11, 26, 4, 0))["reconcile the ledger with the gateway nightly"] == 0
    assert jobs.run_due_jobs(datetime(2026, 11, 27, 4, 0))["reconcile the ledger with the gateway nightly"] == 1
    app_db.expire_all()
    report = money.latest_report(app_db, staff)
    assert report.made_by == "the nightly job" and report.checked == 1 and report.differences == []
    assert len(app_db.exec(select(ReconciliationReport)).all()) == 2


def test_the_reconciliation_report_downloads_for_staff_only(app_db, make):
    from starlette.testclient import TestClient

    from microgigs.http.app import build_api
    from microgigs.settings import get_settings

    hired = paid_engagement(app_db, make)
    staff, student = make.staff(), make.student()
    app_db.commit()
    cookie = get_settings().session_cookie_name
    with TestClient(build_api()) as client:
        client.cookies.set(cookie, session_token(app_db, staff))
        response = client.get("/staff/money/reconciliation.csv")
        assert response.status_code == 200 and "no report yet" in response.text
        money.reconcile_now(app_db, staff)
        app_db.add(LedgerEntry(engagement_id=hired.engagement.id, kind="refunded", amount_cents=100, idempotency_key="stray"))
        app_db.commit()
        # The CSV is the stored report: the stray row is not in it until the next run.
        response = client.get("/staff/money/reconciliation.csv")
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
        lines = response.text.splitlines()
        assert lines[0] == "engagement_id,what,our_ledger,gateway"
        assert "no differences" in response.text and f"by {staff.display_name}" in response.text
        money.reconcile_now(app_db, staff)
        app_db.commit()
        assert "ledger identity" in client.get("/staff/money/reconciliation.csv").text
        client.cookies.set(cookie, session_token(app_db, student))
        assert client.get("/staff/money/reconciliation.csv").status_code == 403


@pytest.mark.parametrize("view", [payments_page.payments_page, receipt.receipt_page, earnings.earnings_page, staff_money.money_page])
def test_the_money_pages_render(view):
    assert view() is not None

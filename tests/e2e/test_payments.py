"""The money screens in a real browser: with the demo gateway (the shared app server), and with
Stripe through the loopback fake (the same build served again on the same port with the Stripe
settings for that test, see conftest.swapped_app; the fake signs and sends the webhooks).

With Stripe the manager accepts, funds through the (fake) Checkout page, approves; the
student, who has no payout account yet, is told to set up payouts, onboards through the
(fake) Express page, and the payout goes by itself. A second payout is refused for good by
Stripe: the student is told to update payout details, staff retry it from /staff/money once
the account is fixed, and reconcile. axe-core checks every page.
"""

import re
import secrets
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from microgigs.db import make_engine
from microgigs.demo import builders
from microgigs.models import Engagement, User
from microgigs.services import accounts, applications, engagements, gigs
from microgigs.services.applications import ApplicationInput
from microgigs.services.gigs import GigInput
from tests.e2e.conftest import swapped_app
from tests.e2e.test_core_loop import DEMO_PASSWORD, PHONE, loaded, sign_in
from tests.stripe_fake.server import running_fake
from tests.stripe_fake.world import CONNECT_SECRET, PLATFORM_SECRET, SECRET_KEY, stripe_settings

DEMO_LABEL = "demo payments — no money moves"


def test_money_screens_with_demo_payments(new_context, app_server, assert_accessible):
    manager = new_context().new_page()
    sign_in(manager, "manager1@demo.microgigs.test", DEMO_PASSWORD)
    manager.goto("/payments")
    loaded(manager)
    expect(manager.get_by_role("heading", level=1, name="Payments")).to_be_visible()
    expect(manager.get_by_text(DEMO_LABEL).first).to_be_visible()
    receipt = manager.get_by_role("link", name=re.compile(r"^Receipt for ")).first
    expect(receipt).to_be_visible()
    assert_accessible(manager)
    manager.goto(receipt.get_attribute("href"))
    loaded(manager)
    expect(manager.get_by_role("heading", name=re.compile(r"^Receipt MG-\d{6}"))).to_be_visible()
    expect(manager.get_by_role("rowheader", name="Platform fee")).to_be_visible()
    expect(manager.get_by_text(DEMO_LABEL).first).to_be_visible()
    assert_accessible(manager)

    student = new_context(viewport=PHONE).new_page()
    sign_in(student, "student1@demo.microgigs.test", DEMO_PASSWORD)
    student.goto("/earnings")
    loaded(student)
    expect(student.get_by_role("heading", level=1, name="Earnings")).to_be_visible()
    expect(student.get_by_text("Paid to you")).to_be_visible()
    expect(student.get_by_text("Demo payments: no payout account is needed.")).to_be_visible()
    expect(student.get_by_role("button", name="Set up payouts")).to_have_count(0)
    assert_accessible(student)

    staff = new_context().new_page()
    sign_in(staff, "staff@demo.microgigs.test", DEMO_PASSWORD)
    staff.goto("/staff/money")
    loaded(staff)
    expect(staff.get_by_role("heading", level=1, name="Money")).to_be_visible()
    expect(staff.get_by_text("No failed payouts.")).to_be_visible()
    staff.get_by_role("button", name="Reconcile now with the gateway").click()
    expect(staff.get_by_text("Reconciled: no differences.")).to_be_visible()
    expect(staff.get_by_text(re.compile(r"Latest report: .* by Dana Whitfield"))).to_be_visible()
    expect(staff.get_by_text("No differences: every cent in the ledger matches the gateway.")).to_be_visible()
    assert_accessible(staff)
    report = staff.request.get("/staff/money/reconciliation.csv")
    assert report.status == 200 and report.text().startswith("engagement_id,what,our_ledger,gateway")
    assert "by Dana Whitfield" in report.text()
    # At 375 px the page still reads and its buttons are reachable.
    staff.set_viewport_size(PHONE)
    expect(staff.get_by_role("button", name="Reconcile now with the gateway")).to_be_visible()
    assert_accessible(staff)


@pytest.fixture
def stripe_app(app_server, tmp_path_factory):
    """The session's app, served again on its port with the Stripe gateway talking to the fake
    (and the fake to it), against its own fresh data dir; put back as it was afterwards.
    No second production build: the session's build is served as it is. Fails the test when
    a webhook delivery was not accepted (see FakeStripeServer.check_deliveries)."""
    with running_fake(secret_key=SECRET_KEY, webhook_secret=PLATFORM_SECRET, connect_webhook_secret=CONNECT_SECRET) as fake:

        def serve_env(url: str) -> dict[str, str]:
            fake.control("config", webhook_url=f"{url}/api/stripe/webhook", connect_webhook_url=f"{url}/api/stripe/connect-webhook")
            settings = stripe_settings(fake.url) | {"stripe_timeout_seconds": "20"}
            return {f"MICROGIGS_{name.upper()}": value for name, value in settings.items()}

        with swapped_app(app_server, tmp_path_factory, serve_env) as server:
            yield server, fake
            # While the app still answers: every webhook it was sent was accepted.
            fake.check_deliveries()


def _applicant_for_a_new_gig(data_dir, token: str, email: str = "") -> tuple[int, str, str]:
    """A student (new, or the one with `email`) applies to a new Northwind gig (straight in the
    server's database; no money moves)."""
    engine = make_engine(f"sqlite:///{data_dir / 'microgigs.db'}")
    try:
        with Session(engine, expire_on_commit=False) as session:
            manager = session.exec(select(User).where(User.email == "manager1@demo.microgigs.test")).one()
            title = f"Stripe-funded survey cleanup {token}"
            today = date.today()
            gig = gigs.create_gig(
                session,
                manager,
                GigInput(
                    title=title,
                    summary="Tidy a survey export and chart it.",
                    scope="Clean the export and chart the five main findings.",
                    category="Data analysis",
                    estimated_hours=10,
                    due_date=today + timedelta(days=30),
                    application_deadline=today + timedelta(days=10),
                    pay_cents=40_000,
                    skills=["Python"],
                ),
            )
            if email:
                student = session.exec(select(User).where(User.email == email)).one()
            else:
                email = f"sam.{token}@students.example.edu"
                student = builders.signed_up(
                    session, accounts.SignUp(email=email, password="a long walk by the river", display_name=f"Sam Payee {token}")
                )
            applications.apply(session, student, gig.id, ApplicationInput(note="I clean survey data every week and chart it in Python."))
            session.commit()
            return gig.id, title, email
    finally:
        engine.dispose()


def _submit_work(data_dir, email: str) -> int:
    engine = make_engine(f"sqlite:///{data_dir / 'microgigs.db'}")
    try:
        with Session(engine, expire_on_commit=False) as session:
            student = session.exec(select(User).where(User.email == email)).one()
            engagement = session.exec(select(Engagement).where(Engagement.student_id == student.id, Engagement.status == "active")).one()
            engagements.submit_deliverable(
                session, student, engagement.id, "The cleaned CSV and five charts.", "https://drive.example.com/x"
            )
            session.commit()
            return engagement.id
    finally:
        engine.dispose()


def test_fund_approve_and_payout_with_stripe_through_the_fake(new_context, stripe_app, assert_accessible):
    server, fake = stripe_app
    token = secrets.token_hex(3)
    gig_id, title, email = _applicant_for_a_new_gig(server.data_dir, token)

    manager = new_context(base_url=server.url).new_page()
    sign_in(manager, "manager1@demo.microgigs.test", DEMO_PASSWORD)
    manager.goto(f"/manage/gigs/{gig_id}")
    loaded(manager)
    manager.get_by_role("button", name="Accept Applicant 1").click()
    expect(manager.get_by_role("link", name=re.compile("Open engagement workspace"))).to_be_visible()

    # --- the employer funds it through Stripe Checkout -------------------------------------------
    manager.goto("/payments")
    loaded(manager)
    row = manager.get_by_role("article", name=title)
    expect(row.get_by_text("Waiting for the employer's payment")).to_be_visible()
    expect(manager.get_by_text(DEMO_LABEL)).to_have_count(0)
    assert_accessible(manager)
    row.get_by_role("button", name=re.compile(r"^Fund ")).click()
    expect(manager.get_by_role("heading", name="Fake Stripe Checkout")).to_be_visible()
    expect(manager.get_by_text("Total: 440.00 USD")).to_be_visible()  # the pay and the 10% platform fee
    manager.get_by_role("button", name=re.compile(r"^Pay ")).click()
    expect(manager).to_have_url(re.compile(r"/payments/?\?funded=\d+"))
    loaded(manager)
    expect(manager.get_by_text("Thank you: the payment is being confirmed.")).to_be_visible()
    expect(manager.get_by_role("article", name=title).get_by_text("Funded — pay held until approval")).to_be_visible()
    assert_accessible(manager)

    # --- work, approval: the student has no payout account yet ---------------------------------
    engagement_id = _submit_work(server.data_dir, email)
    manager.goto(f"/engagements/{engagement_id}")
    loaded(manager)
    manager.get_by_role("button", name="Approve and pay").click()
    expect(manager.get_by_text(re.compile("waiting for the student's payout account"))).to_be_visible()
    assert_accessible(manager)

    # --- the student sets up payouts; the pay goes by itself ---------------------------------------
    student = new_context(base_url=server.url, viewport=PHONE).new_page()
    sign_in(student, email, "a long walk by the river")
    student.goto("/earnings")
    loaded(student)
    expect(student.get_by_text("Not set up: set up payouts with Stripe to receive your pay.")).to_be_visible()
    assert_accessible(student)
    student.get_by_role("button", name="Set up payouts").click()
    expect(student.get_by_role("heading", name="Fake Stripe Express onboarding")).to_be_visible()
    student.get_by_role("button", name="Finish onboarding").click()
    expect(student).to_have_url(re.compile(r"/earnings/?\?returned=1"))
    loaded(student)
    expect(student.get_by_text("Payouts enabled: your pay goes to your Stripe account.")).to_be_visible()
    expect(student.get_by_role("article", name=title).get_by_text("Paid to the student")).to_be_visible()
    assert_accessible(student)

    (transfer,) = [t for t in fake.of("transfer") if t["transfer_group"] == f"engagement-{engagement_id}"]
    assert transfer["amount"] == 40_000

    # --- staff: the ledger and Stripe agree --------------------------------------------------------
    staff = new_context(base_url=server.url).new_page()
    sign_in(staff, "staff@demo.microgigs.test", DEMO_PASSWORD)
    staff.goto("/staff/money")
    loaded(staff)
    staff.get_by_role("button", name="Reconcile now with the gateway").click()
    expect(staff.get_by_text("Reconciled: no differences.")).to_be_visible()
    expect(staff.get_by_text("No differences: every cent in the ledger matches the gateway.")).to_be_visible()
    assert_accessible(staff)

    # --- a second payout: Stripe refuses it for good (the account was restricted) -------------------
    gig_id, title, _ = _applicant_for_a_new_gig(server.data_dir, token + "b", email=email)
    _accept_and_fund(manager, gig_id, title)
    engagement_id = _submit_work(server.data_dir, email)
    account_id = next(a["id"] for a in fake.of("account") if a["email"] == email)
    fake.control("refuse_transfers", account_id)
    manager.goto(f"/engagements/{engagement_id}")
    loaded(manager)
    manager.get_by_role("button", name="Approve and pay").click()
    expect(manager.get_by_text(re.compile("Payout refused"))).to_be_visible()

    student.goto("/earnings")
    loaded(student)
    expect(student.get_by_text(re.compile("A payout was refused: choose Update payout details"))).to_be_visible()
    expect(student.get_by_role("button", name="Update payout details")).to_be_visible()
    assert_accessible(student)

    # Staff see it; opening the page asks Stripe nothing.
    before = len(fake.fake.requests)
    staff.goto("/staff/money")
    loaded(staff)
    refused = staff.get_by_role("article", name=f"Refused payout: {title}")
    expect(refused.get_by_text("The student has not updated their payout account since the refusal.")).to_be_visible()
    assert_accessible(staff)
    assert len(fake.fake.requests) == before
    # The student fixes the account (Stripe sends account.updated); staff retry: paid once.
    fake.control("allow_transfers", account_id)
    staff.reload()
    loaded(staff)
    refused = staff.get_by_role("article", name=f"Refused payout: {title}")
    expect(refused.get_by_text(re.compile("updated their payout account since the refusal: retry now"))).to_be_visible()
    refused.get_by_role("button", name=re.compile(r"^Retry payout to ")).click()
    expect(staff.get_by_text(f"Payout sent for engagement {engagement_id}.")).to_be_visible()
    expect(staff.get_by_text("No failed payouts.")).to_be_visible()
    assert_accessible(staff)
    assert [t["amount"] for t in fake.of("transfer") if t["transfer_group"] == f"engagement-{engagement_id}"] == [40_000]
    student.goto("/earnings")
    loaded(student)
    expect(student.get_by_role("article", name=title).get_by_text("Paid to the student")).to_be_visible()


def _accept_and_fund(manager, gig_id: int, title: str) -> None:
    manager.goto(f"/manage/gigs/{gig_id}")
    loaded(manager)
    manager.get_by_role("button", name="Accept Applicant 1").click()
    expect(manager.get_by_role("link", name=re.compile("Open engagement workspace"))).to_be_visible()
    manager.goto("/payments")
    loaded(manager)
    manager.get_by_role("article", name=title).get_by_role("button", name=re.compile(r"^Fund ")).click()
    expect(manager.get_by_role("heading", name="Fake Stripe Checkout")).to_be_visible()
    manager.get_by_role("button", name=re.compile(r"^Pay ")).click()
    expect(manager).to_have_url(re.compile(r"/payments/?\?funded=\d+"))
    loaded(manager)
    expect(manager.get_by_role("article", name=title).get_by_text("Funded — pay held until approval")).to_be_visible()

"""The money state machine: Hypothesis plays the whole money world against the Stripe fake.

Each example is its own world (tests/unit/money_world.py): a fresh database, a fresh fake,
and its own fee and kill-fee settings. Managers hire, fund (paying at once, or by a bank
debit that later succeeds or fails), let checkouts expire and reopen them, cancel before and
after work; students onboard (or not), submit, get changes requested, are approved by hand or
by the auto-approval job; either side opens a dispute and staff decide it each way; the world
refunds in the Stripe dashboard (while the pay is held or once it is settled), reverses transfers,
disputes a card charge, refuses transfers to an account and allows them again (then staff
retry); the network fails any call we make (checkout create and expire, transfer, refund,
account create: a 500, a timeout before Stripe did anything, a timeout after it did), and a
person told "try again" does; webhooks arrive late, twice, out of order; the retry job runs.

After every step, per engagement (our ledger and the fake's books, once its own webhooks
are in):
- the ledger identity funded = fee + held + transferred + refunded;
- the platform fee is exact to the cent (computed here from the settings, decimal percent of
  the pay rounded to the nearest cent, ties to even); funded is 0 or pay + fee;
- the status agrees with the money: funding ⇒ nothing funded; work under way ⇒ nothing paid
  out; approved ⇒ its payout waits; paid ⇒ the student got exactly their share (the pay, or
  what staff decided); cancelled ⇒ the share is the kill fee after work (computed here) or 0
  before, and our refund is the rest (fee back before work); after a dashboard refund while the
  pay was held, the student's share is capped by what was held and our refund by what was left,
  and an approval's payout waits on staff (they settle it with the employer);
- our ledger never shows more than Stripe did.
At rest (`settle`: every late webhook delivered, failed deliveries retried as Stripe does,
the retry job run, no fault pending) also: our ledger equals the fake's books, the app's own
reconciliation finds no difference, an approved engagement only waits on a person (the
student's payout account, or staff after a refusal or an outside refund), and an engagement in a final status
(paid, cancelled) holds nothing unless its student's share waits on a person or its transfer
was reversed at Stripe (that money is held again until staff decide). At the end everyone
does their part (students onboard, Stripe allows transfers, staff retry, staff give reversed
money back from the dashboard) and then nothing finished holds a cent, and nothing stays
approved unless its pay was refunded outside MicroGigs (staff settle that by hand).

Profiles (`MONEY_PROFILE`): default (make test) 100 examples of up to 40 steps, derandomized,
at least 2,000 steps in all; `deep` 2,000 examples, ≥ 50,000 steps, new random sequences each
run (see the README, "Payments with Stripe"). `MONEY_EXAMPLES` overrides the number of examples.
"""

import os
import random
import time
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test
from sqlmodel import select

from microgigs.http.app import build_api
from microgigs.http.limits import limit_request_size
from microgigs.integrations.payments import GatewayRefused, GatewayUnavailable
from microgigs.models import Engagement, EngagementPayment, LedgerEntry, PayoutAccount, utcnow
from microgigs.services import closing, disputes, engagements, money, payments
from microgigs.services.errors import DomainError
from microgigs.services.payments import gateway as gateways
from microgigs.services.payments.payouts import PAYOUT_NOT_HELD_PREFIX
from microgigs.services.statuses import EngagementStatus as ES
from microgigs.services.statuses import PaymentState as PS
from tests.stripe_fake.server import serving
from tests.unit.conftest import Employer, Hired
from tests.unit.money_world import MoneyWorld, describe

# Its world keeps a SQLite file per example (money_world.py): it runs in the SQLite run only.
pytestmark = pytest.mark.one_database

PROFILES = {
    # make test: ≥ 2,000 steps, a fixed seed so it cannot flake on a new sequence.
    "default": dict(max_examples=100, stateful_step_count=40, derandomize=True),
    # ≥ 50,000 steps on new random sequences every run.
    "deep": dict(max_examples=2_000, stateful_step_count=40, derandomize=False),
}
PROFILE = PROFILES[os.environ.get("MONEY_PROFILE", "default")]
if os.environ.get("MONEY_EXAMPLES"):
    PROFILE = {**PROFILE, "max_examples": int(os.environ["MONEY_EXAMPLES"])}

UNDER_WAY = (ES.ACTIVE, ES.SUBMITTED, ES.CHANGES_REQUESTED, ES.DISPUTED)
FINAL = (ES.PAID, ES.CANCELLED)
WAITS_ON_A_PERSON = (PS.AWAITING_PAYOUT_ACCOUNT, PS.PAYOUT_FAILED)
FAULTS = st.sampled_from(["", "", "", "", "", "error", "timeout", "timeout_after"])
MAX_ENGAGEMENTS = 4


def percent_of(cents: int, percent: str) -> int:
    """`percent` % of `cents`, to the nearest cent (ties to even), in exact decimal arithmetic."""
    return int((Decimal(cents) * Decimal(percent) / 100).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


@dataclass
class Tracked:
    """One engagement as the model knows it (never read back from the app)."""

    hired: Hired
    id: int
    student_id: int
    pay: int
    fee: int
    kill_fee: int
    submitted: bool = False  # work started: a version was handed in
    share: int | None = None  # the student's share once decided (approval, cancel, dispute)
    refund_fee: bool = False  # the decision gave the platform fee back
    dispute_id: int | None = None
    # Refunded in the dashboard while its pay was held: what is split later is only what is left.
    refunded_while_held: bool = False
    # Refunds Stripe answered with a 500 it keeps under our key ("cancel", "dispute"): every later
    # refund under that key gets the same 500 (or, with another amount, an idempotency error).
    saved_500: set = field(default_factory=set)

    @property
    def total(self) -> int:
        return self.pay + self.fee


SETTINGS_DRAWS = st.fixed_dictionaries(
    {
        "platform_fee_percent": st.decimals(0, 30, places=2).map(str),
        "platform_fee_fixed_cents": st.sampled_from(["0", "0", "30", "99"]),
        "kill_fee_percent": st.decimals(0, 100, places=2).map(str),
        "auto_approve_days": st.sampled_from(["3", "7"]),
    }
)
PAYS = st.one_of(st.integers(2_000, 250_000), st.sampled_from([2_000, 2_005, 3_000, 10_001, 30_000]))


@pytest.fixture
def money_world(app_db, session, set_setting, schema_template, _shared_engine, tmp_path):
    with serving(limit_request_size(build_api())) as app_url:
        world = MoneyWorld(
            shared_engine=_shared_engine,
            schema_template=schema_template,
            folder=tmp_path,
            set_setting=set_setting,
            app_url=app_url,
            session=session,
        )
        try:
            yield world
        finally:
            world.close()


def test_the_money_world_keeps_every_promise(money_world, session):
    world = money_world
    seen: dict[str, set] = {"states": set(), "statuses": set(), "outcomes": set()}
    started = time.monotonic()

    class Money(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.tracked: list[Tracked] = []
            self.settings: dict[str, str] = {}
            # (engagement status, payment state, charge id) per engagement, as of the last check:
            # preconditions read this instead of asking the database for every rule.
            self.seen: dict[int, tuple[str, str, str]] = {}

        # --- helpers ------------------------------------------------------------------------

        def fresh(self, model, key):
            session.expire_all()
            return session.get(model, key)

        def status(self, t: Tracked) -> str:
            return self.fresh(Engagement, t.id).status

        def payment(self, t: Tracked) -> EngagementPayment:
            return self.fresh(EngagementPayment, t.id)

        def in_status(self, *statuses) -> list[Tracked]:
            return [t for t in self.tracked if t.id in self.seen and self.seen[t.id][0] in statuses]

        def in_state(self, *states) -> list[Tracked]:
            return [t for t in self.tracked if t.id in self.seen and self.seen[t.id][1] in states]

        def now_in_state(self, *states) -> list[Tracked]:
            session.expire_all()
            return [t for t in self.tracked if session.get(EngagementPayment, t.id).state in states]

        def charged(self) -> list[Tracked]:
            return [t for t in self.tracked if t.id in self.seen and self.seen[t.id][2]]

        def settled(self, t: Tracked) -> bool:
            """Finished, nothing waiting to be sent."""
            return self.seen[t.id][0] in FINAL and self.seen[t.id][1] in (PS.PAID, PS.REFUNDED, PS.PARTIALLY_REFUNDED)

        def refundable_charges(self) -> list[Tracked]:
            """Charged engagements (funded, or settled) with no transfer of ours in flight: a transfer
            whose answer was lost is only learnt of later, and the ledger would then pay out of
            money it already counted as refunded (not modelled)."""
            return [
                t
                for t in self.charged()
                if self.seen[t.id][0] != ES.FUNDING and world.books(t.id, self.seen[t.id][2]).transfers_gross == self.gross_to_student(t)
            ]

        def waits_on_staff_settling(self, payment: EngagementPayment) -> bool:
            """The payout stopped because the employer was refunded outside MicroGigs."""
            return payment.state == PS.PAYOUT_FAILED and payment.message.startswith(PAYOUT_NOT_HELD_PREFIX)

        def fault(self, path: str, mode: str) -> None:
            world.fault(path, mode)

        def attempt(self, call) -> bool:
            """A person's action: committed, or refused with a message and rolled back."""
            try:
                call()
                session.commit()
                return True
            except (DomainError, GatewayUnavailable, GatewayRefused):
                session.rollback()
                return False
            finally:
                world.no_fault()

        def attempt_again(self, call, fault: str) -> bool:
            """Act; when the gateway did not answer, do as the message says ("try again in a
            minute") once the network is back: the retry sends the same idempotency key, so a
            refund that did go through is answered again, not made twice."""
            return self.attempt(call) or (bool(fault) and self.attempt(call))

        def checkout_of(self, t: Tracked) -> dict | None:
            checkout_id = self.payment(t).checkout_session_id
            return world.fake.objects.get(checkout_id) if checkout_id else None

        def account_of(self, t: Tracked) -> PayoutAccount | None:
            return self.fresh(PayoutAccount, t.student_id)

        # --- the world begins -------------------------------------------------------------------

        @initialize(config=SETTINGS_DRAWS, pay=PAYS, pays_at_once=st.booleans())
        def a_fresh_world(self, config, pay, pays_at_once):
            self.settings = config
            self.make = world.fresh_example(config)
            self.employer: Employer = self.make.employer()
            self.staff = self.make.staff()
            session.commit()
            self._hire(pay, "", reuse_student=False)
            if pays_at_once:
                world.control("pay", self.payment(self.tracked[0]).checkout_session_id)

        def _hire(self, pay: int, fault: str, reuse_student: bool) -> None:
            student = self.tracked[0].hired.student if reuse_student and self.tracked else None
            self.fault("/v1/checkout/sessions", fault)
            try:
                hired = self.make.hired(employer=self.employer, student=student, pay_cents=pay, estimated_hours=1)
                session.commit()
            finally:
                world.no_fault()
            fee = percent_of(pay, self.settings["platform_fee_percent"]) + int(self.settings["platform_fee_fixed_cents"])
            t = Tracked(
                hired=hired,
                id=hired.engagement.id,
                student_id=hired.student.id,
                pay=pay,
                fee=fee,
                kill_fee=percent_of(pay, self.settings["kill_fee_percent"]),
            )
            self.tracked.append(t)
            world.drain()
            checkout = self.checkout_of(t)
            if checkout is not None:  # the checkout asks for the pay and the fee, to the cent
                lines = [int(line["price_data"]["unit_amount"]) for line in checkout["line_items_for_tests"]]
                assert lines == ([pay, fee] if fee else [pay]), (lines, pay, fee, self.settings)

        # --- managers hire and fund -------------------------------------------------------------

        @precondition(lambda self: len(self.tracked) < MAX_ENGAGEMENTS)
        @rule(pay=PAYS, fault=FAULTS, reuse_student=st.booleans())
        def manager_hires_another_student(self, pay, fault, reuse_student):
            self._hire(pay, fault, reuse_student)

        @precondition(lambda self: self.in_status(ES.FUNDING))
        @rule(data=st.data(), fault=FAULTS)
        def manager_opens_checkout(self, data, fault):
            t = data.draw(st.sampled_from(self.in_status(ES.FUNDING)))
            self.fault("/v1/checkout/sessions", fault)
            self.attempt(lambda: payments.open_checkout(session, self.employer.manager, t.id))

        @precondition(lambda self: self.in_state(PS.CHECKOUT_OPEN))
        @rule(data=st.data(), deliver=st.sampled_from([True, True, False]), delayed=st.sampled_from([False, False, True]))
        def employer_pays(self, data, deliver, delayed):
            t = data.draw(st.sampled_from(self.in_state(PS.CHECKOUT_OPEN)))
            checkout = self.checkout_of(t)
            if checkout["status"] == "open":
                world.control("pay", checkout["id"], deliver=deliver, delayed=delayed)
            elif data.draw(st.booleans()):  # this one was closed: the manager opens a new one
                self.attempt(lambda: payments.open_checkout(session, self.employer.manager, t.id))

        def delayed_debits(self) -> list[dict]:
            found = []
            for checkout in world.fake.of("checkout.session"):
                intent = world.fake.objects.get(checkout["payment_intent"] or "")
                if intent and intent["status"] == "processing":
                    found.append(checkout)
            return found

        @precondition(lambda self: self.delayed_debits())
        @rule(data=st.data(), succeeds=st.booleans(), deliver=st.sampled_from([True, True, False]))
        def bank_answers_a_debit(self, data, succeeds, deliver):
            checkout = data.draw(st.sampled_from(self.delayed_debits()))
            world.control("async_succeed" if succeeds else "async_fail", checkout["id"], deliver=deliver)

        # --- students ------------------------------------------------------------------------------

        @rule(data=st.data(), fault=FAULTS)
        def student_sets_up_payouts(self, data, fault):
            t = data.draw(st.sampled_from(self.tracked))
            if self.account_of(t) is None:
                self.fault("/v1/accounts", fault)
                if not self.attempt(lambda: payments.payout_onboarding_url(session, t.hired.student)):
                    return
            world.control("enable_account", self.account_of(t).account_id)

        @precondition(lambda self: self.in_status(ES.ACTIVE, ES.CHANGES_REQUESTED))
        @rule(data=st.data())
        def student_submits(self, data):
            t = data.draw(st.sampled_from(self.in_status(ES.ACTIVE, ES.CHANGES_REQUESTED)))
            assert self.attempt(lambda: self.make.submit(t.hired))
            t.submitted = True

        # --- managers answer the work -------------------------------------------------------------

        @precondition(lambda self: self.in_status(ES.SUBMITTED))
        @rule(data=st.data(), fault=FAULTS, approves=st.sampled_from([True, True, False]))
        def manager_reviews(self, data, fault, approves):
            t = data.draw(st.sampled_from(self.in_status(ES.SUBMITTED)))
            if not approves:
                self.attempt(lambda: engagements.request_changes(session, self.employer.manager, t.id, "Please add the README."))
                return
            self.fault("/v1/transfers", fault)
            assert self.attempt(lambda: engagements.approve(session, self.employer.manager, t.id)), "an approval must never fail"
            t.share = t.pay
            assert self.status(t) in (ES.APPROVED, ES.PAID)

        @precondition(lambda self: self.in_status(ES.SUBMITTED))
        @rule(fault=FAULTS, late=st.booleans())
        def auto_approval_job_runs(self, fault, late):
            waiting = self.in_status(ES.SUBMITTED)
            days = int(self.settings["auto_approve_days"])
            now = utcnow() + timedelta(days=days + 1 if late else days - 1)
            self.fault("/v1/transfers", fault)
            assert self.attempt(lambda: engagements.auto_approve_silent(session, now))
            for t in waiting:
                if late:  # N days of silence: approved, and its share is the pay
                    t.share = t.pay
                    assert self.status(t) in (ES.APPROVED, ES.PAID)
                else:  # not yet
                    assert self.status(t) == ES.SUBMITTED

        @precondition(lambda self: self.in_status(ES.FUNDING, *UNDER_WAY[:3]))
        @rule(data=st.data(), fault=FAULTS, where=st.sampled_from(["/v1/refunds", "/v1/transfers", "/v1/checkout/sessions"]))
        def manager_cancels(self, data, fault, where):
            t = data.draw(st.sampled_from(self.in_status(ES.FUNDING, *UNDER_WAY[:3])))
            funded = self.fresh(Engagement, t.id).funded_at is not None
            self.fault(where, fault)
            if self.attempt_again(lambda: closing.cancel_one_engagement(session, self.employer.manager, t.id, "Plans changed"), fault):
                after_work = funded and t.submitted
                t.share, t.refund_fee = (t.kill_fee, False) if after_work else (0, True)
                assert self.status(t) == ES.CANCELLED
            else:
                # Only a refund Stripe keeps answering 500 (it replays a saved 500 to the same key)
                # may stop a cancellation, and then it changed nothing.
                if fault == "error" and where == "/v1/refunds":
                    t.saved_500.add("cancel")
                assert "cancel" in t.saved_500 and funded, (fault, where, funded)
                assert self.status(t) != ES.CANCELLED

        # --- disputes --------------------------------------------------------------------------------

        @precondition(lambda self: self.in_status(*UNDER_WAY))
        @rule(data=st.data(), by_student=st.booleans(), outcome=st.sampled_from(["pay_full", "pay_part", "refund"]), fault=FAULTS)
        def a_dispute(self, data, by_student, outcome, fault):
            """Either side opens a dispute; or staff decide an open one (for the student, in part, or
            for the employer)."""
            t = data.draw(st.sampled_from(self.in_status(*UNDER_WAY)))
            if t.dispute_id is None:
                who = t.hired.student if by_student else self.employer.manager
                opened = []
                if self.attempt(lambda: opened.append(disputes.open_dispute(session, who, t.id, "The work does not match the scope."))):
                    t.dispute_id = opened[0].id
                return
            if self.status(t) != ES.DISPUTED:
                return
            share = {"pay_full": t.pay, "refund": 0}.get(outcome)
            if share is None:
                share = data.draw(st.integers(1, t.pay - 1))
            where = "/v1/refunds" if outcome != "pay_full" and data.draw(st.booleans()) else "/v1/transfers"
            self.fault(where, fault)
            if self.attempt_again(lambda: disputes.decide(session, self.staff, t.dispute_id, outcome, share, "Decided."), fault):
                t.share, t.refund_fee = share, share == 0
                seen["outcomes"].add(outcome)
                assert self.status(t) in ((ES.CANCELLED,) if share == 0 else (ES.PAID, ES.APPROVED))
            else:
                if fault == "error" and where == "/v1/refunds":
                    t.saved_500.add("dispute")
                assert "dispute" in t.saved_500, "a decision fails only when Stripe keeps answering its refund 500"

        # --- the outside world ------------------------------------------------------------------------

        @rule(data=st.data(), what=st.sampled_from(["expire", "dashboard_refund", "chargeback", "reverse", "restrict", "free"]))
        def the_outside_world_acts(self, data, what):
            """Stripe and people at Stripe: a checkout expires, someone refunds in the dashboard, a
            card holder disputes a charge, a transfer is reversed, an account is restricted or freed."""
            deliver = data.draw(st.sampled_from([True, True, False]))
            if what == "expire" and self.in_state(PS.CHECKOUT_OPEN):
                checkout = self.checkout_of(data.draw(st.sampled_from(self.in_state(PS.CHECKOUT_OPEN))))
                if checkout["status"] == "open":
                    world.control("expire", checkout["id"], deliver=deliver)
            elif what == "chargeback" and self.charged():
                world.control("dispute", self.payment(data.draw(st.sampled_from(self.charged()))).charge_id, deliver=deliver)
            elif what == "dashboard_refund" and self.refundable_charges():
                # Staff give an employer money back by hand, while the pay is held or once it is settled.
                t = data.draw(st.sampled_from(self.refundable_charges()))
                charge = world.fake.objects[self.payment(t).charge_id]
                left = charge["amount"] - charge["amount_refunded"]
                if left > 0:
                    t.refunded_while_held = t.refunded_while_held or not self.settled(t)
                    amount = data.draw(st.one_of(st.just(left), st.integers(1, left)))
                    world.control("refund_in_dashboard", charge["id"], deliver=deliver, amount=amount)
            elif what == "reverse":
                transfers = [tr for tr in world.fake.of("transfer") if not tr["reversed"]]
                if transfers:
                    world.control("reverse_transfer", data.draw(st.sampled_from(transfers))["id"], deliver=deliver)
            elif what in ("restrict", "free"):
                session.expire_all()
                accounts = list(session.exec(select(PayoutAccount)).all())
                if accounts:
                    account = data.draw(st.sampled_from(accounts))
                    world.control("refuse_transfers" if what == "restrict" else "allow_transfers", account.account_id)

        @rule(data=st.data(), fault=FAULTS, who=st.sampled_from(["job", "job", "staff", "settle"]))
        def retries(self, data, fault, who):
            """The retry job runs, or staff retry a refused payout; or the world comes to rest:
            Stripe delivers all it holds and the job runs until nothing changes (then check)."""
            if who == "settle":
                self.settle()
                self.check_at_rest(final=False)
                return
            self.fault("/v1/transfers", fault)
            if who == "staff" and self.in_state(PS.PAYOUT_FAILED):
                t = data.draw(st.sampled_from(self.in_state(PS.PAYOUT_FAILED)))
                self.attempt(lambda: payments.retry_failed_payout(session, self.staff, t.id))
            else:
                assert self.attempt(lambda: payments.retry_payouts(session, utcnow()))

        @precondition(lambda self: world.held)
        @rule(data=st.data(), twice=st.booleans())
        def a_late_webhook_arrives(self, data, twice):
            event_id = data.draw(st.sampled_from(sorted(world.held)))
            world.redeliver(event_id)
            if twice:
                world.redeliver(event_id)

        @rule(data=st.data(), fault=FAULTS, deliver=st.sampled_from([True, True, True, False]))
        def the_work_goes_on(self, data, fault, deliver):
            """One engagement takes its next ordinary step: funded, worked on, approved, or its
            student sets up payouts (so that sequences reach the end of the road)."""
            t = data.draw(st.sampled_from(self.tracked))
            status, state, _charge = self.seen[t.id]
            if status == ES.FUNDING:
                checkout = self.checkout_of(t)
                if checkout is not None and checkout["status"] == "open":
                    world.control("pay", checkout["id"], deliver=deliver)
                else:
                    self.fault("/v1/checkout/sessions", fault)
                    self.attempt(lambda: payments.open_checkout(session, self.employer.manager, t.id))
            elif status in (ES.ACTIVE, ES.CHANGES_REQUESTED):
                assert self.attempt(lambda: self.make.submit(t.hired))
                t.submitted = True
            elif status == ES.SUBMITTED:
                self.fault("/v1/transfers", fault)
                assert self.attempt(lambda: engagements.approve(session, self.employer.manager, t.id)), "an approval must never fail"
                t.share = t.pay
            elif state in (PS.AWAITING_PAYOUT_ACCOUNT, PS.PAYOUT_FAILED) or self.account_of(t) is None:
                if self.account_of(t) is None:
                    self.fault("/v1/accounts", fault)
                    if not self.attempt(lambda: payments.payout_onboarding_url(session, t.hired.student)):
                        return
                world.control("allow_transfers", self.account_of(t).account_id)

        # --- what must always hold ----------------------------------------------------------------

        @invariant()
        def money_is_right(self):
            world.checks += 1

            world.drain()
            session.expire_all()
            for t in self.tracked:
                self.check(t)
            self.seen = {}
            for t in self.tracked:
                payment = session.get(EngagementPayment, t.id)
                self.seen[t.id] = (session.get(Engagement, t.id).status, payment.state, payment.charge_id)

        def gross_to_student(self, t: Tracked) -> int:
            rows = session.exec(
                select(LedgerEntry.amount_cents).where(
                    LedgerEntry.engagement_id == t.id, LedgerEntry.kind.in_(("transferred", "kill_fee")), LedgerEntry.amount_cents > 0
                )
            ).all()
            return sum(rows)

        def our_refunds(self, t: Tracked) -> int:
            rows = session.exec(
                select(LedgerEntry.amount_cents, LedgerEntry.idempotency_key).where(
                    LedgerEntry.engagement_id == t.id, LedgerEntry.kind == "refunded"
                )
            ).all()
            return sum(amount for amount, key in rows if "outside-refund" not in key)

        def check(self, t: Tracked) -> None:
            engagement = session.get(Engagement, t.id)
            payment = session.get(EngagementPayment, t.id)
            balance = payments.balance(session, t.id)
            books = world.books(t.id, payment.charge_id)
            where = f"engagement {t.id} ({engagement.status}, {payment.state}): {describe(balance)}; {t}"
            seen["states"].add(payment.state)
            seen["statuses"].add(engagement.status)
            assert balance.balanced, where
            assert (engagement.pay_cents, engagement.fee_cents) == (t.pay, t.fee), where
            assert balance.funded in (0, t.total), where
            assert (balance.funded > 0) == (engagement.funded_at is not None), where
            gross = self.gross_to_student(t)
            ours = self.our_refunds(t)
            assert 0 <= balance.transferred <= gross <= t.pay, where
            # Never more in our ledger than at Stripe.
            assert gross <= books.transfers_gross, (where, books)
            if balance.funded:
                assert books.own is not None and books.own["amount"] == t.total, (where, books)
                assert balance.refunded <= books.own["amount_refunded"], (where, books)
            # The status agrees with the money.
            if engagement.status == ES.FUNDING:
                assert balance.funded == 0, where
            elif engagement.status in UNDER_WAY:
                assert balance.funded == t.total and gross == 0 and ours == 0, where
            elif engagement.status == ES.APPROVED:
                assert balance.funded == t.total and gross == 0, where
                assert t.share and payment.state in (PS.PAYOUT_PENDING, *WAITS_ON_A_PERSON), where
            elif engagement.status == ES.PAID:
                # After an outside refund the share is capped by what was held.
                assert t.share and (gross == t.share or (t.refunded_while_held and gross <= t.share)), where
                assert payment.state in (PS.PAID, PS.PARTIALLY_REFUNDED), where
            elif engagement.status == ES.CANCELLED:
                assert t.share is not None, where
                if balance.funded and t.refunded_while_held:
                    # Only what was still held was split: the share capped by it, our refund the rest.
                    fee_kept = 0 if t.refund_fee else t.fee
                    assert gross <= t.share and ours <= t.total - fee_kept - gross, where
                elif balance.funded:
                    fee_kept = 0 if t.refund_fee else t.fee
                    assert ours == t.total - fee_kept - t.share, where
                    assert gross in (0, t.share), where
                    if gross < t.share:
                        assert payment.state in (PS.PAYOUT_PENDING, *WAITS_ON_A_PERSON), where
                else:
                    assert t.share == 0 and gross == 0, where

        # --- at rest --------------------------------------------------------------------------------

        def settle(self):
            """Stripe delivers everything it holds (in any order, retrying failures) and the
            retry job runs, until nothing changes."""
            for _ in range(10):
                world.drain()
                held = list(world.held)
                random.Random(len(held)).shuffle(held)
                for event_id in held:
                    world.redeliver(event_id)
                world.no_fault()
                assert self.attempt(lambda: payments.retry_payouts(session, utcnow()))
                world.drain()
                if not world.held and not self.now_in_state(PS.PAYOUT_PENDING):
                    return
            raise AssertionError(f"never settled: held {world.held}, pending {[t.id for t in self.now_in_state(PS.PAYOUT_PENDING)]}")

        def check_at_rest(self, final: bool) -> None:
            session.expire_all()
            waiting_for_staff: set[int] = set()
            for t in self.tracked:
                engagement = session.get(Engagement, t.id)
                payment = session.get(EngagementPayment, t.id)
                balance = payments.balance(session, t.id)
                books = world.books(t.id, payment.charge_id)
                where = f"at rest, engagement {t.id} ({engagement.status}, {payment.state}): {describe(balance)}; {t}; {books}"
                # Our ledger equals the fake's books.
                assert balance.funded == (books.own["amount"] if books.own else 0), where
                assert balance.refunded == (books.own["amount_refunded"] if books.own else 0), where
                unknown_transfer = books.transfers_net - balance.transferred
                if unknown_transfer and not final and payment.state == PS.PAYOUT_FAILED:
                    # A staff retry whose answer was lost: Stripe made the transfer; our ledger learns
                    # of it when staff retry again (the same key gets the same transfer), not before.
                    assert unknown_transfer == payment.payout_amount_cents, where
                    waiting_for_staff.add(t.id)
                else:
                    assert unknown_transfer == 0, where
                for charge in books.charges:  # any other paid checkout of it was given back whole
                    assert charge is books.own or charge["amount_refunded"] == charge["amount"], where
                assert payment.state != PS.PAYOUT_PENDING, where
                if engagement.status == ES.APPROVED:
                    assert payment.state in WAITS_ON_A_PERSON, where
                if engagement.status in FINAL and payment.state not in WAITS_ON_A_PERSON and not payment.transfer_reversed:
                    assert balance.held == 0, where
                # Reversed money is held again, no more than was reversed, until staff decide.
                assert balance.held <= t.pay, where
                if final and not self.waits_on_staff_settling(payment):
                    assert engagement.status not in (ES.APPROVED,), where
                    refundable = books.own["amount"] - books.own["amount_refunded"] if books.own else 0
                    if engagement.status in FINAL and not (payment.transfer_reversed and refundable == 0):
                        assert balance.held == 0, where
            report = money.reconcile(session, self.staff, gateways.current_gateway())
            assert not [d for d in report.differences if d.engagement_id not in waiting_for_staff], report.differences

        def teardown(self):
            if not self.tracked:
                return
            self.settle()
            self.check_at_rest(final=False)
            # Everyone does their part: every student onboards, Stripe allows transfers, staff retry.
            for t in self.tracked:
                if self.account_of(t) is None:
                    assert self.attempt(lambda t=t: payments.payout_onboarding_url(session, t.hired.student))
                world.control("allow_transfers", self.account_of(t).account_id)
            world.drain()
            for t in self.now_in_state(PS.PAYOUT_FAILED):
                assert self.attempt(lambda t=t: payments.retry_failed_payout(session, self.staff, t.id))
                # Pay refunded outside MicroGigs is not sent: it waits for staff to settle it by hand.
                held = payments.balance(session, t.id).held
                payment = self.payment(t)
                if held < payment.payout_amount_cents:
                    assert self.waits_on_staff_settling(payment), (t, payment)
            self.settle()
            # Staff give reversed money (held again) back to the employer from the dashboard, as
            # much as the charge still has (an earlier dashboard refund may have come out of the
            # platform's fee: that part of the reversed money stays with the platform).
            session.expire_all()
            for t in self.tracked:
                held = payments.balance(session, t.id).held
                payment = session.get(EngagementPayment, t.id)
                if held and session.get(Engagement, t.id).status in FINAL and payment.transfer_reversed:
                    charge = world.fake.objects[payment.charge_id]
                    amount = min(held, charge["amount"] - charge["amount_refunded"])
                    if amount:
                        world.control("refund_in_dashboard", charge["id"], amount=amount)
            self.settle()
            self.check_at_rest(final=True)
            for t in self.tracked:
                self.check(t)

    run_state_machine_as_test(
        Money,
        settings=settings(deadline=None, suppress_health_check=list(HealthCheck), print_blob=True, **PROFILE),
    )
    elapsed = time.monotonic() - started
    steps = world.checks - world.examples  # the checks after each step, less the one after each world's start
    print(f"\nmoney machine: {world.examples} examples, {steps} steps in {elapsed:.1f} s")
    if os.environ.get("MONEY_PROFILE", "default") in PROFILES and not os.environ.get("MONEY_EXAMPLES"):
        assert steps >= (50_000 if os.environ.get("MONEY_PROFILE") == "deep" else 2_000), steps
    # The worlds reached the cases worth reaching.
    assert {PS.PAID, PS.REFUNDED, PS.PARTIALLY_REFUNDED, PS.CANCELLED} <= seen["states"], seen
    assert {ES.PAID, ES.CANCELLED, ES.DISPUTED} <= seen["statuses"], seen

"""Hypothesis drives random accept / fund / approve / cancel / webhook sequences against the fake.

After every step, per engagement: the ledger balances (funded = fee + held + transferred +
refunded), our ledger never shows more than Stripe (the fake) did, and nobody is ever paid
more than their pay. At the end every held-back webhook is delivered, retries run, and
our ledger must equal the fake's records exactly.
"""

import random

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test

from microgigs.models import Engagement, EngagementPayment, PayoutAccount
from microgigs.services import closing, engagements, payments
from microgigs.services.errors import DomainError
from tests.stripe_fake.world import stripe_world


@pytest.fixture
def world(app_db, set_setting):
    with stripe_world(set_setting) as w:
        yield w


def test_random_payment_sequences_keep_the_ledger_true(session, make, world):
    employer = make.employer()
    session.commit()
    approvals: list[str] = []  # the payment state right after each approval, across all runs
    finals: set[str] = set()  # payment states at the end of each run
    world.stripe.fake.fault_delay = 1.3  # just past the client's 1 s timeout

    class Payments(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.hired: list = []  # Hired, in order of acceptance
            self.held_events: list[str] = []  # webhook events not delivered yet (late / reordered)

        # --- helpers ----------------------------------------------------------------------

        def _fresh(self, model, key):
            session.expire_all()
            return session.get(model, key)

        def _in_state(self, *states):
            session.expire_all()
            return [h for h in self.hired if session.get(EngagementPayment, h.engagement.id).state in states]

        def _in_status(self, *statuses):
            session.expire_all()
            return [h for h in self.hired if session.get(Engagement, h.engagement.id).status in statuses]

        def _gateway_side(self, engagement_id: int) -> tuple[int, int, int]:
            group = f"engagement-{engagement_id}"
            charges = [c for c in world.stripe.of("charge") if c["transfer_group"] == group]
            transfers = [t for t in world.stripe.of("transfer") if t["transfer_group"] == group]
            return sum(c["amount"] for c in charges), sum(t["amount"] for t in transfers), sum(c["amount_refunded"] for c in charges)

        def _hold_or_deliver(self, result: dict, deliver: bool) -> None:
            if not deliver:
                self.held_events += [e["id"] for e in result["events"]]

        # --- rules --------------------------------------------------------------------------

        @initialize()
        def two_students_accepted(self):
            self.hired += [make.hired(employer=employer), make.hired(employer=employer)]
            session.commit()
            # The first student already has payouts enabled; the second has no account yet.
            payments.payout_onboarding_url(session, self.hired[0].student)
            session.commit()
            world.stripe.control("enable_account", self._fresh(PayoutAccount, self.hired[0].student.id).account_id)

        @rule()
        def another_student_accepted(self):
            if len(self.hired) < 4:
                self.hired.append(make.hired(employer=employer))
                session.commit()

        @precondition(lambda self: self._in_state("checkout_open"))
        @rule(data=st.data(), deliver=st.sampled_from([True, True, False]), delayed=st.sampled_from([False, False, True]))
        def employer_pays(self, data, deliver, delayed):
            hired = data.draw(st.sampled_from(self._in_state("checkout_open")))
            checkout = world.stripe.fake.objects[self._fresh(EngagementPayment, hired.engagement.id).checkout_session_id]
            if checkout["status"] != "open":
                return  # paid already; its webhook is held back
            self._hold_or_deliver(world.stripe.control("pay", checkout["id"], deliver=deliver, delayed=delayed), deliver)
            if delayed:  # a bank debit: the answer comes later, yes or no
                action = data.draw(st.sampled_from(["async_succeed", "async_fail"]))
                self._hold_or_deliver(world.stripe.control(action, checkout["id"], deliver=deliver), deliver)

        @precondition(lambda self: self._in_state("checkout_open"))
        @rule(data=st.data())
        def checkout_expires(self, data):
            hired = data.draw(st.sampled_from(self._in_state("checkout_open")))
            checkout = world.stripe.fake.objects[self._fresh(EngagementPayment, hired.engagement.id).checkout_session_id]
            if checkout["status"] == "open":
                world.stripe.control("expire", checkout["id"])

        @precondition(lambda self: self._in_state("checkout_expired", "payment_failed", "checkout_open"))
        @rule(data=st.data())
        def manager_reopens_checkout(self, data):
            hired = data.draw(st.sampled_from(self._in_state("checkout_expired", "payment_failed", "checkout_open")))
            try:
                payments.open_checkout(session, employer.manager, hired.engagement.id)
                session.commit()
            except DomainError:
                session.rollback()

        @precondition(lambda self: self.held_events)
        @rule(data=st.data())
        def late_webhook_arrives(self, data):
            event_id = data.draw(st.sampled_from(self.held_events))
            world.stripe.control("redeliver", event_id)
            if data.draw(st.booleans()):  # or it stays around to be delivered again
                self.held_events.remove(event_id)

        @precondition(lambda self: self.hired)
        @rule(data=st.data())
        def student_sets_up_payouts(self, data):
            student = data.draw(st.sampled_from(self.hired)).student
            if self._fresh(PayoutAccount, student.id) is None:
                payments.payout_onboarding_url(session, student)
                session.commit()
            world.stripe.control("enable_account", self._fresh(PayoutAccount, student.id).account_id)

        @precondition(lambda self: self._in_status("active"))
        @rule(data=st.data(), fault=st.sampled_from(["", "error", "timeout_after"]))
        def student_submits_and_manager_approves(self, data, fault):
            hired = data.draw(st.sampled_from(self._in_status("active")))
            make.submit(hired)
            session.commit()
            if fault:
                world.stripe.control("fault", path="/v1/transfers", mode=fault)
            engagements.approve(session, employer.manager, hired.engagement.id)
            session.commit()
            world.stripe.fake.faults.clear()  # a fault the approval never reached (no payout account) ends here
            approvals.append(self._fresh(EngagementPayment, hired.engagement.id).state)

        @precondition(lambda self: self._in_status("funding", "active", "submitted"))
        @rule(data=st.data(), after_work=st.booleans())
        def manager_cancels(self, data, after_work):
            hired = data.draw(st.sampled_from(self._in_status("funding", "active", "submitted")))
            if after_work and self._fresh(Engagement, hired.engagement.id).status == "active":
                make.submit(hired)
                session.commit()
            closing.cancel_one_engagement(session, employer.manager, hired.engagement.id, "changed plans")
            session.commit()

        @rule()
        def retry_job_runs(self):
            payments.retry_payouts(session)
            session.commit()

        # --- what must always hold ------------------------------------------------------------

        @invariant()
        def ledger_balances_and_never_exceeds_the_gateway(self):
            session.expire_all()
            for hired in self.hired:
                engagement_id = hired.engagement.id
                balance = payments.balance(session, engagement_id)
                charged, transferred, refunded = self._gateway_side(engagement_id)
                assert balance.balanced, (engagement_id, balance)
                assert balance.funded in (0, charged), (engagement_id, balance, charged)
                assert balance.transferred <= transferred <= hired.engagement.pay_cents, "paid more than the pay"
                assert balance.refunded == refunded
                assert balance.held >= 0

        def teardown(self):
            # Every late event arrives and the retry job runs: then both sides agree exactly.
            for event_id in random.Random(0).sample(self.held_events, len(self.held_events)):
                world.stripe.control("redeliver", event_id)
            payments.retry_payouts(session)
            session.commit()
            session.expire_all()
            for hired in self.hired:
                balance = payments.balance(session, hired.engagement.id)
                charged, transferred, refunded = self._gateway_side(hired.engagement.id)
                assert (balance.funded, balance.transferred, balance.refunded) == (charged, transferred, refunded)
                engagement = session.get(Engagement, hired.engagement.id)
                finals.add(session.get(EngagementPayment, hired.engagement.id).state)
                if engagement.status == "paid":
                    assert balance.transferred == engagement.pay_cents

    run_state_machine_as_test(
        Payments,
        settings=settings(
            max_examples=10, stateful_step_count=20, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
        ),
    )
    # The sequences reached payouts that had to wait or be retried, and paid them.
    assert {"payout_pending", "awaiting_payout_account"} <= set(approvals), approvals
    assert "paid" in finals and finals & {"refunded", "partially_refunded"}, finals

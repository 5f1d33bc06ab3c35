"""Two people change the same engagement at the same moment, each in their own transaction
(threads, one Session each, on the test's real database: SQLite, or PostgreSQL under
MICROGIGS_TEST_DATABASE=postgresql, where row locks and isolation differ).

The worst interleaving is forced, not hoped for: a rendezvous on the database connection holds
each transaction at its first write of the engagement row until the other arrives too (or a
second has passed), so both have read the engagement before either writes it. Whatever the
database, exactly one change wins, the other waits for it and is refused in words, and the
money matches the status (services/row_locks.py).
"""

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, func, select

from microgigs.models import Engagement, EngagementPayment, GatewayEvent, LedgerEntry, User, utcnow
from microgigs.services import closing, disputes, engagements, payments
from microgigs.services.errors import DomainError
from microgigs.services.statuses import EngagementStatus
from tests.stripe_fake.world import stripe_world
from tests.unit.test_stripe_payments import count, fresh, hire, ledger_matches_the_fake, onboard, pay_checkout
from tests.unit.test_stripe_payout_failures_and_events import transfers_of

HOLD_SECONDS = 1.0


class Rendezvous:
    """Holds each connection at its first UPDATE of an engagement until `parties` are there."""

    def __init__(self, engine, parties: int):
        self.engine = engine
        self.barrier = threading.Barrier(parties, timeout=HOLD_SECONDS)
        self.seen: set[int] = set()

    def _before(self, conn, _cursor, statement, *_):
        if statement.lstrip().upper().startswith("UPDATE ENGAGEMENT ") and threading.get_ident() not in self.seen:
            self.seen.add(threading.get_ident())
            try:
                self.barrier.wait()
            except threading.BrokenBarrierError:
                pass  # the other is held back (by a row lock): go on alone

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._before)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._before)


def at_the_same_time(db_engine, *changes: tuple[int, Callable[[Session, User], object]]) -> list[str]:
    """Run each change (actor id, call) in its own thread and transaction; their outcomes."""
    outcomes: list[str] = [""] * len(changes)
    start = threading.Barrier(len(changes))

    def run(index: int, actor_id: int, change) -> None:
        with Session(db_engine, expire_on_commit=False) as own:
            actor = own.get(User, actor_id)
            start.wait()
            try:
                change(own, actor)
                own.commit()
                outcomes[index] = "done"
            except DomainError as error:
                own.rollback()
                outcomes[index] = f"refused: {error.message}"
            except DBAPIError as error:  # e.g. a deadlock, or SQLite's "database is locked"
                own.rollback()
                outcomes[index] = f"database: {error.orig}"

    with Rendezvous(db_engine, len(changes)):
        threads = [threading.Thread(target=run, args=(i, actor_id, change)) for i, (actor_id, change) in enumerate(changes)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def one_won(outcomes: list[str]) -> int:
    """Exactly one change took effect; the other waited for it, saw it, and was refused in
    words (not by a database error). Returns the winner's index."""
    assert outcomes.count("done") == 1, outcomes
    assert next(o for o in outcomes if o != "done").startswith("refused: "), outcomes
    return outcomes.index("done")


def money(db_engine, engagement_id: int) -> tuple[str, dict[str, int]]:
    with Session(db_engine) as check:
        status = check.get(Engagement, engagement_id).status
        sums = dict(
            check.exec(
                select(LedgerEntry.kind, func.sum(LedgerEntry.amount_cents))
                .where(LedgerEntry.engagement_id == engagement_id)
                .group_by(LedgerEntry.kind)
            ).all()
        )
        assert payments.balance(check, engagement_id).balanced
        return status, sums


@pytest.fixture
def submitted(session, make):
    """Funded (demo gateway), work submitted, and a second manager of the same employer."""
    hired = make.hired(pay_cents=20_000)
    make.submit(hired)
    co_manager = make.second_manager(hired.employer)
    session.commit()
    return hired, co_manager


def test_approve_and_request_changes_at_once_leave_money_and_status_agreeing(db_engine, submitted):
    hired, co_manager = submitted
    engagement_id = hired.engagement.id
    outcomes = at_the_same_time(
        db_engine,
        (hired.employer.manager.id, lambda s, a: engagements.approve(s, a, engagement_id)),
        (co_manager.id, lambda s, a: engagements.request_changes(s, a, engagement_id, "Please add the charts.")),
    )
    winner = one_won(outcomes)
    status, sums = money(db_engine, engagement_id)
    if winner == 0:
        assert status in (EngagementStatus.APPROVED, EngagementStatus.PAID) and sums.get("transferred") == 20_000
    else:
        assert status == EngagementStatus.CHANGES_REQUESTED and "transferred" not in sums and sums["held"] == 20_000


def test_approve_and_cancel_at_once_never_pay_and_refund_the_same_money(db_engine, submitted):
    hired, co_manager = submitted
    engagement_id = hired.engagement.id
    outcomes = at_the_same_time(
        db_engine,
        (hired.employer.manager.id, lambda s, a: engagements.approve(s, a, engagement_id)),
        (co_manager.id, lambda s, a: closing.cancel_one_engagement(s, a, engagement_id, "Plans changed.")),
    )
    winner = one_won(outcomes)
    status, sums = money(db_engine, engagement_id)
    if winner == 0:
        assert status in (EngagementStatus.APPROVED, EngagementStatus.PAID)
        assert sums.get("transferred") == 20_000 and "refunded" not in sums
    else:
        assert status == EngagementStatus.CANCELLED and sums.get("transferred", 0) < 20_000 and sums["refunded"] > 0


def test_two_managers_approving_at_once_pay_once(db_engine, submitted):
    hired, co_manager = submitted
    engagement_id = hired.engagement.id
    outcomes = at_the_same_time(
        db_engine,
        (hired.employer.manager.id, lambda s, a: engagements.approve(s, a, engagement_id)),
        (co_manager.id, lambda s, a: engagements.approve(s, a, engagement_id)),
    )
    one_won(outcomes)
    _, sums = money(db_engine, engagement_id)
    assert sums.get("transferred") == 20_000
    with Session(db_engine) as check:
        assert check.get(EngagementPayment, engagement_id).state == "paid"


def test_two_staff_deciding_one_dispute_at_once_settle_it_once(session, make, db_engine, submitted):
    hired, _ = submitted
    engagement_id = hired.engagement.id
    dispute = disputes.open_dispute(session, hired.student, engagement_id, "The manager stopped answering.")
    first, second = make.staff(), make.staff()
    session.commit()
    outcomes = at_the_same_time(
        db_engine,
        (first.id, lambda s, a: disputes.decide(s, a, dispute.id, "pay_full")),
        (second.id, lambda s, a: disputes.decide(s, a, dispute.id, "refund")),
    )
    winner = one_won(outcomes)
    status, sums = money(db_engine, engagement_id)
    assert "already decided" in outcomes[1 - winner]
    if winner == 0:
        assert sums.get("transferred") == 20_000 and "refunded" not in sums
    else:
        assert status == EngagementStatus.CANCELLED and "transferred" not in sums and sums["refunded"] > 0


def test_the_auto_approve_job_and_a_manager_asking_for_changes_at_once(db_engine, submitted, set_setting):
    hired, _ = submitted
    engagement_id = hired.engagement.id
    set_setting("auto_approve_days", 7)
    later = utcnow() + timedelta(days=30)
    outcomes = at_the_same_time(
        db_engine,
        (hired.employer.manager.id, lambda s, a: engagements.request_changes(s, a, engagement_id, "Please add the charts.")),
        (hired.employer.manager.id, lambda s, a: engagements.auto_approve_silent(s, later) or refuse("nothing was due")),
    )
    winner = one_won(outcomes)
    status, sums = money(db_engine, engagement_id)
    if winner == 0:  # the job found it no longer waiting, and left it alone
        assert status == EngagementStatus.CHANGES_REQUESTED and "transferred" not in sums
    else:
        assert status == EngagementStatus.PAID and sums.get("transferred") == 20_000
        assert "already approved" in outcomes[0]


def refuse(message: str):
    raise DomainError(message)


# --- Stripe: the same news twice at once, and payout retries in two workers ------------------


@pytest.fixture
def world(app_db, set_setting):
    with stripe_world(set_setting) as w:
        yield w


def test_the_same_payment_news_delivered_twice_at_once_funds_once(session, make, db_engine, world):
    hired = hire(session, make, pay_cents=20_000)
    checkout = fresh(session, EngagementPayment, hired.engagement.id).checkout_session_id
    (paid,) = world.stripe.control("pay", checkout, deliver=False)["events"]
    statuses: list[int] = []
    start = threading.Barrier(2)

    def deliver() -> None:
        start.wait()
        statuses.append(world.stripe.control("redeliver", paid["id"])["status"])

    with Rendezvous(db_engine, 2):
        threads = [threading.Thread(target=deliver) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert statuses == [200, 200]  # the second is a duplicate, answered as such, not an error
    status, sums = money(db_engine, hired.engagement.id)
    assert status == EngagementStatus.ACTIVE and sums["funded"] == hired.engagement.pay_cents + hired.engagement.fee_cents
    assert count(session, GatewayEvent) == 1
    ledger_matches_the_fake(session, world, hired.engagement.id)


def test_two_workers_retrying_a_waiting_payout_at_once_send_it_once(session, make, db_engine, world):
    hired = hire(session, make, pay_cents=20_000)
    onboard(session, world, hired.student)
    pay_checkout(session, world, hired.engagement.id)
    make.submit(hired)
    world.stripe.control("fault", path="/v1/transfers", mode="timeout")  # the approval's payout gets no answer
    world.stripe.control("config", fault_delay=0.2)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    session.commit()
    assert fresh(session, EngagementPayment, hired.engagement.id).state == "payout_pending"
    outcomes = at_the_same_time(
        db_engine,
        (hired.student.id, lambda s, _: payments.retry_payouts(s)),
        (hired.student.id, lambda s, _: payments.retry_payouts(s)),
    )
    assert outcomes == ["done", "done"]
    status, sums = money(db_engine, hired.engagement.id)
    assert status == EngagementStatus.PAID and sums["transferred"] == 20_000
    assert len(transfers_of(world, hired.engagement.id)) == 1
    ledger_matches_the_fake(session, world, hired.engagement.id)

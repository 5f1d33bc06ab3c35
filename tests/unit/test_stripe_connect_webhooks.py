"""The Connect endpoint (/api/stripe/connect-webhook) against forged and replayed events.

A Connect event is signed with the Connect endpoint's own secret: a bad signature, the
platform's secret, a stale timestamp or a changed body is refused with 400 and changes
nothing; the same event delivered twice is applied once. The platform endpoint likewise
refuses a Connect-signed event.
"""

import json

import httpx
import pytest
from sqlmodel import select

from microgigs.models import AuditEvent, GatewayEvent, PayoutAccount
from microgigs.services import engagements
from tests.stripe_fake.app import sign
from tests.stripe_fake.world import CONNECT_SECRET, PLATFORM_SECRET, stripe_world
from tests.unit.test_stripe_payments import count, fresh, hire, onboard, pay_checkout, state
from tests.unit.test_stripe_payout_failures_and_events import notes, transfers_of


@pytest.fixture
def world(app_db, set_setting):
    with stripe_world(set_setting) as w:
        yield w


def onboarded_student(session, make, world):
    student = make.student()
    session.commit()
    return student, onboard(session, world, student)


def payout_failed_audits(session, student_id: int) -> list[AuditEvent]:
    session.expire_all()
    return list(
        session.exec(select(AuditEvent).where(AuditEvent.action == "payout_account.payout_failed", AuditEvent.subject_id == student_id))
    )


@pytest.mark.parametrize("how", ["wrong secret", "platform secret", "old timestamp", "tampered body", "no signature"])
def test_a_forged_connect_webhook_is_refused_and_changes_nothing(session, make, world, how):
    student, account_id = onboarded_student(session, make, world)
    stored = count(session, GatewayEvent)
    event = world.stripe.control("payout_failed", account_id, amount=500, deliver=False)["events"][0]
    payload = json.dumps(event)
    header = {
        "wrong secret": sign(payload, "whsec_someone_else"),
        "platform secret": sign(payload, PLATFORM_SECRET),
        "old timestamp": sign(payload, CONNECT_SECRET, timestamp=1_000_000_000),
        "tampered body": sign(payload.replace('"payout.failed"', '"payout.paid"'), CONNECT_SECRET),
        "no signature": "",
    }[how]
    response = httpx.post(f"{world.app_url}/api/stripe/connect-webhook", content=payload, headers={"Stripe-Signature": header})
    assert response.status_code == 400
    assert count(session, GatewayEvent) == stored
    assert fresh(session, PayoutAccount, student.id).last_payout_status == ""
    assert notes(session, student.id, "payout.failed") == [] and payout_failed_audits(session, student.id) == []
    # The genuine delivery of the same event is applied.
    assert world.stripe.control("redeliver", event["id"])["status"] == 200
    assert fresh(session, PayoutAccount, student.id).last_payout_status == "failed"


def test_a_connect_event_delivered_twice_is_applied_once(session, make, world):
    student, account_id = onboarded_student(session, make, world)
    result = world.stripe.control("payout_failed", account_id, amount=500)
    assert result["statuses"] == [200]
    event_id = result["events"][0]["id"]
    for _ in range(2):
        assert world.stripe.control("redeliver", event_id)["status"] == 200
    assert len(notes(session, student.id, "payout.failed")) == 1
    assert len(payout_failed_audits(session, student.id)) == 1
    session.expire_all()
    assert session.exec(select(GatewayEvent).where(GatewayEvent.id == event_id)).one().endpoint == "connect"


def test_an_account_update_delivered_twice_pays_the_waiting_payout_once(session, make, world):
    hired = hire(session, make, pay_cents=20_000)
    pay_checkout(session, world, hired.engagement.id)
    make.submit(hired)
    engagements.approve(session, hired.employer.manager, hired.engagement.id)
    session.commit()
    assert state(session, hired.engagement.id) == "awaiting_payout_account"
    onboard(session, world, hired.student)  # its account.updated pays the waiting payout
    updated = next(e for e in reversed(world.stripe.fake.events) if e["type"] == "account.updated")
    assert state(session, hired.engagement.id) == "paid"
    assert world.stripe.control("redeliver", updated["id"])["status"] == 200
    late = world.stripe.fake.event("account.updated", updated["data"]["object"], account=updated["account"])
    assert world.stripe.control("redeliver", late["id"])["status"] == 200  # the same news under a new id
    assert [t["amount"] for t in transfers_of(world, hired.engagement.id)] == [20_000]
    assert state(session, hired.engagement.id) == "paid"


def test_the_platform_endpoint_refuses_a_connect_signed_event(session, make, world):
    student, account_id = onboarded_student(session, make, world)
    stored = count(session, GatewayEvent)
    event = world.stripe.control("payout_failed", account_id, amount=500, deliver=False)["events"][0]
    payload = json.dumps(event)
    response = httpx.post(
        f"{world.app_url}/api/stripe/webhook", content=payload, headers={"Stripe-Signature": sign(payload, CONNECT_SECRET)}
    )
    assert response.status_code == 400 and count(session, GatewayEvent) == stored
    assert fresh(session, PayoutAccount, student.id).last_payout_status == ""

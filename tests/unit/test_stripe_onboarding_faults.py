"""Setting up payouts when Stripe fails: a 500 that Stripe saves under the idempotency key (and
replays to every retry with that key) must not lock a student out of payouts for good. The
retry passes the spent key for the next one; a fresh failure asks the student to try again.

All through the real SDK against the loopback fake.
"""

import pytest

from microgigs.integrations.payments import GatewayUnavailable
from microgigs.models import PayoutAccount
from microgigs.services import payments
from microgigs.services.payments.onboarding import KEYS_PER_TRY
from tests.stripe_fake.world import stripe_world
from tests.unit.test_stripe_payments import count, fresh


@pytest.fixture
def world(app_db, set_setting):
    with stripe_world(set_setting) as w:
        yield w


@pytest.fixture
def student(session, make):
    student = make.student()
    session.commit()
    return student


def accounts_at_stripe(world) -> list[dict]:
    return world.stripe.of("account")


def posts(world, path: str) -> int:
    return world.stripe.fake.requests.count(("POST", path))


def try_onboarding(session, student) -> str | None:
    """The student's "Set up payouts": the onboarding link, or None when Stripe did not answer."""
    try:
        url = payments.payout_onboarding_url(session, student)
    except GatewayUnavailable:
        session.rollback()
        return None
    session.commit()
    return url


@pytest.mark.parametrize("mode", ["error", "error_after"])
def test_after_a_saved_500_on_the_account_the_next_try_sets_up_payouts(session, world, student, mode):
    world.stripe.control("fault", path="/v1/accounts", mode=mode)
    assert try_onboarding(session, student) is None
    assert fresh(session, PayoutAccount, student.id) is None  # nothing of the failed try is kept
    key = f"student-{student.id}-payout-account"
    assert world.stripe.fake.idempotency[key][1] == 500  # Stripe keeps the 500 under the key

    url = try_onboarding(session, student)
    assert url and url.startswith(world.stripe.url)
    account = fresh(session, PayoutAccount, student.id)
    made = accounts_at_stripe(world)
    # "error" made nothing; "error_after" made an account the app never heard of: it stays unused.
    assert len(made) == (1 if mode == "error" else 2)
    assert account.account_id == made[-1]["id"]
    assert world.stripe.fake.idempotency[f"{key}-2"][1] == 200
    assert f"/_fake/onboard/{account.account_id}?" in url


def test_after_a_saved_500_on_the_link_a_retry_in_the_same_minute_gets_a_link(session, world, student):
    world.stripe.control("fault", path="/v1/account_links", mode="error")
    assert try_onboarding(session, student) is None
    assert count(session, PayoutAccount) == 0 and len(accounts_at_stripe(world)) == 1

    url = try_onboarding(session, student)  # the account's key replays its account; the link's next key
    assert len(accounts_at_stripe(world)) == 1  # the account made on the first try is the one used
    account_id = accounts_at_stripe(world)[0]["id"]
    assert fresh(session, PayoutAccount, student.id).account_id == account_id
    assert url and f"/_fake/onboard/{account_id}?" in url
    link_answers = sorted(status for key, (_, status, *_) in world.stripe.fake.idempotency.items() if "-link-" in key)
    assert link_answers == [200, 500]


def test_a_changed_email_between_tries_uses_the_next_key(session, world, student):
    world.stripe.control("fault", path="/v1/accounts", mode="error")
    assert try_onboarding(session, student) is None
    student.email = f"new-{student.email}"
    session.add(student)
    session.commit()
    assert try_onboarding(session, student)
    assert [a["email"] for a in accounts_at_stripe(world)] == [student.email]


def test_a_stripe_that_keeps_failing_is_tried_a_bounded_number_of_times(session, world, student):
    for tries in range(1, KEYS_PER_TRY + 1):
        world.stripe.control("fault", path="/v1/accounts", mode="error")
        assert try_onboarding(session, student) is None
        assert posts(world, "/v1/accounts") == tries * (tries + 1) // 2  # spent keys replayed, one fresh try
    # Every key of a try is spent: the next try replays them all and stops, no fresh request.
    assert try_onboarding(session, student) is None
    assert posts(world, "/v1/accounts") == KEYS_PER_TRY * (KEYS_PER_TRY + 1) // 2 + KEYS_PER_TRY
    assert accounts_at_stripe(world) == [] and count(session, PayoutAccount) == 0

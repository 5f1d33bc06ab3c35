"""MicroGigs on the Stripe gateway against the fake: both served on loopback, webhooks real.

`stripe_world(set_setting)` serves our routes (build_api) with uvicorn, starts the fake
with its webhook URLs pointing at them, and switches the settings to the Stripe gateway.
The caller's database must be what `microgigs.db.get_engine` returns (unit tests: `app_db`).

When the test body ends without an error, the world waits for the webhooks still on their
way and fails the test if any delivery was not answered 2xx by our endpoints (unless the
test declared it with `world.stripe.expect_failed_delivery(event_id)`), or if the fake crashed.
"""

from contextlib import contextmanager
from dataclasses import dataclass

from microgigs.http.app import build_api
from microgigs.http.limits import limit_request_size
from tests.stripe_fake.server import FakeStripeServer, running_fake, serving

SECRET_KEY = "sk_test_fake"
PLATFORM_SECRET = "whsec_platform_fake"
CONNECT_SECRET = "whsec_connect_fake"


@dataclass
class World:
    stripe: FakeStripeServer
    app_url: str


def stripe_settings(api_base: str) -> dict[str, str]:
    return {
        "payment_gateway": "stripe",
        "stripe_secret_key": SECRET_KEY,
        "stripe_webhook_secret": PLATFORM_SECRET,
        "stripe_connect_webhook_secret": CONNECT_SECRET,
        "stripe_api_base": api_base,
        # Short, so a simulated timeout costs the tests little.
        "stripe_timeout_seconds": "1.0",
    }


@contextmanager
def stripe_world(set_setting):
    with running_fake(
        secret_key=SECRET_KEY, webhook_secret=PLATFORM_SECRET, connect_webhook_secret=CONNECT_SECRET, fault_delay=2.0
    ) as fake:
        with serving(limit_request_size(build_api())) as app_url:
            fake.control("config", webhook_url=f"{app_url}/api/stripe/webhook", connect_webhook_url=f"{app_url}/api/stripe/connect-webhook")
            for name, value in stripe_settings(fake.url).items():
                set_setting(name, value)
            yield World(stripe=fake, app_url=app_url)
            fake.check_deliveries()

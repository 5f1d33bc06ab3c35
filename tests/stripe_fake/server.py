"""Serve an ASGI app (the Stripe fake, or our own routes) on a free loopback port in a thread."""

import socket
import threading
import time
from contextlib import contextmanager

import httpx
import uvicorn

from tests.stripe_fake.app import FakeStripe, build_app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(app, port: int | None = None):
    """Yield the base URL while `app` is served by uvicorn in a background thread."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


class FakeStripeServer:
    """The running fake: its URL, its state, and the control routes as methods."""

    def __init__(self, fake: FakeStripe, url: str):
        self.fake, self.url = fake, url
        self.http = httpx.Client(base_url=url, timeout=30)

    def control(self, action: str, target: str = "", **options) -> dict:
        path = f"/_control/{action}/{target}" if target else f"/_control/{action}"
        response = self.http.post(path, json=options)
        response.raise_for_status()
        return response.json()

    def of(self, kind: str) -> list[dict]:
        return self.fake.of(kind)

    def wait_for_deliveries(self, count: int, timeout: float = 10) -> None:
        """Events caused by API calls go out in the background; wait until `count` were delivered."""
        if not self.fake.wait(lambda: len(self.fake.deliveries) >= count, timeout):
            raise AssertionError(f"only {len(self.fake.deliveries)} of {count} webhook deliveries arrived")

    def wait_until_delivered(self, timeout: float = 10) -> None:
        """Wait until no background delivery is on its way."""
        if not self.fake.wait(lambda: not self.fake.pending, timeout):
            raise AssertionError(f"{len(self.fake.pending)} webhook deliveries still on their way")

    def expect_failed_delivery(self, event_id: str) -> None:
        """This event's delivery is meant to fail (non-2xx or no answer): `check_deliveries` lets it pass."""
        self.fake.expected_failures.add(event_id)

    def check_deliveries(self) -> None:
        """Fail unless every webhook delivery so far was answered 2xx (or declared expected to
        fail) and the fake itself never crashed. `stripe_world` calls it when a test ends."""
        self.wait_until_delivered()
        failed = self.fake.unexpected_failures()
        assert not failed, "webhook deliveries that our endpoints did not accept:\n" + "\n".join(
            f"  {d.event_type} {d.event_id} to the {d.endpoint} endpoint: {d.error or d.status}" for d in failed
        )
        assert not self.fake.crashes, "the Stripe fake crashed (a bug in the fake):\n" + "\n".join(self.fake.crashes)


@contextmanager
def running_fake(**settings):
    fake = FakeStripe(**settings)
    port = free_port()
    fake.public_url = f"http://127.0.0.1:{port}"
    with serving(build_app(fake), port) as url:
        yield FakeStripeServer(fake, url)

"""The money world the money state machine (test_stripe_state_machine.py) runs in.

One `MoneyWorld` per test run serves our routes (build_api) once; every Hypothesis example
then gets its own world from `fresh_example`:
- a fresh SQLite file (the schema template copied), which every connection of the shared
  engine (this test's and the served routes') now opens;
- a fresh Stripe fake: a new FakeStripe on its own new server, so no object, event, key or
  fault of an earlier example can leak in; the previous one is stopped first.

It also knows how to wait until the fake has no webhook left to send (`drain`) and how to
read the fake's books for one engagement (`books`).
"""

import shutil
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from microgigs.services.payments.ledger import LedgerBalance
from tests.stripe_fake.server import FakeStripeServer, running_fake
from tests.stripe_fake.world import CONNECT_SECRET, PLATFORM_SECRET, SECRET_KEY, stripe_settings
from tests.unit.conftest import Factory

# The client's timeout: generous for every ordinary call, so a loaded machine never turns a
# slow answer into a timeout (the machine must be the same on every run), and short only
# while a simulated timeout is on its way, so that costs little (the fake holds the answer
# FAULT_DELAY, just past it).
NORMAL_TIMEOUT = 10.0
SHORT_TIMEOUT = 0.25
FAULT_DELAY = 0.4


@dataclass(frozen=True)
class Books:
    """What the fake holds for one engagement (transfer group `engagement-<id>`)."""

    charges: tuple[dict, ...]  # every charge of the group (a second paid checkout is one more)
    own: dict | None  # the charge our ledger funded from
    transfers_gross: int
    transfers_net: int  # net of reversals
    outside_refunded: int  # refunds of the own charge made without our metadata (the dashboard)


def delivery_statuses(fake) -> dict[str, list[int]]:
    """event id -> the status codes our routes answered, in order (tuples or dict records)."""
    found: dict[str, list[int]] = {}
    for record in list(fake.deliveries):
        if isinstance(record, dict):
            event_id, status = record.get("event_id") or record.get("id"), record.get("status") or record.get("status_code")
        else:
            event_id, status = record[0], record[1]
        found.setdefault(event_id, []).append(int(status or 0))
    return found


class MoneyWorld:
    def __init__(self, *, shared_engine, schema_template: Path, folder: Path, set_setting, app_url: str, session):
        self.engine, self.target, _idle = shared_engine
        self.template, self.folder = schema_template, folder
        self.set_setting, self.app_url, self.session = set_setting, app_url, session
        self.stack = ExitStack()
        self.stripe: FakeStripeServer | None = None
        self.examples = 0
        self.checks = 0  # invariant checks: one after each world's start and one after each step
        self.held: list[str] = []  # events Stripe has not delivered yet (late, or a failed delivery it retries)

    # --- a fresh world per example --------------------------------------------------------

    def fresh_example(self, settings: dict[str, str]) -> Factory:
        self.stack.close()  # the previous fake: stopped, its background deliveries with it
        self.stack = ExitStack()
        self.session.close()
        self.engine.dispose()
        self.examples += 1
        path = self.folder / f"example-{self.examples}.db"
        shutil.copyfile(self.template, path)
        old = self.target["path"]
        self.target["path"] = str(path)
        if old.startswith(str(self.folder)):
            Path(old).unlink(missing_ok=True)
            for suffix in ("-wal", "-shm"):
                Path(old + suffix).unlink(missing_ok=True)
        self.stripe = self.stack.enter_context(
            running_fake(
                secret_key=SECRET_KEY, webhook_secret=PLATFORM_SECRET, connect_webhook_secret=CONNECT_SECRET, fault_delay=FAULT_DELAY
            )
        )
        self.stripe.control(
            "config", webhook_url=f"{self.app_url}/api/stripe/webhook", connect_webhook_url=f"{self.app_url}/api/stripe/connect-webhook"
        )
        for name, value in {**stripe_settings(self.stripe.url), "stripe_timeout_seconds": str(NORMAL_TIMEOUT), **settings}.items():
            self.set_setting(name, value)
        self.held = []
        return Factory(self.session)

    def close(self) -> None:
        self.stack.close()

    # --- the fake ------------------------------------------------------------------------------

    @property
    def fake(self):
        return self.stripe.fake

    def control(self, action: str, target: str = "", *, deliver: bool = True, **options) -> dict:
        """An outside action; with deliver=False its events stay with Stripe (delivered late)."""
        result = self.stripe.control(action, target, deliver=deliver, **options)
        if not deliver:
            self.held += [e["id"] for e in result.get("events", [])]
        return result

    def fault(self, path: str, mode: str) -> None:
        """The next POST under `path` fails (`mode`: error, timeout, timeout_after); a timeout
        shortens the client's patience until `no_fault`."""
        if mode:
            self.stripe.control("fault", path=path, mode=mode)
            if mode.startswith("timeout"):
                self.set_setting("stripe_timeout_seconds", str(SHORT_TIMEOUT))

    def no_fault(self) -> None:
        """A fault the action never reached ends with it; the client is patient again."""
        self.fake.faults.clear()
        self.set_setting("stripe_timeout_seconds", str(NORMAL_TIMEOUT))

    def drain(self, timeout: float = 20) -> None:
        """Wait until every event Stripe sends on its own has been answered by our routes.

        Held events stay held. An event our routes did not accept (non-2xx) is held too:
        Stripe delivers it again later (`late_webhook` / `settle`)."""
        deadline = time.monotonic() + timeout
        while True:
            answered = delivery_statuses(self.fake)
            waiting = [e["id"] for e in list(self.fake.events) if e["id"] not in answered and e["id"] not in self.held]
            if not waiting:
                break
            if time.monotonic() > deadline:
                raise AssertionError(f"webhooks never delivered: {waiting}")
            time.sleep(0.01)
        for event_id, statuses in answered.items():
            if not any(200 <= s < 300 for s in statuses) and event_id not in self.held:
                self.held.append(event_id)

    def redeliver(self, event_id: str) -> int:
        status = self.stripe.control("redeliver", event_id)["status"]
        if 200 <= status < 300 and event_id in self.held:
            self.held.remove(event_id)
        return status

    def books(self, engagement_id: int, charge_id: str) -> Books:
        group = f"engagement-{engagement_id}"
        charges = tuple(c for c in self.fake.of("charge") if c["transfer_group"] == group)
        own = next((c for c in charges if c["id"] == charge_id), None)
        transfers = [t for t in self.fake.of("transfer") if t["transfer_group"] == group]
        outside = sum(r["amount"] for r in self.fake.of("refund") if own and r["charge"] == own["id"] and not r["metadata"])
        return Books(
            charges=charges,
            own=own,
            transfers_gross=sum(t["amount"] for t in transfers),
            transfers_net=sum(t["amount"] - t["amount_reversed"] for t in transfers),
            outside_refunded=outside,
        )


def describe(balance: LedgerBalance) -> str:
    return (
        f"funded {balance.funded} = fee {balance.platform_fee} + held {balance.held} "
        f"+ transferred {balance.transferred} + refunded {balance.refunded}"
    )

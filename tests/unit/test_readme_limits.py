"""The README's numbers about limits, read from README.md and held against what the app does:
change a limit in the code without the README, or the README without the code, and this fails.

Each row of the throttle table (Security, "Abuse"): its N requests are allowed, the next is refused
with a 429 and a Retry-After of the whole window, one second before the window ends it is still
refused (Retry-After: 1), and once the window has passed it is allowed again. The throttle's clock
is frozen, so the window is exact. Every request of a row varies what that row does not count
(another client, another address), so only the row's own limit can refuse it. Requests go through
our HTTP routes (sign-up, forgot-password, a new confirmation link, the credential API, sign-in);
invitations, a page form with no route, through their service.

Sizes: the settings table's upload and request limits and the photo limit, at the limit and one
byte over, with the default settings.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlmodel import Session, func, select
from starlette.responses import PlainTextResponse
from starlette.testclient import TestClient

from microgigs.http.app import build_api
from microgigs.http.limits import limit_request_size
from microgigs.models import RateLimitHit, Submission, utcnow
from microgigs.services import accounts, engagements, organizations, profiles, throttle
from microgigs.services.engagements import UploadedFile
from microgigs.services.validation import ValidationFailed
from microgigs.settings import get_settings
from tests.unit.conftest import PASSWORD, Factory
from tests.unit.state_harness import session_token

README = Path(__file__).parents[2] / "README.md"
ORIGIN = {"origin": "http://testserver"}
UNITS = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}
MB = 1024 * 1024


# --- what the README says ------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    at_most: int
    window: timedelta


def words(text: str) -> str:
    """The README's text with its line breaks as spaces (a sentence may wrap anywhere)."""
    return " ".join(text.split())


def window_of(text: str) -> timedelta:
    """ "15 minutes" -> 15 minutes."""
    found = re.fullmatch(r"(\d+) (minute|hour|day)s?", text.strip())
    assert found, f"the README names a window as {text!r}: write it as '15 minutes', '1 hour' or '1 day'"
    return int(found[1]) * UNITS[found[2]]


def throttle_table() -> dict[tuple[str, str], Row]:
    """The README's table "| what | counted per | at most | in |", as (what, counted per) -> Row."""
    lines = README.read_text().splitlines()
    start = lines.index("| what | counted per | at most | in |")
    table = {}
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        what, per, at_most, window = (cell.strip() for cell in line.strip().strip("|").split("|"))
        table[(what, per)] = Row(int(at_most), window_of(window))
    return table


def setting_default(variable: str) -> str:
    """The default column of a variable's row in the README's settings table."""
    row = next(line for line in README.read_text().splitlines() if line.startswith(f"| `{variable}` |"))
    return row.strip("|").split("|")[1].strip()


def bytes_and_mb(variable: str) -> int:
    """A size setting's README default ("`26214400` (25 MB)"): its bytes, which must be its MB."""
    found = re.fullmatch(r"`(\d+)` \((\d+) MB\)", setting_default(variable))
    assert found, f"{variable}'s default in the README is not written as '`<bytes>` (<n> MB)'"
    assert int(found[1]) == int(found[2]) * MB, f"{variable}: {found[1]} bytes are not {found[2]} MB"
    return int(found[1])


# --- the throttles ---------------------------------------------------------------------------------


class Clock:
    """The throttle's clock, frozen until a test moves it."""

    def __init__(self):
        self.now = utcnow()

    def __call__(self):
        return self.now


@dataclass(frozen=True)
class Answer:
    refused: bool
    retry_after: int = 0


def http_answer(response) -> Answer:
    if response.status_code == 429:
        return Answer(True, int(response.headers["retry-after"]))
    assert response.status_code in (200, 303, 400), f"HTTP {response.status_code}: {response.text[:200]}"
    return Answer(False)


@dataclass
class Ctx:
    session: object
    make: Factory
    app: object

    def hits(self) -> int:
        """Requests counted so far, by every throttle (committed)."""
        with Session(self.session.get_bind()) as fresh:
            return fresh.exec(select(func.count()).select_from(RateLimitHit)).one()

    def browser(self, address: str) -> TestClient:
        """A new browser (no cookies) at this client address."""
        return TestClient(self.app, base_url="http://testserver", follow_redirects=False, client=(address, 5000))


def address(n: int) -> str:
    """The n-th of many client addresses."""
    return f"198.51.{n // 200}.{n % 200 + 1}"


ONE_CLIENT = "203.0.113.7"
Attempt = Callable[[int], Answer]  # the n-th request of a row (n from 0)


def sign_up(ctx: Ctx, *, per: str) -> Attempt:
    def attempt(n: int) -> Answer:
        email = "ada@uni.edu" if per == "address" else f"person{n}@uni.edu"
        form = {"role": "student", "display_name": "Someone", "email": email, "password": "a long enough passphrase"}
        return http_answer(ctx.browser(address(n) if per == "address" else ONE_CLIENT).post("/auth/signup", data=form, headers=ORIGIN))

    return attempt


def forgot_password(ctx: Ctx, *, per: str) -> Attempt:
    ctx.make.student(email="kim@uni.edu")

    def attempt(n: int) -> Answer:
        email = "kim@uni.edu" if per == "address" else f"someone{n}@uni.edu"
        client = ctx.browser(address(n) if per == "address" else ONE_CLIENT)
        return http_answer(client.post("/auth/forgot-password", data={"email": email}, headers=ORIGIN))

    return attempt


def new_confirmation_link(ctx: Ctx, *, per: str) -> Attempt:
    cookie = get_settings().session_cookie_name
    one_account = session_token(ctx.session, ctx.make.unconfirmed_student())

    def attempt(n: int) -> Answer:
        # Per account: that account from ever new clients; per client: a new account each time.
        token = one_account if per == "account" else session_token(ctx.session, ctx.make.unconfirmed_student())
        client = ctx.browser(address(n) if per == "account" else ONE_CLIENT)
        return http_answer(client.post("/auth/resend-verification", headers={**ORIGIN, "cookie": f"{cookie}={token}"}))

    return attempt


def invitation(ctx: Ctx, *, per: str) -> Attempt:
    # Three employers' owners: per client, each invites fewer than an inviter's limit.
    owners = [ctx.make.employer() for _ in range(3)]
    ctx.session.commit()

    def attempt(n: int) -> Answer:
        owner = owners[n // 40] if per == "client" else owners[0]
        email = "target@elsewhere.example" if per == "address" else f"colleague{n}@elsewhere.example"
        client = ONE_CLIENT if per == "client" else address(n)
        try:
            organizations.invite_manager(ctx.session, owner.manager, owner.org.id, email, client)
        except throttle.Throttled as refused:
            ctx.session.rollback()  # as the page's unit of work does with any refusal
            return Answer(True, refused.retry_after)
        ctx.session.commit()  # each its own unit of work, as from the page
        return Answer(False)

    return attempt


def credential_check(ctx: Ctx) -> Attempt:
    def attempt(n: int) -> Answer:
        return http_answer(ctx.browser(ONE_CLIENT).post("/api/credentials/verify", content=b"not a credential"))

    return attempt


def failed_sign_in(ctx: Ctx, *, per: str) -> Attempt:
    ctx.make.student(email="ada@uni.edu")
    ctx.session.commit()
    laptop = ctx.browser("192.0.2.50")
    if per == "device":
        # Ada signed in from this laptop before: it carries her device cookie.
        signed_in = laptop.post("/auth/login", data={"email": "ada@uni.edu", "password": PASSWORD}, headers=ORIGIN)
        assert signed_in.headers["location"] == "/dashboard" and laptop.cookies.get("microgigs_device")
        laptop.post("/auth/logout", headers=ORIGIN)

    def attempt(n: int) -> Answer:
        email = f"guess{n}@uni.edu" if per == "client" else "ada@uni.edu"
        browser = {"device": lambda: laptop, "account": lambda: ctx.browser(address(n))}.get(per, lambda: ctx.browser(ONE_CLIENT))()
        return http_answer(browser.post("/auth/login", data={"email": email, "password": "wrong-password-123"}, headers=ORIGIN))

    return attempt


# README row -> the code's limit, and how to make the requests it counts.
NEW_BROWSER = "failed sign-in from an unknown browser"
PINS: dict[tuple[str, str], tuple[throttle.Limit, Callable[[Ctx], Attempt]]] = {
    ("sign-up", "email address"): (throttle.SIGN_UP_PER_ADDRESS, partial(sign_up, per="address")),
    ("sign-up", "client address"): (throttle.SIGN_UP_PER_CLIENT, partial(sign_up, per="client")),
    ("forgot-password", "email address"): (throttle.RESET_PER_ADDRESS, partial(forgot_password, per="address")),
    ("forgot-password", "client address"): (throttle.RESET_PER_CLIENT, partial(forgot_password, per="client")),
    ("a new confirmation link", "account"): (throttle.RESEND_PER_ACCOUNT, partial(new_confirmation_link, per="account")),
    ("a new confirmation link", "client address"): (throttle.RESEND_PER_CLIENT, partial(new_confirmation_link, per="client")),
    ("invitation", "invited address"): (throttle.INVITE_PER_ADDRESS, partial(invitation, per="address")),
    ("invitation", "inviter"): (throttle.INVITE_PER_INVITER, partial(invitation, per="inviter")),
    ("invitation", "client address"): (throttle.INVITE_PER_CLIENT, partial(invitation, per="client")),
    ("credential check (page and API)", "client address"): (throttle.CREDENTIAL_CHECK_PER_CLIENT, credential_check),
    ("failed sign-in from a known device", "that device"): (throttle.FAILURES_PER_KNOWN_DEVICE, partial(failed_sign_in, per="device")),
    (NEW_BROWSER, "client address and account"): (throttle.FAILURES_PER_CLIENT_AND_ACCOUNT, partial(failed_sign_in, per="client+account")),
    (NEW_BROWSER, "account"): (throttle.FAILURES_PER_ACCOUNT_FROM_NEW_DEVICES, partial(failed_sign_in, per="account")),
    (NEW_BROWSER, "client address"): (throttle.FAILURES_PER_CLIENT, partial(failed_sign_in, per="client")),
}


def test_every_throttle_has_a_readme_row_with_the_codes_numbers():
    table = throttle_table()
    in_code = {name: value for name, value in vars(throttle).items() if isinstance(value, throttle.Limit)}
    pinned = {limit for limit, _ in PINS.values()}
    unpinned = sorted(name for name, limit in in_code.items() if limit not in pinned)
    assert not unpinned, f"give these a row in the README's throttle table, and in PINS here: {unpinned}"
    assert set(table) == set(PINS), f"README rows {sorted(set(table) ^ set(PINS))} are not pinned here, or gone"
    for key, (limit, _) in PINS.items():
        said, does = table[key], (limit.max_hits, limit.window)
        assert (said.at_most, said.window) == does, f"the README says {key}: {said.at_most} in {said.window}; the code: {does}"


def test_the_abuse_paragraph_names_the_tables_sign_in_window():
    found = re.search(r"a flood of guesses blocks new devices for that account for (\d+ \w+)", words(README.read_text()))
    assert found, "the README's Abuse paragraph no longer says how long a flood of guesses blocks new devices"
    assert window_of(found[1]) == throttle_table()[(NEW_BROWSER, "account")].window


@pytest.fixture
def ctx(app_db, make, monkeypatch) -> Ctx:
    # A cheap hash for an unknown address's sign-in too (the real one costs as much as a real account's).
    monkeypatch.setattr(accounts, "_DUMMY_HASH", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("not-a-real-password"))
    return Ctx(app_db, make, limit_request_size(build_api()))


@pytest.mark.parametrize("key", sorted(PINS), ids=lambda key: f"{key[0]} per {key[1]}")
def test_the_readme_throttle_holds(key, ctx, monkeypatch):
    row = throttle_table()[key]
    attempt = PINS[key][1](ctx)
    ctx.session.commit()  # the routes write through their own sessions
    clock = Clock()
    monkeypatch.setattr(throttle, "utcnow", clock)
    start, window = clock.now, int(row.window.total_seconds())
    for n in range(row.at_most):
        assert not attempt(n).refused, f"request {n + 1} of the README's {row.at_most} was refused"
    counted = ctx.hits()
    assert attempt(row.at_most) == Answer(True, window), f"request {row.at_most + 1} was not refused for the README's whole window"
    clock.now = start + row.window - timedelta(seconds=1)
    assert attempt(row.at_most + 1) == Answer(True, 1), "the window ended before the README's"
    assert ctx.hits() == counted, "a refused request was counted"
    clock.now = start + row.window
    assert not attempt(row.at_most + 2).refused, "the window outlasts the README's"


# --- sizes -------------------------------------------------------------------------------------------


def test_the_readme_deliverable_limit_is_the_default_in_force(session, make):
    limit = bytes_and_mb("MICROGIGS_MAX_UPLOAD_BYTES")
    hired = make.hired()
    over = UploadedFile(name="survey.csv", data=b"x" * (limit + 1))
    with pytest.raises(ValidationFailed) as refused:
        engagements.submit_deliverable(session, hired.student, hired.engagement.id, "The survey.", "https://example.com/work", [over])
    assert refused.value.errors == {"files": f"survey.csv is larger than {limit // MB} MB."}
    exact = UploadedFile(name="survey.csv", data=b"x" * limit)
    engagements.submit_deliverable(session, hired.student, hired.engagement.id, "The survey.", "https://example.com/work", [exact])
    assert len(session.exec(select(Submission)).all()) == 1


def test_the_readme_request_limit_is_the_default_in_force():
    limit = bytes_and_mb("MICROGIGS_MAX_REQUEST_BYTES")
    reached = []

    async def app(scope, receive, send):
        reached.append(scope["path"])
        await PlainTextResponse("read")(scope, receive, send)

    def status_of_a_post_declaring(length: int) -> int:
        sent = []

        async def receive():
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message):
            sent.append(message)

        scope = {"type": "http", "method": "POST", "path": f"/{length}", "headers": [(b"content-length", str(length).encode())]}
        # In a thread of its own: after the browser tests, Playwright's loop runs in this one.
        with ThreadPoolExecutor(1) as thread:
            thread.submit(asyncio.run, limit_request_size(app)(scope, receive, send)).result()
        return sent[0]["status"]

    assert status_of_a_post_declaring(limit + 1) == 413 and reached == []  # refused before the app reads anything
    assert status_of_a_post_declaring(limit) == 200 and reached == [f"/{limit}"]


def test_the_readme_photo_limit_is_the_one_in_force(session, make):
    found = re.search(r"\(photos over (\d+) MB\)", words(README.read_text()))
    assert found, "the README no longer says how large a photo may be"
    limit = int(found[1]) * MB
    student = make.student()
    png = b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValidationFailed) as refused:
        profiles.set_photo(session, student, "me.png", png + b"0" * (limit + 1 - len(png)))
    assert refused.value.errors == {"photo": f"That photo is too large: at most {found[1]} MB."}
    assert profiles.set_photo(session, student, "me.png", png + b"0" * (limit - len(png))).photo_name

"""Nothing slow runs on the event loop that carries every open page: the account routes hash
passwords (argon2, 64 MiB) and use the database in worker threads.

Checked where the work happens, not how long it takes (timings on a shared machine prove
nothing): every argon2 call and every SQL statement notes whether the thread it runs in is
running an event loop. None may."""

import asyncio
import traceback

import pytest
from sqlalchemy import event
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from microgigs import db
from microgigs.http.app import build_api
from microgigs.services import accounts
from tests.integration.conftest import ORIGIN, PASSWORD, make_user, sign_in


def _on_a_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


@pytest.fixture
def blocking_on_the_loop(configured, monkeypatch):
    """The list of blocking calls (argon2, SQL) made on a thread that runs an event loop."""
    caught: list[str] = []

    def note(what: str) -> None:
        if _on_a_loop():
            caught.append(f"{what} at {traceback.format_stack(limit=8)[-3].strip()}")

    hasher = accounts._hasher

    class WatchedHasher:
        def hash(self, *args, **kwargs):
            note("argon2 hash")
            return hasher.hash(*args, **kwargs)

        def verify(self, *args, **kwargs):
            note("argon2 verify")
            return hasher.verify(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(hasher, name)

    monkeypatch.setattr(accounts, "_hasher", WatchedHasher())

    def before_sql(conn, cursor, statement, *args):
        note(f"SQL {statement.split()[0]}")

    engine = db.get_engine()
    event.listen(engine, "before_cursor_execute", before_sql)
    yield caught
    event.remove(engine, "before_cursor_execute", before_sql)


def test_the_account_routes_never_block_the_loop(client, configured, blocking_on_the_loop):
    make_user(configured, "ada@uni.edu")
    blocking_on_the_loop.clear()
    posts = [
        ("/auth/signup", {"role": "student", "display_name": "Bo", "email": "bo@uni.edu", "password": "a long enough passphrase"}),
        ("/auth/login", {"email": "ada@uni.edu", "password": "a wrong password!"}),
        ("/auth/forgot-password", {"email": "ada@uni.edu"}),
        ("/auth/reset-password", {"token": "no-such-token", "password": "another long passphrase"}),
        ("/auth/verify", {"token": "no-such-token"}),
    ]
    for path, data in posts:
        assert client.post(path, data=data, headers=ORIGIN).status_code in (303, 429), path
    sign_in(client, "ada@uni.edu")
    for path, data in [
        ("/auth/change-password", {"current_password": PASSWORD, "new_password": "another long passphrase"}),
        ("/account/delete", {"delete_password": "not it at all"}),
        ("/auth/resend-verification", {}),
        ("/auth/join", {"token": "no-such-token", "display_name": "X", "password": "a long enough passphrase"}),
    ]:
        assert client.post(path, data=data, headers=ORIGIN).status_code in (303, 429), path
    # Signed in, so each of these looks its person up before answering.
    for path in (
        "/account/export.json",
        "/photos/1",
        "/files/1",
        "/evidence/x/files/1",
        "/staff/insights/outcomes.csv",
        "/healthz",
        "/readyz",
        "/metrics",
        "/.well-known/jwks.json",
        "/credentials/x/download.json",
        "/staff/money/reconciliation.csv",
    ):
        client.get(path)
    client.post("/api/credentials/verify", content=b"not a credential")
    assert client.post("/auth/logout-everywhere", headers=ORIGIN).status_code == 303
    assert blocking_on_the_loop == []


def test_the_watch_catches_blocking_work_on_the_loop(configured, blocking_on_the_loop):
    """Without this the test above could pass by watching nothing."""

    async def hashes_on_the_loop(_request):
        accounts.hash_password("a long enough passphrase")
        with db.session_scope() as session:
            accounts.user_for_session_token(session, "no-such-token")
        return PlainTextResponse("done")

    app = build_api()
    app.router.routes.append(Route("/test/on-the-loop", hashes_on_the_loop))
    with TestClient(app) as client:
        assert client.get("/test/on-the-loop").text == "done"
    assert any(c.startswith("argon2 hash") for c in blocking_on_the_loop)
    assert any(c.startswith("SQL SELECT") for c in blocking_on_the_loop)

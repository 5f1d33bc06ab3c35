"""/healthz answers for the process alone; /readyz for what it depends on: the database, and Redis
when REFLEX_REDIS_URL is set (a throwaway redis-server, as in test_live_redis.py), each given a
short time, a 503 naming what failed."""

import socket
import threading

import pytest
from starlette.testclient import TestClient

from microgigs import db, settings
from microgigs.http import health
from microgigs.http.app import build_api
from tests.integration.test_live_redis import REDIS, redis_url  # noqa: F401  (the fixture)

needs_redis = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed (apt-get install redis-server)")


def serve() -> TestClient:
    return TestClient(build_api(), base_url="http://testserver")


@pytest.fixture(autouse=True)
def no_redis_unless_a_test_sets_it(monkeypatch):
    monkeypatch.delenv("REFLEX_REDIS_URL", raising=False)


@pytest.fixture
def unreachable_database(tmp_path, monkeypatch):
    """A database URL nothing answers at: a SQLite file in a folder that does not exist."""
    monkeypatch.setenv("MICROGIGS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MICROGIGS_DATABASE_URL", f"sqlite:///{tmp_path / 'no-such-folder' / 'microgigs.db'}")
    settings.get_settings.cache_clear()
    db.get_engine.cache_clear()
    yield
    db.get_engine().dispose()
    settings.get_settings.cache_clear()
    db.get_engine.cache_clear()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ready_when_the_database_answers(configured):
    answer = serve().get("/readyz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert serve().get("/healthz").json() == {"status": "ok"}


def test_not_ready_without_the_database_while_the_process_stays_healthy(unreachable_database):
    answer = serve().get("/readyz")
    assert answer.status_code == 503
    assert answer.json() == {"status": "unavailable", "checks": {"database": "failed"}, "failed": ["database"]}
    assert "no-such-folder" not in answer.text  # no addresses or settings in the answer
    # /healthz is the process only: a database outage must not get a healthy process restarted.
    assert (serve().get("/healthz").status_code, serve().get("/healthz").json()) == (200, {"status": "ok"})


@needs_redis
def test_ready_with_redis_when_it_answers(configured, redis_url, monkeypatch):  # noqa: F811
    monkeypatch.setenv("REFLEX_REDIS_URL", redis_url)
    answer = serve().get("/readyz")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


def test_not_ready_when_redis_is_set_but_down(configured, monkeypatch):
    monkeypatch.setenv("REFLEX_REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")  # nothing listens there
    answer = serve().get("/readyz")
    assert answer.status_code == 503
    assert answer.json() == {"status": "unavailable", "checks": {"database": "ok", "redis": "failed"}, "failed": ["redis"]}


def test_not_ready_when_redis_takes_the_connection_and_never_answers(configured, monkeypatch):
    """A Redis that hangs (accepts, never answers) fails within the check's time; the probe is not left waiting."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held: list[socket.socket] = []
    accepting = threading.Thread(target=lambda: held.append(listener.accept()[0]), daemon=True)
    accepting.start()
    monkeypatch.setattr(health, "CHECK_SECONDS", 0.3)
    monkeypatch.setenv("REFLEX_REDIS_URL", f"redis://127.0.0.1:{listener.getsockname()[1]}/0")
    try:
        answer = serve().get("/readyz")
    finally:
        for connection in held:
            connection.close()
        listener.close()
    assert answer.status_code == 503
    assert answer.json()["failed"] == ["redis"]

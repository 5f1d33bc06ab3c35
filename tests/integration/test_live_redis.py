"""Several workers: a change published by one worker reaches the tabs another worker holds,
through Redis pub/sub. Uses Debian's redis-server on a free port; skipped when it is missing."""

import asyncio
import shutil
import socket
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from microgigs import live

REDIS = shutil.which("redis-server")
pytestmark = pytest.mark.skipif(REDIS is None, reason="redis-server is not installed (apt-get install redis-server)")


@pytest.fixture
def redis_url(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


def test_a_notice_published_through_redis_reaches_this_workers_tabs(redis_url, monkeypatch):
    live.reset()

    class Page:
        pass

    monkeypatch.setattr(live, "_loop", None)  # _start sets it; restored afterwards
    live.subscribe("tab-on-this-worker", Page, {"engagement:5"})
    pushed: list[tuple[str, type]] = []

    async def scenario():
        monkeypatch.setattr(live, "_app", object())
        monkeypatch.setattr(live, "_spawn", lambda token, cls: pushed.append((token, cls)))
        monkeypatch.setattr(live, "_redis_url", lambda: redis_url)
        listener = asyncio.create_task(live._start())
        # Wait until the worker listens, then publish as "another worker" would (same channel).
        for _ in range(100):
            if live._redis is not None:
                break
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.2)
        await asyncio.to_thread(live.publish, frozenset({"engagement:5", "gig:1"}))
        for _ in range(100):
            if pushed:
                break
            await asyncio.sleep(0.02)
        listener.cancel()
        try:
            await listener
        except asyncio.CancelledError:
            pass

    try:
        run_async(scenario())
    finally:
        monkeypatch.setattr(live, "_redis", None)
        live.reset()
    assert pushed == [("tab-on-this-worker", Page)]


def run_async(coroutine) -> None:
    """asyncio.run in a thread of its own: the browser tests' Playwright keeps a loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()

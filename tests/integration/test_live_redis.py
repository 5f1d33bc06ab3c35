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

    class Marker:
        pass

    monkeypatch.setattr(live, "_loop", None)  # _start sets it; restored afterwards
    # _start sets it to a client of this test's Redis, which is gone afterwards: put back None
    # (monkeypatch restores what was there when it is called, so it is called before).
    monkeypatch.setattr(live, "_redis", None)
    live.subscribe("tab-on-this-worker", Page, {"engagement:5"})
    live.subscribe("marker-tab", Marker, {"marker:1"})
    pushed: list[tuple[str, type]] = []

    async def scenario():
        import redis.asyncio as aioredis

        started: asyncio.Queue[tuple[str, type]] = asyncio.Queue()
        monkeypatch.setattr(live, "_app", object())
        monkeypatch.setattr(live, "_spawn", lambda token, cls: started.put_nowait((token, cls)))
        monkeypatch.setattr(live, "_redis_url", lambda: redis_url)
        listener = asyncio.create_task(live._start())
        try:
            await _until_subscribed(aioredis.Redis.from_url(redis_url), listener)
            # Publish as "another worker" would (same channel), then a marker change: Redis
            # delivers a channel's messages in order, so once the marker's push has started,
            # every push the first notice caused has started too.
            await asyncio.to_thread(live.publish, frozenset({"engagement:5", "gig:1"}))
            await asyncio.to_thread(live.publish, frozenset({"marker:1"}))
            while not pushed or pushed[-1][0] != "marker-tab":
                pushed.append(await asyncio.wait_for(started.get(), timeout=10))
        finally:
            listener.cancel()
            try:
                await listener
            except asyncio.CancelledError:
                pass

    try:
        run_async(scenario())
    finally:
        live.reset()
    assert pushed == [("tab-on-this-worker", Page), ("marker-tab", Marker)]


async def _until_subscribed(client, listener: asyncio.Task) -> None:
    """Until this worker's listener is subscribed to the live channel, as Redis itself counts
    subscribers (the client library gives no signal when its SUBSCRIBE is confirmed; a notice
    published before then would be lost)."""
    deadline = time.monotonic() + 10
    try:
        while (await client.pubsub_numsub(live.CHANNEL))[0][1] < 1:
            assert not listener.done(), f"the listener stopped: {listener.exception()!r}"
            assert time.monotonic() < deadline, "the worker never subscribed to the live channel"
            await asyncio.sleep(0.01)
    finally:
        await client.aclose()
    assert live._redis is not None  # publish goes through Redis, not straight to this worker


def run_async(coroutine) -> None:
    """asyncio.run in a thread of its own: the browser tests' Playwright keeps a loop running in this one."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()

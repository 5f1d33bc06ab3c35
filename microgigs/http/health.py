"""Health checks for load balancers, process supervisors and tests waiting on start-up.

- GET /healthz: the process answers (its event loop turns). Nothing else is asked, so a slow
  database never gets a healthy process restarted.
- GET /readyz: the process can do its work: the database answers, and Redis too when
  REFLEX_REDIS_URL is set. Each is given a short time; a 503 names what failed, so a balancer
  sends no one here meanwhile. No secrets or addresses are in the answer.
"""

import asyncio
import logging
import threading

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from microgigs.http.unit_of_work import in_unit_of_work
from microgigs.settings import REDIS_CHECK_SECONDS, redis_url

log = logging.getLogger("microgigs.health")
CHECK_SECONDS = REDIS_CHECK_SECONDS  # each dependency's time to answer; probes usually wait 5-10 s in all
_asking_the_database = threading.Lock()


async def health(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def _select_one() -> None:
    # One check at a time: probes of a database that hangs do not pile up waiting threads.
    if not _asking_the_database.acquire(blocking=False):
        raise TimeoutError("an earlier check is still waiting for the database")
    try:
        in_unit_of_work(lambda session: session.connection().execute(text("SELECT 1")))
    finally:
        _asking_the_database.release()


async def _database() -> None:
    # In a worker thread: a busy database must not hold up the loop every tab shares. After the
    # timeout the answer goes out; the thread finishes on its own (asyncio's threads, unlike
    # Starlette's run_in_threadpool, can be left behind).
    await asyncio.to_thread(_select_one)


async def _redis(url: str) -> None:
    import redis.asyncio as aioredis

    client = aioredis.Redis.from_url(url, socket_connect_timeout=CHECK_SECONDS, socket_timeout=CHECK_SECONDS)
    try:
        if not await client.ping():
            raise ConnectionError("no PONG")
    finally:
        await client.aclose()


async def _answers(name: str, check) -> bool:
    try:
        await asyncio.wait_for(check, timeout=CHECK_SECONDS)
    except Exception as error:  # any failure, or no answer in time: not ready
        log.warning("readiness: the %s did not answer: %s", name, repr(error)[:300])
        return False
    return True


async def ready(_request: Request) -> JSONResponse:
    checks = {"database": _database()}
    if url := redis_url():
        checks["redis"] = _redis(url)
    results = dict(zip(checks, await asyncio.gather(*(_answers(name, check) for name, check in checks.items())), strict=True))
    failed = [name for name, answered in results.items() if not answered]
    body = {
        "status": "unavailable" if failed else "ok",
        "checks": {name: "ok" if answered else "failed" for name, answered in results.items()},
    }
    if failed:
        body["failed"] = failed
    return JSONResponse(body, status_code=503 if failed else 200, headers={"Cache-Control": "no-store"})


routes = [Route("/healthz", health, methods=["GET"]), Route("/readyz", ready, methods=["GET"])]

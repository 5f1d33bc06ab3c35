"""A health check for load balancers and for tests waiting on start-up."""

from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from microgigs.db import get_engine


def _database_answers() -> None:
    with get_engine().connect() as connection:
        connection.execute(text("SELECT 1"))


async def health(_request: Request) -> JSONResponse:
    # A busy database must not hold up the loop while the balancer waits.
    await run_in_threadpool(_database_answers)
    return JSONResponse({"status": "ok"})


routes = [Route("/healthz", health, methods=["GET"])]

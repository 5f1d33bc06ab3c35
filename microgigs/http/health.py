"""A health check for load balancers and for tests waiting on start-up."""

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from microgigs.http.unit_of_work import off_the_loop


async def health(_request: Request) -> JSONResponse:
    # A busy database must not hold up the loop while the balancer waits.
    await off_the_loop(lambda session: session.connection().execute(text("SELECT 1")))
    return JSONResponse({"status": "ok"})


routes = [Route("/healthz", health, methods=["GET"])]

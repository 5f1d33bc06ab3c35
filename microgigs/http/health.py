"""A health check for load balancers and for tests waiting on start-up."""

from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from microgigs.db import get_engine


async def health(_request: Request) -> JSONResponse:
    with get_engine().connect() as connection:
        connection.execute(text("SELECT 1"))
    return JSONResponse({"status": "ok"})


routes = [Route("/healthz", health, methods=["GET"])]

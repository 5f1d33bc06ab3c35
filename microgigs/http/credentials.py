"""Public credential routes: the key set, a verification endpoint (throttled per client), and
the JSON download. Signing, checking and the database run in a thread, off the event loop."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from microgigs.db import session_scope
from microgigs.http import client_address
from microgigs.services import credentials, throttle
from microgigs.services.errors import DomainError


async def jwks(_request: Request) -> JSONResponse:
    # The first call may make the key (RSA generation): off the loop.
    key_set = await run_in_threadpool(lambda: credentials.key_store().public_key_set())
    return JSONResponse(key_set, headers={"Cache-Control": "public, max-age=300"})


def _verify(client: str, text: str) -> JSONResponse:
    try:
        with session_scope() as session:
            result = credentials.verify(session, text, client=client)
    except throttle.Throttled as error:
        return JSONResponse(
            {"status": "throttled", "message": error.message}, status_code=429, headers={"Retry-After": str(error.retry_after)}
        )
    # A credential judged (valid, invalid, revoked) is a 200; a body holding none we could read is a 400.
    return JSONResponse(result.__dict__, status_code=200 if result.readable else 400)


async def verify(request: Request) -> JSONResponse:
    """POST a credential (its JWT, or its JSON download) as the body; answers valid / invalid / revoked."""
    body = await request.body()
    if len(body) > credentials.MAX_CREDENTIAL_CHARS * 2:
        return JSONResponse({"status": "invalid", "message": "Not valid: that is far too long to be a credential."}, status_code=413)
    return await run_in_threadpool(_verify, client_address.of_request(request), body.decode("utf-8", errors="replace"))


def _download(public_id: str) -> Response:
    try:
        with session_scope() as session:
            row = credentials.get_by_public_id(session, public_id)
            document = credentials.credential_json(row)
    except DomainError as error:
        return JSONResponse({"error": error.message}, status_code=404)
    return JSONResponse(document, headers={"Content-Disposition": f'attachment; filename="credential-{row.public_id}.json"'})


async def download(request: Request) -> Response:
    return await run_in_threadpool(_download, request.path_params["public_id"])


routes = [
    Route("/.well-known/jwks.json", jwks, methods=["GET"]),
    Route("/api/credentials/verify", verify, methods=["POST"]),
    Route("/credentials/{public_id}/download.json", download, methods=["GET"]),
]

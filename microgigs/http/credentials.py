"""Public credential routes: the key set, a verification endpoint (throttled per client), and
the JSON download. Signing, checking and the database run in a worker thread, off the event
loop (http/unit_of_work.py)."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from microgigs.http.unit_of_work import Unit, route
from microgigs.services import credentials, throttle


async def jwks(_request: Request) -> JSONResponse:
    # The first call may make the key (RSA generation): off the loop. No database here.
    key_set = await run_in_threadpool(lambda: credentials.key_store().public_key_set())
    return JSONResponse(key_set, headers={"Cache-Control": "public, max-age=300"})


def _throttled(_unit: Unit, error: throttle.Throttled) -> Response:
    return JSONResponse({"status": "throttled", "message": error.message}, status_code=429, headers={"Retry-After": str(error.retry_after)})


@route(body=True, refused=_throttled, refusals=(throttle.Throttled,))
def verify(unit: Unit) -> Response:
    """POST a credential (its JWT, or its JSON download) as the body; answers valid / invalid / revoked."""
    if len(unit.body) > credentials.MAX_CREDENTIAL_CHARS * 2:
        return JSONResponse({"status": "invalid", "message": "Not valid: that is far too long to be a credential."}, status_code=413)
    result = credentials.verify(unit.session, unit.body.decode("utf-8", errors="replace"), client=unit.client)
    # A credential judged (valid, invalid, revoked) is a 200; a body holding none we could read is a 400.
    return JSONResponse(result.__dict__, status_code=200 if result.readable else 400)


@route(refused=lambda _unit, error: JSONResponse({"error": error.message}, status_code=404))
def download(unit: Unit) -> Response:
    row = credentials.get_by_public_id(unit.session, unit.request.path_params["public_id"])
    return JSONResponse(
        credentials.credential_json(row), headers={"Content-Disposition": f'attachment; filename="credential-{row.public_id}.json"'}
    )


routes = [
    Route("/.well-known/jwks.json", jwks, methods=["GET"]),
    Route("/api/credentials/verify", verify, methods=["POST"]),
    Route("/credentials/{public_id}/download.json", download, methods=["GET"]),
]

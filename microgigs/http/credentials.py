"""Public credential routes: the key set, a verification endpoint, and the JSON download."""

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from microgigs.db import session_scope
from microgigs.services import credentials
from microgigs.services.errors import DomainError


async def jwks(_request: Request) -> JSONResponse:
    return JSONResponse(credentials.key_store().public_key_set(), headers={"Cache-Control": "public, max-age=300"})


async def verify(request: Request) -> JSONResponse:
    """POST a credential (its JWT, or its JSON download) as the body; answers valid / invalid / revoked."""
    body = await request.body()
    if len(body) > credentials.MAX_CREDENTIAL_CHARS * 2:
        return JSONResponse({"status": "invalid", "message": "Not valid: that is far too long to be a credential."}, status_code=413)
    with session_scope() as session:
        result = credentials.verify(session, body.decode("utf-8", errors="replace"))
    # A credential judged (valid, invalid, revoked) is a 200; a body holding none we could read is a 400.
    return JSONResponse(result.__dict__, status_code=200 if result.readable else 400)


async def download(request: Request) -> Response:
    try:
        with session_scope() as session:
            row = credentials.get_by_public_id(session, request.path_params["public_id"])
            document = credentials.credential_json(row)
    except DomainError as error:
        return JSONResponse({"error": error.message}, status_code=404)
    return JSONResponse(document, headers={"Content-Disposition": f'attachment; filename="credential-{row.public_id}.json"'})


routes = [
    Route("/.well-known/jwks.json", jwks, methods=["GET"]),
    Route("/api/credentials/verify", verify, methods=["POST"]),
    Route("/credentials/{public_id}/download.json", download, methods=["GET"]),
]

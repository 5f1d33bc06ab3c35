"""Deliverable downloads: for people who may see the engagement, or for anyone when both the
employer and the student made the approved deliverables public (services/evidence.py).
The database work runs in a thread, off the event loop."""

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from microgigs.db import session_scope
from microgigs.http.session_cookie import token_from_cookie_header
from microgigs.services import accounts, engagements, evidence
from microgigs.services.errors import DomainError

# People's stored files (deliverables, evidence, photos) are kept by no cache.
STORED_FILE_CACHING = "private, no-store"


async def download(request: Request) -> Response:
    try:
        file_id = int(request.path_params["file_id"])
    except ValueError:
        return PlainTextResponse("That file was not found.", status_code=404)
    return await run_in_threadpool(_download, request, file_id)


def _download(request: Request, file_id: int) -> Response:
    with session_scope() as session:
        actor = accounts.user_for_session_token(session, token_from_cookie_header(request.headers.get("cookie")))
        if actor is None:
            return PlainTextResponse("Sign in to download deliverables.", status_code=401)
        try:
            row, path = engagements.file_for_download(session, actor, file_id)
        except DomainError as error:
            return PlainTextResponse(error.message, status_code=404)
    return _file_response(row, path)


def _file_response(row, path) -> Response:
    if not path.is_file():
        return PlainTextResponse("That file was not found.", status_code=404)
    return FileResponse(
        path,
        media_type=row.content_type,
        filename=row.original_name,
        # Never let a deliverable run as a page on our origin, nor stay in a browser's or a
        # proxy's cache (a shared computer, a campus proxy) once it has been shown.
        headers={"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox", "Cache-Control": STORED_FILE_CACHING},
    )


async def public_download(request: Request) -> Response:
    """A file of a credential's public evidence: no sign-in, but both keys must be turned."""
    try:
        file_id = int(request.path_params["file_id"])
    except ValueError:
        return PlainTextResponse("That file was not found.", status_code=404)
    return await run_in_threadpool(_public_download, request.path_params["public_id"], file_id)


def _public_download(public_id: str, file_id: int) -> Response:
    try:
        with session_scope() as session:
            row, path = evidence.public_file(session, public_id, file_id)
    except DomainError as error:
        return PlainTextResponse(error.message, status_code=404)
    return _file_response(row, path)


routes = [
    Route("/files/{file_id}", download, methods=["GET"]),
    Route("/evidence/{public_id}/files/{file_id}", public_download, methods=["GET"]),
]

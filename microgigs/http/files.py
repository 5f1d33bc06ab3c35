"""Deliverable downloads: for people who may see the engagement, or for anyone when both the
employer and the student made the approved deliverables public (services/evidence.py).
The database work runs in a worker thread through http/unit_of_work.py."""

from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from microgigs.http.unit_of_work import Unit, answer_language, plain_refusal, route
from microgigs.i18n import gettext
from microgigs.services import engagements, evidence
from microgigs.services.errors import NotFound

# People's stored files (deliverables, evidence, photos) are kept by no cache.
STORED_FILE_CACHING = "private, no-store"


def _file_id(unit: Unit) -> int:
    try:
        return int(unit.request.path_params["file_id"])
    except ValueError:
        raise NotFound("That file") from None


@route(refused=plain_refusal(404))
def download(unit: Unit) -> Response:
    file_id = _file_id(unit)
    actor = unit.signed_in_or(PlainTextResponse(gettext(answer_language(unit), "Sign in to download deliverables."), status_code=401))
    row, path = engagements.file_for_download(unit.session, actor, file_id)
    return _file_response(row, path, answer_language(unit))


@route(refused=plain_refusal(404))
def public_download(unit: Unit) -> Response:
    """A file of a credential's public evidence: no sign-in, but both keys must be turned."""
    row, path = evidence.public_file(unit.session, unit.request.path_params["public_id"], _file_id(unit))
    return _file_response(row, path, answer_language(unit))


def _file_response(row, path, language: str) -> Response:
    if not path.is_file():
        return PlainTextResponse(gettext(language, "That file was not found."), status_code=404)
    return FileResponse(
        path,
        media_type=row.content_type,
        filename=row.original_name,
        # Never let a deliverable run as a page on our origin, nor stay in a browser's or a
        # proxy's cache (a shared computer, a campus proxy) once it has been shown.
        headers={"X-Content-Type-Options": "nosniff", "Content-Security-Policy": "sandbox", "Cache-Control": STORED_FILE_CACHING},
    )


routes = [
    Route("/files/{file_id}", download, methods=["GET"]),
    Route("/evidence/{public_id}/files/{file_id}", public_download, methods=["GET"]),
]

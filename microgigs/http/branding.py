"""The center's logo: GET /api/center/logo/<stored name>, for anyone (visitors see it in the
header, mail clients fetch it by the public address).

Only a name of the stored pattern ("logo-<32 hex>.png|jpg|webp") is looked up: no folders, no
other files of the data folder. A replaced logo is still served by its name (mail already sent
shows it). The name is made from the contents, so the answer may be kept for a year; the bytes
are sent as the image type their extension (checked from the bytes when stored) says, never
sniffed, and in a sandbox should a browser open one as a page.
"""

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

from microgigs.integrations import branding_files
from microgigs.services.center import LOGO_ROUTE

LOGO_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "public, max-age=31536000, immutable",
    "Content-Disposition": "inline",
}


async def logo(request: Request) -> Response:
    name = request.path_params["file"]
    path = branding_files.path_of(name)
    if path is None:
        return PlainTextResponse("That logo was not found.", status_code=404)
    return FileResponse(path, media_type=branding_files.content_type_of(name), headers=LOGO_HEADERS)


routes = [Route(f"{LOGO_ROUTE}/{{file}}", logo, methods=["GET"])]

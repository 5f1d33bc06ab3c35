"""The built frontend's /assets/ files, answered from memory ahead of the rest of the app.

A first visit fetches ~25 of these files. Through Reflex's static mount each one costs this
process ~4 ms (our routes, the middleware, file-system checks, reading the file), time taken
from the page's websocket work on the same cores. Their names carry a hash of their content,
so each is read once, kept, and sent with a year-long `immutable` cache header: a returning
browser does not even ask again. Anything else (or a name not in the folder) goes on to the app.
"""

import functools
import mimetypes
from collections.abc import Callable
from pathlib import Path

from starlette.types import ASGIApp, Receive, Scope, Send

ASSETS_PATH = "/assets/"
CACHE_FOREVER = b"public, max-age=31536000, immutable"


def built_assets_dir() -> Path:
    """Where a production build put them (a dev server serves its own from another port)."""
    from reflex.utils import prerequisites
    from reflex_base import constants

    return prerequisites.get_web_dir() / constants.Dirs.STATIC / "assets"


def accepts_gzip(headers: list[tuple[bytes, bytes]]) -> bool:
    """Does Accept-Encoding take gzip (by name or `*`) with a quality above zero?"""
    for name, value in headers:
        if name != b"accept-encoding":
            continue
        for part in value.decode("latin-1").lower().split(","):
            token, *params = (piece.strip() for piece in part.split(";"))
            if token not in ("gzip", "*"):
                continue
            quality = next((param[2:] for param in params if param.startswith("q=")), "1")
            try:
                if float(quality) > 0:
                    return True
            except ValueError:
                pass
    return False


def _read(folder: Path, name: str, gzip: bool) -> tuple[bytes, list[tuple[bytes, bytes]]] | None:
    path = folder / name
    if not path.is_file():
        return None
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type.endswith("javascript"):
        content_type += "; charset=utf-8"
    headers = [(b"content-type", content_type.encode()), (b"cache-control", CACHE_FOREVER), (b"vary", b"accept-encoding")]
    packed = folder / f"{name}.gz"
    if gzip and packed.is_file():
        body = packed.read_bytes()
        headers.append((b"content-encoding", b"gzip"))
    else:
        body = path.read_bytes()
    headers.append((b"content-length", str(len(body)).encode()))
    return body, headers


def serve_built_assets(app: ASGIApp, folder: Callable[[], Path] = built_assets_dir) -> ASGIApp:
    kept: dict[tuple[str, bool], tuple[bytes, list[tuple[bytes, bytes]]]] = {}
    folder = functools.cache(folder)  # looked up at the first asset request, once

    async def assets_first(scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        name = path[len(ASSETS_PATH) :] if path.startswith(ASSETS_PATH) else ""
        # The folder is flat: a name with a slash (or a leading dot) is never one of its files.
        if not name or "/" in name or "\\" in name or name.startswith(".") or scope["method"] not in ("GET", "HEAD"):
            await app(scope, receive, send)
            return
        key = (name, accepts_gzip(scope.get("headers") or []))
        if key not in kept:
            found = _read(folder(), *key)
            if found is None:
                await app(scope, receive, send)
                return
            kept[key] = found
        body, headers = kept[key]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})

    return assets_first

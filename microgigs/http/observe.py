"""What every HTTP request leaves behind: an id on its log lines (and in its X-Request-Id
header), and its time in the request histogram (microgigs/metrics.py).

The outermost ASGI wrapper (microgigs.py), so the time is the whole answer's, wrappers and all.
The histogram's route label is the template of the route that answered (`/files/{file_id}`),
never the path asked for: paths are unbounded, and each label value is a series kept forever.
An id a trusted proxy sent (X-Request-Id, e.g. nginx's $request_id) is kept, so the proxy's log
and ours name a request alike; anyone else's is replaced.
"""

import re
import time
import uuid

from starlette.datastructures import MutableHeaders
from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from microgigs import logs, metrics
from microgigs.http import client_address
from microgigs.http.assets import ASSETS_PATH
from microgigs.settings import get_settings

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def route_label(scope: Scope) -> str:
    """The template of the route that answered (Starlette notes it in the scope as it routes)."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(route, Mount):
        return f"{path}/*"  # a mounted app (Reflex's own, its uploads): one label for all it serves
    if path is not None:
        return path or "/"
    # Answered by a wrapper before any router: the built assets, the board's first page, a 413.
    asked = scope.get("path", "")
    if asked.startswith(ASSETS_PATH):
        return f"{ASSETS_PATH}*"
    return "/" if asked == "/" else "unrouted"


def request_id(scope: Scope) -> str:
    peer = scope["client"][0] if scope.get("client") else ""
    sent = dict(scope.get("headers") or []).get(b"x-request-id", b"").decode("latin-1")
    if sent and _REQUEST_ID.match(sent) and client_address.listed(peer, get_settings().trusted_proxies):
        return sent
    return uuid.uuid4().hex


def observe_requests(app: ASGIApp) -> ASGIApp:
    async def observed(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        rid = request_id(scope)
        status = 500  # what the server answers when the app raises before answering

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["x-request-id"] = rid
            await send(message)

        context = logs.what.set({"request_id": rid})
        try:
            await app(scope, receive, send_with_id)
        finally:
            logs.what.reset(context)
            method = scope.get("method", "")
            metrics.REQUEST_SECONDS.labels(route_label(scope), method if method in METHODS else "other", f"{status // 100}xx").observe(
                time.perf_counter() - started
            )

    return observed

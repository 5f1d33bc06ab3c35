"""Behind a proxy that ends TLS, a request arrives in plain http: the scheme people used is the
proxy's X-Forwarded-Proto. Without it, whatever builds an absolute address from the request (a
folder's redirect, /login -> /login/) would send the browser to http:// and out of TLS.

The header is believed only from MICROGIGS_TRUSTED_PROXIES (anyone can send it), as
X-Forwarded-For is (http/client_address.py).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from microgigs.http.client_address import listed
from microgigs.settings import get_settings

_SCHEMES = {"http": {"http": "http", "https": "https"}, "websocket": {"http": "ws", "https": "wss"}}


def forwarded_scheme(scope: Scope) -> str | None:
    """The scheme the proxy says the client used, when a trusted proxy says it; else None."""
    schemes = _SCHEMES.get(scope["type"])
    client = scope.get("client")
    if schemes is None or not client:
        return None
    raw = dict(scope.get("headers") or []).get(b"x-forwarded-proto")
    if raw is None or not listed(client[0], get_settings().trusted_proxies):
        return None
    # "https" or, through several proxies, "https, http": the first is what the client used.
    said = raw.decode("latin-1").split(",")[0].strip().lower()
    return schemes.get(said)


def trust_forwarded_scheme(app: ASGIApp) -> ASGIApp:
    async def with_forwarded_scheme(scope: Scope, receive: Receive, send: Send) -> None:
        scheme = forwarded_scheme(scope)
        if scheme is not None and scheme != scope.get("scheme"):
            scope = dict(scope, scheme=scheme)
        await app(scope, receive, send)

    return with_forwarded_scheme

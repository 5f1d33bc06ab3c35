"""People who open MicroGigs by another address than MICROGIGS_PUBLIC_URL.

The event websocket accepts only the public URL's origin (rxconfig.py: cors_allowed_origins), so
a page opened at http://127.0.0.1:3000 while the public URL says localhost used to draw and then
show only "Cannot connect to server: websocket error", with nothing saying why. Now:
- on a real install, a page asked for by another host name answers with a short page that names
  the address to open and the setting that sets it (421 Misdirected Request); the health,
  readiness and metrics routes answer by any name (balancers and scrapers call them by address);
- in demo mode it simply works: the websocket also accepts a page from its own origin (the host
  the browser asked for), the same-origin rule that still keeps other sites' pages out.
"""

from __future__ import annotations

import html
from typing import Any
from urllib.parse import urlsplit

from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from microgigs.settings import get_settings

# Answered by any host name: checks from balancers and scrapers, the socket.io endpoint (its
# origin rule answers there), and Stripe's webhooks.
ANY_HOST_PREFIXES = ("/healthz", "/readyz", "/metrics", "/ping", "/_health", "/_event", "/api/stripe/")
DEFAULT_PORTS = {"http": 80, "https": 443}


def _host_and_port(netloc: str, scheme: str) -> str:
    """`netloc` lower-cased, without the scheme's default port: how two addresses are compared."""
    netloc = netloc.strip().lower()
    default = DEFAULT_PORTS.get(scheme)
    if default is not None and netloc.endswith(f":{default}") and not netloc.endswith("]"):
        netloc = netloc[: -len(f":{default}")]
    return netloc


def public_host() -> str:
    parts = urlsplit(get_settings().public_url)
    return _host_and_port(parts.netloc, parts.scheme)


def opened_by_public_address(host_header: str, scheme: str) -> bool:
    return _host_and_port(host_header, scheme) == public_host()


def _wrong_address_page(opened: str) -> HTMLResponse:
    public_url = html.escape(get_settings().public_url.rstrip("/"))
    opened = html.escape(opened[:200])
    body = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Open MicroGigs at its own address</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5">
<main>
<h1>Open MicroGigs at its own address</h1>
<p>This MicroGigs is set up to be opened at <a href="{public_url}/">{public_url}</a>. You opened it at
<strong>{opened}</strong>, where sign-in and live updates cannot work.</p>
<p>Go to <a href="{public_url}/">{public_url}</a>.</p>
<h2>For whoever runs this server</h2>
<p>If <strong>{opened}</strong> is the right address, set it in the server's environment and restart MicroGigs:</p>
<pre><code>MICROGIGS_PUBLIC_URL={opened}</code></pre>
<p>Behind a reverse proxy, pass the host name people use on to MicroGigs
(nginx: <code>proxy_set_header Host $host;</code>). <code>microgigs doctor</code> checks the settings.</p>
</main>
</body>
</html>
"""
    return HTMLResponse(body, status_code=421)


def explain_wrong_host(app: ASGIApp) -> ASGIApp:
    """ASGI wrapper (api_transformer): pages asked for by another host name get the page above."""

    async def checked(scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in ("GET", "HEAD")
            and not scope["path"].startswith(ANY_HOST_PREFIXES)
            and not get_settings().demo_mode
        ):
            host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
            scheme = urlsplit(get_settings().public_url).scheme
            if not opened_by_public_address(host, scheme):
                await _wrong_address_page(f"{scope.get('scheme', 'http')}://{host}")(scope, receive, send)
                return
        await app(scope, receive, send)

    return checked


def accept_own_origin_in_demo(app: Any) -> None:
    """Demo mode: the event websocket also accepts a page from the origin it was asked by (the
    same-origin rule), so the demo works at 127.0.0.1 or the machine's LAN address too."""

    def allowed(origin: str | None, environ: dict[str, Any]) -> bool:
        if origin is None:
            return True  # not a browser: no page to protect
        settings = get_settings()
        if origin == settings.public_url.rstrip("/"):
            return True
        if not settings.demo_mode:
            return False
        return urlsplit(origin).netloc.lower() == str(environ.get("HTTP_HOST", "")).lower()

    app.sio.eio.cors_allowed_origins = allowed

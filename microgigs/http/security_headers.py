"""Security headers on every HTTP response: Reflex's built pages and /assets/, our own routes,
the board's first page, errors. The outermost ASGI wrapper (microgigs.py), so nothing escapes it.

- Content-Security-Policy. A page (text/html) may run only our own scripts and the inline ones
  the production build wrote into its HTML, each allowed by its SHA-256 (read from the build
  once), plus the board's own small script; no eval: Reflex only evaluates strings for
  `rx.call_script` and for scripts a handler sends back, which this app does not use (a test
  fails if a page meets this policy's refusal). Styles may be inline (Radix and emotion set
  style attributes and add <style> elements as they draw). Images from us and data: URIs (the
  QR code, the CSS icons); connections to our own origin and its websocket (Reflex's events and
  uploads); forms post only to us, and to Stripe's Checkout and Connect onboarding when Stripe is
  the gateway (Chromium checks the redirect a form's answer makes). No page may be framed.
  The service worker and the web app manifest may come from us only (`worker-src`,
  `manifest-src`: http/service_worker.py, http/installable.py).
  Anything else (JSON, CSV, files, scripts) gets `default-src 'none'`: it is never a page;
  but the service worker's script, whose policy is the worker's own, may fetch from our origin
  (the built files it keeps) and nothing else.
  A policy a route set itself (a stored file's `sandbox`) is kept; ours is added beside it.
- Referrer-Policy: strict-origin-when-cross-origin; where the URL carries a one-time token, that
  address never leaves our origin: no-referrer on the routes (an email confirmation, a campus
  sign-in's answer, the reset and join posts that send the browser back to their pages), and
  same-origin on the pages holding a form (a password reset, an invitation). Not no-referrer
  there: Chromium then sends a form post with `Origin: null` and no Referer, and our check that
  a form comes from our own pages (http/auth.py same_origin) refuses it.
- X-Content-Type-Options: nosniff; X-Frame-Options: DENY (for browsers without frame-ancestors).
- Strict-Transport-Security when MICROGIGS_PUBLIC_URL is https.
"""

import base64
import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from microgigs.http.board_first_page import REMOVE_SCRIPT
from microgigs.http.service_worker import WORKER_PATH
from microgigs.settings import Settings, get_settings

NOT_A_PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'"
WORKER_POLICY = "default-src 'none'; connect-src 'self'"
REFERRER_POLICY = "strict-origin-when-cross-origin"
# URLs carrying a one-time token or code: their address never leaves our origin.
TOKEN_ROUTES = frozenset({"/auth/verify", "/auth/reset-password", "/auth/join"})
TOKEN_ROUTE_PREFIXES = ("/auth/oidc/",)
TOKEN_PAGES = frozenset({"/reset-password", "/join"})  # their forms post to us, Origin and all
HSTS = "max-age=31536000"
# Where Stripe sends a form's answer (a 303 to its hosted pages) when it is the gateway.
STRIPE_PAGES = ("https://checkout.stripe.com", "https://connect.stripe.com")

_INLINE_SCRIPT = re.compile(r"<script(?P<attributes>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)


def script_hash(body: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"


def inline_script_hashes(pages: Iterable[str]) -> list[str]:
    """The CSP hash of every inline script in these HTML pages (scripts with a src are not inline)."""
    found: dict[str, None] = {}
    for page in pages:
        for match in _INLINE_SCRIPT.finditer(page):
            if not re.search(r"\bsrc\s*=", match["attributes"], re.IGNORECASE):
                found[script_hash(match["body"])] = None
    return list(found)


def built_pages_dir() -> Path:
    """Where a production build put its HTML pages (beside /assets/)."""
    from microgigs.http.assets import built_assets_dir

    return built_assets_dir().parent


def built_script_hashes(folder: Path) -> list[str]:
    """The hashes of the build's inline scripts and of the board's own; a dev server (no
    build here) serves its pages itself, from another port."""
    pages = (path.read_text(encoding="utf-8", errors="replace") for path in sorted(folder.rglob("*.html"))) if folder.is_dir() else ()
    return [*inline_script_hashes(pages), script_hash(REMOVE_SCRIPT)]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _with_websocket(origin: str) -> list[str]:
    """An http(s) origin and the ws(s) one on the same host (Reflex's event socket)."""
    if not origin:
        return []
    return [origin, origin.replace("https://", "wss://", 1) if origin.startswith("https://") else origin.replace("http://", "ws://", 1)]


def _reflex_api_url() -> str:
    """Where the built pages send events and uploads (Reflex's api_url, e.g. http://host:8000)."""
    try:
        from reflex_base.config import get_config

        return str(get_config().api_url or "")
    except Exception:
        return ""


def form_targets(settings: Settings) -> list[str]:
    """Where our forms' answers may send the browser besides our own origin."""
    if settings.payment_gateway != "stripe":
        return []
    if settings.stripe_api_base:  # tests: the Stripe fake serves its hosted pages itself
        return [_origin(settings.stripe_api_base)]
    return list(STRIPE_PAGES)


def page_policy(settings: Settings, script_hashes: Iterable[str], api_url: str = "") -> str:
    """The Content-Security-Policy of an HTML page."""
    connect = dict.fromkeys(["'self'", *_with_websocket(_origin(settings.public_url)), *_with_websocket(_origin(api_url))])
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "connect-src": list(connect),
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'", *form_targets(settings)],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def referrer_policy(path: str) -> str:
    path = path.rstrip("/") or "/"
    if path in TOKEN_ROUTES or path.startswith(TOKEN_ROUTE_PREFIXES):
        return "no-referrer"
    if path in TOKEN_PAGES:
        return "same-origin"
    return REFERRER_POLICY


def add_security_headers(app: ASGIApp, *, pages: Callable[[], Path] = built_pages_dir) -> ASGIApp:
    """ASGI wrapper putting the headers above on every HTTP response of `app` (`pages`: for tests)."""

    @functools.cache
    def script_hashes() -> tuple[str, ...]:  # the build does not change while the app runs
        return tuple(built_script_hashes(pages()))

    @functools.cache
    def api_url() -> str:
        return _reflex_api_url()

    async def with_headers(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                _add(MutableHeaders(scope=message), scope["path"], message["status"])
            await send(message)

        await app(scope, receive, send_with_headers)

    def _add(headers: MutableHeaders, path: str, status: int) -> None:
        settings = get_settings()
        # A 304 has no body and no content type, and the browser puts its headers on the copy it
        # kept: that copy already has the right policy (a page's), which must not be replaced.
        if status != 304:
            is_page = headers.get("content-type", "").startswith("text/html")
            if is_page:
                policy = page_policy(settings, script_hashes(), api_url())
            else:
                policy = WORKER_POLICY if path == WORKER_PATH else NOT_A_PAGE_POLICY
            if "content-security-policy" in headers:
                headers.append("content-security-policy", policy)  # both apply: the route's stays
            else:
                headers["content-security-policy"] = policy
        headers.setdefault("referrer-policy", referrer_policy(path))
        headers.setdefault("x-content-type-options", "nosniff")
        headers.setdefault("x-frame-options", "DENY")
        if settings.public_url.startswith("https://"):
            headers.setdefault("strict-transport-security", HSTS)

    return with_headers

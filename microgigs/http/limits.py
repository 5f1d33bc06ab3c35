"""Refuse request bodies over the configured size before they are read whole.

Reflex's own upload endpoint has no limit, so this wraps the whole ASGI app: it
checks Content-Length up front and counts the bytes of bodies sent without one.
"""

from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from microgigs import i18n
from microgigs.settings import get_settings


def _too_large(headers: dict[bytes, bytes], limit: int) -> str:
    """The refusal in the sender's language (the switch's cookie, else Accept-Language): this
    runs before any route, so the signed-in person's own choice is not read."""
    cookie, accept = headers.get(b"cookie", b"").decode("latin-1"), headers.get(b"accept-language", b"").decode("latin-1")
    language = i18n.language_from_cookie_header(cookie) or i18n.negotiate(accept)
    return i18n.gettext(language, "That upload is too large: at most {count} MB may be sent at once.", count=limit // (1024 * 1024))


def limit_request_size(app: ASGIApp) -> ASGIApp:
    async def limited(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        limit = get_settings().max_request_bytes
        headers = dict(scope.get("headers") or [])
        message = _too_large(headers, limit)
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await PlainTextResponse(message, status_code=413)(scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            event = await receive()  # not `msg`: the catalogue's extractor reads msg(...) as a text
            if event["type"] == "http.request":
                received += len(event.get("body", b""))
                if received > limit:
                    # An HTTPException lets the inner Starlette app answer 413 itself.
                    raise HTTPException(413, detail=message)
            return event

        async def tracking_send(event: Message) -> None:
            nonlocal started
            started = started or event["type"] == "http.response.start"
            await send(event)

        try:
            await app(scope, counting_receive, tracking_send)
        except HTTPException as error:
            if error.status_code != 413 or started:
                raise
            await PlainTextResponse(message, status_code=413)(scope, receive, send)

    return limited

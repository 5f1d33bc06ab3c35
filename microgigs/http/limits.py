"""Refuse request bodies over the configured size before they are read whole.

Reflex's own upload endpoint has no limit, so this wraps the whole ASGI app: it
checks Content-Length up front and counts the bytes of bodies sent without one.
"""

from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from microgigs.settings import get_settings


def limit_request_size(app: ASGIApp) -> ASGIApp:
    async def limited(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        limit = get_settings().max_request_bytes
        message = f"That upload is too large: at most {limit // (1024 * 1024)} MB may be sent at once."
        length = dict(scope.get("headers") or []).get(b"content-length")
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

"""Form posts from our own pages: where they may come from, and how they are answered.

A form route answers with a 303 back to a page, carrying a message per field in the query
string (never a password), so the page can show each message next to the input that caused
it. A throttled request gets a small 429 page with Retry-After instead (services/throttle.py).
"""

from html import escape
from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from microgigs import i18n
from microgigs.services import accounts, throttle
from microgigs.services.errors import DomainError
from microgigs.services.validation import ValidationFailed
from microgigs.settings import get_settings

FOREIGN_FORM = i18n._("This form must be sent from MicroGigs itself.")
# One character over the limit is kept, so that the service refuses a longer password
# instead of quietly checking a shortened one.
PASSWORD_CHARS = accounts.MAX_PASSWORD_LENGTH + 1


def same_origin(request: Request) -> bool:
    """A form post must come from our own pages (CSRF defence on top of SameSite=Lax)."""
    source = request.headers.get("origin") or request.headers.get("referer") or ""
    parts = urlsplit(source)
    if not parts.scheme or not parts.netloc:
        return False
    origin = f"{parts.scheme}://{parts.netloc}"
    allowed = {get_settings().public_url.rstrip("/"), f"{request.url.scheme}://{request.headers.get('host', '')}"}
    return origin in allowed


def foreign_form(language: str) -> Response:
    return PlainTextResponse(i18n.gettext(language, FOREIGN_FORM), status_code=403)


def safe_next(value: str | None, default: str = "/dashboard") -> str:
    """Only ever redirect to a path on this site."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def redirect(path: str, params: dict[str, str] | None = None) -> RedirectResponse:
    """303 to `path`, with the non-empty `params` as its query string."""
    query = urlencode({k: v for k, v in (params or {}).items() if v})
    return RedirectResponse(f"{path}?{query}" if query else path, status_code=303)


def query_errors(error: DomainError, *, one_by_field: bool = False) -> dict[str, str]:
    """A refusal as query parameters: `error_<field>` for each field of a ValidationFailed, any
    other refusal as `error` (with `one_by_field`, as `error_<field>` when it names a field)."""
    if isinstance(error, ValidationFailed):
        return {f"error_{k}": v for k, v in error.errors.items()}
    return {f"error_{error.field}" if one_by_field and error.field else "error": error.message}


def too_many(error: throttle.Throttled, back_href: str, back_text: str, language: str = i18n.DEFAULT) -> Response:
    """429 with Retry-After, as a small page a person can read (the form posted here), in
    `language` (`back_text` is given in it)."""
    title = escape(i18n.gettext(language, "Too many attempts"))
    center = escape(get_settings().center_name)
    body = (
        f'<!doctype html><html lang="{escape(i18n.language_or_default(language))}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title} · {center}</title></head>"
        '<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5">'
        f'<main><h1>{title}</h1><p role="alert">{escape(i18n.translate(language, error.message))}</p>'
        f'<p><a href="{escape(back_href)}">{escape(back_text)}</a></p></main></body></html>'
    )
    return HTMLResponse(body, status_code=429, headers={"Retry-After": str(error.retry_after), "Cache-Control": "no-store"})

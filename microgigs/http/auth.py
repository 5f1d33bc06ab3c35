"""Sign-up, sign-in and sign-out: plain form posts that set or clear the session cookie.

Errors go back to the form page in the query string (message per field, the typed values
except the password), so the page can show each message next to the input that caused it.
A throttled request gets a 429 page with Retry-After instead (services/throttle.py).

The work of each route (argon2 hashing, the database) runs in a worker thread, never on the
event loop that carries every open page.
"""

from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from microgigs.db import session_scope
from microgigs.http import client_address
from microgigs.http.session_cookie import (
    clear_session_cookie,
    device_from_cookie_header,
    set_device_cookie,
    set_session_cookie,
    token_from_cookie_header,
)
from microgigs.services import account_security, accounts, sso, throttle
from microgigs.services.errors import DomainError
from microgigs.services.validation import ValidationFailed
from microgigs.settings import get_settings

SIGN_UP_ECHOED_FIELDS = ("role", "display_name", "email", "organization_name", "organization_website")
FOREIGN_FORM = "This form must be sent from MicroGigs itself."


def same_origin(request: Request) -> bool:
    """A form post must come from our own pages (CSRF defence on top of SameSite=Lax)."""
    source = request.headers.get("origin") or request.headers.get("referer") or ""
    parts = urlsplit(source)
    if not parts.scheme or not parts.netloc:
        return False
    origin = f"{parts.scheme}://{parts.netloc}"
    allowed = {get_settings().public_url.rstrip("/"), f"{request.url.scheme}://{request.headers.get('host', '')}"}
    return origin in allowed


def foreign_form() -> Response:
    return PlainTextResponse(FOREIGN_FORM, status_code=403)


def safe_next(value: str | None, default: str = "/dashboard") -> str:
    """Only ever redirect to a path on this site."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def _redirect(path: str, params: dict[str, str] | None = None) -> RedirectResponse:
    query = urlencode({k: v for k, v in (params or {}).items() if v})
    return RedirectResponse(f"{path}?{query}" if query else path, status_code=303)


def too_many(error: throttle.Throttled, back_href: str, back_text: str) -> Response:
    """429 with Retry-After, as a small page a person can read (the form posted here)."""
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Too many attempts · MicroGigs</title></head>"
        '<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5">'
        f'<main><h1>Too many attempts</h1><p role="alert">{escape(error.message)}</p>'
        f'<p><a href="{escape(back_href)}">{escape(back_text)}</a></p></main></body></html>'
    )
    return HTMLResponse(body, status_code=429, headers={"Retry-After": str(error.retry_after), "Cache-Control": "no-store"})


# --- signing someone in ------------------------------------------------------------------


@dataclass(frozen=True)
class SignedIn:
    session_token: str
    device_token: str


def begin_session(session, request: Request, user) -> SignedIn:
    """Sign-in rotates the session (any token this browser held is revoked first) and makes
    this browser one of the account's known devices (its failed sign-ins then never lock the
    owner out)."""
    cookies = request.headers.get("cookie")
    accounts.end_session(session, token_from_cookie_header(cookies))
    token = accounts.start_session(session, user, request.headers.get("user-agent", ""), client_address.of_request(request))
    device = throttle.remember_device(session, user, device_from_cookie_header(cookies))
    return SignedIn(token, device)


def with_sign_in(response: Response, signed_in: SignedIn) -> Response:
    set_session_cookie(response, signed_in.session_token)
    set_device_cookie(response, signed_in.device_token, throttle.KNOWN_DEVICE_DAYS)
    return response


def remember_this_browser(response: Response, device_token: str) -> Response:
    set_device_cookie(response, device_token, throttle.KNOWN_DEVICE_DAYS)
    return response


# --- the routes ------------------------------------------------------------------------------


def _sign_in(request: Request, email: str, password: str, next_path: str) -> Response:
    client = client_address.of_request(request)
    device = device_from_cookie_header(request.headers.get("cookie"))
    try:
        with session_scope() as session:
            failure_keys = throttle.sign_in_failure_keys(session, email, client, device)
            # Checked before the password: a refused guess costs no hashing and tells nothing.
            throttle.check(session, failure_keys, throttle.TOO_MANY_SIGN_INS)
            user = accounts.authenticate(session, email, password)
            sso.check_local_sign_in(user)
            signed_in = begin_session(session, request, user)
    except throttle.Throttled as error:
        return too_many(error, "/login?" + urlencode({"email": email, "next": next_path}), "Back to sign in")
    except sso.SsoRequired as error:
        return _redirect("/login", {"error": error.message, "email": email, "next": next_path})
    except DomainError as error:
        with session_scope() as session:
            throttle.record(session, failure_keys)
        return _redirect("/login", {"error": error.message, "email": email, "next": next_path})
    return with_sign_in(_redirect(next_path), signed_in)


async def login(request: Request) -> Response:
    if not same_origin(request):
        return foreign_form()
    form = await request.form()
    email = str(form.get("email", ""))[:254]
    password = str(form.get("password", ""))[: accounts.MAX_PASSWORD_LENGTH + 1]
    next_path = safe_next(str(form.get("next", "")))
    return await run_in_threadpool(_sign_in, request, email, password, next_path)


def _sign_up(request: Request, values: dict[str, str], data: accounts.SignUp) -> Response:
    client = client_address.of_request(request)
    try:
        with session_scope() as session:
            sso.check_local_sign_up(data.role, data.email)
            account_security.sign_up(session, data, client)
    except throttle.Throttled as error:
        return too_many(error, "/signup", "Back to sign up")
    except ValidationFailed as error:
        return _redirect("/signup", {**values, **{f"error_{k}": v for k, v in error.errors.items()}})
    except DomainError as error:
        key = f"error_{error.field}" if error.field else "error"
        return _redirect("/signup", {**values, key: error.message})
    # The same answer whether or not the address was free: no cookie, the same page.
    return _redirect("/check-email")


async def signup(request: Request) -> Response:
    if not same_origin(request):
        return foreign_form()
    form = await request.form()
    values = {name: str(form.get(name, ""))[:1000] for name in SIGN_UP_ECHOED_FIELDS}
    data = accounts.SignUp(
        email=values["email"],
        password=str(form.get("password", ""))[: accounts.MAX_PASSWORD_LENGTH + 1],
        display_name=values["display_name"],
        role=values["role"] or "student",
        organization_name=values["organization_name"],
        organization_website=values["organization_website"],
    )
    return await run_in_threadpool(_sign_up, request, values, data)


def _sign_out(request: Request) -> Response:
    with session_scope() as session:
        accounts.end_session(session, token_from_cookie_header(request.headers.get("cookie")))
    response = _redirect("/")
    clear_session_cookie(response)
    return response


async def logout(request: Request) -> Response:
    if not same_origin(request):
        return foreign_form()
    return await run_in_threadpool(_sign_out, request)


routes = [
    Route("/auth/login", login, methods=["POST"]),
    Route("/auth/signup", signup, methods=["POST"]),
    Route("/auth/logout", logout, methods=["POST"]),
]

"""Sign-up, sign-in and sign-out: plain form posts that set or clear the session cookie.

Errors go back to the form page in the query string (message per field, the
typed values except the password), so the page can show each message next to
the input that caused it.
"""

from urllib.parse import urlencode, urlsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from microgigs.db import session_scope
from microgigs.http.session_cookie import clear_session_cookie, set_session_cookie, token_from_cookie_header
from microgigs.services import account_security, accounts, sso, throttle
from microgigs.services.errors import DomainError
from microgigs.services.validation import ValidationFailed
from microgigs.settings import get_settings

SIGN_UP_ECHOED_FIELDS = ("role", "display_name", "email", "organization_name", "organization_website")


def same_origin(request: Request) -> bool:
    """A form post must come from our own pages (CSRF defence on top of SameSite=Lax)."""
    source = request.headers.get("origin") or request.headers.get("referer") or ""
    parts = urlsplit(source)
    if not parts.scheme or not parts.netloc:
        return False
    origin = f"{parts.scheme}://{parts.netloc}"
    allowed = {get_settings().public_url.rstrip("/"), f"{request.url.scheme}://{request.headers.get('host', '')}"}
    return origin in allowed


def safe_next(value: str | None, default: str = "/dashboard") -> str:
    """Only ever redirect to a path on this site."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def _redirect(path: str, params: dict[str, str] | None = None) -> RedirectResponse:
    query = urlencode({k: v for k, v in (params or {}).items() if v})
    return RedirectResponse(f"{path}?{query}" if query else path, status_code=303)


def _client(request: Request) -> tuple[str, str]:
    return request.headers.get("user-agent", ""), request.client.host if request.client else ""


def _rotate_session(session, request: Request, user) -> str:
    """Sign-in rotates the session: any token this browser already held is revoked first."""
    accounts.end_session(session, token_from_cookie_header(request.headers.get("cookie")))
    return accounts.start_session(session, user, *_client(request))


async def login(request: Request) -> Response:
    if not same_origin(request):
        return PlainTextResponse("This form must be sent from MicroGigs itself.", status_code=403)
    form = await request.form()
    email = str(form.get("email", ""))[:254]
    password = str(form.get("password", ""))
    next_path = safe_next(str(form.get("next", "")))
    user_agent, address = _client(request)
    try:
        with session_scope() as session:
            throttle.check(session, email, address)
            user = accounts.authenticate(session, email, password)
            sso.check_local_sign_in(user)
            throttle.clear_for_email(session, email)
            token = _rotate_session(session, request, user)
    except (throttle.Throttled, sso.SsoRequired) as error:
        return _redirect("/login", {"error": error.message, "email": email, "next": next_path})
    except DomainError as error:
        with session_scope() as session:
            throttle.record_failure(session, email, address)
        return _redirect("/login", {"error": error.message, "email": email, "next": next_path})
    response = _redirect(next_path)
    set_session_cookie(response, token)
    return response


async def signup(request: Request) -> Response:
    if not same_origin(request):
        return PlainTextResponse("This form must be sent from MicroGigs itself.", status_code=403)
    form = await request.form()
    values = {name: str(form.get(name, ""))[:1000] for name in SIGN_UP_ECHOED_FIELDS}
    data = accounts.SignUp(
        email=values["email"],
        password=str(form.get("password", "")),
        display_name=values["display_name"],
        role=values["role"] or "student",
        organization_name=values["organization_name"],
        organization_website=values["organization_website"],
    )
    try:
        with session_scope() as session:
            sso.check_local_sign_up(data.role, data.email)
            account_security.sign_up(session, data)
    except ValidationFailed as error:
        return _redirect("/signup", {**values, **{f"error_{k}": v for k, v in error.errors.items()}})
    except DomainError as error:
        key = f"error_{error.field}" if error.field else "error"
        return _redirect("/signup", {**values, key: error.message})
    # The same answer whether or not the address was free: no cookie, the same page.
    return _redirect("/check-email")


async def logout(request: Request) -> Response:
    if not same_origin(request):
        return PlainTextResponse("This form must be sent from MicroGigs itself.", status_code=403)
    with session_scope() as session:
        accounts.end_session(session, token_from_cookie_header(request.headers.get("cookie")))
    response = _redirect("/")
    clear_session_cookie(response)
    return response


routes = [
    Route("/auth/login", login, methods=["POST"]),
    Route("/auth/signup", signup, methods=["POST"]),
    Route("/auth/logout", logout, methods=["POST"]),
]

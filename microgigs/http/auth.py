"""Sign-up, sign-in and sign-out: plain form posts that set or clear the session cookie.

Errors go back to the form page in the query string (http/forms.py); a throttled request gets
a 429 page with Retry-After instead. Each route's work (argon2 hashing, the database) runs in
a worker thread through http/unit_of_work.py, never on the event loop that carries every page.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from microgigs import i18n
from microgigs.http import client_address
from microgigs.http.forms import PASSWORD_CHARS, redirect, safe_next, too_many
from microgigs.http.session_cookie import (
    clear_session_cookie,
    device_from_cookie_header,
    set_device_cookie,
    set_session_cookie,
    token_from_cookie_header,
)
from microgigs.http.unit_of_work import Unit, answer_language, back_to, refusal_language, route, translated_errors
from microgigs.i18n import _
from microgigs.models import User
from microgigs.services import account_security, accounts, password_sign_in, sso, throttle
from microgigs.services.errors import DomainError

SIGN_UP_ECHOED_FIELDS = ("role", "display_name", "email", "organization_name", "organization_website")


# --- signing someone in ------------------------------------------------------------------


@dataclass(frozen=True)
class SignedIn:
    session_token: str
    device_token: str


def begin_session(session: Session, request: Request, user: User) -> SignedIn:
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


def _sign_in_form(unit: Unit, message: str, language: str) -> Response:
    """The sign-in form again, with the message (in `language`), the address and the page to go on to."""
    return redirect(
        "/login", {"error": i18n.translate(language, message), "email": unit.text("email", 254), "next": safe_next(unit.text("next"))}
    )


def _refused_sign_in(unit: Unit, error: DomainError) -> Response:
    if isinstance(error, throttle.Throttled):
        query = urlencode({"email": unit.text("email", 254), "next": safe_next(unit.text("next"))})
        language = refusal_language(unit)
        return too_many(error, "/login?" + query, i18n.gettext(language, "Back to sign in"), language)
    return _sign_in_form(unit, error.message, refusal_language(unit))


@route(form=True, refused=_refused_sign_in)
def login(unit: Unit) -> Response:
    attempt = password_sign_in.attempt(
        unit.session, unit.text("email", 254), unit.text("password", PASSWORD_CHARS), client=unit.client, device_token=unit.device_token
    )
    if attempt.user is None:
        # Answered, not raised: the failure just counted is committed with this unit.
        return _sign_in_form(unit, attempt.failure, answer_language(unit))
    signed_in = begin_session(unit.session, unit.request, attempt.user)
    return with_sign_in(redirect(safe_next(unit.text("next"))), signed_in)


def _sign_up_values(unit: Unit) -> dict[str, str]:
    """What the sign-up form gets back after a refusal (everything but the password)."""
    return {name: unit.text(name, 1000) for name in SIGN_UP_ECHOED_FIELDS}


def _sign_up_form_again(unit: Unit, error: DomainError) -> dict[str, str]:
    # The sign-up form shows every message under its own input.
    return {**_sign_up_values(unit), **translated_errors(unit, error, one_by_field=True)}


@route(form=True, refused=back_to("/signup", _sign_up_form_again, throttled_link_text=_("Back to sign up")))
def signup(unit: Unit) -> Response:
    values = _sign_up_values(unit)
    data = accounts.SignUp(
        email=values["email"],
        password=unit.text("password", PASSWORD_CHARS),
        display_name=values["display_name"],
        role=values["role"] or "student",
        organization_name=values["organization_name"],
        organization_website=values["organization_website"],
        language=answer_language(unit),
    )
    sso.check_local_sign_up(unit.session, data.role, data.email)
    account_security.sign_up(unit.session, data, unit.client)
    # The same answer whether or not the address was free: no cookie, the same page.
    return redirect("/check-email")


@route(button=True)
def logout(unit: Unit) -> Response:
    accounts.end_session(unit.session, unit.session_token)
    response = redirect("/")
    clear_session_cookie(response)
    return response


routes = [
    Route("/auth/login", login, methods=["POST"]),
    Route("/auth/signup", signup, methods=["POST"]),
    Route("/auth/logout", logout, methods=["POST"]),
]

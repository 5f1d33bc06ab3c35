"""The sign-in cookie: its name, how routes set it, and how states read it back; and the
device cookie, which marks a browser an account signed in from before (services/throttle.py).

Both are HttpOnly (page JavaScript cannot read them) and SameSite=Lax; the session cookie only
names a server-side session row, which sign-out revokes.
"""

from http.cookies import CookieError, SimpleCookie

from starlette.responses import Response

from microgigs.http.sign_in_mark import renew_sign_in_mark
from microgigs.settings import get_settings

DEVICE_COOKIE = "microgigs_device"


def _cookie_value(cookie_header: str | None, name: str) -> str | None:
    if not cookie_header:
        return None
    jar = SimpleCookie()
    try:
        jar.load(cookie_header)
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel and morsel.value else None


def token_from_cookie_header(cookie_header: str | None) -> str | None:
    """The session token in a raw Cookie header, or None."""
    return _cookie_value(cookie_header, get_settings().session_cookie_name)


def device_from_cookie_header(cookie_header: str | None) -> str | None:
    return _cookie_value(cookie_header, DEVICE_COOKIE)


def set_device_cookie(response: Response, device_token: str, days: int) -> None:
    response.set_cookie(
        DEVICE_COOKIE, device_token, max_age=days * 24 * 3600, httponly=True, samesite="lax", secure=get_settings().secure_cookies, path="/"
    )


def set_session_cookie(response: Response, token: str) -> None:
    settings = get_settings()
    response.set_cookie(
        settings.session_cookie_name,
        token,
        max_age=settings.session_days * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )
    renew_sign_in_mark(response)  # the browser's tabs start new Reflex states


def clear_session_cookie(response: Response) -> None:
    settings = get_settings()
    response.delete_cookie(settings.session_cookie_name, httponly=True, samesite="lax", secure=settings.secure_cookies, path="/")
    renew_sign_in_mark(response)

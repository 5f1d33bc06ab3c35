"""One-click unsubscribe (RFC 8058) from a kind of bulk mail: /unsubscribe/<token>.

The token in the link is the whole proof (services/mail_preferences.py): no sign-in, no cookie,
no CSRF token, and no Origin check on the POST, since mail programs send it themselves
("List-Unsubscribe=One-Click"). A GET changes nothing (mail scanners open links): it shows a
small page whose button sends the POST. Both answer with a plain page a person can read.
"""

from html import escape

from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from microgigs.http.unit_of_work import Unit, route
from microgigs.services import mail_preferences

NOT_A_LINK = "This unsubscribe link does not work. Sign in and choose your emails on your Saved page instead."


def _page(title: str, body: str, status_code: int = 200) -> HTMLResponse:
    html = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · MicroGigs</title></head>"
        '<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5">'
        f"<main><h1>{escape(title)}</h1>{body}</main></body></html>"
    )
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


def _not_a_link(_unit: Unit, _error: Exception) -> Response:
    return _page("Unsubscribe", f"<p>{escape(NOT_A_LINK)}</p>", status_code=404)


def _token(unit: Unit) -> str:
    return str(unit.request.path_params.get("token", ""))[:200]


@route(refused=_not_a_link)
def confirm_page(unit: Unit) -> Response:
    what = mail_preferences.describe(unit.session, _token(unit))
    return _page(
        "Unsubscribe",
        f"<p>Stop {escape(what)}?</p>"
        f'<form method="post" action="/unsubscribe/{escape(_token(unit))}"><button type="submit">Unsubscribe</button></form>',
    )


@route(refused=_not_a_link)
def unsubscribe(unit: Unit) -> Response:
    what = mail_preferences.unsubscribe(unit.session, _token(unit))
    return _page(
        "Unsubscribed",
        f'<p role="status">Done: you will no longer get {escape(what)}.</p><p><a href="/saved">Your saved searches and emails</a></p>',
    )


routes = [
    Route("/unsubscribe/{token}", confirm_page, methods=["GET"]),
    Route("/unsubscribe/{token}", unsubscribe, methods=["POST"]),
]

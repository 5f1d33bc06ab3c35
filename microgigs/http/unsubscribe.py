"""One-click unsubscribe (RFC 8058) from a kind of bulk mail: /unsubscribe/<token>.

The token in the link is the whole proof (services/mail_preferences.py): no sign-in, no cookie,
no CSRF token, and no Origin check on the POST, since mail programs send it themselves
("List-Unsubscribe=One-Click"). A GET changes nothing (mail scanners open links): it shows a
small page whose button sends the POST. Both answer with a plain page a person can read, in the
visitor's language (the language switch's cookie, else their browser's), titled with the
career center's name.
"""

from html import escape

from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from microgigs.http.unit_of_work import Unit, in_unit_of_work, route, visitor_language
from microgigs.i18n import gettext, msg, translate
from microgigs.services import center, mail_preferences

# The email choices are on the account page (services/mail_preferences.py; pages/account.py).
NOT_A_LINK = msg("This unsubscribe link does not work. Sign in and choose your emails on your account page instead.")


def _page(language: str, center_name: str, title: str, body: str, status_code: int = 200) -> HTMLResponse:
    html = (
        f'<!doctype html><html lang="{escape(language)}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · {escape(center_name)}</title></head>"
        '<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; line-height: 1.5">'
        f"<main><h1>{escape(title)}</h1>{body}</main></body></html>"
    )
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"})


def _not_a_link(unit: Unit, _error: Exception) -> Response:
    language = visitor_language(unit.request)
    center_name = in_unit_of_work(center.current).name  # the unit is rolled back: a small one of its own
    link = f'<p><a href="/account">{escape(gettext(language, "Your account and email choices"))}</a></p>'
    return _page(
        language, center_name, gettext(language, "Unsubscribe"), f"<p>{escape(translate(language, NOT_A_LINK))}</p>{link}", status_code=404
    )


def _token(unit: Unit) -> str:
    return str(unit.request.path_params.get("token", ""))[:200]


@route(refused=_not_a_link)
def confirm_page(unit: Unit) -> Response:
    language = visitor_language(unit.request)
    what = translate(language, mail_preferences.describe(unit.session, _token(unit)))
    question = gettext(language, "Stop {what}?", what=what)
    return _page(
        language,
        center.current(unit.session).name,
        gettext(language, "Unsubscribe"),
        f"<p>{escape(question)}</p>"
        f'<form method="post" action="/unsubscribe/{escape(_token(unit))}">'
        f'<button type="submit">{escape(gettext(language, "Unsubscribe"))}</button></form>',
    )


@route(refused=_not_a_link)
def unsubscribe(unit: Unit) -> Response:
    language = visitor_language(unit.request)
    what = translate(language, mail_preferences.unsubscribe(unit.session, _token(unit)))
    done = gettext(language, "Done: you will no longer get {what}.", what=what)
    back = gettext(language, "Your account and email choices")
    return _page(
        language,
        center.current(unit.session).name,
        gettext(language, "Unsubscribed"),
        f'<p role="status">{escape(done)}</p><p><a href="/account">{escape(back)}</a></p>',
    )


routes = [
    Route("/unsubscribe/{token}", confirm_page, methods=["GET"]),
    Route("/unsubscribe/{token}", unsubscribe, methods=["POST"]),
]

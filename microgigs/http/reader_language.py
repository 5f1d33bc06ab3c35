"""The language of a route's own plain-text answers (a download's 404, a CSV's refusal), chosen
as the pages choose it (state/session.py): the signed-in person's choice, else the language
switch's cookie, else the best of ours the browser asks for (Accept-Language)."""

from sqlalchemy.orm.exc import DetachedInstanceError
from starlette.responses import PlainTextResponse

from microgigs import i18n
from microgigs.http.unit_of_work import Unit, in_unit_of_work
from microgigs.services import accounts


def _visitor_language(unit: Unit) -> str:
    headers = unit.request.headers
    return i18n.language_from_cookie_header(headers.get("cookie")) or i18n.negotiate(headers.get("accept-language"))


def reader_language(unit: Unit) -> str:
    """The reader's language, while the unit is open or after it was rolled back (a refusal:
    then the signed-in person's choice is read again in a small unit of its own)."""
    chosen = None
    if unit.actor is not None:
        try:
            chosen = unit.actor.language
        except DetachedInstanceError:  # the rollback expired it
            token = unit.session_token
            chosen = in_unit_of_work(lambda session: getattr(accounts.user_for_session_token(session, token), "language", None))
    return chosen if chosen in i18n.LANGUAGES else _visitor_language(unit)


def plain_refusal_in_language(status_code: int):
    """unit_of_work.plain_refusal, its message in the reader's language."""
    return lambda unit, error: PlainTextResponse(i18n.translate(reader_language(unit), error.message), status_code=status_code)

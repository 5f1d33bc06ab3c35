"""The browser's half of the languages: /i18n/catalog.js, the script every page's head loads
before the app's own scripts (microgigs.py), which defines `mgT(language, msgid, values)`.

Reflex compiles the pages to JavaScript once, at build time, so a page's texts are chosen in the
browser: each `t("…")` of components/i18n.py becomes `mgT(<the viewer's language>, "…", {…})`.
The script carries every translation of every language (small: a few kilobytes), built once per
process from the .po catalogues (microgigs/i18n.py). A same-origin file, so the pages' Content
Security Policy ('self') lets it run. It also keeps `<html lang>` on the language shown, for
screen readers.
"""

import functools
import hashlib
import json

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from microgigs import i18n
from microgigs.http.forms import redirect, safe_next, same_origin
from microgigs.http.unit_of_work import Unit, route
from microgigs.services import profiles
from microgigs.settings import get_settings

CATALOG_PATH = "/i18n/catalog.js"
SWITCH_PATH = "/i18n/language"
COOKIE_DAYS = 365

_SCRIPT = """// MicroGigs' texts in every language but English (microgigs/http/i18n.py).
(function () {
  'use strict';
  var CATALOGS = __CATALOGS__;
  var DEFAULT = __DEFAULT__;
  window.mgT = function (language, msgid, values) {
    var lang = CATALOGS.hasOwnProperty(language) || language === DEFAULT ? language : DEFAULT;
    var table = CATALOGS[lang] || {};
    var text = table.hasOwnProperty(msgid) ? table[msgid] : msgid;
    if (typeof document !== 'undefined' && document.documentElement.lang !== lang) {
      document.documentElement.lang = lang;
    }
    if (values) {
      Object.keys(values).forEach(function (name) {
        text = text.split('{' + name + '}').join(String(values[name]));
      });
    }
    return text;
  };
})();
"""


@functools.cache
def catalog_script() -> str:
    """The script's text: built once per process (the catalogues do not change while it runs)."""
    catalogs = {language: i18n.catalog(language) for language in i18n.LANGUAGES if language != i18n.DEFAULT}
    return _SCRIPT.replace("__CATALOGS__", json.dumps(catalogs, ensure_ascii=True, sort_keys=True)).replace(
        "__DEFAULT__", json.dumps(i18n.DEFAULT)
    )


@functools.cache
def _etag() -> str:
    return '"' + hashlib.sha256(catalog_script().encode()).hexdigest()[:32] + '"'


async def catalog_js(request: Request) -> Response:
    # Short caching, then a cheap revalidation: a new release's texts reach open pages within minutes.
    headers = {"Cache-Control": "public, max-age=300", "ETag": _etag()}
    if request.headers.get("if-none-match") == _etag():
        return Response(status_code=304, headers=headers)
    return Response(catalog_script(), media_type="text/javascript; charset=utf-8", headers=headers)


@route()
def switch_language(unit: Unit) -> Response:
    """The footer's language switch: /i18n/language?to=es&next=/gigs/3 remembers the language in
    a cookie (a visitor's choice, read as each page loads: state/session.py) and, for someone
    signed in who clicked it on our own pages, in their profile too; then goes back to `next`,
    a path on this site only. An unknown language changes nothing."""
    query = unit.request.query_params
    response = redirect(safe_next(query.get("next"), default="/"))
    language = query.get("to", "")
    if language not in i18n.LANGUAGES:
        return response
    response.set_cookie(
        i18n.COOKIE,
        language,
        max_age=COOKIE_DAYS * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=get_settings().secure_cookies,
        path="/",
    )
    # Another site's link may set a visitor's cookie (harmless), never a person's profile.
    if unit.actor is not None and unit.actor.email_verified and same_origin(unit.request):
        profiles.set_language(unit.session, unit.actor, language)
    return response


routes = [Route(CATALOG_PATH, catalog_js, methods=["GET"]), Route(SWITCH_PATH, switch_language, methods=["GET"])]

"""The board's page ("/") with its first page of results already in the HTML.

The built board page is a shell ("Loading gigs…") that draws the gigs only once the app's
scripts have loaded, hydrated and asked the server over the websocket: most of a second on a
phone's first visit. Here the same shell is sent with the URL's first page of open gigs (same
search, filters and sort, as anyone not signed in sees them) added at the end of <body>, so they
are on screen as soon as the HTML and stylesheets are, and the links work even without scripts.

React leaves nodes it did not render at the end of <body> alone when it hydrates. A small
script after the block removes it as soon as the board's "Loading gigs…" placeholder
(#board-loading) is gone, in the same frame the app draws its own results (or goes to another
page), so the page never holds the gigs twice; without scripts it simply stays.
If anything goes wrong here the plain shell is sent: the app then works as before.

The block is in the reader's language, chosen as the pages choose it (state/session.py): the
signed-in person's own, else the language switch's cookie, else the browser's Accept-Language;
deadlines in the signed-in person's zone (a visitor: each gig's own).
"""

import functools
import html
import logging
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qsl

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from microgigs import i18n
from microgigs.components.gig_card import board_card_html
from microgigs.http.session_cookie import token_from_cookie_header
from microgigs.http.unit_of_work import in_unit_of_work
from microgigs.services import accounts, gigs
from microgigs.services.gigs import board_cache
from microgigs.services.gigs.cards import localize_all
from microgigs.services.search import BoardQuery

log = logging.getLogger(__name__)

BLOCK_ID = "board-first-page"
# Removes the block once the placeholder has gone (a mutation observer's callback runs right
# after the app's render, before the browser paints). The page's Content-Security-Policy allows
# exactly this script, by its hash (http/security_headers.py).
REMOVE_SCRIPT = (
    "(() => { const block = document.getElementById('board-first-page'); if (!block) return;"
    " const watch = new MutationObserver(() => { if (!document.getElementById('board-loading'))"
    " { watch.disconnect(); block.remove(); } });"
    " watch.observe(document.body, { childList: true, subtree: true }); })();"
)
REMOVE_WHEN_THE_APP_DRAWS = f"<script>{REMOVE_SCRIPT}</script>"


def built_board_page() -> Path:
    from microgigs.http.assets import built_assets_dir

    return built_assets_dir().parent / "index.html"


def _text(value) -> str:
    return html.escape(str(value), quote=True)


# The shell's root Radix theme: its data-* attributes (accent and gray colours, radius, scaling...)
# are what define the theme's tokens (--space-*, --accent-*, fonts) for the elements inside it.
_ROOT_THEME = re.compile(r'<div\b[^>]*\bdata-is-root-theme="true"[^>]*>')
_DATA_ATTRIBUTE = re.compile(r'\s(data-[\w-]+)="([^"]*)"')


def theme_attributes(shell: str) -> str:
    """Attributes that make the block a nested copy of the shell's theme (as Radix draws a nested
    Theme): the block sits after the app's root element, outside the theme the cards are styled by."""
    root = _ROOT_THEME.search(shell)
    if root is None:
        return ""
    attributes = dict(_DATA_ATTRIBUTE.findall(root.group(0)))
    attributes.update({"data-is-root-theme": "false", "data-has-background": "false"})
    return ' class="radix-themes"' + "".join(f' {name}="{value}"' for name, value in attributes.items())


def reader(session, cookie_header: str | None, accept_language: str | None) -> tuple[str, str | None]:
    """(language, zone or None) of whoever asks: as SessionState._viewer_language chooses."""
    token = token_from_cookie_header(cookie_header)
    user = accounts.user_for_session_token(session, token) if token is not None else None
    if user is not None and user.language in i18n.LANGUAGES:
        return user.language, user.timezone
    zone = user.timezone if user is not None else None
    return i18n.language_from_cookie_header(cookie_header) or i18n.negotiate(accept_language), zone


def first_page_html(
    query_string: str,
    engine: Engine | None = None,
    theme: str = "",
    cookie_header: str | None = None,
    accept_language: str | None = None,
) -> str:
    """The first page of open gigs for this board URL's query string, as an HTML block
    (`theme`: its theme's attributes, see theme_attributes), in the reader's language."""
    params = dict(parse_qsl(query_string, keep_blank_values=False))
    filters = BoardQuery.from_params(params)

    def read(session):
        language, zone = reader(session, cookie_header, accept_language)
        return board_cache.shared_board_page(session, filters, gigs.BOARD_PAGE_SIZE), language, zone

    result, language, zone = in_unit_of_work(read, engine)
    localize_all(result.cards, language, zone)
    count = gigs.board_count_text(result.total, capped=result.capped, estimated=result.estimated, language=language)
    if result.cards:
        body = '<div class="board-first-page-cards">' + "".join(board_card_html(card, language) for card in result.cards) + "</div>"
    else:
        body = f"<p>{_text(i18n.gettext(language, 'No open gigs match your search.'))}</p>"
    pages = []
    if result.page > 1:
        previous = i18n.gettext(language, "← Previous page")
        pages.append(f'<a href="{_text(filters.url(page=result.page - 1))}">{_text(previous)}</a>')
    if result.page < result.pages:
        following = i18n.gettext(language, "Next page →")
        pages.append(f'<a href="{_text(filters.url(page=result.page + 1))}">{_text(following)}</a>')
    nav = f'<nav aria-label="{_text(i18n.gettext(language, "Pages of results"))}">{"".join(pages)}</nav>' if pages else ""
    label = _text(i18n.gettext(language, "Open gigs"))
    return f'<section id="{BLOCK_ID}" aria-label="{label}"{theme}><p role="status">{_text(count)}</p>{body}{nav}</section>'


@functools.lru_cache(maxsize=1)
def _shell(path: Path, mtime_ns: int) -> tuple[str, str, str]:
    """The built page split where the block goes, and the block's theme (read once per build)."""
    page = path.read_text(encoding="utf-8")
    return *split_shell(page), theme_attributes(page)


def split_shell(shell: str) -> tuple[str, str]:
    """The shell up to its closing </body>, and the rest (the block goes between)."""
    head, marker, tail = shell.rpartition("</body>")
    return (head, marker + tail) if marker else (shell, "")


def serve_board_first_page(app: ASGIApp, *, shell: Callable[[], Path] = built_board_page, engine: Engine | None = None) -> ASGIApp:
    """ASGI wrapper: GET/HEAD "/" (the board, any query string) is answered here when a built
    board page exists; everything else goes on to `app`. (`shell` and `engine`: for tests.)"""

    shell = functools.cache(shell)  # looked up at the first board request, once

    async def board_first(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != "/" or scope["method"] not in ("GET", "HEAD"):
            return await app(scope, receive, send)
        path = shell()
        try:
            before, tail, theme = _shell(path, path.stat().st_mtime_ns)
        except OSError:  # no production build here (a dev server serves its own pages)
            return await app(scope, receive, send)
        headers = [
            (b"content-type", b"text/html; charset=utf-8"),
            # The open gigs change: always ask again.
            (b"cache-control", b"no-cache"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        if scope["method"] == "HEAD":
            return await send({"type": "http.response.body", "body": b""})
        # The shell's head goes out at once, so the browser fetches the stylesheets and scripts
        # while the gigs are read; the first page follows, then the end of the page.
        await send({"type": "http.response.body", "body": before.encode("utf-8"), "more_body": True})
        query_string = scope.get("query_string", b"").decode("latin-1")
        request_headers = {name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope.get("headers", [])}
        try:
            block = (
                await run_in_threadpool(
                    first_page_html, query_string, engine, theme, request_headers.get("cookie"), request_headers.get("accept-language")
                )
                + REMOVE_WHEN_THE_APP_DRAWS
            )
        except Exception:
            log.exception("board first page not rendered for %r", query_string)
            block = ""
        await send({"type": "http.response.body", "body": (block + tail).encode("utf-8")})

    return board_first

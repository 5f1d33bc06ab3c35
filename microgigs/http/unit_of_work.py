"""The one way an HTTP route acts: its work runs in a worker thread, in one unit of work.

A route says *what* it does as a plain function of a `Unit` (the request, what it sent, the
database session and the signed-in account) and returns its answer; `route(...)` says *how*:

- a form post (or a button's post) is refused unless it comes from our own pages, and its
  form is read first (on the event loop: reading a body is waiting, not work);
- the work runs in a worker thread (`run_in_threadpool`): argon2, SQL and files never block
  the loop that carries every open page;
- one database session commits when the work returns and rolls back when it raises, so a
  refused request writes nothing;
- the actor is resolved again from the request's session cookie (a revoked session stops
  working at once); `unit.signed_in_or(answer)` stops with the route's own answer for nobody;
- a refusal (`DomainError`, or the other errors the route names) becomes the route's answer
  through its small `refused(unit, error)` callback (`back_to` for the usual redirect back).

    @route(form=True, refused=back_to("/account"))
    def change_password(unit: Unit) -> Response:
        account_security.change_password(unit.session, unit.actor, ...)
        return redirect("/account", {"notice": "Your password is changed."})

Work that is not a whole request (a step of the campus sign-in, a webhook, the board's first
page) uses `off_the_loop(work)`, or `in_unit_of_work(work)` when it already runs in a thread.
This is the only http module that imports microgigs.db.
"""

import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from microgigs import i18n
from microgigs.db import session_scope
from microgigs.http import client_address
from microgigs.http.forms import foreign_form, query_errors, redirect, same_origin, too_many
from microgigs.http.session_cookie import device_from_cookie_header, token_from_cookie_header
from microgigs.models import User
from microgigs.services import accounts, throttle
from microgigs.services.errors import DomainError

T = TypeVar("T")


class _Answered(Exception):
    """Stops the work with a ready answer (see `Unit.signed_in_or`); the unit rolls back."""

    def __init__(self, response: Response):
        super().__init__()
        self.response = response


@dataclass
class Unit:
    """One request's unit of work, as the route's work sees it. `session` and `actor` are set
    while the work runs; a `refused` callback gets the same unit after the rollback (read what
    the request sent, not the database)."""

    request: Request
    form: FormData | None = None
    body: bytes = b""
    session: Session | None = None
    actor: User | None = None

    def text(self, name: str, limit: int | None = None) -> str:
        """A form field as text, cut to `limit` characters ("" when absent)."""
        return str(self.form.get(name, "") if self.form is not None else "")[:limit]

    @property
    def session_token(self) -> str | None:
        return token_from_cookie_header(self.request.headers.get("cookie"))

    @property
    def device_token(self) -> str | None:
        return device_from_cookie_header(self.request.headers.get("cookie"))

    @property
    def client(self) -> str:
        """The client's network address, for throttles and the session list."""
        return client_address.of_request(self.request)

    def signed_in_or(self, nobody: Response) -> User:
        """The signed-in account; for nobody, stop here and answer `nobody` (e.g. a 401)."""
        if self.actor is None:
            raise _Answered(nobody)
        return self.actor


Work = Callable[[Unit], Response]
Refused = Callable[[Unit, Exception], Response]


def _act(unit: Unit, work: Work, refused: Refused | None, refusals: tuple[type[Exception], ...]) -> Response:
    try:
        with session_scope() as session:
            unit.session = session
            unit.actor = accounts.user_for_session_token(session, unit.session_token)
            return work(unit)
    except _Answered as answered:
        return answered.response
    except refusals as error:
        if refused is None:
            raise
        return refused(unit, error)


def route(
    *,
    form: bool = False,
    button: bool = False,
    body: bool = False,
    refused: Refused | None = None,
    refusals: tuple[type[Exception], ...] = (DomainError,),
) -> Callable[[Work], Callable[[Request], Awaitable[Response]]]:
    """Make `work(unit) -> Response` a Starlette endpoint (see the module's doc).

    form: a form posted from our pages (a POST from another origin gets 403); `unit.text` reads it.
    button: a POST from our pages with nothing to read (the origin is checked, no body read).
    body: the raw body is read first, as `unit.body`.
    refused: the answer to a refusal, `refused(unit, error)`; without it a refusal is an error (500).
    refusals: what counts as a refusal (DomainError; add an outside system's "no" where it is one).
    """

    def decorate(work: Work) -> Callable[[Request], Awaitable[Response]]:
        @functools.wraps(work)
        async def endpoint(request: Request) -> Response:
            if (form or button) and request.method == "POST" and not same_origin(request):
                return foreign_form(visitor_language(request))
            unit = Unit(request, form=await request.form() if form else None, body=await request.body() if body else b"")
            return await run_in_threadpool(_act, unit, work, refused, refusals)

        return endpoint

    return decorate


# --- the language of an answer ----------------------------------------------------------------


def visitor_language(request: Request) -> str:
    """A visitor's language, as the pages choose it (state/session.py): the language switch's
    cookie, else the best of ours their browser asks for."""
    switched = i18n.language_from_cookie_header(request.headers.get("cookie"))
    return switched or i18n.negotiate(request.headers.get("accept-language"))


def answer_language(unit: Unit, user: User | None = None) -> str:
    """The language of a route's messages while its unit is open: `user`'s (else the signed-in
    actor's) own choice, else the visitor's. Messages travel to the page in the query string
    already in it."""
    person = user or unit.actor
    if person is not None and person.language in i18n.LANGUAGES:
        return person.language
    return visitor_language(unit.request)


def refusal_language(unit: Unit) -> str:
    """`answer_language` for a refusal: the unit is rolled back (its actor no longer readable),
    so the signed-in person's choice is read again in a small unit of its own."""
    token = unit.session_token
    if token:
        chosen = in_unit_of_work(lambda session: getattr(accounts.user_for_session_token(session, token), "language", None))
        if chosen in i18n.LANGUAGES:
            return chosen
    return visitor_language(unit.request)


def translated_errors(unit: Unit, error: DomainError, *, one_by_field: bool = False) -> dict[str, str]:
    """`query_errors` in the language of the person refused."""
    return i18n.translate_all(refusal_language(unit), query_errors(error, one_by_field=one_by_field))


def plain_refusal(status_code: int) -> Refused:
    """A refusal answered with its message as plain text, in the reader's language, and this
    status (a download's 403/404)."""
    return lambda unit, error: PlainTextResponse(i18n.translate(refusal_language(unit), error.message), status_code=status_code)


def back_to(
    path: str,
    query: Callable[[Unit, DomainError], dict[str, str]] = translated_errors,
    *,
    throttled_link_text: str = "",
) -> Callable[[Unit, DomainError], Response]:
    """The usual refusal of a form route (for `route(refused=...)`): 303 back to
    `path` with `query(unit, error)` (by default the messages by field, in the person's
    language). With `throttled_link_text` (a literal marked with `_()`), a throttled request
    gets the 429 page, linking back to `path`."""

    def refuse(unit: Unit, error: DomainError) -> Response:
        if throttled_link_text and isinstance(error, throttle.Throttled):
            language = refusal_language(unit)
            return too_many(error, path, i18n.gettext(language, throttled_link_text), language)
        return redirect(path, query(unit, error))

    return refuse


def in_unit_of_work(work: Callable[[Session], T], engine: Engine | None = None) -> T:
    """`work(session)` in one unit of work, in this thread (already off the loop): committed
    when it returns, rolled back when it raises (the error comes back to the caller)."""
    with session_scope(engine) as session:
        return work(session)


async def off_the_loop(work: Callable[[Session], T], engine: Engine | None = None) -> T:
    """`in_unit_of_work(work)` in a worker thread: for a step of a route that is not the whole
    request, or work that no one signed in asks for (webhooks, the board's first page)."""
    return await run_in_threadpool(in_unit_of_work, work, engine)

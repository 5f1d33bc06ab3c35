"""Who is signed in, and the one way a page reads and acts: `_read` and `_act`.

States never trust an id they remember: every unit of work resolves the HttpOnly
session cookie again, so a revoked session stops working at once and no client can
claim to be someone else by sending other arguments. This is the only state module
that opens a database session; page states hand `_read` / `_act` a function of
(session, actor) that calls the services.
"""

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import reflex as rx
from sqlmodel import Session

from microgigs import i18n, live
from microgigs.db import session_scope
from microgigs.http import client_address
from microgigs.http.session_cookie import token_from_cookie_header
from microgigs.models import User
from microgigs.services import accounts, center, notifications
from microgigs.services.errors import DomainError
from microgigs.services.validation import ValidationFailed
from microgigs.settings import get_settings

# A colour the page may put in its CSS: "#rrggbb" only (the settings page stores no other).
BRAND_COLOR = re.compile(r"#[0-9a-f]{6}")


class Audience(enum.Enum):
    """Who a unit of work is for. PERSON: a signed-in account with a confirmed address (everyone
    else is sent to sign in, or to confirm). ACCOUNT: any signed-in account, confirmed or not
    (its own account page). ANYONE: visitors too (the actor may be None)."""

    PERSON = "person"
    ACCOUNT = "account"
    ANYONE = "anyone"


def field_errors(error: DomainError) -> dict[str, str]:
    """A service's refusal as {field: message}; a message about no one field goes under "form"."""
    if isinstance(error, ValidationFailed):
        return dict(error.errors)
    return {error.field or "form": error.message}


@dataclass
class Acted:
    """What came of `_act`: `ok` and the service's `value` when it committed; `errors` by field
    when the service refused (nothing was written); `redirect` when nobody may act here (the
    state is already reset: return it from the handler)."""

    ok: bool = False
    value: Any = None
    errors: dict[str, str] = field(default_factory=dict)
    redirect: Any = None

    @property
    def error(self) -> str:
        """The refusal as one line, for pages that show one message rather than one per field."""
        return next(iter(self.errors.values()), "")

    @property
    def form_error(self) -> str:
        """The refusal about the whole form (no one field), for pages that show it above the form."""
        return self.errors.get("form", "")

    @property
    def field_messages(self) -> dict[str, str]:
        """The refusal's messages that belong under a field (the whole-form one left out)."""
        return {name: message for name, message in self.errors.items() if name != "form"}


def signed_in_user_id(cookie_header: str | None) -> int | None:
    """The id of the account the session cookie in this header signs in (confirmed or not), or
    None: for code outside a page state that must know whose tab it serves (tab_identity)."""
    token = token_from_cookie_header(cookie_header)
    if token is None:
        return None
    with session_scope() as session:
        user = accounts.user_for_session_token(session, token)
        return user.id if user is not None else None


class SessionState(rx.State):
    """Base of every page state: the signed-in person as the page may show them."""

    user_id: int = 0
    user_name: str = ""
    user_role: str = ""
    # False while the signed-in account's address is not confirmed: it may only confirm it (or
    # ask for a new link), sign out and delete itself; the pages show it nothing else.
    email_confirmed: bool = True
    unread_notifications: int = 0
    # The career center as every page's header and footer show it (services/center.py: what an
    # admin saved, else the environment's), refreshed with the signed-in person on each load.
    center_name: str = get_settings().center_name
    center_logo_url: str = ""  # "": no logo
    center_brand_color: str = ""  # "#rrggbb", or "": the default look
    center_contact_email: str = get_settings().contact_email
    # The page's polite live region (page_layout): one sentence about what just arrived from
    # someone else (a submission, a payment, a message, a decision). It stays until the next
    # one (clearing it at once can cut a screen reader off); a load or an act of the tab's own
    # empties it. Newest notification id this tab has told about, and whose: backend only.
    announcement: str = ""
    # The language the pages are shown in ("en", "es"; components/i18n.py), chosen on each load:
    # the person's own choice, else the visitor's language switch (cookie), else their browser's.
    language: str = i18n.DEFAULT
    _announced_through: int = -1
    _announced_for: int = 0

    @rx.var
    def signed_in(self) -> bool:
        return self.user_id > 0

    @rx.var
    def awaiting_confirmation(self) -> bool:
        return self.user_id > 0 and not self.email_confirmed

    @rx.var
    def is_student(self) -> bool:
        return self.user_role == "student" and self.email_confirmed

    @rx.var
    def is_staff(self) -> bool:
        return self.user_role in ("staff", "admin") and self.email_confirmed

    @rx.var
    def is_admin(self) -> bool:
        """Who runs the install: the center's own settings (/admin/settings) are theirs."""
        return self.user_role == "admin" and self.email_confirmed

    @rx.var
    def is_manager(self) -> bool:
        return self.user_role == "manager" and self.email_confirmed

    def _signed_in_user(self, session: Session) -> User | None:
        """The account signed in for this event (confirmed or not), or None; the header vars stay
        as they are. Only for what an unconfirmed account may see: its own account page."""
        return accounts.user_for_session_token(session, token_from_cookie_header(self.router.headers.cookie))

    def _show_signed_in(self, session: Session, user: User | None) -> None:
        """The header vars for this account (or for a visitor)."""
        self.user_id = user.id if user else 0
        self.user_name = user.display_name if user else ""
        self.user_role = user.role if user else ""
        self.email_confirmed = user.email_verified if user else True
        confirmed = user if user and user.email_verified else None
        unread, latest = notifications.unread_and_latest(session, confirmed) if confirmed else (0, 0)
        self.unread_notifications = unread
        self._announce_news(session, confirmed, latest)
        self._show_center(session)
        self.language = self._viewer_language(user)

    def _tr(self, value):
        """A service's message (an `i18n.Text`, e.g. a DomainError's) in the viewer's language;
        any other value as it is."""
        return i18n.translate(self.language, value)

    def _tr_all(self, messages: dict) -> dict:
        """A form's {field: message} (ValidationFailed.errors) in the viewer's language."""
        return i18n.translate_all(self.language, messages)

    def _viewer_language(self, user: User | None) -> str:
        """The signed-in person's chosen language; for a visitor the language switch's cookie,
        else the best of ours their browser asks for (Accept-Language)."""
        if user is not None and user.language in i18n.LANGUAGES:
            return user.language
        switched = i18n.language_from_cookie_header(self.router.headers.cookie)
        if switched:
            return switched
        return i18n.negotiate(self.router.headers.accept_language or self.router.headers.raw_headers.get("accept-language"))

    def _announce_news(self, session: Session, user: User | None, latest: int) -> None:
        """In a live push, the sentence about the notifications that arrived since this tab last
        looked (once: the watermark moves past them). Anywhere else (a page load, a reload of the
        tab, its own action) nothing is announced: the watermark only catches up."""
        if user is None:
            self.announcement, self._announced_through, self._announced_for = "", -1, 0
            return
        if not live.in_push():
            self.announcement = ""
        elif self._announced_for == user.id and 0 <= self._announced_through < latest:
            self.announcement = notifications.announcement(session, user, self._announced_through)
        self._announced_through, self._announced_for = latest, user.id

    def _show_center(self, session: Session) -> None:
        """The center's name, logo, colour and contact for the header and footer (kept in memory: cheap)."""
        shown = center.current(session)
        self.center_name = shown.name
        self.center_logo_url = shown.logo_url
        self.center_brand_color = shown.brand_color if BRAND_COLOR.fullmatch(shown.brand_color) else ""
        self.center_contact_email = shown.contact_email

    def _actor(self, session: Session) -> User | None:
        """The person acting in this event: the signed-in account if its address is confirmed,
        else None (an address nobody confirmed is not an identity). Refreshes the header vars."""
        user = self._signed_in_user(session)
        self._show_signed_in(session, user)
        return user if user is not None and user.email_verified else None

    def _client_address(self) -> str:
        """The client's network address, for throttles (X-Forwarded-For only from a trusted proxy)."""
        raw = self.router.headers.raw_headers
        peer = raw.get("asgi-scope-client") or self.router.session.client_ip
        return client_address.client_address(peer, raw.get("x-forwarded-for"))

    def _sign_in_redirect(self):
        """Send a signed-out visitor to sign in, and back here afterwards; an account that has
        not confirmed its address to its account page, where it can. The page forgets what it
        showed first: a tab's state outlives sign-out, and on a shared computer the next person
        must not get the last one's page."""
        if self.user_id and not self.email_confirmed:
            target = "/account"
        else:
            target = f"/login?next={self.router.url.path or '/'}"
        self.reset()
        return rx.redirect(target)

    def _subscribe_live(self, *topics: str, read_at: float | None = None) -> None:
        """Have `live` push this tab a reload when what it shows changes (header badge included).
        `read_at`: when this reload began reading (time.monotonic()), so `live` can skip a push
        for a change the page read already."""
        mine = {f"user:{self.user_id}"} if self.user_id else set()
        live.subscribe(self.router.session.client_token, type(self), mine | set(topics), read_at=read_at)

    def _acting(self, session: Session, audience: Audience, quiet: bool = False) -> tuple[bool, User | None]:
        """(may go on, actor) for this unit of work; refreshes the header vars unless `quiet`."""
        if quiet:
            user = self._signed_in_user(session)
            actor = user if audience is Audience.ACCOUNT or (user is not None and user.email_verified) else None
            return actor is not None or audience is Audience.ANYONE, actor
        if audience is Audience.ACCOUNT:
            user = self._signed_in_user(session)
            self._show_signed_in(session, user)
            return user is not None, user
        actor = self._actor(session)
        return actor is not None or audience is Audience.ANYONE, actor

    def _read(self, read: Callable[[Session, User | None], Any], audience: Audience = Audience.PERSON):
        """The one way a page reads: one session, the actor resolved again, `read(session, actor)`
        called. Returns the sign-in redirect when nobody may read here (the state is reset), else
        None; what `read` returns is dropped: it sets the page's vars itself."""
        with session_scope() as session:
            may, actor = self._acting(session, audience)
            if not may:
                return self._sign_in_redirect()
            read(session, actor)
        return None

    def _read_page(self):
        """The usual page read: `_read(self._load)` (the page state's `_load(session, actor)` sets
        its vars), then the page counts as loaded where it has a `loaded` var. Returns the sign-in
        redirect, or None."""
        redirect = self._read(self._load)
        if redirect is None and "loaded" in self.base_vars:
            self.loaded = True
        return redirect

    def _act(self, call: Callable[[Session, User | None], Any], audience: Audience = Audience.PERSON, *, quiet: bool = False) -> Acted:
        """The one way a page acts: open the unit of work, resolve who is acting (or send them to
        sign in), call one service function as `call(session, actor)`, commit. A refusal
        (`DomainError`) rolls the whole unit back, so nothing is half-written, and comes back as
        errors by field. Any other exception is a bug and propagates. `quiet`: leave the header
        vars as they are (a step after the page's delta went out, with nothing more to send)."""
        try:
            with session_scope() as session:
                may, actor = self._acting(session, audience, quiet)
                if not may:
                    return Acted(redirect=self._sign_in_redirect())
                value = call(session, actor)
        except DomainError as error:
            return Acted(errors=field_errors(error))
        return Acted(ok=True, value=value)

    def _show_who_is_signed_in(self) -> None:
        """For a page that reads nothing else from the database: the header's vars for whoever
        is signed in (or a visitor); never a redirect."""
        self._read(lambda session, actor: None, Audience.ANYONE)

    def _live_reload(self) -> None:
        """Called by `live` inside `app.modify_state`: read what this page shows again.

        Page states override this; the base refreshes the header (the unread counter).
        """
        self._show_who_is_signed_in()

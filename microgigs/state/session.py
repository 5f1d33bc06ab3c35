"""Who is signed in, read from the HttpOnly session cookie on every event.

States never trust an id they remember: `_actor` resolves the cookie again each
time, so a revoked session stops working at once and no client can claim to be
someone else by sending other arguments.
"""

import reflex as rx
from sqlmodel import Session

from microgigs import live
from microgigs.db import session_scope
from microgigs.http import client_address
from microgigs.http.session_cookie import token_from_cookie_header
from microgigs.models import User
from microgigs.services import accounts, notifications


class SessionState(rx.State):
    """Base of every page state: the signed-in person as the page may show them."""

    user_id: int = 0
    user_name: str = ""
    user_role: str = ""
    # False while the signed-in account's address is not confirmed: it may only confirm it (or
    # ask for a new link), sign out and delete itself; the pages show it nothing else.
    email_confirmed: bool = True
    unread_notifications: int = 0

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
        self.unread_notifications = notifications.unread_count(session, user) if user and user.email_verified else 0

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

    def _live_reload(self) -> None:
        """Called by `live` inside `app.modify_state`: read what this page shows again.

        Page states override this; the base refreshes the header (the unread counter).
        """
        with session_scope() as session:
            self._actor(session)

    @rx.event
    def load_session(self):
        """on_load for public pages: show who is signed in, if anyone."""
        with session_scope() as session:
            self._actor(session)
        self._subscribe_live()

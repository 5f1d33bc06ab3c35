"""The account page's calendar section: whether the person has a private calendar link, the link
itself right after it was made (the database keeps only its hash, so it is shown once), and
making, replacing and revoking it through services/calendar_links.py."""

import reflex as rx

from microgigs import i18n
from microgigs.i18n import gettext
from microgigs.services import calendar_links
from microgigs.services.errors import NotAllowed
from microgigs.state.session import Audience, SessionState


class CalendarLinkState(SessionState):
    allowed: bool = False  # a student or a manager: they have dates to follow
    has_link: bool = False
    made_on: str = ""  # "Dec 3, 2026" / "3 dic 2026"
    link_url: str = ""  # only in the tab that just made it
    notice: str = ""
    error: str = ""

    def _show(self, link: calendar_links.CalendarLink) -> None:
        self.has_link = link.exists
        self.made_on = i18n.format_date(link.created_at, self.language) if link.created_at else ""
        self.link_url = link.url

    def _load(self, session, actor) -> None:
        # The account page is also an unconfirmed account's one page: it has no calendar (no redirect).
        try:
            self.allowed = True
            self._show(calendar_links.link_of(session, actor))
        except NotAllowed:
            self.allowed = False
            self._show(calendar_links.CalendarLink(exists=False))

    @rx.event
    def load_calendar_link(self):
        self.notice = self.error = ""
        return self._read(self._load, Audience.ACCOUNT)

    def _make(self, done: str):
        acted = self._act(calendar_links.create_link)
        if acted.redirect is not None:
            return acted.redirect
        if not acted.ok:
            self.notice, self.error = "", self._tr(acted.error)
            return None
        self._show(acted.value)
        self.notice, self.error = done, ""
        return None

    @rx.event
    def create_calendar_link(self):
        return self._make(gettext(self.language, "Your calendar link is ready. Copy it now: for your safety it is shown only this once."))

    @rx.event
    def replace_calendar_link(self):
        return self._make(
            gettext(self.language, "Your new calendar link is ready; the old one no longer works. Copy it now: it is shown only this once.")
        )

    @rx.event
    def revoke_calendar_link(self):
        acted = self._act(calendar_links.revoke_link)
        if acted.redirect is not None:
            return acted.redirect
        if not acted.ok:
            self.notice, self.error = "", self._tr(acted.error)
            return None
        self._show(calendar_links.CalendarLink(exists=False))
        self.notice, self.error = gettext(self.language, "Your calendar link is revoked: calendars using it get nothing more."), ""
        return None

    @rx.event
    def copy_calendar_link(self):
        """The page has written the link to the clipboard (client-side); say so."""
        self.notice = gettext(self.language, "Calendar link copied.")

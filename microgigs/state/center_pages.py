"""The help, terms and privacy pages: which one the URL names, read for anyone (visitors too)."""

import reflex as rx

from microgigs.services import center_pages
from microgigs.state.session import Audience, SessionState

# The route of each page -> the page it shows.
ROUTES = {"/help": center_pages.HELP, "/terms": center_pages.TERMS, "/privacy": center_pages.PRIVACY}


class CenterPageState(SessionState):
    """/help, /terms and /privacy. Each page's text is kept under its own name, so moving from
    one to another never shows the last one's text under the new heading."""

    html: dict[str, str] = {}  # page -> safe HTML from services.center_pages (render_markdown)
    contact_email: str = ""

    @rx.event
    def load_center_page(self):
        which = ROUTES.get((self.router.url.path or "").rstrip("/"), center_pages.HELP)

        def read(session, actor) -> None:
            page = center_pages.center_page(session, which, self.language)
            self.html = {which: page.html}
            self.contact_email = page.contact_email

        self._read(read, Audience.ANYONE)

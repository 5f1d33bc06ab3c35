"""The portfolio pages: the student's settings (/portfolio), the public page (/p/<handle>)
and a credential's public evidence page (/evidence/<public_id>)."""

import reflex as rx

from microgigs.i18n import gettext
from microgigs.services import evidence, portfolio
from microgigs.services.errors import DomainError
from microgigs.services.evidence import EvidenceView
from microgigs.services.portfolio import FinishedWork, PublicPortfolio
from microgigs.state.session import Audience, SessionState
from microgigs.state.url_object import ShownForUrl

EMPTY_PORTFOLIO = PublicPortfolio(handle="", name="", headline="", skills=[], average_rating="", endorsements=[], gigs=[])
EMPTY_EVIDENCE = EvidenceView(public_id="", title="", employer="", approved_on="", revoked=False, shown=False)


def last_path_part(path: str, max_len: int = 40) -> str:
    """The last part of a path like /p/<handle> (letters, digits, - and _ only; "" otherwise)."""
    last = (path or "").rstrip("/").rsplit("/", 1)[-1]
    return last if last and len(last) <= max_len and all(c.isalnum() or c in "-_" for c in last) else ""


class PortfolioSettingsState(SessionState):
    """/portfolio: choose a handle, publish or hide the page, copy the share link."""

    loaded: bool = False
    allowed: bool = False
    handle: str = ""
    is_public: bool = False
    share_url: str = ""
    work: list[FinishedWork] = []
    errors: dict[str, str] = {}
    error: str = ""
    notice: str = ""
    form_key: int = 0

    @rx.var
    def handle_error(self) -> str:
        return self.errors.get("handle", "")

    def _load(self, session, actor) -> None:
        try:
            settings = portfolio.settings_of(session, actor)
            work = portfolio.finished_work(session, actor)
        except DomainError as error:
            self.allowed, self.error = False, self._tr(error.message)
            self.handle, self.is_public, self.share_url, self.work = "", False, "", []
            return
        self.allowed = True
        self.handle, self.is_public, self.share_url, self.work = settings.handle, settings.is_public, settings.share_url, work

    def _reload(self):
        return self._read_page()

    @rx.event
    def load(self):
        self.errors, self.error, self.notice = {}, "", ""
        return self._reload()

    @rx.event
    def save(self, form_data: dict):
        form_data = form_data or {}
        handle = str(form_data.get("handle", ""))[:200]
        public = str(form_data.get("is_public") or "").lower() in ("on", "true", "1", "yes")
        self.errors, self.error, self.notice = {}, "", ""
        # A refused handle rolls the unit back: nothing is stored.
        acted = self._act(lambda session, actor: portfolio.save_settings(session, actor, handle, public).is_public)
        if acted.redirect is not None:
            return acted.redirect
        if not acted.ok:
            self.errors, self.error = self._tr_all(acted.field_messages), self._tr(acted.form_error)
            return None
        self.notice = (
            gettext(self.language, "Your portfolio is public: share the link below.")
            if acted.value
            else gettext(self.language, "Saved. Your portfolio is private: only you can see this page.")
        )
        self.form_key += 1
        return self._reload()

    @rx.event
    def copy_share_link(self):
        """The page has written the link to the clipboard (client-side); say so."""
        self.notice = gettext(self.language, "Share link copied.")


class PublicPortfolioState(ShownForUrl, SessionState):
    """/p/<handle>: anyone may look; a private or unknown handle is simply not found."""

    loaded: bool = False
    found: bool = False
    page: PublicPortfolio = EMPTY_PORTFOLIO

    def _load(self, session, actor) -> None:
        handle = last_path_part(self.router.url.path, portfolio.HANDLE_MAX)
        try:
            self.page, self.found = portfolio.public_portfolio(session, handle, self.language), True
        except DomainError:
            self.page, self.found = EMPTY_PORTFOLIO, False

    @rx.event
    def load(self):
        self._read(self._load, Audience.ANYONE)
        self.loaded = True
        self._shown_for_this_url()


class EvidenceState(ShownForUrl, SessionState):
    """/evidence/<public_id>: what a credential's evidence link shows to anyone."""

    loaded: bool = False
    found: bool = False
    view: EvidenceView = EMPTY_EVIDENCE

    def _load(self, session, actor) -> None:
        public_id = last_path_part(self.router.url.path)
        try:
            self.view, self.found = evidence.evidence_view(session, public_id, self.language), True
        except DomainError:
            self.view, self.found = EMPTY_EVIDENCE, False

    @rx.event
    def load(self):
        self._read(self._load, Audience.ANYONE)
        self.loaded = True
        self._shown_for_this_url()

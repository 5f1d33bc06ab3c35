"""Staff pages: the gig review queue and the prohibited-content list.

Thin: each handler acts through SessionState._act and lets services.moderation decide
(staff only, reasons required, terms valid)."""

import dataclasses

import reflex as rx

from microgigs.i18n import gettext, ngettext
from microgigs.services import moderation
from microgigs.services.errors import NotAllowed
from microgigs.services.moderation import QueueItem, TermRow
from microgigs.services.validation import parse_id
from microgigs.state.session import Acted, SessionState


class ModerationState(SessionState):
    loaded: bool = False
    allowed: bool = False
    items: list[QueueItem] = []
    notice: str = ""
    form_error: str = ""
    reason_errors: dict[str, str] = {}

    @rx.var
    def queue_text(self) -> str:
        n = len(self.items)
        if n == 0:
            return gettext(self.language, "No gigs are waiting for review.")
        return ngettext(self.language, "{count} gig is waiting for review.", "{count} gigs are waiting for review.", n)

    def _reload_text(self) -> str:
        """What a forged or stale button (an id that is not one) is told."""
        return gettext(self.language, "Reload the page and try again.")

    def _load(self, session, actor) -> None:
        self.loaded = True
        try:
            # The rule checks' words, the pay and the dates in the viewer's language.
            self.items = [
                dataclasses.replace(
                    item,
                    pay=self._tr(item.pay),
                    due_date=self._tr(item.due_date),
                    application_deadline=self._tr(item.application_deadline),
                    checks=[dataclasses.replace(c, rule=self._tr(c.rule), detail=self._tr(c.detail)) for c in item.checks],
                )
                for item in moderation.review_queue(session, actor)
            ]
            self.allowed = True
        except NotAllowed:
            self.items = []
            self.allowed = False

    def _reload(self):
        return self._read(self._load)

    @rx.event
    def load_queue(self):
        self.notice, self.form_error, self.reason_errors = "", "", {}
        return self._reload()

    def _moderate(self, call, success: str, gig_key: str = ""):
        """Run one moderation action; a missing reason goes under that gig's reason box."""
        self.notice, self.form_error = "", ""
        acted = self._act(call)
        if acted.redirect is not None:
            return acted.redirect
        if not acted.ok:
            if gig_key and "reason" in acted.errors:
                self.reason_errors = {gig_key: self._tr(acted.errors["reason"])}
            else:
                self.form_error = self._tr(acted.error)
            return None
        self.reason_errors = {}
        self.notice = success
        return self._reload()

    def _title_of(self, gig_id: int) -> str:
        return next((i.title for i in self.items if i.gig_id == gig_id), gettext(self.language, "The gig"))

    @rx.event
    def approve(self, gig_id: int):
        gig_id = parse_id(gig_id)
        if gig_id is None:
            self.notice, self.form_error = "", self._reload_text()
            return None
        done = gettext(self.language, "Approved: {title} is on the board.", title=self._title_of(gig_id))
        return self._moderate(lambda s, a: moderation.approve(s, a, gig_id), done)

    @rx.event
    def reject(self, form_data: dict):
        gig_id = parse_id((form_data or {}).get("gig_id"))
        if gig_id is None:
            self.notice, self.form_error = "", self._reload_text()
            return None
        reason = str(form_data.get("reason", ""))
        return self._moderate(
            lambda s, a: moderation.reject(s, a, gig_id, reason),
            gettext(self.language, "Rejected: {title}. The employer has been emailed the reason.", title=self._title_of(gig_id)),
            gig_key=str(gig_id),
        )

    @rx.event
    def set_trusted(self, organization_id: int, trusted: bool):
        org_id = parse_id(organization_id)
        if org_id is None or not isinstance(trusted, bool):
            self.notice, self.form_error = "", self._reload_text()
            return None
        if trusted:
            done = gettext(self.language, "The employer is trusted: its next gigs publish without review.")
        else:
            done = gettext(self.language, "The employer is no longer trusted: its gigs need review.")
        return self._moderate(lambda s, a: moderation.set_trusted(s, a, org_id, trusted), done)


class TermsState(SessionState):
    loaded: bool = False
    allowed: bool = False
    terms: list[TermRow] = []
    term_error: str = ""
    notice: str = ""
    form_key: int = 0

    def _load(self, session, actor) -> None:
        self.loaded = True
        try:
            self.terms = moderation.list_terms(session, actor)
            self.allowed = True
        except NotAllowed:
            self.terms, self.allowed = [], False

    def _reload(self):
        return self._read(self._load)

    @rx.event
    def load_terms(self):
        self.term_error, self.notice = "", ""
        return self._reload()

    def _changed(self, acted: Acted, notice: str):
        """Show how adding or removing a term went, and read the list again."""
        if acted.redirect is not None:
            return acted.redirect
        if not acted.ok:
            self.term_error = self._tr(acted.error)
            return None
        self.notice = notice
        return self._reload()

    @rx.event
    def add_term(self, form_data: dict):
        self.term_error, self.notice = "", ""
        term = str((form_data or {}).get("term", ""))
        acted = self._act(lambda s, a: moderation.add_term(s, a, term).term)
        if acted.ok:
            self.form_key += 1  # a new, empty form
        return self._changed(acted, gettext(self.language, "Added “{term}”. Gigs that use it are now refused.", term=acted.value))

    @rx.event
    def remove_term(self, term_id: int):
        self.term_error, self.notice = "", ""
        term = parse_id(term_id)
        if term is None:
            self.term_error = gettext(self.language, "Reload the page and try again.")
            return None
        return self._changed(self._act(lambda s, a: moderation.remove_term(s, a, term)), gettext(self.language, "Removed."))

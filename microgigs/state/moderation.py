"""Staff pages: the gig review queue and the prohibited-content list.

Thin: each handler resolves who is calling from the session cookie and lets
services.moderation decide (staff only, reasons required, terms valid)."""

import reflex as rx

from microgigs.db import session_scope
from microgigs.services import moderation
from microgigs.services.errors import DomainError, NotAllowed
from microgigs.services.moderation import QueueItem, TermRow
from microgigs.services.validation import parse_id
from microgigs.state.session import SessionState


def _int(value) -> int:
    return parse_id(value) or 0


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
        return (
            "No gigs are waiting for review."
            if n == 0
            else ("1 gig is waiting for review." if n == 1 else f"{n} gigs are waiting for review.")
        )

    def _reload(self, session, actor) -> None:
        try:
            self.items = moderation.review_queue(session, actor)
            self.allowed = True
        except NotAllowed:
            self.items = []
            self.allowed = False

    @rx.event
    def load_queue(self):
        self.notice, self.form_error, self.reason_errors = "", "", {}
        with session_scope() as session:
            actor = self._actor(session)
            if actor is not None:
                self._reload(session, actor)
        self.loaded = True
        if actor is None:
            return self._sign_in_redirect()
        return None

    def _act(self, action, success: str, gig_key: str = ""):
        self.notice, self.form_error = "", ""
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                action(session, actor)
        except DomainError as error:
            if error.field == "reason" and gig_key:
                self.reason_errors = {gig_key: error.message}
            else:
                self.form_error = error.message
            return None
        self.reason_errors = {}
        self.notice = success
        with session_scope() as session:
            self._reload(session, self._actor(session))
        return None

    @rx.event
    def approve(self, gig_id: int):
        gig_id = _int(gig_id)
        title = next((i.title for i in self.items if i.gig_id == gig_id), "The gig")
        return self._act(lambda s, a: moderation.approve(s, a, gig_id), f"Approved: {title} is on the board.")

    @rx.event
    def reject(self, form_data: dict):
        gig_id = _int(form_data.get("gig_id"))
        reason = str(form_data.get("reason", ""))
        title = next((i.title for i in self.items if i.gig_id == gig_id), "The gig")
        return self._act(
            lambda s, a: moderation.reject(s, a, gig_id, reason),
            f"Rejected: {title}. The employer has been emailed the reason.",
            gig_key=str(gig_id),
        )

    @rx.event
    def set_trusted(self, organization_id: int, trusted: bool):
        org_id = _int(organization_id)
        word = "trusted: its next gigs publish without review" if trusted else "no longer trusted: its gigs need review"
        return self._act(lambda s, a: moderation.set_trusted(s, a, org_id, bool(trusted)), f"The employer is {word}.")


class TermsState(SessionState):
    loaded: bool = False
    allowed: bool = False
    terms: list[TermRow] = []
    term_error: str = ""
    notice: str = ""
    form_key: int = 0

    def _reload(self, session, actor) -> None:
        try:
            self.terms = moderation.list_terms(session, actor)
            self.allowed = True
        except NotAllowed:
            self.terms, self.allowed = [], False

    @rx.event
    def load_terms(self):
        self.term_error, self.notice = "", ""
        with session_scope() as session:
            actor = self._actor(session)
            if actor is not None:
                self._reload(session, actor)
        self.loaded = True
        if actor is None:
            return self._sign_in_redirect()
        return None

    @rx.event
    def add_term(self, form_data: dict):
        self.term_error, self.notice = "", ""
        term = str(form_data.get("term", ""))
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                added = moderation.add_term(session, actor, term).term
        except DomainError as error:
            self.term_error = error.message
            return None
        self.notice = f"Added “{added}”. Gigs that use it are now refused."
        self.form_key += 1
        with session_scope() as session:
            self._reload(session, self._actor(session))
        return None

    @rx.event
    def remove_term(self, term_id: int):
        self.term_error, self.notice = "", ""
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                moderation.remove_term(session, actor, _int(term_id))
        except DomainError as error:
            self.term_error = error.message
            return None
        self.notice = "Removed."
        with session_scope() as session:
            self._reload(session, self._actor(session))
        return None

"""Dispute pages: opening one on an engagement, its thread and decision, staff's queue."""

import reflex as rx

from microgigs.services import amounts, disputes
from microgigs.services.disputes import DisputeView
from microgigs.services.errors import DomainError
from microgigs.state.session import SessionState
from microgigs.state.url_ids import id_in_path
from microgigs.state.url_object import ShownForUrl

OPEN_ROUTE = "/engagements/[engagement_id]/dispute"
ROUTE = "/disputes/[dispute_id]"

EMPTY = DisputeView(0, 0, "", "", "", "", "", "", "", "", [], False)


def _amount_to_cents(text: str, currency: str) -> int:
    """An amount as typed in the engagement's currency -> its minor units (0 when blank); -1,
    which the service refuses, for anything else."""
    try:
        return amounts.parse_cents(text, currency=currency)
    except amounts.MissingAmount:
        return 0
    except amounts.AmountError:
        return -1


class OpenDisputeState(ShownForUrl, SessionState):
    # The page has no data to load; only this error is about one engagement (see `shown_for`).
    error: str = ""

    @rx.event
    def open(self, form: dict):
        engagement_id = id_in_path(self.router.url.path, OPEN_ROUTE)
        statement = str((form or {}).get("statement", ""))
        self._shown_for_this_url()
        acted = self._act(lambda session, actor: disputes.open_dispute(session, actor, engagement_id, statement).id)
        if acted.redirect is not None:
            return acted.redirect
        self.error = self._tr(acted.error)
        return rx.redirect(f"/disputes/{acted.value}") if acted.ok else None


class DisputeState(ShownForUrl, SessionState):
    loaded: bool = False
    found: bool = False
    view: DisputeView = EMPTY
    message_error: str = ""
    decision_error: str = ""

    def _dispute_id(self) -> int:
        return id_in_path(self.router.url.path, ROUTE)

    def _load(self, session, actor) -> None:
        self.loaded = True
        self._shown_for_this_url()
        try:
            self.view = disputes.dispute_view(session, actor, self._dispute_id(), self.language, actor.timezone if actor else None)
            self.found = True
        except DomainError:
            self.found, self.view = False, EMPTY  # nothing of a dispute this tab showed before

    @rx.event
    def load(self):
        self.message_error = self.decision_error = ""
        return self._read(self._load)

    @rx.event
    def post(self, form: dict):
        body = str((form or {}).get("body", ""))
        acted = self._act(lambda session, actor: disputes.post_message(session, actor, self._dispute_id(), body))
        if acted.redirect is not None:
            return acted.redirect
        self.message_error = self._tr(acted.error)
        return DisputeState.load if acted.ok else None

    @rx.event
    def decide(self, form: dict):
        form = form or {}
        outcome, note = str(form.get("outcome", "")), str(form.get("note", ""))
        share = _amount_to_cents(str(form.get("student_share", "")), self.view.currency)
        acted = self._act(lambda session, actor: disputes.decide(session, actor, self._dispute_id(), outcome, share, note))
        if acted.redirect is not None:
            return acted.redirect
        self.decision_error = self._tr(acted.error)
        return DisputeState.load if acted.ok else None


class DisputeQueueState(SessionState):
    loaded: bool = False
    allowed: bool = False
    items: list[list[str]] = []  # [id, gig title, opened on]

    def _load(self, session, actor) -> None:
        self.loaded = True
        try:
            views = [disputes.dispute_view(session, actor, d.id, self.language) for d in disputes.open_disputes(session, actor)]
        except DomainError:
            self.allowed, self.items = False, []
            return
        self.items = [[str(v.id), v.gig_title, v.opened_by] for v in views]
        self.allowed = True

    @rx.event
    def load(self):
        return self._read(self._load)

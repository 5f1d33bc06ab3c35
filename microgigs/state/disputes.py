"""Dispute pages: opening one on an engagement, its thread and decision, staff's queue."""

import reflex as rx

from microgigs.db import session_scope
from microgigs.services import amounts, disputes
from microgigs.services.disputes import DisputeView
from microgigs.services.errors import DomainError
from microgigs.services.validation import ValidationFailed
from microgigs.state.session import SessionState
from microgigs.state.url_ids import id_in_path
from microgigs.state.url_object import ShownForUrl

OPEN_ROUTE = "/engagements/[engagement_id]/dispute"
ROUTE = "/disputes/[dispute_id]"

EMPTY = DisputeView(0, 0, "", "", "", "", "", "", "", "", [], False)


def _dollars_to_cents(text: str) -> int:
    """Dollars as typed -> cents (0 when blank); -1, which the service refuses, for anything else."""
    try:
        return amounts.parse_cents(text)
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
        self._shown_for_this_url()
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                dispute = disputes.open_dispute(session, actor, engagement_id, str(form.get("statement", "")))
                dispute_id = dispute.id
        except ValidationFailed as error:
            self.error = next(iter(error.errors.values()))
            return None
        except DomainError as error:
            self.error = error.message
            return None
        self.error = ""
        return rx.redirect(f"/disputes/{dispute_id}")


class DisputeState(ShownForUrl, SessionState):
    loaded: bool = False
    found: bool = False
    view: DisputeView = EMPTY
    message_error: str = ""
    decision_error: str = ""

    def _load(self, session, actor) -> None:
        self.loaded = True
        self._shown_for_this_url()
        try:
            self.view = disputes.dispute_view(session, actor, id_in_path(self.router.url.path, ROUTE))
            self.found = True
        except DomainError:
            self.found, self.view = False, EMPTY  # nothing of a dispute this tab showed before

    @rx.event
    def load(self):
        self.message_error = self.decision_error = ""
        with session_scope() as session:
            actor = self._actor(session)
            if actor is None:
                return self._sign_in_redirect()
            self._load(session, actor)
        return None

    @rx.event
    def post(self, form: dict):
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                disputes.post_message(session, actor, id_in_path(self.router.url.path, ROUTE), str(form.get("body", "")))
        except ValidationFailed as error:
            self.message_error = next(iter(error.errors.values()))
            return None
        except DomainError as error:
            self.message_error = error.message
            return None
        return DisputeState.load

    @rx.event
    def decide(self, form: dict):
        share = _dollars_to_cents(str(form.get("student_share", "")))
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                disputes.decide(
                    session, actor, id_in_path(self.router.url.path, ROUTE), str(form.get("outcome", "")), share, str(form.get("note", ""))
                )
        except DomainError as error:
            self.decision_error = error.message
            return None
        return DisputeState.load


class DisputeQueueState(SessionState):
    loaded: bool = False
    allowed: bool = False
    items: list[list[str]] = []  # [id, gig title, opened on]

    @rx.event
    def load(self):
        with session_scope() as session:
            actor = self._actor(session)
            if actor is None:
                return self._sign_in_redirect()
            try:
                rows = disputes.open_disputes(session, actor)
                views = [disputes.dispute_view(session, actor, d.id) for d in rows]
            except DomainError:
                self.allowed, self.loaded, self.items = False, True, []
                return None
        self.items = [[str(v.id), v.gig_title, v.opened_by] for v in views]
        self.allowed = self.loaded = True
        return None

"""A student's saved gigs."""

import reflex as rx

from microgigs.db import session_scope
from microgigs.services import gigs
from microgigs.services.errors import DomainError, NotAllowed
from microgigs.services.gigs import GigCard
from microgigs.services.validation import parse_id
from microgigs.state.session import SessionState


class SavedState(SessionState):
    loaded: bool = False
    allowed: bool = False
    cards: list[GigCard] = []
    error: str = ""

    @rx.event
    def load_saved(self):
        self.error = ""
        with session_scope() as session:
            actor = self._actor(session)
            try:
                self.cards = gigs.saved_cards(session, actor) if actor is not None else []
                self.allowed = actor is not None
            except NotAllowed:
                self.cards, self.allowed = [], False
        self.loaded = True
        if actor is None:
            return self._sign_in_redirect()
        return None

    @rx.event
    def unsave(self, gig_id: int):
        try:
            with session_scope() as session:
                actor = self._actor(session)
                if actor is None:
                    return self._sign_in_redirect()
                gigs.unsave_gig(session, actor, parse_id(gig_id) or 0)
                self.cards = gigs.saved_cards(session, actor)
        except (DomainError, ValueError, TypeError) as error:
            self.error = getattr(error, "message", "That gig could not be removed.")
        return None

"""A student's saved gigs."""

import reflex as rx

from microgigs.services import gigs
from microgigs.services.errors import NotAllowed
from microgigs.services.gigs import GigCard
from microgigs.services.gigs.cards import localize_all
from microgigs.services.validation import parse_id
from microgigs.state.session import SessionState


class SavedState(SessionState):
    loaded: bool = False
    allowed: bool = False
    cards: list[GigCard] = []
    error: str = ""

    def _load(self, session, actor) -> None:
        try:
            # Pay and deadlines written for this reader: their language, their time zone.
            self.cards, self.allowed = localize_all(gigs.saved_cards(session, actor), self.language, actor.timezone), True
        except NotAllowed:
            self.cards, self.allowed = [], False

    @rx.event
    def load_saved(self):
        self.error = ""
        return self._read_page()

    @rx.event
    def unsave(self, gig_id: int):
        # An id that is not one (a forged event) names no saved gig: nothing to remove.
        wanted = parse_id(gig_id) or 0
        acted = self._act(lambda session, actor: gigs.unsave_gig(session, actor, wanted))
        if acted.redirect is not None:
            return acted.redirect
        if not acted.ok:
            self.error = self._tr(acted.error)
            return None
        return self._read(self._load)

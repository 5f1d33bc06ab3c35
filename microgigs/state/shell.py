"""Pages with no data of their own (an address with no page, /check-email): their on_load reads
only what every page shows around its content, for whoever is here: the header (signed in or
not), the center's name and the language (the person's choice, the switch's cookie, else the
browser's). Without it a tab opened straight on such a page showed a visitor's English page."""

import reflex as rx

from microgigs.state.session import Audience, SessionState


class ShellState(SessionState):
    @rx.event
    def load_shell(self):
        return self._read(lambda _session, _actor: None, Audience.ANYONE)

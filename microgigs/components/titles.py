"""Every page's title, in one form: "<what> · <center name>".

The center's name is the SessionState's (services/center.py: what an admin saved, else the
environment's). Its default is the environment's name, so the first frame (and a prerendered page)
already says a name, never "undefined"; each page's load refreshes it.
"""

import reflex as rx

from microgigs.state.session import SessionState

SEPARATOR = " · "


def page_title(what: str | rx.Var) -> rx.Var:
    """The browser tab's title for a page about `what` (a text, or a Var such as a gig's title)."""
    return rx.Var.create(what).to(str) + SEPARATOR + SessionState.center_name

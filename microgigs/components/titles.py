"""Every page's title, in one form: "<what> · <center name>".

The center's name is the SessionState's (services/center.py: what an admin saved, else the
environment's). Its default is the environment's name, so the first frame (and a prerendered page)
already says a name, never "undefined"; each page's load refreshes it.
"""

import reflex as rx

from microgigs.components.i18n import translated
from microgigs.state.session import SessionState

SEPARATOR = " · "


def page_title(what: str | rx.Var) -> rx.Var:
    """The browser tab's title for a page about `what`: a literal English text, shown in the
    viewer's language (the extractor collects page_title's literal argument), or a Var such as a
    gig's title (shown as it is)."""
    shown = translated(what) if isinstance(what, str) else rx.Var.create(what).to(str)
    return shown + SEPARATOR + SessionState.center_name

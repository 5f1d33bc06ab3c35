"""Page states that show one object picked by their URL say which URL their data are for.

A tab keeps one state per page, so when the URL names another object (another gig, another
engagement) the state still holds the previous one until the page's on_load has read the new
one. `ShownForUrl.shown_for` names the URL the state's data belong to; the page draws them
only while it equals the URL the browser shows (`microgigs/components/url_object.py`).
"""

from typing import ClassVar

import reflex as rx


def url_key(path: str, query: str = "", with_query: bool = False) -> str:
    """The URL as the page compares it: its path, with "?query" when the query picks the object.

    The same text React Router gives the page (location.pathname + location.search): the browser
    sends exactly those with each event, and Reflex keeps them in `router.url`."""
    return f"{path}?{query}" if with_query and query else path


class ShownForUrl(rx.State, mixin=True):
    """Mixin for the state of a page showing one object picked by its URL (/gigs/12, /p/ana).

    Call `_shown_for_this_url()` in the event that sets the page's data, whatever it found
    (the object, "not found", an error): the page draws nothing but "Loading…" until then.
    """

    # True when the query picks the object (/organization?organization=3), not only the path.
    object_in_query: ClassVar[bool] = False

    shown_for: str = ""

    def _shown_for_this_url(self) -> None:
        url = self.router.url
        self.shown_for = url_key(url.path, url.query, type(self).object_in_query)

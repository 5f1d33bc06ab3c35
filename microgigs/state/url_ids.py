"""The id a page's own URL names (/gigs/12/edit -> 12), read one way for every page.

Handlers read the id from the URL again on every event, never from the client's arguments, and
only when the URL is the page's own route: a path of another shape names nothing (0).
"""

from microgigs.services.validation import parse_id


def id_in_path(path: str | None, route: str) -> int:
    """The number where `route` (a Reflex route such as "/gigs/[gig_id]/edit") has its one
    [bracketed] part, when `path` is that route; 0 otherwise, or when it is not a positive id
    a database holds. A trailing slash is allowed."""
    wanted = route.strip("/").split("/")
    parts = (path or "").strip("/").split("/")
    if len(parts) != len(wanted):
        return 0
    found = ""
    for part, want in zip(parts, wanted, strict=True):
        if want.startswith("[") and want.endswith("]"):
            found = part
        elif part != want:
            return 0
    return parse_id(found) or 0

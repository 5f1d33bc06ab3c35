"""Calendar files: a person's private feed and a public gig's .ics.

GET /calendar/<token>.ics: the URL is the credential (calendar apps send no cookie); an unknown
or revoked token is a 404, the same answer as a token that never existed. The answer is the
owner's alone: `private`, kept a short while, never stored on a shared cache.
GET /gigs/<id>/calendar.ics: a gig's dates, for any gig its page shows visitors (else a 404).
The database is read in a worker thread (http/unit_of_work.py).
"""

from starlette.responses import Response
from starlette.routing import Route

from microgigs.http.unit_of_work import Unit, answer_language, plain_refusal, route
from microgigs.services import calendar_feed
from microgigs.services.calendar_links import ROUTE_PREFIX

ICS_TYPE = "text/calendar; charset=utf-8"


@route(refused=plain_refusal(404))
def feed(unit: Unit) -> Response:
    body = calendar_feed.feed_ics(unit.session, unit.request.path_params["token"])
    return Response(
        body,
        media_type=ICS_TYPE,
        headers={
            "Cache-Control": f"private, max-age={calendar_feed.FEED_MAX_AGE_SECONDS}",
            "Content-Disposition": 'inline; filename="microgigs.ics"',
            "X-Content-Type-Options": "nosniff",
            # The link is a secret: a page that links out must not send it on as a Referer.
            "Referrer-Policy": "no-referrer",
        },
    )


@route(refused=plain_refusal(404))
def gig_file(unit: Unit) -> Response:
    body, filename = calendar_feed.gig_ics(unit.session, unit.request.path_params["gig_id"], answer_language(unit))
    return Response(
        body,
        media_type=ICS_TYPE,
        headers={
            "Cache-Control": "public, max-age=300",
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


routes = [
    Route(f"{ROUTE_PREFIX}{{token}}.ics", feed, methods=["GET"]),
    Route("/gigs/{gig_id:int}/calendar.ics", gig_file, methods=["GET"]),
]

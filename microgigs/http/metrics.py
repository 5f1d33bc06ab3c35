"""GET /metrics: the server's figures in Prometheus's text format (microgigs/metrics.py).

For a signed-in admin (policy.may_read_metrics) or a client address in MICROGIGS_METRICS_ALLOW
(the monitoring server; behind a proxy, the address MICROGIGS_TRUSTED_PROXIES lets us read).
Anyone else gets the 404 any unknown address gets: not even that the figures exist.
"""

from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from microgigs import metrics
from microgigs.http import client_address
from microgigs.http.unit_of_work import Unit, route
from microgigs.services import monitoring, policy
from microgigs.settings import get_settings


def may_read(unit: Unit) -> bool:
    return client_address.listed(unit.client, get_settings().metrics_allow) or policy.may_read_metrics(unit.actor)


# The database's figures take a few counting queries: read in a worker thread, off the loop.
@route()
def metrics_text(unit: Unit) -> Response:
    if not may_read(unit):
        return PlainTextResponse("Not Found", status_code=404)
    body = metrics.exposition(monitoring.queue_figures(unit.session))
    return Response(body, media_type=metrics.CONTENT_TYPE, headers={"Cache-Control": "no-store"})


routes = [Route("/metrics", metrics_text, methods=["GET"])]

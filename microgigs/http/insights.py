"""CSV export of each table behind the career-center dashboard's charts (staff only)."""

import csv
import io
from datetime import date

from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from microgigs.http.unit_of_work import Unit, answer_language, refusal_language, route
from microgigs.i18n import gettext, translate
from microgigs.services import insights, view_log
from microgigs.services.errors import DomainError
from microgigs.services.validation import parse_id


def filters_from_query(params) -> insights.InsightFilters:
    """start/end (YYYY-MM-DD) and employer from a query string; bad values fall back to defaults."""
    default = insights.InsightFilters.last_days()

    def day(name: str, fallback: date) -> date:
        try:
            return date.fromisoformat(params.get(name, ""))
        except ValueError:
            return fallback

    return insights.InsightFilters(
        start=day("start", default.start), end=day("end", default.end), employer_id=parse_id(params.get("employer")) or 0
    )


def _refused(unit: Unit, error: DomainError) -> Response:
    return PlainTextResponse(translate(refusal_language(unit), error.message), status_code=403 if unit.actor is not None else 401)


# The figures take real queries: they are read in a worker thread, off the loop every page shares.
@route(refused=_refused)
def export_csv(unit: Unit) -> Response:
    name = unit.request.path_params["name"]
    if name not in insights.TABLES:
        return PlainTextResponse(gettext(answer_language(unit), "There is no such table."), status_code=404)
    filters = filters_from_query(unit.request.query_params)
    table = insights.table(unit.session, unit.actor, name, filters)
    # A download is a view of the figures it holds: who took which table, for which period.
    view_log.record_view(
        unit.session, unit.actor, "export", "report", 0, table=name, start=filters.start, end=filters.end, employer=filters.employer_id
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.columns)
    for row in table.rows:
        # A leading =, +, - or @ would run as a formula in a spreadsheet; quote it as text.
        writer.writerow([f"'{v}" if isinstance(v, str) and v[:1] in "=+-@" else v for v in row])
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


routes = [Route("/staff/insights/{name}.csv", export_csv, methods=["GET"])]

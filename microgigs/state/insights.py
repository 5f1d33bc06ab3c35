"""/staff/insights: the career-center dashboard. Filters live in the URL (?start=&end=&employer=)."""

from urllib.parse import urlencode

import reflex as rx

from microgigs.http.insights import filters_from_query
from microgigs.services import amounts, insights
from microgigs.services.errors import DomainError
from microgigs.services.insights import Headline
from microgigs.state.session import SessionState

CHART_ROWS = 10  # a bar chart of more than this many bars is unreadable on a phone


class InsightsState(SessionState):
    loaded: bool = False
    allowed: bool = False
    start: str = ""
    end: str = ""
    employer: str = "all"
    employers: list[list[str]] = []
    headline: Headline = Headline(0, 0, 0, 0, 0.0, 0.0, "—", amounts.format_cents(0))
    # Table name -> rows as text (what the on-page tables and the CSV show).
    columns: dict[str, list[str]] = {}
    rows: dict[str, list[list[str]]] = {}
    # Chart-ready records (numbers only).
    over_time: list[dict] = []
    per_gig: list[dict] = []
    skills: list[dict] = []
    paid: list[dict] = []
    conversion: list[dict] = []

    @rx.var
    def query(self) -> str:
        params = {"start": self.start, "end": self.end}
        if self.employer != "all":
            params["employer"] = self.employer
        return urlencode(params)

    @rx.event
    def load(self):
        filters = filters_from_query(self.router.url.query_parameters)
        self.start, self.end = filters.start.isoformat(), filters.end.isoformat()
        self.employer = str(filters.employer_id) if filters.employer_id else "all"
        return self._read(lambda session, actor: self._load(session, actor, filters))

    def _load(self, session, actor, filters) -> None:
        try:
            headline, tables = insights.overview(session, actor, filters, self.language)
            employers = insights.employers(session, actor)
        except DomainError:
            self.reset()  # none of the figures this tab showed before
            self.allowed, self.loaded = False, True
            return
        self.allowed, self.loaded = True, True
        self.headline = headline
        self.employers = [[str(i), name] for i, name in employers]
        # The on-page tables' headings in the viewer's language (the CSV keeps the column names).
        self.columns = {name: [self._tr(insights.column_heading(c)) for c in t.columns] for name, t in tables.items()}
        self.rows = {name: [[str(v) for v in row] for row in t.rows] for name, t in tables.items()}
        self.over_time = tables["gigs_over_time"].records()
        self.per_gig = [{"gig": r[1][:24], "applications": r[3]} for r in tables["applications_per_gig"].rows[:CHART_ROWS]]
        self.skills = tables["skills_asked_vs_held"].records()
        # The chart shows one currency (the center's), in whole units; the table lists them all.
        self.paid = [
            {"week": w, "amount": amounts.cents_to_units(c, cur)}
            for w, cur, c in tables["paid_to_students"].rows
            if cur == headline.paid_currency
        ]
        self.conversion = [
            {"employer": r[0][:24], "finished": r[1], "interviews": r[2], "offers": r[3]}
            for r in tables["conversion_by_employer"].rows[:CHART_ROWS]
        ]

    @rx.event
    def apply_filters(self, form: dict):
        """Go to the URL of these filters, as read back (a value that is not a date or an
        employer falls back to the default, as it would from the URL)."""
        filters = filters_from_query({k: str(v) for k, v in (form or {}).items()})
        params = {"start": filters.start.isoformat(), "end": filters.end.isoformat()}
        if filters.employer_id:
            params["employer"] = str(filters.employer_id)
        return rx.redirect(f"/staff/insights?{urlencode(params)}")

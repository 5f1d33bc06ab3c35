"""The dashboard: a student's applications and engagements, or a manager's gigs and reviews.

Every handler reads or acts through SessionState._read / _act (which resolve the signed-in
person again) and shows the service's message next to the thing it is about.
"""

import reflex as rx

from microgigs.i18n import gettext
from microgigs.services import applications, dashboards, money, policy
from microgigs.services.dashboards import ApplicationRow, EngagementRow, ManagerGigRow
from microgigs.services.errors import DomainError
from microgigs.services.validation import parse_id
from microgigs.state.session import SessionState

# What a manager may still pull back: the service decides, this only hides the button.
WITHDRAWABLE = ("submitted", "shortlisted")


class DashboardState(SessionState):
    loaded: bool = False
    # "student", "manager", "staff" or "none" (a manager without an organization).
    view: str = ""
    load_error: str = ""
    payment_label: str = ""
    # Student.
    applications: list[ApplicationRow] = []
    engagements: list[EngagementRow] = []
    # Manager.
    organization: str = ""
    organization_status: str = ""
    organizations: list[str] = []
    gigs: list[ManagerGigRow] = []
    to_review: list[EngagementRow] = []
    # Messages next to one application (keyed by its id as text), and the last good news.
    row_errors: dict[str, str] = {}
    notice: str = ""

    @rx.var
    def several_organizations(self) -> bool:
        return len(self.organizations) > 1

    @rx.var
    def organization_names(self) -> str:
        return ", ".join(self.organizations)

    @rx.var
    def organization_pending(self) -> bool:
        return self.organization_status == "pending"

    @rx.var
    def organization_blocked(self) -> bool:
        return self.organization_status in ("rejected", "suspended")

    def _load(self, session, actor) -> None:
        """Fill the page from the services for this actor (called inside `_read`)."""
        self.payment_label = money.gateway_notice(self.language)
        self.load_error = ""
        if policy.is_student(actor):
            data = dashboards.student_dashboard(session, actor, self.language)
            self.view = "student"
            self.applications = data.applications
            self.engagements = data.engagements
        elif policy.organization_ids_managed_by(session, actor):
            data = dashboards.manager_dashboard(session, actor, self.language)
            self.view = "manager"
            self.organization = data.organization
            self.organization_status = data.organization_status
            self.organizations = data.organizations
            self.gigs = data.gigs
            self.to_review = data.to_review
        elif policy.is_staff(actor):
            self.view = "staff"
        else:
            self.view = "none"
        self.loaded = True

    def _load_or_refuse(self, session, actor) -> None:
        try:
            self._load(session, actor)
        except DomainError as error:
            self.view = "none"
            self.load_error = self._tr(error.message)
            self.loaded = True

    def _reload(self):
        """Read everything again (the database is the source of truth)."""
        redirect = self._read(self._load_or_refuse)
        if redirect is not None:
            return redirect
        # The student's rows are theirs (user:N); a manager's queue follows each of their gigs.
        self._subscribe_live(*(f"gig:{g.id}" for g in self.gigs if self.view == "manager"))
        return None

    def _live_reload(self) -> None:
        self._reload()

    @rx.event
    def load_dashboard(self):
        """on_load."""
        self.row_errors = {}
        self.notice = ""
        return self._reload()

    @rx.event
    def withdraw(self, application_id: int):
        """Withdraw one of the student's own applications; the service checks whose it is."""
        key = str(application_id)
        self.row_errors = {k: v for k, v in self.row_errors.items() if k != key}
        self.notice = ""
        app_id = parse_id(application_id)
        if app_id is None:
            self.row_errors = {**self.row_errors, key: gettext(self.language, "That application was not found.")}
            return self._reload()
        acted = self._act(lambda session, actor: applications.withdraw(session, actor, app_id))
        if acted.redirect is not None:
            return acted.redirect
        if acted.ok:
            self.notice = gettext(self.language, "Application withdrawn.")
        else:
            self.row_errors = {**self.row_errors, key: self._tr(acted.error)}
        return self._reload()

"""A gig's applicants for its managers: shortlist, accept or decline each one.

Blind review is the service's: hidden fields arrive empty, so nothing hidden is ever
in this state (and so never in the browser).
"""

from dataclasses import replace

import reflex as rx

from microgigs.i18n import _, gettext, ngettext
from microgigs.services import applications, dashboards
from microgigs.services.dashboards import ApplicantView
from microgigs.services.errors import DomainError
from microgigs.services.validation import parse_id
from microgigs.state.session import SessionState
from microgigs.state.url_ids import id_in_path
from microgigs.state.url_object import ShownForUrl

ROUTE = "/manage/gigs/[gig_id]"

# Ready-made decline feedback the page offers (the service owns the wording).
FEEDBACK_TEMPLATES = applications.FEEDBACK_TEMPLATES
NOT_FOUND = _("This gig does not exist, or you do not manage it.")


class ManageGigState(ShownForUrl, SessionState):
    loaded: bool = False
    found: bool = False
    gig_ref: int = 0  # only to draw links; every handler reads the id from the URL again
    gig_title: str = ""
    gig_status: str = ""
    blind_review: bool = False
    slots: int = 0
    filled_slots: int = 0
    applicants: list[ApplicantView] = []
    scope_html: str = ""  # the gig's scope (safe HTML from the service)
    # Per applicant (keyed by application id as text): the last error from acting on them.
    card_errors: dict[str, str] = {}
    notice: str = ""

    @rx.var
    def filled_text(self) -> str:
        return gettext(self.language, "{filled} of {slots} filled", filled=self.filled_slots, slots=self.slots)

    @rx.var
    def applicants_text(self) -> str:
        return ngettext(self.language, "{count} applicant", "{count} applicants", len(self.applicants))

    @rx.var
    def gig_href(self) -> str:
        return f"/gigs/{self.gig_ref}"

    @rx.var
    def template_href(self) -> str:
        return f"/gigs/new?from={self.gig_ref}"

    @rx.var
    def edit_href(self) -> str:
        return f"/gigs/{self.gig_ref}/edit"

    @rx.var
    def preview_href(self) -> str:
        return f"/gigs/{self.gig_ref}/preview"

    def _gig_id(self) -> int:
        return id_in_path(self.router.url.path, ROUTE)

    def _load(self, session, actor, record_view: bool = False) -> None:
        self.loaded = True
        self._shown_for_this_url()
        try:
            data = dashboards.gig_applicants(session, actor, self._gig_id(), record_view=record_view)
        except DomainError:
            self.found = False
            self.applicants = []
            self.gig_title, self.gig_ref, self.gig_status, self.scope_html = "", 0, "", ""
            self.slots = self.filled_slots = 0
            self.blind_review = False
            return
        self.found = True
        self.gig_ref = data.gig_id
        self.gig_title = data.gig_title
        self.gig_status = data.gig_status
        self.blind_review = data.blind_review
        self.slots = data.slots
        self.filled_slots = data.filled_slots
        self.applicants = [replace(a, label=self._applicant_label(a)) for a in data.applicants]
        self.scope_html = data.scope_html

    def _applicant_label(self, applicant: ApplicantView) -> str:
        """The applicant's name, or under blind review the service's "Applicant 7" in the viewer's
        language (the service writes it in English, or as a Text to translate)."""
        label = self._tr(applicant.label)
        number = label.removeprefix("Applicant ")
        if not applicant.revealed and number != label and number.isdigit():
            return gettext(self.language, "Applicant {number}", number=number)
        return label

    def _reload(self, record_view: bool = False):
        redirect = self._read(lambda session, actor: self._load(session, actor, record_view))
        if redirect is not None:
            return redirect
        if self.found:
            self._subscribe_live(f"gig:{self.gig_ref}")
        return None

    def _live_reload(self) -> None:
        self._reload()

    @rx.event
    def load_gig(self):
        """on_load: everything again from the database."""
        self.card_errors = {}
        self.notice = ""
        # Opening the page is a view of each applicant (live reloads and actions are not).
        return self._reload(record_view=True)

    def _act_on(self, application_id, action, done: str):
        """Run one service action for one applicant; its error goes on that applicant's card."""
        key = str(application_id)
        self.card_errors = {k: v for k, v in self.card_errors.items() if k != key}
        self.notice = ""
        app_id = parse_id(application_id)
        if app_id is None:
            self.card_errors = {**self.card_errors, key: gettext(self.language, "That application was not found.")}
            return self._reload()
        acted = self._act(lambda session, actor: action(session, actor, app_id))
        if acted.redirect is not None:
            return acted.redirect
        if acted.ok:
            self.notice = done
        else:
            self.card_errors = {**self.card_errors, key: self._tr(acted.error)}
        return self._reload()

    @rx.event
    def shortlist(self, application_id: int):
        return self._act_on(
            application_id, applications.shortlist, gettext(self.language, "Shortlisted: their name and details are now shown.")
        )

    @rx.event
    def accept(self, application_id: int):
        return self._act_on(application_id, applications.accept, gettext(self.language, "Accepted. The engagement workspace is ready."))

    @rx.event
    def decline(self, form_data: dict):
        form_data = form_data or {}
        application_id = str(form_data.get("application_id", ""))
        feedback = str(form_data.get("feedback", ""))
        return self._act_on(
            application_id,
            lambda session, actor, app_id: applications.decline(session, actor, app_id, feedback),
            gettext(self.language, "Declined. The applicant has been told."),
        )

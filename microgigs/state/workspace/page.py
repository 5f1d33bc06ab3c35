"""The workspace's page state: the engagement as the viewer may see it, read again on load and
on every live push, and the page's notice (good news after any of its forms acted).

Each form of the page is a substate of this one, in its own module (`form.py` says what they
share); the service's `view.actions` says which of them the viewer may use now.
"""

import time

import reflex as rx

from microgigs.i18n import _, gettext
from microgigs.services import dashboards
from microgigs.services.dashboards import EngagementView
from microgigs.services.errors import DomainError
from microgigs.services.statuses import EngagementStatus
from microgigs.state.session import SessionState
from microgigs.state.url_ids import id_in_path
from microgigs.state.url_object import ShownForUrl

ROUTE = "/engagements/[engagement_id]"
NOT_FOUND = _("This engagement does not exist, or it is not yours to see.")

EMPTY_VIEW = EngagementView(
    id=0,
    gig_id=0,
    gig_title="",
    employer="",
    student_name="",
    status="",
    scope="",
    pay="",
    fee="",
    due_date="",
    payment_label="",
    revision_rounds_used=0,
    max_revision_rounds=0,
    viewer_is_student=False,
    viewer_manages=False,
    submissions=[],
    messages=[],
)


class EngagementState(ShownForUrl, SessionState):
    loaded: bool = False
    found: bool = False
    view: EngagementView = EMPTY_VIEW
    notice: str = ""

    @rx.var
    def latest_version(self) -> int:
        return max((s.version for s in self.view.submissions), default=0)

    # What the viewer may do now: the service's answer, one flag per section of the page.

    @rx.var
    def can_submit(self) -> bool:
        return self.view.actions.may_submit

    @rx.var
    def can_review(self) -> bool:
        return self.view.actions.may_review

    @rx.var
    def can_request_changes(self) -> bool:
        return self.view.actions.may_request_changes

    @rx.var
    def can_post_messages(self) -> bool:
        return self.view.actions.may_post_messages

    @rx.var
    def can_request_extension(self) -> bool:
        return self.view.actions.may_request_extension

    @rx.var
    def can_cancel(self) -> bool:
        return self.view.actions.may_cancel

    @rx.var
    def can_plan_milestones(self) -> bool:
        return self.view.actions.may_plan_milestones

    @rx.var
    def can_check_in(self) -> bool:
        return self.view.actions.may_check_in

    @rx.var
    def finished(self) -> bool:
        return self.view.actions.after_the_gig

    @rx.var
    def reviews_open(self) -> bool:
        return self.view.actions.reviews_open

    @rx.var
    def disputes_open(self) -> bool:
        return self.view.actions.disputes_open

    # Texts made of several facts.

    @rx.var
    def rounds_text(self) -> str:
        return gettext(
            self.language, "{used} of {allowed} used", used=self.view.revision_rounds_used, allowed=self.view.max_revision_rounds
        )

    @rx.var
    def paid_text(self) -> str:
        """The "paid" news, or "" while the work is not paid."""
        if self.view.status != EngagementStatus.PAID:
            return ""
        if self.view.payment_label:
            return gettext(
                self.language,
                "Approved — {amount} paid to {student} ({label})",
                amount=self.view.pay,
                student=self.view.student_name,
                label=self.view.payment_label,
            )
        return gettext(self.language, "Approved — {amount} paid to {student}", amount=self.view.pay, student=self.view.student_name)

    @rx.var
    def evidence_public(self) -> bool:
        return self.view.evidence_employer_allows and self.view.evidence_student_shows

    def _engagement_id(self) -> int:
        return id_in_path(self.router.url.path, ROUTE)

    def _load(self, session, actor, record_view: bool = False) -> None:
        self.loaded = True
        self._shown_for_this_url()
        try:
            view = dashboards.engagement_view(
                session, actor, self._engagement_id(), record_view=record_view, language=self.language, tz_name=actor.timezone
            )
        except DomainError:
            self.found = False
            self.view = EMPTY_VIEW
            return
        self.found = True
        self.view = view

    def _reload(self, record_view: bool = False):
        """Everything the page shows, read again; the forms reload through this too (on the page
        state itself: `live` pushes to the state class a tab subscribed with)."""
        started = time.monotonic()  # what this reads includes every change committed before now
        redirect = self._read(lambda session, actor: self._load(session, actor, record_view))
        if redirect is not None:
            return redirect
        if self.found:
            self._subscribe_live(f"engagement:{self.view.id}", read_at=started)
        return None

    def _live_reload(self) -> None:
        """A push from `live`: the other side changed something; read it all again."""
        self._reload()

    @rx.event
    def load_engagement(self):
        """on_load: everything again from the database, every form without its last errors."""
        for form in self.substates.values():  # every substate of this page is one of its forms
            form.errors = {}
        self.notice = ""
        # Opening the workspace is a view of the student (live reloads and actions are not).
        return self._reload(record_view=True)

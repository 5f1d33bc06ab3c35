"""/engagements/<id>/review: write your side's review; read the other side's once published."""

import reflex as rx
from reflex_base.utils.form import FormData

from microgigs.i18n import gettext
from microgigs.services import reviews
from microgigs.services.errors import DomainError
from microgigs.services.reviews import ReviewInput, ReviewView
from microgigs.services.validation import parse_id
from microgigs.state.session import SessionState
from microgigs.state.url_ids import id_in_path
from microgigs.state.url_object import ShownForUrl

ROUTE = "/engagements/[engagement_id]/review"


class ReviewState(ShownForUrl, SessionState):
    loaded: bool = False
    found: bool = False
    engagement_ref: int = 0
    gig_title: str = ""
    my_side: str = ""
    questions: list[str] = []
    skills: list[str] = []
    can_write: bool = False
    why_not: str = ""
    has_mine: bool = False
    mine: ReviewView = ReviewView("", [], "", [], "")
    has_theirs: bool = False
    theirs: ReviewView = ReviewView("", [], "", [], "")
    theirs_waiting: bool = False
    errors: dict[str, str] = {}
    notice: str = ""

    @rx.var
    def workspace_href(self) -> str:
        return f"/engagements/{self.engagement_ref}"

    @rx.var
    def other_side(self) -> str:
        if self.my_side == "student":
            return gettext(self.language, "the employer")
        return gettext(self.language, "the student")

    def _load(self, session, actor) -> None:
        self.loaded = True
        self._shown_for_this_url()
        try:
            page = reviews.reviews_page(session, actor, id_in_path(self.router.url.path, ROUTE), language=self.language)
        except DomainError:
            self.reset()  # nothing of an engagement this tab showed before
            self.loaded = True
            return
        self.found = True
        self.engagement_ref = page.engagement_id
        self.gig_title = page.gig_title
        self.my_side = page.my_side
        self.questions = page.questions
        self.skills = page.skills
        self.can_write = page.can_write
        self.why_not = self._tr(page.why_not)
        self.has_mine, self.has_theirs = page.mine is not None, page.theirs is not None
        if page.mine is not None:
            self.mine = page.mine
        if page.theirs is not None:
            self.theirs = page.theirs
        self.theirs_waiting = page.theirs_waiting

    @rx.event
    def load(self):
        self.errors, self.notice = {}, ""
        return self._read(self._load)

    @rx.event
    def submit(self, form: FormData):
        ratings: list[int] = []
        for index in range(1, len(self.questions) + 1):
            value = str(form.get(f"rating_{index}", ""))
            ratings.append(parse_id(value) or 0)  # the service refuses anything but 1 to 5
        data = ReviewInput(
            ratings=ratings,
            comment=str(form.get("comment", "")),
            private_note=str(form.get("private_note", "")),
            endorsed_skills=[str(s) for s in form.getlist("endorsed")] if isinstance(form, FormData) else [],
        )
        engagement_id = id_in_path(self.router.url.path, ROUTE)
        acted = self._act(lambda session, actor: reviews.write_review(session, actor, engagement_id, data))
        if acted.redirect is not None:
            return acted.redirect
        if not acted.ok:
            self.errors = self._tr_all(acted.errors)
            return None
        redirect = self._read(self._load)
        if redirect is not None:
            return redirect
        self.errors = {}
        self.notice = gettext(
            self.language, "Thank you: your review is in. It is shown to the other side once theirs is in too, or after 14 days."
        )
        return None
